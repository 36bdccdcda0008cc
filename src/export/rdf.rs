//! The RDF behind a graph view: the documents' statements that a (filtered or
//! neighbourhood) projection kept, with their evidence and actor descriptions, in any RDF
//! syntax (JSON-LD and Turtle for linked-data tools, TriG and N-Quads with one named graph
//! per document).

use std::collections::HashSet;
use std::io::Write;

use crate::graph::ActorGraph;
use crate::model::DocumentGraph;
use crate::rdf::{self, RdfFormat};

/// The documents cut down to the statements that `graph` shows as edges. Relations to
/// entities (agreements, places) are kept when their subject or object is an actor the
/// graph shows, so "a minerals deal concerns Ukraine" survives a projection without
/// entity nodes. Documents left with no statement are dropped.
pub fn documents_shown(graph: &ActorGraph, docs: Vec<DocumentGraph>) -> Vec<DocumentGraph> {
    let g = graph.graph();
    let edges: HashSet<(&str, &str)> = g
        .edge_weights()
        .map(|e| (e.doc.as_str(), e.statement.as_str()))
        .collect();
    let shown = |id: &str| graph.node_index(id).is_some();
    docs.into_iter()
        .filter_map(|mut doc| {
            doc.statements.retain(|s| {
                edges.contains(&(doc.meta.id.as_str(), s.id.as_str()))
                    || (s.cameo.is_none()
                        && (shown(&s.subject.id)
                            || s.object.as_ref().is_some_and(|o| shown(&o.id))))
            });
            (!doc.statements.is_empty()).then_some(doc)
        })
        .collect()
}

/// Writes `docs` as RDF (see `rdf::write_documents`).
pub fn write(docs: &[DocumentGraph], format: RdfFormat, out: impl Write) -> std::io::Result<()> {
    rdf::write_documents(docs, format, out)
}
