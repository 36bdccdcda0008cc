//! The actor gazetteer with and without the converted Phoenix dictionaries, in one process:
//! load time (target: the Phoenix files add at most 0.15 s to `Gazetteer::bundled()`), name
//! matching (`longest_match` at every token of a text) with about a hundred thousand forms
//! against geokg's own few thousand, and extraction from the same parsed text with each
//! (target: with Phoenix at least 0.9 of the throughput; ratios printed).
//!
//! Uses the seed article in `../shared/seeds/` when present, else a short text written for
//! this benchmark, repeated 200 times. Run: `cargo bench --bench knowledge`.

use std::path::Path;
use std::time::Instant;

use geokg::knowledge::Gazetteer;

/// The allocator the `geokg` binary uses, so the figures are the command's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const FALLBACK: &str = "The foreign minister of Valdoria met his Northmark counterpart on \
Tuesday in Kabul. Afghan National Army troops and the al Qaeda fighters clashed near \
Kandahar, officials of the National Assembly said. The United States Department of State \
condemned the raid; President Karzai called for talks.";

/// Best of `n` runs of `f`, in seconds, and its last result.
fn best_of<T>(n: usize, mut f: impl FnMut() -> T) -> (f64, f64, T) {
    let mut times = Vec::with_capacity(n);
    let mut last = None;
    for _ in 0..n {
        let t = Instant::now();
        last = Some(f());
        times.push(t.elapsed().as_secs_f64());
    }
    let best = times.iter().cloned().fold(f64::INFINITY, f64::min);
    let Some(last) = last else {
        panic!("no run");
    };
    (times[0], best, last)
}

fn main() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    let seed = std::fs::read_dir(&seeds).ok().and_then(|rd| {
        let mut v: Vec<_> = rd
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        v.sort();
        v.into_iter().next()
    });
    let (source, base) = match seed.and_then(|p| std::fs::read_to_string(p).ok()) {
        Some(t) => ("seed article", t),
        None => ("inline text", FALLBACK.to_string()),
    };
    let text = vec![base.as_str(); 200].join("\n\n");
    let words: Vec<&str> = geokg::nlp::tokenize::tokenize(&text, 0..text.len())
        .into_iter()
        .map(|t| &text[t])
        .collect();

    let load = |own_only: bool| {
        let g = if own_only {
            Gazetteer::bundled_own()
        } else {
            Gazetteer::bundled()
        };
        g.unwrap_or_else(|e| panic!("bundled gazetteer does not load: {e}"))
    };
    let (own_first, own_best, own) = best_of(5, || load(true));
    let (all_first, all_best, all) = best_of(5, || load(false));
    let c = all.phoenix_counts();
    println!(
        "gazetteer: own {} actors; with Phoenix {} actors ({} left out as own, {} places, {} role nouns)",
        own.actors().len(),
        all.actors().len(),
        c.actors_own,
        c.places,
        c.role_nouns
    );
    println!("load own files:      first {own_first:.3} s, best {own_best:.3} s");
    println!("load with Phoenix:   first {all_first:.3} s, best {all_best:.3} s");
    println!(
        "Phoenix adds:        {:.3} s (best against best; target <= 0.150 s), ratio {:.2}x",
        all_best - own_best,
        all_best / own_best
    );

    let scan = |g: &Gazetteer| {
        let mut found = 0usize;
        let mut i = 0;
        while i < words.len() {
            match g.longest_match(&words, i) {
                Some(m) => {
                    found += 1;
                    i += m.len;
                }
                None => i += 1,
            }
        }
        found
    };
    let (_, own_t, own_found) = best_of(5, || scan(&own));
    let (_, all_t, all_found) = best_of(5, || scan(&all));
    let rate = |t: f64| words.len() as f64 / t;
    println!(
        "longest_match over {source} x 200 ({} tokens): own {:.0} tokens/s ({own_found} names), with Phoenix {:.0} tokens/s ({all_found} names), ratio {:.2}",
        words.len(),
        rate(own_t),
        rate(all_t),
        own_t / all_t
    );

    // Extraction proper (the parse done once beforehand), with each gazetteer.
    let mut extractor = match geokg::extract::Extractor::bundled() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("cannot load bundled data: {e}");
            return;
        }
    };
    let doc = extractor.pipeline.analyze(&text);
    let mut extract = |g: Gazetteer| {
        extractor.knowledge.gazetteer = g;
        let (_, t, n) = best_of(3, || extractor.extract_doc("bench", &doc, None).len());
        (t, n)
    };
    let (own_x, own_n) = extract(own);
    let (all_x, all_n) = extract(all);
    println!(
        "extract_doc (parse excluded): own {:.0} tokens/s ({own_n} statements), with Phoenix {:.0} tokens/s ({all_n} statements), ratio {:.2} (target >= 0.90)",
        rate(own_x),
        rate(all_x),
        own_x / all_x
    );
}
