//! Runs the event-coding community's validation suites through geokg: PETRARCH's XML
//! records (PETRARCH-1 `PETR.UnitTest.records.xml`, UniversalPetrarch
//! `PETR_Validate_records_2_02.xml`) and TABARI's `Validate.text`.
//!
//! Every record is coded from its raw sentence text with geokg's own tokenizer, tagger and
//! parser and the suite's own dictionaries (the `<Environment>` or `.project` names them).
//! The parse trees a suite ships are not coded: they are shown next to a failure, and a
//! record whose parse has unbalanced brackets is malformed input that PETRARCH rejects
//! before coding, so geokg does not code it either. The report
//! counts, as PETRARCH's validation does, records coded exactly right and, per category,
//! expected events found (correct), expected events missed (uncoded) and events coded
//! that were not expected (extra), and lists the failing record ids.
//!
//! `<Config>` elements between records change the options (`require_dyad`,
//! `new_actor_length`, `comma_*`) for the records that follow, as in PETRARCH.

pub mod tabari;

use crate::error::DataError;
use crate::extract::patterns::{code_sentence, CodedEvent};
use crate::extract::tree::Tree;
use crate::knowledge::petrarch::{CodingOptions, Dictionaries, FileRole};
use crate::nlp::Pipeline;
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One expected event: source code, target code, event code.
pub type Triple = (String, String, String);

/// What a record expects.
#[derive(Debug, Clone, PartialEq)]
pub enum Expected {
    Events(Vec<Triple>),
    /// No event should be coded.
    NoEvents,
    /// The original coder reports an error on this record; no event should be coded.
    Error,
}

