//! Throughput of the English pipeline on one core: tokenize+split, tag, parse, total, and
//! the whole extraction (parse + actors + events + dates), with the ratio against the spaCy
//! baseline (`../shared/baselines/spacy_svo.py --bench`) measured in the same run when that
//! baseline is installed.
//!
//! Uses the seed article in `../shared/seeds/` when present (else a short text written for
//! this benchmark), repeated 200 times. Run: `cargo bench --bench nlp`.

use std::path::Path;
use std::time::Instant;

use geokg::nlp::{split, tokenize, Pipeline};

/// The allocator the `geokg` binary uses, so the figures are the command's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const FALLBACK: &str = "WASHINGTON — The president said on Thursday that a minerals deal with \
Ukraine would give Kyiv the security it needs, brushing aside calls for U.S. troops.\n\n\
\"We're going to have a lot of people over there,\" he told reporters. The British prime \
minister, who met him at the White House, said Europe would raise defence spending.\n\n\
Talks with Russia\n\nOfficials in Moscow didn't comment on Feb. 27, but Mr. Putin's aides \
said earlier that any deal must respect Russia's interests.";

fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    let seed_path = std::fs::read_dir(&seeds).ok().and_then(|entries| {
        let mut files: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        files.sort();
        files.into_iter().next()
    });
    let seed_text = seed_path
        .as_deref()
        .and_then(|p| std::fs::read_to_string(p).ok());
    let (source, base) = match seed_text {
        Some(t) => ("seed article", t),
        None => ("inline text", FALLBACK.to_string()),
    };
    let text = vec![base.as_str(); 200].join("\n\n");

    let load_start = Instant::now();
    // GEOKG_MODELS measures another model folder (as `geokg` itself reads it).
    let models = std::env::var_os("GEOKG_MODELS");
    let pipeline = match models
        .as_ref()
        .map_or_else(Pipeline::bundled, |d| Pipeline::load(Path::new(d)))
    {
        Ok(p) => p,
        Err(e) => {
            eprintln!("cannot load bundled models: {e}");
            return;
        }
    };
    let load = load_start.elapsed().as_secs_f64();

    let t0 = Instant::now();
    let spans = tokenize::tokenize(&text, 0..text.len());
    let sentences = split::sentences(&text, &spans);
    let t_split = t0.elapsed().as_secs_f64();
    let n_tokens = spans.len();
    let n_sents = sentences.len();
    let words: Vec<Vec<&str>> = sentences
        .iter()
        .map(|r| spans[r.clone()].iter().map(|s| &text[s.clone()]).collect())
        .collect();

    let t1 = Instant::now();
    let tags: Vec<Vec<usize>> = words.iter().map(|w| pipeline.tag_indices(w)).collect();
    let t_tag = t1.elapsed().as_secs_f64();

    let t2 = Instant::now();
    let mut arcs = 0usize;
    for (w, t) in words.iter().zip(&tags) {
        arcs += pipeline
            .parse_indices(w, t)
            .heads
            .iter()
            .filter(|h| h.is_some())
            .count();
    }
    let t_parse = t2.elapsed().as_secs_f64();

    let t3 = Instant::now();
    let doc = pipeline.analyze(&text);
    let t_total = t3.elapsed().as_secs_f64();

    let rate = |n: usize, s: f64| n as f64 / s.max(1e-9);
    println!("nlp benchmark: {source} x 200, {} bytes, {n_tokens} tokens, {n_sents} sentences, one thread", text.len());
    println!("model load:        {load:.3} s");
    println!(
        "tokenize+split:    {:>10.0} tokens/s  {:>8.0} sentences/s",
        rate(n_tokens, t_split),
        rate(n_sents, t_split)
    );
    println!(
        "tag:               {:>10.0} tokens/s  {:>8.0} sentences/s",
        rate(n_tokens, t_tag),
        rate(n_sents, t_tag)
    );
    println!(
        "parse:             {:>10.0} tokens/s  {:>8.0} sentences/s",
        rate(n_tokens, t_parse),
        rate(n_sents, t_parse)
    );
    println!(
        "tag+parse:         {:>10.0} tokens/s",
        rate(n_tokens, t_tag + t_parse)
    );
    println!(
        "total (analyze):   {:>10.0} tokens/s  {:>8.0} sentences/s  (incl. lemmas, {} tokens, {arcs} arcs)",
        rate(doc.tokens.len(), t_total),
        rate(doc.sentences.len(), t_total),
        doc.tokens.len()
    );
    // The whole extraction, one thread: what a user waits for.
    let extractor = match geokg::commands::load_extractor(None, None, false) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("cannot load bundled data: {e}");
            return;
        }
    };
    let t4 = Instant::now();
    let statements = extractor.extract_doc("bench", &extractor.pipeline.analyze(&text), None);
    let t_extract = t4.elapsed().as_secs_f64();
    let extract_rate = rate(n_tokens, t_extract);
    println!(
        "full extraction:   {:>10.0} tokens/s  {:>8.0} sentences/s  ({} statements)",
        extract_rate,
        rate(n_sents, t_extract),
        statements.len()
    );
    if let Some(ratio) = seed_path
        .as_deref()
        .and_then(|p| spacy_ratio(p, extract_rate))
    {
        println!("vs spaCy baseline: {ratio:.1}x its tokens per CPU-second (same input, same run)");
    }
    match peak_rss_kb() {
        Some(kb) => println!("peak RSS:          {:.1} MB", kb as f64 / 1024.0),
        None => println!("peak RSS:          unavailable"),
    }
}

/// Runs the spaCy baseline on the same article repeated 200 times and returns geokg's
/// throughput over spaCy's tokens per CPU-second; `None` (with a message) when the baseline
/// or spaCy is not installed.
fn spacy_ratio(article: &Path, geokg_tokens_per_s: f64) -> Option<f64> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/baselines/spacy_svo.py");
    let has_spacy = std::process::Command::new("python3")
        .args(["-c", "import spacy"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !script.is_file() || !has_spacy {
        println!("vs spaCy baseline: not installed (see ../shared/baselines/README.md)");
        return None;
    }
    let out = std::process::Command::new("python3")
        .arg(&script)
        .arg(article)
        .args(["--bench", "--repeat", "200"])
        .output()
        .ok()?;
    let line = String::from_utf8_lossy(&out.stdout);
    let v: serde_json::Value = serde_json::from_str(line.trim()).ok()?;
    let spacy = v.get("tokens_per_cpu_s")?.as_f64()?;
    println!("spaCy baseline:    {spacy:>10.0} tokens per CPU-second");
    Some(geokg_tokens_per_s / spacy.max(1e-9))
}
