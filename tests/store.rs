//! The store through its public API: idempotent loads, replacement and removal of
//! documents, SPARQL over all documents at once, statistics. The documents are fictional
//! meetings written for these tests.

use geokg::model::{DocumentGraph, DocumentMeta, Modality, Node, NodeKind, Span, Statement};
use geokg::store::{GraphStore, QueryOutput, ResultFormat, StoreError};
use oxigraph::model::Term;

fn person(id: &str, label: &str, code: &str, country: &str) -> Node {
    Node {
        id: id.into(),
        label: label.into(),
        kind: NodeKind::Person,
        actor_code: Some(code.into()),
        country: Some(country.into()),
        wikidata: None,
        role: None,
        mention: Some(label.rsplit(' ').next().unwrap_or(label).into()),
    }
}

fn statement(
    doc: &str,
    n: usize,
    subject: Node,
    object: Node,
    lemma: &str,
    cameo: &str,
) -> Statement {
    let evidence = format!(
        "{} and {} {lemma} on a grey morning.",
        subject.label, object.label
    );
    Statement {
        id: format!("s{n}-1"),
        doc: doc.into(),
        sentence: n,
        span: Span {
            start: n * 100,
            end: n * 100 + evidence.chars().count(),
        },
        evidence,
        trigger_span: None,
        subject,
        object: Some(object),
        relation: lemma.into(),
        pattern: None,
        cameo: Some(cameo.into()),
        plover: Some("CONSULT".into()),
        goldstein: Some(1.0),
        quad_class: Some(1),
        date: Some("2025-01-15".into()),
        modality: Modality::Asserted,
        confidence: 0.9,
        source: None,
        entities: Vec::new(),
        location: None,
    }
}

fn document(id: &str, hash: &str, statements: Vec<Statement>) -> DocumentGraph {
    DocumentGraph {
        meta: DocumentMeta {
            id: id.into(),
            date: Some("2025-01-16".into()),
            place: Some("VIENNA".into()),
            title: Some(format!("Report {id}")),
            url: None,
            source: Some("Test Wire".into()),
            content_hash: hash.into(),
        },
        statements,
    }
}

fn macron() -> Node {
    person("emmanuel-macron", "Emmanuel Macron", "FRAGOV", "FRA")
}
fn scholz() -> Node {
    person("olaf-scholz", "Olaf Scholz", "DEUGOV", "DEU")
}
fn sanchez() -> Node {
    person("pedro-sanchez", "Pedro Sánchez", "ESPGOV", "ESP")
}

/// Two documents: Macron meets Scholz (doc a), Scholz meets Sánchez and Macron consults
/// Sánchez (doc b).
fn two_documents() -> Vec<DocumentGraph> {
    vec![
        document(
            "doc a",
            "hash-a1",
            vec![statement("doc a", 0, macron(), scholz(), "meet", "043")],
        ),
        document(
            "doc/b",
            "hash-b1",
            vec![
                statement("doc/b", 0, scholz(), sanchez(), "meet", "043"),
                statement("doc/b", 1, macron(), sanchez(), "telephone", "040"),
            ],
        ),
    ]
}

fn open() -> (tempfile::TempDir, GraphStore) {
    let dir = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(e) => panic!("no temporary directory: {e}"),
    };
    match GraphStore::open(&dir.path().join("store")) {
        Ok(store) => (dir, store),
        Err(e) => panic!("cannot open a new store: {e}"),
    }
}

fn rows(store: &GraphStore, sparql: &str) -> Vec<Vec<String>> {
    match store.query(sparql) {
        Ok(QueryOutput::Solutions { rows, .. }) => rows
            .into_iter()
            .map(|row| {
                row.into_iter()
                    .map(|t| match t {
                        Some(Term::Literal(l)) => l.value().to_owned(),
                        Some(t) => t.to_string(),
                        None => String::new(),
                    })
                    .collect()
            })
            .collect(),
        other => panic!("expected solutions, got {other:?}"),
    }
}

fn quad_count(store: &GraphStore) -> usize {
    store.stats().map(|s| s.quads).unwrap_or(usize::MAX)
}

#[test]
fn loading_the_same_documents_twice_changes_nothing() {
    let (_dir, store) = open();
    let first = store.load(two_documents()).ok();
    assert_eq!(
        first.map(|r| (r.added, r.replaced, r.unchanged)),
        Some((2, 0, 0))
    );
    let quads = quad_count(&store);
    assert_eq!(first.map(|r| r.quads_written), Some(quads));

    let second = store.load(two_documents()).ok();
    assert_eq!(
        second.map(|r| (r.added, r.replaced, r.unchanged, r.quads_written)),
        Some((0, 0, 2, 0))
    );
    assert_eq!(quad_count(&store), quads);
}

