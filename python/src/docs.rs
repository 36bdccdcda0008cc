//! Documents from Python: texts, dicts shaped like the JSON Lines records, and paths of
//! files or folders (read by the library's `DocumentReader`, as the command line reads them).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use geokg::error::Location;
use geokg::input::{Document, DocumentReader, InputError, ReadOptions, Record};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyIterator, PyMapping, PyString};

use crate::errors::type_error;

/// Where the documents given as Python values are said to come from in messages
/// (`<docs>:3: missing "text" field` is the third item).
pub(crate) const ORIGIN: &str = "<docs>";

/// A date as given: None, an ISO string, or anything with `isoformat()` (datetime.date).
pub(crate) fn date_text(value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<String>> {
    match value {
        None => Ok(None),
        Some(v) if v.is_none() => Ok(None),
        Some(v) => {
            if let Ok(s) = v.cast::<PyString>() {
                return Ok(Some(s.to_cow()?.into_owned()));
            }
            if v.hasattr("isoformat")? {
                return Ok(Some(v.call_method0("isoformat")?.extract()?));
            }
            Err(type_error("a date as 'YYYY-MM-DD' or datetime.date", v))
        }
    }
}

fn optional_text<'py>(
    key: &str,
    get: &dyn Fn(&str) -> PyResult<Option<Bound<'py, PyAny>>>,
) -> PyResult<Option<String>> {
    match get(key)? {
        None => Ok(None),
        Some(v) if v.is_none() => Ok(None),
        Some(v) => match v.cast::<PyString>() {
            Ok(s) => Ok(Some(s.to_cow()?.into_owned())),
            Err(_) => Err(type_error(&format!("{key:?} as a string"), &v)),
        },
    }
}

/// A dict (or other mapping) with the JSON Lines fields: `text`, and optionally `id`
/// (string or int), `date` (string or datetime.date), `title`, `url`, `source`.
pub(crate) fn record(item: &Bound<'_, PyAny>) -> PyResult<Record> {
    let get = |key: &str| -> PyResult<Option<Bound<'_, PyAny>>> {
        if let Ok(d) = item.cast::<PyDict>() {
            return d.get_item(key);
        }
        let m = item.cast::<PyMapping>()?;
        if m.contains(key)? {
            Ok(Some(m.get_item(key)?))
        } else {
            Ok(None)
        }
    };
    let id = match get("id")? {
        None => None,
        Some(v) if v.is_none() => None,
        Some(v) => {
            if let Ok(s) = v.cast::<PyString>() {
                Some(s.to_cow()?.into_owned())
            } else if v.is_instance_of::<pyo3::types::PyInt>()
                && !v.is_instance_of::<pyo3::types::PyBool>()
            {
                Some(v.str()?.to_cow()?.into_owned())
            } else {
                return Err(type_error("\"id\" as a string or an int", &v));
            }
        }
    };
    let date = date_text(get("date")?.as_ref())?;
    Ok(Record {
        id,
        date,
        text: optional_text("text", &get)?,
        title: optional_text("title", &get)?,
        url: optional_text("url", &get)?,
        source: optional_text("source", &get)?,
    })
}

fn is_mapping(item: &Bound<'_, PyAny>) -> bool {
    item.cast::<PyDict>().is_ok() || item.cast::<PyMapping>().is_ok()
}

/// What one item of the caller's iterable is.
enum Item {
    Record(Record),
    Path(PathBuf),
}

/// An iterable of documents as the library's document stream. Items are taken from Python
/// one at a time (with the GIL, so this runs on any thread); a path expands to the documents
/// of its file or folder. Bad documents become `InputError`s and the stream goes on; an
/// exception from Python itself (the caller's iterator, a wrong type, Ctrl-C) ends the stream
/// and waits in `stopped` for the caller to raise.
pub(crate) struct PyDocs {
    items: Py<PyIterator>,
    /// Whether a str item is a path (`Store.build`) or a document text (`extract_many`).
    strings_are_paths: bool,
    options: ReadOptions,
    taken: usize,
    reader: Option<DocumentReader>,
    pub(crate) stopped: Arc<Mutex<Option<PyErr>>>,
}

impl PyDocs {
    /// `items` may be one document (a str, a dict, a path) or an iterable of them.
    pub(crate) fn new(
        items: &Bound<'_, PyAny>,
        strings_are_paths: bool,
        options: ReadOptions,
    ) -> PyResult<Self> {
        let single = items.cast::<PyString>().is_ok() || is_mapping(items) || is_path(items)?;
        let iter = if single {
            pyo3::types::PyTuple::new(items.py(), [items])?
                .into_any()
                .try_iter()?
        } else {
            items
                .try_iter()
                .map_err(|_| type_error("a document, a path, or an iterable of them", items))?
        };
        Ok(PyDocs {
            items: iter.unbind(),
            strings_are_paths,
            options,
            taken: 0,
            reader: None,
            stopped: Arc::new(Mutex::new(None)),
        })
    }

    fn take(&mut self) -> PyResult<Option<Item>> {
        Python::attach(|py| {
            py.check_signals()?;
            let mut iter = self.items.bind(py).clone();
            let Some(item) = iter.next() else {
                return Ok(None);
            };
            let item = item?;
            self.taken += 1;
            if let Ok(s) = item.cast::<PyString>() {
                let s = s.to_cow()?.into_owned();
                return Ok(Some(if self.strings_are_paths {
                    Item::Path(PathBuf::from(s))
                } else {
                    Item::Record(Record {
                        text: Some(s),
                        ..Record::default()
                    })
                }));
            }
            if is_mapping(&item) {
                return Ok(Some(Item::Record(record(&item)?)));
            }
            if is_path(&item)? {
                return Ok(Some(Item::Path(item.extract()?)));
            }
            Err(type_error(
                if self.strings_are_paths {
                    "a path or a dict with \"text\""
                } else {
                    "a text, a dict with \"text\" or a path"
                },
                &item,
            ))
        })
    }
}

fn is_path(item: &Bound<'_, PyAny>) -> PyResult<bool> {
    item.hasattr("__fspath__")
}

impl Iterator for PyDocs {
    type Item = Result<Document, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(reader) = &mut self.reader {
                if let Some(doc) = reader.next() {
                    return Some(doc);
                }
                self.reader = None;
            }
            match self.take() {
                Ok(None) => return None,
                Err(e) => {
                    if let Ok(mut slot) = self.stopped.lock() {
                        *slot = Some(e);
                    }
                    return None;
                }
                Ok(Some(Item::Path(p))) => {
                    self.reader = Some(DocumentReader::new(&[p], self.options.clone()));
                }
                Ok(Some(Item::Record(r))) => {
                    let origin = Location {
                        file: PathBuf::from(ORIGIN),
                        line: Some(self.taken),
                    };
                    let default_id = format!("doc-{}", self.taken);
                    return Some(Document::from_record(r, &default_id, origin, &self.options));
                }
            }
        }
    }
}
