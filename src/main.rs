//! The `geokg` command line: parses arguments and calls the library. No logic lives here.

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use geokg::batch::{self, BatchOptions, BatchReport};
use geokg::extract::{Extractor, Knowledge};
use geokg::input::{parse_date, DocumentReader, ReadOptions};
use geokg::nlp::Pipeline;
use geokg::store::GraphStore;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Writes a line to standard output, passing write errors (a closed pipe) up as errors.
macro_rules! outln {
    ($($arg:tt)*) => {
        writeln!(std::io::stdout().lock(), $($arg)*)?
    };
}

#[derive(Parser)]
#[command(
    name = "geokg",
    version,
    about = "Knowledge graphs of geopolitical events from English news text"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract events and relations from news text and print them.
    Extract(ExtractArgs),
    /// Extract and load into an on-disk store (one named graph per document).
    Build(BuildArgs),
    /// Run a SPARQL 1.1 query against the store.
    Query(QueryArgs),
    /// Summarise the store: documents, events by CAMEO root, top actors.
    Stats(StoreArgs),
    /// Delete documents (their named graphs) from the store.
    Remove(RemoveArgs),
    /// The k shortest paths between two actors, each hop with its event and evidence.
    Path(PathArgs),
    /// An actor's neighbourhood: ties, event counts, net Goldstein.
    Neighbors(NeighborsArgs),
    /// Events of an actor, or between two actors, in date order.
    Timeline(TimelineArgs),
    /// The most central actors.
    Rank(RankArgs),
    /// Write the actor graph for Gephi, Cytoscape, Graphviz or NetworkX.
    Export(ExportArgs),
    /// Train the tagger and parser on a CoNLL-U treebank (UD English EWT).
    Train(TrainArgs),
    /// Score the tagger and parser on a CoNLL-U test file (UPOS, UAS, LAS).
    Evaluate(EvaluateArgs),
    /// Code a PETRARCH (XML) or TABARI (Validate.text) validation suite from its raw
    /// sentences and report correct / uncoded / extra events per category.
    Validate(ValidateArgs),
}

#[derive(Args)]
struct GraphArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// Read statements from a JSONL file written by `geokg extract` instead of the store.
    #[arg(long)]
    statements: Option<PathBuf>,
    /// Keep events on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long)]
    from: Option<String>,
    /// Keep events on or before this date.
    #[arg(long)]
    to: Option<String>,
    /// Keep only these CAMEO roots (comma-separated: 04,05).
    #[arg(long, value_delimiter = ',')]
    roots: Vec<String>,
    /// Keep only these QuadClasses (comma-separated: 3,4).
    #[arg(long, value_delimiter = ',')]
    quad_class: Vec<u8>,
    /// Keep only actors of these countries (ISO3, comma-separated).
    #[arg(long, value_delimiter = ',')]
    countries: Vec<String>,
    /// Drop actors in fewer events than this.
    #[arg(long, default_value_t = 0)]
    min_events: usize,
    /// Merge people into their countries (Trump -> United States).
    #[arg(long)]
    collapse: bool,
    /// Add agreements and other entities as nodes.
    #[arg(long)]
    entities: bool,
    /// Output as JSON instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct RemoveArgs {
    /// Document ids, as `geokg stats` and the JSONL `doc` field name them.
    #[arg(required = true)]
    docs: Vec<String>,
    #[command(flatten)]
    store: StoreArgs,
}

#[derive(Args)]
struct PathArgs {
    from_actor: String,
    to_actor: String,
    #[arg(long, default_value_t = 3)]
    k: usize,
    #[arg(long, default_value_t = 6)]
    max_hops: usize,
    #[command(flatten)]
    graph: GraphArgs,
}

#[derive(Args)]
struct NeighborsArgs {
    actor: String,
    #[arg(long, default_value_t = 1)]
    hops: usize,
    #[command(flatten)]
    graph: GraphArgs,
}

#[derive(Args)]
struct TimelineArgs {
    actor: String,
    other: Option<String>,
    #[command(flatten)]
    graph: GraphArgs,
}

