//! Graph layer at scale: 1,000,000 generated events over 20,000 actors. Times projection
//! (from statements in memory, and from an oxigraph store they were loaded into),
//! k = 3 shortest-path queries, PageRank and the GEXF export, and reports peak memory.
//! Targets: projection from the store <= 10 s, median path query <= 50 ms, GEXF export
//! <= 10 s. GEOKG_BENCH_STORE=0 skips the store part.
//!
//! Run with `cargo bench --bench graph` (release profile). GEOKG_BENCH_EVENTS and
//! GEOKG_BENCH_ACTORS shrink the generated graph for a quick run.

mod common;

use common::peak_rss_mib;
use common::{env_usize, SplitMix};
use std::hint::black_box;
use std::time::{Duration, Instant};

use geokg::export::{export, ExportFormat};
use geokg::graph::{k_shortest_paths, neighbors, rank, ActorGraph, Centrality, ProjectionOptions};
use geokg::model::{DocumentGraph, DocumentMeta, Modality, Node, NodeKind, Span, Statement};
use geokg::store::GraphStore;

/// (CAMEO code, QuadClass, Goldstein, relation) for the generated events.
const EVENTS: [(&str, u8, f64, &str); 12] = [
    ("010", 1, 0.0, "say"),
    ("036", 1, 4.0, "express intent to meet"),
    ("040", 1, 1.0, "consult"),
    ("042", 1, 1.9, "visit"),
    ("057", 1, 8.0, "sign agreement"),
    ("061", 2, 6.4, "cooperate economically"),
    ("070", 2, 7.0, "provide aid"),
    ("111", 3, -2.0, "criticize"),
    ("112", 3, -2.0, "accuse"),
    ("138", 3, -7.0, "threaten"),
    ("173", 4, -5.0, "arrest"),
    ("190", 4, -10.0, "fight"),
];

fn actors(n: usize) -> Vec<Node> {
    let countries = (n / 100).max(1);
    (0..n)
        .map(|i| {
            let (kind, id) = if i < countries {
                (NodeKind::Country, format!("country-c{i:03}"))
            } else {
                let kind = match i % 10 {
                    0..=5 => NodeKind::Person,
                    6..=8 => NodeKind::Organisation,
                    _ => NodeKind::Group,
                };
                (kind, format!("actor-{i}"))
            };
            let iso = format!("C{:02}", i % countries);
            Node {
                label: format!("Actor {i}"),
                kind,
                actor_code: Some(format!("{iso}GOV")),
                country: Some(iso),
                wikidata: Some(format!("Q{}", 100_000 + i)),
                role: None,
                mention: None,
                id,
            }
        })
        .collect()
}

/// Events between actors picked with a skew towards low indices, as news concentrates on
/// a few heads of state: a power-law-like degree distribution.
fn statements(actors: &[Node], events: usize, rng: &mut SplitMix) -> Vec<Statement> {
    let n = actors.len();
    let pick = |rng: &mut SplitMix| ((n as f64) * rng.unit().powf(2.0)) as usize % n;
    (0..events)
        .map(|i| {
            let s = pick(rng);
            let mut o = pick(rng);
            if o == s {
                o = (s + 1 + rng.below(n - 1)) % n;
            }
            let (cameo, quad, goldstein, relation) = EVENTS[rng.below(EVENTS.len())];
            let date = format!(
                "{}-{:02}-{:02}",
                2000 + rng.below(26),
                1 + rng.below(12),
                1 + rng.below(28)
            );
            let evidence = format!(
                "{} and {} were reported in event {i} ({relation}).",
                actors[s].label, actors[o].label
            );
            Statement {
                id: format!("s{}-0", i % 40),
                doc: format!("doc-{}", i / 40),
                sentence: i % 40,
                span: Span {
                    start: 0,
                    end: evidence.len(),
                },
                evidence,
                trigger_span: None,
                subject: actors[s].clone(),
                object: Some(actors[o].clone()),
                relation: relation.to_string(),
                pattern: None,
                cameo: Some(cameo.to_string()),
                plover: None,
                goldstein: Some(goldstein),
                quad_class: Some(quad),
                date: Some(date),
                modality: Modality::Asserted,
                confidence: 0.5 + rng.unit() / 2.0,
                source: None,
                entities: Vec::new(),
                location: None,
            }
        })
        .collect()
}

