//! Readers for the event-coding community's dictionaries: PETRARCH-2 (CAMEO.2.0 verb
//! patterns, Phoenix actors, agents, discards, issues), PETRARCH-1 and TABARI (`.verbs`,
//! `.actors`, `.agents`, `.options`, `.project`).
//!
//! The files are read as they are published, so decades of hand-made political-science
//! knowledge can code geokg's parse without conversion. Entries a reader cannot make sense
//! of are errors naming file and line; constructs it recognises but does not use (TABARI
//! `<TIME>` blocks, option lines geokg ignores) become [`Warning`]s, so nothing is dropped
//! silently.
//!
//! Words are kept upper-case, as the dictionaries write them. A word ending in `_` matches
//! only itself; any other actor or agent word also matches the words it begins (the TABARI
//! stem convention: `ARGENTIN` matches "Argentina" and "Argentine"), and so does a TABARI
//! verb word (`RESTOR` is "restore" and "restored").
//!
//! Use [`Dictionaries::load_dir`] for a folder of PETRARCH-2 files (every `*.actors.txt`,
//! `*agents*`, `*discards*`, `*Issue*` and verb file found there), or
//! [`Dictionaries::from_files`] for the file names a validation suite names.

pub mod actors;
pub mod import;
pub mod lists;
pub mod ontology;
pub mod tabari;
pub mod verbs;

pub use actors::{ActorDictionary, ActorEntry, AgentCode, AgentDictionary, AgentEntry, DatedCode};
pub use lists::{Discards, IssueDictionary, IssuePhrase};
pub use ontology::CodingOntology;
pub use tabari::{TabariOptions, TabariProject};
pub use verbs::{
    Element, EventCode, Item, Pattern, Transformation, VerbBlock, VerbDictionary, VerbForm,
};

use crate::error::DataError;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// A construct a reader recognised but does not use, or an entry it repaired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub file: PathBuf,
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line, self.message)
    }
}

/// One dictionary word: upper-case text, and whether it must match whole (`ARNOR_`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Word {
    pub text: String,
    pub exact: bool,
}

impl Word {
    /// Whether the upper-case text word `w` is this dictionary word.
    pub fn matches(&self, w: &str) -> bool {
        if self.exact || self.text.len() < 3 {
            w == self.text
        } else {
            w.starts_with(self.text.as_str())
        }
    }
}

/// A multi-word phrase as the dictionaries write it: words joined by `_` or spaces.
pub type Phrase = Vec<Word>;

/// Splits `GOLDEN_GOBLIN_GALLEONS` or `PRESIDENT HOSNI MURBARAK` into words; a trailing
/// `_` marks the word before it as exact, and so does a `_` joining it to the next word
/// (a joined word is a whole word).
pub fn phrase(text: &str) -> Phrase {
    let mut out: Phrase = Vec::new();
    for chunk in text.split_whitespace() {
        let parts: Vec<&str> = chunk.split('_').collect();
        let n = parts.len();
        for (k, p) in parts.iter().enumerate() {
            if p.is_empty() {
                continue;
            }
            out.push(Word {
                text: p.to_uppercase(),
                exact: k + 1 < n,
            });
        }
    }
    out
}

/// Removes a trailing comment (`#` in PETRARCH files, `;` in TABARI files) from a line.
/// A mark inside brackets is a code (`[###]`), not a comment.
pub(crate) fn strip_comment<'a>(line: &'a str, marks: &[char]) -> &'a str {
    let mut depth = 0i32;
    for (i, c) in line.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            c if depth <= 0 && marks.contains(&c) => return &line[..i],
            _ => {}
        }
    }
    line
}

/// The text inside the last `[...]` of a line and the line before it.
pub(crate) fn last_bracket(line: &str) -> Option<(&str, &str)> {
    let open = line.rfind('[')?;
    let close = line[open..].find(']')? + open;
    Some((&line[..open], line[open + 1..close].trim()))
}

/// Which dialect a file is written in: comment marks and a few syntax differences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// PETRARCH-1 and PETRARCH-2 (`#` comments, `--- VERB [code] ---` blocks).
    Petrarch,
    /// TABARI (`;` comments, verbs start their own block).
    Tabari,
}

impl Dialect {
    pub(crate) fn comment_marks(self) -> &'static [char] {
        match self {
            Dialect::Petrarch => &['#'],
            Dialect::Tabari => &[';'],
        }
    }

    /// TABARI files are `.verbs`, `.actors`, `.agents`; anything else is PETRARCH.
    pub fn of(path: &Path) -> Dialect {
        match path.extension().and_then(|e| e.to_str()) {
            Some("verbs" | "actors" | "agents" | "options") => Dialect::Tabari,
            _ => Dialect::Petrarch,
        }
    }
}

