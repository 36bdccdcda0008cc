//! User input that looks like SPARQL or N-Quads syntax (quotes, backslashes, newlines, `}`,
//! `>`) in document ids and actor names goes through the store, `path`, `timeline` and
//! `remove` as plain data: correct results, no error, no injected query.

use std::process::Command;

use geokg::model::{DocumentGraph, DocumentMeta, Modality, Node, NodeKind, Span, Statement};
use geokg::store::{sparql_iri, sparql_literal, GraphStore, QueryOutput};
use oxigraph::model::Term;

const GEOKG: &str = env!("CARGO_BIN_EXE_geokg");

const EVIL_DOC: &str = "doc\" } ; DROP ALL ; #\n<x> \\ '''";
const PLAIN_DOC: &str = "doc";
const EVIL_NAME: &str = "O\"Brien } UNION { ?s ?p ?o \\ Ltd";
const EVIL_ID: &str = "o\"brien}>\n\\";

fn actor(id: &str, label: &str) -> Node {
    Node {
        id: id.into(),
        label: label.into(),
        kind: NodeKind::Organisation,
        actor_code: Some("NGO".into()),
        country: None,
        wikidata: None,
        role: None,
        mention: Some(label.into()),
    }
}

fn statement(doc: &str, n: usize, subject: Node, object: Node) -> Statement {
    let evidence = format!(
        "{} met {} \"quoted\" {{braced}}.",
        subject.label, object.label
    );
    Statement {
        id: format!("s{n}-1"),
        doc: doc.into(),
        sentence: n,
        span: Span {
            start: 0,
            end: evidence.chars().count(),
        },
        evidence,
        trigger_span: None,
        subject,
        object: Some(object),
        relation: "meet".into(),
        pattern: None,
        cameo: Some("043".into()),
        plover: Some("CONSULT".into()),
        goldstein: Some(2.8),
        quad_class: Some(1),
        date: Some(format!("2025-01-1{n}")),
        modality: Modality::Asserted,
        confidence: 0.9,
        source: None,
        entities: Vec::new(),
        location: None,
    }
}

fn document(id: &str, statements: Vec<Statement>) -> DocumentGraph {
    DocumentGraph {
        meta: DocumentMeta {
            id: id.into(),
            date: Some("2025-01-10".into()),
            place: None,
            title: Some(format!("title of {id}")),
            url: None,
            source: None,
            content_hash: format!("hash of {id}"),
        },
        statements,
    }
}

fn evil() -> Node {
    actor(EVIL_ID, EVIL_NAME)
}
fn red_cross() -> Node {
    actor("red-cross", "Red Cross")
}
fn unicef() -> Node {
    actor("unicef", "UNICEF")
}

fn store() -> (tempfile::TempDir, GraphStore) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = GraphStore::open(&dir.path().join("store")).expect("store");
    store
        .load([
            document(EVIL_DOC, vec![statement(EVIL_DOC, 1, evil(), red_cross())]),
            document(
                PLAIN_DOC,
                vec![statement(PLAIN_DOC, 2, red_cross(), unicef())],
            ),
        ])
        .expect("load");
    (dir, store)
}

#[test]
fn hostile_ids_and_names_round_trip_and_query_as_literals() {
    let (_dir, store) = store();
    let ids: Vec<String> = store
        .documents()
        .expect("documents")
        .into_iter()
        .map(|m| m.id)
        .collect();
    assert!(ids.contains(&EVIL_DOC.to_string()), "{ids:?}");
    let back = store.document(EVIL_DOC).expect("document");
    assert_eq!(back.statements[0].subject.label, EVIL_NAME);
    assert_eq!(back.statements[0].subject.id, EVIL_ID);

    // The escaped literal finds the actor by its exact label, and only it.
    let q = format!(
        "SELECT DISTINCT ?a WHERE {{ ?a rdfs:label {} }}",
        sparql_literal(EVIL_NAME)
    );
    match store.query(&q).expect("query parses") {
        QueryOutput::Solutions { rows, .. } => {
            assert_eq!(rows.len(), 1, "{rows:?}");
            assert!(matches!(&rows[0][0], Some(Term::NamedNode(_))));
        }
        other => panic!("unexpected result {other:?}"),
    }
    // The escaped document IRI names exactly the hostile document's graph.
    let q = format!(
        "SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {} {{ ?s ?p ?o }} }}",
        sparql_iri(EVIL_DOC)
    );
    match store.query(&q).expect("query parses") {
        QueryOutput::Solutions { rows, .. } => match &rows[0][0] {
            Some(Term::Literal(n)) => assert!(n.value().parse::<usize>().expect("count") > 10),
            other => panic!("unexpected {other:?}"),
        },
        other => panic!("unexpected result {other:?}"),
    }
}

#[test]
fn remove_deletes_only_the_hostile_document() {
    let (_dir, store) = store();
    let before = store.stats().expect("stats");
    assert_eq!(before.documents, 2);
    assert_eq!(store.remove(&[EVIL_DOC.to_string()]).expect("remove"), 1);
    let after = store.stats().expect("stats");
    assert_eq!(after.documents, 1);
    assert_eq!(after.events, 1);
    assert!(store.document(PLAIN_DOC).is_ok());
    assert!(store.document(EVIL_DOC).is_err());
    // The hostile actor was supported only by the removed document.
    assert!(after.top_actors.iter().all(|a| a.label != EVIL_NAME));
}

#[test]
fn path_timeline_and_remove_through_the_binary() {
    let (dir, store) = store();
    drop(store);
    let store_dir = dir.path().join("store");
    let run = |args: &[&str]| {
        let out = Command::new(GEOKG)
            .args(args)
            .arg("--store")
            .arg(&store_dir)
            .env_remove("GEOKG_STORE")
            .output()
            .expect("geokg runs");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, out, err) = run(&["path", EVIL_NAME, "UNICEF", "--json"]);
    assert_eq!(code, Some(0), "{err}");
    let paths: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(paths["from"]["label"], EVIL_NAME);
    let hops = paths["paths"][0]["hops"].as_array().expect("a path");
    assert_eq!(hops.len(), 2, "{out}");

    let (code, out, err) = run(&["timeline", EVIL_NAME, "--json"]);
    assert_eq!(code, Some(0), "{err}");
    let timeline: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(
        timeline["events"].as_array().map(Vec::len),
        Some(1),
        "{out}"
    );

    let (code, out, err) = run(&["remove", EVIL_DOC]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("1 of 1 documents removed"), "{out}");
    let (code, _, err) = run(&["timeline", EVIL_NAME]);
    assert_ne!(
        code,
        Some(0),
        "the actor should be gone with its only document"
    );
    assert!(!err.contains("panicked"), "{err}");
    let (code, out, err) = run(&["timeline", "Red Cross", "--json"]);
    assert_eq!(code, Some(0), "{err}");
    let timeline: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(
        timeline["events"].as_array().map(Vec::len),
        Some(1),
        "{out}"
    );
}
