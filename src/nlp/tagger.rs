//! Greedy left-to-right part-of-speech tagger predicting joint (UPOS, XPOS) tags.
//!
//! An averaged perceptron scores each word from its form, affixes, shape, the neighbouring
//! words, the two previous predicted tags and the "ambiguity class" (the set of tags a word
//! took in training) of the words to the right, which stands in for right-context tags.
//! Frequent words that always took one tag skip the classifier (the tag dictionary).
//!
//! Lexicon file (before deflate), UTF-8 lines: `D\tform\ttag` (tag dictionary entries,
//! tag = index into the model classes) and `A\tlowercased form\ttag,tag,...`
//! (ambiguity classes). Model classes are `UPOS\tXPOS`.

use rustc_hash::FxHashMap as HashMap;
use std::io::{Read, Write};

use super::perceptron::{
    feat, feat2, feat3, hash_str, FeatureCounter, Perceptron, PerceptronTrainer,
};

/// Per-word values computed once per sentence so the scoring loop only combines hashes.
#[derive(Clone, Copy, Default)]
pub(crate) struct WordKeys {
    lower: u64,
    form: u64,
    suffix: [u64; 4],
    prefix: [u64; 3],
    shape: u64,
    ambiguity: u64,
}

const PAD_BEFORE: u64 = 0x5fa1;
const PAD_AFTER: u64 = 0x5fa2;
const START_TAG: u64 = 0xffff;
const UNKNOWN_AMBIGUITY: u64 = 0xa3b1;

/// A word's shape: letter case and digit classes, repeated classes collapsed ("Xx", "d.d", "X.X.").
pub fn shape(word: &str) -> String {
    let mut out = String::new();
    let mut last = None;
    for (n, c) in word.chars().enumerate() {
        if n >= 12 {
            out.push('~');
            break;
        }
        let k = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else if c.is_alphabetic() {
            'a'
        } else {
            c
        };
        if Some(k) != last {
            out.push(k);
        }
        last = Some(k);
    }
    out
}

fn char_suffix(word: &str, n: usize) -> &str {
    match word.char_indices().rev().nth(n.saturating_sub(1)) {
        Some((i, _)) if n > 0 => &word[i..],
        _ => word,
    }
}

fn char_prefix(word: &str, n: usize) -> &str {
    match word.char_indices().nth(n) {
        Some((i, _)) => &word[..i],
        None => word,
    }
}

/// What a caller already knows of a word's class (from a gazetteer this layer knows
/// nothing of).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Known {
    #[default]
    Unknown,
    /// A proper name ("European Union").
    Proper,
    /// A nationality adjective before a noun ("Somali forces").
    Adjective,
    /// A role noun ("commissioner", "ombudsman"): a common noun when the treebank never
    /// showed the word, whose suffix alone would make it an adverb or a verb.
    Noun,
}

/// The trained tagger: classifier, tag dictionary and ambiguity classes.
#[derive(Debug, Clone)]
pub struct Tagger {
    model: Perceptron,
    /// (UPOS, XPOS) per class index.
    tags: Vec<(String, String)>,
    dictionary: HashMap<String, u16>,
    ambiguity: HashMap<String, u64>,
}

impl Tagger {
    pub fn tags(&self) -> &[(String, String)] {
        &self.tags
    }

    /// Whether the word (any case) was seen in training.
    pub fn knows(&self, word: &str) -> bool {
        self.ambiguity.contains_key(&word.to_lowercase())
    }

    /// Whether the treebank showed `word` with class `class` (an index into
    /// [`Tagger::tags`]).
    pub fn may_be(&self, word: &str, class: usize) -> bool {
        match self.ambiguity.get(&word.to_lowercase()) {
            Some(&sig) if sig >> 63 == 0 && class < 63 => sig & (1u64 << class) != 0,
            _ => false,
        }
    }

