//! The store read graph by graph, for copying it to another engine (`geokg push`): which
//! named graphs it holds, what identifies each one's content, and their triples.

use oxigraph::model::{
    GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Term,
};
use sha2::{Digest, Sha256};

use super::{storage, GraphStore, StoreError};
use crate::rdf::vocab::gk;

/// One named graph of the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredGraph {
    pub name: NamedNode,
    /// The document id when the graph holds a document; `None` for the ontology graph and
    /// any other graph a user loaded.
    pub document: Option<String>,
    /// Changes whenever the graph's content does: the document's content hash, or for
    /// other graphs a SHA-256 of their triples in sorted N-Triples.
    pub content_hash: String,
}

impl GraphStore {
    /// Every named graph, the ones that are not documents (the ontology) first, then the
    /// documents by id.
    pub fn named_graphs(&self) -> Result<Vec<StoredGraph>, StoreError> {
        let mut graphs = Vec::new();
        for name in self.store.named_graphs() {
            let name = match name.map_err(storage("listing named graphs"))? {
                NamedOrBlankNode::NamedNode(n) => n,
                // geokg never writes blank-node graph names; another tool's are not ours.
                NamedOrBlankNode::BlankNode(_) => continue,
            };
            let identifier = self.literal_about_itself(name.as_ref(), gk::IDENTIFIER)?;
            let hash = self.literal_about_itself(name.as_ref(), gk::CONTENT_HASH)?;
            let graph = match (identifier, hash) {
                (Some(id), Some(hash)) => StoredGraph {
                    name,
                    document: Some(id),
                    content_hash: hash,
                },
                _ => {
                    let content_hash = self.triples_hash(name.as_ref())?;
                    StoredGraph {
                        name,
                        document: None,
                        content_hash,
                    }
                }
            };
            graphs.push(graph);
        }
        graphs.sort_by(|a, b| {
            (a.document.is_some(), &a.document, a.name.as_str()).cmp(&(
                b.document.is_some(),
                &b.document,
                b.name.as_str(),
            ))
        });
        Ok(graphs)
    }

    /// The value of `<g> property "value"` inside graph `g`: how a document graph names
    /// itself.
    fn literal_about_itself(
        &self,
        graph: NamedNodeRef<'_>,
        property: NamedNodeRef<'_>,
    ) -> Result<Option<String>, StoreError> {
        let quad = self
            .store
            .quads_for_pattern(
                Some(NamedOrBlankNodeRef::NamedNode(graph)),
                Some(property),
                None,
                Some(GraphNameRef::NamedNode(graph)),
            )
            .next()
            .transpose()
            .map_err(storage(format!("reading graph <{}>", graph.as_str())))?;
        Ok(quad.and_then(|q| match q.object {
            Term::Literal(l) => Some(l.value().to_owned()),
            _ => None,
        }))
    }

    fn triples_hash(&self, graph: NamedNodeRef<'_>) -> Result<String, StoreError> {
        let mut lines: Vec<String> = self
            .graph_triples(Some(&graph.into_owned()))
            .collect::<Result<Vec<_>, _>>()?
            .iter()
            .map(ToString::to_string)
            .collect();
        lines.sort_unstable();
        let mut hasher = Sha256::new();
        for line in &lines {
            hasher.update(line.as_bytes());
            hasher.update(b"\n");
        }
        Ok(hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DocumentGraph, DocumentMeta};
    use crate::rdf::vocab;

    fn doc(id: &str, hash: &str) -> DocumentGraph {
        DocumentGraph {
            meta: DocumentMeta {
                id: id.into(),
                date: None,
                place: None,
                title: None,
                url: None,
                source: None,
                content_hash: hash.into(),
            },
            statements: Vec::new(),
        }
    }

    #[test]
    fn lists_documents_with_their_hashes_after_the_ontology() -> Result<(), StoreError> {
        let dir = tempfile::tempdir().map_err(|source| StoreError::Io {
            path: "tempdir".into(),
            source,
        })?;
        let store = GraphStore::open(dir.path())?;
        store.load_ontology()?;
        store.load([doc("b/2", "h2"), doc("a 1", "h1")])?;
        let graphs = store.named_graphs()?;
        let names: Vec<&str> = graphs.iter().map(|g| g.name.as_str()).collect();
        assert_eq!(
            names,
            [
                vocab::ONTOLOGY_GRAPH,
                vocab::document("a 1").as_str(),
                vocab::document("b/2").as_str()
            ]
        );
        assert_eq!(graphs[1].document.as_deref(), Some("a 1"));
        assert_eq!(graphs[1].content_hash, "h1");
        assert_eq!(graphs[0].document, None);
        assert_eq!(graphs[0].content_hash.len(), 64);
        let triples = store
            .graph_triples(Some(&graphs[2].name))
            .collect::<Result<Vec<_>, _>>()?;
        assert!(triples
            .iter()
            .any(|t| t.object.to_string() == "\"h2\"" && t.predicate == gk::CONTENT_HASH));
        Ok(())
    }

    #[test]
    fn ontology_hash_follows_its_content() -> Result<(), StoreError> {
        let dir = tempfile::tempdir().map_err(|source| StoreError::Io {
            path: "tempdir".into(),
            source,
        })?;
        let store = GraphStore::open(dir.path())?;
        store.load_ontology()?;
        let before = store.named_graphs()?[0].content_hash.clone();
        store.load_ontology()?;
        assert_eq!(store.named_graphs()?[0].content_hash, before);
        let onto = tempfile::tempdir().map_err(|source| StoreError::Io {
            path: "tempdir".into(),
            source,
        })?;
        std::fs::write(
            onto.path().join("x.ttl"),
            "<https://example.org/a> <https://example.org/b> \"c\" .",
        )
        .map_err(|source| StoreError::Io {
            path: onto.path().into(),
            source,
        })?;
        store.load_ontology_dir(onto.path())?;
        assert_ne!(store.named_graphs()?[0].content_hash, before);
        Ok(())
    }
}
