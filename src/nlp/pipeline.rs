//! The full analysis: split, tokenize, tag, lemmatize, parse. Loaded once, shared by threads.

use std::ops::Range;
use std::path::{Path, PathBuf};

use super::lemma::Lemmatizer;
use super::neural::NeuralParser;
use super::parser::{Parse, Parser};
use super::splitter::Splitter;
pub use super::tagger::Known;
use super::tagger::Tagger;
use super::{split, tokenize, Doc, Sentence, Token};
use crate::error::DataError;

/// Model file names inside a model directory (all deflate-compressed).
pub const TAGGER_FILE: &str = "tagger.bin";
pub const LEXICON_FILE: &str = "tagger-lexicon.bin";
pub const LEMMATIZER_FILE: &str = "lemmatizer.bin";
pub const TRANSITIONS_FILE: &str = "parser-transitions.bin";
pub const LABELS_FILE: &str = "parser-labels.bin";
/// The neural parser; a model folder holds either it or the two perceptron files.
pub const NEURAL_FILE: &str = "parser.bin";
/// The learned sentence splitter (optional: without it the rules of `split` decide).
pub const SPLITTER_FILE: &str = "splitter.bin";

static BUNDLED_TAGGER: &[u8] = include_bytes!("../../data/models/tagger.bin");
static BUNDLED_LEXICON: &[u8] = include_bytes!("../../data/models/tagger-lexicon.bin");
static BUNDLED_LEMMATIZER: &[u8] = include_bytes!("../../data/models/lemmatizer.bin");
static BUNDLED_TRANSITIONS: &[u8] = include_bytes!("../../data/models/parser-transitions.bin");
static BUNDLED_LABELS: &[u8] = include_bytes!("../../data/models/parser-labels.bin");
static BUNDLED_SPLITTER: &[u8] = include_bytes!("../../data/models/splitter.bin");

/// Marks, for the words of one sentence, those whose class is known (proper names,
/// nationality adjectives).
pub type ProperNames<'a> = dyn Fn(&[&str]) -> Vec<Known> + 'a;

/// Tagger, lemmatizer and parser together.
#[derive(Debug, Clone)]
pub struct Pipeline {
    tagger: Tagger,
    lemmatizer: Lemmatizer,
    parser: ParserModel,
    splitter: Option<Splitter>,
}

/// Either dependency parser.
#[derive(Debug, Clone)]
pub enum ParserModel {
    Perceptron(Box<Parser>),
    Neural(Box<NeuralParser>),
}

impl ParserModel {
    pub fn parse(&self, words: &[&str], tags: &[usize]) -> Parse {
        match self {
            ParserModel::Perceptron(p) => p.parse(words, tags),
            ParserModel::Neural(p) => p.parse(words, tags),
        }
    }

    pub fn labels(&self) -> &[String] {
        match self {
            ParserModel::Perceptron(p) => p.labels(),
            ParserModel::Neural(p) => p.labels(),
        }
    }
}

/// The form a word is given to the models: curly apostrophes become straight ones, as
/// they mostly are in the treebank.
fn model_form(word: &str) -> std::borrow::Cow<'_, str> {
    if word.contains('’') {
        std::borrow::Cow::Owned(word.replace('’', "'"))
    } else {
        std::borrow::Cow::Borrowed(word)
    }
}

impl Pipeline {
    /// The models trained on UD English EWT that ship inside the binary.
    pub fn bundled() -> Result<Pipeline, DataError> {
        let dir = Path::new("data/models (bundled)");
        let mut pipeline = Self::from_bytes(
            dir,
            [
                BUNDLED_TAGGER,
                BUNDLED_LEXICON,
                BUNDLED_LEMMATIZER,
                BUNDLED_TRANSITIONS,
                BUNDLED_LABELS,
            ],
        )?;
        let splitter = Splitter::read(BUNDLED_SPLITTER)
            .map_err(|m| DataError::malformed(dir.join(SPLITTER_FILE), None, m))?;
        pipeline.splitter = Some(splitter);
        Ok(pipeline)
    }

