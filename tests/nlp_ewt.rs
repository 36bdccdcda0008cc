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
    assert!(
        report.raw.sentences_f1 >= 86.0,
        "raw-text sentence F1 {:.2} below 86.0",
        report.raw.sentences_f1
    );
    assert!(
        report.raw.las_f1 >= 78.5,
        "raw-text LAS {:.2} below 78.5",
        report.raw.las_f1
    );
    // Every relation the extractor reads is scored, and the main ones stay usable.
    let rel = |r: &str| report.relations.iter().find(|x| x.relation == r);
    assert_eq!(report.relations.len(), 11);
    for (r, floor) in [("nsubj", 88.0), ("obj", 88.0), ("obl", 70.0)] {
        let score = rel(r).map_or(0.0, |x| x.recall);
        assert!(score >= floor, "{r} LAS {score:.2} below {floor}");
    }
}

fn sentence_texts(pipeline: &Pipeline, text: &str) -> Vec<String> {
    let doc = pipeline.analyze(text);
    (0..doc.sentences.len())
        .map(|s| doc.sentence_text(s).to_string())
        .collect()
}

#[test]
fn the_learned_splitter_ends_sentences_the_rules_keep_together() {
    let pipeline = Pipeline::bundled().expect("bundled models load");
    // After "?" the rules wait for a capital letter; chat and mail often have none.
    assert_eq!(
        sentence_texts(
            &pipeline,
            "where were you yesterday? i waited for an hour at the station."
        ),
        [
            "where were you yesterday?",
            "i waited for an hour at the station."
        ]
    );
    // A blank line always ends a sentence, and so does a line break where the rules split.
    assert_eq!(
        sentence_texts(
            &pipeline,
            "Troops left on Feb. 1.\nU.S. officials said so.\n\nno verb here"
        ),
        [
            "Troops left on Feb. 1.",
            "U.S. officials said so.",
            "no verb here"
        ]
    );
}

#[test]
fn the_learned_splitter_keeps_news_titles_with_their_names() {
    let pipeline = Pipeline::bundled().expect("bundled models load");
    for text in [
        "Iraqi PM Mohammed Shia al-Sudani met the US envoy in Baghdad.",
        "The minister said on Monday: \"We will not back down.\"",
        "It listed three demands: a ceasefire, a prisoner swap and aid.",
        "U.S. Secretary of State Antony Blinken flew to Riyadh.",
    ] {
        assert_eq!(sentence_texts(&pipeline, text), [text], "{text}");
    }
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
    if let Some(dir) = std::env::var_os("GEOKG_KEEP_TAGGER") {
        opts.keep_tagger = Some(PathBuf::from(dir));
    }
    if std::env::var_os("GEOKG_NEURAL").is_some() {
        let mut n = geokg::nlp::neural::NeuralTraining::default();
        let get = |k: &str| std::env::var(k).ok().and_then(|v| v.parse::<f64>().ok());
        if let Some(v) = get("GEOKG_NN_EPOCHS") {
            n.epochs = v as usize;
        }
        if let Some(v) = get("GEOKG_NN_LR") {
            n.learning_rate = v as f32;
        }
        if let Some(v) = get("GEOKG_NN_EXPLORE") {
            n.explore = v;
        }
        if let Some(v) = get("GEOKG_NN_CHANNELS") {
            n.dims.channels = v as usize;
        }
        if let Some(v) = get("GEOKG_NN_HIDDEN") {
            n.dims.hidden = v as usize;
        }
        if let Some(v) = get("GEOKG_NN_TAG_DROPOUT") {
            n.tag_dropout = v as f32;
        }
        if let Some(v) = get("GEOKG_NN_DECAY") {
            n.lr_decay = v as f32;
        }
        if let Some(v) = get("GEOKG_NN_LSTM") {
            n.dims.lstm = v as usize;
        }
        if let Some(v) = get("GEOKG_NN_LAYERS") {
            n.dims.layers = v as usize;
        }
        if let Some(v) = get("GEOKG_NN_DROPOUT") {
            n.dropout = v as f32;
        }
        if let Some(v) = get("GEOKG_NN_IN_DROPOUT") {
            n.input_dropout = v as f32;
        }
        if let Some(v) = get("GEOKG_NN_ENC_DROPOUT") {
            n.encoding_dropout = v as f32;
        }
        opts.neural = Some(n);
    }
    let report = train(&opts).expect("training succeeds");
    println!("{report}");
    let pipeline = Pipeline::load(&out).expect("trained models load");
    let eval = evaluate::evaluate(&pipeline, &dir.join("en_ewt-ud-test.conllu"))
        .expect("test set readable");
    println!("EWT test:\n{eval}");
}

/// Trains only the sentence splitter and prints its F1 beside the rules' on EWT dev and
/// test: `cargo test --release --test nlp_ewt -- --ignored train_splitter --nocapture`.
#[test]
#[ignore]
fn train_splitter() {
    use geokg::nlp::splitter;
    let Some(dir) = treebank_dir() else { return };
    let read = |name: &str| {
        let gold = geokg::nlp::conllu::read_file(&dir.join(name)).expect("treebank readable");
        geokg::nlp::evaluate::gold_paragraphs(&gold)
    };
    let (train, dev, test) = (
        read("en_ewt-ud-train.conllu"),
        read("en_ewt-ud-dev.conllu"),
        read("en_ewt-ud-test.conllu"),
    );
    let epochs = std::env::var("GEOKG_SPLITTER_EPOCHS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(8);
    let (model, epoch, f1) = splitter::train(
        &train,
        epochs,
        7,
        &mut |s| splitter::sentence_f1(&dev, &|t, k| s.sentences(t, k)),
        &mut |line| eprintln!("{line}"),
    );
    let rules = |t: &str, k: &[std::ops::Range<usize>]| geokg::nlp::split::sentences(t, k);
    println!(
        "best epoch {epoch}: dev {f1:.2} (rules {:.2}); test {:.2} (rules {:.2})",
        splitter::sentence_f1(&dev, &rules),
        splitter::sentence_f1(&test, &|t, k| model.sentences(t, k)),
        splitter::sentence_f1(&test, &rules),
    );
}
