//! Actor and agent dictionaries (PETRARCH `*.actors.txt`, `*.agents.txt`; TABARI
//! `.actors`, `.agents`).
//!
//! Actors: a name line, `+` synonym lines, and codes in brackets, on the name line or on
//! lines of their own, each optionally dated: `[HOBGOV 950601-990815]`, `[USAGOV >011222]`
//! (from), `[AFG <011222]` (until). Names written without a code take the codes that
//! follow (Phoenix writes an alias line before the entry that carries the code).
//!
//! Agents: `PHRASE {PLURALS} [~GOV]`. `~GOV` is appended to the actor the agent belongs
//! to ("Gondor's government" = `GONGOV`), `NGO~` stands before it; `{}` means the phrase
//! has no plural and `{X Y}` lists irregular ones, otherwise the regular English plural
//! is made. `!PERSON! = MAN, WOMEN` defines a substitution: `CONGRESS!PERSON!` is
//! `CONGRESSMAN` and `CONGRESSWOMEN`.

use super::{last_bracket, phrase, strip_comment, Dialect, Phrase, Warning, Word};
use crate::error::DataError;
use chrono::NaiveDate;
use std::collections::HashMap;
use std::path::Path;

/// A code valid between two dates (either open).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatedCode {
    pub code: String,
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
}

impl DatedCode {
    fn is_dated(&self) -> bool {
        self.from.is_some() || self.until.is_some()
    }

    fn in_force(&self, date: NaiveDate) -> bool {
        self.from.is_none_or(|f| date >= f) && self.until.is_none_or(|u| date <= u)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ActorEntry {
    /// The name first, then its synonyms.
    pub phrases: Vec<Phrase>,
    pub codes: Vec<DatedCode>,
    pub line: usize,
}

impl ActorEntry {
    /// The code in force on `date`: a dated code covering it, else the undated one.
    pub fn code_on(&self, date: Option<NaiveDate>) -> Option<&str> {
        if let Some(d) = date {
            if let Some(c) = self.codes.iter().find(|c| c.is_dated() && c.in_force(d)) {
                return Some(&c.code);
            }
        }
        self.codes
            .iter()
            .find(|c| !c.is_dated())
            .or_else(|| self.codes.first())
            .map(|c| c.code.as_str())
    }
}

/// Phrases indexed by their first word, for longest-match lookup.
#[derive(Debug, Default, Clone)]
struct PhraseIndex {
    /// First word -> (entry, phrase) pairs, longest phrase first.
    by_first: HashMap<String, Vec<(u32, u32)>>,
    /// Length of the shortest stem (non-exact first word) in the index.
    min_stem: usize,
}

impl PhraseIndex {
    fn build<'a>(phrases: impl Iterator<Item = (u32, u32, &'a Phrase)>) -> Self {
        let mut by_first: HashMap<String, Vec<(u32, u32, usize)>> = HashMap::new();
        let mut min_stem = usize::MAX;
        for (e, p, ph) in phrases {
            let Some(first) = ph.first() else { continue };
            if !first.exact {
                min_stem = min_stem.min(first.text.len().max(3));
            }
            by_first
                .entry(first.text.clone())
                .or_default()
                .push((e, p, ph.len()));
            // A hyphenated first word ("AL-QAEDA") is also looked up by its first part,
            // for text whose tokenizer split it ("Al", "-", "Qaeda").
            if let Some((head, _)) = first.text.split_once('-') {
                if !head.is_empty() {
                    by_first
                        .entry(head.to_string())
                        .or_default()
                        .push((e, p, ph.len()));
                }
            }
        }
        PhraseIndex {
            by_first: by_first
                .into_iter()
                .map(|(k, mut v)| {
                    v.sort_by_key(|x| std::cmp::Reverse(x.2));
                    (k, v.into_iter().map(|(e, p, _)| (e, p)).collect())
                })
                .collect(),
            min_stem,
        }
    }

