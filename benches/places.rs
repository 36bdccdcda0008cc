//! The place gazetteer: time to load the bundled file (target: at most 0.2 s, paid by every
//! run), the per-document resolution pass against the parse it runs on (the ratio says what
//! resolving places adds to analysing a document), and what the whole locating step (place
//! resolution and each event's location) adds to full extraction, as `geokg extract` runs
//! it: the same extractor with `Extractor::locations` on and off, rounds interleaved, in
//! thread CPU time (target: at most 10%).
//!
//! Uses the example articles in `examples/articles/`. Run: `cargo bench --bench places`.

use geokg::extract::places::DocPlaces;
use geokg::extract::tree::Tree;
use geokg::input::{Document, DocumentReader, ReadOptions};
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
         (target <= 0.200 s)",
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
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    paths.retain(|p| p.extension().is_some_and(|e| e == "txt"));
    paths.sort();
    let texts: Vec<String> = paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
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
    drop(docs);
    drop(pipeline);
    drop(gazetteer);
    drop(places);
    extraction(&paths);
}

/// Full extraction of the articles, read as `geokg extract` reads them, with locating on and
/// off: interleaved rounds, each mode's median round in thread CPU time.
fn extraction(paths: &[std::path::PathBuf]) {
    let mut extractor = match geokg::commands::load_extractor(None, None, false) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("cannot load the extractor: {e}");
            return;
        }
    };
    let docs: Vec<Document> = DocumentReader::new(paths, ReadOptions::default())
        .filter_map(Result::ok)
        .collect();
    let tokens: usize = docs.iter().map(|d| extractor.analyze(d).tokens.len()).sum();
    let (rounds, passes) = (25, 20);
    // One round: every article analysed and extracted `passes` times (a round of a few
    // milliseconds is at the clock's mercy); the counts, of one pass, check both modes ran.
    let round = |ex: &geokg::extract::Extractor| {
        let c = thread_cpu();
        let (mut events, mut located) = (0, 0);
        for _ in 0..passes {
            (events, located) = (0, 0);
            for d in &docs {
                for s in &ex.extract(d).statements {
                    if s.cameo.is_some() {
                        events += 1;
                        located += usize::from(s.location.is_some());
                    }
                }
            }
        }
        ((thread_cpu() - c) / f64::from(passes), events, located)
    };
    // A warm-up round of each, then the measured ones, alternating so the neighbours' load
    // falls on both alike.
    round(&extractor);
    extractor.locations = false;
    round(&extractor);
    let (mut on, mut off) = (Vec::new(), Vec::new());
    let (mut on_counts, mut off_counts) = ((0, 0), (0, 0));
    for _ in 0..rounds {
        extractor.locations = true;
        let (t, e, l) = round(&extractor);
        on.push(t);
        on_counts = (e, l);
        extractor.locations = false;
        let (t, e, l) = round(&extractor);
        off.push(t);
        off_counts = (e, l);
    }
    let (on, off) = (median(&mut on), median(&mut off));
    let rate = |t: f64| tokens as f64 / t;
    println!(
        "extract with locating: {} documents, {tokens} tokens, {} events ({} located), \
         median of {rounds} rounds of {passes} passes {:.2} ms CPU per pass, {:.0} tokens/s",
        docs.len(),
        on_counts.0,
        on_counts.1,
        on * 1e3,
        rate(on)
    );
    println!(
        "extract without locating: {} events ({} located), median of {rounds} rounds of \
         {passes} passes {:.2} ms CPU per pass, {:.0} tokens/s",
        off_counts.0,
        off_counts.1,
        off * 1e3,
        rate(off)
    );
    println!(
        "locating adds {:.1}% to extraction time (target <= 10%)",
        (on / off - 1.0) * 100.0
    );
}

fn median(xs: &mut [f64]) -> f64 {
    xs.sort_by(f64::total_cmp);
    match xs.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => xs[n / 2],
        n => (xs[n / 2 - 1] + xs[n / 2]) / 2.0,
    }
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