impl Expected {
    pub fn triples(&self) -> &[Triple] {
        match self {
            Expected::Events(e) => e,
            _ => &[],
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub id: String,
    pub category: String,
    pub date: Option<NaiveDate>,
    pub text: String,
    pub expected: Expected,
    /// Whether the suite counts this record (`valid="true"`, `evaluate="true"`).
    pub evaluate: bool,
    /// The options in force for this record.
    pub options: CodingOptions,
    /// The parse the suite ships, for diagnosis only.
    pub parse: Option<String>,
}

/// A validation suite: its dictionaries and records.
#[derive(Debug, Clone, Default)]
pub struct Suite {
    pub path: PathBuf,
    /// Dictionary files named by the suite, resolved against its folder.
    pub files: Vec<(FileRole, PathBuf)>,
    pub records: Vec<Record>,
    /// Options or constructs the suite uses that geokg does not.
    pub notes: Vec<String>,
}

impl Suite {
    /// Reads a suite: PETRARCH XML (`.xml`) or TABARI text (anything else).
    pub fn load(path: &Path) -> Result<Suite, DataError> {
        if path.extension().and_then(|e| e.to_str()) == Some("xml") {
            let text = crate::knowledge::petrarch::read_text(path)?;
            Suite::parse_petrarch(&text, path)
        } else {
            tabari::load(path)
        }
    }

    /// Reads PETRARCH validation XML. The files are read leniently (UniversalPetrarch's
    /// holds `<PLEvent {...}>` lines that are not XML), so this is a small scanner of its
    /// own rather than an XML parser.
    pub fn parse_petrarch(text: &str, path: &Path) -> Result<Suite, DataError> {
        let dir = path.parent().unwrap_or(Path::new("."));
        let mut suite = Suite {
            path: path.to_path_buf(),
            ..Default::default()
        };
        let mut opts = CodingOptions::default();
        let mut include: Option<Vec<String>> = None;
        let mut cur: Option<Record> = None;
        let mut i = 0;
        let line_at = |pos: usize| text[..pos].bytes().filter(|&b| b == b'\n').count() + 1;
        while let Some(off) = text[i..].find('<') {
            let at = i + off;
            let rest = &text[at..];
            if rest.starts_with("<!--") {
                i = match rest.find("-->") {
                    Some(e) => at + e + 3,
                    None => text.len(),
                };
                continue;
            }
            let Some(close) = rest.find('>') else { break };
            let tag = &rest[1..close];
            i = at + close + 1;
            let closing = tag.starts_with('/');
            let mut name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != '/' && *c != '>')
                .collect();
            if closing {
                name.insert(0, '/');
            }
            let inner_until = |end: &str| -> (String, usize) {
                match text[i..].find(end) {
                    Some(e) => (text[i..i + e].to_string(), i + e + end.len()),
                    None => (text[i..].to_string(), text.len()),
                }
            };
            match name.as_str() {
                // Only PETRARCH-2 suites name an internal coding ontology; PETRARCH-2
                // codes the longest agent of a phrase only, and negated verbs through it.
                "PICOfile" => {
                    opts.nested_agents = false;
                    let (v, next) = inner_until("</PICOfile>");
                    i = next;
                    let f = v.trim();
                    if !f.is_empty() {
                        suite.files.push((FileRole::CodingOntology, dir.join(f)));
                    }
                }
                "Verbfile" | "Actorfile" | "Agentfile" | "Discardfile" | "Issuefile" => {
                    let (v, next) = inner_until(&format!("</{name}>"));
                    i = next;
                    let role = match name.as_str() {
                        "Verbfile" => FileRole::Verbs,
                        "Actorfile" => FileRole::Actors,
                        "Agentfile" => FileRole::Agents,
                        "Discardfile" => FileRole::Discards,
                        _ => FileRole::Issues,
                    };
                    for f in v.split(',') {
                        let f = f.trim();
                        if !f.is_empty() {
                            suite.files.push((role, dir.join(f)));
                        }
                    }
                }
                "Include" => {
                    let (v, next) = inner_until("</Include>");
                    i = next;
                    include = Some(v.split_whitespace().map(str::to_string).collect());
                }
                "Config" => {
                    let a = attrs(tag);
                    let (o, v) = (get(&a, "option"), get(&a, "value"));
                    if !opts.set(&o, &v) {
                        let note = format!("option {o} = {v} not used by geokg");
                        if !suite.notes.contains(&note) {
                            suite.notes.push(note);
                        }
                    }
                }
                "Sentence" => {
                    let a = attrs(tag);
                    let valid = a
                        .iter()
                        .find(|(k, _)| k == "valid" || k == "evaluate")
                        .is_none_or(|(_, v)| v.eq_ignore_ascii_case("true"));
                    let category = get(&a, "category");
                    // PETRARCH's <Include> picks categories for its own runs; geokg
                    // counts every valid record and says which it would have left out.
                    let included = true;
                    if let Some(inc) = &include {
                        if !inc.iter().any(|c| c == &category) {
                            let note = format!("category {category} is not in <Include>; counted");
                            if !suite.notes.contains(&note) {
                                suite.notes.push(note);
                            }
                        }
                    }
                    let date_s = get(&a, "date");
                    cur = Some(Record {
                        id: get(&a, "id"),
                        category,
                        date: crate::knowledge::petrarch::parse_date(&date_s),
                        text: String::new(),
                        expected: Expected::NoEvents,
                        evaluate: valid && included,
                        options: opts.clone(),
                        parse: None,
                    });
                    if tag.trim_end().ends_with('/') {
                        // Self-closing start tag (seen in the wild): the record goes on
                        // until `</Sentence>` anyway.
                    }
                }
                "EventCoding" => {
                    let Some(r) = cur.as_mut() else {
                        return Err(DataError::malformed(
                            path,
                            Some(line_at(at)),
                            "<EventCoding> outside a <Sentence>",
                        ));
                    };
                    let a = attrs(tag);
                    if a.iter().any(|(k, _)| k == "noevents") {
                        if !matches!(r.expected, Expected::Events(_)) {
                            r.expected = Expected::NoEvents;
                        }
                    } else if a.iter().any(|(k, _)| k == "error") {
                        r.expected = Expected::Error;
                    } else {
                        let t = (
                            get(&a, "sourcecode"),
                            get(&a, "targetcode"),
                            get(&a, "eventcode"),
                        );
                        match &mut r.expected {
                            Expected::Events(v) => v.push(t),
                            other => *other = Expected::Events(vec![t]),
                        }
                    }
                }
                "Text" => {
                    let (v, next) = inner_until("</Text>");
                    i = next;
                    if let Some(r) = cur.as_mut() {
                        r.text = v.split_whitespace().collect::<Vec<_>>().join(" ");
                    }
                }
                "Parse" => {
                    let (v, next) = inner_until("</Parse>");
                    i = next;
                    if let Some(r) = cur.as_mut() {
                        r.parse = Some(v.trim().to_string());
                    }
                }
                "/Sentence" => {
                    if let Some(r) = cur.take() {
                        if r.id.is_empty() {
                            return Err(DataError::malformed(
                                path,
                                Some(line_at(at)),
                                "<Sentence> without an id",
                            ));
                        }
                        suite.records.push(r);
                    }
                }
                _ => {}
            }
        }
        if suite.records.is_empty() {
            return Err(DataError::malformed(path, None, "no <Sentence> records"));
        }
        Ok(suite)
    }

    /// The suite's dictionaries, from `dir` when given (file names as the suite names
    /// them), else from the suite's own folder.
    pub fn dictionaries(&self, dir: Option<&Path>) -> Result<Dictionaries, DataError> {
        let files: Vec<(FileRole, PathBuf)> = self
            .files
            .iter()
            .map(|(r, p)| match (dir, p.file_name()) {
                (Some(d), Some(n)) => (*r, d.join(n)),
                _ => (*r, p.clone()),
            })
            .collect();
        Dictionaries::from_files(&files)
    }
}

fn attrs(tag: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let b = tag.as_bytes();
    let mut i = 0;
    // Skip the element name.
    while i < b.len() && !b[i].is_ascii_whitespace() {
        i += 1;
    }
    while i < b.len() {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let ks = i;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'-') {
            i += 1;
        }
        let key = &tag[ks..i];
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if key.is_empty() {
            i += 1;
            continue;
        }
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                let vs = i + 1;
                let mut j = vs;
                while j < b.len() && b[j] != q {
                    j += 1;
                }
                out.push((key.to_string(), tag[vs..j.min(b.len())].to_string()));
                i = j + 1;
                continue;
            }
        }
        out.push((key.to_string(), String::new()));
    }
    out
}

