//! Lemmatizer: a (form, XPOS) table learned from the treebank, and suffix-rewrite rules
//! (also learned) for words the table does not know.
//!
//! A rule says "drop k characters, append s" and is chosen by the longest word ending seen
//! with that XPOS in training, so `organised` finds the `-ised` rule (drop `d`) and
//! `brushing` the `-hing` rule (drop `ing`).
//!
//! File (before deflate), UTF-8 lines: `T\tlowercased form\tXPOS\tlemma` and
//! `R\tXPOS\tending\tdrop\tappend` (the most frequent rule for that ending).

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::io::{Read, Write};

const MAX_ENDING: usize = 6;

#[derive(Debug, Clone, Default)]
pub struct Lemmatizer {
    table: HashMap<(String, String), String>,
    rules: HashMap<(String, String), (usize, String)>,
    /// Every lemma of the table, lower-cased: a rule's output that is no known word loses
    /// to a plain reading of the ending that is one ("shelled" -> "shell", not "shel").
    known: HashSet<(char, String)>,
}

impl Lemmatizer {
    /// Learns the table and the rules from (form, xpos, upos, lemma) examples.
    pub fn learn<'a>(
        examples: impl Iterator<Item = (&'a str, &'a str, &'a str, &'a str)>,
    ) -> Lemmatizer {
        let mut table_counts: HashMap<(String, String), HashMap<String, usize>> =
            HashMap::default();
        for (form, xpos, _upos, lemma) in examples {
            *table_counts
                .entry((form.to_lowercase(), xpos.to_string()))
                .or_default()
                .entry(lemma.to_string())
                .or_default() += 1;
        }
        let mut table = HashMap::default();
        let mut rule_counts: HashMap<(String, String), HashMap<(usize, String), usize>> =
            HashMap::default();
        for ((lower, xpos), lemmas) in &table_counts {
            let Some((lemma, _)) = lemmas.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            else {
                continue;
            };
            table.insert((lower.clone(), xpos.clone()), lemma.clone());
            let lemma_lower = lemma.to_lowercase();
            let (drop, append) = rule_between(lower, &lemma_lower);
            let chars: Vec<(usize, char)> = lower.char_indices().collect();
            for k in 0..=MAX_ENDING.min(chars.len()) {
                if k < drop {
                    continue;
                }
                let ending = if k == 0 {
                    ""
                } else {
                    &lower[chars[chars.len() - k].0..]
                };
                *rule_counts
                    .entry((xpos.clone(), ending.to_string()))
                    .or_default()
                    .entry((drop, append.clone()))
                    .or_default() += 1;
            }
        }
        let rules = rule_counts
            .into_iter()
            .filter_map(|(key, counts)| {
                counts
                    .into_iter()
                    .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
                    .map(|(rule, _)| (key, rule))
            })
            .collect();
        let known = known_lemmas(&table);
        Lemmatizer {
            table,
            rules,
            known,
        }
    }

    /// The lemma of `form` tagged `xpos`/`upos`.
    pub fn lemma(&self, form: &str, upos: &str, xpos: &str) -> String {
        let lower = form.to_lowercase();
        if let Some(l) = self.table.get(&(lower.clone(), xpos.to_string())) {
            if upos == "PROPN" && l.to_lowercase() == lower {
                return form.to_string();
            }
            return l.clone();
        }
        if upos == "PROPN" && xpos != "NNPS" {
            return form.to_string();
        }
        if !form.chars().any(char::is_alphabetic) {
            return form.to_string();
        }
        // British doubled l (`signalled`, `travelling`): lemmatize the American form
        // (`signaled` -> `signal`); `called`, `stalled` have short stems and are excluded.
        let doubled = ["alled", "elled", "alling", "elling"]
            .iter()
            .find_map(|e| lower.strip_suffix(e))
            .is_some_and(|stem| stem.chars().count() >= 4);
        if doubled {
            if let Some(american) = super::tagger::american_spelling(&lower) {
                return self.lemma(&american, upos, xpos);
            }
        }
        let chars: Vec<(usize, char)> = lower.char_indices().collect();
        for k in (0..=MAX_ENDING.min(chars.len())).rev() {
            let ending = if k == 0 {
                ""
            } else {
                &lower[chars[chars.len() - k].0..]
            };
            if let Some((drop, append)) = self.rules.get(&(xpos.to_string(), ending.to_string())) {
                if *drop >= chars.len() {
                    continue;
                }
                let base = if upos == "PROPN" {
                    form
                } else {
                    lower.as_str()
                };
                let cut = if *drop == 0 {
                    base.len()
                } else {
                    chars[chars.len() - drop].0
                };
                let ruled = format!("{}{}", &base[..cut], append);
                let class = word_class(xpos);
                let known = |l: &String| self.known.contains(&(class, l.clone()));
                if upos != "PROPN" && !known(&ruled) {
                    if let Some(plain) = plain_readings(&lower).into_iter().find(known) {
                        return plain;
                    }
                }
                return ruled;
            }
        }
        if upos == "PROPN" {
            form.to_string()
        } else {
            lower
        }
    }

    pub fn write<W: Write>(&self, out: W) -> std::io::Result<()> {
        let mut enc = flate2::write::DeflateEncoder::new(out, flate2::Compression::best());
        let mut table: Vec<_> = self.table.iter().collect();
        table.sort();
        for ((f, x), l) in table {
            writeln!(enc, "T\t{f}\t{x}\t{l}")?;
        }
        let mut rules: Vec<_> = self.rules.iter().collect();
        rules.sort();
        for ((x, e), (d, a)) in rules {
            writeln!(enc, "R\t{x}\t{e}\t{d}\t{a}")?;
        }
        enc.finish()?;
        Ok(())
    }

    pub fn read(bytes: &[u8]) -> Result<Lemmatizer, String> {
        let mut text = String::new();
        flate2::read::DeflateDecoder::new(bytes)
            .read_to_string(&mut text)
            .map_err(|e| format!("lemma file: {e}"))?;
        let mut lem = Lemmatizer::default();
        for (n, line) in text.lines().enumerate() {
            let c: Vec<&str> = line.split('\t').collect();
            let bad = || format!("lemma file line {}: {line:?}", n + 1);
            match (c.first().copied(), c.len()) {
                (Some("T"), 4) => {
                    lem.table
                        .insert((c[1].to_string(), c[2].to_string()), c[3].to_string());
                }
                (Some("R"), 5) => {
                    let d: usize = c[3].parse().map_err(|_| bad())?;
                    lem.rules
                        .insert((c[1].to_string(), c[2].to_string()), (d, c[4].to_string()));
                }
                _ => return Err(bad()),
            }
        }
        lem.known = known_lemmas(&lem.table);
        Ok(lem)
    }
}