#[test]
fn a_changed_document_replaces_its_graph() {
    let (_dir, store) = open();
    assert!(store.load(two_documents()).is_ok());
    // doc a now reports a phone call between Macron and Sánchez instead of the meeting.
    let new_a = document(
        "doc a",
        "hash-a2",
        vec![statement(
            "doc a",
            0,
            macron(),
            sanchez(),
            "telephone",
            "040",
        )],
    );
    let report = store.load([new_a.clone()]).ok();
    assert_eq!(
        report.map(|r| (r.added, r.replaced, r.unchanged)),
        Some((0, 1, 0))
    );
    assert_eq!(
        store.statements(Some("doc a")).ok(),
        Some(new_a.statements.clone())
    );
    // The old meeting of doc a is gone; doc b is untouched.
    let scholz_meetings = rows(
        &store,
        "SELECT ?e WHERE { ?e gk:subject actor:emmanuel-macron ; gk:object actor:olaf-scholz }",
    );
    assert!(scholz_meetings.is_empty());
    assert_eq!(
        store.statements(Some("doc/b")).map(|s| s.len()).ok(),
        Some(2)
    );
    let metas = store.documents().ok().unwrap_or_default();
    let hashes: Vec<_> = metas
        .iter()
        .map(|m| (m.id.as_str(), m.content_hash.as_str()))
        .collect();
    assert_eq!(hashes, [("doc a", "hash-a2"), ("doc/b", "hash-b1")]);
}

#[test]
fn documents_and_statements_read_back_exactly() {
    let (_dir, store) = open();
    let docs = two_documents();
    assert!(store.load(docs.clone()).is_ok());
    let metas: Vec<_> = docs.iter().map(|d| d.meta.clone()).collect();
    assert_eq!(store.documents().ok(), Some(metas));
    // Each document decoded from its RDF, then all of them (from the statement cache).
    for doc in &docs {
        assert_eq!(store.document(&doc.meta.id).ok().as_ref(), Some(doc));
    }
    let all: Vec<_> = docs.into_iter().flat_map(|d| d.statements).collect();
    assert_eq!(store.statements(None).ok(), Some(all));
    assert!(matches!(
        store.statements(Some("nope")),
        Err(StoreError::UnknownDocument(_))
    ));
}

#[test]
fn removing_a_document_removes_all_its_quads() {
    let (_dir, store) = open();
    assert!(store.load(two_documents()[1..].to_vec()).is_ok());
    let only_b = quad_count(&store);
    assert!(store.load(two_documents()).is_ok());
    assert_eq!(
        store
            .remove(&["doc a".to_owned(), "never loaded".to_owned()])
            .ok(),
        Some(1)
    );
    assert_eq!(quad_count(&store), only_b);
    assert_eq!(store.documents().map(|d| d.len()).ok(), Some(1));
}

#[test]
fn sparql_finds_who_met_whom_across_documents() {
    let (_dir, store) = open();
    assert!(store.load(two_documents()).is_ok());
    // No GRAPH clause and no PREFIX declarations: union default graph, built-in prefixes.
    // The union keeps one copy of a triple per graph holding it (each document describes
    // its actors), hence DISTINCT.
    let met = rows(
        &store,
        "SELECT DISTINCT ?a ?b WHERE { ?x gk:consult ?y . ?x rdfs:label ?a . ?y rdfs:label ?b } ORDER BY ?a ?b",
    );
    assert_eq!(
        met,
        [
            ["Emmanuel Macron", "Olaf Scholz"],
            ["Emmanuel Macron", "Pedro Sánchez"],
            ["Olaf Scholz", "Pedro Sánchez"],
        ]
    );
    // The same through the reified events, restricted to meetings (CAMEO 043).
    let meetings = rows(
        &store,
        "SELECT DISTINCT ?doc ?who WHERE { ?e gk:cameoCode cameo:043 ; gk:object ?o ; gk:inDocument ?d . \
         ?o rdfs:label ?who . ?d gk:identifier ?doc } ORDER BY ?doc",
    );
    assert_eq!(
        meetings,
        [["doc a", "Olaf Scholz"], ["doc/b", "Pedro Sánchez"]]
    );
    assert_eq!(
        store
            .query("ASK { actor:pedro-sanchez gk:consult ?x }")
            .ok(),
        Some(QueryOutput::Boolean(false))
    );
}

