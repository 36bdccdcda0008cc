//! Running the extractor over a stream of documents: in parallel, in input order, with
//! problems reported per file and line while the rest of the batch goes on.

use crate::extract::Extractor;
use crate::input::{Document, InputError};
use crate::model::DocumentGraph;
use crate::store::{GraphStore, LoadReport, Loader, PreparedDocument, StoreError};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use std::io::IsTerminal;

/// What a batch run did.
#[derive(Debug, Default, Clone)]
pub struct BatchReport {
    pub documents: usize,
    pub sentences: usize,
    pub statements: usize,
    pub events: usize,
    /// One line per input problem: "file:line: message".
    pub problems: Vec<String>,
    /// Things noticed but not stopped for ("no dateline could be read"): "file:line: message".
    pub warnings: Vec<String>,
}

/// How a batch runs.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    /// Documents extracted together; results are handed on in input order.
    pub chunk: usize,
    /// Show a progress bar on standard error when it is a terminal.
    pub progress: bool,
    /// How many documents to expect, when known (for the ETA).
    pub expected: Option<u64>,
    /// Print input problems and warnings on standard error as they come (the command
    /// line); off, they are only in the report (the Python binding raises them).
    pub print_problems: bool,
}

impl Default for BatchOptions {
    fn default() -> Self {
        BatchOptions {
            chunk: 64,
            progress: true,
            expected: None,
            print_problems: true,
        }
    }
}

/// Extracts every document `docs` yields and passes each result to `sink`, in input order.
/// Parallelism comes from the current rayon pool (`--jobs`); the output does not depend on it.
pub fn run<I, F, E>(
    extractor: &Extractor,
    docs: I,
    options: &BatchOptions,
    sink: F,
) -> Result<BatchReport, E>
where
    I: IntoIterator<Item = Result<Document, InputError>>,
    F: FnMut(DocumentGraph) -> Result<(), E>,
{
    run_prepared(extractor, docs, options, |g| g, sink)
}

/// [`run`], with `prepare` applied to each result on the worker that extracted it (work
/// the sink would otherwise do alone, such as making a document's quads).
fn run_prepared<I, T, P, F, E>(
    extractor: &Extractor,
    docs: I,
    options: &BatchOptions,
    prepare: P,
    mut sink: F,
) -> Result<BatchReport, E>
where
    I: IntoIterator<Item = Result<Document, InputError>>,
    T: Send,
    P: Fn(DocumentGraph) -> T + Sync,
    F: FnMut(T) -> Result<(), E>,
{
    let bar = progress_bar(options.progress, options.expected);
    let mut report = BatchReport::default();
    let mut chunk: Vec<Document> = Vec::with_capacity(options.chunk);
    let mut iter = docs.into_iter();
    loop {
        chunk.clear();
        for item in iter.by_ref() {
            match item {
                Ok(d) => {
                    for w in &d.warnings {
                        if options.print_problems {
                            bar.suspend(|| eprintln!("geokg: warning: {w}"));
                        }
                        report.warnings.push(w.clone());
                    }
                    chunk.push(d)
                }
                Err(e) => {
                    if options.print_problems {
                        bar.suspend(|| eprintln!("geokg: {e}"));
                    }
                    report.problems.push(e.to_string());
                }
            }
            if chunk.len() >= options.chunk.max(1) {
                break;
            }
        }
        if chunk.is_empty() {
            break;
        }
        let results: Vec<(T, Counted)> = chunk
            .par_iter()
            .map(|d| {
                let graph = extractor.extract(d);
                let counted = Counted {
                    sentences: sentence_count(d),
                    statements: graph.statements.len(),
                    events: graph
                        .statements
                        .iter()
                        .filter(|s| s.cameo.is_some())
                        .count(),
                };
                (prepare(graph), counted)
            })
            .collect();
        for (item, counted) in results {
            report.documents += 1;
            report.sentences += counted.sentences;
            report.statements += counted.statements;
            report.events += counted.events;
            sink(item)?;
        }
        bar.set_position(report.documents as u64);
        bar.set_message(format!(
            "{} sentences, {} events",
            report.sentences, report.events
        ));
    }
    bar.finish_and_clear();
    Ok(report)
}

