//! `--country` and `--near LAT,LON --km N` through the binary, on a store built from
//! sentences written for these tests: a meeting in Lviv, shelling of Kharkiv, a meeting in
//! Paris, a meeting placed only in Poland, and a criticism with no place at all.

use std::path::Path;
use std::process::Command;

const GEOKG: &str = env!("CARGO_BIN_EXE_geokg");

const TEXTS: [(&str, &str); 5] = [
    (
        "lviv",
        "Ukrainian President Volodymyr Zelenskiy met Polish President Andrzej Duda in Lviv on Monday.",
    ),
    (
        "kharkiv",
        "Russian forces shelled Kharkiv overnight, Ukrainian officials said.",
    ),
    (
        "paris",
        "French President Emmanuel Macron met Italian Prime Minister Giorgia Meloni in Paris on Tuesday.",
    ),
    (
        "poland",
        "Zelenskiy met Duda in Poland on Friday to discuss grain exports.",
    ),
    (
        "unplaced",
        "Andrzej Duda criticised Vladimir Putin on Wednesday.",
    ),
];

struct Run {
    code: Option<i32>,
    out: String,
    err: String,
}

fn run(store: &Path, args: &[&str]) -> Run {
    let out = Command::new(GEOKG)
        .args(args)
        .arg("--store")
        .arg(store)
        .env_remove("GEOKG_STORE")
        .env_remove("GEOKG_DATA")
        .output()
        .expect("geokg runs");
    Run {
        code: out.status.code(),
        out: String::from_utf8_lossy(&out.stdout).into_owned(),
        err: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn json(r: &Run) -> serde_json::Value {
    assert_eq!(r.code, Some(0), "{}", r.err);
    serde_json::from_str(&r.out).unwrap_or_else(|e| panic!("{e}: {}", r.out))
}

/// The store, built once per test (each test has its own folder).
fn store() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let texts = dir.path().join("texts");
    std::fs::create_dir(&texts).expect("mkdir");
    for (name, text) in TEXTS {
        std::fs::write(texts.join(format!("{name}.txt")), text).expect("write");
    }
    let out = Command::new(GEOKG)
        .arg("build")
        .arg(&texts)
        .args(["--quiet", "--date", "2024-03-04", "--store"])
        .arg(dir.path().join("store"))
        .env_remove("GEOKG_DATA")
        .output()
        .expect("geokg build runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir
}

fn docs(timeline: &serde_json::Value) -> Vec<String> {
    let mut docs: Vec<String> = timeline["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| e["doc"].as_str().map(str::to_string))
        .collect();
    docs.sort();
    docs
}

#[test]
fn country_keeps_events_located_in_it_by_code_or_name() {
    let dir = store();
    let store = dir.path().join("store");
    let all = json(&run(&store, &["timeline", "Zelenskiy", "--json"]));
    assert_eq!(docs(&all), ["lviv", "poland"]);
    let ukraine = json(&run(
        &store,
        &["timeline", "Zelenskiy", "--country", "UKR", "--json"],
    ));
    assert_eq!(docs(&ukraine), ["lviv"], "the meeting in Lviv");
    // A country name, and a location known only as that country, match.
    let poland = run(
        &store,
        &["timeline", "Zelenskiy", "--country", "Poland", "--json"],
    );
    assert_eq!(docs(&json(&poland)), ["poland"]);
    assert_eq!(
        json(&poland)["events"][0]["location"]["precision"],
        "country"
    );
    // Several countries, one of them in lower case; unlocated events never match.
    let either = run(
        &store,
        &["timeline", "Duda", "--country", "pol,Ukraine", "--json"],
    );
    assert_eq!(docs(&json(&either)), ["lviv", "poland"]);
    assert!(
        either
            .err
            .contains("--country left out 1 event without a location"),
        "{}",
        either.err
    );
    // Whoever took part: the shelling of Kharkiv is Russian, located in Ukraine.
    let ranked = json(&run(&store, &["rank", "--country", "UKR", "--json"]));
    let ids: Vec<&str> = ranked["actors"]
        .as_array()
        .expect("actors")
        .iter()
        .filter_map(|a| a["actor"]["id"].as_str())
        .collect();
    assert!(ids.contains(&"group-rusmil"), "{ranked}");
    assert!(!ids.contains(&"emmanuel-macron"), "{ranked}");
}

#[test]
fn near_keeps_events_within_the_radius_and_never_country_only_ones() {
    let dir = store();
    let store = dir.path().join("store");
    // Lviv is about 470 km from Kyiv, Kharkiv about 410 km; Paris is 2,000 km away.
    let near_kyiv = ["--near", "50.45,30.52", "--km", "500"];
    let r = run(
        &store,
        &[&["timeline", "Zelenskiy", "--json"][..], &near_kyiv].concat(),
    );
    assert_eq!(docs(&json(&r)), ["lviv"]);
    assert!(
        r.err
            .contains("1 event located only at a country (no point to measure from)"),
        "the meeting placed only in Poland is said not to match: {}",
        r.err
    );
    let n = json(&run(
        &store,
        &[&["neighbors", "Zelenskiy", "--json"][..], &near_kyiv].concat(),
    ));
    assert_eq!(n["actors"][0]["actor"]["id"], "andrzej-duda", "{n}");
    assert_eq!(n["actors"].as_array().map(Vec::len), Some(1), "{n}");
    let short = run(
        &store,
        &[
            "path",
            "Zelenskiy",
            "Duda",
            "--near",
            "49.84,24.03",
            "--km",
            "20",
            "--json",
        ],
    );
    let hops = json(&short)["paths"][0]["hops"].clone();
    assert_eq!(hops.as_array().map(Vec::len), Some(1), "{hops}");
    assert!(short.out.contains("in Lviv"), "{}", short.out);
    // Too small a radius around Kyiv leaves Lviv out, so Zelenskiy is not in the graph.
    let none = run(
        &store,
        &[
            "timeline",
            "Zelenskiy",
            "--near",
            "50.45,30.52",
            "--km",
            "300",
        ],
    );
    assert_ne!(none.code, Some(0));
    assert!(!none.err.contains("panicked"), "{}", none.err);
    // South and west are negative, and need no `=`.
    let south_atlantic = json(&run(
        &store,
        &["rank", "--near", "-33.92,-18.42", "--km", "100", "--json"],
    ));
    assert_eq!(south_atlantic["actors"].as_array().map(Vec::len), Some(0));
}

#[test]
fn exports_keep_what_the_location_filters_keep_with_coordinates() {
    let dir = store();
    let store = dir.path().join("store");
    let r = run(
        &store,
        &[
            "export",
            "--format",
            "nodes-csv",
            "--near",
            "48.85,2.35",
            "--km",
            "10",
        ],
    );
    assert_eq!(r.code, Some(0), "{}", r.err);
    let rows: Vec<&str> = r.out.lines().collect();
    assert_eq!(rows.len(), 3, "Macron and Meloni: {}", r.out);
    assert!(rows[0].contains("Latitude,Longitude"), "{}", rows[0]);
    assert!(
        rows[1..]
            .iter()
            .all(|row| row.contains(",48.85") && row.contains(",Paris,events")),
        "{}",
        r.out
    );
    let graphml = run(
        &store,
        &["export", "--format", "graphml", "--country", "UKR"],
    );
    assert_eq!(graphml.code, Some(0), "{}", graphml.err);
    for id in [
        "volodymyr-zelenskyy",
        "andrzej-duda",
        "group-rusmil",
        "country-ukr",
    ] {
        assert!(graphml.out.contains(&format!("<node id=\"{id}\">")), "{id}");
    }
    assert!(!graphml.out.contains("emmanuel-macron"));
    // Ukraine stands at Kyiv, its capital.
    let ukraine = graphml
        .out
        .split("<node id=\"country-ukr\">")
        .nth(1)
        .and_then(|s| s.split("</node>").next())
        .expect("Ukraine's node");
    assert!(
        ukraine.contains("<data key=\"n_place\">Kyiv</data>"),
        "{ukraine}"
    );
    assert!(
        ukraine.contains("<data key=\"n_latitude\">50.45"),
        "{ukraine}"
    );
}

#[test]
fn bad_location_filters_are_usage_errors() {
    let dir = store();
    let store = dir.path().join("store");
    let cases: [(&[&str], &str); 8] = [
        (
            &["--near", "91,0", "--km", "5"],
            "latitude 91 is outside -90..90",
        ),
        (
            &["--near", "0,181", "--km", "5"],
            "longitude 181 is outside -180..180",
        ),
        (&["--near", "abc", "--km", "5"], "is not LAT,LON"),
        (
            &["--near", "50,30", "--km", "-3"],
            "\"-3\" is not a distance in kilometres",
        ),
        (
            &["--near", "50,30", "--km", "abc"],
            "is not a distance in kilometres",
        ),
        (&["--near", "50,30"], "--km <KM>"),
        (&["--km", "5"], "--near <LAT,LON>"),
        (
            &["--country", "Atlantis"],
            "no country is known as \"Atlantis\"",
        ),
    ];
    for (args, message) in cases {
        for command in [&["neighbors", "Duda"][..], &["export", "--format", "gexf"]] {
            let r = run(&store, &[command, args].concat());
            assert_eq!(r.code, Some(2), "{command:?} {args:?}: {}", r.err);
            assert!(r.err.contains(message), "{args:?}: {}", r.err);
            assert!(r.out.is_empty(), "{args:?} printed {}", r.out);
        }
    }
    let r = run(&store, &["timeline", "Duda", "--country", "UA"]);
    assert_eq!(r.code, Some(2));
    assert!(r.err.contains("no two-letter country codes"), "{}", r.err);
}
