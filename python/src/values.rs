//! Rust values to plain Python values.

use geokg::export::Value;
use oxigraph::model::{Term, TermRef};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyString};

/// A serialisable value as Python data, through its JSON form: exactly what the command
/// line prints with `--json` or in JSON Lines, key order included.
pub(crate) fn from_json<'py, T: serde::Serialize>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    let text = serde_json::to_string(value)
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
    py.import("json")?.getattr("loads")?.call1((text,))
}

/// An export attribute with its declared type: str, int, float or bool.
pub(crate) fn attribute<'py>(py: Python<'py>, value: &Value<'_>) -> Bound<'py, PyAny> {
    match value {
        Value::Text(s) => PyString::new(py, s).into_any(),
        Value::Integer(i) => PyInt::new(py, *i).into_any(),
        Value::Double(d) => PyFloat::new(py, *d).into_any(),
        Value::Boolean(b) => PyBool::new(py, *b).to_owned().into_any(),
    }
}

/// Attributes as a dict, in the formats' order.
pub(crate) fn attributes<'py>(
    py: Python<'py>,
    pairs: &[(&'static str, Value<'_>)],
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (name, value) in pairs {
        d.set_item(*name, attribute(py, value))?;
    }
    Ok(d)
}

const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

/// An RDF term as Python data: an IRI as its string, a blank node as `_:id`, a literal as
/// int, float or bool when its datatype says so (and its text parses), else its text.
pub(crate) fn term<'py>(py: Python<'py>, t: TermRef<'_>) -> PyResult<Bound<'py, PyAny>> {
    Ok(match t {
        TermRef::NamedNode(n) => PyString::new(py, n.as_str()).into_any(),
        TermRef::BlankNode(b) => PyString::new(py, &format!("_:{}", b.as_str())).into_any(),
        TermRef::Literal(l) => {
            let value = l.value();
            let kind = l.datatype().as_str().strip_prefix(XSD).unwrap_or("");
            match kind {
                "integer" | "int" | "long" | "short" | "byte" | "nonNegativeInteger"
                | "positiveInteger" | "negativeInteger" | "nonPositiveInteger" | "unsignedLong"
                | "unsignedInt" | "unsignedShort" | "unsignedByte" => {
                    match value.trim().parse::<i64>() {
                        Ok(i) => PyInt::new(py, i).into_any(),
                        // Beyond 64 bits: Python's int reads any size.
                        Err(_) => py
                            .get_type::<PyInt>()
                            .call1((value,))
                            .unwrap_or_else(|_| PyString::new(py, value).into_any()),
                    }
                }
                "decimal" | "double" | "float" => match value.trim().parse::<f64>() {
                    Ok(f) => PyFloat::new(py, f).into_any(),
                    Err(_) => PyString::new(py, value).into_any(),
                },
                "boolean" => match value.trim() {
                    "true" | "1" => PyBool::new(py, true).to_owned().into_any(),
                    "false" | "0" => PyBool::new(py, false).to_owned().into_any(),
                    _ => PyString::new(py, value).into_any(),
                },
                _ => PyString::new(py, value).into_any(),
            }
        }
        #[allow(unreachable_patterns)]
        other => PyString::new(py, &other.to_string()).into_any(),
    })
}

/// An optional term (an unbound variable is None).
pub(crate) fn optional_term<'py>(py: Python<'py>, t: Option<&Term>) -> PyResult<Bound<'py, PyAny>> {
    match t {
        Some(t) => term(py, t.as_ref()),
        None => Ok(py.None().into_bound(py)),
    }
}