    pub(crate) fn word_keys(&self, words: &[&str]) -> Vec<WordKeys> {
        word_keys(words, &self.ambiguity)
    }

    /// Tags a sentence; returns class indices into [`Tagger::tags`].
    pub fn tag(&self, words: &[&str]) -> Vec<usize> {
        self.tag_with(words, &[])
    }

    /// Tags a sentence in which some words' class is known (`Known::Proper`: a singular
    /// proper noun, NNP; `Known::Adjective`: an adjective, JJ; `Known::Noun`: a common
    /// noun, NN or NNS, when the word was never seen in training). They are tagged so before
    /// the words after them are tagged, so the greedy tagger reads on from the right
    /// history: with "European Union" known as a name, "imposed" after it is a past-tense
    /// verb, not a participle. Missing entries mean "not known".
    pub fn tag_with(&self, words: &[&str], known: &[Known]) -> Vec<usize> {
        let keys = self.word_keys(words);
        let n_classes = self.model.n_classes();
        let mut scores = vec![0f32; n_classes];
        let mut feats = Vec::with_capacity(48);
        let mut out = Vec::with_capacity(words.len());
        let nnp = self
            .tags
            .iter()
            .position(|(u, x)| u == "PROPN" && x == "NNP");
        let jj = self.tags.iter().position(|(u, x)| u == "ADJ" && x == "JJ");
        let nn = self.tags.iter().position(|(u, x)| u == "NOUN" && x == "NN");
        let nns = self
            .tags
            .iter()
            .position(|(u, x)| u == "NOUN" && x == "NNS");
        for (i, word) in words.iter().enumerate() {
            let forced = match known.get(i) {
                Some(Known::Proper) => nnp,
                Some(Known::Adjective) => jj,
                Some(Known::Noun) if !self.knows(word) => {
                    if word.ends_with('s') || word.ends_with("men") {
                        nns
                    } else {
                        nn
                    }
                }
                _ => None,
            };
            if let Some(t) = forced {
                out.push(t);
                continue;
            }
            if let Some(&t) = self.dictionary.get(*word) {
                out.push(t as usize);
                continue;
            }
            features(&keys, i, &out, &mut feats);
            scores.iter_mut().for_each(|s| *s = 0.0);
            self.model.score_into(&feats, &mut scores);
            out.push(argmax(&scores));
        }
        out
    }

    pub fn write_model<W: Write>(&self, out: W) -> std::io::Result<()> {
        self.model.write(out)
    }

    pub fn write_lexicon<W: Write>(&self, out: W) -> std::io::Result<()> {
        let mut enc = flate2::write::DeflateEncoder::new(out, flate2::Compression::best());
        let mut dict: Vec<(&String, &u16)> = self.dictionary.iter().collect();
        dict.sort();
        for (w, t) in dict {
            writeln!(enc, "D\t{w}\t{t}")?;
        }
        let mut amb: Vec<(&String, &u64)> = self.ambiguity.iter().collect();
        amb.sort();
        for (w, sig) in amb {
            let tags: Vec<String> = (0..64)
                .filter(|b| sig & (1u64 << b) != 0)
                .map(|b| b.to_string())
                .collect();
            // Signatures of words whose tags exceed 64 classes are stored as the raw hash.
            if *sig >> 63 == 1 {
                writeln!(enc, "H\t{w}\t{sig}")?;
            } else {
                writeln!(enc, "A\t{w}\t{}", tags.join(","))?;
            }
        }
        enc.finish()?;
        Ok(())
    }

