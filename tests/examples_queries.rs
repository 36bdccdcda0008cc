//! `geokg build examples`, then every query in examples/queries returns the rows its comment
//! promises. Each `# expect-row: a | b | c` line in a query names values that must all
//! appear together in one result row.

use std::path::Path;
use std::process::Command;

fn geokg() -> Command {
    Command::new(env!("CARGO_BIN_EXE_geokg"))
}

#[test]
fn every_example_query_returns_the_rows_it_promises() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let store = tempfile::tempdir().expect("temporary store folder");
    let out = geokg()
        .arg("build")
        .arg(root.join("examples"))
        .arg("--store")
        .arg(store.path())
        .arg("--quiet")
        .output()
        .expect("geokg build runs");
    assert!(
        out.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut queries: Vec<_> = std::fs::read_dir(root.join("examples/queries"))
        .expect("examples/queries exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "rq"))
        .collect();
    queries.sort();
    assert!(queries.len() >= 4, "four example queries at least");
    for q in queries {
        let text = std::fs::read_to_string(&q).expect("query file reads");
        let first = text.lines().next().unwrap_or_default();
        assert!(
            first.starts_with("# "),
            "{} opens with a comment saying what it answers",
            q.display()
        );
        let expected: Vec<Vec<String>> = text
            .lines()
            .filter_map(|l| l.strip_prefix("# expect-row:"))
            .map(|l| l.split('|').map(|v| v.trim().to_string()).collect())
            .collect();
        assert!(!expected.is_empty(), "{} promises rows", q.display());
        let out = geokg()
            .args(["query", "--format", "tsv", "--store"])
            .arg(store.path())
            .arg("--file")
            .arg(&q)
            .output()
            .expect("geokg query runs");
        assert!(
            out.status.success(),
            "{}: {}",
            q.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        let table = String::from_utf8_lossy(&out.stdout);
        let rows: Vec<&str> = table.lines().skip(1).collect();
        for want in &expected {
            assert!(
                rows.iter()
                    .any(|row| want.iter().all(|v| row.contains(v.as_str()))),
                "{}: no row holds {:?}\n{}",
                q.display(),
                want,
                table
            );
        }
    }
}

#[test]
fn building_twice_changes_nothing() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let store = tempfile::tempdir().expect("temporary store folder");
    let build = || {
        let out = geokg()
            .arg("build")
            .arg(root.join("examples"))
            .arg("--store")
            .arg(store.path())
            .arg("--quiet")
            .output()
            .expect("geokg build runs");
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let first = build();
    let second = build();
    assert!(first.contains("0 unchanged"), "{first}");
    assert!(second.contains(" 0 added, 0 replaced"), "{second}");
    let quads = |s: &str| s.lines().find(|l| l.contains("quads")).map(str::to_string);
    assert_eq!(quads(&first), quads(&second));
}

#[test]
fn bad_input_is_reported_by_name_and_the_rest_is_processed() {
    let dir = tempfile::tempdir().expect("temporary folder");
    std::fs::write(
        dir.path().join("a-good.txt"),
        "Poland condemned Belarus on Thursday.",
    )
    .expect("write");
    std::fs::write(dir.path().join("b-broken.txt"), b"\xff\xfe\x00garbage").expect("write");
    std::fs::write(
        dir.path().join("c-docs.jsonl"),
        "{\"id\": \"x\", \"text\": \"Chile thanked Peru.\"}\n{oops\n",
    )
    .expect("write");
    let out = geokg()
        .arg("extract")
        .arg(dir.path())
        .args(["--date", "2025-03-07", "--quiet"])
        .output()
        .expect("geokg extract runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("b-broken.txt"), "{stderr}");
    assert!(stderr.contains("c-docs.jsonl:2"), "{stderr}");
    assert!(stdout.contains("\"doc\":\"a-good\""), "{stdout}");
    assert!(stdout.contains("\"doc\":\"x\""), "{stdout}");
}
