//! PETRARCH dictionaries: time to load all Phoenix dictionaries plus `CAMEO.2.0.txt`
//! (target: at most 1 s; PETRARCH-2 takes 2.7 s), and extraction throughput when coding
//! with them against coding with geokg's own event lexicon on the same text (ratio
//! printed; target: at least 0.5).
//!
//! Needs `../shared/peer/petrarch2/` (skips with a message otherwise). Uses the seed article
//! in `../shared/seeds/` when present, else a short text written for this benchmark,
//! repeated 100 times. Run: `cargo bench --bench dictionaries`.

use geokg::extract::patterns::DictionaryCoding;
use geokg::extract::Extractor;
use geokg::input::Document;
use geokg::knowledge::petrarch::{role_of, Dictionaries};
use std::path::Path;
use std::time::Instant;

/// The allocator the `geokg` binary uses, so the figures are the command's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const FALLBACK: &str = "The foreign minister of Valdoria met his Northmark counterpart on \
Tuesday and agreed to restore diplomatic ties. Northmark troops had attacked a border post \
in March, and the Valdorian government condemned the raid. Officials said both sides would \
hold talks in Geneva next week.";

fn main() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    let dir = shared.join("peer/petrarch2");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("skipped: {} not found", dir.display());
        return;
    };
    let mut files: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let n = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            n.starts_with("Phoenix.") || n == "CAMEO.2.0.txt"
        })
        .filter_map(|p| role_of(&p).map(|r| (r, p)))
        .collect();
    files.sort_by(|a, b| a.1.cmp(&b.1));

    // Load three times, report the best and the first (cold file cache aside).
    let mut times = Vec::new();
    let mut dict = None;
    for _ in 0..3 {
        let t = Instant::now();
        match Dictionaries::from_files(&files) {
            Ok(d) => dict = Some(d),
            Err(e) => {
                eprintln!("cannot load the dictionaries: {e}");
                return;
            }
        }
        times.push(t.elapsed().as_secs_f64());
    }
    let Some(dict) = dict else { return };
    let best = times.iter().cloned().fold(f64::INFINITY, f64::min);
    println!(
        "load {} files: {} verb patterns, {} actors, {} agents, {} discards, {} issues",
        files.len(),
        dict.verbs.pattern_count(),
        dict.actors.len(),
        dict.agents.len(),
        dict.discards.len(),
        dict.issues.len()
    );
    println!(
        "load time: first {:.3} s, best {:.3} s (target <= 1 s)",
        times[0], best
    );

    let seed = std::fs::read_dir(shared.join("seeds")).ok().and_then(|rd| {
        let mut v: Vec<_> = rd
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        v.sort();
        v.into_iter()
            .next()
            .and_then(|p| std::fs::read_to_string(p).ok())
    });
    let (what, base) = match seed {
        Some(t) => ("seed article", t),
        None => ("inline text", FALLBACK.to_string()),
    };
    let text = vec![base.as_str(); 100].join("\n\n");
    let doc = Document {
        id: "bench".into(),
        text,
        body_start: 0,
        date: chrono::NaiveDate::from_ymd_opt(2025, 3, 1),
        place: None,
        title: None,
        url: None,
        source: None,
        warnings: Vec::new(),
        origin: geokg::error::Location {
            file: "bench".into(),
            line: None,
        },
    };
    let own = match Extractor::bundled() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("cannot load geokg's data: {e}");
            return;
        }
    };
    let mut with = match Extractor::bundled() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("cannot load geokg's data: {e}");
            return;
        }
    };
    with.dictionaries = Some(DictionaryCoding {
        dictionaries: dict,
        replace: true,
    });
    let run = |ex: &Extractor| {
        let t = Instant::now();
        let g = ex.extract(&doc);
        (t.elapsed().as_secs_f64(), g.statements.len())
    };
    let _ = run(&own);
    let (t_own, n_own) = run(&own);
    let (t_dict, n_dict) = run(&with);
    let kb = doc.text.len() as f64 / 1024.0;
    println!(
        "{what} x100 ({kb:.0} KiB), one core: own lexicon {:.1} KiB/s ({n_own} statements), \
         Phoenix dictionaries {:.1} KiB/s ({n_dict} statements)",
        kb / t_own,
        kb / t_dict
    );
    println!(
        "throughput ratio dictionaries / own lexicon: {:.2} (target >= 0.5)",
        t_own / t_dict
    );
}
