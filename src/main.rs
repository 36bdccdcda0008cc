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

#[derive(Parser)]
#[command(name = "geokg", version, about = "Knowledge graphs of geopolitical events from English news text")]
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
    }
}

fn extractor(data: Option<&Path>) -> Result<Extractor> {
    let knowledge = match data {
        Some(dir) => Knowledge::from_dir(dir)?,
        None => Knowledge::bundled()?,
    };
    Ok(Extractor::new(Pipeline::bundled()?, knowledge))
}

fn reader(a: &InputArgs) -> Result<DocumentReader> {
    let default_date = match &a.date {
        Some(d) => Some(parse_date(d).with_context(|| format!("--date {d:?}: expected YYYY-MM-DD"))?),
        None => None,
    };
    if let Some(j) = a.jobs {
        // Ignored when a pool already exists; only the first call configures it.
        let _ = rayon::ThreadPoolBuilder::new().num_threads(j.max(1)).build_global();
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
    let ex = extractor(a.input.data.as_deref())?;
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
    let ex = extractor(a.input.data.as_deref())?;
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
    println!(
        "{} documents read: {} added, {} replaced, {} unchanged; {} statements ({} events) extracted",
        report.documents, totals.added, totals.replaced, totals.unchanged, report.statements, report.events
    );
    println!("store: {}", a.store.store.display());
    print_stats(&store.stats()?);
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
    print_stats(&store.stats()?);
    Ok(ExitCode::SUCCESS)
}

fn add_report(total: &mut geokg::store::LoadReport, r: geokg::store::LoadReport) {
    total.added += r.added;
    total.replaced += r.replaced;
    total.unchanged += r.unchanged;
    total.quads_written += r.quads_written;
}

fn print_stats(s: &geokg::store::Stats) {
    println!(
        "{} documents, {} statements ({} events, {} relations), {} quads",
        s.documents, s.statements, s.events, s.relations, s.quads
    );
    if !s.events_by_root.is_empty() {
        println!("events by CAMEO root:");
        for (root, n) in &s.events_by_root {
            println!("  {root}  {n:>6}");
        }
    }
    if !s.top_actors.is_empty() {
        println!("most active actors:");
        for a in &s.top_actors {
            println!("  {:<40} {:>6}", a.label, a.events);
        }
    }
}