    /// Loads models written by [`crate::nlp::train::train`] from `dir`.
    pub fn load(dir: &Path) -> Result<Pipeline, DataError> {
        let read = |name: &str| {
            let p = dir.join(name);
            std::fs::read(&p).map_err(|e| DataError::io(p, e))
        };
        if dir.join(NEURAL_FILE).exists() {
            let parts = [
                read(TAGGER_FILE)?,
                read(LEXICON_FILE)?,
                read(LEMMATIZER_FILE)?,
                read(NEURAL_FILE)?,
            ];
            let (tagger, lemmatizer) = Self::read_tagger(dir, &parts[0], &parts[1], &parts[2])?;
            let parser = NeuralParser::read(&parts[3])
                .map_err(|m| DataError::malformed(dir.join(NEURAL_FILE), None, m))?;
            return Ok(Pipeline {
                tagger,
                lemmatizer,
                parser: ParserModel::Neural(Box::new(parser)),
                splitter: Self::read_splitter(dir)?,
            });
        }
        let parts = [
            read(TAGGER_FILE)?,
            read(LEXICON_FILE)?,
            read(LEMMATIZER_FILE)?,
            read(TRANSITIONS_FILE)?,
            read(LABELS_FILE)?,
        ];
        let mut pipeline =
            Self::from_bytes(dir, [&parts[0], &parts[1], &parts[2], &parts[3], &parts[4]])?;
        pipeline.splitter = Self::read_splitter(dir)?;
        Ok(pipeline)
    }

    fn read_splitter(dir: &Path) -> Result<Option<Splitter>, DataError> {
        let p = dir.join(SPLITTER_FILE);
        if !p.exists() {
            return Ok(None);
        }
        let bytes = std::fs::read(&p).map_err(|e| DataError::io(p.clone(), e))?;
        Splitter::read(&bytes)
            .map(Some)
            .map_err(|m| DataError::malformed(p, None, m))
    }

    fn read_tagger(
        dir: &Path,
        tagger: &[u8],
        lexicon: &[u8],
        lemmatizer: &[u8],
    ) -> Result<(Tagger, Lemmatizer), DataError> {
        let err = |name: &str, m: String| DataError::malformed(dir.join(name), None, m);
        let tagger = Tagger::read(tagger, lexicon).map_err(|m| err(TAGGER_FILE, m))?;
        let lemmatizer = Lemmatizer::read(lemmatizer).map_err(|m| err(LEMMATIZER_FILE, m))?;
        Ok((tagger, lemmatizer))
    }

    fn from_bytes(dir: &Path, parts: [&[u8]; 5]) -> Result<Pipeline, DataError> {
        let err = |name: &str, m: String| DataError::malformed(dir.join(name), None, m);
        // The tagger and the parser's models inflate on their own threads.
        let (tagged, parser) = std::thread::scope(|scope| {
            let tagged = scope.spawn(|| Self::read_tagger(dir, parts[0], parts[1], parts[2]));
            let parser = Parser::read(parts[3], parts[4], Vec::new());
            (
                tagged
                    .join()
                    .unwrap_or_else(|p| std::panic::resume_unwind(p)),
                parser,
            )
        });
        let (tagger, lemmatizer) = tagged?;
        let mut parser = parser.map_err(|m| err(TRANSITIONS_FILE, m))?;
        parser.set_coarse_tags(super::parser::coarse_tags(
            tagger.tags().iter().map(|t| t.0.as_str()),
        ));
        Ok(Pipeline {
            tagger,
            lemmatizer,
            parser: ParserModel::Perceptron(Box::new(parser)),
            splitter: None,
        })
    }

    pub(crate) fn from_parts(
        tagger: Tagger,
        lemmatizer: Lemmatizer,
        parser: ParserModel,
        splitter: Option<Splitter>,
    ) -> Pipeline {
        Pipeline {
            tagger,
            lemmatizer,
            parser,
            splitter,
        }
    }

