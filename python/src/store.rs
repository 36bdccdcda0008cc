//! `geokg.Store`: the on-disk oxigraph store the command line builds and queries.

use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use geokg::batch::BatchOptions;
use geokg::commands::{self, BuildOptions};
use geokg::input::{parse_date, ReadOptions};
use geokg::store::{GraphStore, QueryOutput};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};

use crate::docs::{date_text, PyDocs};
use crate::errors::{detached, input_error, Failure};
use crate::extractor::{bundled, pool, PyExtractor};
use crate::statement::PyStatement;
use crate::values::{from_json, optional_term, term};

/// A geokg store: one named graph per document in an embedded oxigraph (RocksDB) database
/// in the folder ``path`` (created when new), answering SPARQL 1.1, as ``geokg build`` and
/// ``geokg query --store path`` use it. One process opens a store at a time: ``close()`` it
/// (or use ``with``) before the command line opens it. Failures raise ``geokg.StoreError``.
///
/// >>> with geokg.Store("geokg-store") as store:
/// ...     store.build(["examples"])["documents"]
/// 5
#[pyclass(frozen, subclass, module = "geokg", name = "Store")]
pub struct PyStore {
    inner: RwLock<Option<Arc<GraphStore>>>,
    path: PathBuf,
}

impl PyStore {
    pub(crate) fn open(&self) -> PyResult<Arc<GraphStore>> {
        let closed = || {
            Python::attach(|py| {
                Failure::Store(format!("the store at {} is closed", self.path.display()))
                    .into_pyerr(py)
            })
        };
        match self.inner.read() {
            Ok(guard) => guard.clone().ok_or_else(closed),
            Err(_) => Err(closed()),
        }
    }
}

/// Query results as Python data: SELECT gives one dict per solution (every variable a key,
/// None where unbound), ASK a bool, CONSTRUCT/DESCRIBE dicts of subject, predicate, object.
fn results<'py>(py: Python<'py>, output: &QueryOutput) -> PyResult<Bound<'py, PyAny>> {
    match output {
        QueryOutput::Boolean(b) => Ok(pyo3::types::PyBool::new(py, *b).to_owned().into_any()),
        QueryOutput::Solutions { vars, rows } => {
            let names: Vec<Bound<'py, PyString>> =
                vars.iter().map(|v| PyString::new(py, v)).collect();
            let out = PyList::empty(py);
            for row in rows {
                let d = PyDict::new(py);
                for (name, value) in names.iter().zip(row) {
                    d.set_item(name, optional_term(py, value.as_ref())?)?;
                }
                out.append(d)?;
            }
            Ok(out.into_any())
        }
        QueryOutput::Graph(triples) => {
            let out = PyList::empty(py);
            for t in triples {
                let d = PyDict::new(py);
                d.set_item("subject", term(py, t.subject.as_ref().into())?)?;
                d.set_item("predicate", term(py, t.predicate.as_ref().into())?)?;
                d.set_item("object", term(py, t.object.as_ref())?)?;
                out.append(d)?;
            }
            Ok(out.into_any())
        }
    }
}

#[pymethods]
impl PyStore {
    #[new]
    fn new(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        let dir = path.clone();
        let store = detached(py, move || Ok(GraphStore::open(&dir)?))?;
        Ok(PyStore {
            inner: RwLock::new(Some(Arc::new(store))),
            path,
        })
    }

    /// The store's folder.
    #[getter]
    fn path(&self) -> PathBuf {
        self.path.clone()
    }

