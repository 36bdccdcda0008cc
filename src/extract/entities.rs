//! Non-actor entities (agreements, weapons) as graph nodes, and the relations that tie them
//! to actors: "a minerals deal with Ukraine" -> (minerals deal, concerns, Ukraine).

use super::mentions::{slug, Mention, Referent};
use super::tree::Tree;
use crate::knowledge::entities::EntityLexicon;
use crate::model::{Node, NodeKind};

/// An entity mention in a sentence.
#[derive(Debug, Clone)]
pub struct EntityMention {
    pub token: usize,
    pub node: Node,
    /// Actors the entity concerns, with the token span of each mention.
    pub concerns: Vec<(Referent, (usize, usize))>,
}

/// Entities the document has introduced so far, for "the deal" / "such a compact".
#[derive(Default)]
pub struct EntityMemory {
    last_by_kind: Vec<(NodeKind, Node)>,
}

const CONCERNS_CASES: &[&str] = &["with", "between", "on", "for", "about", "over", "among"];

pub fn find(
    tree: &Tree,
    range: std::ops::Range<usize>,
    lexicon: &EntityLexicon,
    mentions: &[Mention],
    memory: &mut EntityMemory,
) -> Vec<EntityMention> {
    let mut out = Vec::new();
    let in_mention = |t: usize| mentions.iter().find(|m| m.start <= t && t < m.end);
    for n in range.clone() {
        if tree.upos(n) != "NOUN" {
            continue;
        }
        let Some(kind) = lexicon.kind(tree.lemma(n)) else {
            continue;
        };
        let det = tree
            .children_rel(n, "det")
            .next()
            .map(|d| tree.lemma(d).to_string());
        if matches!(det.as_deref(), Some("any" | "no" | "every" | "each")) {
            continue;
        }
        // Label: classifying modifiers in text order, then the noun's lemma.
        let mut parts: Vec<(usize, String)> = Vec::new();
        for &c in tree.children(n) {
            let rel = tree.deprel(c);
            if in_mention(c).is_some() {
                continue;
            }
            if rel == "compound" && !matches!(tree.upos(c), "PROPN" | "NUM") {
                // Keep the compound's own compounds: "rare earth minerals deal".
                for &cc in tree.children(c) {
                    if tree.deprel(cc) == "compound"
                        || (tree.deprel(cc) == "amod" && lexicon.keeps_modifier(tree.lemma(cc)))
                    {
                        parts.push((cc, tree.word(cc).to_lowercase()));
                    }
                }
                parts.push((c, tree.word(c).to_lowercase()));
            } else if rel == "amod" && lexicon.keeps_modifier(tree.lemma(c)) {
                parts.push((c, tree.word(c).to_lowercase()));
            }
        }
        parts.sort();
        let bare = parts.is_empty();
        let mut label: Vec<String> = parts.into_iter().map(|(_, w)| w).collect();
        label.push(tree.lemma(n).to_string());
        let label = label.join(" ");
        let node = if bare {
            // "the deal", "such a compact": the latest entity of that kind, else a new one.
            match memory.last_by_kind.iter().rev().find(|(k, _)| *k == kind) {
                Some((_, prev)) => prev.clone(),
                None => new_node(&label, kind),
            }
        } else {
            new_node(&label, kind)
        };
        memory.last_by_kind.retain(|(_, x)| x.id != node.id);
        memory.last_by_kind.push((kind, node.clone()));
        let mut concerns = Vec::new();
        for &c in tree.children(n) {
            if !matches!(tree.base_rel(c), "nmod" | "acl") {
                continue;
            }
            if !tree.case_of(c).is_some_and(|p| CONCERNS_CASES.contains(&p)) {
                continue;
            }
            for cj in tree.with_conjuncts(c) {
                if let Some(m) = mentions.iter().find(|m| m.head == cj) {
                    concerns.push((m.referent.clone(), (m.start, m.end)));
                }
            }
        }
        out.push(EntityMention {
            token: n,
            node,
            concerns,
        });
    }
    out
}

/// A node for a non-actor entity, identified by the slug of its label.
pub(super) fn new_node(label: &str, kind: NodeKind) -> Node {
    Node {
        id: slug(label),
        label: label.to_string(),
        kind,
        actor_code: None,
        country: None,
        wikidata: None,
        role: None,
        mention: None,
    }
}

/// Entities an event at `trigger` is about: entity nouns among the trigger's tokens or close
/// below it through objects and nominal modifiers.
pub fn linked_to<'e>(
    tree: &Tree,
    trigger_tokens: &[usize],
    entities: &'e [EntityMention],
) -> Vec<&'e EntityMention> {
    let mut out: Vec<&EntityMention> = Vec::new();
    for &t in trigger_tokens {
        let mut near: Vec<usize> = vec![t];
        near.extend(
            tree.descend(t, &["obj", "nmod", "obl"], 2)
                .into_iter()
                .map(|(c, _)| c),
        );
        for c in near {
            if let Some(e) = entities.iter().find(|e| e.token == c) {
                if !out.iter().any(|o| o.node.id == e.node.id) {
                    out.push(e);
                }
            }
        }
    }
    out
}
