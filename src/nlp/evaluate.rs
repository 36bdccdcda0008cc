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
    /// Per relation the extractor reads: (relation, gold words, LAS recall, precision).
    pub relations: Vec<RelationScore>,
    pub seconds: f64,
}

/// Attachment scores of one relation, gold tokenization.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RelationScore {
    pub relation: &'static str,
    /// Gold words with this relation.
    pub gold: usize,
    /// Words the parser gave this relation.
    pub system: usize,
    /// Of the gold words: right head and this relation (LAS over the relation), percent.
    pub recall: f64,
    /// Of the system's words with this relation: right head and relation, percent.
    pub precision: f64,
}

/// The relations the event extractor reads, in the order `geokg evaluate` prints them.
pub const EXTRACTOR_RELATIONS: [&str; 11] = [
    "nsubj",
    "nsubj:pass",
    "obj",
    "iobj",
    "obl",
    "nmod",
    "conj",
    "xcomp",
    "ccomp",
    "acl:relcl",
    "appos",
];

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
        if !self.relations.is_empty() {
            writeln!(
                f,
                "per relation (gold tokenization; LAS = right head and label):"
            )?;
            writeln!(
                f,
                "  {:<11} {:>6} {:>7} {:>9} {:>6}",
                "relation", "gold", "LAS", "precision", "F1"
            )?;
            for r in &self.relations {
                let f1 = if r.recall + r.precision > 0.0 {
                    2.0 * r.recall * r.precision / (r.recall + r.precision)
                } else {
                    0.0
                };
                writeln!(
                    f,
                    "  {:<11} {:>6} {:>7.2} {:>9.2} {:>6.2}",
                    r.relation, r.gold, r.recall, r.precision, f1
                )?;
            }
        }
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
    const R: usize = EXTRACTOR_RELATIONS.len();
    let rel_index = |r: &str| EXTRACTOR_RELATIONS.iter().position(|x| *x == r);
    let counts: Vec<([usize; 7], [[usize; 3]; R])> = gold
        .par_iter()
        .map(|s| {
            let words: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
            let out = pipeline.analyze_words(&words);
            let mut c = [0usize; 7];
            let mut r = [[0usize; 3]; R];
            for (w, (upos, xpos, lemma, head, rel)) in s.words.iter().zip(out) {
                let head = head.map_or(0, |h| h + 1);
                let right = head == w.head && rel == w.deprel;
                if let Some(k) = rel_index(&w.deprel) {
                    r[k][0] += 1;
                    r[k][2] += right as usize;
                }
                if let Some(k) = rel_index(&rel) {
                    r[k][1] += 1;
                }
                c[0] += 1;
                c[1] += (upos == w.upos) as usize;
                c[2] += (xpos == w.xpos) as usize;
                c[3] += (lemma == w.lemma) as usize;
                c[4] += (head == w.head) as usize;
                c[5] += (head == w.head && rel == w.deprel) as usize;
                c[6] += (head == w.head && universal(&rel) == universal(&w.deprel)) as usize;
            }
            (c, r)
        })
        .collect();
    let mut t = [0usize; 7];
    let mut rt = [[0usize; 3]; R];
    for (c, r) in counts {
        for k in 0..7 {
            t[k] += c[k];
        }
        for k in 0..R {
            for j in 0..3 {
                rt[k][j] += r[k][j];
            }
        }
    }
    let relations = EXTRACTOR_RELATIONS
        .iter()
        .zip(rt)
        .map(|(relation, [g, sys, ok])| RelationScore {
            relation,
            gold: g,
            system: sys,
            recall: pct(ok, g),
            precision: pct(ok, sys),
        })
        .collect();
    EvalReport {
        sentences: gold.len(),
        words: t[0],
        upos: pct(t[1], t[0]),
        xpos: pct(t[2], t[0]),
        lemma: pct(t[3], t[0]),
        uas: pct(t[4], t[0]),
        las: pct(t[5], t[0]),
        las_universal: pct(t[6], t[0]),
        relations,
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

/// The treebank as raw paragraphs (the text `evaluate` analyses) with their gold sentence
/// spans, for training and scoring the sentence splitter.
pub fn gold_paragraphs(gold: &[TreebankSentence]) -> Vec<super::splitter::SplitterText> {
    let g = build_gold_doc(gold);
    let mut out = Vec::new();
    let mut start = 0;
    let mut bounds = Vec::new();
    for (i, _) in g.text.match_indices("\n\n") {
        bounds.push((start, i));
        start = i + 2;
    }
    bounds.push((start, g.text.len()));
    let mut spans = g.sentence_spans.iter().peekable();
    for (a, b) in bounds {
        let mut sentences = Vec::new();
        while let Some(&&(s, e)) = spans.peek() {
            if s > b {
                break;
            }
            if s >= a && e <= b {
                sentences.push((s - a, e - a));
            }
            spans.next();
        }
        out.push(super::splitter::SplitterText {
            text: g.text[a..b].to_string(),
            sentences,
        });
    }
    out
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