    pub fn read(model: &[u8], lexicon: &[u8]) -> Result<Tagger, String> {
        let model = Perceptron::read(model)?;
        let mut tags = Vec::new();
        for c in &model.classes {
            let (u, x) = c
                .split_once('\t')
                .ok_or_else(|| format!("tag class {c:?} is not UPOS\\tXPOS"))?;
            tags.push((u.to_string(), x.to_string()));
        }
        let mut text = String::new();
        flate2::read::DeflateDecoder::new(lexicon)
            .read_to_string(&mut text)
            .map_err(|e| format!("lexicon: {e}"))?;
        let mut dictionary = HashMap::default();
        let mut ambiguity = HashMap::default();
        for (n, line) in text.lines().enumerate() {
            let cols: Vec<&str> = line.split('\t').collect();
            let bad = || format!("lexicon line {}: {line:?}", n + 1);
            if cols.len() != 3 {
                return Err(bad());
            }
            match cols[0] {
                "D" => {
                    let t: u16 = cols[2].parse().map_err(|_| bad())?;
                    if t as usize >= tags.len() {
                        return Err(bad());
                    }
                    dictionary.insert(cols[1].to_string(), t);
                }
                "A" => {
                    let mut sig = 0u64;
                    for t in cols[2].split(',') {
                        let b: u32 = t.parse().map_err(|_| bad())?;
                        if b >= 63 {
                            return Err(bad());
                        }
                        sig |= 1 << b;
                    }
                    ambiguity.insert(cols[1].to_string(), sig);
                }
                "H" => {
                    ambiguity.insert(cols[1].to_string(), cols[2].parse().map_err(|_| bad())?);
                }
                _ => return Err(bad()),
            }
        }
        Ok(Tagger {
            model,
            tags,
            dictionary,
            ambiguity,
        })
    }
}

fn argmax(scores: &[f32]) -> usize {
    let mut best = 0;
    for (i, s) in scores.iter().enumerate() {
        if *s > scores[best] {
            best = i;
        }
    }
    best
}

pub(crate) fn word_keys(words: &[&str], ambiguity: &HashMap<String, u64>) -> Vec<WordKeys> {
    let mut lower_buf = String::new();
    words
        .iter()
        .map(|w| {
            lower_buf.clear();
            lower_buf.extend(w.chars().flat_map(char::to_lowercase));
            let lower = lower_buf.as_str();
            WordKeys {
                lower: hash_str(lower),
                form: hash_str(w),
                suffix: [1, 2, 3, 4].map(|n| hash_str(char_suffix(lower, n))),
                prefix: [1, 2, 3].map(|n| hash_str(char_prefix(w, n))),
                shape: hash_str(&shape(w)),
                ambiguity: ambiguity
                    .get(lower)
                    .or_else(|| american_spelling(lower).and_then(|a| ambiguity.get(&a)))
                    .copied()
                    .unwrap_or(UNKNOWN_AMBIGUITY),
            }
        })
        .collect()
}

/// The American spelling of a British form (`organised` -> `organized`, `defence` ->
/// `defense`, `signalled` -> `signaled`, `centre` -> `center`, `labour` -> `labor`), used
/// to find the tag set of words the (American) treebank spells differently. News wires
/// often use British spelling.
pub fn american_spelling(lower: &str) -> Option<String> {
    const ENDINGS: &[(&str, &str)] = &[
        ("isations", "izations"),
        ("isation", "ization"),
        ("ising", "izing"),
        ("ised", "ized"),
        ("ises", "izes"),
        ("ise", "ize"),
        ("lled", "led"),
        ("lling", "ling"),
        ("ours", "ors"),
        ("our", "or"),
        ("ence", "ense"),
        ("tres", "ters"),
        ("tre", "ter"),
    ];
    ENDINGS.iter().find_map(|(british, american)| {
        let stem = lower.strip_suffix(british)?;
        (stem.chars().count() >= 3).then(|| format!("{stem}{american}"))
    })
}

