//! `geokg push` throughput into an oxigraph server, against that server's own bulk load of
//! the same quads as one N-Quads file (POST to its `/store`), and the offline loader
//! (`oxigraph load`) for reference. Target: push at least half the server's bulk-load rate.
//!
//! Needs the `oxigraph` command (PyPI package `oxigraph`) on PATH and skips without it.
//! Run with `cargo bench --bench push`; GEOKG_PUSH_BENCH_EVENTS sets the number of events
//! (default 20,000, about a million quads; 1,000,000 for the full-size run),
//! GEOKG_PUSH_BENCH_JOBS the requests in flight (default 2).

mod common;

use common::{env_usize, SplitMix};
use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use geokg::model::{DocumentGraph, DocumentMeta, Modality, Node, NodeKind, Span, Statement};
use geokg::push::{push, Protocol, PushOptions};
use geokg::store::GraphStore;

/// (CAMEO code, QuadClass, Goldstein, relation).
const EVENTS: [(&str, u8, f64, &str); 6] = [
    ("036", 1, 4.0, "express intent to meet"),
    ("042", 1, 1.9, "visit"),
    ("057", 1, 8.0, "sign agreement"),
    ("070", 2, 7.0, "provide aid"),
    ("112", 3, -2.0, "accuse"),
    ("190", 4, -10.0, "fight"),
];
const EVENTS_PER_DOCUMENT: usize = 20;

fn actor(i: usize) -> Node {
    Node {
        id: format!("actor-{i}"),
        label: format!("Actor \"{i}\""),
        kind: if i.is_multiple_of(3) {
            NodeKind::Country
        } else {
            NodeKind::Person
        },
        actor_code: Some(format!("C{:02}GOV", i % 50)),
        country: Some(format!("C{:02}", i % 50)),
        wikidata: Some(format!("Q{}", 100_000 + i)),
        role: None,
        mention: None,
    }
}

fn documents(events: usize, actors: usize) -> Vec<DocumentGraph> {
    let mut rng = SplitMix(0x7075_7368);
    let docs = events.div_ceil(EVENTS_PER_DOCUMENT);
    (0..docs)
        .map(|d| {
            let id = format!("bench-{d}");
            let statements = (0..EVENTS_PER_DOCUMENT.min(events - d * EVENTS_PER_DOCUMENT))
                .map(|n| {
                    let s = rng.below(actors);
                    let o = (s + 1 + rng.below(actors - 1)) % actors;
                    let (cameo, quad, goldstein, relation) = EVENTS[rng.below(EVENTS.len())];
                    let evidence = format!(
                        "Actor {s} and Actor {o} met on day {n}; \"{relation}\", said a \\ spokesman.\nMore."
                    );
                    Statement {
                        id: format!("s{n}-0"),
                        doc: id.clone(),
                        sentence: n,
                        span: Span {
                            start: 0,
                            end: evidence.len(),
                        },
                        evidence,
                        trigger_span: None,
                        subject: actor(s),
                        object: Some(actor(o)),
                        relation: relation.to_owned(),
                        pattern: None,
                        cameo: Some(cameo.to_owned()),
                        plover: None,
                        goldstein: Some(goldstein),
                        quad_class: Some(quad),
                        date: Some(format!("20{:02}-{:02}-{:02}", rng.below(26), 1 + rng.below(12), 1 + rng.below(28))),
                        modality: Modality::Asserted,
                        confidence: 0.9,
                        source: None,
                        entities: Vec::new(),
                        location: None,
                    }
                })
                .collect();
            DocumentGraph {
                meta: DocumentMeta {
                    id: id.clone(),
                    date: Some("2025-01-01".into()),
                    place: None,
                    title: Some(format!("Bench document {d}")),
                    url: None,
                    source: Some("bench".into()),
                    content_hash: format!("{:064x}", d + 1),
                },
                statements,
            }
        })
        .collect()
}

