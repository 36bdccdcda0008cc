//! Streaming documents into the store.
//!
//! New documents gather into batches of quads; each full batch is handed to one oxigraph
//! bulk load that stays open across batches, so its threads sort and write the index files
//! of one batch while the next is being gathered. The bulk load commits every
//! [`BULK_COMMIT_QUADS`] quads and at the end: a commit ingests its files into every index
//! in one atomic RocksDB step, so a process killed mid-load leaves whole commits or
//! nothing of a commit, and a rerun writes what is missing.

use indexmap::IndexMap;
use oxigraph::model::Quad;
use oxigraph::store::BulkLoader;

use super::{check_document, storage, GraphStore, LoadReport, StoreError};
use crate::model::DocumentGraph;
use crate::rdf as mapping;

/// A batch handed to the bulk load holds this many quads: large enough for the bulk
/// loader to pay off, small enough to keep memory bounded (one batch gathering and one
/// being sorted per thread, about 100 MB each).
const BULK_BATCH_QUADS: usize = 200_000;

/// The open bulk load commits once it holds this many quads. Fewer, larger commits leave
/// RocksDB less to compact; the statements of uncommitted documents wait in memory for the
/// cache (about 60 MB at this size).
const BULK_COMMIT_QUADS: usize = 2_000_000;

/// The tail of a load goes through the bulk load when at least this large, else through
/// one transaction (a few documents).
const BULK_MIN_QUADS: usize = 20_000;

/// A document with its RDF, made where there is CPU to spare (the extraction workers) so
/// the writer only writes.
pub struct PreparedDocument {
    graph: DocumentGraph,
    quads: Vec<Quad>,
}

impl PreparedDocument {
    pub fn new(graph: DocumentGraph) -> Self {
        let quads = mapping::document_quads(&graph);
        PreparedDocument { graph, quads }
    }

    pub fn graph(&self) -> &DocumentGraph {
        &self.graph
    }
}

impl From<DocumentGraph> for PreparedDocument {
    fn from(graph: DocumentGraph) -> Self {
        PreparedDocument::new(graph)
    }
}

/// Documents on their way into the store (see [`GraphStore::loader`]). New documents are
/// written in batches through a bulk load; changed ones are replaced at once; unchanged
/// ones are skipped. Call [`Loader::finish`] to write the rest: a loader dropped without it
/// loses only the documents not yet committed, never stored ones.
pub struct Loader<'a> {
    store: &'a GraphStore,
    /// New documents gathering into a batch: id -> (content hash, quads).
    pending: IndexMap<String, (String, Vec<Quad>)>,
    pending_quads: usize,
    /// The bulk load that full batches go to, until it commits.
    bulk: Option<BulkLoader<'a>>,
    /// Documents handed to the open bulk load: id -> content hash.
    open: IndexMap<String, String>,
    open_quads: usize,
    /// Statements of the documents not committed yet (pending or open), cached once they are.
    uncommitted: Vec<DocumentGraph>,
    batch_quads: usize,
    commit_quads: usize,
    threads: Option<usize>,
    report: LoadReport,
}

impl<'a> Loader<'a> {
    pub(super) fn new(store: &'a GraphStore) -> Self {
        Loader {
            store,
            pending: IndexMap::new(),
            pending_quads: 0,
            bulk: None,
            open: IndexMap::new(),
            open_quads: 0,
            uncommitted: Vec::new(),
            batch_quads: BULK_BATCH_QUADS,
            commit_quads: BULK_COMMIT_QUADS,
            threads: None,
            report: LoadReport::default(),
        }
    }

    /// Hand a batch to the bulk load once it holds this many quads (default 200,000); the
    /// bulk load commits every ten batches.
    pub fn with_batch_quads(mut self, quads: usize) -> Self {
        self.batch_quads = quads.max(1);
        self.commit_quads = self.batch_quads.saturating_mul(10);
        self
    }

    /// Commit the bulk load once it holds this many quads (default 2,000,000): what a
    /// process killed mid-load can lose, and what waits in memory for the statement cache.
    pub fn with_commit_quads(mut self, quads: usize) -> Self {
        self.commit_quads = quads.max(1);
        self
    }

    /// Threads for the bulk load (default: all cores).
    pub fn with_threads(mut self, threads: usize) -> Self {
        self.threads = Some(threads.max(1));
        self
    }

