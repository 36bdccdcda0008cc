//! A corpus generator for scale runs: deterministic, seedable, news-like text built from
//! geokg's own knowledge (gazetteer actors and titles, event-lexicon verbs), so benchmarks,
//! crash tests and fuzz seeds need no external data.
//!
//! Every document depends only on (seed, index): documents can be generated in any order or
//! in parallel and come out byte for byte the same. Sentences vary their syntax the way news
//! does (active and passive voice, reported speech, relative clauses, negation, the future
//! with "will", weekday and month dates, prepositional phrases), so the extractor meets the
//! constructions it meets in real text.
//!
//! Verbs are kept only when the extractor codes the generator's plain sentence for them
//! ("France criticized Germany.") with the lexicon's CAMEO code: a wrong inflection or an
//! unparsed construction costs variety, never a corpus full of sentences without events.

use crate::error::DataError;
use crate::extract::Extractor;
use crate::input::Document;
use crate::knowledge::RoleKind;
use crate::model::NodeKind;
use chrono::{Datelike, Days, NaiveDate};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Verb forms the spelling rules get wrong (see data/gen/README.md).
const BUNDLED_VERBS: &str = include_str!("../data/gen/verbs.tsv");

/// Short titles tried before a person's name; one is used only when the gazetteer reads it
/// as the office the person holds on the document's date.
const TITLES: [&str; 5] = [
    "President",
    "Prime Minister",
    "Foreign Minister",
    "Defence Minister",
    "Secretary-General",
];

const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Phrases that say where or why, appended to some sentences.
const SETTINGS: [&str; 8] = [
    "after months of negotiation",
    "during talks in Geneva",
    "at a summit in Brussels",
    "in a statement on its website",
    "despite strong objections",
    "for the first time in a decade",
    "at a news conference",
    "amid rising tension in the region",
];

/// How many documents and sentences to generate, and from which seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CorpusOptions {
    pub documents: usize,
    pub sentences_per_doc: usize,
    pub seed: u64,
}

impl Default for CorpusOptions {
    fn default() -> Self {
        CorpusOptions {
            documents: 100,
            sentences_per_doc: 10,
            seed: 1,
        }
    }
}

/// One generated article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedDocument {
    pub id: String,
    pub date: NaiveDate,
    /// Upper-case dateline place ("FRANCE").
    pub place: String,
    /// The article body, one paragraph per three sentences.
    pub body: String,
}

impl GeneratedDocument {
    /// The text of a `.txt` file: a dateline, then the body.
    pub fn to_txt(&self) -> String {
        format!("date {} {} — {}\n", self.date, self.place, self.body)
    }

    /// One JSON Lines record (`id`, `date`, `text`), without the trailing newline.
    pub fn to_jsonl(&self) -> String {
        serde_json::json!({
            "id": self.id,
            "date": self.date.to_string(),
            "text": self.to_txt(),
        })
        .to_string()
    }

    /// The document as the reader would produce it from the `.txt` file.
    pub fn to_document(&self) -> Document {
        let text = self.to_txt();
        let dateline = crate::input::Dateline::parse(&text);
        Document {
            id: self.id.clone(),
            body_start: dateline.body_start,
            date: dateline.date,
            place: dateline.place,
            title: None,
            url: None,
            source: None,
            text,
            warnings: Vec::new(),
            origin: crate::error::Location {
                file: PathBuf::from(format!("{}.txt", self.id)),
                line: None,
            },
        }
    }
}

/// An actor as the generator writes it.
#[derive(Debug, Clone)]
struct Mention {
    /// The name, with "the" where English wants it ("the United States").
    name: String,
    person: bool,
    /// Offices held, for titles: (from, to, role kind).
    roles: Vec<(Option<NaiveDate>, Option<NaiveDate>, RoleKind)>,
    /// Upper-case place for datelines (countries only).
    place: Option<String>,
}

/// A lexicon verb the generator can use.
#[derive(Debug, Clone)]
struct Verb {
    base: String,
    third: String,
    past: String,
    participle: String,
    /// Preposition before the target ("with" for `obl:with`); `None` for a direct object.
    preposition: Option<String>,
}

/// Writes news-like documents; see the module docs.
#[derive(Debug, Clone)]
pub struct Generator {
    actors: Vec<Mention>,
    people: Vec<usize>,
    places: Vec<String>,
    verbs: Vec<Verb>,
    /// Short title -> the role kind the gazetteer reads it as.
    titles: Vec<(String, RoleKind)>,
}

