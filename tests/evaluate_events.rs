//! `geokg evaluate-events` through the binary, and against `score_events.py`, whose figures
//! are the contract: on the fictional fixtures under `tests/fixtures/evaluate-events`,
//! and on the development set and the seed article as this build extracts them. The
//! script and the sets live in `../shared/eval` and `../shared/seeds` beside the
//! repository; the comparisons skip with a message when they (or python3) are absent.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const GEOKG: &str = env!("CARGO_BIN_EXE_geokg");

fn geokg(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(GEOKG)
        .args(args)
        .env_remove("GEOKG_DATA")
        .output()
        .expect("geokg runs")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/evaluate-events")
        .join(name)
}

fn shared(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(rel)
}

fn scorer() -> Option<PathBuf> {
    let script = shared("eval/score_events.py");
    let python = Command::new("python3").arg("--version").output();
    if script.is_file() && python.is_ok_and(|o| o.status.success()) {
        Some(script)
    } else {
        eprintln!("skipping: {} or python3 not found", script.display());
        None
    }
}

/// The scorer's text line, its `--json` object and the ids it lists as missed.
fn python(script: &Path, gold: &Path, pred: &Path) -> (String, Value, Vec<String>) {
    let run = |extra: &[&str]| {
        let out = Command::new("python3")
            .arg(script)
            .arg(gold)
            .arg(pred)
            .args(extra)
            .output()
            .expect("python3 runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    };
    let text = String::from_utf8(run(&[]).stdout).unwrap();
    let json = serde_json::from_slice(&run(&["--json"]).stdout).unwrap();
    let listed = run(&["--show-misses"]);
    let mut missed: Vec<String> = String::from_utf8(listed.stderr)
        .unwrap()
        .lines()
        .filter_map(|l| l.strip_prefix("missed ")?.split(' ').next())
        .map(str::to_string)
        .collect();
    missed.sort();
    (text.trim_end().to_string(), json, missed)
}

/// Ours: the first line of the text report, and the `--json` report.
fn ours(gold: &Path, pred: &Path) -> (String, Value) {
    let text = geokg(&[
        "evaluate-events".as_ref(),
        gold.as_os_str(),
        pred.as_os_str(),
    ]);
    assert!(
        text.status.success(),
        "{}",
        String::from_utf8_lossy(&text.stderr)
    );
    let json = geokg(&[
        "evaluate-events".as_ref(),
        gold.as_os_str(),
        pred.as_os_str(),
        "--json".as_ref(),
    ]);
    assert!(json.status.success());
    let line = String::from_utf8(text.stdout)
        .unwrap()
        .lines()
        .next()
        .unwrap_or_default()
        .to_string();
    (line, serde_json::from_slice(&json.stdout).unwrap())
}

fn assert_same_as_scorer(script: &Path, gold: &Path, pred: &Path) -> String {
    let (their_line, their_json, their_missed) = python(script, gold, pred);
    let (our_line, our_json) = ours(gold, pred);
    assert_eq!(our_line, their_line, "figures line for {}", pred.display());
    assert_eq!(
        our_json["scores"],
        their_json,
        "--json for {}",
        pred.display()
    );
    let mut our_missed: Vec<String> = our_json["misses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap().to_string())
        .collect();
    our_missed.sort();
    assert_eq!(
        our_missed,
        their_missed,
        "missed ids for {}",
        pred.display()
    );
    our_line
}

#[test]
fn fixture_report_through_the_binary() {
    let (gold, pred) = (fixture("gold.jsonl"), fixture("pred.jsonl"));
    let (line, json) = ours(&gold, &pred);
    assert_eq!(
        line,
        "gold=15 core=10 predicted=20 recall_core=0.5 recall_all=0.4 precision=0.35 f1=0.373 \
         date_accuracy=0.75"
    );
    assert_eq!(json["counts"]["correct"], 7);
    assert_eq!(json["wrong_dates"]["all"], 1);
    let out = geokg(&[
        "evaluate-events".as_ref(),
        gold.as_os_str(),
        pred.as_os_str(),
        "--misses".as_ref(),
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    // Root names come from the bundled CAMEO table.
    assert!(text.contains("  16 Reduce relations"), "{text}");
    assert!(text.contains("f03-05 extra no trigger       | Norland demanded an apology"));
    assert!(text.contains("line 20 f09: Kell -host [043]-> (none) | Kell hosted a summit."));
}

#[test]
fn figures_equal_the_scorers_on_the_fixtures() {
    let Some(script) = scorer() else { return };
    assert_same_as_scorer(&script, &fixture("gold.jsonl"), &fixture("pred.jsonl"));
}

#[test]
fn figures_equal_the_scorers_on_the_dev_set_and_the_seed() {
    let Some(script) = scorer() else { return };
    let dir = tempfile::tempdir().unwrap();
    let seeds: Vec<PathBuf> = std::fs::read_dir(shared("seeds"))
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "txt"))
                .collect()
        })
        .unwrap_or_default();
    let sets = [
        ("dev", vec![shared("eval/dev-news.docs.jsonl")], "dev-news"),
        ("seed", seeds, "seed-article"),
    ];
    for (name, inputs, gold) in sets {
        let gold = shared(&format!("eval/{gold}.gold.jsonl"));
        if inputs.is_empty() || !inputs.iter().all(|p| p.is_file()) || !gold.is_file() {
            eprintln!("skipping {name}: not found beside the repository");
            continue;
        }
        let mut args: Vec<&std::ffi::OsStr> = vec!["extract".as_ref()];
        args.extend(inputs.iter().map(|p| p.as_os_str()));
        args.extend(["--format", "jsonl", "--quiet"].map(std::ffi::OsStr::new));
        let extracted = geokg(&args);
        assert!(extracted.status.success());
        let pred = dir.path().join(format!("{name}.jsonl"));
        std::fs::write(&pred, &extracted.stdout).unwrap();
        let line = assert_same_as_scorer(&script, &gold, &pred);
        println!("{name}: {line}");
    }
}

#[test]
fn unreadable_lines_are_named_and_the_rest_is_scored() {
    let dir = tempfile::tempdir().unwrap();
    let gold = dir.path().join("gold.jsonl");
    let mut text = std::fs::read_to_string(fixture("gold.jsonl")).unwrap();
    text.push_str("{\"id\": \"f05-01\", \"doc\": \"f05\"\n");
    std::fs::write(&gold, text).unwrap();
    let out = geokg(&[
        "evaluate-events".as_ref(),
        gold.as_os_str(),
        fixture("pred.jsonl").as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("gold.jsonl:16: not a gold event"), "{err}");
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .starts_with("gold=15 core=10 predicted=20 recall_core=0.5 "));

    let missing = dir.path().join("absent.jsonl");
    let out = geokg(&[
        "evaluate-events".as_ref(),
        gold.as_os_str(),
        missing.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("absent.jsonl"));
}
