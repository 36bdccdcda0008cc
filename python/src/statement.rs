//! `geokg.Statement` and `geokg.Node`: read-only views of the library's values, with
//! attribute access and `to_dict()` in the JSON Lines shape.

use geokg::model::{Node, Span, Statement};
use pyo3::prelude::*;

use crate::values::from_json;

/// One extracted fact: a CAMEO-coded event between actors, or a relation between an entity
/// and another node (``cameo`` is None). Attributes mirror the JSON Lines fields.
///
/// >>> s = geokg.Extractor().extract("Poland condemned Belarus on Thursday.", date="2025-03-07")[0]
/// >>> (s.subject.label, s.relation, s.cameo, s.object.label, s.date)
/// ('Poland', 'condemn', '111', 'Belarus', '2025-03-06')
#[pyclass(frozen, eq, module = "geokg", name = "Statement")]
#[derive(Clone, PartialEq)]
pub struct PyStatement(pub Statement);

fn span(s: &Span) -> (usize, usize) {
    (s.start, s.end)
}

#[pymethods]
impl PyStatement {
    /// Unique within the document: "s{sentence}-{n}".
    #[getter]
    fn id(&self) -> &str {
        &self.0.id
    }
    #[getter]
    fn doc(&self) -> &str {
        &self.0.doc
    }
    /// 0-based sentence index within the document.
    #[getter]
    fn sentence(&self) -> usize {
        self.0.sentence
    }
    /// The sentence the statement was read from.
    #[getter]
    fn evidence(&self) -> &str {
        &self.0.evidence
    }
    /// (start, end) character offsets of the sentence in the document text.
    #[getter]
    fn span(&self) -> (usize, usize) {
        span(&self.0.span)
    }
    /// (start, end) character offsets of the trigger words, when known.
    #[getter]
    fn trigger_span(&self) -> Option<(usize, usize)> {
        self.0.trigger_span.as_ref().map(span)
    }
    #[getter]
    fn subject(&self) -> PyNode {
        PyNode(self.0.subject.clone())
    }
    #[getter]
    fn object(&self) -> Option<PyNode> {
        self.0.object.clone().map(PyNode)
    }
    /// The trigger's lemma or the relation's name ("meet", "concerns").
    #[getter]
    fn relation(&self) -> &str {
        &self.0.relation
    }
    /// The PETRARCH/TABARI pattern that coded the event, with `dictionaries=`.
    #[getter]
    fn pattern(&self) -> Option<&str> {
        self.0.pattern.as_deref()
    }
    /// CAMEO event code ("042"); None for a relation.
    #[getter]
    fn cameo(&self) -> Option<&str> {
        self.0.cameo.as_deref()
    }
    /// The CAMEO root ("04"), for events.
    #[getter]
    fn cameo_root(&self) -> Option<&str> {
        self.0.cameo_root()
    }
    #[getter]
    fn plover(&self) -> Option<&str> {
        self.0.plover.as_deref()
    }
    #[getter]
    fn goldstein(&self) -> Option<f64> {
        self.0.goldstein
    }
    #[getter]
    fn quad_class(&self) -> Option<u8> {
        self.0.quad_class
    }
    /// ISO date the event happened or is expected ("2025-03-06"), or a coarser one ("2014").
    #[getter]
    fn date(&self) -> Option<&str> {
        self.0.date.as_deref()
    }
    /// asserted, negated, expected, hypothetical or reported.
    #[getter]
    fn modality(&self) -> &'static str {
        self.0.modality.as_str()
    }
    #[getter]
    fn confidence(&self) -> f64 {
        self.0.confidence
    }
    /// Who said it, for reported statements.
    #[getter]
    fn source(&self) -> Option<PyNode> {
        self.0.source.clone().map(PyNode)
    }
    /// Non-actor entities the event mentions (the deal being signed).
    #[getter]
    fn entities(&self) -> Vec<PyNode> {
        self.0.entities.iter().cloned().map(PyNode).collect()
    }

    /// The statement as `geokg extract --format jsonl` writes it, parsed: same keys, same
    /// order, optional fields left out when empty.
    ///
    /// >>> s.to_dict()["subject"]["actor_code"]
    /// 'POL'
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        from_json(py, &self.0)
    }

    /// The statement's JSON Lines line (without the newline).
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.0)
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))
    }

    fn __repr__(&self) -> String {
        let s = &self.0;
        format!(
            "<Statement {}:{} {} {} -{}-> {} {}>",
            s.doc,
            s.id,
            s.cameo.as_deref().unwrap_or("---"),
            s.subject.label,
            s.relation,
            s.object.as_ref().map_or("-", |o| o.label.as_str()),
            s.date.as_deref().unwrap_or("undated"),
        )
    }
}

/// An actor or entity as it stands in one statement, coded for the statement's date.
///
/// >>> s.subject.id, s.subject.type, s.subject.country
/// ('country-pol', 'Country', 'POL')
#[pyclass(frozen, eq, module = "geokg", name = "Node")]
#[derive(Clone, PartialEq)]
pub struct PyNode(pub Node);

#[pymethods]
impl PyNode {
    /// Stable identifier across documents ("donald-trump", "country-usa").
    #[getter]
    fn id(&self) -> &str {
        &self.0.id
    }
    #[getter]
    fn label(&self) -> &str {
        &self.0.label
    }
    /// Person, Country, Organisation, Group, Agreement, Weapon, Place or Thing.
    #[getter]
    fn r#type(&self) -> &'static str {
        self.0.kind.as_str()
    }
    /// Whether the node is an actor (person, country, organisation, group).
    #[getter]
    fn is_actor(&self) -> bool {
        self.0.kind.is_actor()
    }
    /// CAMEO actor code in force on the statement's date ("USAGOV").
    #[getter]
    fn actor_code(&self) -> Option<&str> {
        self.0.actor_code.as_deref()
    }
    /// ISO 3166-1 alpha-3 code of the actor's country.
    #[getter]
    fn country(&self) -> Option<&str> {
        self.0.country.as_deref()
    }
    #[getter]
    fn wikidata(&self) -> Option<&str> {
        self.0.wikidata.as_deref()
    }
    #[getter]
    fn role(&self) -> Option<&str> {
        self.0.role.as_deref()
    }
    /// The text this node was resolved from ("the US leader").
    #[getter]
    fn mention(&self) -> Option<&str> {
        self.0.mention.as_deref()
    }

    /// The node as it stands in the JSON Lines output.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        from_json(py, &self.0)
    }

    fn __repr__(&self) -> String {
        format!(
            "<Node {} {:?} {}>",
            self.0.id,
            self.0.label,
            self.0.kind.as_str()
        )
    }
}