    /// Extracts documents and loads them, as ``geokg build``: ``paths_or_docs`` is a path
    /// (str or ``pathlib.Path``) of a ``.txt``/``.jsonl`` file or folder, a dict shaped like a
    /// JSON Lines record, or an iterable of these. Documents stored unchanged are skipped; a
    /// changed one replaces its graph. ``date`` is the publication date for documents that
    /// carry none (``--date``), ``jobs`` the threads (``--jobs``), ``extractor`` one made with
    /// other data (default: the bundled data). Returns the counts ``geokg build`` prints.
    /// Bad documents raise ``geokg.InputError`` once the others are stored (its ``.report``
    /// holds the counts).
    ///
    /// >>> store.build("examples/articles")
    /// {'documents': 5, 'added': 0, 'replaced': 0, 'unchanged': 5, ...}
    #[pyo3(signature = (paths_or_docs, *, extractor=None, date=None, jobs=None, progress=true))]
    fn build<'py>(
        &self,
        py: Python<'py>,
        paths_or_docs: &Bound<'py, PyAny>,
        extractor: Option<PyRef<'py, PyExtractor>>,
        date: Option<&Bound<'py, PyAny>>,
        jobs: Option<usize>,
        progress: bool,
    ) -> PyResult<Bound<'py, PyDict>> {
        let default_date = match date_text(date)? {
            Some(d) => Some(parse_date(&d).ok_or_else(|| {
                PyValueError::new_err(format!("date {d:?}: expected YYYY-MM-DD"))
            })?),
            None => None,
        };
        let docs = PyDocs::new(paths_or_docs, true, ReadOptions { default_date })?;
        let stopped = docs.stopped.clone();
        let ex = match extractor {
            Some(e) => e.inner.clone(),
            None => bundled(py)?,
        };
        let store = self.open()?;
        let pool = pool(jobs)?;
        let options = BuildOptions {
            batch: BatchOptions {
                progress,
                print_problems: false,
                ..BatchOptions::default()
            },
            threads: jobs,
            ..BuildOptions::default()
        };
        let built = detached(py, move || {
            let run = || commands::build(&ex, docs, &store, &options);
            let built = match &pool {
                Some(p) => p.install(run),
                None => run(),
            };
            if let Some(e) = stopped.lock().ok().and_then(|mut s| s.take()) {
                return Err(Failure::Python(e));
            }
            Ok(built?)
        })?;
        let (batch, load) = (&built.batch, &built.load);
        let report = PyDict::new(py);
        report.set_item("documents", batch.documents + built.skipped)?;
        report.set_item("added", load.added)?;
        report.set_item("replaced", load.replaced)?;
        report.set_item("unchanged", load.unchanged)?;
        report.set_item("sentences", batch.sentences)?;
        report.set_item("statements", batch.statements)?;
        report.set_item("events", batch.events)?;
        report.set_item("problems", PyList::new(py, &batch.problems)?)?;
        report.set_item("warnings", PyList::new(py, &batch.warnings)?)?;
        if !batch.problems.is_empty() {
            return Err(input_error(
                py,
                batch.problems.clone(),
                Some(report.into_any()),
            ));
        }
        Ok(report)
    }

    /// Deletes documents (their named graphs), as ``geokg remove``; returns how many of
    /// ``doc_ids`` (one id or several) were stored.
    ///
    /// >>> store.remove(["horn-border"])
    /// 1
    fn remove(&self, py: Python<'_>, doc_ids: &Bound<'_, PyAny>) -> PyResult<usize> {
        let ids: Vec<String> = if let Ok(s) = doc_ids.cast::<PyString>() {
            vec![s.to_cow()?.into_owned()]
        } else {
            doc_ids.extract()?
        };
        let store = self.open()?;
        detached(py, move || Ok(store.remove(&ids)?))
    }

    /// Runs a SPARQL 1.1 query over the union of the document graphs (geokg's prefixes gk:,
    /// cameo:, actor:, rdfs: ... predeclared), as ``geokg query``. SELECT gives a list of
    /// dicts, one per row, every variable a key (None where unbound): IRIs as strings,
    /// numbers and booleans as Python values, other literals as their text. ASK gives a bool;
    /// CONSTRUCT and DESCRIBE dicts of ``subject``, ``predicate``, ``object``. A query that
    /// does not parse raises ``geokg.QueryError`` with the parser's message.
    ///
    /// >>> store.query("SELECT (COUNT(*) AS ?n) WHERE { ?e a gk:Event }")
    /// [{'n': 40}]
    fn query<'py>(&self, py: Python<'py>, sparql: String) -> PyResult<Bound<'py, PyAny>> {
        let store = self.open()?;
        let output = detached(py, move || Ok(store.query(&sparql)?))?;
        results(py, &output)
    }

    /// Counts, as ``geokg stats``: documents, statements, events, relations, quads, events by
    /// CAMEO root (most first) and the most active actors.
    ///
    /// >>> store.stats()["events_by_root"]
    /// {'05': 8, '04': 7, '11': 6, ...}
    fn stats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let store = self.open()?;
        let s = detached(py, move || Ok(store.stats()?))?;
        let d = PyDict::new(py);
        d.set_item("documents", s.documents)?;
        d.set_item("statements", s.statements)?;
        d.set_item("events", s.events)?;
        d.set_item("relations", s.relations)?;
        d.set_item("quads", s.quads)?;
        let roots = PyDict::new(py);
        for (root, n) in &s.events_by_root {
            roots.set_item(root, n)?;
        }
        d.set_item("events_by_root", roots)?;
        let actors = PyList::empty(py);
        for a in &s.top_actors {
            let actor = PyDict::new(py);
            actor.set_item("id", &a.id)?;
            actor.set_item("label", &a.label)?;
            actor.set_item("events", a.events)?;
            actors.append(actor)?;
        }
        d.set_item("top_actors", actors)?;
        Ok(d)
    }

    /// The stored statements of one document, or of all (by document id, then in text order).
    #[pyo3(signature = (doc=None))]
    fn statements(&self, py: Python<'_>, doc: Option<String>) -> PyResult<Vec<PyStatement>> {
        let store = self.open()?;
        let statements = detached(py, move || Ok(store.statements(doc.as_deref())?))?;
        Ok(statements.into_iter().map(PyStatement).collect())
    }

    /// The stored documents' metadata (id, date, place, title, url, source, content_hash).
    fn documents<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let store = self.open()?;
        let metas = detached(py, move || Ok(store.documents()?))?;
        from_json(py, &metas)
    }

    /// Releases the store (its lock on the folder); later calls raise ``geokg.StoreError``.
    fn close(&self) {
        if let Ok(mut guard) = self.inner.write() {
            guard.take();
        }
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_args))]
    fn __exit__(&self, _args: &Bound<'_, pyo3::types::PyTuple>) -> bool {
        self.close();
        false
    }

    fn __repr__(&self) -> String {
        format!("<geokg.Store {}>", self.path.display())
    }
}