    /// The longest phrase starting at `words[i]`: (entry, text words matched).
    fn longest<'p>(
        &self,
        words: &[&str],
        i: usize,
        phrase_of: impl Fn(u32, u32) -> &'p Phrase,
    ) -> Option<(u32, usize)> {
        let w = *words.get(i)?;
        // (entry, phrase length, text words matched): the longest phrase wins.
        let mut best: Option<(u32, usize, usize)> = None;
        let mut try_key = |key: &str| {
            let Some(cands) = self.by_first.get(key) else {
                return;
            };
            for &(e, p) in cands {
                let ph = phrase_of(e, p);
                if best.is_some_and(|(_, n, _)| n >= ph.len()) {
                    break;
                }
                if let Some(t) = phrase_matches(ph, &words[i..]) {
                    best = Some((e, ph.len(), t));
                    break;
                }
            }
        };
        try_key(w);
        // A word joined with `_` in the text ("Minas_Tirith") is looked up by its first part.
        if let Some((head, _)) = w.split_once('_') {
            if !head.is_empty() {
                try_key(head);
            }
        }
        if self.min_stem != usize::MAX {
            let mut end = w.len();
            while end > self.min_stem {
                end -= 1;
                while !w.is_char_boundary(end) {
                    end -= 1;
                }
                try_key(&w[..end]);
            }
        }
        best.map(|(e, _, t)| (e, t))
    }
}

/// How many text words the phrase matches at the start of `words`, if it does.
///
/// The dictionaries and a text's tokenizer may cut words differently: a text word joined
/// with `_` ("Minas_Tirith") stands for as many dictionary words, and a hyphenated
/// dictionary word ("AL-QAEDA") matches the pieces a tokenizer split it into ("Al", "-",
/// "Qaeda").
fn phrase_matches(ph: &Phrase, words: &[&str]) -> Option<usize> {
    let mut k = 0;
    let mut t = 0;
    while k < ph.len() {
        let p = &ph[k];
        let w = *words.get(t)?;
        let joined: Vec<&str> = w.split('_').filter(|x| !x.is_empty()).collect();
        if joined.len() > 1
            && k + joined.len() <= ph.len()
            && joined.iter().zip(&ph[k..]).all(|(x, q)| q.matches(x))
        {
            k += joined.len();
            t += 1;
            continue;
        }
        // A stem does not reach across a `_` join.
        if p.matches(w) && (joined.len() < 2 || p.text == w) {
            k += 1;
            t += 1;
            continue;
        }
        let parts: Vec<&str> = p.text.split('-').collect();
        if parts.len() > 1 && parts.iter().all(|x| !x.is_empty()) {
            let n = 2 * parts.len() - 1;
            let span = words.get(t..t + n)?;
            let last = parts.len() - 1;
            let ok = parts.iter().enumerate().all(|(j, x)| {
                span[2 * j] == *x || (j == last && !p.exact && span[2 * j].starts_with(x))
            }) && span.iter().skip(1).step_by(2).all(|d| *d == "-");
            if ok {
                k += 1;
                t += n;
                continue;
            }
        }
        return None;
    }
    Some(t)
}

#[derive(Debug, Default, Clone)]
pub struct ActorDictionary {
    pub entries: Vec<ActorEntry>,
    index: PhraseIndex,
}

