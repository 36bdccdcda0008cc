//! `geokg evaluate-events GOLD PRED`: the figures `score_events.py` prints, and beside
//! them what a developer needs to choose the next fix: recall per CAMEO root, why each
//! gold event was missed, which found events carry a wrong date, and which predicted
//! events match nothing.
//!
//! The figures are the scorer's, computed the same way in the same order (a gold event's
//! date is judged against the first predicted event, in file order, that finds it; gold
//! events are told apart by id). A gold event with several roots is counted, in the
//! per-root table, under the first root it lists.
//!
//! Why a gold event was missed is read from its *candidates*: the predicted events of its
//! document whose evidence contains its anchor. Each candidate is compared with the gold
//! event on three components, the CAMEO root, the source (subject) and the target
//! (object), and put in one class; the miss takes the class of its closest candidate,
//! where closeness is the order below (ties: the candidate earlier in the file):
//!
//! 1. `wrong direction`: root right, both actors present but swapped (the gold event is
//!    not symmetric). Everything is there; only the roles are read the wrong way round.
//! 2. `wrong root`: both actors right (in either order for a symmetric event), the root
//!    not among the gold roots. The arguments were read; the code is the lexicon's.
//! 3. `no target`: root and source right, the target wrong or missing.
//! 4. `no source`: root and target right (or the gold target null, which accepts any),
//!    the source wrong or missing. The source ranks above the target because a CAMEO
//!    event is coded from its source.
//! 5. `no source/target`: root right, neither actor right.
//! 6. `other`: the root wrong and the actors not both right.
//!
//! A gold event without any candidate is `no trigger`. For a symmetric gold event the
//! actors are compared in whichever order gets more of them right (as written, on a tie).

use super::matching::{code_prefix, date_right, normalize, py_repr, py_space, root, round3};
use crate::error::DataError;
use crate::knowledge::CameoTable;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{self, Write};
use std::path::Path;

/// How much a gold event matters: core events are the ones a reader of the article must
/// get; extra events are also true but minor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Core,
    Extra,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Core => "core",
            Level::Extra => "extra",
        }
    }
}

/// One line of a gold file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GoldEvent {
    pub id: String,
    pub doc: String,
    /// Text the evidence sentence of a predicted event must contain.
    pub anchor: String,
    /// Names and codes the source may carry; `None` accepts any source.
    pub subject: Option<Vec<String>>,
    /// Names and codes the target may carry; `None` accepts any target, or none.
    pub object: Option<Vec<String>>,
    /// Two-digit CAMEO roots the code may have; `None` accepts any code.
    pub cameo_roots: Option<Vec<String>>,
    pub level: Level,
    /// Either actor may be the source (a meeting, a clash).
    pub symmetric: bool,
    /// A day (YYYY-MM-DD), a month or a year.
    pub date: Option<String>,
}

impl GoldEvent {
    /// The root the per-root table counts this event under: its first, or "-" for an
    /// event that accepts any code.
    pub fn first_root(&self) -> &str {
        self.cameo_roots
            .as_deref()
            .and_then(<[String]>::first)
            .map_or("-", String::as_str)
    }
}

/// The gold file's shape, with `subject` and `object` required though nullable: a gold
/// line that forgot its object must not silently accept any.
#[derive(Deserialize)]
struct RawGold {
    id: String,
    doc: String,
    anchor: String,
    #[serde(deserialize_with = "Option::deserialize")]
    subject: Option<Vec<String>>,
    #[serde(deserialize_with = "Option::deserialize")]
    object: Option<Vec<String>>,
    #[serde(default)]
    cameo_roots: Option<Vec<String>>,
    level: Level,
    #[serde(default)]
    symmetric: Option<bool>,
    #[serde(default)]
    date: Option<String>,
}

/// An actor of a predicted event, as far as the scorer looks at it.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Party {
    /// What to show a developer: the label (or name), else the plain string.
    pub label: Option<String>,
    /// The CAMEO actor code, when the record has one.
    pub code: Option<String>,
    /// Every string the scorer compares with gold names: label, name, canonical,
    /// actor_code, code, country, wikidata, id, then the aliases.
    pub names: Vec<String>,
}

impl Party {
    /// "Iran [IRNMIL]".
    pub fn shown(&self) -> String {
        match (&self.label, &self.code) {
            (Some(l), Some(c)) => format!("{l} [{c}]"),
            (Some(l), None) => l.clone(),
            (None, Some(c)) => format!("[{c}]"),
            (None, None) => "?".to_string(),
        }
    }
}

/// One predicted event, read loosely: a field of an unexpected type is treated as absent,
/// as the scorer's `.get` and `isinstance` checks treat it.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Prediction {
    /// 1-based line in the predicted file.
    pub line: usize,
    pub doc: Option<String>,
    /// `evidence`, or `sentence_text` when that is missing or empty.
    pub evidence: String,
    pub subject: Option<Party>,
    pub object: Option<Party>,
    pub relation: Option<String>,
    pub cameo: Option<String>,
    pub date: Option<String>,
}