/// What one document adds to a [`BatchReport`].
struct Counted {
    sentences: usize,
    statements: usize,
    events: usize,
}

/// What [`build`] did.
#[derive(Debug, Default, Clone)]
pub struct BuildReport {
    /// Documents extracted (those already stored unchanged are not).
    pub batch: BatchReport,
    /// What the store did with them; `unchanged` includes the documents skipped before
    /// extraction.
    pub load: LoadReport,
    /// Documents already stored unchanged, skipped before extraction.
    pub skipped: usize,
}

/// Extracts documents and streams them into `store`: extraction runs on the rayon pool
/// while a writer thread loads finished documents in batches of quads (through oxigraph's
/// bulk loader for large batches), so neither waits for the other and memory stays bounded.
/// A document already stored with the same content hash is skipped before extraction.
/// `configure` sets up the store's [`Loader`] (threads, batch size).
pub fn build<I, C>(
    extractor: &Extractor,
    docs: I,
    store: &GraphStore,
    options: &BatchOptions,
    configure: C,
) -> Result<BuildReport, StoreError>
where
    I: IntoIterator<Item = Result<Document, InputError>>,
    C: FnOnce(Loader<'_>) -> Loader<'_> + Send,
{
    let skipped = std::cell::Cell::new(0);
    let fresh = docs.into_iter().filter(|item| match item {
        // A failed lookup does not skip: the loader looks again and reports the error.
        Ok(d) if store.is_stored(&d.id, &d.content_hash()).unwrap_or(false) => {
            skipped.set(skipped.get() + 1);
            false
        }
        _ => true,
    });
    let (sender, receiver) = std::sync::mpsc::sync_channel::<PreparedDocument>(options.chunk * 4);
    std::thread::scope(|scope| {
        let writer = scope.spawn(move || {
            let mut loader = configure(store.loader());
            for graph in receiver {
                loader.add(graph)?;
            }
            loader.finish()
        });
        // A send fails only when the writer stopped on an error, which join() returns.
        let batch = run_prepared(extractor, fresh, options, PreparedDocument::new, |p| {
            sender.send(p).map_err(|_| ())
        });
        drop(sender);
        let load = writer
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
        let batch = batch.map_err(|()| StoreError::Storage {
            context: "writing documents".into(),
            source: oxigraph::store::StorageError::Other("the store writer stopped".into()),
        })?;
        let mut load = load;
        load.unchanged += skipped.get();
        Ok(BuildReport {
            batch,
            load,
            skipped: skipped.get(),
        })
    })
}

/// Sentences in a document's body, as the pipeline splits them: tokenizing and splitting
/// again costs a few per cent of the analysis and keeps the extractor's API unchanged.
fn sentence_count(doc: &Document) -> usize {
    let body = crate::nlp::tokenize::clamp_range(&doc.text, doc.body_start..doc.text.len());
    let tokens = crate::nlp::tokenize::tokenize(&doc.text, body);
    crate::nlp::split::sentences(&doc.text, &tokens).len()
}

/// A bar on standard error when it is a terminal (nothing when piped or `--quiet`): documents
/// done, sentences and events, documents per second, and an ETA when the total is known.
fn progress_bar(wanted: bool, expected: Option<u64>) -> ProgressBar {
    if !wanted || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(expected, ProgressDrawTarget::stderr());
    let template = if expected.is_some() {
        "{bar:30} {pos}/{len} documents, {msg} [{elapsed_precise}, {per_sec}, ETA {eta}]"
    } else {
        "{spinner} {pos} documents, {msg} [{elapsed_precise}, {per_sec}]"
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar
}
