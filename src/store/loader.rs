//! Streaming documents into the store.
//!
//! New documents gather into batches of quads; each full batch is handed to one oxigraph
//! bulk load that stays open across batches, so its threads sort and write the index files
//! of one batch while the next is being gathered. The bulk load commits every
//! [`BULK_COMMIT_QUADS`] quads and at the end: a commit ingests its files into every index
//! in one atomic RocksDB step, so a process killed mid-load leaves whole commits or
//! nothing of a commit, and a rerun writes what is missing. Each document's statement
//! cache file is written when its batch goes to the bulk load; it is read only once the
//! store holds its document (see `cache.rs`), so nothing waits in memory for the commit.

use indexmap::IndexMap;
use oxigraph::model::Quad;
use oxigraph::store::BulkLoader;

use super::cache::StatementCache;
use super::{check_document, storage, GraphStore, LoadReport, StoreError};
use crate::model::DocumentGraph;
use crate::rdf as mapping;

/// A batch handed to the bulk load holds this many quads: large enough for the bulk
/// loader to pay off, small enough to keep memory bounded (one batch gathering and one
/// being sorted per thread, about 100 MB each).
const BULK_BATCH_QUADS: usize = 200_000;

/// The open bulk load commits once it holds this many quads. Fewer, larger commits leave
/// RocksDB less to compact while the build runs; a process killed before a commit redoes
/// its documents on the next run. Uncommitted batches wait as files on disk, not in memory.
const BULK_COMMIT_QUADS: usize = 2_000_000;

/// The tail of a load goes through the bulk load when at least this large, else through
/// one transaction (a few documents).
const BULK_MIN_QUADS: usize = 20_000;

/// A document with its RDF, made where there is CPU to spare (the extraction workers) so
/// the writer only writes.
pub struct PreparedDocument {
    graph: DocumentGraph,
    quads: Vec<Quad>,
    /// The document's statement cache file.
    cache: Vec<u8>,
}

impl PreparedDocument {
    pub fn new(graph: DocumentGraph) -> Self {
        let quads = mapping::document_quads(&graph);
        let cache = StatementCache::encode(&graph.statements);
        PreparedDocument {
            graph,
            quads,
            cache,
        }
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

/// A new document waiting for its batch.
struct Pending {
    hash: String,
    quads: Vec<Quad>,
    cache: Vec<u8>,
}

/// Documents on their way into the store (see [`GraphStore::loader`]). New documents are
/// written in batches through a bulk load; changed ones are replaced at once; unchanged
/// ones are skipped. Call [`Loader::finish`] to write the rest: a loader dropped without it
/// loses only the documents not yet committed, never stored ones.
pub struct Loader<'a> {
    store: &'a GraphStore,
    /// New documents gathering into a batch, by id.
    pending: IndexMap<String, Pending>,
    pending_quads: usize,
    /// The bulk load that full batches go to, until it commits.
    bulk: Option<BulkLoader<'a>>,
    /// Documents handed to the open bulk load: id -> content hash.
    open: IndexMap<String, String>,
    open_quads: usize,
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
        let PreparedDocument {
            graph: doc,
            quads,
            cache,
        } = doc.into();
        check_document(&doc)?;
        let id = doc.meta.id.clone();
        if let Some(pending) = self.pending.get_mut(&id) {
            if pending.hash == doc.meta.content_hash {
                self.report.unchanged += 1;
            } else {
                self.pending_quads = self.pending_quads - pending.quads.len() + quads.len();
                *pending = Pending {
                    hash: doc.meta.content_hash.clone(),
                    quads,
                    cache,
                };
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
                self.store
                    .cache_encoded(&id, &doc.meta.content_hash, &cache);
            }
            None => {
                self.pending_quads += quads.len();
                let pending = Pending {
                    hash: doc.meta.content_hash.clone(),
                    quads,
                    cache,
                };
                self.pending.insert(id, pending);
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
            let mut caches = Vec::with_capacity(pending.len());
            let quads = pending
                .into_iter()
                .map(|(id, p)| {
                    let quads = (p.hash.clone(), p.quads);
                    caches.push((id.clone(), p.hash, p.cache));
                    (id, quads)
                })
                .collect();
            self.report.quads_written += self.store.write_small(quads)?;
            for (id, hash, cache) in caches {
                self.store.cache_encoded(&id, &hash, &cache);
            }
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
        for (id, p) in pending {
            quads.extend(p.quads);
            self.store.cache_encoded(&id, &p.hash, &p.cache);
            self.open.insert(id, p.hash);
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
        Ok(())
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
