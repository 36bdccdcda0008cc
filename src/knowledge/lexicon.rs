//! The event lexicon: which verbs, verb phrases and event nouns trigger which CAMEO event,
//! and where in a Universal Dependencies parse the target and source actors are found.
//!
//! Read from `data/lexicon/events.tsv`; the format and the exact matching rule are in
//! `data/lexicon/README.md`. This module only loads and checks the data: matching against a
//! parse is the extractor's job, so the lexicon stays independent of the NLP layer.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::error::DataError;
use crate::knowledge::cameo::CameoTable;

const BUNDLED_TSV: &str = include_str!("../../data/lexicon/events.tsv");
/// Where the bundled lexicon lives in the source tree; named in error messages.
pub const BUNDLED_PATH: &str = "data/lexicon/events.tsv";

/// Where a verb's source actor is found when the entry says `-`.
pub const DEFAULT_VERB_SOURCE: &[&str] = &["nsubj"];
/// Where a verb's target actor is found when the entry says `-`.
pub const DEFAULT_VERB_TARGET: &[&str] = &["obj"];
/// Where an event noun's source actor is found when the entry says `-`.
pub const DEFAULT_NOUN_SOURCE: &[&str] = &["nmod:poss", "nmod:by", "amod", "compound"];
/// Where an event noun's target actor is found when the entry says `-`.
pub const DEFAULT_NOUN_TARGET: &[&str] = &["nmod:of"];

/// The part of speech of a trigger's head word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TriggerPos {
    Verb,
    Noun,
}

impl TriggerPos {
    /// The name used in the data file ("VERB", "NOUN"), which is also the UD UPOS tag.
    pub fn as_str(self) -> &'static str {
        match self {
            TriggerPos::Verb => "VERB",
            TriggerPos::Noun => "NOUN",
        }
    }
}

impl std::str::FromStr for TriggerPos {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "VERB" => Ok(TriggerPos::Verb),
            "NOUN" => Ok(TriggerPos::Noun),
            other => Err(format!("part of speech {other:?} is not VERB or NOUN")),
        }
    }
}

/// One trigger: "impose sanction" (VERB) -> 163, target `obl:on` or `nmod:on`.
#[derive(Debug, Clone, PartialEq)]
pub struct LexiconEntry {
    /// Lower-case lemmas; the first is the head, the others must attach to it.
    pub lemmas: Vec<String>,
    pub pos: TriggerPos,
    /// CAMEO event code ("163").
    pub cameo: String,
    /// UD relations holding the target actor, in priority order; empty means the default.
    pub target: Vec<String>,
    /// UD relations holding the source actor, in priority order; empty means the default.
    pub source: Vec<String>,
    /// 1-based line in the lexicon file, so a coding decision can be traced to its rule.
    pub line: usize,
}

impl LexiconEntry {
    /// The head lemma ("impose" in "impose sanction").
    pub fn head(&self) -> &str {
        &self.lemmas[0]
    }

    /// The lemmas that must attach to the head ("sanction" in "impose sanction").
    pub fn dependents(&self) -> &[String] {
        &self.lemmas[1..]
    }

    /// Target relations with the default filled in.
    pub fn target_relations(&self) -> Vec<&str> {
        if self.target.is_empty() {
            match self.pos {
                TriggerPos::Verb => DEFAULT_VERB_TARGET.to_vec(),
                TriggerPos::Noun => DEFAULT_NOUN_TARGET.to_vec(),
            }
        } else {
            self.target.iter().map(String::as_str).collect()
        }
    }

    /// Source relations with the default filled in.
    pub fn source_relations(&self) -> Vec<&str> {
        if self.source.is_empty() {
            match self.pos {
                TriggerPos::Verb => DEFAULT_VERB_SOURCE.to_vec(),
                TriggerPos::Noun => DEFAULT_NOUN_SOURCE.to_vec(),
            }
        } else {
            self.source.iter().map(String::as_str).collect()
        }
    }

