//! What the SPARQL 1.1 Protocol endpoint (`crate::serve`) needs below `GraphStore::query`:
//! evaluation that can be cancelled and streams its results, a protocol-supplied dataset,
//! updates, named-graph reads and writes, and a cheap fingerprint of the stored documents.
//!
//! Queries are evaluated on a snapshot of the store, so a long read never sees half of a
//! concurrent write. Cancellation uses oxigraph's token, which the evaluator checks on
//! every quad it reads from the store: a query stops within one index step of the token
//! being cancelled, except while it works on data it already holds in memory (sorting or
//! aggregating a materialised intermediate result), which runs to its end first.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use oxigraph::io::{RdfFormat, RdfParser, RdfSyntaxError};
use oxigraph::model::{GraphName, GraphNameRef, NamedNode, NamedOrBlankNode, Quad, Term, Triple};
use oxigraph::sparql::{
    CancellationToken, QueryResults, SparqlEvaluator, SparqlSyntaxError, UpdateEvaluationError,
};

use super::{storage, GraphStore, StoreError};
use crate::rdf::vocab::{self, gk};

/// The RDF dataset a protocol request names with `default-graph-uri` and `named-graph-uri`.
/// Empty lists leave the query's own `FROM`/`FROM NAMED` (or geokg's union default graph).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProtocolDataset {
    pub default_graphs: Vec<NamedNode>,
    pub named_graphs: Vec<NamedNode>,
}

