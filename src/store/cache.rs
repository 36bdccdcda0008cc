//! A read cache of each stored document's statements, beside the RocksDB files.
//!
//! Reading a document back from RDF decodes every quad (about 45 per event) through
//! oxigraph's string table, which dominates `geokg path`/`timeline`/`export` on a large
//! store. The cache keeps the decoded statements as JSON Lines, one file per document, so a
//! projection reads each document's RDF once.
//!
//! The store stays the only truth. A cache file is written only after its document's
//! graph is committed, and deleted before the graph is replaced or removed, so a file that
//! exists always matches the committed graph; a crash in between leaves at most a missing
//! file, which the next read rebuilds from RDF. A file that is missing, unreadable or from
//! another content hash is ignored, never trusted.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::model::Statement;

/// The cache folder inside a store directory.
const FOLDER: &str = "geokg-statements";

pub(super) struct StatementCache {
    dir: PathBuf,
}

impl StatementCache {
    pub(super) fn in_store(store_dir: &Path) -> Self {
        StatementCache {
            dir: store_dir.join(FOLDER),
        }
    }

    /// One folder per document, named by a hash of its id (ids may hold any character),
    /// holding `<content hash>.jsonl`.
    fn doc_dir(&self, doc_id: &str) -> PathBuf {
        let digest = Sha256::digest(doc_id.as_bytes());
        let name: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
        self.dir.join(name)
    }

    fn file(&self, doc_id: &str, content_hash: &str) -> Option<PathBuf> {
        // A hash that is not plain hex cannot name a file safely; such documents go uncached.
        let plain = !content_hash.is_empty()
            && content_hash.len() <= 128
            && content_hash.bytes().all(|b| b.is_ascii_alphanumeric());
        plain.then(|| self.doc_dir(doc_id).join(format!("{content_hash}.jsonl")))
    }

    /// The cached statements of a document at this content hash, if a sound file exists.
    pub(super) fn read(&self, doc_id: &str, content_hash: &str) -> Option<Vec<Statement>> {
        let bytes = fs::read(self.file(doc_id, content_hash)?).ok()?;
        let mut out = Vec::new();
        for line in bytes.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
            let statement: Statement = serde_json::from_slice(line).ok()?;
            if statement.doc != doc_id {
                return None;
            }
            out.push(statement);
        }
        Some(out)
    }

    /// Writes the file whole under a temporary name, then renames it into place, so readers
    /// never see half a file.
    pub(super) fn write(
        &self,
        doc_id: &str,
        content_hash: &str,
        statements: &[Statement],
    ) -> io::Result<()> {
        let Some(path) = self.file(doc_id, content_hash) else {
            return Ok(());
        };
        let dir = self.doc_dir(doc_id);
        fs::create_dir_all(&dir)?;
        let tmp = dir.join(format!(".{content_hash}.{}.tmp", std::process::id()));
        {
            let mut f = io::BufWriter::new(fs::File::create(&tmp)?);
            for s in statements {
                serde_json::to_writer(&mut f, s)?;
                f.write_all(b"\n")?;
            }
            f.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        }
        fs::rename(&tmp, &path)
    }

    /// Forgets a document before its graph changes.
    pub(super) fn forget(&self, doc_id: &str) -> io::Result<()> {
        match fs::remove_dir_all(self.doc_dir(doc_id)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Modality, Node, NodeKind, Span};

    fn statement(doc: &str) -> Statement {
        let node = Node {
            id: "country-ard".into(),
            label: "Ardenia".into(),
            kind: NodeKind::Country,
            actor_code: Some("ARD".into()),
            country: Some("ARD".into()),
            wikidata: None,
            role: None,
            mention: None,
        };
        Statement {
            id: "s0-0".into(),
            doc: doc.into(),
            sentence: 0,
            evidence: "Ardenia said so.".into(),
            span: Span { start: 0, end: 16 },
            trigger_span: None,
            subject: node,
            object: None,
            relation: "say".into(),
            pattern: None,
            cameo: Some("010".into()),
            plover: None,
            goldstein: Some(0.0),
            quad_class: Some(1),
            date: None,
            modality: Modality::Asserted,
            confidence: 0.9,
            source: None,
            entities: Vec::new(),
        }
    }

    #[test]
    fn a_file_serves_only_its_document_and_content_hash_until_forgotten() {
        let dir = tempfile::tempdir().expect("temp dir");
        let cache = StatementCache::in_store(dir.path());
        let id = "news/2025 \"one\"";
        assert!(cache.read(id, "abc123").is_none());
        cache.write(id, "abc123", &[statement(id)]).expect("write");
        assert_eq!(cache.read(id, "abc123"), Some(vec![statement(id)]));
        assert!(
            cache.read(id, "def456").is_none(),
            "another text is another file"
        );
        assert!(cache.read("other", "abc123").is_none());
        assert!(
            cache.read(id, "../escape").is_none(),
            "odd hashes are not file names"
        );
        cache.forget(id).expect("forget");
        assert!(cache.read(id, "abc123").is_none());
        cache.forget(id).expect("forgetting twice is fine");
    }

    #[test]
    fn a_damaged_file_is_ignored() {
        let dir = tempfile::tempdir().expect("temp dir");
        let cache = StatementCache::in_store(dir.path());
        cache.write("d", "aa", &[statement("d")]).expect("write");
        let path = cache.file("d", "aa").expect("plain hash");
        fs::write(&path, b"{\"id\": truncated").expect("damage");
        assert!(cache.read("d", "aa").is_none());
    }
}
