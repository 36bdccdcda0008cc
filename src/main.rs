//! The `geokg` command line: parses arguments and calls the library. No logic lives here.

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use geokg::batch::{self, BatchOptions, BatchReport};
use geokg::commands;
use geokg::extract::Extractor;
use geokg::input::{parse_date, DocumentReader, ReadOptions};
use geokg::nlp::Pipeline;
use geokg::store::GraphStore;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// mimalloc in place of the system allocator. The build hands millions of small strings
/// (the quads' terms) from the extraction workers to the bulk load's threads, which free
/// them; glibc's allocator spent a fifth of the build's CPU on that traffic. Feature
/// `override` makes RocksDB's C++ allocate from mimalloc too, so memory freed across the
/// FFI (oxigraph frees RocksDB's error strings as Rust strings) returns to where it came
/// from.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    /// Generate a news-like corpus from geokg's own knowledge, for scale runs.
    Gen(GenArgs),
    /// Send the store's graphs to a SPARQL engine (Graph Store Protocol or SPARQL Update):
    /// only what changed since the last push there.
    Push(PushArgs),
    /// Serve the store: SPARQL 1.1 Protocol endpoint, Graph Store Protocol, and the explorer.
    Serve(ServeArgs),
    /// Code a PETRARCH (XML) or TABARI (Validate.text) validation suite from its raw
    /// sentences and report correct / uncoded / extra events per category.
    Validate(ValidateArgs),
    /// Score extracted events (`extract --format jsonl`) against a gold file: the figures
    /// of score_events.py, recall by CAMEO root, why each gold event was missed, and the
    /// false positives.
    EvaluateEvents(EvaluateEventsArgs),
    /// Score place finding and resolution on a geoparsing corpus in the LGL XML format.
    EvaluatePlaces(EvaluatePlacesArgs),
    /// Convert the Phoenix actor and agent dictionaries (PETRARCH-2) into geokg's
    /// generated gazetteer files.
    ImportPhoenix(ImportPhoenixArgs),
}

#[derive(Args)]
struct EvaluatePlacesArgs {
    /// The corpus (`<articles>` of `<article>` with `<text>` and `<toponyms>`).
    corpus: PathBuf,
    /// Print the report as one JSON object.
    #[arg(long)]
    json: bool,
    /// Also list every gold toponym not found or not resolved to its exact GeoNames entry
    /// (article, text, gold and found entries, distance).
    #[arg(long)]
    misses: bool,
}

#[derive(Args)]
struct EvaluateEventsArgs {
    /// Gold events (JSON Lines: id, doc, anchor, subject, object, cameo_roots, level,
    /// symmetric, date).
    gold: PathBuf,
    /// Predicted events, one per line, as `geokg extract --format jsonl` prints them.
    predicted: PathBuf,
    /// Print the whole report as one JSON object.
    #[arg(long)]
    json: bool,
    /// Also list each missed gold event with its closest candidate, each wrong date and
    /// each false positive.
    #[arg(long)]
    misses: bool,
}

#[derive(Args)]
struct ImportPhoenixArgs {
    /// Folder holding Phoenix.Countries.actors.txt, Phoenix.International.actors.txt,
    /// Phoenix.MilNonState.actors.txt and Phoenix.agents.txt.
    dir: PathBuf,
    /// Where the files go.
    #[arg(long, default_value = "data/actors")]
    out: PathBuf,
    /// A CoNLL-U treebank (UD English EWT train) whose word counts tell ordinary English
    /// words from names; without it no form is left out as ordinary English.
    #[arg(long)]
    english_words: Option<PathBuf>,
}