#[derive(Args)]
struct RankArgs {
    /// degree, pagerank or betweenness.
    #[arg(long, default_value = "degree")]
    by: String,
    /// How many actors to show.
    #[arg(long, default_value_t = 20)]
    top: usize,
    #[command(flatten)]
    graph: GraphArgs,
}

#[derive(Args)]
struct ExportArgs {
    /// graphml, gexf, dot, cytoscape, nodes-csv, edges-csv.
    #[arg(long)]
    format: String,
    /// Output file (default: standard output).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Only the neighbourhood of this actor.
    #[arg(long)]
    around: Option<String>,
    #[arg(long, default_value_t = 1)]
    hops: usize,
    #[command(flatten)]
    graph: GraphArgs,
}

#[derive(Args)]
struct TrainArgs {
    /// Training treebank (CoNLL-U).
    #[arg(long)]
    train: PathBuf,
    /// Development treebank, used to pick each model's best epoch.
    #[arg(long)]
    dev: Option<PathBuf>,
    /// Folder for the model files.
    #[arg(long, default_value = "data/models")]
    out: PathBuf,
}

#[derive(Args)]
struct EvaluateArgs {
    /// Test treebank (CoNLL-U).
    test: PathBuf,
    /// Model folder (default: the bundled models).
    #[arg(long)]
    models: Option<PathBuf>,
}

#[derive(Args)]
struct ValidateArgs {
    /// The suite: PETRARCH validation XML or TABARI Validate.text.
    suite: PathBuf,
    /// Folder holding the dictionaries the suite names (default: the suite's folder).
    #[arg(long)]
    dictionaries: Option<PathBuf>,
    /// Print each failing record: expected and coded events, and the patterns used.
    #[arg(long)]
    failures: bool,
    /// With --failures: also print the parse the suite ships (for diagnosis only).
    #[arg(long, requires = "failures")]
    show_parse: bool,
}