/// Process CPU time (user + system) from /proc/self/stat, in clock ticks of 10 ms: with
/// other builds sharing the cores, wall time alone overstates our cost.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after_name = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let cpu = cpu_seconds();
    let start = Instant::now();
    let out = f();
    let took = start.elapsed();
    if let (Some(before), Some(after)) = (cpu, cpu_seconds()) {
        if took.as_secs_f64() > 0.5 {
            println!(
                "  (cpu {:.2} s of {:.2} s wall)",
                after - before,
                took.as_secs_f64()
            );
        }
    }
    (out, took)
}

fn verdict(took: Duration, target: Duration) -> &'static str {
    if took <= target {
        "within target"
    } else {
        "OVER TARGET"
    }
}

/// Loads the statements into a fresh store (one document per 40 events), then times reading
/// them back and projecting, as `geokg path --store` does.
fn from_store(statements: Vec<Statement>, in_memory: &ActorGraph) {
    let Ok(dir) = tempfile::tempdir() else {
        eprintln!("no temporary folder: store part skipped");
        return;
    };
    let store = match GraphStore::open(&dir.path().join("store")) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("store part skipped: {e}");
            return;
        }
    };
    let mut docs: Vec<DocumentGraph> = Vec::new();
    for s in statements {
        if docs.last().is_none_or(|d| d.meta.id != s.doc) {
            docs.push(DocumentGraph {
                meta: DocumentMeta {
                    id: s.doc.clone(),
                    date: s.date.clone(),
                    place: None,
                    title: None,
                    url: None,
                    source: None,
                    content_hash: format!("{:016x}", docs.len()),
                },
                statements: Vec::new(),
            });
        }
        if let Some(d) = docs.last_mut() {
            d.statements.push(s);
        }
    }
    let (loaded, took) = timed(|| store.load(docs));
    match loaded {
        Ok(r) => println!(
            "store load: {:.2} s for {} documents, {} quads",
            took.as_secs_f64(),
            r.added,
            r.quads_written
        ),
        Err(e) => {
            eprintln!("store load failed: {e}");
            std::process::exit(1);
        }
    }
    // Baseline: oxigraph decoding every quad once, with nothing built from them.
    let (n, scan) = timed(|| {
        store
            .oxigraph()
            .quads_for_pattern(None, None, None, None)
            .count()
    });
    println!(
        "baseline, oxigraph scanning all {n} quads: {:.2} s",
        scan.as_secs_f64()
    );
    // Loading wrote the statement cache, so both reads come from it; the bare scan above is
    // what decoding the RDF alone would cost.
    for pass in ["first read", "second read"] {
        let (graph, took) = timed(|| {
            store
                .statements(None)
                .map(|st| ActorGraph::project(&st, &ProjectionOptions::default()))
        });
        match graph {
            Ok(Ok(g)) => {
                println!(
                    "projection from the store, {pass}: {:.2} s for {} nodes, {} edges \
                     ({}; target 10 s); {:.2}x the bare quad scan",
                    took.as_secs_f64(),
                    g.node_count(),
                    g.edge_count(),
                    verdict(took, Duration::from_secs(10)),
                    took.as_secs_f64() / scan.as_secs_f64().max(1e-9)
                );
                if (g.node_count(), g.edge_count())
                    != (in_memory.node_count(), in_memory.edge_count())
                {
                    eprintln!("the store's graph differs from the statements' graph");
                    std::process::exit(1);
                }
            }
            Ok(Err(e)) => eprintln!("projection from the store failed: {e}"),
            Err(e) => eprintln!("reading the store failed: {e}"),
        }
    }
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` runs this too, so keep it quick there.
    let quick = !std::env::args().any(|a| a == "--bench");
    let events = env_usize("GEOKG_BENCH_EVENTS", if quick { 20_000 } else { 1_000_000 });
    let actor_count = env_usize("GEOKG_BENCH_ACTORS", if quick { 2_000 } else { 20_000 }).max(2);
    let mut rng = SplitMix(0x6E6F_6B67);

    let (statements, took) = timed(|| {
        let actors = actors(actor_count);
        statements(&actors, events, &mut rng)
    });
    println!(
        "generated {events} events over {actor_count} actors in {:.2} s",
        took.as_secs_f64()
    );

    let (graph, took) = timed(|| ActorGraph::project(&statements, &ProjectionOptions::default()));
    let Ok(graph) = graph else {
        eprintln!("projection failed");
        std::process::exit(1);
    };
    println!(
        "projection: {:.2} s for {} nodes, {} edges ({}; target 10 s)",
        took.as_secs_f64(),
        graph.node_count(),
        graph.edge_count(),
        verdict(took, Duration::from_secs(10))
    );
    if env_usize("GEOKG_BENCH_STORE", 1) != 0 {
        from_store(statements, &graph);
    } else {
        drop(statements);
    }

    let n = graph.node_count();
    let pair = |rng: &mut SplitMix| {
        let a = petgraph::graph::NodeIndex::new(rng.below(n));
        let b = petgraph::graph::NodeIndex::new((a.index() + 1 + rng.below(n - 1)) % n);
        (a, b)
    };
    let (first, took) = timed(|| {
        let (a, b) = pair(&mut rng);
        k_shortest_paths(&graph, a, b, 3, 6)
    });
    println!(
        "first path query (builds the tie index): {:.1} ms, {} paths",
        took.as_secs_f64() * 1e3,
        first.paths.len()
    );
    let mut times = Vec::new();
    let mut found = 0;
    for _ in 0..21 {
        let (a, b) = pair(&mut rng);
        let (set, took) = timed(|| k_shortest_paths(&graph, a, b, 3, 6));
        found += set.paths.len();
        times.push(took);
    }
    times.sort();
    let median = times[times.len() / 2];
    println!(
        "path k=3 (max 6 hops): median {:.2} ms, max {:.2} ms over {} pairs, {found} paths ({}; target 50 ms)",
        median.as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3,
        times.len(),
        verdict(median, Duration::from_millis(50))
    );

    let (ranking, took) = timed(|| rank(&graph, Centrality::page_rank()));
    let total: f64 = ranking.actors.iter().map(|a| a.score).sum();
    println!(
        "pagerank: {:.2} s (scores sum to {total:.6}, top {})",
        took.as_secs_f64(),
        ranking.actors[0].actor.id
    );
    let sources = 50;
    let (between, took) = timed(|| {
        rank(
            &graph,
            Centrality::Betweenness {
                weighted: false,
                normalized: true,
                sources: Some(sources),
            },
        )
    });
    println!(
        "betweenness estimated from {sources} sources: {:.2} s (top {})",
        took.as_secs_f64(),
        between.actors[0].actor.id
    );
    let (degree, took) = timed(|| rank(&graph, Centrality::Degree));
    println!("degree: {:.1} ms", took.as_secs_f64() * 1e3);
    if let Some(busiest) = degree
        .actors
        .first()
        .and_then(|a| graph.node_index(&a.actor.id))
    {
        let (hood, took) = timed(|| neighbors(&graph, busiest, 1));
        println!(
            "neighbours of the busiest actor ({} events): {:.1} ms, {} ties",
            degree.actors[0].score,
            took.as_secs_f64() * 1e3,
            hood.ties.len()
        );
    }

    let (result, took) = timed(|| export(&graph, ExportFormat::Gexf, std::io::sink()));
    if let Err(e) = result {
        eprintln!("GEXF export failed: {e}");
        std::process::exit(1);
    }
    println!(
        "GEXF export to a sink: {:.2} s ({}; target 10 s)",
        took.as_secs_f64(),
        verdict(took, Duration::from_secs(10))
    );
    let mut bytes = CountingSink(0);
    let (_, took) = timed(|| export(&graph, ExportFormat::GraphMl, &mut bytes));
    println!(
        "GraphML export: {:.2} s, {:.0} MiB",
        took.as_secs_f64(),
        bytes.0 as f64 / 1048576.0
    );

    match peak_rss_mib() {
        Some(mib) => println!("peak RSS (VmHWM): {mib:.0} MiB"),
        None => println!("peak RSS: /proc/self/status not readable"),
    }
    black_box(graph);
}

struct CountingSink(usize);

impl std::io::Write for CountingSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