    /// Writes the five model files into `dir` (created if needed); returns their paths.
    pub fn save(&self, dir: &Path) -> Result<Vec<PathBuf>, (PathBuf, std::io::Error)> {
        std::fs::create_dir_all(dir).map_err(|e| (dir.to_path_buf(), e))?;
        let mut written = Vec::new();
        let mut put = |name: &str, bytes: Vec<u8>| -> Result<(), (PathBuf, std::io::Error)> {
            let p = dir.join(name);
            std::fs::write(&p, bytes).map_err(|e| (p.clone(), e))?;
            written.push(p);
            Ok(())
        };
        let mut buf = Vec::new();
        let wrap = |p: &str| (dir.join(p), std::io::Error::other("serialization failed"));
        self.tagger
            .write_model(&mut buf)
            .map_err(|_| wrap(TAGGER_FILE))?;
        put(TAGGER_FILE, std::mem::take(&mut buf))?;
        self.tagger
            .write_lexicon(&mut buf)
            .map_err(|_| wrap(LEXICON_FILE))?;
        put(LEXICON_FILE, std::mem::take(&mut buf))?;
        self.lemmatizer
            .write(&mut buf)
            .map_err(|_| wrap(LEMMATIZER_FILE))?;
        put(LEMMATIZER_FILE, std::mem::take(&mut buf))?;
        match &self.parser {
            ParserModel::Perceptron(parser) => {
                parser
                    .write_transitions(&mut buf)
                    .map_err(|_| wrap(TRANSITIONS_FILE))?;
                put(TRANSITIONS_FILE, std::mem::take(&mut buf))?;
                parser
                    .write_labels(&mut buf)
                    .map_err(|_| wrap(LABELS_FILE))?;
                put(LABELS_FILE, std::mem::take(&mut buf))?;
            }
            ParserModel::Neural(parser) => {
                parser.write(&mut buf).map_err(|_| wrap(NEURAL_FILE))?;
                put(NEURAL_FILE, std::mem::take(&mut buf))?;
            }
        }
        if let Some(splitter) = &self.splitter {
            splitter.write(&mut buf).map_err(|_| wrap(SPLITTER_FILE))?;
            put(SPLITTER_FILE, std::mem::take(&mut buf))?;
        }
        Ok(written)
    }

    /// Analyses the whole text.
    pub fn analyze(&self, text: &str) -> Doc {
        self.analyze_range(text, 0..text.len())
    }

    /// Analyses `text[range]` only (e.g. skipping a dateline); `Doc::text` is the whole
    /// text and all offsets are relative to it.
    pub fn analyze_range(&self, text: &str, range: Range<usize>) -> Doc {
        self.analyze_range_with(text, range, &|_: &[&str]| Vec::new())
    }

    /// [`Pipeline::analyze_range`], with `proper(words)` marking, per sentence, the words a
    /// caller already knows to be proper names (from a gazetteer, which this layer knows
    /// nothing of): they are tagged as proper nouns before the rest of the sentence is
    /// tagged and parsed.
    pub fn analyze_range_with(
        &self,
        text: &str,
        range: Range<usize>,
        proper: &ProperNames<'_>,
    ) -> Doc {
        let spans = tokenize::tokenize(text, range);
        let sentence_ranges = match &self.splitter {
            Some(splitter) => splitter.sentences(text, &spans),
            None => split::sentences(text, &spans),
        };
        let mut doc = Doc {
            text: text.to_string(),
            tokens: Vec::with_capacity(spans.len()),
            sentences: Vec::new(),
        };
        for r in sentence_ranges {
            doc.sentences.push(Sentence {
                start: spans[r.start].start,
                end: spans[r.end - 1].end,
                tokens: r.clone(),
            });
            for span in &spans[r] {
                doc.tokens.push(Token {
                    start: span.start,
                    end: span.end,
                    upos: String::new(),
                    xpos: String::new(),
                    lemma: String::new(),
                    head: None,
                    deprel: String::new(),
                });
            }
        }
        self.annotate_with(&mut doc, proper);
        doc
    }

    /// Tags, lemmatizes and parses a Doc whose tokens and sentences are already set
    /// (used with gold tokenization in evaluation).
    pub fn annotate(&self, doc: &mut Doc) {
        self.annotate_with(doc, &|_: &[&str]| Vec::new())
    }

