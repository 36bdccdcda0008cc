//! Nouns that refer back to an event the document has told ("the accusation", "the
//! move"), with the CAMEO roots of the events each may stand for. The knowledge is
//! `data/lexicon/anaphora.tsv`; the extractor decides which earlier event a noun takes up.

use std::collections::HashMap;
use std::path::Path;

use crate::error::DataError;

const BUNDLED: &str = include_str!("../../data/lexicon/anaphora.tsv");
const BUNDLED_PATH: &str = "data/lexicon/anaphora.tsv";

/// What events a referring noun may stand for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Roots {
    Any,
    Some(Vec<String>),
}

impl Roots {
    pub fn allows(&self, root: &str) -> bool {
        match self {
            Roots::Any => true,
            Roots::Some(r) => r.iter().any(|x| x == root),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct EventAnaphora {
    nouns: HashMap<String, Roots>,
}

impl EventAnaphora {
    pub fn bundled() -> Result<Self, DataError> {
        Self::parse(BUNDLED, Path::new(BUNDLED_PATH))
    }

    pub fn load(path: &Path) -> Result<Self, DataError> {
        let text = std::fs::read_to_string(path).map_err(|e| DataError::io(path, e))?;
        Self::parse(&text, path)
    }

    /// `noun<TAB>roots` lines, roots comma-separated two-digit CAMEO roots or `*`.
    pub fn parse(text: &str, origin: &Path) -> Result<Self, DataError> {
        let mut nouns = HashMap::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let bad = |msg: String| DataError::malformed(origin, Some(n + 1), msg);
            let mut cols = line.split('\t').map(str::trim).filter(|c| !c.is_empty());
            let (Some(noun), Some(roots), None) = (cols.next(), cols.next(), cols.next()) else {
                return Err(bad("expected two TAB-separated columns: noun, roots".into()));
            };
            let roots = if roots == "*" {
                Roots::Any
            } else {
                let mut rs = Vec::new();
                for r in roots.split(',').map(str::trim) {
                    let ok = r.len() == 2
                        && r.chars().all(|c| c.is_ascii_digit())
                        && ("01"..="20").contains(&r);
                    if !ok {
                        return Err(bad(format!("{r:?} is not a CAMEO root (01 to 20)")));
                    }
                    rs.push(r.to_string());
                }
                Roots::Some(rs)
            };
            if nouns.insert(noun.to_lowercase(), roots).is_some() {
                return Err(bad(format!("noun {noun:?} listed twice")));
            }
        }
        Ok(EventAnaphora { nouns })
    }

    /// The roots a noun (word form or lemma, any case) may refer back to.
    pub fn roots(&self, noun: &str) -> Option<&Roots> {
        self.nouns.get(&noun.to_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_nouns_name_their_roots() {
        let a = EventAnaphora::bundled().unwrap();
        assert_eq!(a.roots("Decision"), Some(&Roots::Any));
        assert!(a
            .roots("accusation")
            .is_some_and(|r| r.allows("11") && !r.allows("19")));
        assert!(a.roots("table").is_none());
    }

    #[test]
    fn errors_name_file_and_line() {
        let e = EventAnaphora::parse("move\t*\nraid\t17,99\n", Path::new("a.tsv")).unwrap_err();
        assert!(e.to_string().contains("a.tsv:2"), "{e}");
        let e = EventAnaphora::parse("move\n", Path::new("a.tsv")).unwrap_err();
        assert!(e.to_string().contains("a.tsv:1"), "{e}");
    }
}