/// Why a generator could not be built.
#[derive(Debug, thiserror::Error)]
pub enum GenError {
    #[error(transparent)]
    Data(#[from] DataError),
    #[error("the knowledge base gives the generator nothing to write with: {0}")]
    Empty(&'static str),
    #[error("cannot write {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl Generator {
    /// A generator over the extractor's knowledge, with the bundled verb forms.
    pub fn new(extractor: &Extractor) -> Result<Self, GenError> {
        Self::with_verb_forms(extractor, BUNDLED_VERBS, Path::new("data/gen/verbs.tsv"))
    }

    /// A generator with verb forms read from `text` (the format of data/gen/verbs.tsv).
    pub fn with_verb_forms(
        extractor: &Extractor,
        text: &str,
        origin: &Path,
    ) -> Result<Self, GenError> {
        let forms = parse_verb_forms(text, origin)?;
        let k = &extractor.knowledge;
        let mut actors = Vec::new();
        let mut people = Vec::new();
        let mut places = Vec::new();
        // geokg's own actors only: the corpus stays the same whether or not the converted
        // Phoenix files are loaded.
        for (id, actor) in k.gazetteer.actors().iter().enumerate() {
            if k.gazetteer.from_phoenix(id) {
                continue;
            }
            let name = actor.label.trim();
            if name.is_empty()
                || !name
                    .chars()
                    .all(|c| c.is_alphanumeric() || " .-'".contains(c))
            {
                continue;
            }
            let (person, place) = match actor.kind {
                NodeKind::Person => (true, None),
                NodeKind::Country => (false, Some(name.to_uppercase())),
                NodeKind::Organisation => (false, None),
                _ => continue,
            };
            if person {
                people.push(actors.len());
            }
            if let Some(p) = &place {
                places.push(p.clone());
            }
            actors.push(Mention {
                name: with_article(name, actor.kind),
                person,
                roles: actor.roles.iter().map(|r| (r.from, r.to, r.kind)).collect(),
                place,
            });
        }
        if actors.len() < 2 || places.is_empty() {
            return Err(GenError::Empty("fewer than two usable actors"));
        }
        let titles = TITLES
            .iter()
            .filter_map(|t| {
                let words: Vec<&str> = t.split(' ').collect();
                let found = k.gazetteer.title_at(&words, 0)?;
                (found.len == words.len()).then(|| ((*t).to_string(), found.kind))
            })
            .collect();
        let verbs = checked_verbs(extractor, &forms, &actors);
        if verbs.is_empty() {
            return Err(GenError::Empty(
                "no lexicon verb survives the extraction check",
            ));
        }
        Ok(Generator {
            actors,
            people,
            places,
            verbs,
            titles,
        })
    }

    /// How many lexicon verbs passed the extraction check.
    pub fn verb_count(&self) -> usize {
        self.verbs.len()
    }

    /// Document `index` of the corpus seeded with `seed`.
    pub fn document(&self, seed: u64, index: usize, sentences: usize) -> GeneratedDocument {
        let mut rng = Rng::new(seed ^ (index as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        // Dates in 2023-2025, when the gazetteer's roles are current.
        let start = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap_or_default();
        let date = start
            .checked_add_days(Days::new(rng.below(1000) as u64))
            .unwrap_or(start);
        let place = self.places[rng.below(self.places.len())].clone();
        let mut body = String::new();
        for s in 0..sentences {
            if s > 0 {
                body.push_str(if s % 3 == 0 { "\n\n" } else { " " });
            }
            body.push_str(&self.sentence(&mut rng, date));
        }
        GeneratedDocument {
            id: format!("gen-{seed}-{index:07}"),
            date,
            place,
            body,
        }
    }

    /// All documents of a corpus, in order.
    pub fn documents(
        &self,
        options: CorpusOptions,
    ) -> impl Iterator<Item = GeneratedDocument> + '_ {
        (0..options.documents)
            .map(move |i| self.document(options.seed, i, options.sentences_per_doc))
    }

    /// Writes the corpus as one `.txt` file per document into `dir` (created if needed);
    /// returns the number of files written.
    pub fn write_folder(&self, options: CorpusOptions, dir: &Path) -> Result<usize, GenError> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| GenError::Io { path, source }
        };
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        let mut n = 0;
        for doc in self.documents(options) {
            let path = dir.join(format!("{}.txt", doc.id));
            std::fs::write(&path, doc.to_txt()).map_err(io(&path))?;
            n += 1;
        }
        Ok(n)
    }

    /// Writes the corpus as JSON Lines.
    pub fn write_jsonl<W: Write>(&self, options: CorpusOptions, mut out: W) -> std::io::Result<()> {
        for doc in self.documents(options) {
            writeln!(out, "{}", doc.to_jsonl())?;
        }
        out.flush()
    }

    /// An actor mention on `date`: a person gets a title when one fits their office.
    fn actor(&self, rng: &mut Rng, date: NaiveDate, avoid: Option<usize>) -> (usize, String) {
        // People are a small share of the gazetteer but most of the news: pick one a third
        // of the time.
        let mut i = if !self.people.is_empty() && rng.below(3) == 0 {
            self.people[rng.below(self.people.len())]
        } else {
            rng.below(self.actors.len())
        };
        if Some(i) == avoid {
            i = (i + 1) % self.actors.len();
        }
        let a = &self.actors[i];
        let mut name = a.name.clone();
        if a.person {
            let held: Vec<RoleKind> = a
                .roles
                .iter()
                .filter(|(from, to, _)| {
                    from.is_none_or(|f| f <= date) && to.is_none_or(|t| date < t)
                })
                .map(|(_, _, k)| *k)
                .collect();
            let fitting: Vec<&String> = self
                .titles
                .iter()
                .filter(|(_, kind)| held.contains(kind))
                .map(|(t, _)| t)
                .collect();
            if !fitting.is_empty() && rng.below(2) == 0 {
                name = format!("{} {}", fitting[rng.below(fitting.len())], name);
            }
        }
        (i, name)
    }

    fn sentence(&self, rng: &mut Rng, date: NaiveDate) -> String {
        let verb = &self.verbs[rng.below(self.verbs.len())];
        let (si, subject) = self.actor(rng, date, None);
        let (_, object) = self.actor(rng, date, Some(si));
        let target = match &verb.preposition {
            Some(p) => format!("{p} {object}"),
            None => object.clone(),
        };
        let when = self.when(rng, date);
        let setting = if rng.below(3) == 0 {
            format!(" {}", SETTINGS[rng.below(SETTINGS.len())])
        } else {
            String::new()
        };
        let text = match rng.below(9) {
            // Passive voice needs a direct object.
            0 if verb.preposition.is_none() => {
                format!(
                    "{object} was {} by {subject}{when}{setting}",
                    verb.participle
                )
            }
            1 => {
                let (_, speaker) = self.actor(rng, date, Some(si));
                format!(
                    "{speaker} said{when} that {subject} had {} {target}",
                    verb.participle
                )
            }
            2 => {
                let (_, speaker) = self.actor(rng, date, Some(si));
                format!("{subject} {} {target}{setting}, {speaker} said", verb.past)
            }
            3 => {
                let pronoun = if self.actors[si].person {
                    "who"
                } else {
                    "which"
                };
                let (_, other) = self.actor(rng, date, Some(si));
                format!(
                    "{subject}, {pronoun} has long been close to {other}, {} {target}{when}",
                    verb.past
                )
            }
            4 => format!("{subject} did not {} {target}{when}", verb.base),
            5 => format!("{subject} will {} {target} next week{setting}", verb.base),
            6 => format!("{subject} {} {target}{when}{setting}", verb.third),
            _ => format!("{subject} {} {target}{when}{setting}", verb.past),
        };
        let mut chars = text.chars();
        match chars.next() {
            Some(c) => format!("{}{}.", c.to_uppercase(), chars.as_str()),
            None => text,
        }
    }

    /// A date phrase, or nothing: "on Tuesday", "on March 3", "last week".
    fn when(&self, rng: &mut Rng, date: NaiveDate) -> String {
        match rng.below(5) {
            0 => {
                let back = rng.below(6) as u64 + 1;
                let day = date.checked_sub_days(Days::new(back)).unwrap_or(date);
                format!(
                    " on {}",
                    WEEKDAYS[day.weekday().num_days_from_monday() as usize]
                )
            }
            1 => {
                let back = rng.below(40) as u64 + 1;
                let day = date.checked_sub_days(Days::new(back)).unwrap_or(date);
                format!(" on {} {}", MONTHS[day.month0() as usize], day.day())
            }
            2 => " last week".to_string(),
            _ => String::new(),
        }
    }
}

/// Reads verb forms: base -> (past, participle).
fn parse_verb_forms(
    text: &str,
    origin: &Path,
) -> Result<HashMap<String, (String, String)>, DataError> {
    let mut forms = HashMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').filter(|c| !c.is_empty()).collect();
        let [base, past, participle] = cols.as_slice() else {
            return Err(DataError::malformed(
                origin,
                Some(n + 1),
                format!(
                    "expected 3 TAB-separated columns (base, past, participle), found {}",
                    cols.len()
                ),
            ));
        };
        forms.insert(base.to_string(), (past.to_string(), participle.to_string()));
    }
    Ok(forms)
}