    /// Tags every sentence before parsing any: each model's weights stay in the cache for
    /// a whole pass instead of evicting the other's at every sentence.
    fn annotate_with(&self, doc: &mut Doc, proper: &ProperNames<'_>) {
        let mut tagged: Vec<Option<Vec<usize>>> = Vec::with_capacity(doc.sentences.len());
        for sentence in &doc.sentences {
            let range = sentence.tokens.clone();
            if range.end > doc.tokens.len() || range.start >= range.end {
                tagged.push(None);
                continue;
            }
            let forms: Vec<std::borrow::Cow<'_, str>> =
                range.clone().map(|i| model_form(doc.word(i))).collect();
            let words: Vec<&str> = forms.iter().map(|c| c.as_ref()).collect();
            let surface: Vec<&str> = range.clone().map(|i| doc.word(i)).collect();
            let known = proper(&surface);
            tagged.push(Some(self.tag_words(&words, &known)));
        }
        for (s, tags) in tagged.into_iter().enumerate() {
            let Some(tags) = tags else { continue };
            let range = doc.sentences[s].tokens.clone();
            let forms: Vec<std::borrow::Cow<'_, str>> =
                range.clone().map(|i| model_form(doc.word(i))).collect();
            let words: Vec<&str> = forms.iter().map(|c| c.as_ref()).collect();
            let analysis = self.parse_tagged(&words, tags);
            drop(words);
            drop(forms);
            for (k, (upos, xpos, lemma, head, deprel)) in analysis.into_iter().enumerate() {
                let t = &mut doc.tokens[range.start + k];
                t.upos = upos;
                t.xpos = xpos;
                t.lemma = lemma;
                t.head = head.map(|h| range.start + h);
                t.deprel = deprel;
            }
        }
    }

    /// Analyses one pre-tokenized sentence: (UPOS, XPOS, lemma, head within the
    /// sentence, relation) per word.
    pub fn analyze_words(
        &self,
        words: &[&str],
    ) -> Vec<(String, String, String, Option<usize>, String)> {
        self.analyze_words_with(words, &[])
    }

    fn analyze_words_with(
        &self,
        words: &[&str],
        proper: &[Known],
    ) -> Vec<(String, String, String, Option<usize>, String)> {
        let tags = self.tag_words(words, proper);
        self.parse_tagged(words, tags)
    }

    /// The tags of one sentence, with the grammatical constraints applied.
    fn tag_words(&self, words: &[&str], proper: &[Known]) -> Vec<usize> {
        let mut tags = self.tagger.tag_with(words, proper);
        self.constrain(words, &mut tags);
        tags
    }

