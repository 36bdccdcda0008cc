//! `geokg.Extractor`: the models and knowledge loaded once; documents in, statements out.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::mpsc::{sync_channel, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use geokg::batch::{self, BatchOptions, BatchReport};
use geokg::error::Location;
use geokg::extract::Extractor;
use geokg::input::{Document, ReadOptions, Record};
use geokg::model::Statement;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::docs::{date_text, PyDocs};
use crate::errors::{detached, guard, input_error, Failure};
use crate::statement::PyStatement;

/// Extracts CAMEO-coded events and relations from English news text.
///
/// Loads the tagger and parser models and the knowledge (actors, CAMEO table, event
/// lexicon, places) once; reuse one extractor for many documents. ``data`` is a folder laid
/// out like the repository's ``data/`` (as ``geokg extract --data``); ``dictionaries`` a
/// folder of PETRARCH-2/TABARI dictionaries coding in place of geokg's lexicon (or beside
/// it with ``with_lexicon=True``). Bad data files raise ``geokg.DataError``.
///
/// >>> ex = geokg.Extractor()
/// >>> [(s.subject.label, s.cameo, s.object.label) for s in ex.extract("Poland condemned Belarus.")]
/// [('Poland', '111', 'Belarus')]
#[pyclass(frozen, module = "geokg", name = "Extractor")]
pub struct PyExtractor {
    pub(crate) inner: Arc<Extractor>,
}

/// The extractor with the bundled data, shared by the calls that are given none.
pub(crate) fn bundled(py: Python<'_>) -> PyResult<Arc<Extractor>> {
    static BUNDLED: OnceLock<Arc<Extractor>> = OnceLock::new();
    if let Some(ex) = BUNDLED.get() {
        return Ok(ex.clone());
    }
    let loaded = detached(py, || {
        Ok(Arc::new(geokg::commands::load_extractor(
            None, None, false,
        )?))
    })?;
    Ok(BUNDLED.get_or_init(|| loaded).clone())
}

/// A rayon pool of `jobs` threads, or None for the global pool (all cores).
pub(crate) fn pool(jobs: Option<usize>) -> PyResult<Option<rayon::ThreadPool>> {
    match jobs {
        None => Ok(None),
        Some(0) => Err(PyValueError::new_err("jobs must be at least 1")),
        Some(j) => rayon::ThreadPoolBuilder::new()
            .num_threads(j)
            .build()
            .map(Some)
            .map_err(|e| PyValueError::new_err(e.to_string())),
    }
}

#[pymethods]
impl PyExtractor {
    #[new]
    #[pyo3(signature = (data=None, dictionaries=None, with_lexicon=false))]
    fn new(
        py: Python<'_>,
        data: Option<PathBuf>,
        dictionaries: Option<PathBuf>,
        with_lexicon: bool,
    ) -> PyResult<Self> {
        if data.is_none() && dictionaries.is_none() {
            return Ok(PyExtractor {
                inner: bundled(py)?,
            });
        }
        let inner = detached(py, || {
            Ok(geokg::commands::load_extractor(
                data.as_deref(),
                dictionaries.as_deref(),
                with_lexicon,
            )?)
        })?;
        Ok(PyExtractor {
            inner: Arc::new(inner),
        })
    }

    /// The statements of one document, in text order.
    ///
    /// ``date`` is the publication date (``"2025-03-07"`` or a ``datetime.date``) that
    /// relative dates resolve against; without it, a leading dateline gives it, as in
    /// ``geokg extract``. ``doc_id`` names the document in the statements (default
    /// ``"doc"``). An empty text or an unreadable date raises ``geokg.InputError``.
    ///
    /// >>> ex.extract("Trump met Starmer at the White House on Thursday.", date="2025-02-28")[0].date
    /// '2025-02-27'
    #[pyo3(signature = (text, date=None, doc_id=None))]
    fn extract(
        &self,
        py: Python<'_>,
        text: String,
        date: Option<&Bound<'_, PyAny>>,
        doc_id: Option<String>,
    ) -> PyResult<Vec<PyStatement>> {
        let record = Record {
            id: doc_id,
            date: date_text(date)?,
            text: Some(text),
            ..Record::default()
        };
        let ex = self.inner.clone();
        let statements = detached(py, move || {
            let origin = Location {
                file: PathBuf::from("<text>"),
                line: None,
            };
            let doc = Document::from_record(record, "doc", origin, &ReadOptions::default())?;
            Ok(ex.extract(&doc).statements)
        })?;
        Ok(statements.into_iter().map(PyStatement).collect())
    }