fn get(a: &[(String, String)], k: &str) -> String {
    a.iter()
        .find(|(x, _)| x == k)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// Counts for one category (or the whole suite).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub records: usize,
    /// Records whose coded events are exactly the expected ones.
    pub records_right: usize,
    pub expected: usize,
    pub correct: usize,
    pub uncoded: usize,
    pub extra: usize,
}

impl Counts {
    fn add(&mut self, o: &Counts) {
        self.records += o.records;
        self.records_right += o.records_right;
        self.expected += o.expected;
        self.correct += o.correct;
        self.uncoded += o.uncoded;
        self.extra += o.extra;
    }
}

/// One record's outcome.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub id: String,
    pub category: String,
    pub expected: Vec<Triple>,
    pub coded: Vec<Triple>,
    /// How each coded event was coded (verb block, pattern and line).
    pub provenance: Vec<String>,
    pub right: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Report {
    pub suite: PathBuf,
    pub total: Counts,
    pub by_category: BTreeMap<String, Counts>,
    pub skipped: usize,
    pub outcomes: Vec<Outcome>,
}

impl Report {
    pub fn failing(&self) -> impl Iterator<Item = &Outcome> {
        self.outcomes.iter().filter(|o| !o.right)
    }

    /// Share of valid records coded exactly right.
    pub fn record_accuracy(&self) -> f64 {
        ratio(self.total.records_right, self.total.records)
    }

    /// Share of expected events found.
    pub fn recall(&self) -> f64 {
        ratio(self.total.correct, self.total.expected)
    }

    /// Extra events as a share of expected events.
    pub fn extra_rate(&self) -> f64 {
        ratio(self.total.extra, self.total.expected)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let t = &self.total;
        writeln!(
            f,
            "suite {}: {} records evaluated, {} skipped (marked invalid or not included)",
            self.suite.display(),
            t.records,
            self.skipped
        )?;
        writeln!(
            f,
            "records coded exactly right: {} of {} ({:.1}%)",
            t.records_right,
            t.records,
            100.0 * self.record_accuracy()
        )?;
        writeln!(
            f,
            "events: {} expected, {} correct ({:.1}%), {} uncoded, {} extra ({:.2}% of expected)",
            t.expected,
            t.correct,
            100.0 * self.recall(),
            t.uncoded,
            t.extra,
            100.0 * self.extra_rate()
        )?;
        writeln!(
            f,
            "{:<12} {:>7} {:>6} {:>8} {:>7} {:>7} {:>6}",
            "category", "records", "right", "expected", "correct", "uncoded", "extra"
        )?;
        for (c, n) in &self.by_category {
            writeln!(
                f,
                "{:<12} {:>7} {:>6} {:>8} {:>7} {:>7} {:>6}",
                c, n.records, n.records_right, n.expected, n.correct, n.uncoded, n.extra
            )?;
        }
        let failing: Vec<&str> = self.failing().map(|o| o.id.as_str()).collect();
        writeln!(
            f,
            "failing records ({}): {}",
            failing.len(),
            failing.join(" ")
        )
    }
}