    /// Lemmatizes and parses one tagged sentence, then repairs the parse.
    fn parse_tagged(
        &self,
        words: &[&str],
        tags: Vec<usize>,
    ) -> Vec<(String, String, String, Option<usize>, String)> {
        let parse = self.parser.parse(words, &tags);
        let mut out: Vec<(String, String, String, Option<usize>, String)> = words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let (upos, xpos) = &self.tagger.tags()[tags[i]];
                let lemma = self.lemmatizer.lemma(w, upos, xpos);
                let deprel = self
                    .parser
                    .labels()
                    .get(parse.labels[i])
                    .cloned()
                    .unwrap_or_else(|| "dep".to_string());
                (upos.clone(), xpos.clone(), lemma, parse.heads[i], deprel)
            })
            .collect();
        repair_adjective_conjunct(&mut out);
        repair_object_control(&mut out);
        repair_subordinate_clause(&mut out);
        repair_active_subject(&mut out);
        repair_coordinated_subjects(&mut out);
        repair_time_before_adverb(&mut out);
        out
    }

    /// Grammatical constraints the greedy tagger, trained on web text, breaks in news:
    /// - an indefinite article cannot determine a plural noun, so in "a minerals deal" the
    ///   plural is a modifier and the next word heads the phrase (a noun, not a verb);
    /// - no article is followed by a bare or present-tense verb: "the raid" is a noun;
    /// - a capitalised word unseen in training, beside a proper noun, is one too;
    /// - a subject relative pronoun is followed by a finite verb: "who organised" is a
    ///   past-tense verb, not an adjective;
    /// - after "that" and a name, a bare-verb word before a particle or determiner is the
    ///   clause's verb: "demanded that Cuba hand over";
    /// - an "-ed" word between a subject and an object, with no finite verb before it in
    ///   its clause, is the past-tense verb: "the Treasury eased sanctions", "after
    ///   Washington recognised the opposition leader";
    /// - after a comma, an "-ing" word before "that" opens a participial clause: ",
    ///   warning that";
    /// - an "-ed" word after a noun whose clause has its auxiliary and verb later is a
    ///   participle: "schoolboys abducted from a school were freed".
    fn constrain(&self, words: &[&str], tags: &mut [usize]) {
        let find = |upos: &str, xpos: &str| {
            self.tagger
                .tags()
                .iter()
                .position(|(u, x)| u == upos && x == xpos)
        };
        let xpos =
            |tags: &[usize], i: usize| self.tagger.tags().get(tags[i]).map(|(_, x)| x.as_str());
        for i in 0..words.len().saturating_sub(2) {
            let w = words[i].to_ascii_lowercase();
            if (w == "a" || w == "an")
                && xpos(tags, i + 1) == Some("NNS")
                && matches!(xpos(tags, i + 2), Some("VBP" | "VB"))
            {
                if let Some(nn) = find("NOUN", "NN") {
                    tags[i + 2] = nn;
                }
            }
        }
        // An article is followed by a noun phrase, never by a bare or present-tense verb:
        // "called the raid an act of aggression", "the strikes would not go unanswered".
        for i in 0..words.len().saturating_sub(1) {
            let w = words[i].to_ascii_lowercase();
            if !matches!(w.as_str(), "the" | "a" | "an") {
                continue;
            }
            let noun = match xpos(tags, i + 1) {
                Some("VB" | "VBP") => find("NOUN", "NN"),
                Some("VBZ") => find("NOUN", "NNS"),
                _ => None,
            };
            if let Some(n) = noun {
                tags[i + 1] = n;
            }
        }
        // A subject noun phrase, then an "-ed" word the tagger took for an adjective or a
        // participle, then its object, with no finite verb before: the sentence's verb
        // ("The Treasury eased sanctions", "Police fired tear gas").
        let finite = |x: Option<&str>| matches!(x, Some("VBD" | "VBZ" | "VBP" | "MD"));
        for i in 1..words.len().saturating_sub(1) {
            let w = words[i].to_ascii_lowercase();
            let before_ok = matches!(
                xpos(tags, i - 1),
                Some("NN" | "NNS" | "NNP" | "NNPS" | "PRP")
            );
            let after_ok = matches!(
                xpos(tags, i + 1),
                Some("DT" | "NNS" | "NN" | "PRP$" | "CD" | "PRP")
            );
            if !(w.ends_with("ed")
                && matches!(xpos(tags, i), Some("JJ" | "VBN"))
                && before_ok
                && after_ok
                && !words[i].contains('-'))
            {
                continue;
            }
            // The clause starts at the sentence or after a subordinator ("... after
            // Washington recognised the opposition leader").
            // So does a clause joined after a comma ("..., and the Treasury eased").
            let start = (0..i)
                .rev()
                .find(|&j| {
                    let o = words[j].to_ascii_lowercase();
                    SUBORDINATORS.contains(&o.as_str())
                        || matches!(o.as_str(), "when" | "while" | ";")
                        || (matches!(o.as_str(), "and" | "but") && j > 0 && words[j - 1] == ",")
                })
                .map_or(0, |j| j + 1);
            if !(start..i).any(|j| finite(xpos(tags, j))) {
                if let Some(vbd) = find("VERB", "VBD") {
                    tags[i] = vbd;
                }
            }
        }
        // A capitalised word never seen in training, next to a proper noun, is part of the
        // name: "Anatoly Antonov", whose "-ly" the tagger read as an adverb's.
        if let Some(nnp) = find("PROPN", "NNP") {
            let name_like = |w: &str| {
                w.chars().next().is_some_and(char::is_uppercase)
                    && w.chars().skip(1).any(char::is_lowercase)
                    && w.chars().all(char::is_alphabetic)
            };
            for i in 0..words.len() {
                if tags[i] == nnp || !name_like(words[i]) || self.tagger.knows(words[i]) {
                    continue;
                }
                let beside = [i.checked_sub(1), Some(i + 1)]
                    .into_iter()
                    .flatten()
                    .any(|j| j < words.len() && tags[j] == nnp && name_like(words[j]));
                if beside {
                    tags[i] = nnp;
                }
            }
        }
        // "demanded that Cuba hand over the commanders": after "that" and a name, a word
        // followed by a verb particle and a determiner, or one the treebank also knows as
        // a bare verb followed by a determiner, is the clause's verb (a subjunctive), not
        // a noun of the name.
        if let (Some(nn), Some(vb)) = (find("NOUN", "NN"), find("VERB", "VB")) {
            let determiner = |tags: &[usize], k: usize| {
                k < tags.len() && matches!(xpos(tags, k), Some("DT" | "PRP$" | "CD"))
            };
            for i in 2..words.len().saturating_sub(2) {
                if tags[i] != nn {
                    continue;
                }
                let mut j = i;
                while j > 0 && xpos(tags, j - 1) == Some("NNP") {
                    j -= 1;
                }
                let after_that = j < i && j > 0 && words[j - 1].eq_ignore_ascii_case("that");
                let particle = matches!(
                    words[i + 1],
                    "over" | "up" | "down" | "out" | "back" | "off"
                ) && determiner(tags, i + 2);
                let bare_verb = self.tagger.may_be(words[i], vb) && determiner(tags, i + 1);
                if after_that && (particle || bare_verb) {
                    tags[i] = vb;
                }
            }
        }
        // "Forty schoolboys abducted from a school last week were freed": an "-ed" word
        // after a noun, when the clause's own auxiliary and verb come later with nothing
        // between to open another clause, is a participle modifying the noun, not the
        // sentence's verb.
        if let Some(vbn) = find("VERB", "VBN") {
            for i in 1..words.len().saturating_sub(2) {
                if !(xpos(tags, i) == Some("VBD")
                    && words[i].ends_with("ed")
                    && matches!(xpos(tags, i - 1), Some("NN" | "NNS")))
                {
                    continue;
                }
                let later = (i + 1..words.len() - 1).find(|&j| {
                    let w = words[j].to_ascii_lowercase();
                    matches!(
                        w.as_str(),
                        "was" | "were" | "is" | "are" | "has" | "have" | "had"
                    ) && matches!(xpos(tags, j + 1), Some("VBN" | "VBD"))
                });
                let Some(j) = later else { continue };
                let opened = (i + 1..j).any(|m| {
                    matches!(
                        words[m].to_ascii_lowercase().as_str(),
                        "," | "and" | "but" | "or" | "that" | "which" | "who" | ";" | ":"
                    ) || matches!(xpos(tags, m), Some("VBD" | "VBZ" | "VBP" | "MD"))
                });
                if !opened {
                    tags[i] = vbn;
                }
            }
        }
        // ", warning that millions would go hungry": after a comma, an "-ing" word before
        // "that" opens a participial clause; read as a noun it joined the object before
        // the comma.
        if let Some(vbg) = find("VERB", "VBG") {
            for i in 1..words.len().saturating_sub(1) {
                if words[i - 1] == ","
                    && words[i].ends_with("ing")
                    && matches!(xpos(tags, i), Some("NN" | "JJ"))
                    && words[i].len() > 5
                    && words[i + 1].eq_ignore_ascii_case("that")
                {
                    tags[i] = vbg;
                }
            }
        }
        for i in 0..words.len().saturating_sub(1) {
            if words[i].eq_ignore_ascii_case("who")
                && matches!(xpos(tags, i + 1), Some("JJ" | "VBN"))
                && words[i + 1].ends_with("ed")
            {
                if let Some(vbd) = find("VERB", "VBD") {
                    tags[i + 1] = vbd;
                }
            }
        }
    }

    /// Tags only (class indices of the tagger), for benchmarks.
    pub fn tag_indices(&self, words: &[&str]) -> Vec<usize> {
        self.tagger.tag(words)
    }

    /// Parses with given tag indices, for benchmarks.
    pub fn parse_indices(&self, words: &[&str], tags: &[usize]) -> Parse {
        self.parser.parse(words, tags)
    }
}