/// Options that change how a sentence is coded (PETRARCH's `<Config>`, TABARI's options).
#[derive(Debug, Clone, PartialEq)]
pub struct CodingOptions {
    /// Code an event only when it has both a source and a target.
    pub require_dyad: bool,
    /// Longest unknown noun phrase (in words) coded as a new actor by its text; 0 = never.
    pub new_actor_length: usize,
    /// Comma-delimited clauses ignored for coding, by length in words (PETRARCH-1's
    /// `comma_*` options): internal clauses between two commas, the clause before the
    /// first comma, and the clause after the last. A maximum of 0 turns a kind off.
    pub comma: CommaClauses,
    /// Whether agents nested in a longer agent add their codes too, as PETRARCH-1 and
    /// TABARI do ("main opposition group": `~MOP` and `~OPP`), or only the longest
    /// counts, as PETRARCH-2 does.
    pub nested_agents: bool,
    /// TABARI's `DEFAULT: SOURCE [X]`: the source of an event whose source is not found.
    pub default_source: Option<String>,
    /// TABARI's `DEFAULT: TARGET [X]`: the target of an event whose target is not found.
    pub default_target: Option<String>,
}

/// Lengths (in words) of the comma-delimited clauses PETRARCH-1 leaves out of coding.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CommaClauses {
    pub min: usize,
    pub max: usize,
    pub bmin: usize,
    pub bmax: usize,
    pub emin: usize,
    pub emax: usize,
}

impl Default for CodingOptions {
    fn default() -> Self {
        CodingOptions {
            require_dyad: true,
            new_actor_length: 0,
            comma: CommaClauses::default(),
            nested_agents: true,
            default_source: None,
            default_target: None,
        }
    }
}

impl CodingOptions {
    /// Applies a TABARI `OPTION:` command (`DEFAULT: SOURCE [DEF] PRIOR TARGET [TGT]
    /// AFTER`, `DEFAULT: OFF`, `COMMA: MIN = 2 MAX = 10 ...`, `COMMA: OFF`); returns false
    /// for commands geokg does not use.
    pub fn tabari_command(&mut self, command: &str) -> bool {
        let Some((name, rest)) = command.split_once(':') else {
            return false;
        };
        let rest = rest.trim();
        match name.trim().to_ascii_uppercase().as_str() {
            "DEFAULT" => {
                if rest.eq_ignore_ascii_case("OFF") {
                    self.default_source = None;
                    self.default_target = None;
                    return true;
                }
                let code_after = |word: &str| -> Option<String> {
                    let at = rest.to_ascii_uppercase().find(word)? + word.len();
                    let open = rest[at..].find('[')? + at;
                    let close = rest[open..].find(']')? + open;
                    let code = rest[open + 1..close].trim();
                    (!code.is_empty()).then(|| code.to_string())
                };
                let (src, tgt) = (code_after("SOURCE"), code_after("TARGET"));
                if src.is_none() && tgt.is_none() {
                    return false;
                }
                self.default_source = src;
                self.default_target = tgt;
                true
            }
            "COMMA" => {
                if rest.eq_ignore_ascii_case("OFF") {
                    self.comma = CommaClauses::default();
                    return true;
                }
                let words: Vec<&str> = rest
                    .split(|c: char| c.is_whitespace() || c == '=')
                    .filter(|w| !w.is_empty())
                    .collect();
                let mut any = false;
                for pair in words.chunks(2) {
                    if let [k, v] = pair {
                        any |= self.set(&format!("comma_{k}"), v);
                    }
                }
                any
            }
            _ => false,
        }
    }

    /// Applies one `option = value` pair; returns false for options geokg does not use.
    pub fn set(&mut self, option: &str, value: &str) -> bool {
        match option.trim().to_ascii_lowercase().as_str() {
            "require_dyad" => {
                self.require_dyad = value.trim().eq_ignore_ascii_case("true");
                true
            }
            "new_actor_length" => match value.trim().parse() {
                Ok(n) => {
                    self.new_actor_length = n;
                    true
                }
                Err(_) => false,
            },
            o @ ("comma_min" | "comma_max" | "comma_bmin" | "comma_bmax" | "comma_emin"
            | "comma_emax") => {
                let Ok(n) = value.trim().parse::<usize>() else {
                    return false;
                };
                let c = &mut self.comma;
                let slot = match o {
                    "comma_min" => &mut c.min,
                    "comma_max" => &mut c.max,
                    "comma_bmin" => &mut c.bmin,
                    "comma_bmax" => &mut c.bmax,
                    "comma_emin" => &mut c.emin,
                    _ => &mut c.emax,
                };
                *slot = n;
                true
            }
            _ => false,
        }
    }
}

