//! The verb-pattern dictionaries: PETRARCH-2 `CAMEO.2.0.txt`, PETRARCH-1
//! `PETR.Validate.verbs.txt` / `CAMEO.verbpatterns.*.txt`, and TABARI `.verbs`.
//!
//! A dictionary is a list of verb blocks. A block names one meaning (`--- MEET [036] ---`),
//! lists the verbs that carry it (with irregular forms in braces and, for phrasal verbs,
//! the verb word marked by `+`: `+CALL_OFF`, `WIRE_+TAP`) and the patterns that refine it:
//! `- $ * (WITH +) [031]` reads "source, the verb, `with`, target: code 031". Pattern marks:
//! `*` the verb, `$` the source, `+` the target, `%` a compound actor standing for both,
//! `^` a skipped noun phrase, `&NAME` any phrase of a synonym set, `{A | B}` (TABARI) any
//! of the alternatives; words joined by `_` must be adjacent, words separated by spaces
//! may have others between them. PETRARCH-2's `( )` and `{ }` groups (prepositional and
//! noun phrases) are read as the word sequences they hold; a noun phrase's last word, its
//! head, directly follows the word before it.
//!
//! Codes: `[064]`; `[032:033]` adds the reversed event (target does 033 to source);
//! `[---]` a verb or pattern that codes nothing; `[###]`/`[+++]` discard the sentence.

use super::{last_bracket, strip_comment, Dialect, Warning};
use crate::error::DataError;
use std::collections::HashMap;
use std::path::Path;

/// A CAMEO code as a pattern gives it, with the reversed event of a paired code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventCode {
    pub code: String,
    /// The code of the event the target does to the source (`[032:033]`).
    pub paired: Option<String>,
}

impl EventCode {
    pub fn parse(s: &str) -> Option<EventCode> {
        let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        if s.is_empty() {
            return None;
        }
        Some(match s.split_once(':') {
            Some((a, b)) => EventCode {
                code: a.to_string(),
                paired: (!b.is_empty()).then(|| b.to_string()),
            },
            None => EventCode {
                code: s,
                paired: None,
            },
        })
    }

    /// `---`: the verb or pattern is known and codes no event.
    pub fn is_null(&self) -> bool {
        self.code == "---"
    }

    /// `###` / `+++`: the sentence is not coded at all.
    pub fn is_discard(&self) -> bool {
        self.code == "###" || self.code == "+++"
    }
}

/// One element of a pattern.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Word(super::Word),
    /// A synonym set, by name without `&`.
    Synset(String),
    /// TABARI's `{ A | B }`: any of these sequences.
    Alt(Vec<Vec<Element>>),
    Verb,
    Source,
    Target,
    Compound,
    Skip,
}

/// A pattern element and whether it must directly follow the element before it (`_`).
#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    pub item: Item,
    pub joined: bool,
    /// The first word of a PETRARCH-2 prepositional phrase `( ... )`: it matches a
    /// preposition only ("(TO) *" is "to" + noun phrase, not the infinitive's "to").
    pub preposition: bool,
}

/// One `- ... [code]` line.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    /// Elements before the verb, in text order.
    pub upper: Vec<Element>,
    /// Elements after the verb, in text order.
    pub lower: Vec<Element>,
    /// Whether the first lower element must directly follow the verb (`*_OUT`).
    pub lower_joined: bool,
    /// Whether the last upper element must directly precede the verb (`IN_*`).
    pub upper_joined: bool,
    pub code: EventCode,
    /// 1-based line in its file.
    pub line: usize,
    /// The pattern as written, without comment: the provenance of a coded event.
    pub text: String,
}

impl Pattern {
    /// How specific the pattern is: patterns naming more words are tried first.
    pub fn weight(&self) -> usize {
        fn w(e: &[Element]) -> usize {
            e.iter()
                .map(|e| match &e.item {
                    Item::Word(_) | Item::Synset(_) | Item::Alt(_) => 2,
                    Item::Source | Item::Target | Item::Compound => 1,
                    _ => 0,
                })
                .sum()
        }
        w(&self.upper) + w(&self.lower)
    }
}