/// Words that open an adverbial clause as well as a prepositional phrase.
const SUBORDINATORS: &[&str] = &["after", "before", "since", "until", "because", "once"];

/// "cut ties after Ugandan police forced their way in": the greedy parser reads "after
/// police" as a phrase and the finite verb after it as a conjunct of the main verb. A
/// subordinator before a noun phrase that a finite verb follows at once opens a clause:
/// the noun is the verb's subject, the verb an adverbial clause of the main verb.
fn repair_subordinate_clause(words: &mut [(String, String, String, Option<usize>, String)]) {
    let n_words = words.len();
    for i in 0..n_words {
        if words[i].4 != "case" || !SUBORDINATORS.contains(&words[i].2.as_str()) {
            continue;
        }
        let Some(n) = words[i].3 else { continue };
        let Some(h) = words[n].3 else { continue };
        if !matches!(words[n].0.as_str(), "NOUN" | "PROPN" | "PRON") || n < i {
            continue;
        }
        // The noun phrase's last word: the furthest token whose head chain reaches `n`.
        let in_phrase = |t: usize| {
            let mut cur = Some(t);
            for _ in 0..n_words {
                match cur {
                    Some(c) if c == n => return true,
                    Some(c) => cur = words[c].3,
                    None => return false,
                }
            }
            false
        };
        let last = (n..n_words)
            .take_while(|&t| in_phrase(t))
            .last()
            .unwrap_or(n);
        let v = last + 1;
        let finite = v < n_words
            && words[v].0 == "VERB"
            && matches!(words[v].1.as_str(), "VBD" | "VBZ" | "VBP" | "VBN")
            && words[v].3 == Some(h)
            && matches!(words[v].4.as_str(), "conj" | "parataxis" | "dep");
        if !finite {
            continue;
        }
        words[n].3 = Some(v);
        words[n].4 = "nsubj".to_string();
        words[v].3 = Some(h);
        words[v].4 = "advcl".to_string();
        words[i].3 = Some(v);
        words[i].4 = "mark".to_string();
        words[i].0 = "SCONJ".to_string();
    }
}