/// "the" before names English gives an article: multi-word organisations, and countries
/// named as unions, kingdoms, republics, island groups, and the few plural names.
fn with_article(name: &str, kind: NodeKind) -> String {
    let words: Vec<&str> = name.split(' ').collect();
    let acronym = name.chars().all(|c| c.is_ascii_uppercase());
    let needs = match kind {
        NodeKind::Organisation => words.len() > 1 && !acronym,
        NodeKind::Country => {
            words[0] == "United"
                || words
                    .iter()
                    .any(|w| ["Republic", "Kingdom", "Islands", "Emirates"].contains(w))
                || [
                    "Netherlands",
                    "Philippines",
                    "Bahamas",
                    "Maldives",
                    "Gambia",
                ]
                .contains(&name)
        }
        _ => false,
    };
    if needs {
        format!("the {name}")
    } else {
        name.to_string()
    }
}

/// Regular past: "criticized", "denied", "praised".
fn past_of(base: &str) -> String {
    if base.ends_with('e') {
        format!("{base}d")
    } else if let Some(stem) = consonant_y(base) {
        format!("{stem}ied")
    } else {
        format!("{base}ed")
    }
}

/// Third person singular: "criticizes", "denies", "pushes".
fn third_of(base: &str) -> String {
    if let Some(stem) = consonant_y(base) {
        format!("{stem}ies")
    } else if ["s", "sh", "ch", "x", "z", "o"]
        .iter()
        .any(|e| base.ends_with(e))
    {
        format!("{base}es")
    } else {
        format!("{base}s")
    }
}

