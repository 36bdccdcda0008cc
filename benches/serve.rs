//! `geokg serve` under load, over loopback: a store of generated events, then
//! - the explorer's neighbourhood request (`/api/neighbourhood`, one hop): median latency,
//!   target <= 50 ms;
//! - simple SPARQL queries (`/sparql`, one actor's label) from 8 concurrent clients on
//!   keep-alive connections: throughput, target >= 200 queries/s.
//!
//! Run with `cargo bench --bench serve` (release profile). GEOKG_BENCH_EVENTS (default
//! 20,000; the figure is for 1,000,000), GEOKG_BENCH_ACTORS (default events / 10,
//! at most 20,000), GEOKG_BENCH_REQUESTS (neighbourhood requests, default 300) and
//! GEOKG_BENCH_QUERIES (SPARQL queries, default 4,000) size the run. The HTTP client is a
//! few lines over std's TcpStream, so the figures include no client library overhead.

mod common;

use common::{env_usize, SplitMix};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use geokg::model::{DocumentGraph, DocumentMeta, Modality, Node, NodeKind, Span, Statement};
use geokg::serve::{spawn, Endpoint, ServeOptions};
use geokg::store::GraphStore;

/// (CAMEO code, QuadClass, Goldstein, relation).
const EVENTS: [(&str, u8, f64, &str); 8] = [
    ("036", 1, 4.0, "express intent to meet"),
    ("040", 1, 1.0, "consult"),
    ("042", 1, 1.9, "visit"),
    ("057", 1, 8.0, "sign agreement"),
    ("070", 2, 7.0, "provide aid"),
    ("111", 3, -2.0, "criticize"),
    ("138", 3, -7.0, "threaten"),
    ("190", 4, -10.0, "fight"),
];

/// Statements per generated document.
const PER_DOC: usize = 40;

fn actor(i: usize) -> Node {
    let kind = match i % 10 {
        0..=4 => NodeKind::Person,
        5..=7 => NodeKind::Country,
        8 => NodeKind::Organisation,
        _ => NodeKind::Group,
    };
    Node {
        id: format!("actor-{i}"),
        label: format!("Actor {i}"),
        kind,
        actor_code: None,
        country: Some(format!("C{:02}", i % 97)),
        wikidata: None,
        role: None,
        mention: None,
    }
}

/// Documents of `PER_DOC` events between actors drawn with a skew towards low indices
/// (news concentrates on a few heads of state).
fn documents(events: usize, actors: usize, rng: &mut SplitMix) -> Vec<DocumentGraph> {
    let pick = |rng: &mut SplitMix| ((actors as f64) * rng.unit().powf(2.0)) as usize % actors;
    let mut docs = Vec::new();
    for d in 0..events.div_ceil(PER_DOC) {
        let doc = format!("doc-{d}");
        let statements = (0..PER_DOC.min(events - d * PER_DOC))
            .map(|k| {
                let s = pick(rng);
                let mut o = pick(rng);
                if o == s {
                    o = (s + 1 + rng.below(actors - 1)) % actors;
                }
                let (cameo, quad, goldstein, relation) = EVENTS[rng.below(EVENTS.len())];
                let evidence = format!("Actor {s} and Actor {o}: {relation}, report {d}-{k}.");
                let trigger = evidence.find(relation).unwrap_or(0);
                Statement {
                    id: format!("s{k}-0"),
                    doc: doc.clone(),
                    sentence: k,
                    span: Span {
                        start: 0,
                        end: evidence.len(),
                    },
                    trigger_span: Some(Span {
                        start: trigger,
                        end: trigger + relation.len(),
                    }),
                    evidence,
                    subject: actor(s),
                    object: Some(actor(o)),
                    relation: relation.into(),
                    pattern: None,
                    cameo: Some(cameo.into()),
                    plover: None,
                    goldstein: Some(goldstein),
                    quad_class: Some(quad),
                    date: Some(format!(
                        "{}-{:02}-{:02}",
                        2000 + rng.below(26),
                        1 + rng.below(12),
                        1 + rng.below(28)
                    )),
                    modality: Modality::Asserted,
                    confidence: 0.8,
                    source: None,
                    entities: Vec::new(),
                    location: None,
                }
            })
            .collect();
        docs.push(DocumentGraph {
            meta: DocumentMeta {
                id: doc.clone(),
                date: Some("2025-01-01".into()),
                place: None,
                title: None,
                url: None,
                source: None,
                content_hash: format!("{:064x}", d),
            },
            statements,
        });
    }
    docs
}

/// One keep-alive HTTP/1.1 connection.
struct Client {
    reader: BufReader<TcpStream>,
}

impl Client {
    fn connect(addr: SocketAddr) -> std::io::Result<Self> {
        let stream = TcpStream::connect(addr)?;
        stream.set_nodelay(true)?;
        Ok(Client {
            reader: BufReader::new(stream),
        })
    }