#[test]
fn stats_count_documents_events_roots_and_actors() {
    let (_dir, store) = open();
    assert!(store.load(two_documents()).is_ok());
    let Ok(stats) = store.stats() else {
        panic!("stats failed")
    };
    assert_eq!(
        (
            stats.documents,
            stats.statements,
            stats.events,
            stats.relations
        ),
        (2, 3, 3, 0)
    );
    assert_eq!(stats.events_by_root, [("04".to_owned(), 3)]);
    let top: Vec<_> = stats
        .top_actors
        .iter()
        .map(|a| (a.id.as_str(), a.events))
        .collect();
    // Every actor is in two of the three events; ties are ordered by IRI.
    assert_eq!(
        top,
        [
            ("emmanuel-macron", 2),
            ("olaf-scholz", 2),
            ("pedro-sanchez", 2)
        ]
    );
    assert_eq!(stats.top_actors[2].label, "Pedro Sánchez");
}

#[test]
fn ontology_labels_are_queryable_alongside_documents() {
    let (_dir, store) = open();
    assert!(store.load(two_documents()).is_ok());
    assert!(store.load_ontology().is_ok());
    let before = quad_count(&store);
    // Loading again replaces the ontology graph rather than adding to it.
    assert!(store.load_ontology().is_ok());
    assert_eq!(quad_count(&store), before);
    let labels = rows(
        &store,
        "SELECT DISTINCT ?label WHERE { ?x gk:consult ?y . gk:consult rdfs:label ?label }",
    );
    assert_eq!(labels, [["consults"]]);
    // The ontology is not a document.
    assert_eq!(store.documents().map(|d| d.len()).ok(), Some(2));
}

#[test]
fn a_store_in_use_or_a_foreign_directory_is_refused_clearly() {
    let (dir, store) = open();
    match GraphStore::open(store.dir()) {
        Err(e @ StoreError::Locked { .. }) => assert!(e.to_string().contains("in use")),
        Err(e) => panic!("expected a lock error, got {e}"),
        Ok(_) => panic!("a store in use was opened twice"),
    }
    let foreign = dir.path().join("photos");
    assert!(std::fs::create_dir(&foreign).is_ok());
    assert!(std::fs::write(foreign.join("cat.jpg"), b"not a database").is_ok());
    assert!(matches!(
        GraphStore::open(&foreign),
        Err(StoreError::NotAStore { .. })
    ));
}

#[test]
fn duplicate_statement_ids_are_rejected_before_anything_is_written() {
    let (_dir, store) = open();
    assert!(store.load(two_documents()).is_ok());
    let quads = quad_count(&store);
    let st = statement("doc c", 0, macron(), scholz(), "meet", "043");
    let bad = document("doc c", "hash-c", vec![st.clone(), st]);
    assert!(matches!(
        store.load([bad]),
        Err(StoreError::InvalidDocument { .. })
    ));
    assert_eq!(quad_count(&store), quads);
}

#[test]
fn query_results_write_as_a_table() {
    let (_dir, store) = open();
    assert!(store.load(two_documents()).is_ok());
    let Ok(output) = store.query("SELECT ?who WHERE { ?who gk:consult actor:olaf-scholz }") else {
        panic!("query failed")
    };
    let mut buf = Vec::new();
    assert!(output.write(ResultFormat::Table, &mut buf).is_ok());
    let text = String::from_utf8_lossy(&buf);
    assert!(text.contains("actor:emmanuel-macron"), "{text}");
    assert!(text.ends_with("(1 row)\n"), "{text}");
}

/// Statement reads go through a cache beside the RDF; it must follow every change.
#[test]
fn statements_read_back_follow_replacements_and_removals() {
    let (dir, store) = open();
    let first = vec![statement("doc a", 0, macron(), scholz(), "meet", "043")];
    store
        .load([document("doc a", "hash-a1", first.clone())])
        .expect("load");
    assert_eq!(store.statements(None).expect("read"), first);
    // A second read comes from the cache and is the same.
    assert_eq!(store.statements(None).expect("read"), first);

    // A changed text replaces the document.
    let second = vec![statement(
        "doc a",
        0,
        macron(),
        sanchez(),
        "telephone",
        "040",
    )];
    store
        .load([document("doc a", "hash-a2", second.clone())])
        .expect("replace");
    assert_eq!(store.statements(None).expect("read"), second);

    // Removed and loaded again with the same text but other statements (a newer geokg):
    // the reads show the new statements, not the cached old ones.
    assert_eq!(store.remove(&["doc a".to_string()]).expect("remove"), 1);
    assert!(store.statements(None).expect("read").is_empty());
    let third = vec![statement("doc a", 1, scholz(), sanchez(), "meet", "043")];
    store
        .load([document("doc a", "hash-a2", third.clone())])
        .expect("load again");
    assert_eq!(store.statements(None).expect("read"), third);

    // A reopened store reads the same.
    drop(store);
    let store = GraphStore::open(&dir.path().join("store")).expect("reopen");
    assert_eq!(store.statements(None).expect("read"), third);
}
