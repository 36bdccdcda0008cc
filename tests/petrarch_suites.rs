//! The event-coding community's validation suites, coded from raw text with geokg's own
//! parser and each suite's own dictionaries. Floors sit just below what geokg measures, so
//! a regression fails here; `geokg validate SUITE --failures` lists what fails and why.
//!
//! Needs `../shared/peer/` beside the repository; skips with a message when it is absent.

use geokg::nlp::Pipeline;
use geokg::validate::{run_path, Report};
use std::path::{Path, PathBuf};

fn peer() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/peer");
    if p.is_dir() {
        Some(p)
    } else {
        println!("skipped: {} not found", p.display());
        None
    }
}

fn run(rel: &str) -> Option<Report> {
    let path = peer()?.join(rel);
    if !path.is_file() {
        println!("skipped: {} not found", path.display());
        return None;
    }
    let pipeline = Pipeline::bundled().expect("bundled models");
    let r = run_path(&path, None, &pipeline).expect("suite and dictionaries read");
    println!("{}", r.report);
    Some(r.report)
}

#[test]
fn petrarch_1_classic_suite_codes_most_records_exactly() {
    let Some(r) = run("petrarch/PETR.UnitTest.records.xml") else {
        return;
    };
    assert_eq!(r.total.records, 276, "the 276 valid records are counted");
    // Measured: 250 of 276 (90.6%) records exactly right, 92.8% of expected events found,
    // extra 6.9% of expected. The issue's bar: at least 90% (249) exactly right.
    assert!(
        r.total.records_right >= 249,
        "records exactly right fell to {}",
        r.total.records_right
    );
    assert!(r.recall() >= 0.92, "recall fell to {:.3}", r.recall());
}

#[test]
fn universal_petrarch_suite_finds_expected_events() {
    let Some(r) = run("UniversalPetrarch/PETR_Validate_records_2_02.xml") else {
        return;
    };
    assert_eq!(r.total.records, 264);
    // Measured: 90.2% of expected events found (286 of 317), extra 9.5% of expected (30),
    // 233 of 264 records exactly right. The issue's bar is UniversalPetrarch's own: more
    // than 85.6% found, less than 14.75% extra.
    assert!(r.recall() >= 0.90, "recall fell to {:.3}", r.recall());
    assert!(
        r.extra_rate() <= 0.10,
        "extra rose to {:.3}",
        r.extra_rate()
    );
}

#[test]
fn tabari_suite_runs_from_its_project_file() {
    let Some(r) = run("TABARI-Code/Validate.text") else {
        return;
    };
    assert!(r.total.records >= 400, "standard records counted");
    // Measured: 280 of 514 expected events found, 224 of 442 records exactly right.
    assert!(
        r.total.correct >= 278,
        "correct fell to {}",
        r.total.correct
    );
}

#[test]
fn phoenix_dictionaries_load_without_errors() {
    let Some(p) = peer() else { return };
    let dir = p.join("petrarch2");
    let d = geokg::knowledge::petrarch::Dictionaries::load_dir(&dir).expect("loads");
    assert!(d.verbs.pattern_count() > 4000, "CAMEO.2.0 patterns read");
    assert!(
        d.actors.len() > 20000,
        "Phoenix actors read: {}",
        d.actors.len()
    );
    assert!(d.agents.len() > 2000);
    assert!(d.discards.len() > 400);
    assert!(d.issues.len() > 2000);
}

#[test]
fn events_coded_with_phoenix_name_their_pattern_and_line() {
    let Some(p) = peer() else { return };
    let seeds = p.join("../seeds");
    let mut ex = geokg::extract::Extractor::bundled().expect("bundled data");
    ex.dictionaries = Some(geokg::extract::patterns::DictionaryCoding {
        dictionaries: geokg::knowledge::petrarch::Dictionaries::load_dir(&p.join("petrarch2"))
            .expect("loads"),
        replace: true,
    });
    let docs: Vec<_> =
        geokg::input::DocumentReader::new(&[seeds], geokg::input::ReadOptions::default())
            .map(|d| d.expect("seed article reads"))
            .collect();
    let events: Vec<_> = docs
        .iter()
        .flat_map(|d| ex.extract(d).statements)
        .filter(|s| s.cameo.is_some())
        .collect();
    assert!(!events.is_empty(), "the seed article codes with Phoenix");
    // Speech events ("X said") come from geokg's own reporting rules and carry no pattern;
    // every event the dictionaries coded names the pattern that gave its code.
    for e in events.iter().filter(|e| e.pattern.is_some()) {
        let pattern = e.pattern.as_deref().unwrap_or_default();
        let code = e.cameo.as_deref().unwrap_or_default();
        assert!(
            pattern.contains(&format!("[{code}]")),
            "{}: pattern {pattern:?} gives the event's code {code}",
            e.id
        );
        assert!(
            !e.relation.contains('<'),
            "the relation is the verb alone: {:?}",
            e.relation
        );
    }
    // Phoenix verbs code most events through a pattern line, not the bare verb.
    assert!(
        events
            .iter()
            .any(|e| e.pattern.as_deref().is_some_and(|p| p.contains("(line "))),
        "some event names its dictionary line"
    );
}
