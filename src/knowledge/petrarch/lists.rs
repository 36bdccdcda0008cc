//! Discard lists and issue dictionaries.
//!
//! Discards: one phrase a line; a sentence holding one is not coded (sports results,
//! "years later"). A `+` before the phrase discards the whole story in PETRARCH; geokg
//! codes sentence by sentence, so it treats both the same and keeps the distinction.
//!
//! Issues (`Phoenix.IssueCoding.txt`): `<ISSUE CATEGORY="..." TYPE="...">` blocks of
//! `phrase [CODE]` lines; `~phrase` excludes a phrase that would otherwise match; `n:` and
//! `v:` mark a word as a noun or verb (any inflection), `+` joins a hyphenated or closed
//! compound ("pre+k" is "pre-k" or "prek"). A phrase without a code takes its block's
//! category.

use super::{phrase, strip_comment, Phrase, Warning};
use crate::error::DataError;
use std::collections::HashMap;
use std::path::Path;

#[derive(Debug, Default, Clone)]
pub struct Discards {
    /// (phrase, whether it discards the whole story).
    pub phrases: Vec<(Phrase, bool)>,
    by_first: HashMap<String, Vec<usize>>,
}

impl Discards {
    pub fn parse(
        text: &str,
        origin: &Path,
        _warnings: &mut Vec<Warning>,
    ) -> Result<Self, DataError> {
        let mut d = Discards::default();
        let mut html = false;
        for (k, raw) in text.lines().enumerate() {
            let t = raw.trim();
            if html {
                html = !t.contains("-->");
                continue;
            }
            if t.starts_with("<!--") {
                html = !t.contains("-->");
                continue;
            }
            let body = strip_comment(t, &['#', ';']).trim();
            if body.is_empty() {
                continue;
            }
            let (story, p) = match body.strip_prefix('+') {
                Some(p) => (true, p),
                None => (false, body),
            };
            let mut ph = phrase(p);
            if ph.is_empty() {
                return Err(DataError::malformed(
                    origin,
                    Some(k + 1),
                    "discard line without a phrase",
                ));
            }
            // Discards are whole words: "CHAMPION" does not discard "CHAMPIONED".
            if let Some(last) = ph.last_mut() {
                last.exact = true;
            }
            d.phrases.push((ph, story));
        }
        d.index();
        Ok(d)
    }

    fn index(&mut self) {
        self.by_first.clear();
        for (i, (p, _)) in self.phrases.iter().enumerate() {
            if let Some(f) = p.first() {
                self.by_first.entry(f.text.clone()).or_default().push(i);
            }
        }
    }

    pub(crate) fn merge(&mut self, other: Discards) {
        self.phrases.extend(other.phrases);
        self.index();
    }

    pub fn len(&self) -> usize {
        self.phrases.len()
    }

    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }

    /// The first discard phrase found in upper-case `words`, as written.
    pub fn find(&self, words: &[&str]) -> Option<String> {
        for i in 0..words.len() {
            let Some(cands) = self.by_first.get(words[i]) else {
                continue;
            };
            for &c in cands {
                let p = &self.phrases[c].0;
                if p.len() <= words.len() - i
                    && p.iter().zip(&words[i..]).all(|(a, w)| a.matches(w))
                {
                    return Some(
                        p.iter()
                            .map(|w| w.text.as_str())
                            .collect::<Vec<_>>()
                            .join(" "),
                    );
                }
            }
        }
        None
    }
}

/// One issue phrase.
#[derive(Debug, Clone, PartialEq)]
pub struct IssuePhrase {
    /// Lower-case words; `n:`/`v:` prefixes removed.
    pub words: Vec<String>,
    /// The issue code ("EARLY_CHILDHOOD_EDUCATION"); `None` for a `~` exclusion.
    pub code: Option<String>,
    pub category: String,
    pub line: usize,
}

#[derive(Debug, Default, Clone)]
pub struct IssueDictionary {
    pub phrases: Vec<IssuePhrase>,
}

impl IssueDictionary {
    pub fn parse(
        text: &str,
        origin: &Path,
        _warnings: &mut Vec<Warning>,
    ) -> Result<Self, DataError> {
        let mut d = IssueDictionary::default();
        let mut category = String::new();
        for (k, raw) in text.lines().enumerate() {
            let line = k + 1;
            let body = strip_comment(raw.trim(), &['#']).trim();
            if body.is_empty() {
                continue;
            }
            if body.starts_with("</ISSUE") {
                category.clear();
                continue;
            }
            if let Some(attrs) = body.strip_prefix("<ISSUE") {
                category = attrs
                    .split("CATEGORY=\"")
                    .nth(1)
                    .and_then(|s| s.split('"').next())
                    .unwrap_or("")
                    .to_string();
                continue;
            }
            let (neg, rest) = match body.strip_prefix('~') {
                Some(r) => (true, r),
                None => (false, body),
            };
            let (words, code) = match super::last_bracket(rest) {
                Some((w, c)) => (w, Some(c.to_string())),
                None if neg => (rest, None),
                // A phrase without a code inside a block codes as the block's category.
                None if !category.is_empty() => (rest, Some(category.clone())),
                None => {
                    return Err(DataError::malformed(
                        origin,
                        Some(line),
                        format!("issue phrase without a [CODE]: {body}"),
                    ))
                }
            };
            let words: Vec<String> = words
                .split_whitespace()
                .map(|w| {
                    w.trim_start_matches("n:")
                        .trim_start_matches("v:")
                        .replace("+n:", "+")
                        .to_lowercase()
                })
                .collect();
            if words.is_empty() {
                return Err(DataError::malformed(
                    origin,
                    Some(line),
                    "issue line without words",
                ));
            }
            d.phrases.push(IssuePhrase {
                words,
                code: if neg { None } else { code },
                category: category.clone(),
                line,
            });
        }
        Ok(d)
    }

    pub(crate) fn merge(&mut self, other: IssueDictionary) {
        self.phrases.extend(other.phrases);
    }

    pub fn len(&self) -> usize {
        self.phrases.len()
    }

    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discard_phrases_are_whole_words() {
        let mut w = Vec::new();
        let d = Discards::parse(
            "# sports\nDECADES LATER\n+GOLF_OPEN\n",
            Path::new("d.txt"),
            &mut w,
        )
        .expect("parses");
        assert_eq!(
            d.find(&["THEY", "MET", "DECADES", "LATER"]).as_deref(),
            Some("DECADES LATER")
        );
        assert!(d.phrases[1].1, "story-level discard");
        assert_eq!(d.find(&["GOLF", "OPENS"]), None);
    }

    #[test]
    fn issues_keep_categories_and_exclusions() {
        let mut w = Vec::new();
        let d = IssueDictionary::parse(
            "<ISSUE CATEGORY=\"WATER\" TYPE=\"ALL\">\nn:well [WELLS]\n~oil well\n</ISSUE>\n",
            Path::new("i.txt"),
            &mut w,
        )
        .expect("parses");
        assert_eq!(d.len(), 2);
        assert_eq!(d.phrases[0].category, "WATER");
        assert_eq!(d.phrases[0].words, vec!["well".to_string()]);
        assert_eq!(d.phrases[1].code, None);
    }
}