/// A verb as a block lists it: its word, the words of its phrase around it, and its own code.
#[derive(Debug, Clone, PartialEq)]
pub struct VerbForm {
    pub block: usize,
    /// Words of the phrasal verb before the verb word (`WIRE` in `WIRE_+TAP`).
    pub pre: Vec<String>,
    /// Particles after the verb word (`OFF` in `+CALL_OFF`).
    pub post: Vec<String>,
    /// A code given on the verb's own line, overriding the block's.
    pub code: Option<EventCode>,
    pub line: usize,
}

/// `--- NAME [code] ---` and what follows it.
#[derive(Debug, Clone, PartialEq)]
pub struct VerbBlock {
    pub name: String,
    pub code: Option<EventCode>,
    /// Most specific first.
    pub patterns: Vec<Pattern>,
    pub line: usize,
}

/// `~ a (a b ATTACK) SAY = a b 015`: an event nested under a verb of saying or wanting
/// becomes another event. Read and kept; the coder applies the simple ones.
#[derive(Debug, Clone, PartialEq)]
pub struct Transformation {
    pub outer_verb: String,
    pub inner_verb: String,
    /// Variables of the outer source, inner source and inner target as written.
    pub vars: [String; 3],
    /// Result: source var, target var, code (a CAMEO code or `Q` for the inner code).
    pub result: [String; 3],
    pub line: usize,
}

#[derive(Debug, Default)]
pub struct VerbDictionary {
    pub blocks: Vec<VerbBlock>,
    /// Upper-case verb word (base and listed forms) to the verbs it may be.
    pub forms: HashMap<String, Vec<VerbForm>>,
    /// TABARI verb words are stems unless they end in `_`: `RESTOR` is also "restore" and
    /// "restored". The stems, for words no form names whole.
    pub stems: HashMap<String, Vec<VerbForm>>,
    /// Synonym sets by name (without `&`): each member a sequence of elements.
    pub synsets: HashMap<String, Vec<Vec<Element>>>,
    pub transformations: Vec<Transformation>,
    /// PETRARCH-2 grammar (patterns group phrases in `( )` and `{ }`): written for a
    /// parser that gives lemmas, so a pattern word also matches a word whose lemma it is
    /// ("EFFORT" matches "efforts"). PETRARCH-1 matches whole words only.
    pub match_lemmas: bool,
    /// TABARI's dictionaries: the coder reads compounds from the text, not the parse.
    pub tabari: bool,
}

impl VerbDictionary {
    pub fn load(path: &Path, warnings: &mut Vec<Warning>) -> Result<Self, DataError> {
        let text = super::read_text(path)?;
        Self::parse(&text, path, Dialect::of(path), warnings)
    }

    /// Total number of patterns over all blocks.
    pub fn pattern_count(&self) -> usize {
        self.blocks.iter().map(|b| b.patterns.len()).sum()
    }