/// A JSON scalar taken for what the scorer makes of it: a string, or a number it would
/// turn into one with `str()`.
#[derive(Deserialize)]
#[serde(untagged)]
enum Loose {
    Text(String),
    Number(serde_json::Number),
    Other(serde::de::IgnoredAny),
}

impl Loose {
    /// The value as Python's `x or ""` then `str(x)` would give it, `None` for a falsy or
    /// non-scalar value.
    fn text(self) -> Option<String> {
        match self {
            Loose::Text(s) if !s.is_empty() => Some(s),
            Loose::Number(n) if n.as_f64() != Some(0.0) => Some(n.to_string()),
            _ => None,
        }
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawParty {
    Name(String),
    Record(serde_json::Map<String, Value>),
    Other(serde::de::IgnoredAny),
}

#[derive(Deserialize)]
struct RawPrediction {
    #[serde(default)]
    doc: Option<Loose>,
    #[serde(default)]
    evidence: Option<Loose>,
    #[serde(default)]
    sentence_text: Option<Loose>,
    #[serde(default)]
    subject: Option<RawParty>,
    #[serde(default)]
    object: Option<RawParty>,
    #[serde(default)]
    relation: Option<Loose>,
    #[serde(default)]
    cameo: Option<Loose>,
    #[serde(default)]
    date: Option<Loose>,
}

fn party(raw: Option<RawParty>) -> Option<Party> {
    match raw? {
        RawParty::Name(s) => Some(Party {
            label: Some(s.clone()),
            code: None,
            names: vec![s],
        }),
        RawParty::Record(map) => {
            let text = |k: &str| match map.get(k) {
                Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
                _ => None,
            };
            let mut names: Vec<String> = [
                "label",
                "name",
                "canonical",
                "actor_code",
                "code",
                "country",
                "wikidata",
                "id",
            ]
            .iter()
            .filter_map(|k| text(k))
            .collect();
            if let Some(Value::Array(aliases)) = map.get("aliases") {
                names.extend(
                    aliases
                        .iter()
                        .filter_map(|a| a.as_str().map(str::to_string)),
                );
            }
            Some(Party {
                label: text("label")
                    .or_else(|| text("name"))
                    .or_else(|| text("canonical")),
                code: text("actor_code").or_else(|| text("code")),
                names,
            })
        }
        RawParty::Other(_) => None,
    }
}

/// What a file held: the lines read, and a problem for each line that could not be.
#[derive(Debug)]
pub struct Lines<T> {
    pub items: Vec<T>,
    pub problems: Vec<DataError>,
}

/// The file's lines as Python's text mode splits them (`\n`, `\r\n` or a lone `\r`), with
/// their 1-based numbers; blank lines are left out, as the scorer skips them.
fn lines(bytes: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    let mut rest = bytes;
    let mut n = 0;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        n += 1;
        let end = rest
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
            .unwrap_or(rest.len());
        let line = &rest[..end];
        let skip = match rest.get(end..end + 2) {
            Some(b"\r\n") => 2,
            _ => usize::from(end < rest.len()),
        };
        rest = &rest[end + skip..];
        Some((n, line))
    })
    .filter(|(_, l)| std::str::from_utf8(l).map_or(true, |s| !s.chars().all(py_space)))
}

fn parse_lines<T>(
    bytes: &[u8],
    file: &Path,
    read: impl Fn(&str, usize) -> Result<T, String>,
) -> Lines<T> {
    let mut out = Lines {
        items: Vec::new(),
        problems: Vec::new(),
    };
    for (n, raw) in lines(bytes) {
        let parsed = std::str::from_utf8(raw)
            .map_err(|e| format!("not UTF-8 ({e})"))
            .and_then(|line| read(line, n));
        match parsed {
            Ok(item) => out.items.push(item),
            Err(message) => out
                .problems
                .push(DataError::malformed(file, Some(n), message)),
        }
    }
    out
}

/// Reads gold events from the text of a gold file; `file` names it in problems.
pub fn parse_gold(bytes: &[u8], file: &Path) -> Lines<GoldEvent> {
    parse_lines(bytes, file, |line, _| {
        let raw: RawGold =
            serde_json::from_str(line).map_err(|e| format!("not a gold event: {e}"))?;
        Ok(GoldEvent {
            id: raw.id,
            doc: raw.doc,
            anchor: raw.anchor,
            subject: raw.subject,
            object: raw.object,
            cameo_roots: raw.cameo_roots,
            level: raw.level,
            symmetric: raw.symmetric.unwrap_or(false),
            date: raw.date.filter(|d| !d.is_empty()),
        })
    })
}

/// Reads predicted events from the text of a JSON Lines file (`geokg extract --format
/// jsonl`, or any file keeping the contract); `file` names it in problems.
pub fn parse_predictions(bytes: &[u8], file: &Path) -> Lines<Prediction> {
    parse_lines(bytes, file, |line, n| {
        let value: Value = serde_json::from_str(line).map_err(|e| format!("not JSON: {e}"))?;
        if !value.is_object() {
            return Err("not a JSON object".to_string());
        }
        let raw =
            RawPrediction::deserialize(value).map_err(|e| format!("not a predicted event: {e}"))?;
        let evidence = raw
            .evidence
            .and_then(Loose::text)
            .or_else(|| raw.sentence_text.and_then(Loose::text))
            .unwrap_or_default();
        Ok(Prediction {
            line: n,
            doc: match raw.doc {
                Some(Loose::Text(d)) => Some(d),
                _ => None,
            },
            evidence,
            subject: party(raw.subject),
            object: party(raw.object),
            relation: raw.relation.and_then(Loose::text),
            cameo: raw.cameo.and_then(Loose::text),
            date: raw.date.and_then(Loose::text),
        })
    })
}