    /// The trigger as written in the file ("brush aside").
    pub fn trigger(&self) -> String {
        self.lemmas.join(" ")
    }
}

/// All triggers, indexed by head lemma for O(1) lookup per token.
#[derive(Debug, Clone)]
pub struct EventLexicon {
    origin: PathBuf,
    verbs: HashMap<String, Vec<LexiconEntry>>,
    nouns: HashMap<String, Vec<LexiconEntry>>,
    len: usize,
}

impl EventLexicon {
    /// The lexicon shipped with geokg.
    pub fn bundled() -> Result<Self, DataError> {
        Self::parse(BUNDLED_TSV, Path::new(BUNDLED_PATH))
    }

    /// A user's lexicon in the bundled format, so triggers can change without a recompile.
    pub fn load(path: &Path) -> Result<Self, DataError> {
        let text = std::fs::read_to_string(path).map_err(|e| DataError::io(path, e))?;
        Self::parse(&text, path)
    }

    /// Reads a lexicon from text; `origin` names the file in errors.
    pub fn parse(text: &str, origin: &Path) -> Result<Self, DataError> {
        let mut verbs: HashMap<String, Vec<LexiconEntry>> = HashMap::new();
        let mut nouns: HashMap<String, Vec<LexiconEntry>> = HashMap::new();
        let mut len = 0;
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let content = raw.split('#').next().unwrap_or("").trim_end_matches('\r');
            if content.trim().is_empty() {
                continue;
            }
            let entry = parse_line(content, line)
                .map_err(|msg| DataError::malformed(origin, Some(line), msg))?;
            let map = match entry.pos {
                TriggerPos::Verb => &mut verbs,
                TriggerPos::Noun => &mut nouns,
            };
            let group = map.entry(entry.head().to_string()).or_default();
            if let Some(first) = group
                .iter()
                .find(|e| e.lemmas == entry.lemmas && e.cameo == entry.cameo)
            {
                return Err(DataError::malformed(
                    origin,
                    Some(line),
                    format!(
                        "trigger {:?} {} -> {} repeats line {}",
                        entry.trigger(),
                        entry.pos.as_str(),
                        entry.cameo,
                        first.line
                    ),
                ));
            }
            group.push(entry);
            len += 1;
        }
        if len == 0 {
            return Err(DataError::malformed(
                origin,
                None,
                "no lexicon entries found",
            ));
        }
        // Longest trigger first so "brush aside" is tried before "brush"; file order breaks ties.
        for group in verbs.values_mut().chain(nouns.values_mut()) {
            group.sort_by(|a, b| {
                b.lemmas
                    .len()
                    .cmp(&a.lemmas.len())
                    .then(a.line.cmp(&b.line))
            });
        }
        Ok(EventLexicon {
            origin: origin.to_path_buf(),
            verbs,
            nouns,
            len,
        })
    }

    /// All entries whose head lemma is `lemma` and POS matches, longest trigger first.
    pub fn entries_for(&self, head_lemma: &str, pos: TriggerPos) -> &[LexiconEntry] {
        let map = match pos {
            TriggerPos::Verb => &self.verbs,
            TriggerPos::Noun => &self.nouns,
        };
        let found = match map.get(head_lemma) {
            Some(group) => Some(group),
            None if head_lemma.chars().any(char::is_uppercase) => {
                map.get(&head_lemma.to_lowercase())
            }
            None => None,
        };
        found.map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Every entry, in file order.
    pub fn iter(&self) -> impl Iterator<Item = &LexiconEntry> {
        let mut all: Vec<&LexiconEntry> = self
            .verbs
            .values()
            .chain(self.nouns.values())
            .flatten()
            .collect();
        all.sort_by_key(|e| e.line);
        all.into_iter()
    }

    /// The file the lexicon came from.
    pub fn origin(&self) -> &Path {
        &self.origin
    }

    /// Checks that every entry's CAMEO code exists in `cameo`; the error names file and line.
    pub fn validate(&self, cameo: &CameoTable) -> Result<(), DataError> {
        match self.iter().find(|e| cameo.get(&e.cameo).is_none()) {
            Some(e) => Err(DataError::malformed(
                &self.origin,
                Some(e.line),
                format!(
                    "trigger {:?} has CAMEO code {} which is not in the CAMEO table",
                    e.trigger(),
                    e.cameo
                ),
            )),
            None => Ok(()),
        }
    }
}

