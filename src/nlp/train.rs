//! Training the tagger, lemmatizer and parser from a CoNLL-U treebank (UD English EWT).
//!
//! Deterministic: sentence order is shuffled with a fixed-seed generator and every table
//! is written sorted, so the same treebank and options give byte-identical model files.
//! The parser is trained on tags predicted by taggers trained on the other folds
//! (jackknifing), so at training time it sees the tagging errors it will see at run time.

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::conllu::{self, TreebankSentence};
use super::lemma::Lemmatizer;
use super::neural::{self, NeuralParser, NeuralSentence};
use super::parser::{self, Parser, ParserSentence, ParserTraining};
use super::pipeline::{ParserModel, Pipeline};
use super::splitter::{self, Splitter};
use super::tagger;
use crate::error::DataError;

/// SplitMix64: a small, fixed, portable random generator for deterministic shuffles.
pub struct SplitMix(pub u64);

impl SplitMix {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next_u64() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

/// What to train from and where to write the models.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    pub train: PathBuf,
    /// Used to pick the best epoch of each model.
    pub dev: Option<PathBuf>,
    pub output: PathBuf,
    pub tagger_epochs: usize,
    pub parser_epochs: usize,
    pub splitter_epochs: usize,
    /// Number of folds for jackknifed training tags (0 or 1: train the parser on gold tags).
    pub jackknife_folds: usize,
    pub seed: u64,
    /// Probability of following the parser's own wrong transition during training
    /// (after the first epoch), so it learns to recover from its mistakes.
    pub explore: f64,
    /// Print progress lines to stderr.
    pub verbose: bool,
    /// Keep the tagger of this model folder instead of training one (the jackknifed
    /// training tags still come from taggers trained for `tagger_epochs`).
    pub keep_tagger: Option<PathBuf>,
    /// Train the neural parser with these options instead of the perceptron parser.
    pub neural: Option<super::neural::NeuralTraining>,
}

impl TrainOptions {
    /// The settings used for the bundled models.
    pub fn new(train: PathBuf, dev: Option<PathBuf>, output: PathBuf) -> TrainOptions {
        TrainOptions {
            train,
            dev,
            output,
            tagger_epochs: 12,
            parser_epochs: 15,
            splitter_epochs: 8,
            jackknife_folds: 4,
            seed: 7,
            explore: 0.9,
            verbose: true,
            keep_tagger: None,
            neural: None,
        }
    }
}

/// What training did.
#[derive(Debug, Clone)]
pub struct TrainReport {
    pub train_sentences: usize,
    pub train_words: usize,
    pub tagger_epoch: usize,
    pub tagger_dev_accuracy: f64,
    pub parser_epoch: usize,
    pub parser_dev_las: f64,
    pub seconds: f64,
    pub files: Vec<(PathBuf, u64)>,
    pub log: Vec<String>,
}

impl std::fmt::Display for TrainReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "trained on {} sentences, {} words in {:.1} s",
            self.train_sentences, self.train_words, self.seconds
        )?;
        writeln!(
            f,
            "tagger: epoch {} (dev joint UPOS+XPOS accuracy {:.2}%)",
            self.tagger_epoch, self.tagger_dev_accuracy
        )?;
        writeln!(
            f,
            "parser: epoch {} (dev LAS {:.2}% with predicted tags)",
            self.parser_epoch, self.parser_dev_las
        )?;
        for (p, size) in &self.files {
            writeln!(f, "  {} ({} bytes)", p.display(), size)?;
        }
        Ok(())
    }
}

/// Errors of training: reading the treebank or writing the models.
#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    #[error(transparent)]
    Data(#[from] DataError),
    #[error("{path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}: no sentences")]
    Empty(PathBuf),
}

type TagData = Vec<(Vec<String>, Vec<(String, String)>)>;

fn tag_data(sentences: &[TreebankSentence]) -> TagData {
    sentences
        .iter()
        .map(|s| {
            (
                s.words.iter().map(|w| w.form.clone()).collect(),
                s.words
                    .iter()
                    .map(|w| (w.upos.clone(), w.xpos.clone()))
                    .collect(),
            )
        })
        .collect()
}