fn fmt_triple(t: &Triple) -> String {
    format!("{} {} {}", t.0, t.1, t.2)
}

impl Outcome {
    /// Expected against coded, with provenance, for a failure listing.
    pub fn describe(&self) -> String {
        let e: Vec<String> = self.expected.iter().map(fmt_triple).collect();
        let c: Vec<String> = self.coded.iter().map(fmt_triple).collect();
        let mut s = format!(
            "{} [{}]\n  expected: {}\n  coded:    {}",
            self.id,
            self.category,
            if e.is_empty() {
                "(none)".into()
            } else {
                e.join(" | ")
            },
            if c.is_empty() {
                "(none)".into()
            } else {
                c.join(" | ")
            }
        );
        for p in &self.provenance {
            s.push_str("\n    by ");
            s.push_str(p);
        }
        s
    }
}

/// Codes one text with the dictionaries: every sentence, events in text order.
pub fn code_text(
    pipeline: &Pipeline,
    dict: &Dictionaries,
    text: &str,
    opts: &CodingOptions,
    date: Option<NaiveDate>,
) -> Vec<CodedEvent> {
    let doc = pipeline.analyze(text);
    let tree = Tree::new(&doc);
    let mut out = Vec::new();
    for s in &doc.sentences {
        out.extend(code_sentence(&tree, s.tokens.clone(), dict, opts, date));
    }
    out
}

/// geokg's own parse of a text, one token a line (index, word, UPOS, head, relation), so
/// a failure can be read against the parse the coder actually saw.
pub fn own_parse(pipeline: &Pipeline, text: &str) -> String {
    let doc = pipeline.analyze(text);
    let mut out = String::new();
    for (i, t) in doc.tokens.iter().enumerate() {
        let head = t.head.map_or_else(|| "-".to_string(), |h| h.to_string());
        out.push_str(&format!(
            "    {i:>3} {:<16} {:<6} {:>3} {}\n",
            doc.word(i),
            t.upos,
            head,
            t.deprel
        ));
    }
    out
}

/// Whether every bracket of a bracketed parse closes one opened before it, and all close.
pub fn brackets_balance(parse: &str) -> bool {
    let mut depth = 0usize;
    for c in parse.chars() {
        match c {
            '(' => depth += 1,
            ')' => match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => return false,
            },
            _ => {}
        }
    }
    depth == 0
}

/// Codes every record of a suite from its raw text and scores it.
pub fn run(suite: &Suite, dict: &Dictionaries, pipeline: &Pipeline) -> Report {
    use rayon::prelude::*;
    let outcomes: Vec<Option<Outcome>> = suite
        .records
        .par_iter()
        .map(|r| {
            if !r.evaluate {
                return None;
            }
            let events = if r.parse.as_deref().is_some_and(|p| !brackets_balance(p)) {
                Vec::new()
            } else {
                code_text(pipeline, dict, &r.text, &r.options, r.date)
            };
            let mut coded: Vec<Triple> = Vec::new();
            let mut provenance = Vec::new();
            for e in &events {
                let t = (
                    e.source.code.clone(),
                    e.target
                        .as_ref()
                        .map(|t| t.code.clone())
                        .unwrap_or_else(|| "---".into()),
                    e.code.clone(),
                );
                if !coded.contains(&t) {
                    provenance.push(format!("{}: {}", fmt_triple(&t), e.provenance()));
                    coded.push(t);
                }
            }
            // PETRARCH-2 writes an actor standing for several as `FRO/BIL/SAM`; geokg
            // codes one event per member, so expectations are expanded the same way.
            let mut expected: Vec<Triple> = Vec::new();
            for (s, t, c) in r.expected.triples() {
                for s1 in s.split('/') {
                    for t1 in t.split('/') {
                        let e = (s1.to_string(), t1.to_string(), c.clone());
                        if !expected.contains(&e) {
                            expected.push(e);
                        }
                    }
                }
            }
            let right = {
                let mut a = expected.clone();
                let mut b = coded.clone();
                a.sort();
                a.dedup();
                b.sort();
                a == b
            };
            Some(Outcome {
                id: r.id.clone(),
                category: r.category.clone(),
                expected,
                coded,
                provenance,
                right,
            })
        })
        .collect();
    let mut rep = Report {
        suite: suite.path.clone(),
        ..Default::default()
    };
    for o in outcomes {
        let Some(o) = o else {
            rep.skipped += 1;
            continue;
        };
        let correct = o.expected.iter().filter(|e| o.coded.contains(e)).count();
        let c = Counts {
            records: 1,
            records_right: usize::from(o.right),
            expected: o.expected.len(),
            correct,
            uncoded: o.expected.len() - correct,
            extra: o.coded.iter().filter(|c| !o.expected.contains(c)).count(),
        };
        rep.total.add(&c);
        rep.by_category
            .entry(o.category.clone())
            .or_default()
            .add(&c);
        rep.outcomes.push(o);
    }
    rep
}