#[derive(Args)]
struct InputArgs {
    /// Files (.txt, .jsonl), folders (searched recursively) or `-` for standard input.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Publication date (YYYY-MM-DD) for documents that carry none.
    #[arg(long)]
    date: Option<String>,
    /// A data folder laid out like the repository's `data/` (actors, cameo, lexicon,
    /// entities), used instead of the bundled files.
    #[arg(long, env = "GEOKG_DATA")]
    data: Option<PathBuf>,
    /// A folder of PETRARCH-2 / TABARI dictionaries (verb patterns, actors, agents,
    /// discards) to code events with, in place of geokg's event lexicon.
    #[arg(long)]
    dictionaries: Option<PathBuf>,
    /// With --dictionaries: keep geokg's lexicon and add the dictionaries' events.
    #[arg(long, requires = "dictionaries")]
    with_lexicon: bool,
    /// Threads for extraction (default: all cores). Output does not depend on it.
    #[arg(long, short = 'j')]
    jobs: Option<usize>,
    /// No progress bar.
    #[arg(long, short = 'q')]
    quiet: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExtractFormat {
    Jsonl,
    Tsv,
    Nquads,
    Turtle,
    Trig,
}

#[derive(Args)]
struct ExtractArgs {
    #[command(flatten)]
    input: InputArgs,
    #[arg(long, value_enum, default_value = "jsonl")]
    format: ExtractFormat,
}

#[derive(Args)]
struct StoreArgs {
    /// Store folder (default: ./geokg-store).
    #[arg(long, env = "GEOKG_STORE", default_value = GraphStore::DEFAULT_DIR)]
    store: PathBuf,
}

#[derive(Args)]
struct BuildArgs {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    store: StoreArgs,
}

#[derive(Clone, Copy, ValueEnum)]
enum ResultFormat {
    Table,
    Csv,
    Tsv,
    Json,
}

#[derive(Args)]
struct QueryArgs {
    /// The SPARQL query text.
    #[arg(required_unless_present = "file", conflicts_with = "file")]
    sparql: Option<String>,
    /// Read the query from a file.
    #[arg(long, short = 'f')]
    file: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "table")]
    format: ResultFormat,
    #[command(flatten)]
    store: StoreArgs,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        // A reader that stopped early (`geokg … | head`) is not an error.
        Err(e)
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("geokg: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Extract(a) => extract(a),
        Command::Build(a) => build(a),
        Command::Query(a) => query(a),
        Command::Stats(a) => stats(a),
        Command::Remove(a) => {
            let store = open_existing(&a.store.store)?;
            let removed = store.remove(&a.docs)?;
            outln!("{removed} of {} documents removed", a.docs.len());
            print_stats(&store.stats()?)?;
            Ok(if removed == a.docs.len() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            })
        }
        Command::Path(a) => {
            let g = project(&a.graph)?;
            let from = find_actor(&g, &a.from_actor)?;
            let to = find_actor(&g, &a.to_actor)?;
            let paths = geokg::graph::k_shortest_paths(&g, from, to, a.k, a.max_hops);
            show(&paths, a.graph.json)
        }
        Command::Neighbors(a) => {
            let g = project(&a.graph)?;
            let centre = find_actor(&g, &a.actor)?;
            show(&geokg::graph::neighbors(&g, centre, a.hops), a.graph.json)
        }
        Command::Timeline(a) => {
            let g = project(&a.graph)?;
            let one = find_actor(&g, &a.actor)?;
            let other = a.other.as_deref().map(|o| find_actor(&g, o)).transpose()?;
            show(&geokg::graph::timeline(&g, one, other), a.graph.json)
        }
        Command::Rank(a) => {
            let g = project(&a.graph)?;
            let by = geokg::graph::Centrality::parse(&a.by).with_context(|| {
                format!("--by {:?}: expected degree, pagerank or betweenness", a.by)
            })?;
            let mut ranking = geokg::graph::rank(&g, by);
            ranking.actors.truncate(a.top);
            show(&ranking, a.graph.json)
        }
        Command::Export(a) => export(a),
        Command::Train(a) => {
            let mut opts = geokg::nlp::TrainOptions::new(a.train, a.dev, a.out);
            opts.verbose = true;
            let report = geokg::nlp::train(&opts)?;
            outln!("{report}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Validate(a) => validate(a),
        Command::Evaluate(a) => {
            let pipeline = match &a.models {
                Some(dir) => Pipeline::load(dir)?,
                None => Pipeline::bundled()?,
            };
            outln!("{}", geokg::nlp::evaluate(&pipeline, &a.test)?);
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn project(a: &GraphArgs) -> Result<geokg::graph::ActorGraph> {
    let statements = match &a.statements {
        Some(path) => read_statements(path)?,
        None => open_existing(&a.store.store)?.statements(None)?,
    };
    let options = geokg::graph::ProjectionOptions {
        from: a.from.clone(),
        to: a.to.clone(),
        cameo_roots: a.roots.clone(),
        quad_classes: a.quad_class.clone(),
        countries: a.countries.clone(),
        min_events: a.min_events,
        include_entities: a.entities,
        collapse: if a.collapse {
            geokg::graph::Collapse::PeopleIntoCountry
        } else {
            geokg::graph::Collapse::None
        },
        ..Default::default()
    };
    Ok(geokg::graph::ActorGraph::project(&statements, &options)?)
}

fn read_statements(path: &Path) -> Result<Vec<geokg::model::Statement>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("{}", path.display()))?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let s = serde_json::from_str(line)
            .with_context(|| format!("{}:{}: not a geokg statement", path.display(), n + 1))?;
        out.push(s);
    }
    Ok(out)
}

/// Finds an actor by what the graph knows (id, label, code, QID), then by the gazetteer's
/// aliases ("Zelenskiy" for Volodymyr Zelenskyy).
fn find_actor(g: &geokg::graph::ActorGraph, query: &str) -> Result<petgraph::graph::NodeIndex> {
    match g.lookup(query) {
        Ok(ix) => Ok(ix),
        Err(e @ geokg::graph::LookupError::NotFound { .. }) => {
            let gaz = geokg::knowledge::Gazetteer::bundled()?;
            let found: Vec<_> = gaz
                .lookup(query)
                .into_iter()
                .filter_map(|id| g.node_index(&gaz.actor(id).key))
                .collect();
            match found.as_slice() {
                [one] => Ok(*one),
                _ => Err(e.into()),
            }
        }
        Err(e) => Err(e.into()),
    }
}