    /// The verbs an upper-case word may be.
    pub fn verbs_for(&self, word: &str) -> &[VerbForm] {
        if let Some(f) = self.forms.get(word) {
            return f;
        }
        if self.stems.is_empty() {
            return &[];
        }
        // The longest stem the word begins with.
        (3..word.len())
            .rev()
            .filter(|&n| word.is_char_boundary(n))
            .find_map(|n| self.stems.get(&word[..n]))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    pub(crate) fn merge(&mut self, other: VerbDictionary) {
        let offset = self.blocks.len();
        self.blocks.extend(other.blocks);
        // Forms and stems point at blocks, which now follow this dictionary's own.
        let shifted = |into: &mut HashMap<String, Vec<VerbForm>>,
                       from: HashMap<String, Vec<VerbForm>>| {
            for (k, v) in from {
                into.entry(k)
                    .or_default()
                    .extend(v.into_iter().map(|mut f| {
                        f.block += offset;
                        f
                    }));
            }
        };
        shifted(&mut self.forms, other.forms);
        shifted(&mut self.stems, other.stems);
        self.synsets.extend(other.synsets);
        self.transformations.extend(other.transformations);
        self.match_lemmas |= other.match_lemmas;
        self.tabari |= other.tabari;
    }

    pub fn parse(
        text: &str,
        origin: &Path,
        dialect: Dialect,
        warnings: &mut Vec<Warning>,
    ) -> Result<Self, DataError> {
        let marks = dialect.comment_marks();
        let err = |line: usize, msg: String| DataError::malformed(origin, Some(line), msg);
        let mut warn = |line: usize, message: String| {
            warnings.push(Warning {
                file: origin.to_path_buf(),
                line,
                message,
            })
        };
        // Synonym-set names first: patterns may use a set defined further down, and a name
        // such as `&TIETYPES_RELATIONS` splits at the longest known set name.
        let mut names: Vec<String> = text
            .lines()
            .filter_map(|l| l.trim_start().strip_prefix('&'))
            .map(|l| strip_comment(l, marks).trim().to_uppercase())
            .filter(|n| !n.is_empty())
            .collect();
        names.sort_by_key(|n| std::cmp::Reverse(n.len()));
        let lexer = Lexer {
            names: &names,
            whole_words: dialect == Dialect::Petrarch,
        };

        let mut d = VerbDictionary {
            tabari: dialect == Dialect::Tabari,
            match_lemmas: dialect == Dialect::Petrarch
                && text.lines().any(|l| {
                    let body = strip_comment(l.trim(), marks);
                    body.starts_with('-')
                        && !body.starts_with("---")
                        && (body.contains('(') || (body.contains('{') && !body.contains('|')))
                }),
            ..Default::default()
        };
        let mut synset: Option<(String, usize)> = None;
        let mut synset_lines: HashMap<String, usize> = HashMap::new();
        let mut in_html_comment = false;
        let mut skip_section: Option<String> = None;
        let mut last_verb: Option<(String, usize)> = None;
        for (k, raw) in text.lines().enumerate() {
            let line_no = k + 1;
            if in_html_comment {
                if raw.contains("-->") {
                    in_html_comment = false;
                }
                continue;
            }
            let t = raw.trim();
            if t.starts_with("<!--") {
                in_html_comment = !t.contains("-->");
                continue;
            }
            if let Some(sec) = &skip_section {
                if t.eq_ignore_ascii_case(&format!("</{sec}>")) {
                    skip_section = None;
                }
                continue;
            }
            let body = strip_comment(t, marks).trim();
            if body.is_empty() {
                // A blank line ends a synonym set; a comment line does not.
                if t.is_empty() {
                    synset = None;
                }
                continue;
            }
            if body.starts_with('<') {
                let tag = body
                    .trim_matches(|c| c == '<' || c == '>')
                    .to_ascii_uppercase();
                match tag.as_str() {
                    "SYNSETS" | "/SYNSETS" => {}
                    "TIME" | "NOUN" | "ADJECTIVE" => {
                        warn(
                            line_no,
                            format!("<{tag}> section read past: geokg dates and tags words itself"),
                        );
                        skip_section = Some(tag);
                    }
                    _ => warn(line_no, format!("unknown section {body} ignored")),
                }
                continue;
            }
            if let Some(name) = body.strip_prefix('&') {
                let name = name.trim().to_uppercase();
                d.synsets.entry(name.clone()).or_default();
                synset_lines.entry(name.clone()).or_insert(line_no);
                synset = Some((name, line_no));
                continue;
            }
            if let (Some(member), Some((name, _))) = (body.strip_prefix('+'), &synset) {
                let member = member.trim();
                let elems = lexer
                    .lex(member)
                    .map_err(|m| err(line_no, format!("synonym &{name}: {m}")))?;
                if elems.is_empty() {
                    continue;
                }
                // PETRARCH adds the plural of each member ("ACCORD" also matches
                // "ACCORDS") unless the set's name or the member ends in `_`.
                let plural = (dialect == Dialect::Petrarch
                    && !name.ends_with('_')
                    && !member.ends_with('_'))
                .then(|| pluralized(&elems))
                .flatten();
                let set = d.synsets.entry(name.clone()).or_default();
                set.push(elems);
                set.extend(plural);
                continue;
            }
            synset = None;
            if body.starts_with("---") {
                let inner = body.trim_matches('-').trim();
                let (name, code) = match last_bracket(inner) {
                    Some((n, c)) => (n.trim(), EventCode::parse(c)),
                    None => (inner, None),
                };
                d.blocks.push(VerbBlock {
                    name: name.trim_end_matches('_').to_uppercase(),
                    code,
                    patterns: Vec::new(),
                    line: line_no,
                });
                continue;
            }
            if let Some(p) = body.strip_prefix('-') {
                // A pattern line.
                let Some((pat, code)) = last_bracket(p) else {
                    return Err(err(line_no, "pattern without a [code]".into()));
                };
                let Some(code) = EventCode::parse(code) else {
                    return Err(err(line_no, "pattern with an empty [code]".into()));
                };
                let elems = lexer
                    .lex(pat.trim())
                    .map_err(|m| err(line_no, format!("pattern: {m}")))?;
                let Some(star) = elems.iter().position(|e| e.item == Item::Verb) else {
                    warn(line_no, "pattern without `*` (the verb) ignored".into());
                    continue;
                };
                if d.blocks.is_empty() {
                    return Err(err(line_no, "pattern before any verb".into()));
                }
                let lower_joined = elems.get(star + 1).is_some_and(|e| e.joined);
                let upper_joined = elems[star].joined;
                let mut upper = elems;
                let mut lower = upper.split_off(star);
                lower.remove(0);
                let block = d.blocks.len() - 1;
                d.blocks[block].patterns.push(Pattern {
                    upper,
                    lower,
                    lower_joined,
                    upper_joined,
                    code,
                    line: line_no,
                    text: pat.trim().to_string(),
                });
                continue;
            }
            if let Some(tr) = body.strip_prefix('~') {
                match parse_transformation(tr, line_no) {
                    Some(t) => d.transformations.push(t),
                    None => warn(line_no, format!("transformation not understood: {body}")),
                }
                continue;
            }
            if body.starts_with('{') {
                // TABARI: irregular forms on the line after their verb.
                let Some((verb, block)) = last_verb.clone() else {
                    return Err(err(line_no, "verb forms before any verb".into()));
                };
                let inner = body.trim_matches(|c| c == '{' || c == '}');
                for f in inner.split_whitespace() {
                    add_form(&mut d.forms, f, block, None, line_no);
                }
                let _ = verb;
                continue;
            }
            // A verb line: WORD {FORMS} [CODE]
            let (rest, code) = match last_bracket(body) {
                Some((r, c)) => (r, EventCode::parse(c)),
                None => (body, None),
            };
            let (head, forms) = match rest.find('{') {
                Some(i) => {
                    let close = rest[i..].find('}').map(|j| i + j).ok_or_else(|| {
                        err(line_no, "verb forms `{` without a closing `}`".into())
                    })?;
                    (&rest[..i], Some(&rest[i + 1..close]))
                }
                None => (rest, None),
            };
            let head = head.trim();
            if head.split_whitespace().count() > 1 {
                warn(
                    line_no,
                    format!("verb line with several words read as a phrase: {head}"),
                );
            }
            if head.is_empty() {
                return Err(err(line_no, format!("line not understood: {body}")));
            }
            if dialect == Dialect::Tabari || d.blocks.is_empty() {
                d.blocks.push(VerbBlock {
                    name: head.replace('+', "").trim_end_matches('_').to_uppercase(),
                    code: code.clone(),
                    patterns: Vec::new(),
                    line: line_no,
                });
            }
            let block = d.blocks.len() - 1;
            let head_joined = head.split_whitespace().collect::<Vec<_>>().join("_");
            add_form(&mut d.forms, &head_joined, block, code.clone(), line_no);
            if dialect == Dialect::Tabari && !head.contains(['_', ' ', '+']) {
                add_form(&mut d.stems, head, block, code.clone(), line_no);
            }
            if let Some(forms) = forms {
                for f in forms.split_whitespace() {
                    add_form(&mut d.forms, f, block, code.clone(), line_no);
                }
            }
            last_verb = Some((head_joined, block));
        }
        // A set that holds itself, directly or through other sets, has no end.
        let mut names: Vec<&String> = d.synsets.keys().collect();
        names.sort();
        for name in names {
            if let Some(path) = synset_cycle(&d.synsets, name) {
                let line = synset_lines.get(name).copied().unwrap_or(0);
                return Err(err(
                    line,
                    format!("synonym set &{name} contains itself: {}", path.join(" > ")),
                ));
            }
        }
        for b in &mut d.blocks {
            b.patterns.sort_by_key(|p| std::cmp::Reverse(p.weight()));
        }
        Ok(d)
    }
}

/// The chain of sets by which `name` contains itself, if it does.
fn synset_cycle(sets: &HashMap<String, Vec<Vec<Element>>>, name: &str) -> Option<Vec<String>> {
    fn inner<'s>(
        sets: &'s HashMap<String, Vec<Vec<Element>>>,
        at: &'s str,
        start: &str,
        path: &mut Vec<&'s str>,
        seen: &mut std::collections::HashSet<&'s str>,
    ) -> bool {
        let Some(members) = sets.get(at) else {
            return false;
        };
        for e in members.iter().flatten() {
            let Item::Synset(next) = &e.item else {
                continue;
            };
            if next == start {
                path.push(next);
                return true;
            }
            // A set explored once leads back to the start no better a second time.
            if !seen.insert(next.as_str()) {
                continue;
            }
            path.push(next);
            if inner(sets, next, start, path, seen) {
                return true;
            }
            path.pop();
        }
        false
    }
    let mut path = vec![name];
    let mut seen = std::collections::HashSet::new();
    inner(sets, name, name, &mut path, &mut seen)
        .then(|| path.iter().map(|n| format!("&{n}")).collect())
}

