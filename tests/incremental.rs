//! Incremental builds through the same path as `geokg build` (read files, extract, stream
//! into the store): an unchanged rebuild does no work, a changed file replaces only its
//! document, `remove` leaves exactly what the remaining documents support. Each case is
//! checked against a clean build of the same input, quad for quad.

use std::path::Path;
use std::sync::OnceLock;

use geokg::batch::{self, BatchOptions, BuildReport};
use geokg::extract::Extractor;
use geokg::gen::{CorpusOptions, Generator};
use geokg::input::{DocumentReader, ReadOptions};
use geokg::store::GraphStore;
use oxigraph::model::GraphName;

fn extractor() -> &'static Extractor {
    static EX: OnceLock<Extractor> = OnceLock::new();
    EX.get_or_init(|| Extractor::bundled().expect("bundled extractor"))
}

fn corpus(dir: &Path, documents: usize, seed: u64) {
    let generator = Generator::new(extractor()).expect("generator");
    let options = CorpusOptions {
        documents,
        sentences_per_doc: 6,
        seed,
    };
    generator
        .write_folder(options, dir)
        .expect("corpus written");
}

fn build(store: &GraphStore, input: &Path) -> BuildReport {
    store.load_ontology().expect("ontology");
    let docs = DocumentReader::new(&[input.to_path_buf()], ReadOptions::default());
    let options = BatchOptions {
        progress: false,
        ..BatchOptions::default()
    };
    batch::build(extractor(), docs, store, &options, |l| l).expect("build")
}

/// Every quad of every document graph as sorted N-Quads lines: two stores with equal dumps
/// hold the same documents, statements and bookkeeping.
fn dump(store: &GraphStore) -> Vec<String> {
    let mut lines: Vec<String> = store
        .oxigraph()
        .iter()
        .map(|q| q.expect("readable quad"))
        .filter(
            |q| matches!(&q.graph_name, GraphName::NamedNode(g) if g.as_str().contains("/doc/")),
        )
        .map(|q| q.to_string())
        .collect();
    lines.sort();
    lines
}

fn clean_build(input: &Path) -> (tempfile::TempDir, GraphStore) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = GraphStore::open(&dir.path().join("store")).expect("store");
    build(&store, input);
    (dir, store)
}

#[test]
fn unchanged_rebuild_skips_extraction_and_writes_nothing() {
    let work = tempfile::tempdir().expect("tempdir");
    let input = work.path().join("in");
    corpus(&input, 30, 11);
    let store = GraphStore::open(&work.path().join("store")).expect("store");
    let first = build(&store, &input);
    assert_eq!(first.load.added, 30);
    assert_eq!(first.batch.documents, 30);
    let before = dump(&store);
    let quads = store.oxigraph().len().expect("len");

    let again = build(&store, &input);
    assert_eq!(
        again.batch.documents, 0,
        "nothing should be extracted again"
    );
    assert_eq!(again.skipped, 30);
    assert_eq!(again.load.unchanged, 30);
    assert_eq!(again.load.added + again.load.replaced, 0);
    assert_eq!(again.load.quads_written, 0);
    assert_eq!(store.oxigraph().len().expect("len"), quads);
    assert_eq!(dump(&store), before);
}

#[test]
fn a_changed_file_replaces_only_its_document_and_matches_a_clean_build() {
    let work = tempfile::tempdir().expect("tempdir");
    let input = work.path().join("in");
    corpus(&input, 20, 12);
    let store = GraphStore::open(&work.path().join("store")).expect("store");
    build(&store, &input);

    // Rewrite one document with text of another seed (same file name, same id).
    let other = work.path().join("other");
    corpus(&other, 1, 99);
    let replacement = std::fs::read_dir(&other)
        .expect("read")
        .next()
        .expect("one file")
        .expect("entry")
        .path();
    let mut files: Vec<_> = std::fs::read_dir(&input)
        .expect("read")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    let changed = &files[7];
    std::fs::copy(&replacement, changed).expect("copy");

    let report = build(&store, &input);
    assert_eq!(report.load.replaced, 1);
    assert_eq!(report.load.unchanged, 19);
    assert_eq!(
        report.batch.documents, 1,
        "only the changed file is extracted"
    );

    let (_clean_dir, clean) = clean_build(&input);
    assert_eq!(dump(&store), dump(&clean));
    assert_eq!(store.stats().expect("stats"), clean.stats().expect("stats"));
    // The replaced document reads back with its new text.
    let id = changed
        .file_stem()
        .expect("stem")
        .to_string_lossy()
        .into_owned();
    let new_text = std::fs::read_to_string(changed).expect("read");
    let doc = store.document(&id).expect("document");
    assert!(doc
        .statements
        .iter()
        .all(|s| new_text.contains(s.evidence.as_str())));
}

