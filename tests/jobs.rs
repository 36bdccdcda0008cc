//! `geokg extract` writes the same bytes whatever `--jobs` is: documents are extracted in
//! parallel but handed on in input order.

use std::path::Path;
use std::process::Command;

const GEOKG: &str = env!("CARGO_BIN_EXE_geokg");

fn extract(inputs: &[&Path], jobs: &str, format: &str) -> Vec<u8> {
    let out = Command::new(GEOKG)
        .arg("extract")
        .args(inputs)
        .args(["--quiet", "--jobs", jobs, "--format", format])
        .env_remove("GEOKG_DATA")
        .output()
        .expect("geokg runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn extract_output_does_not_depend_on_jobs() {
    let work = tempfile::tempdir().expect("tempdir");
    let generated = work.path().join("generated.jsonl");
    let out = Command::new(GEOKG)
        .args([
            "gen",
            "--documents",
            "150",
            "--sentences-per-doc",
            "7",
            "--seed",
            "3",
        ])
        .output()
        .expect("geokg gen runs");
    assert!(out.status.success());
    std::fs::write(&generated, &out.stdout).expect("write");
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let inputs = [examples.as_path(), generated.as_path()];
    for format in ["jsonl", "nquads"] {
        let one = extract(&inputs, "1", format);
        let two = extract(&inputs, "2", format);
        assert!(one.len() > 10_000, "{format}: output too small to tell");
        assert!(one == two, "{format}: --jobs 1 and --jobs 2 differ");
    }
}