/// The stem of a word ending in consonant + "y" ("den" for "deny").
fn consonant_y(base: &str) -> Option<&str> {
    let stem = base.strip_suffix('y')?;
    let last = stem.chars().last()?;
    (!"aeiou".contains(last)).then_some(stem)
}

/// Lexicon verbs (single lemma, direct object or one prepositional target) whose plain
/// sentence the extractor codes as the lexicon says.
fn checked_verbs(
    extractor: &Extractor,
    forms: &HashMap<String, (String, String)>,
    actors: &[Mention],
) -> Vec<Verb> {
    let k = &extractor.knowledge;
    // Two countries make the check sentence; countries are the most reliable names.
    let names: Vec<&str> = actors
        .iter()
        .filter(|a| a.place.is_some() && !a.name.starts_with("the "))
        .take(2)
        .map(|a| a.name.as_str())
        .collect();
    let [a, b] = names.as_slice() else {
        return Vec::new();
    };
    let mut seen = std::collections::HashSet::new();
    let mut verbs = Vec::new();
    for entry in k.lexicon.iter() {
        if entry.pos != crate::knowledge::TriggerPos::Verb
            || entry.lemmas.len() != 1
            || !entry.head().chars().all(|c| c.is_ascii_lowercase())
        {
            continue;
        }
        let preposition = match entry.target_relations().first() {
            Some(&"obj") => None,
            Some(rel) => match rel.strip_prefix("obl:") {
                Some(p) if p.chars().all(|c| c.is_ascii_lowercase()) => Some(p.to_string()),
                _ => continue,
            },
            None => continue,
        };
        let base = entry.head().to_string();
        if !seen.insert((base.clone(), preposition.clone())) {
            continue;
        }
        let (past, participle) = forms
            .get(&base)
            .cloned()
            .unwrap_or_else(|| (past_of(&base), past_of(&base)));
        let target = match &preposition {
            Some(p) => format!("{p} {b}"),
            None => b.to_string(),
        };
        let text = format!("{a} {past} {target} on Monday.");
        let doc = Document {
            id: "check".into(),
            text: text.clone(),
            body_start: 0,
            date: NaiveDate::from_ymd_opt(2024, 6, 1),
            place: None,
            title: None,
            url: None,
            source: None,
            warnings: Vec::new(),
            origin: crate::error::Location {
                file: PathBuf::from("check"),
                line: None,
            },
        };
        let graph = extractor.extract(&doc);
        if graph
            .statements
            .iter()
            .any(|s| s.cameo.as_deref() == Some(entry.cameo.as_str()))
        {
            verbs.push(Verb {
                third: third_of(&base),
                base,
                past,
                participle,
                preposition,
            });
        }
    }
    verbs
}

