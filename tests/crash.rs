//! Crash safety of `geokg build`: the binary is killed with SIGKILL at several points of a
//! build, the store is reopened and the build rerun, and the result must equal a clean
//! build quad for quad. A store that is locked or damaged gets a message naming the folder
//! and a way out.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use geokg::store::GraphStore;
use oxigraph::model::GraphName;

const GEOKG: &str = env!("CARGO_BIN_EXE_geokg");

fn geokg(args: &[&str]) -> Output {
    Command::new(GEOKG)
        .args(args)
        .env_remove("GEOKG_STORE")
        .env_remove("GEOKG_DATA")
        .output()
        .expect("geokg runs")
}

fn generate(dir: &Path, documents: usize) {
    let out = geokg(&[
        "gen",
        "--documents",
        &documents.to_string(),
        "--sentences-per-doc",
        "10",
        "--seed",
        "77",
        "--out",
        dir.to_str().expect("utf-8 path"),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Small batches, so a kill can land before, inside or after many bulk commits.
fn build_command(corpus: &Path, store: &Path) -> Command {
    let mut c = Command::new(GEOKG);
    c.args(["build", "--quiet", "--store"])
        .arg(store)
        .arg(corpus)
        .env("GEOKG_BATCH_QUADS", "20000")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    c
}

/// Sorted N-Quads of the document graphs, and the number of ontology quads.
fn dump(store: &Path) -> (Vec<String>, usize) {
    let store = GraphStore::open(store).expect("store reopens after a kill");
    let mut docs = Vec::new();
    let mut ontology = 0;
    for quad in store.oxigraph().iter() {
        let quad = quad.expect("readable quad");
        match &quad.graph_name {
            GraphName::NamedNode(g) if g.as_str().contains("/doc/") => docs.push(quad.to_string()),
            _ => ontology += 1,
        }
    }
    docs.sort();
    (docs, ontology)
}

#[test]
fn killed_builds_resume_to_the_same_store_as_a_clean_build() {
    let work = tempfile::tempdir().expect("tempdir");
    let corpus = work.path().join("corpus");
    generate(&corpus, 1000);

    let clean = work.path().join("clean");
    let started = Instant::now();
    let out = build_command(&corpus, &clean)
        .output()
        .expect("clean build");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let clean_secs = started.elapsed().as_secs_f64();
    eprintln!("clean build: {clean_secs:.1} s");

    let killed = work.path().join("killed");
    let mut kills = 0;
    // Kills at fractions of the clean build's time, so that however fast the machine each
    // one lands while a build runs: a resumed build skips what the killed ones stored, and
    // the fractions add up to less than the whole.
    for fraction in [0.25, 0.3, 0.35] {
        let delay = clean_secs * fraction;
        let mut child = build_command(&corpus, &killed)
            .spawn()
            .expect("build starts");
        std::thread::sleep(Duration::from_secs_f64(delay));
        // Child::kill is SIGKILL on Unix: no destructor, no flush, no cleanup runs.
        if child.try_wait().expect("wait").is_none() {
            child.kill().expect("kill");
            kills += 1;
        }
        let _ = child.wait();
        // The store opens after every kill: never left locked or unreadable. (A kill
        // during start-up, before the store was created, leaves no store.)
        if !killed.exists() {
            continue;
        }
        let stats = geokg(&["stats", "--store", killed.to_str().expect("utf-8")]);
        assert!(
            stats.status.success(),
            "after a kill at {delay:.2} s: {}",
            String::from_utf8_lossy(&stats.stderr)
        );
    }
    assert!(kills >= 2, "the build finished before it could be killed");

    let out = build_command(&corpus, &killed).output().expect("rerun");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (clean_docs, clean_ontology) = dump(&clean);
    let (resumed_docs, resumed_ontology) = dump(&killed);
    assert_eq!(clean_docs.len(), resumed_docs.len());
    assert!(clean_docs == resumed_docs, "the resumed store differs");
    assert_eq!(clean_ontology, resumed_ontology);
    // No temporary files of an interrupted bulk load stay behind.
    let leftovers = std::fs::read_dir(&killed)
        .expect("store dir")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with("bulk-"))
        .count();
    assert_eq!(leftovers, 0);
}

#[test]
fn a_store_in_use_names_the_folder_and_the_way_out() {
    let work = tempfile::tempdir().expect("tempdir");
    let dir = work.path().join("busy-store");
    let held = GraphStore::open(&dir).expect("store");
    let out = geokg(&["stats", "--store", dir.to_str().expect("utf-8")]);
    drop(held);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("busy-store"), "{err}");
    assert!(err.contains("in use by another process"), "{err}");
    assert!(err.contains("--store"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn a_damaged_store_names_the_folder_and_the_way_out() {
    let work = tempfile::tempdir().expect("tempdir");
    let dir = work.path().join("damaged-store");
    {
        let store = GraphStore::open(&dir).expect("store");
        store.load_ontology().expect("ontology");
    }
    // A half-written store: its CURRENT file names a manifest that is not there.
    std::fs::write(dir.join("CURRENT"), "MANIFEST-999999\n").expect("write");
    let out = geokg(&["stats", "--store", dir.to_str().expect("utf-8")]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("damaged-store"), "{err}");
    assert!(err.contains("delete the folder"), "{err}");
    assert!(!err.contains("panicked"), "{err}");

    // Garbage where the database should be is refused the same way, and nothing is
    // written into the folder.
    let junk = work.path().join("junk-store");
    std::fs::create_dir(&junk).expect("mkdir");
    std::fs::write(junk.join("CURRENT"), [0xff, 0x00, 0x13]).expect("write");
    let out = geokg(&["stats", "--store", junk.to_str().expect("utf-8")]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("junk-store"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}