fn show<T: serde::Serialize + std::fmt::Display>(value: &T, json: bool) -> Result<ExitCode> {
    if json {
        outln!("{}", serde_json::to_string_pretty(value)?);
    } else {
        write!(std::io::stdout().lock(), "{value}")?;
    }
    Ok(ExitCode::SUCCESS)
}

fn export(a: ExportArgs) -> Result<ExitCode> {
    let format = geokg::export::ExportFormat::parse(&a.format).with_context(|| {
        format!(
            "--format {:?}: expected graphml, gexf, dot, cytoscape, nodes-csv or edges-csv",
            a.format
        )
    })?;
    let mut g = project(&a.graph)?;
    if let Some(centre) = &a.around {
        let c = find_actor(&g, centre)?;
        g = g.neighbourhood(c, a.hops);
    }
    match &a.out {
        Some(path) => {
            let f = std::fs::File::create(path).with_context(|| format!("{}", path.display()))?;
            geokg::export::export(&g, format, f)?;
        }
        None => geokg::export::export(&g, format, std::io::stdout().lock())?,
    }
    Ok(ExitCode::SUCCESS)
}

fn extractor(data: Option<&Path>) -> Result<Extractor> {
    let knowledge = match data {
        Some(dir) => Knowledge::from_dir(dir)?,
        None => Knowledge::bundled()?,
    };
    Ok(Extractor::new(Pipeline::bundled()?, knowledge))
}

fn with_dictionaries(mut ex: Extractor, a: &InputArgs) -> Result<Extractor> {
    if let Some(dir) = &a.dictionaries {
        let dictionaries = geokg::knowledge::petrarch::Dictionaries::load_dir(dir)?;
        ex.dictionaries = Some(geokg::extract::patterns::DictionaryCoding {
            dictionaries,
            replace: !a.with_lexicon,
        });
    }
    Ok(ex)
}

fn validate(a: ValidateArgs) -> Result<ExitCode> {
    let pipeline = Pipeline::bundled()?;
    let run = geokg::validate::run_path(&a.suite, a.dictionaries.as_deref(), &pipeline)?;
    for n in &run.suite.notes {
        eprintln!("note: {n}");
    }
    if !run.warnings.is_empty() {
        eprintln!(
            "{} dictionary warnings (first: {})",
            run.warnings.len(),
            run.warnings[0]
        );
    }
    if a.failures {
        for o in run.report.failing() {
            outln!("{}", o.describe());
            if a.show_parse {
                if let Some(p) = run
                    .suite
                    .records
                    .iter()
                    .find(|r| r.id == o.id)
                    .and_then(|r| r.parse.as_ref())
                {
                    outln!("  shipped parse:\n{p}");
                }
            }
        }
        outln!();
    }
    outln!("{}", run.report);
    Ok(ExitCode::SUCCESS)
}

fn reader(a: &InputArgs) -> Result<DocumentReader> {
    let default_date = match &a.date {
        Some(d) => {
            Some(parse_date(d).with_context(|| format!("--date {d:?}: expected YYYY-MM-DD"))?)
        }
        None => None,
    };
    if let Some(j) = a.jobs {
        // Ignored when a pool already exists; only the first call configures it.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(j.max(1))
            .build_global();
    }
    Ok(DocumentReader::new(&a.inputs, ReadOptions { default_date }))
}

fn batch_options(a: &InputArgs) -> BatchOptions {
    BatchOptions {
        progress: !a.quiet,
        ..BatchOptions::default()
    }
}

fn finish(report: &BatchReport) -> ExitCode {
    if report.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "geokg: {} input problem(s); the other documents were processed",
            report.problems.len()
        );
        ExitCode::from(2)
    }
}