/// SplitMix64: tiny, fast, and the same on every platform, so a seed names a corpus.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in 0..n (0 when n is 0).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    fn extractor() -> &'static Extractor {
        static EX: OnceLock<Extractor> = OnceLock::new();
        EX.get_or_init(|| Extractor::bundled().expect("bundled extractor"))
    }

    fn generator() -> &'static Generator {
        static GEN: OnceLock<Generator> = OnceLock::new();
        GEN.get_or_init(|| Generator::new(extractor()).expect("generator"))
    }

    #[test]
    fn same_seed_same_bytes_other_seed_other_text() {
        let g = generator();
        let opts = CorpusOptions {
            documents: 20,
            sentences_per_doc: 8,
            seed: 42,
        };
        let mut one = Vec::new();
        let mut two = Vec::new();
        g.write_jsonl(opts, &mut one).expect("write");
        // A fresh generator, so no state carries over between runs.
        Generator::new(extractor())
            .expect("generator")
            .write_jsonl(opts, &mut two)
            .expect("write");
        assert_eq!(one, two);
        let mut other = Vec::new();
        g.write_jsonl(CorpusOptions { seed: 43, ..opts }, &mut other)
            .expect("write");
        assert_ne!(one, other);
        // A document does not depend on the ones before it.
        assert_eq!(
            g.document(42, 17, 8),
            g.documents(opts).nth(17).expect("doc")
        );
    }

    #[test]
    fn regular_and_irregular_forms() {
        assert_eq!(past_of("criticize"), "criticized");
        assert_eq!(past_of("deny"), "denied");
        assert_eq!(past_of("slay"), "slayed");
        assert_eq!(third_of("deny"), "denies");
        assert_eq!(third_of("push"), "pushes");
        assert_eq!(third_of("meet"), "meets");
        let forms = parse_verb_forms(BUNDLED_VERBS, Path::new("verbs.tsv")).expect("bundled forms");
        assert_eq!(forms.get("meet").map(|f| f.0.as_str()), Some("met"));
        let bad = parse_verb_forms("meet\tmet\n", Path::new("v.tsv"));
        assert!(bad.is_err_and(|e| e.to_string().contains("v.tsv:1")));
    }

    #[test]
    fn text_reads_back_through_the_dateline_parser() {
        let doc = generator().document(7, 3, 4);
        let read = doc.to_document();
        assert_eq!(read.date, Some(doc.date));
        assert_eq!(read.place.as_deref(), Some(doc.place.as_str()));
        assert_eq!(&read.text[read.body_start..], format!("{}\n", doc.body));
    }

    #[test]
    fn most_generated_sentences_hold_an_event() {
        let g = generator();
        assert!(g.verb_count() >= 50, "only {} verbs", g.verb_count());
        let opts = CorpusOptions {
            documents: 60,
            sentences_per_doc: 10,
            seed: 5,
        };
        let (mut sentences, mut with_event) = (0, 0);
        for doc in g.documents(opts) {
            let graph = extractor().extract(&doc.to_document());
            let mut hit = std::collections::HashSet::new();
            for s in &graph.statements {
                if s.cameo.is_some() {
                    hit.insert(s.sentence);
                }
            }
            sentences += opts.sentences_per_doc;
            with_event += hit.len();
        }
        let rate = with_event as f64 / sentences as f64;
        eprintln!("{with_event} of {sentences} generated sentences hold an event ({rate:.3})");
        assert!(rate >= 0.75, "event rate {rate:.3}");
    }
}
