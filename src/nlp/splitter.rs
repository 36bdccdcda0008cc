//! Learned sentence boundaries: an averaged perceptron decides, between every two tokens,
//! whether a sentence starts, reading the rule-based splitter's decision ([`super::split`])
//! as one feature among the words, shapes and spacing around the gap. Web text and
//! transcripts end many sentences with no punctuation at all ("thanks for the help Please
//! call"); the rules keep news punctuation right, the model adds what the rules cannot
//! see. Decisions go left to right, so the length of the sentence so far is a feature.
//! Between two words, with no punctuation, only the rules split.

use std::ops::Range;

use super::perceptron::{
    feat, feat2, feat3, hash_str, FeatureCounter, Perceptron, PerceptronTrainer,
};
use super::split;

/// The trained boundary model.
#[derive(Debug, Clone)]
pub struct Splitter {
    model: Perceptron,
}

const NO: usize = 0;
const YES: usize = 1;

fn shape(w: &str) -> u64 {
    let mut out = String::new();
    for c in w.chars().take(6) {
        let k = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            c
        };
        if !out.ends_with(k) {
            out.push(k);
        }
    }
    hash_str(&out)
}

fn bucket(k: usize) -> u64 {
    match k {
        0..=3 => k as u64,
        4..=5 => 4,
        6..=8 => 5,
        9..=12 => 6,
        13..=20 => 7,
        21..=35 => 8,
        _ => 9,
    }
}

/// Features of the gap before token `i` (1 ≤ i < n).
fn features(
    text: &str,
    tokens: &[Range<usize>],
    rule: &[bool],
    i: usize,
    since: usize,
    out: &mut Vec<u64>,
) {
    out.clear();
    let n = tokens.len();
    let word = |k: isize| -> &str {
        if k < 0 || k as usize >= n {
            "\u{0}"
        } else {
            &text[tokens[k as usize].clone()]
        }
    };
    let lower = |k: isize| hash_str(&word(k).to_lowercase());
    let i = i as isize;
    let gap = &text[tokens[i as usize - 1].end..tokens[i as usize].start];
    let newlines = gap.matches('\n').count().min(2) as u64;
    let spaces = (gap.len().min(3)) as u64;
    let r = rule[i as usize] as u64;
    let (p, c, nx) = (lower(i - 1), lower(i), lower(i + 1));
    let (sp, sc, sn) = (shape(word(i - 1)), shape(word(i)), shape(word(i + 1)));
    out.push(feat(0, 0));
    out.push(feat(1, r));
    out.push(feat2(2, r, newlines));
    out.push(feat(3, p));
    out.push(feat(4, c));
    out.push(feat(5, nx));
    out.push(feat(6, lower(i - 2)));
    out.push(feat2(7, p, c));
    out.push(feat2(8, sp, sc));
    out.push(feat3(9, sp, sc, sn));
    out.push(feat2(10, p, sc));
    out.push(feat2(11, sp, c));
    out.push(feat2(12, c, nx));
    out.push(feat2(13, newlines, spaces));
    out.push(feat2(14, r, bucket(since)));
    out.push(feat2(15, bucket(since), sc));
    out.push(feat3(16, r, sp, sc));
    // Is there terminal punctuation soon, in this sentence-to-be?
    let ahead = (i as usize..n.min(i as usize + 8))
        .position(|k| matches!(&text[tokens[k].clone()], "." | "!" | "?"))
        .map_or(9, |k| k as u64);
    out.push(feat2(17, ahead, sc));
    out.push(feat2(18, lower(i - 2), p));
}

impl Splitter {
    /// Groups `tokens` (byte spans into `text`) into sentences; returns token index ranges.
    pub fn sentences(&self, text: &str, tokens: &[Range<usize>]) -> Vec<Range<usize>> {
        let rule = rule_boundaries(text, tokens);
        let n = tokens.len();
        let mut boundary = vec![false; n + 1];
        boundary[n] = true;
        let mut feats = Vec::with_capacity(24);
        let mut last = 0;
        for i in 1..n {
            let gap = &text[tokens[i - 1].end..tokens[i].start];
            // Treebank text has no line breaks inside paragraphs, so the model never saw
            // one: where the rules split at a line break, the split stands.
            let line_break = gap.contains('\n') && rule[i];
            // Where the rules see no boundary, the model may add one after punctuation
            // only: between two words it would split news titles from names ("Iraqi PM
            // Mohammed ..."), which web text taught it to read as "at 5 PM Thanks".
            let after_punctuation = !text[tokens[i - 1].clone()]
                .chars()
                .any(char::is_alphanumeric);
            // The model is asked only where its answer counts.
            let model = (rule[i] || after_punctuation) && {
                features(text, tokens, &rule, i, i - last, &mut feats);
                let mut scores = [0f32; 2];
                self.model.score_into(&feats, &mut scores);
                scores[YES] > scores[NO]
            };
            if model || line_break || gap.matches('\n').count() >= 2 {
                boundary[i] = true;
                last = i;
            }
        }
        split::ranges(&boundary)
    }