    /// Statements of many documents, as a stream: those of the first document, then of the
    /// second, and so on (input order, whatever ``jobs``). Each item of ``docs`` is a text,
    /// a dict shaped like a JSON Lines record (``{"id", "date", "text", "title", "url",
    /// "source"}``; ids default to ``doc-1``, ``doc-2``...), or a ``pathlib.Path`` of a
    /// ``.txt``/``.jsonl`` file or folder. Extraction runs on ``jobs`` threads (default: all
    /// cores) without the GIL while you consume the results; a progress bar shows on a
    /// terminal. Bad documents are skipped and raised together as one ``geokg.InputError``
    /// (``.problems`` lists them) once the others are done.
    ///
    /// >>> docs = [{"id": "a", "date": "2025-03-07", "text": "Poland condemned Belarus."}]
    /// >>> [s.cameo for s in ex.extract_many(docs, jobs=2)]
    /// ['111']
    #[pyo3(signature = (docs, jobs=None, *, progress=true))]
    fn extract_many(
        &self,
        docs: &Bound<'_, PyAny>,
        jobs: Option<usize>,
        progress: bool,
    ) -> PyResult<StatementStream> {
        let docs = PyDocs::new(docs, false, ReadOptions::default())?;
        let pool = pool(jobs)?;
        let ex = self.inner.clone();
        // Bounded, so extraction stays a little ahead of the consumer and no further.
        let (sender, receiver) = sync_channel::<Message>(256);
        let stopped = docs.stopped.clone();
        std::thread::Builder::new()
            .name("geokg-extract".into())
            .spawn(move || {
                let options = BatchOptions {
                    progress,
                    print_problems: false,
                    ..BatchOptions::default()
                };
                let result = guard(|| {
                    let run = || {
                        batch::run(&ex, docs, &options, |g| {
                            sender
                                .send(Message::Document(g.statements))
                                .map_err(|_| Failure::Internal("consumer gone".into()))
                        })
                    };
                    match &pool {
                        Some(p) => p.install(run),
                        None => run(),
                    }
                });
                let result = match stopped.lock().ok().and_then(|mut s| s.take()) {
                    Some(e) => Err(Failure::Python(e)),
                    None => result,
                };
                // The consumer may be gone; then nobody needs the end.
                let _ = sender.send(Message::End(result));
            })
            .map_err(|e| PyValueError::new_err(format!("cannot start a thread: {e}")))?;
        Ok(StatementStream {
            receiver: Mutex::new(receiver),
            pending: Mutex::new(VecDeque::new()),
            finished: Mutex::new(false),
        })
    }

    fn __repr__(&self) -> String {
        format!(
            "<geokg.Extractor{}>",
            if self.inner.dictionaries.is_some() {
                ", PETRARCH dictionaries"
            } else {
                ""
            }
        )
    }
}

enum Message {
    Document(Vec<Statement>),
    End(Result<BatchReport, Failure>),
}

/// The statements `Extractor.extract_many` yields, document after document.
#[pyclass(frozen, module = "geokg", name = "StatementStream")]
pub struct StatementStream {
    receiver: Mutex<Receiver<Message>>,
    pending: Mutex<VecDeque<Statement>>,
    finished: Mutex<bool>,
}

fn poisoned<T>(_: T) -> PyErr {
    pyo3::exceptions::PyRuntimeError::new_err("the statement stream was used from two threads")
}

#[pymethods]
impl StatementStream {
    fn __iter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<PyStatement>> {
        loop {
            if let Some(s) = self.pending.lock().map_err(poisoned)?.pop_front() {
                return Ok(Some(PyStatement(s)));
            }
            if *self.finished.lock().map_err(poisoned)? {
                return Ok(None);
            }
            let message = py.detach(|| {
                self.receiver
                    .lock()
                    .map(|r| r.recv_timeout(Duration::from_millis(100)))
                    .map_err(|_| ())
            });
            match message.map_err(poisoned)? {
                Ok(Message::Document(statements)) => {
                    self.pending.lock().map_err(poisoned)?.extend(statements);
                }
                Ok(Message::End(result)) => {
                    *self.finished.lock().map_err(poisoned)? = true;
                    return match result {
                        Ok(report) if report.problems.is_empty() => Ok(None),
                        Ok(report) => Err(input_error(py, report.problems, None)),
                        Err(f) => Err(f.into_pyerr(py)),
                    };
                }
                // Let Ctrl-C through while waiting.
                Err(RecvTimeoutError::Timeout) => py.check_signals()?,
                Err(RecvTimeoutError::Disconnected) => {
                    *self.finished.lock().map_err(poisoned)? = true;
                    return Err(
                        Failure::Internal("the extraction thread stopped".into()).into_pyerr(py)
                    );
                }
            }
        }
    }
}
