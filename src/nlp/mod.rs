//! Text analysis: sentences, tokens, part-of-speech tags, lemmas and dependency trees.
//!
//! One `Doc` per text holds the text and token-aligned annotations; each stage reads the
//! `Doc` and adds its layer. This layer knows nothing about actors, events or RDF.
//!
//! Stages: [`tokenize`] (UD English EWT conventions) -> [`split`] (sentences) ->
//! [`tagger`] (UPOS + XPOS) -> [`lemma`] -> [`parser`] (UD relations), bundled as a
//! [`Pipeline`]. Models are trained by [`train::train`] from the EWT treebank and scored by
//! [`evaluate::evaluate`].

pub mod conllu;
pub mod evaluate;
pub mod lemma;
pub mod neural;
pub mod parser;
pub mod perceptron;
pub mod pipeline;
pub mod split;
pub mod splitter;
pub mod tagger;
pub mod tokenize;
pub mod train;

pub use evaluate::{evaluate, EvalReport, RawTextScores, RelationScore};
pub use pipeline::Pipeline;
pub use train::{train, TrainError, TrainOptions, TrainReport};

use std::ops::Range;

/// One token with its annotations. Offsets are byte offsets into `Doc::text`.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    /// Universal POS tag ("PROPN", "VERB").
    pub upos: String,
    /// Penn Treebank tag ("NNP", "VBD").
    pub xpos: String,
    pub lemma: String,
    /// Index (into `Doc::tokens`) of the syntactic head; `None` for the sentence root.
    pub head: Option<usize>,
    /// Universal Dependencies relation to the head ("nsubj", "obj", "root").
    pub deprel: String,
}

/// A sentence: its byte range in the text and its token range in `Doc::tokens`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
    pub tokens: Range<usize>,
}

/// A text with its analysis.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Doc {
    pub text: String,
    pub tokens: Vec<Token>,
    pub sentences: Vec<Sentence>,
}

impl Doc {
    /// The surface form of token `i`.
    pub fn word(&self, i: usize) -> &str {
        let t = &self.tokens[i];
        &self.text[t.start..t.end]
    }

    /// The text of sentence `s`.
    pub fn sentence_text(&self, s: usize) -> &str {
        let sent = &self.sentences[s];
        &self.text[sent.start..sent.end]
    }

    /// Dependents of token `i`, in text order.
    pub fn children(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        let range = self
            .sentences
            .iter()
            .find(|s| s.tokens.contains(&i))
            .map(|s| s.tokens.clone())
            .unwrap_or(0..0);
        range.filter(move |&j| self.tokens[j].head == Some(i))
    }
}
