//! The name index: every surface form of every actor in a trie over lower-cased tokens.
//!
//! With the Phoenix dictionaries converted there are about a hundred thousand forms, and
//! hundreds of them share a first token ("al", "National", "United"): a list per first
//! token would be scanned at every such word of every sentence. In the trie, finding the
//! longest name at a token costs one step per token of the text it covers.

use rustc_hash::FxHashMap;

use super::{normalize_into, token_matches, ActorId, NameKind};

/// One way to write a name, as tokens.
#[derive(Debug, Clone)]
pub(super) struct NameForm {
    /// The tokens joined by single spaces (a token holds none): one allocation per form,
    /// not one per token, for a hundred thousand forms.
    text: Box<str>,
    len: u32,
    pub actor: ActorId,
    pub how: NameKind,
}

impl NameForm {
    pub fn new(tokens: &[String], actor: ActorId, how: NameKind) -> Self {
        NameForm {
            text: tokens.join(" ").into(),
            len: tokens.len() as u32,
            actor,
            how,
        }
    }

    /// How many tokens the form covers.
    pub fn len(&self) -> usize {
        self.len as usize
    }

    pub fn tokens(&self) -> impl Iterator<Item = &str> {
        self.text.split(' ')
    }

    /// The tokens joined by spaces.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether `words` starts with this form, under the case rules of
    /// [`Gazetteer::longest_match`](super::Gazetteer::longest_match).
    fn matches(&self, words: &[&str]) -> bool {
        self.len() <= words.len()
            && self
                .tokens()
                .zip(words)
                .all(|(t, w)| token_matches(t, w, true))
    }
}

#[derive(Debug, Clone, Default)]
pub(super) struct NameIndex {
    /// Lower-cased token -> its number.
    tokens: FxHashMap<Box<str>, u32>,
    /// (node, token number) -> child node. Node 0 is the root.
    edges: FxHashMap<(u32, u32), u32>,
    /// Per node, the forms whose tokens end there, in precedence order (a name before a
    /// metonym before an adjective ...; the first added among equals).
    ends: Vec<Vec<u32>>,
    forms: Vec<NameForm>,
}

/// What to do when a node already holds forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Claim {
    /// Add beside them (geokg's own files: "US" is a name and an adjective).
    Share,
    /// Add only to an empty node: a converted form never shadows one already there.
    IfFree,
}

impl NameIndex {
    /// Adds a form; false when it was already there for this actor or `claim` refused.
    pub fn insert(&mut self, form: NameForm, claim: Claim) -> bool {
        if self.ends.is_empty() {
            self.ends.push(Vec::new());
        }
        let mut node = 0u32;
        let mut buf = String::new();
        for t in form.text.split(' ') {
            normalize_into(t, &mut buf);
            let next_token = self.tokens.len() as u32;
            let tid = match self.tokens.get(buf.as_str()) {
                Some(&id) => id,
                None => {
                    self.tokens.insert(buf.as_str().into(), next_token);
                    next_token
                }
            };
            let next_node = self.ends.len() as u32;
            node = *self.edges.entry((node, tid)).or_insert(next_node);
            if node == next_node {
                self.ends.push(Vec::new());
            }
        }
        if node == 0 {
            return false;
        }
        let here = &self.ends[node as usize];
        if claim == Claim::IfFree && !here.is_empty() {
            return false;
        }
        if here.iter().any(|&f| {
            let f = &self.forms[f as usize];
            f.actor == form.actor && f.text == form.text
        }) {
            return false;
        }
        let rank = form.how.precedence();
        let at = here
            .iter()
            .position(|&f| self.forms[f as usize].how.precedence() > rank)
            .unwrap_or(here.len());
        let id = self.forms.len() as u32;
        self.forms.push(form);
        self.ends[node as usize].insert(at, id);
        true
    }

    /// The longest form matching `words` from `i` under the case rules of
    /// [`tokens_match`]; among forms of one length, the first in precedence order.
    pub fn longest(&self, words: &[&str], i: usize) -> Option<&NameForm> {
        let mut node = 0u32;
        let mut best = None;
        let mut buf = String::new();
        for w in words.get(i..)? {
            normalize_into(w, &mut buf);
            let Some(&tid) = self.tokens.get(buf.as_str()) else {
                break;
            };
            let Some(&child) = self.edges.get(&(node, tid)) else {
                break;
            };
            node = child;
            let found = self.ends[node as usize]
                .iter()
                .map(|&f| &self.forms[f as usize])
                .find(|f| f.matches(&words[i..]));
            if found.is_some() {
                best = found;
            }
        }
        best
    }

    /// Every form, in the order added.
    pub fn forms(&self) -> impl Iterator<Item = &NameForm> {
        self.forms.iter()
    }
}