/// The feature keys for word `i` given the tags already predicted for words `0..i`.
pub(crate) fn features(keys: &[WordKeys], i: usize, prev: &[usize], out: &mut Vec<u64>) {
    out.clear();
    let n = keys.len();
    let pad_b = WordKeys {
        lower: PAD_BEFORE,
        form: PAD_BEFORE,
        shape: PAD_BEFORE,
        ambiguity: PAD_BEFORE,
        ..Default::default()
    };
    let pad_a = WordKeys {
        lower: PAD_AFTER,
        form: PAD_AFTER,
        shape: PAD_AFTER,
        ambiguity: PAD_AFTER,
        ..Default::default()
    };
    let at = |j: isize| -> WordKeys {
        if j < 0 {
            pad_b
        } else if j as usize >= n {
            pad_a
        } else {
            keys[j as usize]
        }
    };
    let ii = i as isize;
    let w = at(ii);
    let wm1 = at(ii - 1);
    let wm2 = at(ii - 2);
    let wp1 = at(ii + 1);
    let wp2 = at(ii + 2);
    let p1 = if i >= 1 {
        prev[i - 1] as u64
    } else {
        START_TAG
    };
    let p2 = if i >= 2 {
        prev[i - 2] as u64
    } else {
        START_TAG
    };
    out.push(feat(0, 0));
    out.push(feat(1, w.lower));
    out.push(feat(2, w.form));
    for (k, s) in w.suffix.iter().enumerate() {
        out.push(feat(3 + k as u64, *s));
    }
    for (k, s) in w.prefix.iter().enumerate() {
        out.push(feat(7 + k as u64, *s));
    }
    out.push(feat(10, w.shape));
    out.push(feat(11, w.ambiguity));
    out.push(feat(12, wm1.lower));
    out.push(feat(13, wm2.lower));
    out.push(feat(14, wp1.lower));
    out.push(feat(15, wp2.lower));
    out.push(feat(16, wm1.suffix[2]));
    out.push(feat(17, wp1.suffix[2]));
    out.push(feat(18, wp1.shape));
    out.push(feat(19, wm1.shape));
    out.push(feat(20, wp1.ambiguity));
    out.push(feat(21, wp2.ambiguity));
    out.push(feat(22, p1));
    out.push(feat(23, p2));
    out.push(feat2(24, p1, p2));
    out.push(feat2(25, p1, w.lower));
    out.push(feat2(26, p1, w.suffix[2]));
    out.push(feat2(27, wm1.lower, w.lower));
    out.push(feat2(28, w.lower, wp1.lower));
    out.push(feat2(29, p1, wp1.ambiguity));
    out.push(feat2(30, w.ambiguity, wp1.ambiguity));
    out.push(feat2(31, p1, w.ambiguity));
    out.push(feat2(32, (i == 0) as u64, w.shape));
    out.push(feat3(33, p1, w.ambiguity, wp1.ambiguity));
    out.push(feat2(34, w.suffix[1], wp1.lower));
    out.push(feat2(35, wm1.lower, w.suffix[2]));
    out.push(feat3(36, p2, p1, w.ambiguity));
    out.push(feat2(37, w.lower, wp1.ambiguity));
    out.push(feat2(38, w.lower, wp2.lower));
    out.push(feat2(39, wm1.lower, wp1.lower));
    out.push(feat2(40, p1, wp1.lower));
    out.push(feat(41, wp1.suffix[1]));
    out.push(feat(42, wp1.prefix[0]));
    out.push(feat(43, wm1.form));
    out.push(feat(44, wp1.form));
    out.push(feat2(45, p1, w.shape));
    out.push(feat2(46, wm1.ambiguity, w.ambiguity));
    out.push(feat3(47, p2, p1, w.lower));
}

/// A sentence with gold tags: word forms and (UPOS, XPOS) per word.
pub type TagSentence = (Vec<String>, Vec<(String, String)>);

/// Tag set, tag dictionary, ambiguity classes and the sentences with class indices.
pub type LexiconParts = (
    Vec<(String, String)>,
    HashMap<String, u16>,
    HashMap<String, u64>,
    Vec<TaggedSentence>,
);

/// A training sentence for the tagger: word forms and gold class indices.
pub struct TaggedSentence {
    pub words: Vec<String>,
    pub tags: Vec<usize>,
}

