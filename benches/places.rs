//! The place gazetteer: time to load the bundled file (target: at most 0.15 s, paid by every
//! run), and the per-document resolution pass against the parse it runs on (the ratio says
//! what resolving places adds to analysing a document).
//!
//! Uses the example articles in `examples/articles/`. Run: `cargo bench --bench places`.

use geokg::extract::places::DocPlaces;
use geokg::extract::tree::Tree;
use geokg::knowledge::{Gazetteer, Places};
use geokg::nlp::Pipeline;
use std::path::Path;
use std::time::Instant;

/// The allocator the `geokg` binary uses, so the figures are the command's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut times = Vec::new();
    let mut cpu = Vec::new();
    let mut places = None;
    for _ in 0..5 {
        let t = Instant::now();
        let c = thread_cpu();
        match Places::bundled() {
            Ok(p) => places = Some(p),
            Err(e) => {
                eprintln!("cannot load the bundled places: {e}");
                return;
            }
        }
        times.push(t.elapsed().as_secs_f64());
        cpu.push(thread_cpu() - c);
    }
    let Some(places) = places else { return };
    let best = times.iter().cloned().fold(f64::INFINITY, f64::min);
    let best_cpu = cpu.iter().cloned().fold(f64::INFINITY, f64::min);
    println!(
        "load bundled places: {} places, first {:.3} s, best of 5 {:.3} s wall, {:.3} s CPU \
         (target <= 0.150 s)",
        places.len(),
        times[0],
        best,
        best_cpu
    );

    let (Ok(pipeline), Ok(gazetteer)) = (Pipeline::bundled(), Gazetteer::bundled()) else {
        eprintln!("cannot load the models or the actor gazetteer");
        return;
    };
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/articles");
    let mut texts = Vec::new();
    if let Ok(entries) = std::fs::read_dir(&dir) {
        let mut paths: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        paths.sort();
        for p in paths {
            if p.extension().is_some_and(|e| e == "txt") {
                if let Ok(t) = std::fs::read_to_string(&p) {
                    texts.push(t);
                }
            }
        }
    }
    if texts.is_empty() {
        println!("skipped resolution: no articles in {}", dir.display());
        return;
    }
    let rounds = 20;
    let t = Instant::now();
    let docs: Vec<_> = texts.iter().map(|t| pipeline.analyze(t)).collect();
    let analyse = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let mut found = 0;
    for _ in 0..rounds {
        for d in &docs {
            let tree = Tree::new(d);
            found += DocPlaces::resolve(&tree, &places, &gazetteer, None)
                .iter()
                .count();
        }
    }
    let resolve = t.elapsed().as_secs_f64() / f64::from(rounds);
    let tokens: usize = docs.iter().map(|d| d.tokens.len()).sum();
    println!(
        "resolve places: {} documents, {tokens} tokens, {} place names, {:.2} ms per pass \
         ({:.1} µs per document); analysing them took {:.1} ms: ratio {:.3}",
        docs.len(),
        found / rounds as usize,
        resolve * 1e3,
        resolve * 1e6 / docs.len() as f64,
        analyse * 1e3,
        resolve / analyse
    );
}

/// CPU seconds of this thread: on a shared machine wall time also measures the neighbours.
fn thread_cpu() -> f64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid timespec for the call to fill.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    t.tv_sec as f64 + t.tv_nsec as f64 * 1e-9
}