/// Why a SPARQL Update or a graph write failed.
#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    #[error("SPARQL syntax error: {0}")]
    Syntax(#[from] SparqlSyntaxError),
    #[error("SPARQL update failed: {0}")]
    Evaluation(#[from] UpdateEvaluationError),
    #[error("the request body is not valid {format}: {source}")]
    Parse {
        format: &'static str,
        #[source]
        source: RdfSyntaxError,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl GraphStore {
    /// An evaluator with geokg's prefixes predeclared (as `geokg query` has them), that
    /// stops when `token` is cancelled.
    fn protocol_evaluator(token: CancellationToken) -> SparqlEvaluator {
        // Built without oxigraph's HTTP client, the evaluator has no SERVICE handler: a
        // federated query fails instead of making the server call out.
        let mut evaluator = SparqlEvaluator::new().with_cancellation_token(token);
        for (prefix, iri) in vocab::PREFIXES {
            if let Ok(with_prefix) = evaluator.clone().with_prefix(*prefix, *iri) {
                evaluator = with_prefix;
            }
        }
        evaluator
    }

    /// Starts a query on a snapshot of the store and returns its lazy results: solutions
    /// and triples are computed as the caller iterates them, so the caller decides how
    /// many to take and when to stop. Without a protocol dataset or `FROM`, the default
    /// graph is the union of all graphs, exactly as in [`GraphStore::query`].
    pub fn start_query(
        &self,
        sparql: &str,
        dataset: &ProtocolDataset,
        token: CancellationToken,
    ) -> Result<QueryResults<'static>, StoreError> {
        let mut prepared = Self::protocol_evaluator(token).parse_query(sparql)?;
        if !dataset.default_graphs.is_empty() || !dataset.named_graphs.is_empty() {
            let spec = prepared.dataset_mut();
            spec.set_default_graph(
                dataset
                    .default_graphs
                    .iter()
                    .cloned()
                    .map(GraphName::NamedNode)
                    .collect(),
            );
            if !dataset.named_graphs.is_empty() {
                spec.set_available_named_graphs(
                    dataset
                        .named_graphs
                        .iter()
                        .cloned()
                        .map(NamedOrBlankNode::NamedNode)
                        .collect(),
                );
            }
        } else if prepared.dataset().is_default_dataset() {
            prepared.dataset_mut().set_default_graph_as_union();
        }
        Ok(prepared.on_store(&self.store).execute()?)
    }

    /// Runs a SPARQL 1.1 Update in one transaction: all of it applies or none.
    /// Any document graph may change, so every document's cached statements are dropped
    /// first (the cache's rule: forget before the graph changes).
    pub fn update(&self, sparql: &str, token: CancellationToken) -> Result<(), UpdateError> {
        let prepared = Self::protocol_evaluator(token).parse_update(sparql)?;
        for doc in self.document_iris()? {
            if let Some(id) = vocab::document_id(doc.as_str()) {
                self.forget_cached(&id)?;
            }
        }
        prepared.on_store(&self.store).execute()?;
        Ok(())
    }

    /// Drops the cached statements of the document a graph holds, if it is a document's.
    fn forget_graph(&self, graph: Option<&NamedNode>) -> Result<(), StoreError> {
        match graph.and_then(|g| vocab::document_id(g.as_str())) {
            Some(id) => self.forget_cached(&id),
            None => Ok(()),
        }
    }

    /// The triples of one graph (`None`: the store's own default graph, which geokg leaves
    /// empty; a named graph that does not exist is empty too), read lazily.
    pub fn graph_triples(
        &self,
        graph: Option<&NamedNode>,
    ) -> impl Iterator<Item = Result<Triple, StoreError>> + 'static {
        let name = match graph {
            Some(g) => GraphNameRef::NamedNode(g.as_ref()),
            None => GraphNameRef::DefaultGraph,
        };
        self.store
            .quads_for_pattern(None, None, None, Some(name))
            .map(|quad| {
                quad.map(Triple::from)
                    .map_err(storage("reading a graph for the graph store protocol"))
            })
    }

    /// Whether a named graph holds any triple.
    pub fn has_graph(&self, graph: &NamedNode) -> Result<bool, StoreError> {
        self.store
            .contains_named_graph(graph)
            .map_err(storage(format!("looking up graph <{}>", graph.as_str())))
    }

    /// Writes `body` (in `format`) into a graph, first emptying it when `replace` (HTTP PUT)
    /// and adding to it otherwise (POST), in one transaction. Returns the triples parsed.
    pub fn write_graph(
        &self,
        graph: Option<&NamedNode>,
        format: RdfFormat,
        body: &[u8],
        replace: bool,
    ) -> Result<usize, UpdateError> {
        let name = match graph {
            Some(g) => GraphName::NamedNode(g.clone()),
            None => GraphName::DefaultGraph,
        };
        let mut quads = Vec::new();
        for quad in RdfParser::from_format(format)
            .without_named_graphs()
            .with_default_graph(name.clone())
            .for_slice(body)
        {
            quads.push(quad.map_err(|source| UpdateError::Parse {
                format: format.name(),
                source,
            })?);
        }
        let context = "writing a graph for the graph store protocol";
        self.forget_graph(graph)?;
        let mut transaction = self.store.start_transaction().map_err(storage(context))?;
        if replace {
            match &name {
                GraphName::NamedNode(g) => transaction
                    .remove_named_graph(g.as_ref())
                    .map_err(storage(context))?,
                _ => transaction
                    .clear_graph(GraphNameRef::DefaultGraph)
                    .map_err(storage(context))?,
            }
        }
        transaction.extend(quads.iter().map(Quad::as_ref));
        transaction.commit().map_err(storage(context))?;
        Ok(quads.len())
    }

    /// Drops a graph; returns whether it held anything.
    pub fn drop_graph(&self, graph: Option<&NamedNode>) -> Result<bool, StoreError> {
        let context = "dropping a graph for the graph store protocol";
        self.forget_graph(graph)?;
        let existed = match graph {
            Some(g) => self.has_graph(g)?,
            None => self
                .store
                .quads_for_pattern(None, None, None, Some(GraphNameRef::DefaultGraph))
                .next()
                .is_some(),
        };
        match graph {
            Some(g) => self.store.remove_named_graph(g).map_err(storage(context))?,
            None => self
                .store
                .clear_graph(GraphNameRef::DefaultGraph)
                .map_err(storage(context))?,
        }
        Ok(existed)
    }

    /// A hash of every stored document's id and content hash: it changes when a document
    /// is added, replaced or removed, and costs one index scan of one quad per document.
    pub fn fingerprint(&self) -> Result<u64, StoreError> {
        let mut pairs = Vec::new();
        for quad in self
            .store
            .quads_for_pattern(None, Some(gk::CONTENT_HASH), None, None)
        {
            let quad = quad.map_err(storage("fingerprinting the documents"))?;
            if let Term::Literal(hash) = quad.object {
                pairs.push((quad.graph_name.to_string(), hash.value().to_owned()));
            }
        }
        pairs.sort();
        let mut hasher = DefaultHasher::new();
        pairs.hash(&mut hasher);
        Ok(hasher.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::Literal;

    fn store() -> (tempfile::TempDir, GraphStore) {
        let dir = tempfile::tempdir().unwrap();
        let store = GraphStore::open(&dir.path().join("store")).unwrap();
        (dir, store)
    }

    #[test]
    fn a_cancelled_query_stops_with_an_error_instead_of_answering() {
        let (_dir, store) = store();
        let g = NamedNode::new_unchecked("https://example.org/g");
        let ttl = (0..200)
            .map(|i| format!("<https://example.org/s{i}> <https://example.org/p> {i} ."))
            .collect::<Vec<_>>()
            .join("\n");
        store
            .write_graph(Some(&g), RdfFormat::Turtle, ttl.as_bytes(), true)
            .unwrap();
        let token = CancellationToken::new();
        let results = store
            .start_query(
                "SELECT * WHERE { ?a ?p ?x . ?b ?p ?y }",
                &ProtocolDataset::default(),
                token.clone(),
            )
            .unwrap();
        token.cancel();
        let QueryResults::Solutions(mut solutions) = results else {
            panic!("a SELECT answers with solutions");
        };
        assert!(matches!(solutions.next(), Some(Err(_))));
    }

    #[test]
    fn put_replaces_a_graph_and_post_adds_to_it() {
        let (_dir, store) = store();
        let g = NamedNode::new_unchecked("https://example.org/g");
        let one = b"<https://example.org/a> <https://example.org/p> \"1\" .";
        let two = b"<https://example.org/a> <https://example.org/p> \"2\" .";
        store
            .write_graph(Some(&g), RdfFormat::NTriples, one, true)
            .unwrap();
        store
            .write_graph(Some(&g), RdfFormat::NTriples, two, false)
            .unwrap();
        assert_eq!(store.graph_triples(Some(&g)).count(), 2);
        store
            .write_graph(Some(&g), RdfFormat::NTriples, two, true)
            .unwrap();
        let triples: Vec<Triple> = store.graph_triples(Some(&g)).map(Result::unwrap).collect();
        assert_eq!(triples.len(), 1);
        assert_eq!(triples[0].object, Literal::new_simple_literal("2").into());
        assert!(store.drop_graph(Some(&g)).unwrap());
        assert!(!store.has_graph(&g).unwrap());
    }

    #[test]
    fn malformed_graph_bodies_are_refused_without_writing() {
        let (_dir, store) = store();
        let g = NamedNode::new_unchecked("https://example.org/g");
        let err = store.write_graph(Some(&g), RdfFormat::Turtle, b"<a> <b> .", true);
        assert!(matches!(err, Err(UpdateError::Parse { .. })));
        assert!(!store.has_graph(&g).unwrap());
    }

    #[test]
    fn updates_and_protocol_datasets_follow_the_sparql_spec() {
        let (_dir, store) = store();
        store
            .update(
                "INSERT DATA { GRAPH <https://example.org/g1> { <https://example.org/a> rdfs:label \"one\" } \
                 GRAPH <https://example.org/g2> { <https://example.org/b> rdfs:label \"two\" } }",
                CancellationToken::new(),
            )
            .unwrap();
        let count = |dataset: &ProtocolDataset| match store
            .start_query(
                "SELECT ?l WHERE { ?s rdfs:label ?l }",
                dataset,
                CancellationToken::new(),
            )
            .unwrap()
        {
            QueryResults::Solutions(s) => s.count(),
            _ => 0,
        };
        assert_eq!(count(&ProtocolDataset::default()), 2, "union default graph");
        let only_g1 = ProtocolDataset {
            default_graphs: vec![NamedNode::new_unchecked("https://example.org/g1")],
            named_graphs: Vec::new(),
        };
        assert_eq!(count(&only_g1), 1);
        assert!(store
            .update("INSERT DATA {", CancellationToken::new())
            .is_err());
    }
}