fn read(path: &Path) -> Result<Vec<u8>, DataError> {
    std::fs::read(path).map_err(|e| DataError::io(path, e))
}

pub fn read_gold(path: &Path) -> Result<Lines<GoldEvent>, DataError> {
    Ok(parse_gold(&read(path)?, path))
}

pub fn read_predictions(path: &Path) -> Result<Lines<Prediction>, DataError> {
    Ok(parse_predictions(&read(path)?, path))
}

/// Reads both files and scores them; the problems of both files are kept in the report.
pub fn evaluate_files(gold: &Path, predicted: &Path) -> Result<EventReport, DataError> {
    let g = read_gold(gold)?;
    let p = read_predictions(predicted)?;
    let mut report = score(&g.items, &p.items);
    report.problems = g
        .problems
        .iter()
        .chain(&p.problems)
        .map(ToString::to_string)
        .collect();
    Ok(report)
}

/// Why a gold event was missed; the order is closeness (see the module comment), after
/// `NoTrigger`, which no candidate can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum MissClass {
    #[serde(rename = "no trigger")]
    NoTrigger,
    #[serde(rename = "wrong direction")]
    WrongDirection,
    #[serde(rename = "wrong root")]
    WrongRoot,
    #[serde(rename = "no target")]
    NoTarget,
    #[serde(rename = "no source")]
    NoSource,
    #[serde(rename = "no source/target")]
    NoSourceTarget,
    #[serde(rename = "other")]
    Other,
}

impl MissClass {
    pub const ALL: [MissClass; 7] = [
        MissClass::NoTrigger,
        MissClass::WrongDirection,
        MissClass::WrongRoot,
        MissClass::NoTarget,
        MissClass::NoSource,
        MissClass::NoSourceTarget,
        MissClass::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MissClass::NoTrigger => "no trigger",
            MissClass::WrongDirection => "wrong direction",
            MissClass::WrongRoot => "wrong root",
            MissClass::NoTarget => "no target",
            MissClass::NoSource => "no source",
            MissClass::NoSourceTarget => "no source/target",
            MissClass::Other => "other",
        }
    }
}

/// A gold event with its names normalised once.
struct Target<'g> {
    gold: &'g GoldEvent,
    subject: Option<HashSet<String>>,
    object: Option<HashSet<String>>,
}

/// How one candidate compares with a gold event, in the orientation chosen.
struct Fit {
    root: bool,
    subject: bool,
    object: bool,
    /// Both actors right once swapped, for an event that is not symmetric.
    reversed: bool,
}

impl Fit {
    fn finds(&self) -> bool {
        self.root && self.subject && self.object
    }

    fn class(&self) -> Option<MissClass> {
        if self.finds() {
            return None;
        }
        Some(if self.subject && self.object {
            MissClass::WrongRoot
        } else if self.root && self.reversed {
            MissClass::WrongDirection
        } else if self.root && self.subject {
            MissClass::NoTarget
        } else if self.root && self.object {
            MissClass::NoSource
        } else if self.root {
            MissClass::NoSourceTarget
        } else {
            MissClass::Other
        })
    }
}

fn names(set: Option<&Vec<String>>) -> Option<HashSet<String>> {
    set.map(|v| v.iter().map(|n| normalize(n)).collect())
}

/// The scorer's `matches`: no gold names accept anything, a missing party matches none.
fn party_matches(party: Option<&Party>, gold: Option<&HashSet<String>>) -> bool {
    let Some(gold) = gold else { return true };
    party.is_some_and(|p| {
        p.names.iter().any(|n| {
            gold.contains(&normalize(n)) || code_prefix(n).is_some_and(|c| gold.contains(&c))
        })
    })
}

impl<'g> Target<'g> {
    fn new(gold: &'g GoldEvent) -> Self {
        Target {
            gold,
            subject: names(gold.subject.as_ref()),
            object: names(gold.object.as_ref()),
        }
    }

    /// `None` when the prediction is no candidate (its evidence lacks the anchor).
    fn fit(&self, p: &Prediction) -> Option<Fit> {
        if !p.evidence.contains(&self.gold.anchor) {
            return None;
        }
        let root = match &self.gold.cameo_roots {
            None => true,
            Some(roots) => root(p.cameo.as_deref()).is_some_and(|r| roots.contains(&r)),
        };
        let s = party_matches(p.subject.as_ref(), self.subject.as_ref());
        let o = party_matches(p.object.as_ref(), self.object.as_ref());
        let (swapped_s, swapped_o) = if self.gold.object.is_some() {
            (
                party_matches(p.object.as_ref(), self.subject.as_ref()),
                party_matches(p.subject.as_ref(), self.object.as_ref()),
            )
        } else {
            (false, false)
        };
        let count = |a: bool, b: bool| usize::from(a) + usize::from(b);
        Some(
            if self.gold.symmetric && count(swapped_s, swapped_o) > count(s, o) {
                Fit {
                    root,
                    subject: swapped_s,
                    object: swapped_o,
                    reversed: false,
                }
            } else {
                Fit {
                    root,
                    subject: s,
                    object: o,
                    reversed: !self.gold.symmetric && swapped_s && swapped_o,
                }
            },
        )
    }
}