/// Adds one written form (`BANNED`, `+CALL_OFF`, `WIRE_+TAP`) of the verb in `block`.
fn add_form(
    forms: &mut HashMap<String, Vec<VerbForm>>,
    written: &str,
    block: usize,
    code: Option<EventCode>,
    line: usize,
) {
    let parts: Vec<&str> = written.split('_').filter(|p| !p.is_empty()).collect();
    if parts.is_empty() {
        return;
    }
    let verb_at = parts.iter().position(|p| p.starts_with('+')).unwrap_or(0);
    let clean = |p: &str| p.trim_start_matches('+').to_uppercase();
    let verb = clean(parts[verb_at]);
    if verb.is_empty() {
        return;
    }
    let f = VerbForm {
        block,
        pre: parts[..verb_at].iter().map(|p| clean(p)).collect(),
        post: parts[verb_at + 1..].iter().map(|p| clean(p)).collect(),
        code,
        line,
    };
    let list = forms.entry(verb).or_default();
    if !list.contains(&f) {
        list.push(f);
    }
}

fn parse_transformation(s: &str, line: usize) -> Option<Transformation> {
    let (lhs, rhs) = s.split_once('=')?;
    let lhs = lhs.replace(['(', ')'], " ");
    let l: Vec<&str> = lhs.split_whitespace().collect();
    let r: Vec<&str> = rhs.split_whitespace().collect();
    if l.len() != 5 || r.len() != 3 {
        return None;
    }
    Some(Transformation {
        outer_verb: l[4].to_uppercase(),
        inner_verb: l[3].to_uppercase(),
        vars: [l[0].into(), l[1].into(), l[2].into()],
        result: [r[0].into(), r[1].into(), r[2].into()],
        line,
    })
}

