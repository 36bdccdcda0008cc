//! The persistent knowledge graph: an oxigraph store (RocksDB) in a directory.
//!
//! Each document lives in its own named graph, named by the document's IRI
//! (`https://w3id.org/geokg/id/doc/{id}`), together with its bookkeeping (id and content
//! hash on the document node). Replacing or deleting a document is therefore dropping one
//! graph, and nothing about a removed document stays behind. Queries see the union of all
//! graphs as their default graph, so users never need `GRAPH` clauses; the ontology
//! (with CAMEO concept labels when present) sits in its own graph and is part of that union.
//!
//! Writes are atomic per step: a changed document is swapped in one transaction, new
//! documents are written in batches that each commit or not at all, so an error in the
//! middle of a load never loses what was stored before it.

mod cache;
pub mod endpoint;
pub mod graphs;
mod loader;
mod results;

pub use loader::{Loader, PreparedDocument};
pub use results::{QueryOutput, ResultFormat, UnknownResultFormat};

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use cache::StatementCache;
use indexmap::IndexMap;
use oxigraph::io::{RdfFormat, RdfParser, RdfSyntaxError};
use oxigraph::model::vocab::rdf;
use oxigraph::model::{
    Graph, GraphName, GraphNameRef, NamedNode, NamedNodeRef, Quad, Term, Triple,
};
use oxigraph::sparql::{QueryEvaluationError, QueryResults, SparqlEvaluator, SparqlSyntaxError};
use oxigraph::store::{BulkLoader, StorageError, Store};
use rayon::prelude::*;

use crate::model::{DocumentGraph, DocumentMeta, Statement};
use crate::rdf::vocab::{self, gk};
use crate::rdf::{self as mapping, RdfError};

/// The bundled ontology, so the binary is self-contained.
const GEOKG_TTL: &str = include_str!("../../ontology/geokg.ttl");
/// The CAMEO concept scheme, generated from data/cameo/cameo.tsv.
const CAMEO_TTL: &str = include_str!("../../ontology/cameo.ttl");

/// How many actors [`GraphStore::stats`] lists.
pub const TOP_ACTORS: usize = 10;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "the store at {} is in use by another process; close it, or choose another store \
         directory (--store or GEOKG_STORE)",
        dir.display()
    )]
    Locked { dir: PathBuf },
    #[error(
        "{} is not a geokg store: it is {why}; choose an empty or new directory",
        dir.display()
    )]
    NotAStore { dir: PathBuf, why: String },
    #[error(
        "cannot open the store at {}: {source}. If a build was interrupted or the disk \
         filled up, the store may be damaged: delete the folder and run `geokg build` \
         again (the input is the source of truth), or move it aside to keep it",
        dir.display()
    )]
    Open {
        dir: PathBuf,
        #[source]
        source: StorageError,
    },
    #[error("store failure while {context}: {source}")]
    Storage {
        context: String,
        #[source]
        source: StorageError,
    },
    #[error("document {doc:?} is not valid: {why}")]
    InvalidDocument { doc: String, why: String },
    #[error("no document {0:?} in the store")]
    UnknownDocument(String),
    #[error("document {doc:?} in the store cannot be read back: {source}")]
    Decode {
        doc: String,
        #[source]
        source: RdfError,
    },
    #[error("SPARQL syntax error: {0}")]
    Syntax(#[from] SparqlSyntaxError),
    #[error("SPARQL evaluation failed: {0}")]
    Query(#[from] QueryEvaluationError),
    #[error("ontology file {file} does not parse: {source}")]
    Ontology {
        file: String,
        #[source]
        source: RdfSyntaxError,
    },
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

fn storage(context: impl Into<String>) -> impl FnOnce(StorageError) -> StoreError {
    let context = context.into();
    move |source| StoreError::Storage { context, source }
}

/// What [`GraphStore::load`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadReport {
    /// Documents not in the store before.
    pub added: usize,
    /// Documents whose content hash changed: their graph was replaced.
    pub replaced: usize,
    /// Documents already stored with the same content hash: skipped without writing.
    pub unchanged: usize,
    pub quads_written: usize,
}

/// An actor and the number of events it takes part in (as subject or object).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorCount {
    pub id: String,
    pub label: String,
    pub events: usize,
}