/// Everything the pattern coder reads.
#[derive(Debug, Default)]
pub struct Dictionaries {
    pub verbs: VerbDictionary,
    pub actors: ActorDictionary,
    pub agents: AgentDictionary,
    pub discards: Discards,
    pub issues: IssueDictionary,
    /// PETRARCH-2's internal coding ontology, when one is given: negated verbs are coded
    /// through it. Empty otherwise, and negation leaves the code as it is.
    pub ontology: CodingOntology,
    pub options: CodingOptions,
    pub warnings: Vec<Warning>,
}

/// Which reader a file goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileRole {
    Verbs,
    Actors,
    Agents,
    Discards,
    Issues,
    /// PETRARCH-2's internal coding ontology (UniversalPetrarch's `PICOfile`).
    CodingOntology,
}

enum Loaded {
    Verbs(VerbDictionary),
    Actors(ActorDictionary),
    Agents(AgentDictionary),
    Discards(Discards),
    Issues(IssueDictionary),
    Ontology(CodingOntology),
}

pub fn read_text(path: &Path) -> Result<String, DataError> {
    let bytes = std::fs::read(path).map_err(|e| DataError::io(path, e))?;
    // Some dictionaries carry Latin-1 names; read them byte for byte rather than fail.
    Ok(match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => e.into_bytes().iter().map(|&b| b as char).collect(),
    })
}

impl Dictionaries {
    /// Reads the given files in parallel, each by the reader its role names. Actor, agent
    /// and discard files add up; verb and issue files are merged in the order given.
    pub fn from_files(files: &[(FileRole, PathBuf)]) -> Result<Self, DataError> {
        let loaded: Vec<(Loaded, Vec<Warning>)> = files
            .par_iter()
            .map(
                |(role, path)| -> Result<(Loaded, Vec<Warning>), DataError> {
                    let text = read_text(path)?;
                    let dialect = Dialect::of(path);
                    let mut warnings = Vec::new();
                    let l = match role {
                        FileRole::Verbs => Loaded::Verbs(VerbDictionary::parse(
                            &text,
                            path,
                            dialect,
                            &mut warnings,
                        )?),
                        FileRole::Actors => Loaded::Actors(ActorDictionary::parse(
                            &text,
                            path,
                            dialect,
                            &mut warnings,
                        )?),
                        FileRole::Agents => Loaded::Agents(AgentDictionary::parse(
                            &text,
                            path,
                            dialect,
                            &mut warnings,
                        )?),
                        FileRole::Discards => {
                            Loaded::Discards(Discards::parse(&text, path, &mut warnings)?)
                        }
                        FileRole::Issues => {
                            Loaded::Issues(IssueDictionary::parse(&text, path, &mut warnings)?)
                        }
                        FileRole::CodingOntology => {
                            Loaded::Ontology(CodingOntology::parse(&text, path, &mut warnings)?)
                        }
                    };
                    Ok((l, warnings))
                },
            )
            .collect::<Result<_, _>>()?;
        let mut d = Dictionaries::default();
        for (l, w) in loaded {
            d.warnings.extend(w);
            match l {
                Loaded::Verbs(v) => d.verbs.merge(v),
                Loaded::Actors(a) => d.actors.merge(a),
                Loaded::Agents(a) => d.agents.merge(a),
                Loaded::Discards(x) => d.discards.merge(x),
                Loaded::Issues(x) => d.issues.merge(x),
                Loaded::Ontology(x) => d.ontology.merge(x),
            }
        }
        d.actors.finish();
        d.agents.finish();
        Ok(d)
    }

    /// Reads every dictionary in a folder of PETRARCH-2 / Phoenix files, recognising each
    /// by its name: `*.actors.txt` / `*.actors`, `*agents*`, `*discards*`, `*Issue*`,
    /// verb files (`CAMEO*`, `*verbs*`) and a coding ontology (`*Ontology*`).
    pub fn load_dir(dir: &Path) -> Result<Self, DataError> {
        let rd = std::fs::read_dir(dir).map_err(|e| DataError::io(dir, e))?;
        let mut files = Vec::new();
        for entry in rd {
            let entry = entry.map_err(|e| DataError::io(dir, e))?;
            let path = entry.path();
            if !path.is_file() {
                continue;
            }
            if let Some(role) = role_of(&path) {
                files.push((role, path));
            }
        }
        files.sort_by(|a, b| a.1.cmp(&b.1));
        // A folder holding operational dictionaries and a validation suite's small ones
        // (PETRARCH-2 ships both side by side) codes with the operational ones.
        let is_suite = |p: &PathBuf| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.to_ascii_lowercase().contains("validate"))
        };
        if files.iter().any(|(_, p)| !is_suite(p)) {
            files.retain(|(_, p)| !is_suite(p));
        }
        if files.is_empty() {
            return Err(DataError::malformed(
                dir,
                None,
                "no PETRARCH or TABARI dictionary files (verbs, actors, agents) in this folder",
            ));
        }
        Dictionaries::from_files(&files)
    }
}