    /// GETs `path`; returns the status and the body.
    fn get(&mut self, path: &str, accept: &str) -> std::io::Result<(u16, Vec<u8>)> {
        write!(
            self.reader.get_mut(),
            "GET {path} HTTP/1.1\r\nHost: bench\r\nAccept: {accept}\r\n\r\n"
        )?;
        let mut line = String::new();
        self.reader.read_line(&mut line)?;
        let status = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let mut length = 0;
        loop {
            line.clear();
            self.reader.read_line(&mut line)?;
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body)?;
        Ok((status, body))
    }
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    if let Err(e) = run() {
        eprintln!("serve bench failed: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let events = env_usize("GEOKG_BENCH_EVENTS", 20_000).max(PER_DOC);
    let actors = env_usize("GEOKG_BENCH_ACTORS", (events / 10).clamp(100, 20_000)).max(2);
    let requests = env_usize("GEOKG_BENCH_REQUESTS", 300).max(1);
    let queries = env_usize("GEOKG_BENCH_QUERIES", 4_000).max(8);
    let clients = 8;

    let dir = tempfile::tempdir()?;
    let store = GraphStore::open(&dir.path().join("store"))?;
    store.load_ontology()?;
    let start = Instant::now();
    let mut rng = SplitMix(0x7365_7276);
    let docs = documents(events, actors, &mut rng);
    let report = store.load(docs)?;
    println!(
        "store: {events} events over {actors} actors, {} quads written in {:.1} s",
        report.quads_written,
        start.elapsed().as_secs_f64()
    );

    let endpoint = Endpoint::new(
        store,
        ServeOptions {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            timeout: Duration::from_secs(60),
            ..Default::default()
        },
    )?;
    let start = Instant::now();
    let server = spawn(Arc::clone(&endpoint))?;
    let addr = server.addr;
    let mut client = Client::connect(addr)?;
    loop {
        let (status, body) = client.get("/api/summary", "application/json")?;
        match status {
            200 => break,
            503 => std::thread::sleep(Duration::from_millis(100)),
            other => {
                return Err(
                    format!("summary: HTTP {other}: {}", String::from_utf8_lossy(&body)).into(),
                )
            }
        }
    }
    println!(
        "explorer projection of the store ready after {:.1} s",
        start.elapsed().as_secs_f64()
    );

    // Neighbourhood requests: half for the busiest actors, half for any actor.
    let mut latencies = Vec::with_capacity(requests);
    let mut nodes = 0usize;
    for i in 0..requests {
        let a = if i % 2 == 0 {
            rng.below(20.min(actors))
        } else {
            rng.below(actors)
        };
        let path = format!("/api/neighbourhood?actor=actor-{a}&hops=1");
        let t = Instant::now();
        let (status, body) = client.get(&path, "application/json")?;
        latencies.push(t.elapsed());
        if status != 200 {
            return Err(
                format!("{path}: HTTP {status}: {}", String::from_utf8_lossy(&body)).into(),
            );
        }
        let value: serde_json::Value = serde_json::from_slice(&body)?;
        nodes += value["nodes"].as_array().map_or(0, Vec::len);
    }
    latencies.sort();
    let median = percentile(&latencies, 0.5);
    println!(
        "neighbourhood (1 hop, {requests} requests, {:.0} nodes drawn on average): median {:.2} ms, \
         p95 {:.2} ms, max {:.2} ms; target <= 50 ms median: {}",
        nodes as f64 / requests as f64,
        ms(median),
        ms(percentile(&latencies, 0.95)),
        ms(percentile(&latencies, 1.0)),
        if median <= Duration::from_millis(50) { "within target" } else { "OVER TARGET" }
    );

    // Simple SPARQL queries from 8 concurrent clients.
    let per_client = queries / clients;
    let start = Instant::now();
    let workers: Vec<_> = (0..clients)
        .map(|c| {
            std::thread::spawn(move || -> Result<usize, String> {
                let mut client = Client::connect(addr).map_err(|e| e.to_string())?;
                let mut ok = 0;
                for i in 0..per_client {
                    let a = (c * 7919 + i * 104_729) % actors;
                    let query = format!(
                        "SELECT ?label WHERE {{ actor:actor-{a} rdfs:label ?label }} LIMIT 1"
                    );
                    let path = format!("/sparql?query={}", encode(&query));
                    let (status, body) = client
                        .get(&path, "application/sparql-results+json")
                        .map_err(|e| e.to_string())?;
                    if status != 200 || !body.windows(6).any(|w| w == b"Actor ") {
                        return Err(format!("query {i}: HTTP {status}"));
                    }
                    ok += 1;
                }
                Ok(ok)
            })
        })
        .collect();
    let mut answered = 0;
    for worker in workers {
        answered += worker.join().map_err(|_| "a client thread panicked")??;
    }
    let took = start.elapsed();
    let rate = answered as f64 / took.as_secs_f64();
    println!(
        "SPARQL: {answered} simple queries from {clients} concurrent clients in {:.2} s: {rate:.0} \
         queries/s; target >= 200 queries/s: {}",
        took.as_secs_f64(),
        if rate >= 200.0 { "within target" } else { "UNDER TARGET" }
    );
    server.stop()?;
    Ok(())
}