impl ActorDictionary {
    pub fn load(path: &Path, warnings: &mut Vec<Warning>) -> Result<Self, DataError> {
        let text = super::read_text(path)?;
        let mut d = Self::parse(&text, path, Dialect::of(path), warnings)?;
        d.finish();
        Ok(d)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The longest actor name starting at word `i` of upper-case `words`: the entry and
    /// how many words it covers.
    pub fn longest_match(&self, words: &[&str], i: usize) -> Option<(&ActorEntry, usize)> {
        self.index
            .longest(words, i, |e, p| {
                &self.entries[e as usize].phrases[p as usize]
            })
            .map(|(e, n)| (&self.entries[e as usize], n))
    }

    pub(crate) fn merge(&mut self, other: ActorDictionary) {
        self.entries.extend(other.entries);
    }

    /// Builds the lookup index; call after the last merge.
    pub fn finish(&mut self) {
        self.index = PhraseIndex::build(self.entries.iter().enumerate().flat_map(|(e, a)| {
            a.phrases
                .iter()
                .enumerate()
                .map(move |(p, ph)| (e as u32, p as u32, ph))
        }));
    }

    pub fn parse(
        text: &str,
        origin: &Path,
        dialect: Dialect,
        warnings: &mut Vec<Warning>,
    ) -> Result<Self, DataError> {
        // Actor and agent files of both dialects use `#` and `;` comments.
        let marks: &[char] = &['#', ';'];
        let _ = dialect;
        let mut d = ActorDictionary::default();
        let mut cur: Option<ActorEntry> = None;
        let mut html = false;
        let flush = |cur: &mut Option<ActorEntry>, d: &mut ActorDictionary| {
            if let Some(e) = cur.take() {
                if !e.codes.is_empty() && !e.phrases.is_empty() {
                    d.entries.push(e);
                }
            }
        };
        for (k, raw) in text.lines().enumerate() {
            let line = k + 1;
            let t = raw.trim();
            if html {
                html = !t.contains("-->");
                continue;
            }
            if t.starts_with("<!--") {
                html = !t.contains("-->");
                continue;
            }
            let body = strip_comment(t, marks).trim();
            if body.is_empty() {
                continue;
            }
            if body.starts_with('[') {
                let Some(e) = cur.as_mut() else {
                    return Err(DataError::malformed(
                        origin,
                        Some(line),
                        "actor code before any actor name",
                    ));
                };
                e.codes.extend(codes(body, origin, line, warnings)?);
                continue;
            }
            if let Some(syn) = body.strip_prefix('+') {
                let Some(e) = cur.as_mut() else {
                    return Err(DataError::malformed(
                        origin,
                        Some(line),
                        "synonym before any actor name",
                    ));
                };
                let p = phrase(syn);
                if !p.is_empty() {
                    e.phrases.push(p);
                }
                continue;
            }
            // A name line, with or without codes.
            let (name, code_text) = match body.find('[') {
                Some(i) => (&body[..i], Some(&body[i..])),
                None => (body, None),
            };
            let p = phrase(name);
            if p.is_empty() {
                return Err(DataError::malformed(
                    origin,
                    Some(line),
                    format!("actor line without a name: {body}"),
                ));
            }
            match cur.as_mut() {
                // An alias line: names without codes gather until codes arrive.
                Some(e) if e.codes.is_empty() => e.phrases.push(p),
                _ => {
                    flush(&mut cur, &mut d);
                    cur = Some(ActorEntry {
                        phrases: vec![p],
                        codes: Vec::new(),
                        line,
                    });
                }
            }
            if let (Some(ct), Some(e)) = (code_text, cur.as_mut()) {
                e.codes.extend(codes(ct, origin, line, warnings)?);
            }
        }
        flush(&mut cur, &mut d);
        Ok(d)
    }
}

/// All `[CODE dates]` groups on a line.
fn codes(
    s: &str,
    origin: &Path,
    line: usize,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<DatedCode>, DataError> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(open) = rest.find('[') {
        let close = rest[open..].find(']').map(|j| open + j).ok_or_else(|| {
            DataError::malformed(origin, Some(line), "actor code `[` without `]`")
        })?;
        let inner = rest[open + 1..close].trim();
        rest = &rest[close + 1..];
        let mut parts = inner.splitn(2, char::is_whitespace);
        let code = parts.next().unwrap_or("").trim().to_string();
        if code.is_empty() {
            return Err(DataError::malformed(origin, Some(line), "empty actor code"));
        }
        let dates: String = parts
            .next()
            .unwrap_or("")
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let (mut from, mut until) = (None, None);
        if !dates.is_empty() {
            let bad = || Warning {
                file: origin.to_path_buf(),
                line,
                message: format!("date of code {code} not understood ({dates}); used undated"),
            };
            if let Some(d) = dates.strip_prefix('<') {
                until = super::parse_date(d);
                if until.is_none() {
                    warnings.push(bad());
                }
            } else if let Some(d) = dates.strip_prefix('>') {
                from = super::parse_date(d);
                if from.is_none() {
                    warnings.push(bad());
                }
            } else if let Some((a, b)) = dates.split_once('-') {
                from = super::parse_date(a);
                until = super::parse_date(b);
                if from.is_none() || until.is_none() {
                    warnings.push(bad());
                    from = None;
                    until = None;
                }
            } else {
                warnings.push(bad());
            }
        }
        out.push(DatedCode { code, from, until });
    }
    Ok(out)
}

/// Where an agent's code goes relative to its actor's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AgentCode {
    /// `[~GOV]`: after the actor code.
    Suffix(String),
    /// `[NGO~]`: before it.
    Prefix(String),
}

