//! Evaluation against a CoNLL-U test set, two ways:
//! with gold tokenization (tagging, lemma and attachment accuracy per word), and from raw
//! text (`# text =` lines run through the whole pipeline, system tokens aligned to gold
//! tokens by character offsets, and F1 scores as in the CoNLL 2018 shared task).

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;

use super::conllu::{self, TreebankSentence};
use super::pipeline::Pipeline;
use crate::error::DataError;

/// Scores of one evaluation run (percentages).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EvalReport {
    pub sentences: usize,
    pub words: usize,
    pub upos: f64,
    pub xpos: f64,
    pub lemma: f64,
    pub uas: f64,
    pub las: f64,
    /// LAS comparing only the universal part of relations (`nsubj` for `nsubj:pass`).
    pub las_universal: f64,
    pub raw: RawTextScores,
    pub seconds: f64,
}

/// F1 scores from raw text (CoNLL 2018 style: correct over system and over gold words).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawTextScores {
    pub tokens_f1: f64,
    pub sentences_f1: f64,
    pub upos_f1: f64,
    pub uas_f1: f64,
    pub las_f1: f64,
    /// Sentences whose gold words could not all be located in the `# text` line.
    pub unaligned_sentences: usize,
}

impl std::fmt::Display for EvalReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{} sentences, {} words ({:.1} s)",
            self.sentences, self.words, self.seconds
        )?;
        writeln!(f, "gold tokenization:")?;
        writeln!(f, "  UPOS   {:6.2}", self.upos)?;
        writeln!(f, "  XPOS   {:6.2}", self.xpos)?;
        writeln!(f, "  lemma  {:6.2}", self.lemma)?;
        writeln!(f, "  UAS    {:6.2}", self.uas)?;
        writeln!(
            f,
            "  LAS    {:6.2}  (universal relations only: {:.2})",
            self.las, self.las_universal
        )?;
        writeln!(f, "raw text (F1):")?;
        writeln!(f, "  tokens    {:6.2}", self.raw.tokens_f1)?;
        writeln!(f, "  sentences {:6.2}", self.raw.sentences_f1)?;
        writeln!(f, "  UPOS      {:6.2}", self.raw.upos_f1)?;
        writeln!(f, "  UAS       {:6.2}", self.raw.uas_f1)?;
        write!(f, "  LAS       {:6.2}", self.raw.las_f1)?;
        if self.raw.unaligned_sentences > 0 {
            write!(
                f,
                "\n  ({} sentences had words not found in their text line)",
                self.raw.unaligned_sentences
            )?;
        }
        Ok(())
    }
}

fn universal(rel: &str) -> &str {
    rel.split(':').next().unwrap_or(rel)
}

fn pct(a: usize, b: usize) -> f64 {
    100.0 * a as f64 / b.max(1) as f64
}

fn f1(correct: usize, system: usize, gold: usize) -> f64 {
    let p = correct as f64 / system.max(1) as f64;
    let r = correct as f64 / gold.max(1) as f64;
    if p + r == 0.0 {
        0.0
    } else {
        100.0 * 2.0 * p * r / (p + r)
    }
}