/// Trains all models and writes them to `opts.output`.
pub fn train(opts: &TrainOptions) -> Result<TrainReport, TrainError> {
    let started = Instant::now();
    let mut log_lines = Vec::new();
    let verbose = opts.verbose;
    let mut log = |line: String| {
        if verbose {
            eprintln!("{line}");
        }
        log_lines.push(line);
    };
    let train_set = conllu::read_file(&opts.train)?;
    if train_set.is_empty() {
        return Err(TrainError::Empty(opts.train.clone()));
    }
    let dev_set = match &opts.dev {
        Some(p) => conllu::read_file(p)?,
        None => Vec::new(),
    };
    let train_tags = tag_data(&train_set);
    let dev_tags = tag_data(&dev_set);
    let train_words: usize = train_set.iter().map(|s| s.words.len()).sum();
    log(format!(
        "read {} training sentences ({train_words} words), {} dev sentences",
        train_set.len(),
        dev_set.len()
    ));

    let (tagger, tagger_epoch, tagger_dev) = match &opts.keep_tagger {
        Some(dir) => {
            let read = |name: &str| {
                let p = dir.join(name);
                std::fs::read(&p).map_err(|e| DataError::io(p, e))
            };
            let model = read(super::pipeline::TAGGER_FILE)?;
            let lexicon = read(super::pipeline::LEXICON_FILE)?;
            let kept = tagger::Tagger::read(&model, &lexicon).map_err(|m| {
                DataError::malformed(dir.join(super::pipeline::TAGGER_FILE), None, m)
            })?;
            let dev = if dev_tags.is_empty() {
                0.0
            } else {
                tagger::accuracy(&kept, &dev_tags).0
            };
            log(format!("tagger kept from {}", dir.display()));
            (kept, opts.tagger_epochs, dev)
        }
        None => tagger::train(
            &train_tags,
            &dev_tags,
            opts.tagger_epochs,
            opts.seed,
            &mut log,
        ),
    };
    log(format!(
        "tagger: best epoch {tagger_epoch}, dev {tagger_dev:.2}% ({:.1} s)",
        started.elapsed().as_secs_f64()
    ));

    let lemmatizer = Lemmatizer::learn(train_set.iter().flat_map(|s| {
        s.words.iter().map(|w| {
            (
                w.form.as_str(),
                w.xpos.as_str(),
                w.upos.as_str(),
                w.lemma.as_str(),
            )
        })
    }));

    // Tags the parser trains on: jackknifed predictions, or gold.
    let tag_index = |t: &(String, String)| tagger.tags().iter().position(|x| x == t).unwrap_or(0);
    let mut train_pred: Vec<Vec<usize>> = train_tags
        .iter()
        .map(|(_, ts)| ts.iter().map(tag_index).collect())
        .collect();
    let folds = opts.jackknife_folds;
    if folds > 1 {
        let fold_epochs = tagger_epoch.max(1);
        for fold in 0..folds {
            let part: TagData = train_tags
                .iter()
                .enumerate()
                .filter(|(i, _)| i % folds != fold)
                .map(|(_, s)| s.clone())
                .collect();
            let (fold_tagger, _, _) = tagger::train(
                &part,
                &[],
                fold_epochs,
                opts.seed + fold as u64 + 1,
                &mut |_| {},
            );
            for (i, (words, _)) in train_tags
                .iter()
                .enumerate()
                .filter(|(i, _)| i % folds == fold)
            {
                let w: Vec<&str> = words.iter().map(String::as_str).collect();
                // Map the fold tagger's classes onto the full tagger's classes.
                train_pred[i] = fold_tagger
                    .tag(&w)
                    .into_iter()
                    .map(|c| tag_index(&fold_tagger.tags()[c]))
                    .collect();
            }
            log(format!(
                "jackknife fold {} of {folds} done ({:.1} s)",
                fold + 1,
                started.elapsed().as_secs_f64()
            ));
        }
    }

    let mut label_counts: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for s in &train_set {
        for w in &s.words {
            *label_counts.entry(w.deprel.as_str()).or_default() += 1;
        }
    }
    let mut label_names: Vec<(&str, usize)> = label_counts.into_iter().collect();
    label_names.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    // The label model stores labels as bit positions of a 64-bit set; rarer ones fold into "dep".
    let label_names: Vec<String> = label_names
        .into_iter()
        .take(64)
        .map(|(l, _)| l.to_string())
        .collect();
    let label_index = |l: &str| {
        label_names
            .iter()
            .position(|x| x == l)
            .or_else(|| label_names.iter().position(|x| x == "dep"))
            .unwrap_or(0)
    };
    let parser_data: Vec<ParserSentence> = train_set
        .iter()
        .zip(&train_pred)
        .map(|(s, tags)| {
            let n = s.words.len();
            ParserSentence {
                words: s.words.iter().map(|w| w.form.clone()).collect(),
                tags: tags.clone(),
                heads: s
                    .words
                    .iter()
                    .map(|w| if w.head == 0 { n } else { w.head - 1 })
                    .collect(),
                labels: s.words.iter().map(|w| label_index(&w.deprel)).collect(),
            }
        })
        .collect();
    let dev_input: Vec<(Vec<String>, Vec<usize>, &TreebankSentence)> = dev_set
        .iter()
        .map(|s| {
            let words: Vec<String> = s.words.iter().map(|w| w.form.clone()).collect();
            let w: Vec<&str> = words.iter().map(String::as_str).collect();
            let tags = tagger.tag(&w);
            (words, tags, s)
        })
        .collect();
    // Dev LAS of any parser, given its parse function and labels.
    let dev_score =
        |parse: &dyn Fn(&[&str], &[usize]) -> parser::Parse, labels: &[String]| -> f64 {
            let (mut ok, mut uas, mut total) = (0usize, 0usize, 0usize);
            for (words, tags, gold) in &dev_input {
                let w: Vec<&str> = words.iter().map(String::as_str).collect();
                let parse = parse(&w, tags);
                for (i, g) in gold.words.iter().enumerate() {
                    let head = parse.heads[i].map_or(0, |h| h + 1);
                    ok += (head == g.head && labels[parse.labels[i]] == g.deprel) as usize;
                    uas += (head == g.head) as usize;
                    total += 1;
                }
            }
            if verbose {
                eprintln!("  dev UAS {:.2}%", 100.0 * uas as f64 / total.max(1) as f64);
            }
            100.0 * ok as f64 / total.max(1) as f64
        };
    let (parser, parser_epoch, parser_dev) = if let Some(nopts) = &opts.neural {
        let data: Vec<NeuralSentence> = parser_data
            .into_iter()
            .map(|s| NeuralSentence {
                words: s.words,
                tags: s.tags,
                heads: s.heads,
                labels: s.labels,
            })
            .collect();
        let (p, epoch, dev) = neural::train(
            &data,
            label_names.clone(),
            tagger.tags().len(),
            nopts,
            &mut |p: &NeuralParser| dev_score(&|w, t| p.parse(w, t), p.labels()),
            &mut log,
        );
        (ParserModel::Neural(Box::new(p)), epoch, dev)
    } else {
        let popts = ParserTraining {
            epochs: opts.parser_epochs,
            seed: opts.seed,
            explore: opts.explore,
            min_feature_count: 1,
        };
        let (p, epoch, dev) = parser::train(
            &parser_data,
            label_names.clone(),
            parser::coarse_tags(tagger.tags().iter().map(|t| t.0.as_str())),
            &popts,
            &mut |p: &Parser| dev_score(&|w, t| p.parse(w, t), p.labels()),
            &mut log,
        );
        (ParserModel::Perceptron(Box::new(p)), epoch, dev)
    };
    log(format!(
        "parser: best epoch {parser_epoch}, dev LAS {parser_dev:.2}% ({:.1} s)",
        started.elapsed().as_secs_f64()
    ));

    // The sentence splitter, scored by sentence F1 on the dev paragraphs.
    let split_train = super::evaluate::gold_paragraphs(&train_set);
    let split_dev = super::evaluate::gold_paragraphs(&dev_set);
    let rules_dev = splitter::sentence_f1(&split_dev, &|t, k| super::split::sentences(t, k));
    log(format!("sentence rules: dev F1 {rules_dev:.2}"));
    let (splitter, splitter_epoch, splitter_dev) = splitter::train(
        &split_train,
        opts.splitter_epochs,
        opts.seed,
        &mut |s: &Splitter| splitter::sentence_f1(&split_dev, &|t, k| s.sentences(t, k)),
        &mut log,
    );
    log(format!(
        "sentence splitter: best epoch {splitter_epoch}, dev F1 {splitter_dev:.2}"
    ));

    let pipeline = Pipeline::from_parts(tagger, lemmatizer, parser, Some(splitter));
    let files = pipeline
        .save(&opts.output)
        .map_err(|(path, source)| TrainError::Write { path, source })?;
    let files = files
        .into_iter()
        .map(|p| {
            let size = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
            (p, size)
        })
        .collect();
    Ok(TrainReport {
        train_sentences: train_set.len(),
        train_words,
        tagger_epoch,
        tagger_dev_accuracy: tagger_dev,
        parser_epoch,
        parser_dev_las: parser_dev,
        seconds: started.elapsed().as_secs_f64(),
        files,
        log: log_lines,
    })
}

/// Default location of the bundled models inside the crate.
pub fn bundled_model_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/models")
}