/// Size and shape of the stored graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stats {
    pub documents: usize,
    /// Events plus relations.
    pub statements: usize,
    pub events: usize,
    pub relations: usize,
    /// (CAMEO root code, number of events), most frequent first.
    pub events_by_root: Vec<(String, usize)>,
    /// The [`TOP_ACTORS`] actors in most events, most first.
    pub top_actors: Vec<ActorCount>,
    /// All quads, the ontology graph included.
    pub quads: usize,
}

/// geokg's knowledge graph on disk.
pub struct GraphStore {
    store: Store,
    dir: PathBuf,
    cache: StatementCache,
}

impl GraphStore {
    /// The store directory used when none is given (relative to the working directory);
    /// the CLI lets `GEOKG_STORE` override it.
    pub const DEFAULT_DIR: &'static str = "geokg-store";

    /// Opens the store in `dir`, creating it when the directory is new or empty. Refuses a
    /// directory holding other files (RocksDB would otherwise write its files among them).
    pub fn open(dir: &Path) -> Result<Self, StoreError> {
        let io = |source| StoreError::Io {
            path: dir.to_path_buf(),
            source,
        };
        if dir.exists() {
            if !dir.is_dir() {
                return Err(StoreError::NotAStore {
                    dir: dir.to_path_buf(),
                    why: "a file, not a directory".into(),
                });
            }
            let has_entries = fs::read_dir(dir).map_err(io)?.next().is_some();
            if has_entries && !dir.join("CURRENT").is_file() {
                return Err(StoreError::NotAStore {
                    dir: dir.to_path_buf(),
                    why: "a non-empty directory without a RocksDB database".into(),
                });
            }
        }
        let store = Store::open(dir).map_err(|source| {
            if source.to_string().to_ascii_lowercase().contains("lock") {
                StoreError::Locked {
                    dir: dir.to_path_buf(),
                }
            } else {
                StoreError::Open {
                    dir: dir.to_path_buf(),
                    source,
                }
            }
        })?;
        remove_bulk_leftovers(dir);
        Ok(Self {
            store,
            dir: dir.to_path_buf(),
            cache: StatementCache::in_store(dir),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The underlying oxigraph store, for callers that need its full API.
    pub fn oxigraph(&self) -> &Store {
        &self.store
    }

    /// Loads documents (see the module docs for atomicity). A document whose id and content
    /// hash are already stored is skipped without writing; one whose hash changed has its
    /// graph replaced; a document repeated in `docs` counts once, its last version winning.
    pub fn load(
        &self,
        docs: impl IntoIterator<Item = DocumentGraph>,
    ) -> Result<LoadReport, StoreError> {
        let mut loader = self.loader();
        for doc in docs {
            loader.add(doc)?;
        }
        loader.finish()
    }

    /// A streaming writer: documents go in one at a time and are written in batches of
    /// quads, so memory stays bounded whatever the size of the input.
    pub fn loader(&self) -> Loader<'_> {
        Loader::new(self)
    }

    /// Whether the document `doc_id` is stored with this content hash, so that loading it
    /// again would change nothing (callers use it to skip the extraction too).
    pub fn is_stored(&self, doc_id: &str, content_hash: &str) -> Result<bool, StoreError> {
        Ok(self.stored_hash(doc_id)?.as_deref() == Some(content_hash))
    }

    /// The content hash stored for a document, if the document is stored.
    fn stored_hash(&self, doc_id: &str) -> Result<Option<String>, StoreError> {
        let doc = vocab::document(doc_id);
        let context = || format!("looking up document {doc_id:?}");
        // A point lookup in the list of graphs answers "not stored" for a new document
        // without scanning the quad index, whose overlapping files a build piles up.
        if !self
            .store
            .contains_named_graph(doc.as_ref())
            .map_err(storage(context()))?
        {
            return Ok(None);
        }
        let quad = self
            .store
            .quads_for_pattern(
                Some(doc.as_ref().into()),
                Some(gk::CONTENT_HASH),
                None,
                Some(GraphNameRef::NamedNode(doc.as_ref())),
            )
            .next()
            .transpose()
            .map_err(storage(context()))?;
        Ok(quad.and_then(|q| match q.object {
            Term::Literal(l) => Some(l.value().to_owned()),
            _ => None,
        }))
    }

    /// Swaps a document's graph for its new content in one transaction.
    fn replace(&self, doc: &DocumentGraph) -> Result<usize, StoreError> {
        let context = || format!("replacing document {:?}", doc.meta.id);
        let graph = vocab::document(&doc.meta.id);
        let quads = mapping::document_quads(doc);
        self.forget_cached(&doc.meta.id)?;
        let mut transaction = self.store.start_transaction().map_err(storage(context()))?;
        transaction
            .remove_named_graph(graph.as_ref())
            .map_err(storage(context()))?;
        transaction.extend(&quads);
        transaction.commit().map_err(storage(context()))?;
        Ok(quads.len())
    }

    /// Writes a few new documents in one transaction (the tail of a load; full batches go
    /// through the [`Loader`]'s bulk load).
    fn write_small(
        &self,
        pending: IndexMap<String, (String, Vec<Quad>)>,
    ) -> Result<usize, StoreError> {
        let count: usize = pending.values().map(|(_, quads)| quads.len()).sum();
        if count == 0 {
            return Ok(0);
        }
        let context = format!("writing {} new documents", pending.len());
        for id in pending.keys() {
            self.forget_cached(id)?;
        }
        let quads: Vec<Quad> = pending.into_values().flat_map(|(_, quads)| quads).collect();
        let mut transaction = self
            .store
            .start_transaction()
            .map_err(storage(context.clone()))?;
        transaction.extend(&quads);
        transaction.commit().map_err(storage(context))?;
        Ok(count)
    }

    /// A bulk load into this store: atomic (nothing is visible before `commit`), on
    /// `threads` threads (all cores when `None`), each sorting one batch of `batch_quads`
    /// at a time. oxigraph sizes its batches from a memory figure (a thousand quads per
    /// megabyte per thread). A batch we hand over holds `batch_quads` plus the rest of its
    /// last document, so oxigraph is given twice that: were it given exactly ours, it would
    /// cut that rest off into a batch of its own, a few hundred quads written as one more
    /// file per index, doubling the overlapping files RocksDB has to compact and search.
    fn bulk_loader(&self, threads: Option<usize>, batch_quads: usize) -> BulkLoader<'_> {
        let threads = threads.unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
        });
        self.store
            .bulk_loader()
            .with_num_threads(threads.max(1))
            .with_max_memory_size_in_megabytes(
                batch_quads
                    .saturating_mul(2)
                    .div_ceil(1000)
                    .max(1)
                    .saturating_mul(threads.max(1)),
            )
    }

    /// Removes documents (their whole graphs) in one transaction; returns how many of
    /// `doc_ids` were stored.
    pub fn remove(&self, doc_ids: &[String]) -> Result<usize, StoreError> {
        let context = "removing documents";
        for id in doc_ids {
            self.forget_cached(id)?;
        }
        let mut transaction = self.store.start_transaction().map_err(storage(context))?;
        let mut removed = 0;
        for id in doc_ids.iter().collect::<HashSet<_>>() {
            let graph = vocab::document(id);
            if transaction
                .contains_named_graph(graph.as_ref())
                .map_err(storage(context))?
            {
                transaction
                    .remove_named_graph(graph.as_ref())
                    .map_err(storage(context))?;
                removed += 1;
            }
        }
        transaction.commit().map_err(storage(context))?;
        Ok(removed)
    }

    /// Document IRIs in the store, each from its own graph, sorted.
    fn document_iris(&self) -> Result<Vec<NamedNode>, StoreError> {
        let mut docs = Vec::new();
        for quad in
            self.store
                .quads_for_pattern(None, Some(rdf::TYPE), Some(gk::DOCUMENT.into()), None)
        {
            let quad = quad.map_err(storage("listing documents"))?;
            if let (oxigraph::model::NamedOrBlankNode::NamedNode(s), GraphName::NamedNode(g)) =
                (quad.subject, quad.graph_name)
            {
                if s == g {
                    docs.push(s);
                }
            }
        }
        docs.sort();
        docs.dedup();
        Ok(docs)
    }

    /// All triples of one named graph, in memory.
    fn graph(
        &self,
        name: NamedNodeRef<'_>,
        subject: Option<NamedNodeRef<'_>>,
    ) -> Result<Graph, StoreError> {
        let mut graph = Graph::new();
        for quad in self.store.quads_for_pattern(
            subject.map(Into::into),
            None,
            None,
            Some(GraphNameRef::NamedNode(name)),
        ) {
            let quad = quad.map_err(storage(format!("reading graph <{}>", name.as_str())))?;
            graph.insert(&Triple::from(quad));
        }
        Ok(graph)
    }

    /// Metadata of every stored document, sorted by id.
    pub fn documents(&self) -> Result<Vec<DocumentMeta>, StoreError> {
        let mut metas = Vec::new();
        for doc in self.document_iris()? {
            let graph = self.graph(doc.as_ref(), Some(doc.as_ref()))?;
            let meta = mapping::document_meta_from_rdf(&graph, doc.as_ref()).map_err(|source| {
                StoreError::Decode {
                    doc: doc.as_str().to_owned(),
                    source,
                }
            })?;
            metas.push(meta);
        }
        metas.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(metas)
    }

    /// One stored document, read back whole.
    pub fn document(&self, doc_id: &str) -> Result<DocumentGraph, StoreError> {
        let name = vocab::document(doc_id);
        let graph = self.graph(name.as_ref(), None)?;
        if graph.is_empty() {
            return Err(StoreError::UnknownDocument(doc_id.to_owned()));
        }
        mapping::document_from_rdf(&graph).map_err(|source| StoreError::Decode {
            doc: doc_id.to_owned(),
            source,
        })
    }

    /// Statements of one document, or of all documents (by document id, then in their
    /// original order), read back from the RDF, or from the statement cache when it holds
    /// the document at its stored content hash (see `cache`).
    pub fn statements(&self, doc: Option<&str>) -> Result<Vec<Statement>, StoreError> {
        match doc {
            Some(id) => Ok(self.document(id)?.statements),
            None => {
                let per_doc = self
                    .documents()?
                    .par_iter()
                    .map(|meta| self.cached_statements(meta))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(per_doc.into_iter().flatten().collect())
            }
        }
    }

    fn cached_statements(&self, meta: &DocumentMeta) -> Result<Vec<Statement>, StoreError> {
        if let Some(statements) = self.cache.read(&meta.id, &meta.content_hash) {
            return Ok(statements);
        }
        let statements = self.document(&meta.id)?.statements;
        // A store folder we may not write to still reads; it only stays uncached.
        let _ = self.cache.write(&meta.id, &meta.content_hash, &statements);
        Ok(statements)
    }

    /// Caches a document's statements, encoded by [`StatementCache::encode`], so its first
    /// read needs no RDF decoding. A cache that cannot be written only makes reads slower.
    fn cache_encoded(&self, doc_id: &str, content_hash: &str, bytes: &[u8]) {
        let _ = self.cache.write_encoded(doc_id, content_hash, bytes);
    }

    /// Drops a document's cached statements before its graph changes.
    fn forget_cached(&self, doc_id: &str) -> Result<(), StoreError> {
        self.cache.forget(doc_id).map_err(|source| StoreError::Io {
            path: self.dir.clone(),
            source,
        })
    }

    /// Runs a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE). Unless the query names its
    /// own dataset (FROM), the default graph is the union of all graphs. geokg's prefixes
    /// (gk:, cameo:, actor:, rdfs: ...) are predeclared. The union is a multiset: a triple
    /// stored in several document graphs (an actor's label) matches once per graph, so
    /// queries over node descriptions want `SELECT DISTINCT`.
    pub fn query(&self, sparql: &str) -> Result<QueryOutput, StoreError> {
        let mut evaluator = SparqlEvaluator::new();
        for (prefix, iri) in vocab::PREFIXES {
            // The prefixes are constants checked by the tests; a bad one is skipped.
            if let Ok(with_prefix) = evaluator.clone().with_prefix(*prefix, *iri) {
                evaluator = with_prefix;
            }
        }
        let mut prepared = evaluator.parse_query(sparql)?;
        if prepared.dataset().is_default_dataset() {
            prepared.dataset_mut().set_default_graph_as_union();
        }
        Ok(match prepared.on_store(&self.store).execute()? {
            QueryResults::Solutions(solutions) => {
                let vars = solutions
                    .variables()
                    .iter()
                    .map(|v| v.as_str().to_owned())
                    .collect();
                let mut rows = Vec::new();
                for solution in solutions {
                    rows.push(solution?.values().to_vec());
                }
                QueryOutput::Solutions { vars, rows }
            }
            QueryResults::Boolean(value) => QueryOutput::Boolean(value),
            QueryResults::Graph(triples) => QueryOutput::Graph(triples.collect::<Result<_, _>>()?),
        })
    }

    /// Counts of documents, statements and events, events by CAMEO root, top actors.
    pub fn stats(&self) -> Result<Stats, StoreError> {
        // Counted from the statements (the cache when it holds them), not by SPARQL: the
        // aggregates over the union of every document graph take minutes on a large store,
        // and the statements are what those graphs were written from.
        let statements = self.statements(None)?;
        let mut events = 0;
        let mut by_root: IndexMap<&str, usize> = IndexMap::new();
        // actor id -> (label, events)
        let mut actors: IndexMap<&str, (&str, usize)> = IndexMap::new();
        for st in &statements {
            if st.cameo.is_none() {
                continue;
            }
            events += 1;
            if let Some(root) = st.cameo_root() {
                *by_root.entry(root).or_default() += 1;
            }
            let object = st.object.as_ref().filter(|o| o.id != st.subject.id);
            for node in std::iter::once(&st.subject).chain(object) {
                if node.kind.is_actor() {
                    actors.entry(&node.id).or_insert((&node.label, 0)).1 += 1;
                }
            }
        }
        let mut events_by_root: Vec<(String, usize)> = by_root
            .into_iter()
            .map(|(root, n)| (root.to_owned(), n))
            .collect();
        events_by_root.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let mut top: Vec<(String, &str, &str, usize)> = actors
            .into_iter()
            .map(|(id, (label, n))| (vocab::actor(id).into_string(), id, label, n))
            .collect();
        top.sort_by(|a, b| b.3.cmp(&a.3).then_with(|| a.0.cmp(&b.0)));
        let top_actors = top
            .into_iter()
            .take(TOP_ACTORS)
            .map(|(_, id, label, events)| ActorCount {
                id: id.to_owned(),
                label: label.to_owned(),
                events,
            })
            .collect();
        Ok(Stats {
            documents: self.document_iris()?.len(),
            statements: statements.len(),
            events,
            relations: statements.len() - events,
            events_by_root,
            top_actors,
            quads: self.store.len().map_err(storage("counting quads"))?,
        })
    }

    /// Loads the bundled ontology (`ontology/geokg.ttl`) and CAMEO concept scheme
    /// (`ontology/cameo.ttl`) into the graph `https://w3id.org/geokg/ontology`, replacing
    /// what was there.
    pub fn load_ontology(&self) -> Result<(), StoreError> {
        self.replace_ontology(&[
            ("geokg.ttl".to_owned(), GEOKG_TTL.to_owned()),
            ("cameo.ttl".to_owned(), CAMEO_TTL.to_owned()),
        ])
    }

    /// Loads every `*.ttl` file of `dir` as the ontology graph, replacing what was there:
    /// for a user who edits the ontology or the CAMEO scheme without recompiling.
    pub fn load_ontology_dir(&self, dir: &Path) -> Result<(), StoreError> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| StoreError::Io { path, source }
        };
        let mut paths: Vec<PathBuf> = fs::read_dir(dir)
            .map_err(io(dir))?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "ttl"))
            .collect();
        paths.sort();
        let mut files = Vec::new();
        for path in paths {
            let text = fs::read_to_string(&path).map_err(io(&path))?;
            files.push((path.display().to_string(), text));
        }
        self.replace_ontology(&files)
    }

    /// Whether graph `name` holds exactly `quads` (all in that graph, none blank).
    fn holds_exactly(&self, name: NamedNodeRef<'_>, quads: &[Quad]) -> Result<bool, StoreError> {
        let context = "reading the ontology";
        let stored = self
            .store
            .quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(name)))
            .count();
        if stored != quads.len() {
            return Ok(false);
        }
        for quad in quads {
            if quad.subject.is_blank_node()
                || quad.object.is_blank_node()
                || !self.store.contains(quad).map_err(storage(context))?
            {
                return Ok(false);
            }
        }
        Ok(true)
    }

    fn replace_ontology(&self, files: &[(String, String)]) -> Result<(), StoreError> {
        let graph = NamedNode::new_unchecked(vocab::ONTOLOGY_GRAPH);
        let mut quads = Vec::new();
        for (file, text) in files {
            for quad in RdfParser::from_format(RdfFormat::Turtle)
                .with_default_graph(graph.clone())
                .for_slice(text)
            {
                quads.push(quad.map_err(|source| StoreError::Ontology {
                    file: file.clone(),
                    source,
                })?);
            }
        }
        let context = "loading the ontology";
        if self.holds_exactly(graph.as_ref(), &quads)? {
            // Every build loads the ontology; an unchanged one is not rewritten, so a
            // rebuild of unchanged input writes nothing at all.
            return Ok(());
        }
        let mut transaction = self.store.start_transaction().map_err(storage(context))?;
        transaction
            .remove_named_graph(graph.as_ref())
            .map_err(storage(context))?;
        transaction.extend(&quads);
        transaction.commit().map_err(storage(context))
    }
}