/// The counts behind the scorer's figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Counts {
    pub gold: usize,
    pub core: usize,
    pub predicted: usize,
    /// Core gold events found.
    pub found_core: usize,
    /// Gold events found (distinct ids).
    pub found: usize,
    /// Predicted events that find some gold event of their document.
    pub correct: usize,
    /// Found gold events with a date, each judged against the first event finding it.
    pub dates_judged: usize,
    pub dates_right: usize,
}

impl Counts {
    pub fn recall_core(&self) -> f64 {
        self.found_core as f64 / self.core.max(1) as f64
    }

    pub fn recall_all(&self) -> f64 {
        self.found as f64 / self.gold.max(1) as f64
    }

    pub fn precision(&self) -> f64 {
        if self.predicted == 0 {
            0.0
        } else {
            self.correct as f64 / self.predicted as f64
        }
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall_all());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    pub fn date_accuracy(&self) -> Option<f64> {
        (self.dates_judged > 0).then(|| self.dates_right as f64 / self.dates_judged as f64)
    }

    /// The scorer's output, rounded as it rounds.
    pub fn figures(&self) -> Figures {
        Figures {
            gold: self.gold,
            core: self.core,
            predicted: self.predicted,
            recall_core: round3(self.recall_core()),
            recall_all: round3(self.recall_all()),
            precision: round3(self.precision()),
            f1: round3(self.f1()),
            date_accuracy: self.date_accuracy().map(round3),
        }
    }
}

/// Exactly what `score_events.py --json` prints, key for key.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Figures {
    pub gold: usize,
    pub core: usize,
    pub predicted: usize,
    pub recall_core: f64,
    pub recall_all: f64,
    pub precision: f64,
    pub f1: f64,
    pub date_accuracy: Option<f64>,
}

/// The scorer's own line, character for character, so the two can be compared with `diff`.
impl std::fmt::Display for Figures {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "gold={} core={} predicted={} recall_core={} recall_all={} precision={} f1={} \
             date_accuracy={}",
            self.gold,
            self.core,
            self.predicted,
            py_repr(self.recall_core),
            py_repr(self.recall_all),
            py_repr(self.precision),
            py_repr(self.f1),
            self.date_accuracy.map_or("None".to_string(), py_repr)
        )
    }
}

/// Recall for the gold events counted under one CAMEO root (their first).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct RootRecall {
    pub root: String,
    pub core: usize,
    pub found_core: usize,
    pub all: usize,
    pub found: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClassCount {
    pub class: MissClass,
    pub core: usize,
    pub all: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RootCount {
    pub root: String,
    pub count: usize,
}

/// The predicted event a miss was judged by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Candidate {
    pub line: usize,
    pub subject: Option<String>,
    pub relation: Option<String>,
    pub cameo: Option<String>,
    pub object: Option<String>,
}

impl Candidate {
    fn of(p: &Prediction) -> Self {
        Candidate {
            line: p.line,
            subject: p.subject.as_ref().map(Party::shown),
            relation: p.relation.clone(),
            cameo: p.cameo.clone(),
            object: p.object.as_ref().map(Party::shown),
        }
    }