fn extract(a: ExtractArgs) -> Result<ExitCode> {
    let ex = with_dictionaries(extractor(a.input.data.as_deref())?, &a.input)?;
    let docs = reader(&a.input)?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let report = match a.format {
        ExtractFormat::Jsonl => batch::run(&ex, docs, &batch_options(&a.input), |g| {
            geokg::output::write_jsonl(&g, &mut out)
        })?,
        ExtractFormat::Tsv => batch::run(&ex, docs, &batch_options(&a.input), |g| {
            geokg::output::write_tsv(&g, &mut out)
        })?,
        rdf => {
            let format = match rdf {
                ExtractFormat::Nquads => geokg::rdf::RdfFormat::NQuads,
                ExtractFormat::Turtle => geokg::rdf::RdfFormat::Turtle,
                _ => geokg::rdf::RdfFormat::TriG,
            };
            let mut graphs = Vec::new();
            let report = batch::run(&ex, docs, &batch_options(&a.input), |g| {
                graphs.push(g);
                Ok::<(), std::io::Error>(())
            })?;
            geokg::rdf::write_documents(&graphs, format, &mut out)?;
            report
        }
    };
    out.flush()?;
    Ok(finish(&report))
}

fn build(a: BuildArgs) -> Result<ExitCode> {
    let ex = with_dictionaries(extractor(a.input.data.as_deref())?, &a.input)?;
    let store = GraphStore::open(&a.store.store)?;
    store.load_ontology()?;
    let docs = reader(&a.input)?;
    let mut pending = Vec::new();
    let mut totals = geokg::store::LoadReport::default();
    let report = batch::run(&ex, docs, &batch_options(&a.input), |g| -> Result<()> {
        pending.push(g);
        if pending.len() >= 256 {
            add_report(&mut totals, store.load(std::mem::take(&mut pending))?);
        }
        Ok(())
    })?;
    add_report(&mut totals, store.load(pending)?);
    outln!(
        "{} documents read: {} added, {} replaced, {} unchanged; {} statements ({} events) extracted",
        report.documents, totals.added, totals.replaced, totals.unchanged, report.statements, report.events
    );
    outln!("store: {}", a.store.store.display());
    print_stats(&store.stats()?)?;
    Ok(finish(&report))
}

fn query(a: QueryArgs) -> Result<ExitCode> {
    let text = match (&a.sparql, &a.file) {
        (_, Some(f)) => std::fs::read_to_string(f).with_context(|| format!("{}", f.display()))?,
        (Some(q), None) => q.clone(),
        (None, None) => bail!("give a query or --file"),
    };
    let store = open_existing(&a.store.store)?;
    let result = store.query(&text)?;
    let format = match a.format {
        ResultFormat::Table => geokg::store::ResultFormat::Table,
        ResultFormat::Csv => geokg::store::ResultFormat::Csv,
        ResultFormat::Tsv => geokg::store::ResultFormat::Tsv,
        ResultFormat::Json => geokg::store::ResultFormat::Json,
    };
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    result.write(format, &mut out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn open_existing(dir: &Path) -> Result<GraphStore> {
    if !dir.exists() {
        bail!(
            "no store at {}: run `geokg build INPUT…` first, or pass --store",
            dir.display()
        );
    }
    Ok(GraphStore::open(dir)?)
}

fn stats(a: StoreArgs) -> Result<ExitCode> {
    let store = open_existing(&a.store)?;
    print_stats(&store.stats()?)?;
    Ok(ExitCode::SUCCESS)
}

fn add_report(total: &mut geokg::store::LoadReport, r: geokg::store::LoadReport) {
    total.added += r.added;
    total.replaced += r.replaced;
    total.unchanged += r.unchanged;
    total.quads_written += r.quads_written;
}

fn print_stats(s: &geokg::store::Stats) -> std::io::Result<()> {
    outln!(
        "{} documents, {} statements ({} events, {} relations), {} quads",
        s.documents,
        s.statements,
        s.events,
        s.relations,
        s.quads
    );
    if !s.events_by_root.is_empty() {
        outln!("events by CAMEO root:");
        let cameo = geokg::knowledge::CameoTable::bundled().ok();
        for (root, n) in &s.events_by_root {
            let name = cameo.as_ref().and_then(|c| c.root_name(root)).unwrap_or("");
            outln!("  {root} {name:<36} {n:>6}");
        }
    }
    if !s.top_actors.is_empty() {
        outln!("most active actors:");
        for a in &s.top_actors {
            outln!("  {:<40} {:>6}", a.label, a.events);
        }
    }
    Ok(())
}