/// The role a file plays, guessed from its name.
pub fn role_of(path: &Path) -> Option<FileRole> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    if !(name.ends_with(".txt")
        || name.ends_with(".verbs")
        || name.ends_with(".actors")
        || name.ends_with(".agents"))
    {
        return None;
    }
    if name.contains("ontology") {
        Some(FileRole::CodingOntology)
    } else if name.contains("actors") {
        Some(FileRole::Actors)
    } else if name.contains("agents") {
        Some(FileRole::Agents)
    } else if name.contains("discard") {
        Some(FileRole::Discards)
    } else if name.contains("issue") {
        Some(FileRole::Issues)
    } else if name.contains("verb") || name.starts_with("cameo") {
        Some(FileRole::Verbs)
    } else {
        None
    }
}

/// Parses a PETRARCH/TABARI date: `YYMMDD` (years before 30 are 20xx) or `YYYYMMDD`.
pub fn parse_date(s: &str) -> Option<chrono::NaiveDate> {
    let s = s.trim();
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (y, rest) = match s.len() {
        6 => {
            let yy: i32 = s[..2].parse().ok()?;
            (if yy < 30 { 2000 + yy } else { 1900 + yy }, &s[2..])
        }
        8 => (s[..4].parse().ok()?, &s[4..]),
        _ => return None,
    };
    let m: u32 = rest[..2].parse().ok()?;
    let d: u32 = rest[2..4].parse().ok()?;
    chrono::NaiveDate::from_ymd_opt(y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_split_on_underscores_and_spaces_and_mark_exact_words() {
        let p = phrase("MINAS_TIRITH_ city");
        assert_eq!(p.len(), 3);
        assert!(p[0].exact && p[1].exact && !p[2].exact);
        assert_eq!(p[2].text, "CITY");
    }

    #[test]
    fn stems_match_longer_words_but_exact_words_do_not() {
        let stem = Word {
            text: "ARGENTIN".into(),
            exact: false,
        };
        assert!(stem.matches("ARGENTINA"));
        let exact = Word {
            text: "ARNOR".into(),
            exact: true,
        };
        assert!(!exact.matches("ARNORIAN"));
    }

    #[test]
    fn comment_marks_inside_codes_are_codes() {
        assert_eq!(
            strip_comment("- * X  [###]  # note", &['#']),
            "- * X  [###]  "
        );
    }

    #[test]
    fn two_digit_years_before_thirty_are_this_century() {
        assert_eq!(
            parse_date("011222"),
            chrono::NaiveDate::from_ymd_opt(2001, 12, 22)
        );
        assert_eq!(
            parse_date("950601"),
            chrono::NaiveDate::from_ymd_opt(1995, 6, 1)
        );
        assert_eq!(parse_date("2004017"), None);
    }

    #[test]
    fn tabari_default_and_comma_commands_set_options() {
        let mut o = CodingOptions::default();
        assert!(o.tabari_command("DEFAULT: SOURCE [DEFSRC] PRIOR TARGET [DEFTAR] AFTER"));
        assert_eq!(o.default_source.as_deref(), Some("DEFSRC"));
        assert_eq!(o.default_target.as_deref(), Some("DEFTAR"));
        assert!(o.tabari_command("DEFAULT: OFF"));
        assert_eq!(o.default_source, None);
        assert!(o.tabari_command("DEFAULT: TARGET [XYZ]"));
        assert_eq!(
            (o.default_source.as_deref(), o.default_target.as_deref()),
            (None, Some("XYZ"))
        );
        assert!(o.tabari_command("COMMA: MIN = 2 MAX = 10 EMIN = 3 EMAX = 6"));
        assert_eq!(
            (o.comma.min, o.comma.max, o.comma.emin, o.comma.emax),
            (2, 10, 3, 6)
        );
        assert!(o.tabari_command("COMMA: OFF"));
        assert_eq!(o.comma, CommaClauses::default());
        assert!(
            !o.tabari_command("SET: CODE BY SENTENCE"),
            "not used: reported"
        );
        assert!(!o.tabari_command("DEFAULT: ON"), "no code given: reported");
    }

    #[test]
    fn config_options_parse_case_insensitively() {
        let mut o = CodingOptions::default();
        assert!(o.set("require_dyad", "FALSE"));
        assert!(!o.require_dyad);
        assert!(o.set("new_actor_length", "4"));
        assert_eq!(o.new_actor_length, 4);
        assert!(o.set("COMMA_MAX", "2"));
        assert_eq!(o.comma.max, 2);
        // Options geokg does not use are reported as such.
        assert!(!o.set("stop_on_error", "True"));
    }
}
