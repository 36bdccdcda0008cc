//! Labelling verbs and evaluative words: "X called Y unacceptable" is X criticising Y,
//! "X described Y as a historic step" is X praising Y. The words are data
//! (`data/lexicon/evaluation.tsv`); the extractor reads the construction.

use std::collections::HashSet;
use std::path::Path;

use crate::error::DataError;
use crate::knowledge::lexicon::{LexiconEntry, TriggerPos};

const BUNDLED: &str = include_str!("../../data/lexicon/evaluation.tsv");
const BUNDLED_PATH: &str = "data/lexicon/evaluation.tsv";

/// CAMEO codes of a negative and a positive label.
const CRITICISE: &str = "111";
const PRAISE: &str = "051";

/// Which way a label leans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Polarity {
    Negative,
    Positive,
}

#[derive(Debug, Clone)]
pub struct Evaluation {
    verbs: HashSet<String>,
    negative: HashSet<String>,
    positive: HashSet<String>,
    /// The events a label codes to, as lexicon entries so that they travel like any other.
    criticise: LexiconEntry,
    praise: LexiconEntry,
}

impl Evaluation {
    pub fn bundled() -> Result<Self, DataError> {
        Self::parse(BUNDLED, Path::new(BUNDLED_PATH))
    }

    pub fn load(path: &Path) -> Result<Self, DataError> {
        let text = std::fs::read_to_string(path).map_err(|e| DataError::io(path, e))?;
        Self::parse(&text, path)
    }

    /// `kind<TAB>word` lines; kinds `verb`, `negative`, `positive`.
    pub fn parse(text: &str, origin: &Path) -> Result<Self, DataError> {
        let entry = |code: &str, lemma: &str| LexiconEntry {
            lemmas: vec![lemma.to_string()],
            pos: TriggerPos::Verb,
            cameo: code.to_string(),
            target: Vec::new(),
            source: Vec::new(),
            line: 0,
        };
        let mut e = Evaluation {
            verbs: HashSet::new(),
            negative: HashSet::new(),
            positive: HashSet::new(),
            criticise: entry(CRITICISE, "label"),
            praise: entry(PRAISE, "label"),
        };
        for (n, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let mut cols = line.split('\t').map(str::trim).filter(|c| !c.is_empty());
            let (Some(kind), Some(word), None) = (cols.next(), cols.next(), cols.next()) else {
                return Err(DataError::malformed(
                    origin,
                    Some(n + 1),
                    "expected two TAB-separated columns: kind, word",
                ));
            };
            let set = match kind {
                "verb" => &mut e.verbs,
                "negative" => &mut e.negative,
                "positive" => &mut e.positive,
                other => {
                    return Err(DataError::malformed(
                        origin,
                        Some(n + 1),
                        format!("unknown kind {other:?} (verb, negative, positive)"),
                    ))
                }
            };
            set.insert(word.to_lowercase());
        }
        Ok(e)
    }

    /// Whether `lemma` is a labelling verb ("call", "describe").
    pub fn is_labelling(&self, lemma: &str) -> bool {
        self.verbs.contains(lemma)
    }

    /// The polarity of one word (lemma or form, lower case).
    pub fn polarity(&self, word: &str) -> Option<Polarity> {
        if self.negative.contains(word) {
            Some(Polarity::Negative)
        } else if self.positive.contains(word) {
            Some(Polarity::Positive)
        } else {
            None
        }
    }

    /// The event a label of that polarity codes to.
    pub fn entry(&self, p: Polarity) -> &LexiconEntry {
        match p {
            Polarity::Negative => &self.criticise,
            Polarity::Positive => &self.praise,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_have_their_polarity() {
        let e = Evaluation::bundled().unwrap();
        assert!(e.is_labelling("call") && e.is_labelling("describe"));
        assert_eq!(e.polarity("unacceptable"), Some(Polarity::Negative));
        assert_eq!(e.polarity("historic"), Some(Polarity::Positive));
        assert_eq!(e.polarity("table"), None);
        assert_eq!(e.entry(Polarity::Negative).cameo, "111");
    }

    #[test]
    fn errors_name_file_and_line() {
        let err = Evaluation::parse("verb\tcall\nmood\tsad\n", Path::new("e.tsv")).unwrap_err();
        assert!(err.to_string().contains("e.tsv:2"), "{err}");
    }
}