/// Verbs whose object is the subject of their infinitive ("ordered the ambassador to
/// leave", "urged Iran to return").
const OBJECT_CONTROL: &[&str] = &[
    "order",
    "urge",
    "ask",
    "tell",
    "force",
    "allow",
    "invite",
    "persuade",
    "encourage",
    "press",
    "compel",
    "instruct",
    "permit",
    "require",
    "pressure",
    "convince",
    "advise",
    "authorise",
    "authorize",
    "forbid",
];

/// "North Korea test-fired a missile": the parser takes the subject of a past-tense verb
/// for a passive one. A passive subject needs a passive auxiliary, or at least a
/// participle with no object of its own ("Kyiv shelled overnight" in a headline); a
/// past-tense verb without the auxiliary, or any verb with an object, is active.
fn repair_active_subject(words: &mut [(String, String, String, Option<usize>, String)]) {
    for subj in 0..words.len() {
        if words[subj].4 != "nsubj:pass" {
            continue;
        }
        let Some(verb) = words[subj].3 else { continue };
        let of_verb = |rel: &[&str]| {
            words
                .iter()
                .any(|w| w.3 == Some(verb) && rel.contains(&w.4.as_str()))
        };
        let auxiliary = of_verb(&["aux:pass", "cop"]);
        let object = of_verb(&["obj"]);
        if !auxiliary && (object || words[verb].1 == "VBD") {
            words[subj].4 = "nsubj".to_string();
        }
    }
}

/// "India and Pakistan traded accusations": the parser gives the verb two subjects with
/// the conjunction between them hung on the verb. A verb has one subject; the later
/// names before it, joined by "and" or "or" to a first name, are its conjuncts, and the
/// conjunction and commas between them belong to the conjunct after them. Only names:
/// with a common noun first ("the lions and Gondor") the split is as often an apposition
/// or a phrase the parser cut, and the subject is left as it was parsed.
fn repair_coordinated_subjects(words: &mut [(String, String, String, Option<usize>, String)]) {
    for verb in 0..words.len() {
        let subjects: Vec<usize> = (0..verb)
            .filter(|&i| words[i].3 == Some(verb) && words[i].4 == "nsubj")
            .collect();
        let Some((&first, rest)) = subjects.split_first() else {
            continue;
        };
        if words[first].0 != "PROPN" {
            continue;
        }
        let mut prev = first;
        for &next in rest {
            let between = prev + 1..next;
            let joined = between.clone().any(|j| {
                words[j].4 == "cc"
                    && matches!(words[j].2.as_str(), "and" | "or")
                    && matches!(words[j].3, Some(h) if h == verb || h == next)
            });
            let clause_between = between
                .clone()
                .any(|j| words[j].0 == "VERB" || words[j].0 == "AUX" || words[j].4 == "mark");
            if !joined || clause_between || words[next].0 != "PROPN" {
                break;
            }
            for j in between {
                if words[j].3 == Some(verb) && matches!(words[j].4.as_str(), "cc" | "punct") {
                    words[j].3 = Some(next);
                }
            }
            words[next].3 = Some(first);
            words[next].4 = "conj".to_string();
            prev = next;
        }
    }
}

