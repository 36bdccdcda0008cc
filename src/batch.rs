//! Running the extractor over a stream of documents: in parallel, in input order, with
//! problems reported per file and line while the rest of the batch goes on.

use crate::extract::Extractor;
use crate::input::{Document, InputError};
use crate::model::DocumentGraph;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use std::io::IsTerminal;

/// What a batch run did.
#[derive(Debug, Default, Clone)]
pub struct BatchReport {
    pub documents: usize,
    pub statements: usize,
    pub events: usize,
    /// One line per input problem: "file:line: message".
    pub problems: Vec<String>,
}

/// How a batch runs.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    /// Documents extracted together; results are handed on in input order.
    pub chunk: usize,
    /// Show a progress bar on standard error when it is a terminal.
    pub progress: bool,
}

impl Default for BatchOptions {
    fn default() -> Self {
        BatchOptions {
            chunk: 64,
            progress: true,
        }
    }
}

/// Extracts every document `docs` yields and passes each result to `sink`, in input order.
/// Parallelism comes from the current rayon pool (`--jobs`); the output does not depend on it.
pub fn run<I, F, E>(
    extractor: &Extractor,
    docs: I,
    options: &BatchOptions,
    mut sink: F,
) -> Result<BatchReport, E>
where
    I: IntoIterator<Item = Result<Document, InputError>>,
    F: FnMut(DocumentGraph) -> Result<(), E>,
{
    let bar = progress_bar(options.progress);
    let mut report = BatchReport::default();
    let mut chunk: Vec<Document> = Vec::with_capacity(options.chunk);
    let mut iter = docs.into_iter();
    loop {
        chunk.clear();
        for item in iter.by_ref() {
            match item {
                Ok(d) => chunk.push(d),
                Err(e) => {
                    bar.suspend(|| eprintln!("geokg: {e}"));
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
        let results: Vec<DocumentGraph> = chunk.par_iter().map(|d| extractor.extract(d)).collect();
        for graph in results {
            report.documents += 1;
            report.statements += graph.statements.len();
            report.events += graph
                .statements
                .iter()
                .filter(|s| s.cameo.is_some())
                .count();
            sink(graph)?;
        }
        bar.set_position(report.documents as u64);
        bar.set_message(format!("{} statements", report.statements));
    }
    bar.finish_and_clear();
    Ok(report)
}

fn progress_bar(wanted: bool) -> ProgressBar {
    if !wanted || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} {pos} documents, {msg} [{elapsed_precise}, {per_sec}]",
    ) {
        bar.set_style(style);
    }
    bar
}