/// Lemmas by word class: a verb's lemma must be a known verb ("severed" is not "severe").
fn known_lemmas(table: &HashMap<(String, String), String>) -> HashSet<(char, String)> {
    table
        .iter()
        .map(|((_, xpos), l)| (word_class(xpos), l.to_lowercase()))
        .collect()
}

/// The Penn tag's class letter: V(erb), N(oun), J (adjective), R (adverb), ...
fn word_class(xpos: &str) -> char {
    xpos.chars().next().unwrap_or('?')
}

/// The stems an inflected form may have by its ending alone, most literal first:
/// "shelled" -> shell, shelle, shel; "tried" -> tri, trie, try; "taxes" -> taxe, tax.
fn plain_readings(lower: &str) -> Vec<String> {
    let mut out = Vec::new();
    for ending in ["ed", "ing", "es", "s"] {
        let Some(stem) = lower.strip_suffix(ending) else {
            continue;
        };
        if stem.chars().count() < 2 {
            continue;
        }
        out.push(stem.to_string());
        if ending != "s" {
            out.push(format!("{stem}e"));
        }
        let mut cs = stem.chars().rev();
        if let (Some(a), Some(b)) = (cs.next(), cs.next()) {
            if a == b && ending != "s" {
                out.push(stem[..stem.len() - a.len_utf8()].to_string());
            }
        }
        if let Some(y) = stem.strip_suffix('i') {
            out.push(format!("{y}y"));
        }
    }
    out
}

/// The (characters to drop, string to append) that turns `form` into `lemma`.
fn rule_between(form: &str, lemma: &str) -> (usize, String) {
    let common = form
        .chars()
        .zip(lemma.chars())
        .take_while(|(a, b)| a == b)
        .count();
    let drop = form.chars().count() - common;
    let append: String = lemma.chars().skip(common).collect();
    (drop, append)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Lemmatizer {
        let ex = [
            ("pushing", "VBG", "VERB", "push"),
            ("washing", "VBG", "VERB", "wash"),
            ("making", "VBG", "VERB", "make"),
            ("realised", "VBD", "VERB", "realise"),
            ("criticised", "VBN", "VERB", "criticise"),
            ("recognised", "VBD", "VERB", "recognise"),
            ("wanted", "VBD", "VERB", "want"),
            ("walks", "NNS", "NOUN", "walk"),
            ("cats", "NNS", "NOUN", "cat"),
            ("met", "VBD", "VERB", "meet"),
            ("was", "VBD", "AUX", "be"),
            ("called", "VBN", "VERB", "call"),
        ];
        Lemmatizer::learn(ex.iter().map(|e| (e.0, e.1, e.2, e.3)))
    }

    #[test]
    fn known_words_come_from_the_table() {
        let l = sample();
        assert_eq!(l.lemma("met", "VERB", "VBD"), "meet");
        assert_eq!(l.lemma("Was", "AUX", "VBD"), "be");
    }

    #[test]
    fn unknown_words_use_learned_endings() {
        let l = sample();
        assert_eq!(l.lemma("brushing", "VERB", "VBG"), "brush");
        assert_eq!(l.lemma("organised", "VERB", "VBD"), "organise");
        assert_eq!(l.lemma("talks", "NOUN", "NNS"), "talk");
        assert_eq!(l.lemma("Kyiv", "PROPN", "NNP"), "Kyiv");
        assert_eq!(l.lemma("signalled", "VERB", "VBN"), "signal");
        assert_eq!(l.lemma("travelling", "VERB", "VBG"), "travel");
    }

    #[test]
    fn a_rule_that_makes_no_known_word_loses_to_one_that_does() {
        // "controlled" teaches the doubled-consonant rule (drop "led"); applied to
        // "shelled" it would give "shel". "shell" is a known word, so it wins.
        let ex = [
            ("controlled", "VBD", "VERB", "control"),
            ("patrolled", "VBD", "VERB", "patrol"),
            ("shell", "VB", "VERB", "shell"),
            ("severe", "JJ", "ADJ", "severe"),
        ];
        let l = Lemmatizer::learn(ex.iter().map(|e| (e.0, e.1, e.2, e.3)));
        assert_eq!(l.lemma("shelled", "VERB", "VBD"), "shell");
        assert_eq!(
            l.lemma("extolled", "VERB", "VBD"),
            "extol",
            "no known reading: the rule"
        );
    }

    #[test]
    fn round_trips_through_the_file_format() {
        let l = sample();
        let mut bytes = Vec::new();
        l.write(&mut bytes).unwrap();
        let back = Lemmatizer::read(&bytes).unwrap();
        assert_eq!(back.lemma("organised", "VERB", "VBD"), "organise");
    }
}
