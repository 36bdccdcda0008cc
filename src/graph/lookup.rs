//! Finding an actor from what a user types ("trump", "Q22686", "USAGOV", "donald-trump").
//! A query that fits several actors is an error listing them: guessing would silently
//! answer a different question than the one asked.

use petgraph::graph::NodeIndex;
use serde::Serialize;

use super::{ActorGraph, ActorNode, ActorRef};

/// Why a query did not name exactly one actor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
pub enum LookupError {
    #[error("no actor matches {query:?}{}", listing("; did you mean", suggestions))]
    NotFound {
        query: String,
        suggestions: Vec<ActorRef>,
    },
    #[error("{query:?} matches several actors{}", listing(":", candidates))]
    Ambiguous {
        query: String,
        candidates: Vec<ActorRef>,
    },
}

fn listing(intro: &str, actors: &[ActorRef]) -> String {
    if actors.is_empty() {
        return String::new();
    }
    let names: Vec<String> = actors.iter().map(|a| a.to_string()).collect();
    format!("{intro} {}", names.join(", "))
}

/// How strongly a node fits a query; lookup answers from the strongest tier that matches.
fn tier(node: &ActorNode, q: &str) -> Option<u8> {
    let eq = |s: &Option<String>| s.as_deref().is_some_and(|s| s.eq_ignore_ascii_case(q));
    if node.id.eq_ignore_ascii_case(q) {
        return Some(0);
    }
    if node.label.to_lowercase() == q.to_lowercase() || eq(&node.wikidata) {
        return Some(1);
    }
    if eq(&node.actor_code) {
        return Some(2);
    }
    let q = q.to_lowercase();
    let tokens = |s: &str| -> bool {
        s.to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .any(|t| !t.is_empty() && t == q)
    };
    if tokens(&node.label) || tokens(&node.id) {
        return Some(3);
    }
    None
}

/// Levenshtein distance over characters, for "did you mean" suggestions.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

impl ActorGraph {
    /// The one actor `query` names: by id, label, Wikidata QID, CAMEO actor code or a word
    /// of the label (a surname), all case-insensitive, in that order of precedence.
    pub fn lookup(&self, query: &str) -> Result<NodeIndex, LookupError> {
        let q = query.trim();
        if let Some(ix) = self.node_index(q) {
            return Ok(ix);
        }
        let mut best: Option<u8> = None;
        let mut found: Vec<NodeIndex> = Vec::new();
        if !q.is_empty() {
            for ix in self.graph.node_indices() {
                let Some(t) = tier(&self.graph[ix], q) else {
                    continue;
                };
                match best {
                    Some(b) if t > b => {}
                    Some(b) if t == b => found.push(ix),
                    _ => {
                        best = Some(t);
                        found = vec![ix];
                    }
                }
            }
        }
        match found.as_slice() {
            [one] => Ok(*one),
            [] => Err(LookupError::NotFound {
                query: query.to_string(),
                suggestions: self.suggestions(q),
            }),
            many => {
                let mut candidates: Vec<ActorRef> =
                    many.iter().map(|&ix| self.actor_ref(ix)).collect();
                candidates.sort_by(|a, b| a.label.cmp(&b.label).then(a.id.cmp(&b.id)));
                Err(LookupError::Ambiguous {
                    query: query.to_string(),
                    candidates,
                })
            }
        }
    }

    /// Up to five actors whose label or id is within a few typos of the query or contains it.
    fn suggestions(&self, q: &str) -> Vec<ActorRef> {
        let q = q.to_lowercase();
        if q.is_empty() {
            return Vec::new();
        }
        let allowed = (q.chars().count() / 3).max(2);
        let mut scored: Vec<(usize, NodeIndex)> = self
            .graph
            .node_indices()
            .filter_map(|ix| {
                let n = &self.graph[ix];
                let label = n.label.to_lowercase();
                let id = n.id.to_lowercase();
                let distance = edit_distance(&q, &label).min(edit_distance(&q, &id));
                let words = label
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .map(|w| edit_distance(&q, w))
                    .min()
                    .unwrap_or(usize::MAX);
                let contains = q.chars().count() >= 3 && (label.contains(&q) || id.contains(&q));
                let d = if contains { 0 } else { distance.min(words) };
                (d <= allowed).then_some((d, ix))
            })
            .collect();
        scored.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then(self.graph[a.1].label.cmp(&self.graph[b.1].label))
        });
        scored
            .into_iter()
            .take(5)
            .map(|(_, ix)| self.actor_ref(ix))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_single_character_edits() {
        assert_eq!(edit_distance("zelensky", "zelenskyy"), 1);
        assert_eq!(edit_distance("putin", "putin"), 0);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