#[derive(Args)]
struct GenArgs {
    #[arg(long, default_value_t = 100)]
    documents: usize,
    #[arg(long, default_value_t = 10)]
    sentences_per_doc: usize,
    /// The same seed gives the same bytes.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Folder for one .txt file per document (default: JSON Lines on standard output).
    #[arg(long)]
    out: Option<PathBuf>,
    /// A data folder used instead of the bundled files (see `extract --data`).
    #[arg(long, env = "GEOKG_DATA")]
    data: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum PushProtocol {
    /// Graph Store Protocol: one PUT per graph.
    Gsp,
    /// SPARQL 1.1 Update: DROP SILENT GRAPH + INSERT DATA, batched.
    Update,
    /// The Graph Store Protocol where the server has one, else Update.
    Auto,
}

#[derive(Args)]
struct PushArgs {
    /// The engine's SPARQL Update endpoint, e.g. oxigraph http://127.0.0.1:7878/update,
    /// Virtuoso http://127.0.0.1:8890/sparql-auth, Fuseki http://127.0.0.1:3030/ds/update.
    #[arg(long)]
    endpoint: String,
    #[arg(long, value_enum, default_value = "auto")]
    protocol: PushProtocol,
    /// The Graph Store Protocol URL, when it is not where the engine usually puts it
    /// beside --endpoint.
    #[arg(long)]
    graph_store: Option<String>,
    /// Bearer token.
    #[arg(long, env = "GEOKG_PUSH_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// User name, answered with Basic or Digest as the server asks.
    #[arg(long, conflicts_with = "token")]
    user: Option<String>,
    #[arg(long, env = "GEOKG_PUSH_PASSWORD", hide_env_values = true)]
    password: Option<String>,
    /// Graphs per SPARQL Update request.
    #[arg(long, default_value_t = 32)]
    batch: usize,
    /// Requests in flight at once.
    #[arg(long, short = 'j', default_value_t = 2)]
    jobs: usize,
    /// Resend every graph, not only those changed since the last push to this endpoint
    /// (after the server was emptied, or to repair it).
    #[arg(long)]
    all: bool,
    /// Seconds one request may take.
    #[arg(long, default_value_t = 300)]
    timeout: u64,
    /// No progress bar.
    #[arg(long, short = 'q')]
    quiet: bool,
    #[command(flatten)]
    store: StoreArgs,
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
    /// Keep only actors of these countries (ISO3, comma-separated); --country keeps events
    /// by where they happened instead.
    #[arg(long, value_delimiter = ',')]
    countries: Vec<String>,
    /// Keep only events located in these countries, whoever took part (ISO3 such as UKR, or
    /// country names; comma-separated). Events without a location do not match.
    #[arg(long, value_delimiter = ',', value_name = "COUNTRY", value_parser = country_arg)]
    country: Vec<String>,
    /// Keep only events located within --km of this point, in decimal degrees, south and
    /// west negative (--near 50.45,30.52). Events located only at a country have no point and
    /// do not match, nor do events without a location.
    #[arg(
        long,
        value_name = "LAT,LON",
        requires = "km",
        allow_hyphen_values = true
    )]
    near: Option<geokg::graph::GeoPoint>,
    /// The radius of --near, in kilometres (great-circle distance).
    #[arg(
        long,
        value_name = "KM",
        requires = "near",
        allow_hyphen_values = true,
        value_parser = km_arg
    )]
    km: Option<f64>,
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
    /// Between two actors, only events naming both; by default a head of government also
    /// stands for the government (Trump–Zelenskiy includes Trump's demands on Kyiv).
    #[arg(long)]
    strict: bool,
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
    /// graphml, gexf, dot, cytoscape, nodes-csv, edges-csv, geojson (the located events as
    /// points); or the RDF itself: jsonld, turtle, trig, nquads, ntriples (from the store);
    /// or `all`, every format into the folder --out, with counts.json giving the node and
    /// edge counts and how many nodes have a place (latitude/longitude).
    #[arg(long)]
    format: String,
    /// Output file, or folder for `--format all` (default: standard output).
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
    /// Which dependency parser to train.
    #[arg(long, value_enum, default_value_t = ParserKind::Perceptron)]
    parser: ParserKind,
    /// Keep the tagger of this model folder instead of training a new one.
    #[arg(long)]
    keep_tagger: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ParserKind {
    /// Averaged perceptron over sparse features (arc-eager).
    Perceptron,
    /// Convolutions and a bidirectional LSTM under a small network (arc-hybrid).
    Neural,
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
struct ServeArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// Address to listen on; loopback unless you mean to publish the store.
    #[arg(long, default_value = "127.0.0.1:7878")]
    bind: std::net::SocketAddr,
    /// Stop queries running longer than this (milliseconds); they are answered 503.
    #[arg(long, default_value_t = 10_000)]
    timeout_ms: u64,
    /// Refuse answers with more solutions or triples than this (413).
    #[arg(long, default_value_t = 100_000)]
    max_results: usize,
    /// Refuse request bodies larger than this (413).
    #[arg(long, default_value_t = 10 * 1024 * 1024)]
    max_body_bytes: usize,
    /// Accept SPARQL Update and Graph Store writes from clients with the token.
    #[arg(long)]
    allow_update: bool,
    /// Bearer token for writes.
    #[arg(long, env = "GEOKG_TOKEN", hide_env_values = true)]
    token: Option<String>,
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
    /// With --failures: also print the parse the suite ships and geokg's own (for diagnosis only).
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
    /// The tokens, tags, lemmas and dependency parse the events were read from.
    Conllu,
}