/// "staged a joint air drill hours after the launch": the greedy parser makes the span of
/// time the head of the noun phrase before it. A plural span word followed by "after",
/// "before", "later", "earlier" or "ago" measures when the clause happened: the noun before
/// it heads its phrase again, with the phrase's determiners and modifiers, and the span
/// hangs on the verb as a bare temporal oblique.
fn repair_time_before_adverb(words: &mut [(String, String, String, Option<usize>, String)]) {
    const SPANS: &[&str] = &["minute", "hour", "day", "week", "month", "year", "moment"];
    for t in 1..words.len().saturating_sub(1) {
        let plural = words[t].1 == "NNS" && SPANS.contains(&words[t].2.as_str());
        let next = &words[t + 1].2;
        let adverbial = matches!(
            next.as_str(),
            "after" | "before" | "later" | "earlier" | "ago"
        );
        let noun = t - 1;
        let headed = words[noun].0 == "NOUN" && words[noun].3 == Some(t);
        let Some(verb) = words[t].3 else { continue };
        if !(plural && adverbial && headed && words[verb].0 == "VERB") {
            continue;
        }
        // A number of the span's own ("two hours after") keeps it a phrase.
        let counted =
            (0..noun).any(|j| words[j].3 == Some(t) && matches!(words[j].1.as_str(), "CD"));
        if counted {
            continue;
        }
        for w in words[..noun].iter_mut() {
            if w.3 == Some(t) {
                w.3 = Some(noun);
            }
        }
        words[noun].3 = Some(verb);
        words[noun].4 = std::mem::take(&mut words[t].4);
        words[t].3 = Some(verb);
        words[t].4 = "obl:unmarked".to_string();
        for w in words.iter_mut() {
            if w.3 == Some(t) && w.4 == "case" {
                w.3 = Some(verb);
            }
        }
    }
}

/// "ordered the ambassador to leave": the parser hangs the infinitive on the object as a
/// clausal modifier; after an object-control verb it is the verb's open complement.
fn repair_object_control(words: &mut [(String, String, String, Option<usize>, String)]) {
    for inf in 0..words.len() {
        let Some(obj) = words[inf].3 else { continue };
        let Some(verb) = words[obj].3 else { continue };
        let marked = inf > 0 && words[inf - 1].2 == "to" && words[inf - 1].0 == "PART";
        let misplaced = words[inf].4 == "acl"
            && words[inf].0 == "VERB"
            && marked
            && words[obj].4 == "obj"
            && words[verb].0 == "VERB"
            && OBJECT_CONTROL.contains(&words[verb].2.as_str());
        if misplaced {
            words[inf].3 = Some(verb);
            words[inf].4 = "xcomp".to_string();
        }
    }
}

/// "Kenya and Somali forces signed": the greedy parser joins the nationality adjective to
/// the first conjunct and hangs that conjunct on the second's noun. The noun phrase "Somali
/// forces" is the conjunct: the first conjunct takes the noun's place in the clause.
fn repair_adjective_conjunct(words: &mut [(String, String, String, Option<usize>, String)]) {
    for a in 1..words.len().saturating_sub(1) {
        let n = a + 1;
        let c = a - 1;
        let Some(h) = words[a].3 else { continue };
        let joined = words[a].0 == "ADJ"
            && words[a].4 == "conj"
            && words[c].0 == "CCONJ"
            && matches!(words[n].0.as_str(), "NOUN" | "PROPN")
            && h < c
            && matches!(words[h].0.as_str(), "NOUN" | "PROPN")
            && words[h].4 != "amod"
            && words[h].3 == Some(n);
        if !joined {
            continue;
        }
        let (n_head, n_rel) = (words[n].3, words[n].4.clone());
        words[h].3 = n_head;
        words[h].4 = n_rel;
        words[n].3 = Some(h);
        words[n].4 = "conj".to_string();
        words[a].3 = Some(n);
        words[a].4 = "amod".to_string();
        words[c].3 = Some(n);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn pipeline_is_shareable_across_threads() {
        assert_send_sync::<Pipeline>();
    }
}