impl AgentCode {
    fn parse(s: &str) -> Option<AgentCode> {
        let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        if let Some(x) = s.strip_prefix('~') {
            Some(AgentCode::Suffix(x.to_string()))
        } else if let Some(x) = s.strip_suffix('~') {
            Some(AgentCode::Prefix(x.to_string()))
        } else if !s.is_empty() {
            Some(AgentCode::Suffix(s))
        } else {
            None
        }
    }

    /// The code of this agent of `actor` (none: the agent code alone).
    pub fn compose(&self, actor: Option<&str>) -> String {
        match (self, actor) {
            (AgentCode::Suffix(s), Some(a)) => {
                // A nested agent repeats what its longer phrase already said
                // ("foreign minister" is ~GOVFRM; "minister" inside it adds no ~GOV).
                if a.get(3..).is_some_and(|rest| rest.contains(s.as_str())) {
                    a.to_string()
                } else {
                    format!("{a}{s}")
                }
            }
            (AgentCode::Prefix(p), Some(a)) => format!("{p}{a}"),
            (AgentCode::Suffix(s) | AgentCode::Prefix(s), None) => s.clone(),
        }
    }

    pub fn code(&self) -> &str {
        match self {
            AgentCode::Suffix(s) | AgentCode::Prefix(s) => s,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct AgentEntry {
    /// The phrase and its plurals.
    pub phrases: Vec<Phrase>,
    pub code: AgentCode,
    pub line: usize,
}

#[derive(Debug, Default, Clone)]
pub struct AgentDictionary {
    pub entries: Vec<AgentEntry>,
    index: PhraseIndex,
}

impl AgentDictionary {
    pub fn load(path: &Path, warnings: &mut Vec<Warning>) -> Result<Self, DataError> {
        let text = super::read_text(path)?;
        let mut d = Self::parse(&text, path, Dialect::of(path), warnings)?;
        d.finish();
        Ok(d)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn longest_match(&self, words: &[&str], i: usize) -> Option<(&AgentEntry, usize)> {
        self.index
            .longest(words, i, |e, p| {
                &self.entries[e as usize].phrases[p as usize]
            })
            .map(|(e, n)| (&self.entries[e as usize], n))
    }

    pub(crate) fn merge(&mut self, other: AgentDictionary) {
        self.entries.extend(other.entries);
    }

    pub fn finish(&mut self) {
        self.index = PhraseIndex::build(self.entries.iter().enumerate().flat_map(|(e, a)| {
            a.phrases
                .iter()
                .enumerate()
                .map(move |(p, ph)| (e as u32, p as u32, ph))
        }));
    }

    pub fn parse(
        text: &str,
        origin: &Path,
        dialect: Dialect,
        _warnings: &mut Vec<Warning>,
    ) -> Result<Self, DataError> {
        let marks: &[char] = &['#', ';'];
        let mut d = AgentDictionary::default();
        let mut subst: HashMap<String, Vec<String>> = HashMap::new();
        let mut html = false;
        for (k, raw) in text.lines().enumerate() {
            let line = k + 1;
            let t = raw.trim();
            if html {
                html = !t.contains("-->");
                continue;
            }
            if t.starts_with("<!--") {
                html = !t.contains("-->");
                continue;
            }
            let body = strip_comment(t, marks).trim();
            if body.is_empty() {
                continue;
            }
            if body.starts_with('!') {
                if let Some((name, list)) = body.split_once('=') {
                    let name = name.trim().trim_matches('!').to_uppercase();
                    let words = list
                        .split(',')
                        .map(|w| w.trim().to_uppercase())
                        .filter(|w| !w.is_empty())
                        .collect();
                    subst.insert(name, words);
                    continue;
                }
            }
            let repaired;
            let (before, code) = match last_bracket(body) {
                Some(x) => x,
                // `[~ENV}`: a mistyped closing bracket, repaired and reported.
                None => match body.rfind('[') {
                    Some(i) if body.ends_with('}') => {
                        _warnings.push(Warning {
                            file: origin.to_path_buf(),
                            line,
                            message: format!("agent code closed by `}}`, read as `]`: {body}"),
                        });
                        repaired = body[i + 1..body.len() - 1].trim().to_string();
                        (&body[..i], repaired.as_str())
                    }
                    // A bare phrase codes nothing: reported and left out.
                    _ if !body.contains(['[', ']', '{', '}']) => {
                        _warnings.push(Warning {
                            file: origin.to_path_buf(),
                            line,
                            message: format!("agent without a [code] left out: {body}"),
                        });
                        continue;
                    }
                    _ => {
                        return Err(DataError::malformed(
                            origin,
                            Some(line),
                            format!("agent without a [code]: {body}"),
                        ))
                    }
                },
            };
            let Some(code) = AgentCode::parse(code) else {
                return Err(DataError::malformed(
                    origin,
                    Some(line),
                    "agent with an empty code",
                ));
            };
            let (name, plurals) = match before.find('{') {
                Some(i) => {
                    let close = before[i..].find('}').map(|j| i + j).ok_or_else(|| {
                        DataError::malformed(origin, Some(line), "plurals `{` without `}`")
                    })?;
                    (&before[..i], Some(&before[i + 1..close]))
                }
                None => (before, None),
            };
            let mut written: Vec<String> = expand(name.trim(), &subst);
            match plurals {
                Some(p) => {
                    for w in p.split_whitespace() {
                        written.extend(expand(w, &subst));
                    }
                }
                None if dialect == Dialect::Petrarch => {
                    let extra: Vec<String> = written.iter().map(|w| plural(w)).collect();
                    written.extend(extra);
                }
                None => {}
            }
            let mut phrases: Vec<Phrase> = Vec::new();
            let mut seen: std::collections::HashSet<Phrase> = std::collections::HashSet::new();
            for w in written {
                // Agents are whole words (their plurals are listed or made above):
                // "DIPLOMAT" is not "diplomatic".
                let mut p = phrase(&w);
                for word in &mut p {
                    word.exact = true;
                }
                if !p.is_empty() && seen.insert(p.clone()) {
                    phrases.push(p);
                }
            }
            if phrases.is_empty() {
                return Err(DataError::malformed(
                    origin,
                    Some(line),
                    "agent line without a phrase",
                ));
            }
            d.entries.push(AgentEntry {
                phrases,
                code,
                line,
            });
        }
        Ok(d)
    }
}

/// At most this many phrases come from one agent line's substitutions.
const MAX_EXPANSIONS: usize = 4096;

/// Expands `!NAME!` substitutions: one written phrase per substitute. A substitute is
/// taken as written (a `!` in it is not expanded again), and a line yields at most
/// [`MAX_EXPANSIONS`] phrases.
fn expand(s: &str, subst: &HashMap<String, Vec<String>>) -> Vec<String> {
    // The line as literal text and the substitute lists between, left to right.
    let mut literals: Vec<String> = Vec::new();
    let mut choices: Vec<&[String]> = Vec::new();
    let mut text = String::new();
    let mut rest = s;
    while let Some(a) = rest.find('!') {
        let Some(len) = rest[a + 1..].find('!') else {
            break;
        };
        let name = rest[a + 1..a + 1 + len].to_uppercase();
        match subst.get(&name) {
            Some(words) if !words.is_empty() => {
                text.push_str(&rest[..a]);
                literals.push(std::mem::take(&mut text));
                choices.push(words);
            }
            // An unknown name is read as its words.
            _ => {
                text.push_str(&rest[..a]);
                text.push_str(&rest[a + 1..a + 1 + len]);
            }
        }
        rest = &rest[a + 2 + len..];
    }
    text.push_str(&rest.replace('!', ""));
    literals.push(text);
    // Every choice of substitutes, the first ones first, up to the bound.
    let mut out = Vec::new();
    let mut pick = vec![0usize; choices.len()];
    loop {
        let mut phrase = literals[0].clone();
        for (k, words) in choices.iter().enumerate() {
            phrase.push_str(&words[pick[k]]);
            phrase.push_str(&literals[k + 1]);
        }
        out.push(phrase);
        if out.len() == MAX_EXPANSIONS {
            return out;
        }
        // The next choice: the last substitute moves fastest.
        let mut k = choices.len();
        loop {
            if k == 0 {
                return out;
            }
            k -= 1;
            pick[k] += 1;
            if pick[k] < choices[k].len() {
                break;
            }
            pick[k] = 0;
        }
    }
}

/// The regular English plural of a phrase's last word.
fn plural(s: &str) -> String {
    let trimmed = s.trim_end_matches('_');
    let u = trimmed.to_uppercase();
    let p = if u.ends_with('Y')
        && !u.ends_with("AY")
        && !u.ends_with("EY")
        && !u.ends_with("OY")
        && !u.ends_with("UY")
    {
        format!("{}IES", &trimmed[..trimmed.len() - 1])
    } else if u.ends_with('S') || u.ends_with('X') || u.ends_with("CH") || u.ends_with("SH") {
        format!("{trimmed}ES")
    } else {
        format!("{trimmed}S")
    };
    if s.ends_with('_') {
        format!("{p}_")
    } else {
        p
    }
}

impl Word {
    /// A word that matches only itself.
    pub fn exact(text: &str) -> Word {
        Word {
            text: text.to_uppercase(),
            exact: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actors(text: &str) -> (ActorDictionary, Vec<Warning>) {
        let mut w = Vec::new();
        let mut d = ActorDictionary::parse(text, Path::new("a.txt"), Dialect::Petrarch, &mut w)
            .expect("parses");
        d.finish();
        (d, w)
    }

    #[test]
    fn dated_roles_pick_the_code_in_force() {
        let (d, _) = actors(
            "WENDEL_STORM  # a made-up leader\n+W._STORM\n\t[VALREB <950601]\n\t[VALGOV 950602-990815]\n\t[VALIGO >990816]\n",
        );
        let e = &d.entries[0];
        let day = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd);
        assert_eq!(e.code_on(day(1994, 1, 1)), Some("VALREB"));
        assert_eq!(e.code_on(day(1997, 1, 1)), Some("VALGOV"));
        assert_eq!(e.code_on(day(2001, 1, 1)), Some("VALIGO"));
        let words = ["W.", "STORM", "SAID"];
        assert_eq!(d.longest_match(&words, 0).map(|(_, n)| n), Some(2));
    }

    #[test]
    fn longest_phrase_wins_and_stems_match_longer_words() {
        let (d, _) = actors("VALDORIA [VAL]\nVALDORIA_ROYAL_GUARD [VALMIL]\nNORTHLAN [NTH]\n");
        let w = ["VALDORIA", "ROYAL", "GUARD", "MARCHED"];
        let (e, n) = d.longest_match(&w, 0).expect("match");
        assert_eq!((e.code_on(None), n), (Some("VALMIL"), 3));
        let w = ["NORTHLANDERS"];
        assert_eq!(
            d.longest_match(&w, 0).and_then(|(e, _)| e.code_on(None)),
            Some("NTH")
        );
    }

    #[test]
    fn joined_and_hyphenated_words_match_however_the_text_was_cut() {
        let (d, _) = actors("HIGH_COUNCIL_OF_SUNDARA [SUN]\nRED-BANNER [SUNREB]\n");
        // One text word joined with `_` stands for several dictionary words.
        let w = ["HIGH", "COUNCIL", "OF", "SUNDARA_NORTH", "MET"];
        assert!(d.longest_match(&w, 0).is_none(), "a part left over");
        let w = ["HIGH", "COUNCIL", "OF_SUNDARA", "MET"];
        let (e, n) = d.longest_match(&w, 0).expect("joined word");
        assert_eq!((e.code_on(None), n), (Some("SUN"), 3));
        let w = ["HIGH_COUNCIL_OF_SUNDARA", "MET"];
        assert_eq!(d.longest_match(&w, 0).map(|(_, n)| n), Some(1));
        // A hyphenated dictionary word matches the pieces of a split one.
        let w = ["RED", "-", "BANNER", "FIGHTERS"];
        let (e, n) = d.longest_match(&w, 0).expect("split word");
        assert_eq!((e.code_on(None), n), (Some("SUNREB"), 3));
        assert!(d.longest_match(&["RED", "BANNER"], 0).is_none());
        assert!(d.longest_match(&["RED-BANNER"], 0).is_some());
    }

    #[test]
    fn alias_lines_without_codes_join_the_next_coded_entry() {
        let (d, _) = actors(
            "OCEANIC_LEAGUE_ [IGOOCL]\nO.L._\nLEAGUE_CHIEF\n+HEAD_OF_THE_LEAGUE\n\t[IGOOCL]\n",
        );
        assert_eq!(d.entries.len(), 2);
        assert_eq!(d.entries[1].phrases.len(), 3);
    }

    #[test]
    fn a_bad_date_is_a_warning_not_an_error() {
        let (d, w) = actors("KESTREL_ISLE\n\t[KES 2004017-20061201]\n");
        assert_eq!(d.entries[0].code_on(None), Some("KES"));
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].line, 2);
    }

    #[test]
    fn substitutes_are_not_expanded_again_and_expansions_are_bounded() {
        let mut subst = HashMap::new();
        subst.insert("LOOP".to_string(), vec!["!LOOP! AGAIN".to_string()]);
        assert_eq!(expand("!LOOP! GUARD", &subst), ["!LOOP! AGAIN GUARD"]);
        subst.insert("X".to_string(), (0..100).map(|k| k.to_string()).collect());
        assert_eq!(expand("!X! !X! !X!", &subst).len(), MAX_EXPANSIONS);
    }

    #[test]
    fn agents_make_plurals_substitute_and_compose_codes() {
        let mut w = Vec::new();
        let mut d = AgentDictionary::parse(
            "!PERSON! = MAN, WOMEN\nSENATE!PERSON! [~LEG]\nPOLICE {} [~COP]\nFERRY_CAPTAIN [~BUS]\nRELIEF_WORKER [NGO~]\n",
            Path::new("g.txt"),
            Dialect::Petrarch,
            &mut w,
        )
        .expect("parses");
        d.finish();
        assert!(d.longest_match(&["SENATEWOMEN"], 0).is_some());
        assert_eq!(d.entries[1].phrases.len(), 1, "no plural for {{}}");
        let (e, n) = d
            .longest_match(&["FERRY", "CAPTAINS"], 0)
            .expect("plural made");
        assert_eq!(n, 2);
        assert_eq!(e.code.compose(Some("VAL")), "VALBUS");
        let (e, _) = d.longest_match(&["RELIEF", "WORKER"], 0).expect("match");
        assert_eq!(e.code.compose(Some("VAL")), "NGOVAL");
        assert_eq!(plural("FERRY"), "FERRIES");
    }
}