/// A synonym-set member with its last word in the plural, as PETRARCH forms it:
/// `-Y` becomes `-IES`, a final `S` becomes `ES`, anything else takes `S`.
fn pluralized(member: &[Element]) -> Option<Vec<Element>> {
    let mut out = member.to_vec();
    let Some(Element {
        item: Item::Word(w),
        ..
    }) = out.last_mut()
    else {
        return None;
    };
    let t = &w.text;
    w.text = if let Some(stem) = t.strip_suffix('Y') {
        format!("{stem}IES")
    } else if let Some(stem) = t.strip_suffix('S') {
        format!("{stem}ES")
    } else {
        format!("{t}S")
    };
    Some(out)
}

/// Splits pattern text into elements; knows the synonym-set names.
struct Lexer<'n> {
    /// Longest first.
    names: &'n [String],
    /// PETRARCH matches pattern words whole ("EFFORT" is not "EFFORTS"); TABARI's words
    /// are stems unless they end in `_`.
    whole_words: bool,
}

impl Lexer<'_> {
    fn lex(&self, s: &str) -> Result<Vec<Element>, String> {
        let mut out: Vec<Element> = Vec::new();
        let b = s.as_bytes();
        let mut i = 0;
        let mut joined = false;
        let mut phrase_opens = false;
        // Where the PETRARCH-2 noun phrase `{...}` being read began in `out`.
        let mut noun_phrase: Option<usize> = None;
        while i < b.len() {
            let c = b[i] as char;
            // Only a word right after `(` opens the phrase.
            if !c.is_ascii_whitespace() && c != '(' && "*$+%^&{_)|".contains(c) {
                phrase_opens = false;
            }
            match c {
                c if c.is_ascii_whitespace() => {
                    joined = false;
                    i += 1;
                }
                '_' => {
                    let next = b.get(i + 1).map(|&x| x as char);
                    let ends = next.is_none_or(|n| n.is_ascii_whitespace() || n == ')' || n == '}');
                    if ends {
                        if let Some(Element {
                            item: Item::Word(w),
                            ..
                        }) = out.last_mut()
                        {
                            w.exact = true;
                        }
                        joined = false;
                    } else {
                        if let Some(Element {
                            item: Item::Word(w),
                            ..
                        }) = out.last_mut()
                        {
                            w.exact = true;
                        }
                        joined = true;
                    }
                    i += 1;
                }
                '(' => {
                    phrase_opens = true;
                    i += 1;
                    continue;
                }
                ')' => {
                    i += 1;
                }
                '}' => {
                    // A noun phrase ends in its head noun, which directly follows the
                    // modifier before it ("{&TIETYPES MEMOS}" is not "cultural secret
                    // memos"); earlier modifiers may stand further off ("{NEW &TIETYPES
                    // RELATIONS}" is "new global economic relations").
                    if let Some(start) = noun_phrase.take() {
                        if out.len() >= start + 2 {
                            if let Some(head) = out.last_mut() {
                                head.joined = true;
                            }
                        }
                    }
                    i += 1;
                }
                '{' => {
                    let close = s[i..]
                        .find('}')
                        .map(|j| i + j)
                        .ok_or_else(|| "`{` without `}`".to_string())?;
                    let inner = &s[i + 1..close];
                    if inner.contains('|') {
                        let alts = inner
                            .split('|')
                            .map(|a| self.lex(a.trim()))
                            .collect::<Result<Vec<_>, _>>()?;
                        out.push(Element {
                            item: Item::Alt(alts),
                            joined,
                            preposition: false,
                        });
                        joined = false;
                        i = close + 1;
                    } else {
                        // A PETRARCH-2 noun phrase: its words, in order.
                        noun_phrase = Some(out.len());
                        i += 1;
                    }
                }
                '*' | '$' | '+' | '%' | '^' => {
                    let item = match c {
                        '*' => Item::Verb,
                        '$' => Item::Source,
                        '+' => Item::Target,
                        '%' => Item::Compound,
                        _ => Item::Skip,
                    };
                    out.push(Element {
                        item,
                        joined,
                        preposition: false,
                    });
                    joined = false;
                    i += 1;
                }
                '&' => {
                    let rest = s[i + 1..].to_uppercase();
                    let name = self
                        .names
                        .iter()
                        .find(|n| {
                            rest.starts_with(n.as_str())
                                && rest[n.len()..]
                                    .chars()
                                    .next()
                                    .is_none_or(|c| !c.is_ascii_alphanumeric())
                        })
                        .cloned()
                        .or_else(|| {
                            let end = rest
                                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                                .unwrap_or(rest.len());
                            (end > 0).then(|| rest[..end].to_string())
                        })
                        .ok_or_else(|| "`&` without a set name".to_string())?;
                    i += 1 + name.len();
                    out.push(Element {
                        item: Item::Synset(name),
                        joined,
                        preposition: false,
                    });
                    joined = false;
                }
                _ => {
                    let start = i;
                    while i < b.len() {
                        let ch = b[i] as char;
                        if ch.is_ascii_whitespace() || "_(){}*$%^|&".contains(ch) {
                            break;
                        }
                        // `+` inside a word ("WIRE+TAP") is kept; as a word of its own it
                        // is the target.
                        i += 1;
                    }
                    if i == start {
                        return Err(format!("`{c}` is out of place here"));
                    }
                    let w = &s[start..i];
                    out.push(Element {
                        item: Item::Word(super::Word {
                            text: w.to_uppercase(),
                            exact: self.whole_words,
                        }),
                        joined,
                        preposition: std::mem::take(&mut phrase_opens),
                    });
                    joined = false;
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (VerbDictionary, Vec<Warning>) {
        let mut w = Vec::new();
        let d = VerbDictionary::parse(text, Path::new("t.txt"), Dialect::Petrarch, &mut w)
            .expect("parses");
        (d, w)
    }

    const SMALL: &str = "\
&TALKS
+NEGOTIATIONS
+PEACE_TALKS

--- HOLD [---] ---
HOLD {HELD HOLDING}
+CALL_OFF [160]
- * &TALKS (WITH +)    [043]  # talks with someone
- $ * RALLY                 [141]
- TALKS ONLY                [---]
";

    #[test]
    fn verb_block_lists_forms_particles_and_patterns() {
        let (d, w) = parse(SMALL);
        assert!(!w.is_empty(), "the star-less third pattern is reported");
        assert_eq!(d.blocks.len(), 1);
        assert_eq!(d.verbs_for("HELD")[0].block, 0);
        let call = &d.verbs_for("CALL")[0];
        assert_eq!(call.post, vec!["OFF".to_string()]);
        assert_eq!(call.code.as_ref().map(|c| c.code.as_str()), Some("160"));
        let pats = &d.blocks[0].patterns;
        assert_eq!(pats.len(), 2);
        // The synonym-set pattern is more specific and comes first.
        assert_eq!(pats[0].code.code, "043");
        assert_eq!(pats[0].lower[0].item, Item::Synset("TALKS".into()));
        assert_eq!(pats[0].lower[2].item, Item::Target);
        assert_eq!(pats[1].upper[0].item, Item::Source);
        // Each member and its plural.
        assert_eq!(d.synsets["TALKS"].len(), 4);
    }

    #[test]
    fn petrarch_synsets_add_plurals_and_pattern_words_are_whole_words() {
        let text = "&PACT\n+TREATY\n+ACCORD\n+TRUCE_\n\n&AUX_\n+HAS\n\n\
                    --- SIGN [---] ---\nSIGN\n- * &PACT [057]\n- * EFFORT [080]\n";
        let (d, _) = parse(text);
        let words = |set: &str| -> Vec<String> {
            d.synsets[set]
                .iter()
                .filter_map(|m| match &m[0].item {
                    Item::Word(w) => Some(w.text.clone()),
                    _ => None,
                })
                .collect()
        };
        assert_eq!(
            words("PACT"),
            ["TREATY", "TREATIES", "ACCORD", "ACCORDS", "TRUCE"]
        );
        // A set whose name ends in `_` takes no plurals.
        assert_eq!(words("AUX_"), ["HAS"]);
        let p = d.blocks[0]
            .patterns
            .iter()
            .find(|p| p.code.code == "080")
            .expect("pattern");
        assert!(matches!(&p.lower[0].item, Item::Word(w) if w.exact && !w.matches("EFFORTS")));
        assert!(
            !d.match_lemmas,
            "a PETRARCH-1 dictionary matches words as written"
        );
        let (d2, _) = parse("--- SIGN [---] ---\nSIGN\n- * (WITH +) EFFORT [080]\n");
        assert!(
            d2.match_lemmas,
            "a PETRARCH-2 dictionary (grouped patterns) matches lemmas"
        );
        // `(` opens a prepositional phrase: its first word must be a preposition.
        let p = &d2.blocks[0].patterns[0];
        assert!(p.lower[0].preposition && !p.lower[1].preposition);
        assert!(!p.lower[2].preposition, "EFFORT is outside the phrase");
    }

    #[test]
    fn a_noun_phrase_head_directly_follows_the_modifier_before_it() {
        let text = "&TIES\n+NAVAL\n\n--- DROP [---] ---\nDROP\n\
                    - * {FRESH &TIES PACTS} (WITH +) [161]\n";
        let (d, _) = parse(text);
        let p = &d.blocks[0].patterns[0];
        let joined: Vec<bool> = p.lower.iter().map(|e| e.joined).collect();
        // FRESH may stand apart from the synonym set; PACTS must follow it; the
        // prepositional phrase after the noun phrase is free again.
        assert_eq!(joined, [false, false, true, false, false]);
    }

    #[test]
    fn underscores_join_and_synset_names_split_at_the_longest_known_name() {
        let text = "&TIES\n+MILITARY\n\n--- CUT [---] ---\nCUT\n- * NEW_&TIES_RELATIONS [903]\n";
        let (d, _) = parse(text);
        let p = &d.blocks[0].patterns[0];
        assert_eq!(p.lower.len(), 3);
        assert_eq!(p.lower[1].item, Item::Synset("TIES".into()));
        assert!(p.lower[1].joined && p.lower[2].joined);
    }

    #[test]
    fn paired_and_null_codes() {
        let c = EventCode::parse("032:033").expect("code");
        assert_eq!(c.paired.as_deref(), Some("033"));
        assert!(EventCode::parse("---").is_some_and(|c| c.is_null()));
        assert!(EventCode::parse("###").is_some_and(|c| c.is_discard()));
    }

    #[test]
    fn a_pattern_without_code_is_an_error_naming_its_line() {
        let mut w = Vec::new();
        let e = VerbDictionary::parse(
            "--- X [010] ---\nX\n- * Y\n",
            Path::new("v.txt"),
            Dialect::Petrarch,
            &mut w,
        )
        .expect_err("malformed");
        assert!(e.to_string().contains("v.txt:3"), "{e}");
    }

    #[test]
    fn tabari_verbs_start_blocks_and_alternatives_are_choices() {
        let mut w = Vec::new();
        let d = VerbDictionary::parse(
            "<TIME>\nTOMORROW [+1]\n</TIME>\nSEND  [070] ;pas\n{ SENT_ }\n- * FOR { AID | HELP }  [072]\nRECALL [161]\n",
            Path::new("x.verbs"),
            Dialect::Tabari,
            &mut w,
        )
        .expect("parses");
        assert_eq!(d.blocks.len(), 2);
        assert_eq!(d.verbs_for("SENT")[0].block, 0);
        assert!(matches!(&d.blocks[0].patterns[0].lower[1].item, Item::Alt(a) if a.len() == 2));
        assert!(w.iter().any(|w| w.message.contains("TIME")));
    }

    #[test]
    fn tabari_verb_words_are_stems_unless_they_end_in_an_underscore() {
        let mut w = Vec::new();
        let d = VerbDictionary::parse(
            "MEND  [064]\nRENEW_  [050]\nMENDICANT_ [---]\n",
            Path::new("x.verbs"),
            Dialect::Tabari,
            &mut w,
        )
        .expect("parses");
        assert_eq!(d.verbs_for("MENDS")[0].block, 0);
        assert_eq!(d.verbs_for("MENDING")[0].block, 0);
        assert!(d.verbs_for("RENEWED").is_empty(), "RENEW_ is a whole word");
        assert_eq!(d.verbs_for("RENEW")[0].block, 1);
        // A whole word named in the dictionary wins over a stem it begins with.
        assert_eq!(d.verbs_for("MENDICANT")[0].block, 2);
        // PETRARCH verb words are whole words.
        let (p, _) = parse("--- MEND [064] ---\nMEND\n");
        assert!(p.verbs_for("MENDING").is_empty());
    }

    #[test]
    fn a_bar_outside_braces_is_an_error_naming_its_line() {
        let mut w = Vec::new();
        let e = VerbDictionary::parse(
            "--- MEND [064] ---\nMEND\n- * TIES | LINKS [064]\n",
            Path::new("v.txt"),
            Dialect::Petrarch,
            &mut w,
        )
        .expect_err("a stray bar");
        assert!(e.to_string().contains("v.txt:3"), "{e}");
    }

    #[test]
    fn non_ascii_pattern_words_are_read_whole() {
        // U+0720 is the bytes DC A0, and A0 alone would read as a no-break space.
        let (d, _) = parse("--- MEND [064] ---\nMEND\n- * \u{720}_TIES (WITH +) [064]\n");
        let p = &d.blocks[0].patterns[0];
        assert!(matches!(&p.lower[0].item, Item::Word(w) if w.text == "\u{720}"));
    }

    #[test]
    fn a_set_that_holds_itself_is_an_error_naming_its_line() {
        let mut w = Vec::new();
        let text = "&TIES\n+LINKS\n+&BONDS\n\n&BONDS\n+&TIES\n\n--- MEND [064] ---\nMEND\n";
        let e = VerbDictionary::parse(text, Path::new("v.txt"), Dialect::Petrarch, &mut w)
            .expect_err("a cycle");
        assert!(e.to_string().contains("v.txt:5"), "{e}");
        assert!(e.to_string().contains("&BONDS > &TIES > &BONDS"), "{e}");
        // Sets inside sets are fine when they end.
        let ok = "&TIES\n+LINKS\n\n&BONDS\n+&TIES\n\n--- MEND [064] ---\nMEND\n";
        assert!(VerbDictionary::parse(ok, Path::new("v.txt"), Dialect::Petrarch, &mut w).is_ok());
    }

    #[test]
    fn transformations_are_read() {
        let (d, _) = parse("~ a (a b ATTACK) SAY = a b 015\n");
        assert_eq!(d.transformations.len(), 1);
        assert_eq!(d.transformations[0].outer_verb, "SAY");
        assert_eq!(d.transformations[0].result[2], "015");
    }
}