/// Deletes the temporary files of a bulk load that was killed before it finished. RocksDB
/// never refers to them (an ingested file is linked into the database under its own name),
/// and we hold the store's lock, so no running load can own them.
fn remove_bulk_leftovers(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("bulk-") && name.ends_with(".sst") {
            // A file we cannot delete only wastes space; the store is sound without it.
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// A SPARQL string literal holding `value` exactly: quotes, backslashes, newlines and
/// braces are escaped, so user input spliced into a query stays one literal. Every query
/// built from user input must go through this (or [`sparql_iri`]), never `format!("\"{x}\"")`.
pub fn sparql_literal(value: &str) -> String {
    oxigraph::model::Literal::new_simple_literal(value).to_string()
}

/// The SPARQL IRI of a stored document (`<…/doc/{id}>`), whatever characters the id holds:
/// the id is percent-encoded, so it cannot close the IRI.
pub fn sparql_iri(doc_id: &str) -> String {
    vocab::document(doc_id).to_string()
}

/// Rejects documents whose statements would collide in RDF: statement IRIs are built from
/// the statement id, so two statements with one id would merge into one node.
fn check_document(doc: &DocumentGraph) -> Result<(), StoreError> {
    let mut seen = HashSet::new();
    for st in &doc.statements {
        if !seen.insert((st.doc.as_str(), st.id.as_str())) {
            return Err(StoreError::InvalidDocument {
                doc: doc.meta.id.clone(),
                why: format!("statement id {:?} is used twice", st.id),
            });
        }
    }
    Ok(())
}
