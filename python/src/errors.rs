//! Library errors as Python exceptions. The classes live in `geokg/_errors.py` (so they can
//! also be `ValueError`s or `LookupError`s); their messages are the command line's.

use std::panic::{catch_unwind, AssertUnwindSafe};

use geokg::commands::CommandError;
use geokg::error::DataError;
use geokg::graph::GraphError;
use geokg::input::InputError;
use geokg::store::StoreError;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyList;

/// Why a call failed, held without the GIL until it is raised.
#[derive(Debug)]
pub(crate) enum Failure {
    /// Bad documents: one "file:line: message" each.
    Input(Vec<String>),
    /// A data folder or dictionary that does not load.
    Data(String),
    Store(String),
    /// A SPARQL query that does not parse or evaluate.
    Query(String),
    /// An actor name that names no actor, or several.
    Actor(String),
    /// A bad argument value (a filter's date, a centrality's name).
    Value(String),
    /// A panic caught at the boundary: a bug in geokg.
    Internal(String),
    /// An exception raised by Python code geokg called (the caller's iterator).
    Python(PyErr),
}

/// An error as the command line prints it: its message, then each cause's, joined by
/// ": " (anyhow's `{:#}`).
fn message(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

impl From<InputError> for Failure {
    fn from(e: InputError) -> Self {
        Failure::Input(vec![message(&e)])
    }
}

impl From<DataError> for Failure {
    fn from(e: DataError) -> Self {
        Failure::Data(message(&e))
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Syntax(_) | StoreError::Query(_) => Failure::Query(message(&e)),
            other => Failure::Store(message(&other)),
        }
    }
}

impl From<GraphError> for Failure {
    fn from(e: GraphError) -> Self {
        match e {
            GraphError::Lookup(l) => Failure::Actor(message(&l)),
            other => Failure::Value(message(&other)),
        }
    }
}

impl From<CommandError> for Failure {
    fn from(e: CommandError) -> Self {
        match e {
            CommandError::Data(d) => d.into(),
            CommandError::Lookup(l) => Failure::Actor(message(&l)),
            CommandError::UnknownCentrality(_)
            | CommandError::UnknownCountry(_)
            | CommandError::TwoLetterCountry(_)
            | CommandError::AmbiguousCountry { .. } => Failure::Value(message(&e)),
            CommandError::Statement { .. } | CommandError::Io { .. } => {
                Failure::Input(vec![message(&e)])
            }
        }
    }
}

impl From<PyErr> for Failure {
    fn from(e: PyErr) -> Self {
        Failure::Python(e)
    }
}

/// An instance of one of `geokg._errors`' classes, or the error met making it.
fn geokg_exception<'py>(
    py: Python<'py>,
    class: &str,
    message: &str,
) -> PyResult<Bound<'py, PyAny>> {
    py.import("geokg._errors")?
        .getattr(class)?
        .call1((message,))
}

impl Failure {
    pub(crate) fn into_pyerr(self, py: Python<'_>) -> PyErr {
        let (class, message) = match self {
            Failure::Python(e) => return e,
            Failure::Value(m) => return PyValueError::new_err(m),
            Failure::Input(problems) => return input_error(py, problems, None),
            Failure::Data(m) => ("DataError", m),
            Failure::Store(m) => ("StoreError", m),
            Failure::Query(m) => ("QueryError", m),
            Failure::Actor(m) => ("ActorNotFound", m),
            Failure::Internal(m) => ("InternalError", m),
        };
        match geokg_exception(py, class, &message) {
            Ok(exc) => PyErr::from_value(exc),
            Err(e) => e,
        }
    }
}

/// `geokg.InputError` for bad documents: its message is the problem (or the first of
/// several, with their number), `.problems` lists them all, `.report` holds what was done
/// with the other documents when there was a batch.
pub(crate) fn input_error(
    py: Python<'_>,
    problems: Vec<String>,
    report: Option<Bound<'_, PyAny>>,
) -> PyErr {
    let message = match problems.as_slice() {
        [one] => one.clone(),
        [first, ..] => format!(
            "{} input problems; the other documents were processed. First: {first}",
            problems.len()
        ),
        [] => "input problem".to_string(),
    };
    let made = (|| -> PyResult<Bound<'_, PyAny>> {
        let exc = geokg_exception(py, "InputError", &message)?;
        exc.setattr("problems", PyList::new(py, &problems)?)?;
        exc.setattr("report", report)?;
        Ok(exc)
    })();
    match made {
        Ok(exc) => PyErr::from_value(exc),
        Err(e) => e,
    }
}

/// Runs `f`, turning a panic into [`Failure::Internal`] so that none reaches Python.
pub(crate) fn guard<T>(f: impl FnOnce() -> Result<T, Failure>) -> Result<T, Failure> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        Err(Failure::Internal(format!(
            "internal error in geokg (please report it): {what}"
        )))
    })
}

/// `f` without the GIL, guarded; its failure raised as the matching exception.
pub(crate) fn detached<T: Send>(
    py: Python<'_>,
    f: impl FnOnce() -> Result<T, Failure> + Send,
) -> PyResult<T> {
    py.detach(|| guard(f)).map_err(|e| e.into_pyerr(py))
}

pub(crate) fn type_error(what: &str, found: &Bound<'_, PyAny>) -> PyErr {
    let name = found
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".to_string());
    PyTypeError::new_err(format!("expected {what}, found {name}"))
}
