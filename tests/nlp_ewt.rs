//! End-to-end checks of the bundled English models against UD English EWT.
//!
//! The treebank is not part of the repository; these tests look for it next to the crate
//! (`../shared/data/ud-english-ewt`) and skip with a message when it is absent.

use std::path::{Path, PathBuf};

use geokg::nlp::{evaluate, train, Pipeline, TrainOptions};

fn treebank_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/ud-english-ewt");
    if dir.join("en_ewt-ud-test.conllu").exists() {
        Some(dir)
    } else {
        eprintln!("skipping: UD English EWT not found at {}", dir.display());
        None
    }
}

#[test]
fn bundled_models_meet_accuracy_floors_on_ewt_test() {
    let Some(dir) = treebank_dir() else { return };
    let pipeline = Pipeline::bundled().expect("bundled models load");
    let report = evaluate::evaluate(&pipeline, &dir.join("en_ewt-ud-test.conllu"))
        .expect("test set readable");
    println!("{report}");
    assert!(report.upos >= 95.0, "UPOS {:.2} below 95.0", report.upos);
    assert!(report.uas >= 85.0, "UAS {:.2} below 85.0", report.uas);
    assert!(report.las >= 82.0, "LAS {:.2} below 82.0", report.las);
    assert!(
        report.raw.tokens_f1 >= 97.0,
        "raw-text token F1 {:.2} below 97.0",
        report.raw.tokens_f1
    );
}

#[test]
fn bundled_models_parse_a_news_sentence() {
    let pipeline = Pipeline::bundled().expect("bundled models load");
    let doc = pipeline.analyze("In Kyiv, the minister signed the agreement.");
    let words: Vec<&str> = (0..doc.tokens.len()).map(|i| doc.word(i)).collect();
    assert_eq!(
        words,
        [
            "In",
            "Kyiv",
            ",",
            "the",
            "minister",
            "signed",
            "the",
            "agreement",
            "."
        ]
    );
    let rel = |w: &str| {
        let i = words.iter().position(|x| *x == w).unwrap();
        (
            doc.tokens[i].deprel.as_str(),
            doc.tokens[i].head.map(|h| words[h]),
        )
    };
    assert_eq!(rel("signed"), ("root", None));
    assert_eq!(rel("minister"), ("nsubj", Some("signed")));
    assert_eq!(rel("agreement"), ("obj", Some("signed")));
    assert_eq!(rel("Kyiv"), ("obl", Some("signed")));
    assert_eq!(rel("In"), ("case", Some("Kyiv")));
    assert_eq!(doc.tokens[5].lemma, "sign");
    assert_eq!(doc.tokens[5].upos, "VERB");
}

#[test]
fn analysis_never_panics_on_odd_input() {
    let pipeline = Pipeline::bundled().expect("bundled models load");
    let long = "and ".repeat(5000);
    let inputs = [
        "",
        "   \n\n  ",
        "\u{0}\u{1}\u{7f}binary\u{fffd}\u{feff}",
        "مرحبا بالعالم. שלום עולם.",
        "...!!!???---",
        "'s n't ' \" “ ” ’",
        long.as_str(),
    ];
    for text in inputs {
        let doc = pipeline.analyze(text);
        for s in &doc.sentences {
            for i in s.tokens.clone() {
                if let Some(h) = doc.tokens[i].head {
                    assert!(s.tokens.contains(&h));
                }
            }
            assert_eq!(
                s.tokens
                    .clone()
                    .filter(|&i| doc.tokens[i].head.is_none())
                    .count(),
                1
            );
        }
    }
    let text = "Dateline — Talks went on.";
    let doc = pipeline.analyze_range(text, 11..text.len());
    assert_eq!(doc.text, text);
    assert_eq!(doc.word(0), "Talks");
    // A reversed, out-of-bounds range (as a buggy caller might compute) yields nothing.
    let (start, end) = (text.len() + 500, 9);
    let doc = pipeline.analyze_range(text, start..end);
    assert!(doc.tokens.is_empty());
}

/// Retrains the bundled models (run explicitly, in release mode):
/// `cargo test --release --test nlp_ewt -- --ignored retrain_bundled_models --nocapture`.
/// Set GEOKG_MODEL_OUT to write somewhere other than data/models; GEOKG_SEED,
/// GEOKG_TAGGER_EPOCHS, GEOKG_PARSER_EPOCHS, GEOKG_JACKKNIFE and GEOKG_EXPLORE override
/// the training options.
#[test]
#[ignore]
fn retrain_bundled_models() {
    let Some(dir) = treebank_dir() else { return };
    let out = std::env::var_os("GEOKG_MODEL_OUT")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("data/models"));
    let mut opts = TrainOptions::new(
        dir.join("en_ewt-ud-train.conllu"),
        Some(dir.join("en_ewt-ud-dev.conllu")),
        out.clone(),
    );
    if let Some(e) = std::env::var("GEOKG_TAGGER_EPOCHS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        opts.tagger_epochs = e;
    }
    if let Some(e) = std::env::var("GEOKG_PARSER_EPOCHS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        opts.parser_epochs = e;
    }
    if let Some(e) = std::env::var("GEOKG_JACKKNIFE")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        opts.jackknife_folds = e;
    }
    if let Some(e) = std::env::var("GEOKG_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        opts.seed = e;
    }
    if let Some(e) = std::env::var("GEOKG_EXPLORE")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        opts.explore = e;
    }
    let report = train(&opts).expect("training succeeds");
    println!("{report}");
    let pipeline = Pipeline::load(&out).expect("trained models load");
    let eval = evaluate::evaluate(&pipeline, &dir.join("en_ewt-ud-test.conllu"))
        .expect("test set readable");
    println!("EWT test:\n{eval}");
}