    /// Takes one document; hands a batch to the bulk load when enough quads are waiting.
    pub fn add(&mut self, doc: impl Into<PreparedDocument>) -> Result<(), StoreError> {
        let PreparedDocument { graph: doc, quads } = doc.into();
        check_document(&doc)?;
        let id = doc.meta.id.clone();
        if let Some((hash, pending)) = self.pending.get_mut(&id) {
            if *hash == doc.meta.content_hash {
                self.report.unchanged += 1;
            } else {
                self.pending_quads = self.pending_quads - pending.len() + quads.len();
                *pending = quads;
                hash.clone_from(&doc.meta.content_hash);
                self.uncommitted.retain(|d| d.meta.id != id);
                self.uncommitted.push(doc);
            }
            return Ok(());
        }
        if let Some(hash) = self.open.get(&id) {
            if *hash == doc.meta.content_hash {
                self.report.unchanged += 1;
                return Ok(());
            }
            // The bulk load cannot take it back: commit, then replace like a stored one.
            self.commit()?;
        }
        match self.store.stored_hash(&id)? {
            Some(hash) if hash == doc.meta.content_hash => self.report.unchanged += 1,
            Some(_) => {
                self.report.quads_written += self.store.replace(&doc)?;
                self.report.replaced += 1;
                self.store.cache_statements(&doc);
            }
            None => {
                self.pending_quads += quads.len();
                self.pending
                    .insert(id, (doc.meta.content_hash.clone(), quads));
                self.uncommitted.push(doc);
                self.report.added += 1;
                if self.pending_quads >= self.batch_quads {
                    self.send_pending()?;
                }
            }
        }
        Ok(())
    }

    /// Writes and commits everything taken so far.
    pub fn flush(&mut self) -> Result<(), StoreError> {
        if self.bulk.is_some() || self.pending_quads >= BULK_MIN_QUADS {
            self.send_pending()?;
            self.commit()
        } else {
            let pending = std::mem::take(&mut self.pending);
            self.pending_quads = 0;
            self.report.quads_written += self.store.write_small(pending)?;
            self.cache_committed();
            Ok(())
        }
    }

    /// Hands the pending batch to the open bulk load (opening one if needed); its threads
    /// work on it while the caller goes on. Commits when the bulk load is large enough.
    fn send_pending(&mut self) -> Result<(), StoreError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let pending = std::mem::take(&mut self.pending);
        let context = format!("loading {} new documents", pending.len());
        for id in pending.keys() {
            self.store.forget_cached(id)?;
        }
        let mut bulk = match self.bulk.take() {
            Some(bulk) => bulk,
            None => self.store.bulk_loader(self.threads, self.batch_quads),
        };
        let mut quads = Vec::with_capacity(self.pending_quads);
        for (id, (hash, q)) in pending {
            quads.extend(q);
            self.open.insert(id, hash);
        }
        self.open_quads += self.pending_quads;
        self.pending_quads = 0;
        // On an error the bulk load is dropped, and with it its files: nothing of it is
        // stored, and what was committed before stays.
        bulk.load_quads(quads).map_err(storage(context))?;
        self.bulk = Some(bulk);
        if self.open_quads >= self.commit_quads {
            self.commit()?;
        }
        Ok(())
    }

    /// Commits the open bulk load, if any, and caches what it committed.
    fn commit(&mut self) -> Result<(), StoreError> {
        if let Some(bulk) = self.bulk.take() {
            let context = format!("committing {} new documents", self.open.len());
            bulk.commit().map_err(storage(context))?;
            self.report.quads_written += self.open_quads;
        }
        self.open.clear();
        self.open_quads = 0;
        self.cache_committed();
        Ok(())
    }

    /// Caches the statements of every document taken that is no longer waiting.
    fn cache_committed(&mut self) {
        let pending = &self.pending;
        let (waiting, committed): (Vec<_>, Vec<_>) = std::mem::take(&mut self.uncommitted)
            .into_iter()
            .partition(|d| pending.contains_key(&d.meta.id));
        self.uncommitted = waiting;
        for doc in committed {
            self.store.cache_statements(&doc);
        }
    }

    /// What was done so far (documents not yet committed count as added).
    pub fn report(&self) -> LoadReport {
        self.report
    }

    /// Writes the rest and says what the load did.
    pub fn finish(mut self) -> Result<LoadReport, StoreError> {
        self.flush()?;
        Ok(self.report)
    }
}
