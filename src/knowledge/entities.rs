//! The entity lexicon (`data/entities/entities.tsv`): nouns that name non-actor entities
//! (agreements, weapons, places) and the classifying adjectives kept in their labels.

use crate::error::DataError;
use crate::model::NodeKind;
use std::collections::{HashMap, HashSet};
use std::path::Path;

const BUNDLED: &str = include_str!("../../data/entities/entities.tsv");
const BUNDLED_NAME: &str = "data/entities/entities.tsv";

#[derive(Debug, Clone, Default)]
pub struct EntityLexicon {
    kinds: HashMap<String, NodeKind>,
    modifiers: HashSet<String>,
}

impl EntityLexicon {
    pub fn bundled() -> Result<Self, DataError> {
        Self::parse(BUNDLED, Path::new(BUNDLED_NAME))
    }

    pub fn load(path: &Path) -> Result<Self, DataError> {
        let text = std::fs::read_to_string(path).map_err(|e| DataError::io(path, e))?;
        Self::parse(&text, path)
    }

    fn parse(text: &str, file: &Path) -> Result<Self, DataError> {
        let mut lex = EntityLexicon::default();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim_end();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut cols = line.split('\t');
            let (Some(lemma), Some(kind), None) = (cols.next(), cols.next(), cols.next()) else {
                return Err(DataError::malformed(
                    file,
                    Some(n + 1),
                    "expected two TAB-separated columns: lemma, kind",
                ));
            };
            let lemma = lemma.trim().to_lowercase();
            let kind = match kind.trim() {
                "Agreement" => NodeKind::Agreement,
                "Weapon" => NodeKind::Weapon,
                "Place" => NodeKind::Place,
                "Thing" => NodeKind::Thing,
                "Modifier" => {
                    lex.modifiers.insert(lemma);
                    continue;
                }
                other => {
                    return Err(DataError::malformed(
                        file,
                        Some(n + 1),
                        format!("unknown kind {other:?}; expected Agreement, Weapon, Place, Thing or Modifier"),
                    ))
                }
            };
            lex.kinds.insert(lemma, kind);
        }
        Ok(lex)
    }

    /// The entity kind a noun lemma names, if any.
    pub fn kind(&self, lemma: &str) -> Option<NodeKind> {
        self.kinds.get(lemma).copied()
    }

    /// Whether an adjective belongs in an entity's label.
    pub fn keeps_modifier(&self, lemma: &str) -> bool {
        self.modifiers.contains(lemma)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_lexicon_knows_deals_and_weapons() {
        let lex = EntityLexicon::bundled().expect("bundled entity lexicon loads");
        assert_eq!(lex.kind("deal"), Some(NodeKind::Agreement));
        assert_eq!(lex.kind("missile"), Some(NodeKind::Weapon));
        assert_eq!(lex.kind("president"), None);
        assert!(lex.keeps_modifier("bilateral"));
        assert!(!lex.keeps_modifier("real"));
    }

    #[test]
    fn malformed_line_names_file_and_line() {
        let err = EntityLexicon::parse("# c\ndeal\tAgreement\ntank\tVehicle\n", Path::new("e.tsv"))
            .expect_err("unknown kind is an error");
        assert!(err.to_string().starts_with("e.tsv:3:"), "{err}");
    }
}