/// An `oxigraph serve` process, stopped when dropped.
struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn start_server(location: &Path) -> Result<Server, String> {
    let port = free_port().map_err(|e| e.to_string())?;
    let child = Command::new("oxigraph")
        .arg("serve")
        .arg("--location")
        .arg(location)
        .arg("--bind")
        .arg(format!("127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start `oxigraph serve`: {e}"))?;
    let server = Server {
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    for _ in 0..150 {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(server);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Err("oxigraph serve did not start within 15 s".into())
}

fn quad_count(server: &Server) -> Result<usize, String> {
    let mut response = ureq::get(format!("{}/query", server.url))
        .query(
            "query",
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
        )
        .header("Accept", "text/csv")
        .call()
        .map_err(|e| e.to_string())?;
    let text = response
        .body_mut()
        .read_to_string()
        .map_err(|e| e.to_string())?;
    text.lines()
        .nth(1)
        .and_then(|l| l.trim().parse().ok())
        .ok_or_else(|| format!("unexpected count answer {text:?}"))
}

fn rate(quads: usize, took: Duration) -> f64 {
    quads as f64 / took.as_secs_f64().max(1e-9)
}

fn run() -> Result<(), String> {
    let quick = !std::env::args().any(|a| a == "--bench");
    let events = env_usize(
        "GEOKG_PUSH_BENCH_EVENTS",
        if quick { 2_000 } else { 20_000 },
    )
    .max(1);
    let jobs = env_usize("GEOKG_PUSH_BENCH_JOBS", 2);
    if Command::new("oxigraph")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_err()
    {
        println!("SKIPPED: the `oxigraph` command is not on PATH (pip install oxigraph)");
        return Ok(());
    }
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let store_dir = dir.path().join("store");
    let store = GraphStore::open(&store_dir).map_err(|e| e.to_string())?;
    let started = Instant::now();
    store.load_ontology().map_err(|e| e.to_string())?;
    store
        .load(documents(events, (events / 10).max(50)))
        .map_err(|e| e.to_string())?;
    let quads = store.oxigraph().len().map_err(|e| e.to_string())?;
    println!(
        "store: {events} events in {} documents, {quads} quads, built in {:.1} s",
        events.div_ceil(EVENTS_PER_DOCUMENT),
        started.elapsed().as_secs_f64()
    );

    let nq = dir.path().join("all.nq");
    {
        let mut out = BufWriter::new(File::create(&nq).map_err(|e| e.to_string())?);
        for quad in store.oxigraph().iter() {
            let quad = quad.map_err(|e| e.to_string())?;
            writeln!(out, "{quad} .").map_err(|e| e.to_string())?;
        }
        out.flush().map_err(|e| e.to_string())?;
    }
    let nq_bytes = std::fs::metadata(&nq).map(|m| m.len()).unwrap_or(0);

    // Baseline: the server's own bulk load of the whole N-Quads file in one POST.
    let bulk = {
        let server = start_server(&dir.path().join("bulk"))?;
        let mut body = Vec::with_capacity(nq_bytes as usize);
        File::open(&nq)
            .and_then(|mut f| f.read_to_end(&mut body))
            .map_err(|e| e.to_string())?;
        let t = Instant::now();
        let response = ureq::post(format!("{}/store", server.url))
            .header("Content-Type", "application/n-quads")
            .send(&body[..])
            .map_err(|e| format!("bulk load: {e}"))?;
        let took = t.elapsed();
        let loaded = quad_count(&server)?;
        if loaded != quads {
            return Err(format!(
                "bulk load left {loaded} quads, expected {quads} (HTTP {})",
                response.status()
            ));
        }
        took
    };
    println!(
        "oxigraph bulk load (POST /store, {:.1} MB N-Quads): {:.2} s, {:.0} quads/s",
        nq_bytes as f64 / 1e6,
        bulk.as_secs_f64(),
        rate(quads, bulk)
    );

    // For reference: the offline loader, no HTTP at all.
    let t = Instant::now();
    let offline = Command::new("oxigraph")
        .arg("load")
        .arg("--location")
        .arg(dir.path().join("offline"))
        .arg("--file")
        .arg(&nq)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    if offline.is_ok_and(|s| s.success()) {
        let took = t.elapsed();
        println!(
            "oxigraph load (offline, for reference): {:.2} s, {:.0} quads/s",
            took.as_secs_f64(),
            rate(quads, took)
        );
    }

    let mut ratio_gsp = 0.0;
    for protocol in [Protocol::GraphStore, Protocol::Update] {
        let server = start_server(&dir.path().join(format!("push-{protocol:?}")))?;
        let mut options = PushOptions::new(format!("{}/update", server.url));
        options.protocol = protocol;
        options.progress = false;
        options.in_flight = jobs;
        let t = Instant::now();
        let report = push(&store, &options).map_err(|e| e.to_string())?;
        let took = t.elapsed();
        let loaded = quad_count(&server)?;
        if loaded != quads {
            return Err(format!("push left {loaded} quads, expected {quads}"));
        }
        let ratio = rate(quads, took) / rate(quads, bulk);
        if protocol == Protocol::GraphStore {
            ratio_gsp = ratio;
        }
        println!(
            "geokg push by {protocol} ({} requests, {jobs} in flight): {:.2} s, {:.0} quads/s, {:.2} x the bulk load",
            report.requests,
            took.as_secs_f64(),
            rate(quads, took),
            ratio
        );
    }
    println!(
        "push (Graph Store Protocol) / bulk load = {ratio_gsp:.2} (target >= 0.50): {}",
        if ratio_gsp >= 0.5 {
            "within target"
        } else {
            "BELOW TARGET"
        }
    );
    Ok(())
}

fn main() {
    if let Err(e) = run() {
        eprintln!("push bench: {e}");
        std::process::exit(1);
    }
}