#[derive(Args)]
struct ExtractArgs {
    #[command(flatten)]
    input: InputArgs,
    #[arg(long, value_enum, default_value = "jsonl")]
    format: ExtractFormat,
    /// Print on standard error how often each reading of an event fired (the parse, or a
    /// fallback where the parse loses an argument).
    #[arg(long)]
    paths: bool,
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
    /// New documents go to the bulk load in batches of this many quads (bounds memory).
    #[arg(long, env = "GEOKG_BATCH_QUADS", default_value_t = 200_000)]
    batch_quads: usize,
    /// The bulk load commits once it holds this many quads, and at the end. Larger commits
    /// leave RocksDB less to compact during the build; a build killed before a commit
    /// redoes that commit's documents when rerun. Uncommitted batches wait on disk.
    #[arg(long, env = "GEOKG_COMMIT_QUADS", default_value_t = 2_000_000)]
    commit_quads: usize,
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
            let paths = commands::path(&g, &a.from_actor, &a.to_actor, a.k, a.max_hops)?;
            show(&paths, a.graph.json)
        }
        Command::Neighbors(a) => {
            let g = project(&a.graph)?;
            show(&commands::neighbors(&g, &a.actor, a.hops)?, a.graph.json)
        }
        Command::Timeline(a) => {
            let g = project(&a.graph)?;
            let timeline = commands::timeline(&g, &a.actor, a.other.as_deref(), a.strict)?;
            show(&timeline, a.graph.json)
        }
        Command::Rank(a) => {
            let g = project(&a.graph)?;
            let ranking = commands::rank(&g, &a.by, a.top).context("--by")?;
            show(&ranking, a.graph.json)
        }
        Command::Export(a) => export(a),
        Command::Gen(a) => gen(a),
        Command::Train(a) => {
            let mut opts = geokg::nlp::TrainOptions::new(a.train, a.dev, a.out);
            opts.verbose = true;
            opts.keep_tagger = a.keep_tagger;
            if a.parser == ParserKind::Neural {
                opts.neural = Some(geokg::nlp::neural::NeuralTraining::default());
            }
            let report = geokg::nlp::train(&opts)?;
            outln!("{report}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve(a) => serve(a),
        Command::Validate(a) => validate(a),
        Command::ImportPhoenix(a) => import_phoenix(a),
        Command::Evaluate(a) => {
            let pipeline = match &a.models {
                Some(dir) => Pipeline::load(dir)?,
                None => Pipeline::bundled()?,
            };
            outln!("{}", geokg::nlp::evaluate(&pipeline, &a.test)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Push(a) => push(a),
        Command::EvaluateEvents(a) => evaluate_events(a),
        Command::EvaluatePlaces(a) => {
            let extractor = commands::load_extractor(None, None, false)?;
            let report = extractor.evaluate_places(&a.corpus, a.misses)?;
            if a.json {
                outln!("{}", serde_json::to_string(&report)?);
            } else {
                outln!("{report}");
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn evaluate_events(a: EvaluateEventsArgs) -> Result<ExitCode> {
    let report = geokg::score::evaluate_files(&a.gold, &a.predicted)?;
    for p in &report.problems {
        eprintln!("geokg: {p}");
    }
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if a.json {
        serde_json::to_writer(&mut out, &report)?;
        writeln!(out)?;
    } else {
        let cameo = geokg::knowledge::CameoTable::bundled().ok();
        report.write_text(&mut out, a.misses, cameo.as_ref())?;
    }
    out.flush()?;
    Ok(if report.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "geokg: {} unreadable line(s) left out; the figures are over the rest",
            report.problems.len()
        );
        ExitCode::from(2)
    })
}

fn push(a: PushArgs) -> Result<ExitCode> {
    use geokg::push::{Credentials, Protocol, PushOptions};
    let store = open_existing(&a.store.store)?;
    let mut options = PushOptions::new(a.endpoint);
    options.graph_store = a.graph_store;
    options.protocol = match a.protocol {
        PushProtocol::Gsp => Protocol::GraphStore,
        PushProtocol::Update => Protocol::Update,
        PushProtocol::Auto => Protocol::Auto,
    };
    options.credentials = match (a.token, a.user, a.password) {
        (Some(token), _, _) => Credentials::Bearer(token),
        (None, Some(user), Some(password)) => Credentials::Password { user, password },
        (None, Some(user), None) => {
            bail!("--user {user:?} needs --password (or GEOKG_PUSH_PASSWORD)")
        }
        (None, None, _) => Credentials::None,
    };
    options.batch = a.batch;
    options.in_flight = a.jobs;
    options.all = a.all;
    options.timeout = std::time::Duration::from_secs(a.timeout.max(1));
    options.progress = !a.quiet;
    let r = geokg::push::push(&store, &options)?;
    if let Some(why) = &r.fallback {
        eprintln!("geokg: no Graph Store Protocol ({why}); used SPARQL Update");
    }
    if r.graphs == 0 && r.removed == 0 {
        outln!(
            "nothing to push: {} graphs unchanged since the last push to {} (--all resends them)",
            r.unchanged,
            r.target
        );
    } else {
        outln!(
            "pushed {} graphs ({} documents; {} triples, {} bytes) to {} by {} in {} requests, {:.2} s; {} unchanged, {} removed",
            r.graphs,
            r.documents,
            r.triples,
            r.bytes,
            r.target,
            r.protocol,
            r.requests,
            r.elapsed.as_secs_f64(),
            r.unchanged,
            r.removed
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `--country`: a code or name, checked against the gazetteers as the arguments are read.
fn country_arg(s: &str) -> Result<String, String> {
    commands::country_code(s).map_err(|e| e.to_string())
}

fn km_arg(s: &str) -> Result<f64, String> {
    geokg::graph::parse_km(s).map_err(|e| e.to_string())
}

fn project(a: &GraphArgs) -> Result<geokg::graph::ActorGraph> {
    let statements = match &a.statements {
        Some(path) => commands::read_statements(path)?,
        None => open_existing(&a.store.store)?.statements(None)?,
    };
    let options = geokg::graph::ProjectionOptions {
        from: a.from.clone(),
        to: a.to.clone(),
        cameo_roots: a.roots.clone(),
        quad_classes: a.quad_class.clone(),
        countries: a.countries.clone(),
        located_in: a.country.clone(),
        near: match (a.near, a.km) {
            (Some(centre), Some(km)) => Some(geokg::graph::Near::new(centre, km)?),
            _ => None,
        },
        min_events: a.min_events,
        include_entities: a.entities,
        collapse: if a.collapse {
            geokg::graph::Collapse::PeopleIntoCountry
        } else {
            geokg::graph::Collapse::None
        },
        ..Default::default()
    };
    let (graph, misses) = geokg::graph::ActorGraph::project_reporting(&statements, &options)?;
    if let Some(note) = commands::location_note(&misses, &options) {
        eprintln!("geokg: {note}");
    }
    Ok(graph)
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
    enum Target {
        Graph(geokg::export::ExportFormat),
        Rdf(geokg::rdf::RdfFormat),
        All(PathBuf),
    }
    let target = match geokg::export::ExportFormat::parse(&a.format) {
        Some(f) => Target::Graph(f),
        None if a.format == "all" => match &a.out {
            Some(dir) => Target::All(dir.clone()),
            None => bail!("--format all writes a folder of files: give it with --out DIR"),
        },
        None => match a.format.parse::<geokg::rdf::RdfFormat>() {
            Ok(f) => Target::Rdf(f),
            Err(_) => bail!(
                "--format {:?}: expected graphml, gexf, dot, cytoscape, nodes-csv, edges-csv, \
                 geojson, jsonld, turtle, trig, nquads, ntriples or all",
                a.format
            ),
        },
    };
    if matches!(target, Target::Rdf(_)) && a.graph.statements.is_some() {
        bail!(
            "--format {}: the RDF export reads documents from the store; \
             load the statements with `geokg build` and drop --statements",
            a.format
        );
    }
    let mut g = project(&a.graph)?;
    if let Some(centre) = &a.around {
        let c = commands::find_actor(&g, centre)?;
        g = g.neighbourhood(c, a.hops);
    }
    if let Target::All(dir) = &target {
        let mut written = geokg::export::export_dir(&g, dir)?;
        // The RDF needs the documents, which only the store keeps.
        if a.graph.statements.is_none() {
            let docs = geokg::export::rdf::documents_shown(&g, stored_documents(&a.graph)?);
            for (name, format) in [
                ("graph.ttl", geokg::rdf::RdfFormat::Turtle),
                ("graph.jsonld", geokg::rdf::RdfFormat::JsonLd),
            ] {
                let path = dir.join(name);
                let f =
                    std::fs::File::create(&path).with_context(|| format!("{}", path.display()))?;
                geokg::export::rdf::write(&docs, format, BufWriter::new(f))
                    .with_context(|| format!("{}", path.display()))?;
                written.push(path);
            }
        }
        let placed = geokg::export::node_places(&g).iter().flatten().count();
        let counts = serde_json::json!({
            "nodes": g.node_count(),
            "edges": g.edge_count(),
            "placed_nodes": placed,
        });
        let path = dir.join("counts.json");
        std::fs::write(&path, counts.to_string()).with_context(|| format!("{}", path.display()))?;
        for path in written {
            outln!("{}", path.display());
        }
        return Ok(ExitCode::SUCCESS);
    }
    let out: Box<dyn Write> = match &a.out {
        Some(path) => {
            Box::new(std::fs::File::create(path).with_context(|| format!("{}", path.display()))?)
        }
        None => Box::new(std::io::stdout().lock()),
    };
    match target {
        Target::Graph(format) => geokg::export::export(&g, format, out)?,
        Target::Rdf(format) => {
            let shown = geokg::export::rdf::documents_shown(&g, stored_documents(&a.graph)?);
            geokg::export::rdf::write(&shown, format, BufWriter::new(out))?;
        }
        Target::All(_) => {}
    }
    Ok(ExitCode::SUCCESS)
}

fn stored_documents(a: &GraphArgs) -> Result<Vec<geokg::model::DocumentGraph>> {
    let store = open_existing(&a.store.store)?;
    let docs = store
        .documents()?
        .iter()
        .map(|m| store.document(&m.id))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(docs)
}

fn gen(a: GenArgs) -> Result<ExitCode> {
    let generator =
        geokg::gen::Generator::new(&commands::load_extractor(a.data.as_deref(), None, false)?)?;
    let options = geokg::gen::CorpusOptions {
        documents: a.documents,
        sentences_per_doc: a.sentences_per_doc,
        seed: a.seed,
    };
    match &a.out {
        Some(dir) => {
            let n = generator.write_folder(options, dir)?;
            eprintln!("{n} documents written to {}", dir.display());
        }
        None => generator.write_jsonl(options, BufWriter::new(std::io::stdout().lock()))?,
    }
    Ok(ExitCode::SUCCESS)
}

fn extractor(a: &InputArgs) -> Result<Extractor> {
    Ok(commands::load_extractor(
        a.data.as_deref(),
        a.dictionaries.as_deref(),
        a.with_lexicon,
    )?)
}

fn import_phoenix(a: ImportPhoenixArgs) -> Result<ExitCode> {
    use geokg::knowledge::petrarch::import::{EnglishWords, PhoenixImport};
    let english = match &a.english_words {
        Some(p) => Some(EnglishWords::from_conllu(p)?),
        None => {
            eprintln!("note: no --english-words: no form is left out as ordinary English");
            None
        }
    };
    let import = PhoenixImport::from_dir(&a.dir, english.as_ref())?;
    if !import.warnings.is_empty() {
        eprintln!(
            "{} dictionary warnings (first: {})",
            import.warnings.len(),
            import.warnings[0]
        );
    }
    for path in import.write(&a.out)? {
        eprintln!("wrote {}", path.display());
    }
    outln!("{}", import.counts);
    Ok(ExitCode::SUCCESS)
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
                if let Some(r) = run.suite.records.iter().find(|r| r.id == o.id) {
                    outln!(
                        "  geokg parse:\n{}",
                        geokg::validate::own_parse(&pipeline, &r.text)
                    );
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
    let ex = extractor(&a.input)?;
    let docs = reader(&a.input)?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let report = match a.format {
        ExtractFormat::Conllu => {
            let mut report = BatchReport::default();
            for doc in docs {
                match doc {
                    Ok(d) => {
                        let analysed = ex.analyze(&d);
                        out.write_all(geokg::nlp::conllu::write_doc(&analysed, &d.id).as_bytes())?;
                        report.documents += 1;
                    }
                    Err(e) => {
                        eprintln!("geokg: {e}");
                        report.problems.push(e.to_string());
                    }
                }
            }
            report
        }
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
    if a.paths {
        eprintln!("event readings (how often each fired):");
        for (p, n) in geokg::extract::paths::counts() {
            eprintln!("  {:<16} {n}", p.name());
        }
    }
    Ok(finish(&report))
}

fn build(a: BuildArgs) -> Result<ExitCode> {
    let ex = extractor(&a.input)?;
    let store = GraphStore::open(&a.store.store)?;
    let docs = reader(&a.input)?;
    let options = commands::BuildOptions {
        batch: BatchOptions {
            expected: docs.expected_documents().map(|n| n as u64),
            ..batch_options(&a.input)
        },
        batch_quads: a.batch_quads,
        commit_quads: a.commit_quads,
        threads: a.input.jobs,
    };
    let built = commands::build(&ex, docs, &store, &options)?;
    let (report, totals) = (&built.batch, &built.load);
    outln!(
        "{} documents read: {} added, {} replaced, {} unchanged; {} sentences, {} statements ({} events) extracted",
        report.documents + built.skipped, totals.added, totals.replaced, totals.unchanged, report.sentences, report.statements, report.events
    );
    outln!("store: {}", a.store.store.display());
    print_stats(&store.stats()?)?;
    Ok(finish(report))
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

fn serve(a: ServeArgs) -> Result<ExitCode> {
    let store = open_existing(&a.store.store)?;
    let options = geokg::serve::ServeOptions {
        bind: a.bind,
        timeout: std::time::Duration::from_millis(a.timeout_ms),
        max_results: a.max_results,
        max_body_bytes: a.max_body_bytes,
        allow_update: a.allow_update,
        token: a.token,
        ..Default::default()
    };
    let endpoint = geokg::serve::Endpoint::new(store, options)?;
    geokg::serve::serve(endpoint, |addr| {
        eprintln!("geokg: serving {} on http://{addr}/ (SPARQL endpoint http://{addr}/sparql); Ctrl-C stops", a.store.store.display());
    })?;
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