/// A suite run: the suite as read, its report, and the dictionaries' warnings.
pub struct SuiteRun {
    pub suite: Suite,
    pub report: Report,
    pub warnings: Vec<crate::knowledge::petrarch::Warning>,
}

/// Reads a suite and its dictionaries (from `dictionaries`, else the suite's folder),
/// codes it and scores it.
pub fn run_path(
    path: &Path,
    dictionaries: Option<&Path>,
    pipeline: &Pipeline,
) -> Result<SuiteRun, DataError> {
    let suite = Suite::load(path)?;
    let mut dict = suite.dictionaries(dictionaries)?;
    let report = run(&suite, &dict, pipeline);
    let warnings = std::mem::take(&mut dict.warnings);
    Ok(SuiteRun {
        suite,
        report,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUITE: &str = r#"<Validation>
<!-- a made-up suite -->
<Environment>
    <Verbfile>v.txt</Verbfile>
    <Actorfile>a.txt</Actorfile>
    <Include>valid TEST</Include>
</Environment>
<Sentences>
<Sentence date="20010203" id="T-01" category="TEST" valid="true">
<EventCoding sourcecode="VAL" targetcode="NTH" eventcode="042"></EventCoding>
<EventCoding sourcecode='"THE HARBOUR GUILD"' targetcode="NTH" eventcode="042"></EventCoding>
<Text>
Valdoria visited
Northmark.
</Text>
<Parse>(ROOT (S (NP (NNP Valdoria))))</Parse>
</Sentence>
<Config option="require_dyad" value="FALSE"></Config>
<Sentence date="20010203" id="T-02" category="TEST" valid="false">
<EventCoding noevents = ""></EventCoding>
<Text>Nothing here.</Text>
</Sentence>
<PLEvent {"event": "042"}>
<Sentence category="OTHER" date="950101" id="T-03" evaluate="true" />
<EventCoding error="true" />
<Text>Skipped by Include.</Text>
</Sentence>
</Validation>"#;

    #[test]
    fn petrarch_suites_give_records_options_files_and_expectations() {
        let s = Suite::parse_petrarch(SUITE, Path::new("dir/suite.xml")).expect("parses");
        assert_eq!(s.files.len(), 2);
        assert_eq!(s.files[0].1, Path::new("dir/v.txt"));
        assert_eq!(s.records.len(), 3);
        let r = &s.records[0];
        assert_eq!(r.text, "Valdoria visited Northmark.");
        assert_eq!(r.expected.triples().len(), 2);
        assert_eq!(r.expected.triples()[1].0, "\"THE HARBOUR GUILD\"");
        assert!(r.evaluate && r.options.require_dyad);
        assert!(r.parse.is_some());
        assert!(!s.records[1].evaluate);
        assert!(!s.records[1].options.require_dyad, "Config applies onwards");
        assert_eq!(s.records[1].expected, Expected::NoEvents);
        assert!(s.records[2].evaluate, "every valid record counts");
        assert!(s.notes.iter().any(|n| n.contains("OTHER")));
        assert_eq!(s.records[2].expected, Expected::Error);
    }

    #[test]
    fn a_parse_with_unbalanced_brackets_is_malformed() {
        assert!(brackets_balance(
            "(ROOT (S (NP (NNP Valdoria)) (VP (VBD left))))"
        ));
        assert!(!brackets_balance(
            "(ROOT (S (NP (NNP Valdoria)) (VP (VBD left)))"
        ));
        assert!(!brackets_balance(
            "(ROOT (S (NP (NNP Valdoria))) (VP (VBD left))))"
        ));
        assert!(!brackets_balance(") ("));
    }
}