    /// "Iran [IRNMIL] -seize tanker [171]-> United Kingdom [GBR]".
    fn shown(&self) -> String {
        format!(
            "{} -{} [{}]-> {}",
            self.subject.as_deref().unwrap_or("(none)"),
            self.relation.as_deref().unwrap_or("?"),
            self.cameo.as_deref().unwrap_or("-"),
            self.object.as_deref().unwrap_or("(none)")
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Miss {
    pub id: String,
    pub doc: String,
    pub level: Level,
    pub class: MissClass,
    pub anchor: String,
    pub cameo_roots: Option<Vec<String>>,
    /// `None` for `no trigger`.
    pub closest: Option<Candidate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WrongDate {
    pub id: String,
    pub level: Level,
    pub gold: String,
    pub predicted: Option<String>,
    /// The line of the predicted event the date was judged on.
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FalsePositive {
    pub doc: Option<String>,
    pub root: String,
    #[serde(flatten)]
    pub event: Candidate,
    pub evidence: String,
}

/// Everything `geokg evaluate-events` prints; its JSON form is the `--json` output.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventReport {
    /// The scorer's figures.
    pub scores: Figures,
    pub counts: Counts,
    pub by_root: Vec<RootRecall>,
    /// Every class, in the closeness order, with its core and overall counts.
    pub miss_classes: Vec<ClassCount>,
    /// Found events whose date was judged wrong: core, all.
    pub wrong_dates: ClassTotals,
    /// Predicted events finding no gold event, by the root of their code ("-": none).
    pub false_positives_by_root: Vec<RootCount>,
    pub misses: Vec<Miss>,
    pub wrong_date_events: Vec<WrongDate>,
    pub false_positives: Vec<FalsePositive>,
    /// Lines of either file that could not be read ("file:line: why").
    pub problems: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct ClassTotals {
    pub core: usize,
    pub all: usize,
}

/// Scores predicted events against gold events, as `score_events.py` does, and explains
/// the misses.
pub fn score(gold: &[GoldEvent], predicted: &[Prediction]) -> EventReport {
    let targets: Vec<Target> = gold.iter().map(Target::new).collect();
    let mut by_doc: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, g) in gold.iter().enumerate() {
        by_doc.entry(g.doc.as_str()).or_default().push(i);
    }
    let of_doc = |p: &Prediction| -> &[usize] {
        p.doc
            .as_deref()
            .and_then(|d| by_doc.get(d))
            .map_or(&[], Vec::as_slice)
    };

    let mut found: HashSet<&str> = HashSet::new();
    let mut counts = Counts {
        gold: gold.len(),
        core: gold.iter().filter(|g| g.level == Level::Core).count(),
        predicted: predicted.len(),
        ..Counts::default()
    };
    let mut wrong_date_events = Vec::new();
    let mut false_positives = Vec::new();
    for p in predicted {
        let hits: Vec<&GoldEvent> = of_doc(p)
            .iter()
            .map(|&i| &targets[i])
            .filter(|t| t.fit(p).is_some_and(|f| f.finds()))
            .map(|t| t.gold)
            .collect();
        if hits.is_empty() {
            false_positives.push(FalsePositive {
                doc: p.doc.clone(),
                root: root(p.cameo.as_deref()).unwrap_or_else(|| "-".to_string()),
                event: Candidate::of(p),
                evidence: p.evidence.clone(),
            });
        } else {
            counts.correct += 1;
        }
        for g in hits {
            if !found.contains(g.id.as_str()) {
                if let Some(date) = &g.date {
                    counts.dates_judged += 1;
                    if date_right(date, p.date.as_deref()) {
                        counts.dates_right += 1;
                    } else {
                        wrong_date_events.push(WrongDate {
                            id: g.id.clone(),
                            level: g.level,
                            gold: date.clone(),
                            predicted: p.date.clone(),
                            line: p.line,
                        });
                    }
                }
            }
            found.insert(g.id.as_str());
        }
    }
    counts.found = found.len();
    counts.found_core = gold
        .iter()
        .filter(|g| g.level == Level::Core && found.contains(g.id.as_str()))
        .count();

    let mut roots: BTreeMap<&str, RootRecall> = BTreeMap::new();
    for g in gold {
        let r = roots.entry(g.first_root()).or_insert_with(|| RootRecall {
            root: g.first_root().to_string(),
            ..RootRecall::default()
        });
        let hit = usize::from(found.contains(g.id.as_str()));
        r.all += 1;
        r.found += hit;
        if g.level == Level::Core {
            r.core += 1;
            r.found_core += hit;
        }
    }

    let mut by_pred_doc: HashMap<&str, Vec<&Prediction>> = HashMap::new();
    for p in predicted {
        if let Some(d) = p.doc.as_deref() {
            by_pred_doc.entry(d).or_default().push(p);
        }
    }
    let misses: Vec<Miss> = targets
        .iter()
        .filter(|t| !found.contains(t.gold.id.as_str()))
        .map(|t| {
            let closest = by_pred_doc
                .get(t.gold.doc.as_str())
                .into_iter()
                .flatten()
                .filter_map(|p| Some((t.fit(p)?.class()?, *p)))
                .min_by_key(|(class, _)| *class);
            Miss {
                id: t.gold.id.clone(),
                doc: t.gold.doc.clone(),
                level: t.gold.level,
                class: closest.map_or(MissClass::NoTrigger, |(c, _)| c),
                anchor: t.gold.anchor.clone(),
                cameo_roots: t.gold.cameo_roots.clone(),
                closest: closest.map(|(_, p)| Candidate::of(p)),
            }
        })
        .collect();

    let miss_classes = MissClass::ALL
        .iter()
        .map(|&class| {
            let of_class = misses.iter().filter(|m| m.class == class);
            ClassCount {
                class,
                core: of_class.clone().filter(|m| m.level == Level::Core).count(),
                all: of_class.count(),
            }
        })
        .collect();
    let mut fp_roots: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &false_positives {
        *fp_roots.entry(f.root.as_str()).or_default() += 1;
    }
    let false_positives_by_root = fp_roots
        .into_iter()
        .map(|(root, count)| RootCount {
            root: root.to_string(),
            count,
        })
        .collect();
    let wrong_dates = ClassTotals {
        core: wrong_date_events
            .iter()
            .filter(|w| w.level == Level::Core)
            .count(),
        all: wrong_date_events.len(),
    };

    EventReport {
        scores: counts.figures(),
        counts,
        by_root: roots.into_values().collect(),
        miss_classes,
        wrong_dates,
        false_positives_by_root,
        misses,
        wrong_date_events,
        false_positives,
        problems: Vec::new(),
    }
}

fn ratio(found: usize, of: usize) -> String {
    if of == 0 {
        "    -".to_string()
    } else {
        format!("{:.3}", found as f64 / of as f64)
    }
}

fn clip(s: &str, n: usize) -> String {
    match s.char_indices().nth(n) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

impl EventReport {
    /// The text report: the scorer's line first, then the tables; with `misses`, one line
    /// per missed gold event, wrong date and false positive. `cameo` names the roots.
    pub fn write_text(
        &self,
        out: &mut impl Write,
        misses: bool,
        cameo: Option<&CameoTable>,
    ) -> io::Result<()> {
        let name = |root: &str| {
            cameo
                .and_then(|c| c.root_name(root))
                .unwrap_or(if root == "-" { "(any code)" } else { "" })
        };
        writeln!(out, "{}", self.scores)?;
        writeln!(out)?;
        writeln!(
            out,
            "recall by CAMEO root (an event with several roots counts under its first):"
        )?;
        writeln!(
            out,
            "  {:<2} {:<34} {:>10} {:>6} {:>10} {:>6}",
            "", "", "core", "recall", "all", "recall"
        )?;
        for r in &self.by_root {
            writeln!(
                out,
                "  {:<2} {:<34} {:>10} {:>6} {:>10} {:>6}",
                r.root,
                clip(name(&r.root), 34),
                format!("{}/{}", r.found_core, r.core),
                ratio(r.found_core, r.core),
                format!("{}/{}", r.found, r.all),
                ratio(r.found, r.all)
            )?;
        }
        let c = &self.counts;
        writeln!(
            out,
            "  {:<37} {:>10} {:>6} {:>10} {:>6}",
            "total",
            format!("{}/{}", c.found_core, c.core),
            ratio(c.found_core, c.core),
            format!("{}/{}", c.found, c.gold),
            ratio(c.found, c.gold)
        )?;
        writeln!(out)?;
        writeln!(out, "missed gold events by class:")?;
        writeln!(out, "  {:<18} {:>5} {:>5}", "", "core", "all")?;
        for m in &self.miss_classes {
            writeln!(out, "  {:<18} {:>5} {:>5}", m.class.as_str(), m.core, m.all)?;
        }
        writeln!(
            out,
            "  {:<18} {:>5} {:>5}",
            "total",
            c.core - c.found_core,
            self.misses.len()
        )?;
        writeln!(
            out,
            "  {:<18} {:>5} {:>5}   (found, date judged wrong; {} of {} dated found events right)",
            "wrong date",
            self.wrong_dates.core,
            self.wrong_dates.all,
            c.dates_right,
            c.dates_judged
        )?;
        writeln!(out)?;
        writeln!(
            out,
            "false positives (predicted events finding no gold event): {} of {}",
            self.false_positives.len(),
            c.predicted
        )?;
        for r in &self.false_positives_by_root {
            let label = if r.root == "-" {
                "(no code)"
            } else {
                name(&r.root)
            };
            writeln!(
                out,
                "  {:<2} {:<34} {:>5}",
                r.root,
                clip(label, 34),
                r.count
            )?;
        }
        if misses {
            writeln!(out)?;
            writeln!(out, "missed:")?;
            for m in &self.misses {
                let want = m
                    .cameo_roots
                    .as_ref()
                    .map_or("any".to_string(), |r| r.join(","));
                write!(
                    out,
                    "  {} {:<5} {:<16} | {} | want {}",
                    m.id,
                    m.level.as_str(),
                    m.class.as_str(),
                    m.anchor,
                    want
                )?;
                match &m.closest {
                    Some(c) => writeln!(out, " | line {}: {}", c.line, c.shown())?,
                    None => writeln!(out)?,
                }
            }
            writeln!(out)?;
            writeln!(out, "wrong dates:")?;
            for w in &self.wrong_date_events {
                writeln!(
                    out,
                    "  {} {:<5} gold {} predicted {} (line {})",
                    w.id,
                    w.level.as_str(),
                    w.gold,
                    w.predicted.as_deref().unwrap_or("(none)"),
                    w.line
                )?;
            }
            writeln!(out)?;
            writeln!(out, "false positives:")?;
            for f in &self.false_positives {
                writeln!(
                    out,
                    "  line {} {}: {} | {}",
                    f.event.line,
                    f.doc.as_deref().unwrap_or("(no doc)"),
                    f.event.shown(),
                    clip(&f.evidence, 100)
                )?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOLD: &str = include_str!("../../tests/fixtures/evaluate-events/gold.jsonl");
    const PRED: &str = include_str!("../../tests/fixtures/evaluate-events/pred.jsonl");

    fn gold(text: &str) -> Vec<GoldEvent> {
        let g = parse_gold(text.as_bytes(), Path::new("gold.jsonl"));
        assert!(g.problems.is_empty(), "{:?}", g.problems);
        g.items
    }

    fn pred(text: &str) -> Vec<Prediction> {
        let p = parse_predictions(text.as_bytes(), Path::new("pred.jsonl"));
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        p.items
    }

    fn fixture() -> EventReport {
        score(&gold(GOLD), &pred(PRED))
    }

    fn miss<'r>(r: &'r EventReport, id: &str) -> &'r Miss {
        r.misses
            .iter()
            .find(|m| m.id == id)
            .unwrap_or_else(|| panic!("{id} is not missed"))
    }

    #[test]
    fn fixture_figures_are_the_scorers() {
        let r = fixture();
        assert_eq!(
            r.counts,
            Counts {
                gold: 15,
                core: 10,
                predicted: 20,
                found_core: 5,
                found: 6,
                correct: 7,
                dates_judged: 4,
                dates_right: 3,
            }
        );
        assert_eq!(
            r.scores.to_string(),
            "gold=15 core=10 predicted=20 recall_core=0.5 recall_all=0.4 precision=0.35 \
             f1=0.373 date_accuracy=0.75"
        );
    }

    #[test]
    fn each_miss_takes_the_class_of_its_closest_candidate() {
        let r = fixture();
        let classes: Vec<(&str, MissClass, Option<usize>)> = r
            .misses
            .iter()
            .map(|m| (m.id.as_str(), m.class, m.closest.as_ref().map(|c| c.line)))
            .collect();
        use MissClass::*;
        assert_eq!(
            classes,
            [
                ("f01-03", WrongDirection, Some(3)),
                // Line 9 (right root and source, wrong target) comes first in the file,
                // but line 10 has both actors: wrong root is closer than no target.
                ("f02-02", WrongRoot, Some(10)),
                // The gold target is null: only the source is wrong.
                ("f02-03", NoSource, Some(11)),
                ("f03-01", NoTarget, Some(13)),
                ("f03-02", NoSource, Some(14)),
                ("f03-03", NoSourceTarget, Some(15)),
                // A candidate by its sentence_text, the evidence field being absent.
                ("f03-04", Other, Some(16)),
                // Doc f03 has predicted events, none with this anchor.
                ("f03-05", NoTrigger, None),
                // Symmetric: the predicted source is the gold target, so the gold source
                // is what is missing.
                ("f04-02", NoSource, Some(19)),
            ]
        );
        let count = |c: MissClass| {
            let n = r.miss_classes.iter().find(|m| m.class == c).unwrap();
            (n.core, n.all)
        };
        assert_eq!(count(NoSource), (2, 3));
        assert_eq!(count(NoTrigger), (0, 1));
        assert_eq!(r.miss_classes.len(), MissClass::ALL.len());
    }

    #[test]
    fn symmetric_events_are_found_either_way_round_and_others_are_wrong_direction() {
        let r = fixture();
        // f01-04 and f04-01 are symmetric and predicted with their actors swapped.
        assert!(!r
            .misses
            .iter()
            .any(|m| m.id == "f01-04" || m.id == "f04-01"));
        let one_way = GOLD.replace(
            r#""anchor": "Sudria and Vessa met", "subject": ["Sudria", "SDR"], "object": ["Vessa", "VES"], "cameo_roots": null, "level": "extra", "symmetric": true"#,
            r#""anchor": "Sudria and Vessa met", "subject": ["Sudria", "SDR"], "object": ["Vessa", "VES"], "cameo_roots": null, "level": "extra", "symmetric": false"#,
        );
        assert_ne!(one_way, GOLD);
        let r = score(&gold(&one_way), &pred(PRED));
        assert_eq!(miss(&r, "f04-01").class, MissClass::WrongDirection);
        assert_eq!(r.counts.found, 5);
    }

    #[test]
    fn null_objects_string_parties_and_codes_match_as_the_scorer_matches() {
        let r = fixture();
        let found = |id: &str| !r.misses.iter().any(|m| m.id == id);
        // f02-04: a null gold object accepts the predicted Vessa.
        assert!(found("f02-04"));
        // f02-01: plain-string parties, "the", case, curly apostrophe and a full stop;
        // the code's second root (11) counts.
        assert!(found("f02-01"));
        // f01-01: NRLMIL matches the gold name "NRL" by its first three letters.
        assert!(found("f01-01"));
    }

    #[test]
    fn a_prediction_without_its_doc_finds_nothing() {
        let r = fixture();
        let last = r.false_positives.last().unwrap();
        assert_eq!((last.event.line, last.doc.as_deref()), (21, None));
        assert_eq!(r.false_positives.len(), 13);
        let by_root: Vec<(&str, usize)> = r
            .false_positives_by_root
            .iter()
            .map(|c| (c.root.as_str(), c.count))
            .collect();
        assert!(by_root.contains(&("-", 1)), "the relation without a code");
        assert!(by_root.contains(&("04", 2)));
        assert_eq!(by_root.iter().map(|(_, n)| n).sum::<usize>(), 13);
    }

    #[test]
    fn dates_are_judged_on_the_first_event_finding_them() {
        let r = fixture();
        // f01-01 is found by line 1 (a day off: right) and line 5 (two months off): only
        // line 1 is judged. f01-04's month and f02-04's year hold their predicted days.
        assert_eq!(
            r.wrong_date_events,
            [WrongDate {
                id: "f01-02".into(),
                level: Level::Core,
                gold: "2031-04-05".into(),
                predicted: Some("2031-04-09".into()),
                line: 2,
            }]
        );
        assert_eq!(r.wrong_dates, ClassTotals { core: 1, all: 1 });
        assert_eq!(r.scores.date_accuracy, Some(0.75));
    }

    #[test]
    fn recall_by_root_counts_each_event_under_its_first_root() {
        let r = fixture();
        let root = |k: &str| r.by_root.iter().find(|x| x.root == k).cloned();
        assert_eq!(
            root("16"),
            Some(RootRecall {
                root: "16".into(),
                core: 2,
                found_core: 1,
                all: 2,
                found: 1
            })
        );
        // f02-01 lists 12 then 11; f01-03 is the only event counted under 11.
        assert_eq!(root("12").map(|x| (x.all, x.found)), Some((1, 1)));
        assert_eq!(root("11").map(|x| (x.all, x.found)), Some((1, 0)));
        assert_eq!(root("-").map(|x| (x.all, x.found)), Some((1, 1)));
        assert_eq!(root("06"), None);
        assert_eq!(r.by_root.iter().map(|x| x.all).sum::<usize>(), 15);
    }

    #[test]
    fn bad_lines_are_named_and_the_rest_is_read() {
        let text = [
            r#"{"id": "a", "doc": "f", "anchor": "x", "subject": ["A"], "object": null, "level": "core"}"#,
            r#"{"id": "b", "doc": "f", "anchor": "x", "subject": ["A"], "level": "core"}"#,
            "",
            r#"{"id": "c", "doc": "f", "anchor": "x", "subject": ["A"], "object": null, "level": "Core"}"#,
            r#"{"id": "d""#,
            r#"{"id": "e", "doc": "f", "anchor": "x", "subject": null, "object": ["B"], "level": "extra", "symmetric": null}"#,
        ]
        .join("\r\n");
        let g = parse_gold(text.as_bytes(), Path::new("g.jsonl"));
        let ids: Vec<&str> = g.items.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["a", "e"]);
        let problems: Vec<String> = g.problems.iter().map(ToString::to_string).collect();
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].starts_with("g.jsonl:2: ") && problems[0].contains("object"));
        assert!(problems[1].starts_with("g.jsonl:4: ") && problems[1].contains("Core"));
        assert!(problems[2].starts_with("g.jsonl:5: "));

        let text = b"{\"doc\": \"f\", \"evidence\": \"x\"}\n[1, 2]\n\n{\"doc\": \n\xff\n{\"doc\": 7, \"subject\": [\"A\"], \"cameo\": 42}\n";
        let p = parse_predictions(text, Path::new("p.jsonl"));
        let lines: Vec<usize> = p.items.iter().map(|e| e.line).collect();
        assert_eq!(lines, [1, 6]);
        let problems: Vec<String> = p.problems.iter().map(ToString::to_string).collect();
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].starts_with("p.jsonl:2: not a JSON object"));
        assert!(problems[1].starts_with("p.jsonl:4: not JSON"));
        assert!(problems[2].starts_with("p.jsonl:5: not UTF-8"));
        // Fields of the wrong type are absent, as to the scorer; a number code is its text.
        let odd = &p.items[1];
        assert_eq!((odd.doc.as_deref(), odd.subject.as_ref()), (None, None));
        assert_eq!(odd.cameo.as_deref(), Some("42"));
    }

    #[test]
    fn the_json_report_keeps_the_scorers_keys_in_its_order() {
        let text = serde_json::to_string(&fixture()).unwrap();
        assert!(text.starts_with(
            r#"{"scores":{"gold":15,"core":10,"predicted":20,"recall_core":0.5,"recall_all":0.4,"precision":0.35,"f1":0.373,"date_accuracy":0.75},"counts":{"#
        ));
        let keys = [
            "scores",
            "counts",
            "by_root",
            "miss_classes",
            "wrong_dates",
            "false_positives_by_root",
            "misses",
            "wrong_date_events",
            "false_positives",
            "problems",
        ];
        let at: Vec<usize> = keys
            .iter()
            .map(|k| text.find(&format!("\"{k}\":")).unwrap())
            .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v.as_object().unwrap().len(), keys.len());
        assert_eq!(v["misses"][0]["class"], "wrong direction");
        assert_eq!(v["miss_classes"][5]["class"], "no source/target");
    }

    #[test]
    fn the_text_report_lists_misses_only_when_asked() {
        let r = fixture();
        let mut short = Vec::new();
        r.write_text(&mut short, false, None).unwrap();
        let short = String::from_utf8(short).unwrap();
        assert!(short.starts_with("gold=15 core=10 predicted=20 "));
        assert!(
            short.contains("  no source              2     3\n"),
            "{short}"
        );
        assert!(!short.contains("f03-02"));
        let mut long = Vec::new();
        r.write_text(&mut long, true, None).unwrap();
        let long = String::from_utf8(long).unwrap();
        assert!(long.contains(
            "f03-02 core  no source        | gunmen attacked a convoy | want 18 | line 14: \
             Sudria -attack [180]-> Norland\n"
        ));
        assert!(long.contains("f01-02 core  gold 2031-04-05 predicted 2031-04-09 (line 2)"));
    }
}