#[test]
fn remove_leaves_what_a_build_without_the_documents_would_hold() {
    let work = tempfile::tempdir().expect("tempdir");
    let input = work.path().join("in");
    corpus(&input, 16, 13);
    let store = GraphStore::open(&work.path().join("store")).expect("store");
    build(&store, &input);
    let mut ids: Vec<String> = store
        .documents()
        .expect("documents")
        .into_iter()
        .map(|m| m.id)
        .collect();
    let gone = vec![ids.remove(3), ids.remove(9), "no-such-document".to_string()];
    assert_eq!(store.remove(&gone).expect("remove"), 2);

    let kept = work.path().join("kept");
    std::fs::create_dir(&kept).expect("mkdir");
    for id in &ids {
        let name = format!("{id}.txt");
        std::fs::copy(input.join(&name), kept.join(&name)).expect("copy");
    }
    let (_clean_dir, clean) = clean_build(&kept);
    assert_eq!(dump(&store), dump(&clean));
    let (stats, clean_stats) = (store.stats().expect("stats"), clean.stats().expect("stats"));
    assert_eq!(stats, clean_stats);
    assert_eq!(stats.documents, 14);

    // Removing everything leaves the ontology only.
    assert_eq!(store.remove(&ids).expect("remove"), 14);
    let empty = store.stats().expect("stats");
    assert_eq!((empty.documents, empty.statements), (0, 0));
    assert!(empty.top_actors.is_empty());
    assert!(dump(&store).is_empty());
}

#[test]
fn batches_larger_than_one_bulk_load_keep_every_document() {
    // A tiny batch size forces many bulk/transaction writes inside one load.
    let work = tempfile::tempdir().expect("tempdir");
    let input = work.path().join("in");
    corpus(&input, 25, 14);
    let docs: Vec<_> = DocumentReader::new(std::slice::from_ref(&input), ReadOptions::default())
        .map(|d| extractor().extract(&d.expect("document")))
        .collect();
    let store = GraphStore::open(&work.path().join("store")).expect("store");
    store.load_ontology().expect("ontology");
    let mut loader = store.loader().with_batch_quads(300);
    for doc in docs {
        loader.add(doc).expect("add");
    }
    let report = loader.finish().expect("finish");
    assert_eq!(report.added, 25);
    let (_clean_dir, clean) = clean_build(&input);
    assert_eq!(dump(&store), dump(&clean));
}

#[test]
fn a_document_sent_twice_in_one_load_ends_with_its_second_content() {
    // With small batches the first version is already in the open bulk load (or committed)
    // when the second arrives: the loader must commit and replace, not keep both.
    let work = tempfile::tempdir().expect("tempdir");
    let input = work.path().join("in");
    corpus(&input, 12, 14);
    let docs: Vec<_> = DocumentReader::new(std::slice::from_ref(&input), ReadOptions::default())
        .map(|d| extractor().extract(&d.expect("document")))
        .collect();
    let mut second = docs[0].clone();
    second.meta.content_hash = "a-newer-version".into();
    second.statements.truncate(1);
    let id = second.meta.id.clone();
    let store = GraphStore::open(&work.path().join("store")).expect("store");
    store.load_ontology().expect("ontology");
    let mut loader = store.loader().with_batch_quads(300);
    for doc in docs.iter().cloned().chain([second.clone()]) {
        loader.add(doc).expect("add");
    }
    let report = loader.finish().expect("finish");
    assert_eq!((report.added, report.replaced), (12, 1));
    let stored = store.document(&id).expect("document");
    assert_eq!(stored.meta.content_hash, "a-newer-version");
    assert_eq!(stored.statements, second.statements);
    // The statement cache agrees with the RDF.
    let cached: Vec<_> = store
        .statements(None)
        .expect("statements")
        .into_iter()
        .filter(|s| s.doc == id)
        .collect();
    assert_eq!(cached, second.statements);
}