/// Evaluates `pipeline` on the CoNLL-U file `test`.
pub fn evaluate(pipeline: &Pipeline, test: &Path) -> Result<EvalReport, DataError> {
    let started = std::time::Instant::now();
    let gold = conllu::read_file(test)?;
    let mut report = evaluate_gold_tokens(pipeline, &gold);
    report.raw = evaluate_raw_text(pipeline, &gold);
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Per-word accuracy with gold tokenization.
pub fn evaluate_gold_tokens(pipeline: &Pipeline, gold: &[TreebankSentence]) -> EvalReport {
    let counts: Vec<[usize; 7]> = gold
        .par_iter()
        .map(|s| {
            let words: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
            let out = pipeline.analyze_words(&words);
            let mut c = [0usize; 7];
            for (w, (upos, xpos, lemma, head, rel)) in s.words.iter().zip(out) {
                let head = head.map_or(0, |h| h + 1);
                c[0] += 1;
                c[1] += (upos == w.upos) as usize;
                c[2] += (xpos == w.xpos) as usize;
                c[3] += (lemma == w.lemma) as usize;
                c[4] += (head == w.head) as usize;
                c[5] += (head == w.head && rel == w.deprel) as usize;
                c[6] += (head == w.head && universal(&rel) == universal(&w.deprel)) as usize;
            }
            c
        })
        .collect();
    let mut t = [0usize; 7];
    for c in counts {
        for k in 0..7 {
            t[k] += c[k];
        }
    }
    EvalReport {
        sentences: gold.len(),
        words: t[0],
        upos: pct(t[1], t[0]),
        xpos: pct(t[2], t[0]),
        lemma: pct(t[3], t[0]),
        uas: pct(t[4], t[0]),
        las: pct(t[5], t[0]),
        las_universal: pct(t[6], t[0]),
        ..Default::default()
    }
}

/// Gold word spans in the document text, or None when a word is not found there.
struct GoldDoc {
    text: String,
    /// (start, end, sentence index, word index) per gold word.
    words: Vec<(usize, usize, usize, usize)>,
    sentence_spans: Vec<(usize, usize)>,
    unaligned: usize,
}

fn build_gold_doc(gold: &[TreebankSentence]) -> GoldDoc {
    let mut doc = GoldDoc {
        text: String::new(),
        words: Vec::new(),
        sentence_spans: Vec::new(),
        unaligned: 0,
    };
    for (si, s) in gold.iter().enumerate() {
        let sentence_text = s.text.clone().unwrap_or_else(|| {
            s.words
                .iter()
                .map(|w| {
                    if w.space_after {
                        format!("{} ", w.form)
                    } else {
                        w.form.clone()
                    }
                })
                .collect::<String>()
        });
        if !doc.text.is_empty() {
            doc.text
                .push_str(if s.new_doc || s.new_par { "\n\n" } else { " " });
        }
        let base = doc.text.len();
        doc.text.push_str(sentence_text.trim());
        let stext = &doc.text[base..];
        let mut cursor = 0;
        let mut ok = true;
        let mut first = None;
        let mut last = 0;
        for (wi, w) in s.words.iter().enumerate() {
            let rest = &stext[cursor..];
            let skip = rest.len() - rest.trim_start().len();
            if rest[skip..].starts_with(&w.form) {
                let start = base + cursor + skip;
                let end = start + w.form.len();
                doc.words.push((start, end, si, wi));
                first.get_or_insert(start);
                last = end;
                cursor += skip + w.form.len();
            } else {
                ok = false;
            }
        }
        if !ok {
            doc.unaligned += 1;
        }
        doc.sentence_spans
            .push((first.unwrap_or(base), last.max(base)));
    }
    doc
}

/// CoNLL 2018 style scores from raw text.
pub fn evaluate_raw_text(pipeline: &Pipeline, gold: &[TreebankSentence]) -> RawTextScores {
    let g = build_gold_doc(gold);
    // Analyse paragraph by paragraph (in parallel); offsets are shifted back afterwards.
    let mut paragraphs = Vec::new();
    let mut start = 0;
    for (i, _) in g.text.match_indices("\n\n") {
        paragraphs.push(start..i);
        start = i + 2;
    }
    paragraphs.push(start..g.text.len());
    // Each paragraph is analysed as its own text; `base` shifts its offsets back.
    let docs: Vec<(usize, super::Doc)> = paragraphs
        .par_iter()
        .map(|r| (r.start, pipeline.analyze(&g.text[r.clone()])))
        .collect();

    let gold_index: HashMap<(usize, usize), usize> = g
        .words
        .iter()
        .enumerate()
        .map(|(k, w)| ((w.0, w.1), k))
        .collect();
    let by_word: HashMap<(usize, usize), (usize, usize)> =
        g.words.iter().map(|w| ((w.2, w.3), (w.0, w.1))).collect();
    let gold_head = |k: usize| -> Option<(usize, usize)> {
        let (_, _, si, wi) = g.words[k];
        let h = gold[si].words[wi].head;
        if h == 0 {
            None
        } else {
            by_word.get(&(si, h - 1)).copied()
        }
    };
    let gold_total: usize = gold.iter().map(|s| s.words.len()).sum();
    let (mut sys_total, mut tok_ok, mut upos_ok, mut uas_ok, mut las_ok) = (0, 0, 0, 0, 0);
    let (mut sys_sents, mut sent_ok) = (0, 0);
    let gold_sents: std::collections::HashSet<(usize, usize)> =
        g.sentence_spans.iter().copied().collect();
    for (base, doc) in &docs {
        let base = *base;
        sys_sents += doc.sentences.len();
        for s in &doc.sentences {
            sent_ok += gold_sents.contains(&(base + s.start, base + s.end)) as usize;
        }
        for t in &doc.tokens {
            sys_total += 1;
            let Some(&k) = gold_index.get(&(base + t.start, base + t.end)) else {
                continue;
            };
            tok_ok += 1;
            let (_, _, si, wi) = g.words[k];
            let gw = &gold[si].words[wi];
            upos_ok += (t.upos == gw.upos) as usize;
            let sys_head = t
                .head
                .map(|h| (base + doc.tokens[h].start, base + doc.tokens[h].end));
            let head_ok = sys_head == gold_head(k) && (gw.head == 0) == t.head.is_none();
            if head_ok {
                uas_ok += 1;
                las_ok += (t.deprel == gw.deprel) as usize;
            }
        }
    }
    RawTextScores {
        tokens_f1: f1(tok_ok, sys_total, gold_total),
        sentences_f1: f1(sent_ok, sys_sents, gold.len()),
        upos_f1: f1(upos_ok, sys_total, gold_total),
        uas_f1: f1(uas_ok, sys_total, gold_total),
        las_f1: f1(las_ok, sys_total, gold_total),
        unaligned_sentences: g.unaligned,
    }
}