/// Builds the tag set, tag dictionary and ambiguity classes from training sentences.
pub fn lexicon_from(sentences: &[TagSentence]) -> LexiconParts {
    let mut tag_counts: HashMap<(String, String), usize> = HashMap::default();
    for (_, tags) in sentences {
        for t in tags {
            *tag_counts.entry(t.clone()).or_default() += 1;
        }
    }
    // Most frequent first, ties by name, so classes (and ambiguity bits) are deterministic.
    let mut tags: Vec<((String, String), usize)> = tag_counts.into_iter().collect();
    tags.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let tags: Vec<(String, String)> = tags.into_iter().map(|(t, _)| t).collect();
    let index: HashMap<&(String, String), usize> =
        tags.iter().enumerate().map(|(i, t)| (t, i)).collect();

    let mut by_form: HashMap<&str, HashMap<usize, usize>> = HashMap::default();
    let mut by_lower: HashMap<String, HashMap<usize, usize>> = HashMap::default();
    let mut tagged = Vec::with_capacity(sentences.len());
    for (words, ts) in sentences {
        let ids: Vec<usize> = ts.iter().map(|t| index[t]).collect();
        for (w, &id) in words.iter().zip(&ids) {
            *by_form
                .entry(w.as_str())
                .or_default()
                .entry(id)
                .or_default() += 1;
            *by_lower
                .entry(w.to_lowercase())
                .or_default()
                .entry(id)
                .or_default() += 1;
        }
        tagged.push(TaggedSentence {
            words: words.clone(),
            tags: ids,
        });
    }
    let mut dictionary = HashMap::default();
    for (form, counts) in &by_form {
        let total: usize = counts.values().sum();
        let (best, best_n) = counts
            .iter()
            .max_by_key(|(t, n)| (**n, std::cmp::Reverse(**t)))
            .map(|(t, n)| (*t, *n))
            .unwrap_or((0, 0));
        if total >= 20 && best_n * 1000 >= total * 995 {
            dictionary.insert(form.to_string(), best as u16);
        }
    }
    let mut ambiguity = HashMap::default();
    for (lower, counts) in &by_lower {
        let total: usize = counts.values().sum();
        if total < 2 {
            continue;
        }
        let mut sig = 0u64;
        let mut set: Vec<usize> = counts
            .iter()
            .filter(|(_, n)| **n * 10 >= total)
            .map(|(t, _)| *t)
            .collect();
        set.sort_unstable();
        if set.iter().any(|&t| t >= 63) {
            let mut h = 0x77u64;
            for t in &set {
                h = super::perceptron::mix(h, *t as u64);
            }
            sig = h | (1 << 63);
        } else {
            for t in &set {
                sig |= 1 << t;
            }
        }
        ambiguity.insert(lower.clone(), sig);
    }
    (tags, dictionary, ambiguity, tagged)
}