    pub fn write<W: std::io::Write>(&self, out: W) -> std::io::Result<()> {
        self.model.write(out)
    }

    pub fn read(bytes: &[u8]) -> Result<Splitter, String> {
        let model = Perceptron::read(bytes)?;
        if model.n_classes() != 2 {
            return Err("sentence boundary model must have 2 classes".into());
        }
        Ok(Splitter { model })
    }
}

/// The rule-based splitter's boundaries, per token (true: a sentence starts there).
fn rule_boundaries(text: &str, tokens: &[Range<usize>]) -> Vec<bool> {
    let mut rule = vec![false; tokens.len() + 1];
    for r in split::sentences(text, tokens) {
        rule[r.start] = true;
    }
    rule
}

/// A training text: the text and the byte spans of its gold sentences.
pub struct SplitterText {
    pub text: String,
    pub sentences: Vec<(usize, usize)>,
}

/// A sentence splitter as a function: text and token spans in, token ranges out.
pub type SplitFn<'a> = dyn Fn(&str, &[Range<usize>]) -> Vec<Range<usize>> + Sync + 'a;

/// Sentence F1 (percent) of `split` on `texts`: a sentence counts when both its ends match.
pub fn sentence_f1(texts: &[SplitterText], split: &SplitFn<'_>) -> f64 {
    use rayon::prelude::*;
    let (ok, sys, gold) = texts
        .par_iter()
        .map(|t| {
            let tokens = super::tokenize::tokenize(&t.text, 0..t.text.len());
            let gold: std::collections::HashSet<(usize, usize)> =
                t.sentences.iter().copied().collect();
            let found = split(&t.text, &tokens);
            let ok = found
                .iter()
                .filter(|r| {
                    r.end > r.start
                        && gold.contains(&(tokens[r.start].start, tokens[r.end - 1].end))
                })
                .count();
            (ok, found.len(), gold.len())
        })
        .reduce(|| (0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2));
    let p = ok as f64 / sys.max(1) as f64;
    let r = ok as f64 / gold.max(1) as f64;
    if p + r == 0.0 {
        0.0
    } else {
        200.0 * p * r / (p + r)
    }
}

/// Trains the boundary model on texts tokenized by [`super::tokenize`]; after each epoch
/// `evaluate` scores it and the best epoch is kept.
pub fn train(
    texts: &[SplitterText],
    epochs: usize,
    seed: u64,
    evaluate: &mut dyn FnMut(&Splitter) -> f64,
    log: &mut dyn FnMut(String),
) -> (Splitter, usize, f64) {
    struct Prepared {
        tokens: Vec<Range<usize>>,
        rule: Vec<bool>,
        gold: Vec<bool>,
    }
    let data: Vec<Prepared> = texts
        .iter()
        .map(|t| {
            let tokens = super::tokenize::tokenize(&t.text, 0..t.text.len());
            let rule = rule_boundaries(&t.text, &tokens);
            let starts: std::collections::HashSet<usize> =
                t.sentences.iter().map(|s| s.0).collect();
            let gold = tokens.iter().map(|r| starts.contains(&r.start)).collect();
            Prepared { tokens, rule, gold }
        })
        .collect();
    let mut counter = FeatureCounter::default();
    let mut feats = Vec::new();
    for (t, p) in texts.iter().zip(&data) {
        let mut last = 0;
        for i in 1..p.tokens.len() {
            features(&t.text, &p.tokens, &p.rule, i, i - last, &mut feats);
            counter.add(&feats);
            if p.gold[i] {
                last = i;
            }
        }
    }
    let mut trainer =
        PerceptronTrainer::new(vec!["no".into(), "yes".into()], Some(counter.allowed(2)));
    drop(counter);
    let mut order: Vec<usize> = (0..texts.len()).collect();
    let mut rng = super::train::SplitMix(seed);
    let mut best: Option<(Splitter, usize, f64)> = None;
    for epoch in 1..=epochs {
        rng.shuffle(&mut order);
        let mut errors = 0usize;
        for &ti in &order {
            let (t, p) = (&texts[ti], &data[ti]);
            let mut last = 0;
            for i in 1..p.tokens.len() {
                features(&t.text, &p.tokens, &p.rule, i, i - last, &mut feats);
                let mut scores = [0f32; 2];
                trainer.score_into(&feats, &mut scores);
                let guess = if scores[YES] > scores[NO] { YES } else { NO };
                let truth = if p.gold[i] { YES } else { NO };
                if guess != truth {
                    errors += 1;
                }
                trainer.update(&feats, truth, guess);
                trainer.tick();
                if guess == YES {
                    last = i;
                }
            }
        }
        let splitter = Splitter {
            model: trainer.average(),
        };
        let score = evaluate(&splitter);
        log(format!(
            "sentence splitter epoch {epoch}: {errors} training errors, dev F1 {score:.2}"
        ));
        if best.as_ref().is_none_or(|b| score > b.2) {
            best = Some((splitter, epoch, score));
        }
    }
    best.unwrap_or_else(|| {
        (
            Splitter {
                model: trainer.average(),
            },
            0,
            0.0,
        )
    })
}