fn parse_line(content: &str, line: usize) -> Result<LexiconEntry, String> {
    let fields: Vec<&str> = content
        .split('\t')
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .collect();
    if fields.len() != 5 {
        return Err(format!(
            "expected 5 tab-separated fields (trigger, pos, cameo, target, source), found {}",
            fields.len()
        ));
    }
    let lemmas: Vec<String> = fields[0]
        .split_whitespace()
        .map(str::to_lowercase)
        .collect();
    if lemmas.is_empty() {
        return Err("empty trigger".to_string());
    }
    if let Some(bad) = lemmas.iter().find(|l| {
        !l.chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '\'')
    }) {
        return Err(format!(
            "lemma {bad:?} has characters other than letters, digits, '-' and '''"
        ));
    }
    let pos: TriggerPos = fields[1].parse()?;
    let cameo = fields[2];
    if !(2..=4).contains(&cameo.len()) || !cameo.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("CAMEO code {cameo:?} is not 2 to 4 digits"));
    }
    Ok(LexiconEntry {
        lemmas,
        pos,
        cameo: cameo.to_string(),
        target: parse_relations(fields[3])?,
        source: parse_relations(fields[4])?,
        line,
    })
}

/// Relations a lexicon entry may name: UD basic relations, with a preposition or `poss`
/// subtype for `obl` and `nmod`.
fn parse_relations(field: &str) -> Result<Vec<String>, String> {
    if field == "-" {
        return Ok(Vec::new());
    }
    field
        .split(',')
        .map(|r| {
            let r = r.trim();
            let (base, sub) = match r.split_once(':') {
                Some((b, s)) => (b, Some(s)),
                None => (r, None),
            };
            let ok = match (base, sub) {
                ("obj" | "iobj" | "nsubj" | "amod" | "compound" | "appos" | "xcomp", None) => true,
                ("nsubj", Some("pass")) | ("obl", Some("agent")) => true,
                ("obl" | "nmod", None) => true,
                ("obl" | "nmod", Some(s)) => !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                _ => false,
            };
            if ok {
                Ok(r.to_string())
            } else {
                Err(format!(
                    "relation {r:?} is not one of obj, iobj, nsubj, nsubj:pass, obl, obl:PREP, nmod, nmod:PREP, nmod:poss, amod, compound, appos, xcomp"
                ))
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn lexicon() -> EventLexicon {
        match EventLexicon::bundled() {
            Ok(l) => l,
            Err(e) => panic!("bundled lexicon does not load: {e}"),
        }
    }

    fn codes(lex: &EventLexicon, lemma: &str, pos: TriggerPos) -> Vec<(String, String)> {
        lex.entries_for(lemma, pos)
            .iter()
            .map(|e| (e.trigger(), e.cameo.clone()))
            .collect()
    }

    /// The code of the first entry whose trigger is exactly `trigger`.
    fn code_of(lex: &EventLexicon, trigger: &str, pos: TriggerPos) -> Option<String> {
        let head = trigger.split(' ').next().unwrap_or("");
        lex.entries_for(head, pos)
            .iter()
            .find(|e| e.trigger() == trigger)
            .map(|e| e.cameo.clone())
    }

    /// CAMEO codes with no English trigger the matcher can express; events of these kinds
    /// are coded at their parent code. Each group says why.
    const NO_TRIGGER: &[&str] = &[
        // What is to be eased sits two levels below the trigger ("urged X to lift
        // sanctions", "agreed to end the protests"): coded 025, 035, 105.
        "0254", "0351", "0352", "0354", "1051", "1052", "1054",
        // The kind of aid refused modifies the requested noun ("rejected a request for
        // humanitarian aid"): coded 122.
        "1223", "1224",
        // The mediation is below the threatened verb ("threatened to end its mediation").
        "135",
        // What a protest, hunger strike, strike or blockade is for is a clause or phrase
        // below the trigger; 1411, 1412, 1414 and 1451 are coded where a modifier of the
        // noun says it ("anti-government protest").
        "1413", "1421", "1422", "1423", "1424", "1431", "1432", "1433", "1434", "1441", "1442",
        "1443", "1444", "1452", "1453", "1454",
        // News names cyber units as actors ("Cyber Command"), not a mobilisation event.
        "155",
    ];

    #[test]
    fn bundled_lexicon_covers_every_code_news_uses() -> Result<(), DataError> {
        let lex = lexicon();
        let cameo = CameoTable::bundled()?;
        assert!(lex.len() >= 2000, "only {} entries", lex.len());
        lex.validate(&cameo)?;
        let mut used: BTreeMap<&str, usize> = BTreeMap::new();
        for e in lex.iter() {
            *used.entry(e.cameo.as_str()).or_default() += 1;
        }
        let mut missing = Vec::new();
        for code in cameo.iter() {
            let c = code.code.as_str();
            let covered = if code.is_root() {
                used.keys().any(|u| u.starts_with(c))
            } else {
                used.contains_key(c)
            };
            let excused = NO_TRIGGER.contains(&c);
            if !covered && !excused {
                missing.push(c);
            }
            // The list stays honest: a code that gains an entry leaves it.
            assert!(
                !(covered && excused),
                "{c} has entries but is listed in NO_TRIGGER"
            );
        }
        assert!(missing.is_empty(), "codes without a trigger: {missing:?}");
        for code in NO_TRIGGER {
            assert!(
                cameo.get(code).is_some(),
                "NO_TRIGGER code {code} is not a CAMEO code"
            );
        }
        Ok(())
    }

    #[test]
    fn british_and_american_spellings_are_both_listed_with_one_code() {
        let lex = lexicon();
        let pairs = [
            ("organise protest", "organize protest", TriggerPos::Verb),
            ("criticise", "criticize", TriggerPos::Verb),
            ("harbour", "harbor", TriggerPos::Verb),
            ("honour commitment", "honor commitment", TriggerPos::Verb),
            ("mobilise", "mobilize", TriggerPos::Verb),
            ("demobilise", "demobilize", TriggerPos::Verb),
            ("destabilise", "destabilize", TriggerPos::Verb),
            ("terrorise", "terrorize", TriggerPos::Verb),
            ("scrutinise", "scrutinize", TriggerPos::Verb),
            ("pressurise", "pressurize", TriggerPos::Verb),
            ("come defence", "come defense", TriggerPos::Verb),
            ("express scepticism", "express skepticism", TriggerPos::Verb),
            ("revoke licence", "revoke license", TriggerPos::Verb),
            ("baulk", "balk", TriggerPos::Verb),
            ("normalisation", "normalization", TriggerPos::Noun),
            (
                "cooperation defence",
                "cooperation defense",
                TriggerPos::Noun,
            ),
            ("manoeuvre", "maneuver", TriggerPos::Noun),
            ("strike labour", "strike labor", TriggerPos::Noun),
            ("dialogue", "dialog", TriggerPos::Noun),
        ];
        for (british, american, pos) in pairs {
            let b = code_of(&lex, british, pos);
            assert!(b.is_some(), "{british} is missing");
            assert_eq!(b, code_of(&lex, american, pos), "{british} / {american}");
        }
    }

    #[test]
    fn bundled_lexicon_is_large_and_covers_every_root() {
        let lex = lexicon();
        assert!(lex.len() >= 250, "only {} entries", lex.len());
        let mut per_root: BTreeMap<String, usize> = BTreeMap::new();
        for e in lex.iter() {
            *per_root.entry(e.cameo[..2].to_string()).or_default() += 1;
        }
        let roots: Vec<&String> = per_root.keys().collect();
        let expected: Vec<String> = (1..=20).map(|r| format!("{r:02}")).collect();
        assert_eq!(roots, expected.iter().collect::<Vec<_>>());
        for (root, n) in &per_root {
            assert!(*n >= 5, "root {root} has only {n} triggers");
        }
        assert_eq!(lex.iter().count(), lex.len());
    }

    #[test]
    fn every_lexicon_code_exists_in_the_cameo_table() -> Result<(), DataError> {
        let cameo = CameoTable::bundled()?;
        lexicon().validate(&cameo)
    }

    #[test]
    fn validate_names_the_line_of_an_unknown_code() -> Result<(), DataError> {
        let cameo = CameoTable::bundled()?;
        let lex = EventLexicon::parse(
            "meet\tVERB\t040\t-\t-\n\nfrobnicate\tVERB\t0999\t-\t-\n",
            Path::new("x.tsv"),
        )?;
        let msg = lex
            .validate(&cameo)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(msg.starts_with("x.tsv:3:") && msg.contains("0999"), "{msg}");
        Ok(())
    }

    #[test]
    fn known_triggers_map_to_their_cameo_roots() {
        let lex = lexicon();
        let root = |trigger: &str, pos| code_of(&lex, trigger, pos).map(|c| c[..2].to_string());
        assert_eq!(root("meet", TriggerPos::Verb).as_deref(), Some("04"));
        assert_eq!(root("hold talk", TriggerPos::Verb).as_deref(), Some("04"));
        assert_eq!(root("brush aside", TriggerPos::Verb).as_deref(), Some("12"));
        assert_eq!(root("call on", TriggerPos::Verb).as_deref(), Some("02"));
        assert_eq!(root("plea", TriggerPos::Noun).as_deref(), Some("02"));
        assert_eq!(root("criticise", TriggerPos::Verb).as_deref(), Some("11"));
        assert_eq!(root("criticize", TriggerPos::Verb).as_deref(), Some("11"));
        assert_eq!(
            root("impose sanction", TriggerPos::Verb).as_deref(),
            Some("16")
        );
        assert_eq!(
            root("recall ambassador", TriggerPos::Verb).as_deref(),
            Some("16")
        );
        assert_eq!(root("threat", TriggerPos::Noun).as_deref(), Some("13"));
        assert_eq!(root("ceasefire", TriggerPos::Noun).as_deref(), Some("08"));
        assert_eq!(root("mobilise", TriggerPos::Verb).as_deref(), Some("15"));
        assert_eq!(root("arrest", TriggerPos::Verb).as_deref(), Some("17"));
        assert_eq!(root("assassinate", TriggerPos::Verb).as_deref(), Some("18"));
        assert_eq!(root("massacre", TriggerPos::Noun).as_deref(), Some("20"));
        let invasion = root("invasion", TriggerPos::Noun).and_then(|r| r.parse::<u8>().ok());
        assert!(matches!(invasion, Some(17..=20)), "{invasion:?}");
        let attack = root("attack", TriggerPos::Noun).and_then(|r| r.parse::<u8>().ok());
        assert!(matches!(attack, Some(18..=20)), "{attack:?}");
        // "say" is a reporting verb, never an event on its own.
        assert!(lex.entries_for("say", TriggerPos::Verb).is_empty());
    }

    #[test]
    fn longest_trigger_comes_first() {
        let lex = lexicon();
        let brush = codes(&lex, "brush", TriggerPos::Verb);
        assert!(!brush.is_empty());
        let deny = lex.entries_for("deny", TriggerPos::Verb);
        let lens: Vec<usize> = deny.iter().map(|e| e.lemmas.len()).collect();
        assert!(lens.windows(2).all(|w| w[0] >= w[1]), "{lens:?}");
        assert_eq!(deny.last().map(|e| e.trigger()).as_deref(), Some("deny"));
        // The light-verb reading wins over the bare verb when both could match.
        let strike = codes(&lex, "strike", TriggerPos::Verb);
        assert_eq!(
            strike.first().map(|(t, c)| (t.as_str(), c.as_str())),
            Some(("strike deal", "057"))
        );
        assert_eq!(
            strike.last().map(|(t, c)| (t.as_str(), c.as_str())),
            Some(("strike", "190"))
        );
    }

    #[test]
    fn lookup_separates_verbs_from_nouns() {
        let lex = lexicon();
        let verb = code_of(&lex, "visit", TriggerPos::Verb);
        let noun = lex.entries_for("visit", TriggerPos::Noun);
        assert_eq!(verb.as_deref(), Some("042"));
        assert_eq!(
            noun.first().map(|e| e.target.clone()),
            Some(vec!["nmod:to".to_string()])
        );
        assert!(
            lex.entries_for("talks", TriggerPos::Noun).is_empty(),
            "heads are lemmas, not word forms"
        );
        assert!(!lex.entries_for("Meet", TriggerPos::Verb).is_empty());
    }

    #[test]
    fn defaults_fill_empty_relations() -> Result<(), DataError> {
        let lex = EventLexicon::parse(
            "attack\tVERB\t190\t-\t-\ninvasion\tNOUN\t192\t-\t-\n",
            Path::new("t.tsv"),
        )?;
        let attack = &lex.entries_for("attack", TriggerPos::Verb)[0];
        assert_eq!(attack.target_relations(), vec!["obj"]);
        assert_eq!(attack.source_relations(), vec!["nsubj"]);
        let invasion = &lex.entries_for("invasion", TriggerPos::Noun)[0];
        assert_eq!(invasion.target_relations(), vec!["nmod:of"]);
        assert!(invasion.source_relations().contains(&"nmod:poss"));
        Ok(())
    }

    #[test]
    fn malformed_lines_name_file_and_line() {
        let cases = [
            (
                "meet\tVERB\t040\t-\t-\nhold talk\tVERB\t046\tobl:with\n",
                2,
                "5 tab-separated",
            ),
            ("# c\n\nmeet\tVRB\t040\t-\t-\n", 3, "VERB or NOUN"),
            ("meet\tVERB\t04x\t-\t-\n", 1, "CAMEO code"),
            ("meet\tVERB\t040\tsubj\t-\n", 1, "relation"),
            (
                "meet\tVERB\t040\t-\t-\nmeet\tVERB\t040\tobj\t-\n",
                2,
                "repeats line 1",
            ),
        ];
        for (text, line, needle) in cases {
            let msg = EventLexicon::parse(text, Path::new("lex/events.tsv"))
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(msg.starts_with(&format!("lex/events.tsv:{line}:")), "{msg}");
            assert!(msg.contains(needle), "{msg}");
        }
    }

    #[test]
    fn trailing_comments_and_aligned_tabs_are_accepted() -> Result<(), DataError> {
        let lex = EventLexicon::parse(
            "call on\t\tVERB\t1010\t\tobl:on\t-   # appeal\n",
            Path::new("t.tsv"),
        )?;
        let e = &lex.entries_for("call", TriggerPos::Verb)[0];
        assert_eq!(
            (e.dependents(), e.cameo.as_str(), e.line),
            (&["on".to_string()][..], "1010", 1)
        );
        Ok(())
    }

    #[test]
    fn load_reads_a_user_file() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("events.tsv");
        std::fs::write(&path, "snub\tVERB\t120\tobj\t-\n")?;
        let lex = EventLexicon::load(&path)?;
        assert_eq!(lex.len(), 1);
        assert_eq!(lex.origin(), path.as_path());
        assert!(matches!(
            EventLexicon::load(&dir.path().join("none.tsv")),
            Err(DataError::Io { .. })
        ));
        Ok(())
    }
}
