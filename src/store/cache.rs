//! A read cache of each stored document's statements, beside the RocksDB files.
//!
//! Reading a document back from RDF decodes every quad (about 45 per event) through
//! oxigraph's string table, which dominates `geokg path`/`timeline`/`export` on a large
//! store. The cache keeps the decoded statements as JSON Lines, one file per document, so a
//! projection reads each document's RDF once.
//!
//! The store stays the only truth. A file is named by its document's content hash and
//! read only for the hash the store holds for that document, so a file written while its
//! document's graph is on its way into the store (the bulk load writes it beside the
//! load) is never read before that graph is committed; it is deleted before the graph is
//! replaced or removed. Files are not synced one by one (a hundred thousand documents
//! would wait on a hundred thousand disk flushes): each ends with a line counting its
//! statements, so a file cut short by a power loss reads as damaged. A file that is
//! missing, damaged or from another content hash is ignored, never trusted, and the next
//! read rebuilds it from RDF.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::model::Statement;

/// The cache folder inside a store directory.
const FOLDER: &str = "geokg-statements";

/// The last line of a cache file: this prefix and the number of statements above it.
const END: &str = "#end ";

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
        let mut lines = bytes.split(|&b| b == b'\n').filter(|l| !l.is_empty());
        let count = std::str::from_utf8(lines.next_back()?)
            .ok()?
            .strip_prefix(END)?
            .parse::<usize>()
            .ok()?;
        let mut out = Vec::with_capacity(count);
        for line in lines {
            let statement: Statement = serde_json::from_slice(line).ok()?;
            if statement.doc != doc_id {
                return None;
            }
            out.push(statement);
        }
        (out.len() == count).then_some(out)
    }

    /// A document's cache file as bytes: its statements as JSON Lines and the closing count.
    /// Made by the extraction workers, so the writer only writes.
    pub(super) fn encode(statements: &[Statement]) -> Vec<u8> {
        let mut out = Vec::new();
        for s in statements {
            // Serialising plain data into memory cannot fail.
            if serde_json::to_writer(&mut out, s).is_ok() {
                out.push(b'\n');
            }
        }
        out.extend_from_slice(format!("{END}{}\n", statements.len()).as_bytes());
        out
    }

    /// Writes a document's statements (see [`StatementCache::write_encoded`]).
    pub(super) fn write(
        &self,
        doc_id: &str,
        content_hash: &str,
        statements: &[Statement],
    ) -> io::Result<()> {
        self.write_encoded(doc_id, content_hash, &Self::encode(statements))
    }

    /// Writes a file made by [`StatementCache::encode`] whole under a temporary name, then
    /// renames it into place, so readers never see half a file.
    pub(super) fn write_encoded(
        &self,
        doc_id: &str,
        content_hash: &str,
        bytes: &[u8],
    ) -> io::Result<()> {
        let Some(path) = self.file(doc_id, content_hash) else {
            return Ok(());
        };
        let dir = self.doc_dir(doc_id);
        fs::create_dir_all(&dir)?;
        let tmp = dir.join(format!(".{content_hash}.{}.tmp", std::process::id()));
        fs::File::create(&tmp)?.write_all(bytes)?;
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
            location: None,
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

    #[test]
    fn a_file_cut_at_a_line_end_is_ignored() {
        let dir = tempfile::tempdir().expect("temp dir");
        let cache = StatementCache::in_store(dir.path());
        let two = [statement("d"), statement("d")];
        cache.write("d", "aa", &two).expect("write");
        assert_eq!(cache.read("d", "aa").map(|s| s.len()), Some(2));
        let path = cache.file("d", "aa").expect("plain hash");
        let whole = fs::read(&path).expect("read");
        let first_line = whole.iter().position(|&b| b == b'\n').expect("a line") + 1;
        fs::write(&path, &whole[..first_line]).expect("cut after the first statement");
        assert!(cache.read("d", "aa").is_none(), "one statement of two");
        fs::write(&path, b"").expect("empty");
        assert!(cache.read("d", "aa").is_none(), "an empty file");
        cache.write("d", "bb", &[]).expect("write none");
        assert_eq!(
            cache.read("d", "bb"),
            Some(Vec::new()),
            "a document without statements"
        );
    }
}