/// Trains the tagger; picks the epoch with the best accuracy on `dev` (when given).
pub fn train(
    train: &[TagSentence],
    dev: &[TagSentence],
    epochs: usize,
    seed: u64,
    log: &mut dyn FnMut(String),
) -> (Tagger, usize, f64) {
    let (tags, dictionary, ambiguity, sentences) = lexicon_from(train);
    let class_names: Vec<String> = tags.iter().map(|(u, x)| format!("{u}\t{x}")).collect();
    let n_classes = class_names.len();
    let keys: Vec<Vec<WordKeys>> = sentences
        .iter()
        .map(|s| {
            word_keys(
                &s.words.iter().map(String::as_str).collect::<Vec<_>>(),
                &ambiguity,
            )
        })
        .collect();
    let mut counter = FeatureCounter::default();
    let mut feats = Vec::new();
    for (s, k) in sentences.iter().zip(&keys) {
        for i in 0..s.words.len() {
            features(k, i, &s.tags, &mut feats);
            counter.add(&feats);
        }
    }
    let mut trainer = PerceptronTrainer::new(class_names, Some(counter.allowed(1)));
    drop(counter);
    let mut order: Vec<usize> = (0..sentences.len()).collect();
    let mut rng = super::train::SplitMix(seed);
    let mut best: Option<(Tagger, usize, f64)> = None;
    let mut scores = vec![0f32; n_classes];
    for epoch in 1..=epochs {
        rng.shuffle(&mut order);
        let mut correct = 0usize;
        let mut total = 0usize;
        for &si in &order {
            let s = &sentences[si];
            let mut pred: Vec<usize> = Vec::with_capacity(s.words.len());
            for i in 0..s.words.len() {
                if let Some(&t) = dictionary.get(&s.words[i]) {
                    pred.push(t as usize);
                    continue;
                }
                features(&keys[si], i, &pred, &mut feats);
                scores.iter_mut().for_each(|x| *x = 0.0);
                trainer.score_into(&feats, &mut scores);
                let guess = argmax(&scores);
                trainer.update(&feats, s.tags[i], guess);
                trainer.tick();
                correct += (guess == s.tags[i]) as usize;
                total += 1;
                pred.push(guess);
            }
        }
        let tagger = Tagger {
            model: trainer.average(),
            tags: tags.clone(),
            dictionary: dictionary.clone(),
            ambiguity: ambiguity.clone(),
        };
        let (dev_acc, dev_upos) = if dev.is_empty() {
            (0.0, 0.0)
        } else {
            accuracy(&tagger, dev)
        };
        log(format!(
            "tagger epoch {epoch}: train {:.2}% (classifier words), dev {dev_acc:.2}% (UPOS {dev_upos:.2}%)",
            100.0 * correct as f64 / total.max(1) as f64,
        ));
        if best
            .as_ref()
            .is_none_or(|b| dev_acc > b.2 || dev.is_empty())
        {
            best = Some((tagger, epoch, dev_acc));
        }
    }
    best.unwrap_or_else(|| {
        let tagger = Tagger {
            model: trainer.average(),
            tags,
            dictionary,
            ambiguity,
        };
        (tagger, 0, 0.0)
    })
}

/// Joint-tag and UPOS accuracy (percent) on sentences with gold tags.
pub fn accuracy(tagger: &Tagger, data: &[TagSentence]) -> (f64, f64) {
    let mut correct = 0usize;
    let mut upos = 0usize;
    let mut total = 0usize;
    for (words, gold) in data {
        let w: Vec<&str> = words.iter().map(String::as_str).collect();
        for (p, g) in tagger.tag(&w).iter().zip(gold) {
            let t = &tagger.tags[*p];
            correct += (t.0 == g.0 && t.1 == g.1) as usize;
            upos += (t.0 == g.0) as usize;
            total += 1;
        }
    }
    let pct = |c: usize| 100.0 * c as f64 / total.max(1) as f64;
    (pct(correct), pct(upos))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_collapse_repeated_classes() {
        assert_eq!(shape("Trump"), "Xx");
        assert_eq!(shape("U.S."), "X.X.");
        assert_eq!(shape("2014"), "d");
        assert_eq!(shape("e-mail"), "x-x");
    }

    #[test]
    fn british_spellings_map_to_american_ones() {
        assert_eq!(american_spelling("organised").as_deref(), Some("organized"));
        assert_eq!(american_spelling("defence").as_deref(), Some("defense"));
        assert_eq!(american_spelling("signalled").as_deref(), Some("signaled"));
        assert_eq!(american_spelling("labour").as_deref(), Some("labor"));
        assert_eq!(american_spelling("rise"), None);
    }

    #[test]
    fn affixes_respect_char_boundaries() {
        assert_eq!(char_suffix("café", 2), "fé");
        assert_eq!(char_prefix("élan", 2), "él");
        assert_eq!(char_suffix("a", 3), "a");
    }
}
