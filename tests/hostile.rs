//! Hostile input through the binary: every bad file or line gets a message naming it (and
//! its line), good documents in the same batch are still processed, nothing panics. The
//! corpus is generated here, so no large file is committed.

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Output};

const GEOKG: &str = env!("CARGO_BIN_EXE_geokg");

fn geokg(args: &[&str], dir: &Path) -> Output {
    Command::new(GEOKG)
        .args(args)
        .current_dir(dir)
        .env_remove("GEOKG_STORE")
        .env_remove("GEOKG_DATA")
        .output()
        .expect("geokg runs")
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) {
    std::fs::write(dir.join(name), bytes).expect("write test file");
}

fn jsonl(id: &str, date: Option<&str>, text: &str) -> String {
    let mut record = serde_json::json!({ "id": id, "text": text });
    if let Some(d) = date {
        record["date"] = serde_json::Value::String(d.to_string());
    }
    record.to_string()
}

/// The hostile corpus, plus two ordinary documents whose events must survive it.
fn corpus(dir: &Path) {
    // Binary and wrongly encoded files.
    let binary: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 256) as u8).collect();
    write(dir, "binary.txt", &binary);
    write(
        dir,
        "latin1.txt",
        b"Talks in Z\xfcrich went well.\nThe caf\xe9 closed.",
    );
    // A 50 MB single line, as text and as one JSON Lines record.
    let huge = "France met Germany and ".repeat(50 * 1024 * 1024 / 23 + 1);
    write(dir, "huge-line.txt", &huge);
    write(
        dir,
        "huge-record.jsonl",
        format!("{}\n", jsonl("huge", None, &huge)),
    );
    drop(huge);
    // Deeply nested JSON, then a valid record on the next line; invalid UTF-8 in a line.
    let mut nested = "[".repeat(200_000);
    nested.push_str(&"]".repeat(200_000));
    nested.push('\n');
    nested.push_str(&jsonl(
        "after-nesting",
        None,
        "Japan praised India on Monday.",
    ));
    nested.push('\n');
    let mut nested = nested.into_bytes();
    nested.extend_from_slice(b"{\"id\": \"bad-utf8\", \"text\": \"caf\xe9\"}\n");
    write(dir, "nested.jsonl", nested);
    // Many records in one file.
    let mut many = String::new();
    for i in 0..3000 {
        let _ = writeln!(
            many,
            "{}",
            jsonl(
                &format!("m{i}"),
                Some("2025-03-01"),
                "Canada thanked Mexico."
            )
        );
    }
    write(dir, "many.jsonl", many);
    // 10,000 empty lines before the text.
    write(
        dir,
        "empty-lines.txt",
        format!("{}Kenya criticized Uganda.\n", "\n".repeat(10_000)),
    );
    write(dir, "only-newlines.txt", "\n".repeat(10_000));
    // Control, right-to-left, zero-width and combining characters.
    write(
        dir,
        "control.txt",
        "Peru\u{1} criticized\u{7} Chile\u{1b}[31m on Tuesday.\u{b}\u{c} Spain met\u{200b} Portugal.\r\n",
    );
    write(
        dir,
        "rtl.txt",
        "\u{202e}Egypt met Jordan.\u{202c} \u{5e9}\u{5dc}\u{5d5}\u{5dd} Israel met Egypt. \
         Cafe\u{301}\u{301}\u{301} Iran thanked Iraq. Z\u{336}\u{334}a\u{338}lgo \u{1F600}.\n",
    );
    // A sentence of 5,000 tokens.
    let words = [
        "France", "met", "Germany", "and", "the", "minister", "said", "that",
    ];
    let long: Vec<&str> = (0..5000).map(|i| words[i * 5 % words.len()]).collect();
    write(dir, "long-sentence.txt", format!("{}.\n", long.join(" ")));
    // Impossible dates, in a JSON field, a dateline and the text.
    write(
        dir,
        "dates.jsonl",
        [
            jsonl("zero-date", Some("0000-00-00"), "Brazil met Argentina."),
            jsonl("feb-30", Some("2025-02-30"), "Brazil met Argentina."),
            jsonl(
                "zero-dateline",
                None,
                "date 0000-00-00 PARIS — France met Germany on 0000-00-00 and on February 31.",
            ),
        ]
        .join("\n"),
    );
    // The ordinary documents.
    write(
        dir,
        "good.txt",
        "date 2025-05-02 OSLO — Norway criticized Sweden on Tuesday.\n",
    );
    write(
        dir,
        "good.jsonl",
        jsonl(
            "good-record",
            Some("2025-05-03"),
            "Finland praised Estonia.",
        ),
    );
}

#[test]
fn hostile_input_gets_messages_and_the_batch_goes_on() {
    let work = tempfile::tempdir().expect("tempdir");
    let input = work.path().join("input");
    std::fs::create_dir(&input).expect("mkdir");
    corpus(&input);

    let out = geokg(&["extract", "--quiet", "input"], work.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(
        out.status.code(),
        Some(2),
        "input problems exit with 2: {stderr}"
    );

    // Each bad file or line is named, with its line where it has one.
    for expected in [
        "binary.txt: looks like a binary file",
        "latin1.txt:1: invalid UTF-8",
        "huge-line.txt: document is 50.0 MB",
        "huge-record.jsonl:1: line is",
        "nested.jsonl:1: not a JSON document record",
        "nested.jsonl:3: line is not valid UTF-8",
        "only-newlines.txt: empty document",
        "dates.jsonl:1: unknown date format \"0000-00-00\"",
        "dates.jsonl:2: unknown date format \"2025-02-30\"",
    ] {
        assert!(
            stderr.contains(expected),
            "missing message {expected:?} in:\n{stderr}"
        );
    }
    let problems = stderr
        .lines()
        .filter(|l| l.starts_with("geokg: input"))
        .count();
    assert_eq!(problems, 9, "{stderr}");

    // Everything else was read and extracted.
    let docs: std::collections::BTreeSet<String> = stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["doc"].as_str().map(str::to_string))
        .collect();
    for doc in [
        "good",
        "good-record",
        "after-nesting",
        "empty-lines",
        "zero-dateline",
        "m0",
        "m2999",
        "control",
    ] {
        assert!(docs.contains(doc), "no statement from {doc}: {docs:?}");
    }
    // The impossible dateline date is not a date: the document is undated, not 0000.
    assert!(
        !stdout.contains("\"0000"),
        "a 0000 date leaked into the output"
    );
}

#[test]
fn build_stores_the_good_documents_of_a_hostile_batch() {
    let work = tempfile::tempdir().expect("tempdir");
    let input = work.path().join("input");
    std::fs::create_dir(&input).expect("mkdir");
    corpus(&input);
    let out = geokg(
        &["build", "--quiet", "--store", "store", "input"],
        work.path(),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let stats = geokg(
        &[
            "query",
            "--format",
            "csv",
            "--store",
            "store",
            "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a gk:Document }",
        ],
        work.path(),
    );
    let table = String::from_utf8_lossy(&stats.stdout);
    let n: usize = table
        .lines()
        .nth(1)
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or(0);
    // good, good-record, after-nesting, empty-lines, control, rtl, long-sentence,
    // zero-dateline, 3000 records of many.jsonl.
    assert_eq!(n, 3008, "{table}");
}
