//! Actor mentions: names from the gazetteer, titled people ("Mauritian Prime Minister Pravind
//! Jugnauth"), country words with role nouns ("Russian troops"), descriptions ("the US
//! leader"), and pronouns resolved against the discourse so far.

use super::tree::Tree;
use crate::knowledge::actors::{ActorId, Gazetteer, Gender, NameKind};
use crate::model::{Node, NodeKind};
use chrono::NaiveDate;
use std::collections::HashMap;

/// What a mention refers to.
#[derive(Debug, Clone, PartialEq)]
pub enum Referent {
    /// A gazetteer actor, optionally narrowed to a sector ("White House" -> the US government).
    Actor { id: ActorId, sector: Option<String> },
    /// An actor this document introduces (an unlisted titled person, a role group).
    Local(usize),
}

/// How the mention was found; pronouns and descriptions carry less confidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MentionKind {
    Name,
    Description,
    Pronoun,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// Token range (doc-level indices), end exclusive.
    pub start: usize,
    pub end: usize,
    /// The token through which the mention attaches to the parse.
    pub head: usize,
    pub referent: Referent,
    pub kind: MentionKind,
}

/// An actor introduced by the document itself.
#[derive(Debug, Clone)]
pub struct LocalActor {
    pub node: Node,
    pub gender: Option<Gender>,
}

/// Who has been mentioned so far, for pronouns and short names.
#[derive(Default)]
pub struct Discourse {
    pub locals: Vec<LocalActor>,
    local_index: HashMap<String, usize>,
    /// Person mentions in document order: (referent, was a subject, gender).
    persons: Vec<(Referent, bool, Option<Gender>)>,
}

const SUBJECT_RELS: [&str; 2] = ["nsubj", "nsubj:pass"];

impl Discourse {
    fn local(&mut self, node: Node, gender: Option<Gender>, keys: &[String]) -> usize {
        if let Some(&i) = self.local_index.get(&node.id) {
            return i;
        }
        let i = self.locals.len();
        self.local_index.insert(node.id.clone(), i);
        for k in keys {
            self.local_index.entry(k.clone()).or_insert(i);
        }
        self.locals.push(LocalActor { node, gender });
        i
    }

    pub fn node(&self, gaz: &Gazetteer, r: &Referent, date: Option<NaiveDate>) -> Node {
        match r {
            Referent::Actor { id, sector } => {
                let mut node = gaz.node(*id, date);
                if let (Some(sector), Some(country)) = (sector, node.country.clone()) {
                    if node.kind == NodeKind::Country {
                        node.actor_code = Some(format!("{country}{sector}"));
                    }
                }
                node
            }
            Referent::Local(i) => self.locals[*i].node.clone(),
        }
    }

    fn is_person(&self, gaz: &Gazetteer, r: &Referent) -> bool {
        match r {
            Referent::Actor { id, .. } => gaz.actor(*id).kind == NodeKind::Person,
            Referent::Local(i) => self.locals[*i].node.kind == NodeKind::Person,
        }
    }

    fn gender(&self, gaz: &Gazetteer, r: &Referent) -> Option<Gender> {
        match r {
            Referent::Actor { id, .. } => gaz.actor(*id).gender,
            Referent::Local(i) => self.locals[*i].gender,
        }
    }
}

/// A stable identifier from a name: "Pravind Jugnauth" -> "pravind-jugnauth".
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

fn is_capitalised_name(tree: &Tree, i: usize) -> bool {
    let w = tree.word(i);
    tree.upos(i) == "PROPN"
        && w.starts_with(char::is_uppercase)
        && w.chars().any(|c| c.is_lowercase())
}

/// The token of `start..end` whose head lies outside the range.
fn span_head(tree: &Tree, start: usize, end: usize) -> usize {
    (start..end)
        .find(|&t| tree.head(t).is_none_or(|h| h < start || h >= end))
        .unwrap_or(end.saturating_sub(1))
}

/// Finds the actor mentions of sentence tokens `range`, updating the discourse.
pub fn find(
    tree: &Tree,
    range: std::ops::Range<usize>,
    gaz: &Gazetteer,
    disc: &mut Discourse,
    date: Option<NaiveDate>,
) -> Vec<Mention> {
    let sent_words: Vec<&str> = range.clone().map(|i| tree.word(i)).collect();
    let sent_words = &sent_words[..];
    let base = range.start;
    let mut out: Vec<Mention> = Vec::new();
    let mut k = 0;
    while k < sent_words.len() {
        if let Some((m, used)) = named_at(tree, sent_words, base, k, gaz, disc, date) {
            out.push(m);
            k += used;
            continue;
        }
        k += 1;
    }
    // Pronouns and first-seen persons, in text order so that "he" sees earlier names.
    let mut all: Vec<Mention> = Vec::new();
    let mut named = out.into_iter().peekable();
    for i in range.clone() {
        while named.peek().is_some_and(|m| m.start <= i) {
            if let Some(m) = named.next() {
                note_person(tree, gaz, disc, &m);
                all.push(m);
            }
        }
        if all.iter().any(|m| m.start <= i && i < m.end) {
            continue;
        }
        if let Some(m) = pronoun(tree, i, range.clone(), gaz, disc, &all) {
            note_person(tree, gaz, disc, &m);
            // "his government", "her ministers": the person's country in that sector.
            if let Some(group) = possessed_group(tree, gaz, disc, &m, date) {
                all.push(group);
                continue;
            }
            all.push(m);
        }
    }
    for m in named {
        note_person(tree, gaz, disc, &m);
        all.push(m);
    }
    all
}

fn note_person(tree: &Tree, gaz: &Gazetteer, disc: &mut Discourse, m: &Mention) {
    if disc.is_person(gaz, &m.referent) {
        let subj = SUBJECT_RELS.contains(&tree.deprel(m.head));
        let g = disc.gender(gaz, &m.referent);
        disc.persons.push((m.referent.clone(), subj, g));
    }
}

/// A named or described actor starting at sentence position `k`; returns it and the tokens used.
fn named_at(
    tree: &Tree,
    words: &[&str],
    base: usize,
    k: usize,
    gaz: &Gazetteer,
    disc: &mut Discourse,
    date: Option<NaiveDate>,
) -> Option<(Mention, usize)> {
    let mk = |start: usize, end: usize, referent: Referent, kind: MentionKind| Mention {
        start: base + start,
        end: base + end,
        head: span_head(tree, base + start, base + end),
        referent,
        kind,
    };
    let first = gaz.longest_match(words, k);
    // A country word may open a longer phrase: "British Prime Minister Keir Starmer",
    // "the US leader", "Russian troops".
    // Regions work the same way: "Western elites", "European nations".
    let country_word = first.as_ref().and_then(|m| {
        let a = gaz.actor(m.actor);
        let modifier = matches!(
            m.how,
            NameKind::Adjective | NameKind::Demonym | NameKind::Name
        );
        let code = match (a.kind, &a.country) {
            (NodeKind::Country, Some(iso)) => iso.clone(),
            (NodeKind::Group, None) if a.key.starts_with("region-") => a.code.clone(),
            _ => return None,
        };
        modifier.then_some((m.len, code, m.actor))
    });
    // An organisation may open a titled name too: "NATO Secretary-General Mark Rutte".
    let org_title = first.as_ref().and_then(|m| {
        let after = k + m.len;
        let a = gaz.actor(m.actor);
        let titled = matches!(a.kind, NodeKind::Organisation | NodeKind::Group)
            && gaz.title_at(words, after).is_some();
        titled.then_some(after)
    });
    // A known person after a title: "[British] Prime Minister Keir Starmer".
    let titled_person = |from: usize| -> Option<(Mention, usize)> {
        let t = gaz.title_at(words, from)?;
        let after_title = from + t.len;
        let nm = gaz.longest_match(words, after_title)?;
        if gaz.actor(nm.actor).kind != NodeKind::Person {
            return None;
        }
        let end = after_title + nm.len;
        let referent = Referent::Actor {
            id: nm.actor,
            sector: None,
        };
        Some((mk(k, end, referent, MentionKind::Name), end - k))
    };
    if let Some(found) = org_title.and_then(titled_person) {
        return Some(found);
    }
    let (after_country, country, country_actor) = match &country_word {
        Some((len, code, id)) => (k + len, Some(code.clone()), Some(*id)),
        None => (k, None, None),
    };
    let is_region = country_actor.is_some_and(|id| gaz.actor(id).country.is_none());
    // A description: "the US leader", "the British prime minister". The leader nouns
    // (data/actors/leader_nouns.tsv) say which office each noun names; a title with no
    // leader noun ("the British defence minister") stays unresolved rather than guessed.
    if let (Some(iso), Some(ln)) = (&country, gaz.leader_noun(words, after_country)) {
        let prev = k.checked_sub(1).map(|p| words[p].to_lowercase());
        let plural = words[after_country + ln.len - 1].ends_with('s');
        let is_title = gaz.title_at(words, after_country).is_some()
            && words
                .get(after_country + ln.len)
                .is_some_and(|w| w.starts_with(char::is_uppercase));
        if prev.as_deref() == Some("the") && !plural && !is_title {
            let holder = match ln.kind {
                None => gaz.leader_of(iso, date),
                Some(kind) => gaz.holder_of(iso, kind, date),
            };
            if let Some(id) = holder {
                let end = after_country + ln.len;
                return Some((
                    mk(
                        k,
                        end,
                        Referent::Actor { id, sector: None },
                        MentionKind::Description,
                    ),
                    end - k,
                ));
            }
        }
    }
    if let Some(found) = titled_person(after_country) {
        return Some(found);
    }
    if let Some(t) = gaz.title_at(words, after_country) {
        let after_title = after_country + t.len;
        // Unlisted person after a title: capitalised proper nouns.
        let mut end = after_title;
        while end < words.len() && end - after_title < 4 && is_capitalised_name(tree, base + end) {
            end += 1;
        }
        if end > after_title {
            let name = words[after_title..end].join(" ");
            let code = country.as_ref().map(|c| format!("{c}{}", t.sector));
            let node = Node {
                id: slug(&name),
                label: name.clone(),
                kind: NodeKind::Person,
                actor_code: code,
                country: country.clone(),
                wikidata: None,
                role: Some(t.title.clone()),
                mention: None,
            };
            let surname = words[end - 1].to_string();
            let idx = disc.local(node, None, &[surname]);
            return Some((mk(k, end, Referent::Local(idx), MentionKind::Name), end - k));
        }
    }
    if let (Some(iso), Some(rn)) = (
        &country,
        words
            .get(after_country)
            .and_then(|w| gaz.role_noun(&w.to_lowercase())),
    ) {
        let country_label = country_actor
            .map(|id| gaz.actor(id).label.clone())
            .unwrap_or_else(|| iso.clone());
        // "European nations" are Europe itself; "Western elites" a group within the West;
        // "the latest European leader" is a person, not a region.
        let singular = !words[after_country].ends_with('s');
        if is_region && rn.sector == "GOV" && singular {
            return None;
        }
        if is_region && rn.sector == "GOV" {
            if let Some(id) = country_actor {
                let end = after_country + 1;
                return Some((
                    mk(
                        k,
                        end,
                        Referent::Actor { id, sector: None },
                        MentionKind::Name,
                    ),
                    end - k,
                ));
            }
        }
        let code = format!("{iso}{}", rn.sector);
        // A region has no canonical country name to build on: keep the adjective as written.
        let label = if is_region {
            format!(
                "{} {}",
                words[k..after_country].join(" "),
                words[after_country].to_lowercase()
            )
        } else {
            format!("{country_label} {}", rn.label)
        };
        let node = Node {
            id: format!("group-{}", code.to_lowercase()),
            label,
            kind: NodeKind::Group,
            actor_code: Some(code),
            country: (!is_region).then(|| iso.clone()),
            wikidata: None,
            role: None,
            mention: None,
        };
        let idx = disc.local(node, None, &[]);
        let end = after_country + 1;
        return Some((mk(k, end, Referent::Local(idx), MentionKind::Name), end - k));
    }
    if let Some(m) = first {
        let sector = match &m.how {
            NameKind::Metonym { sector } => {
                Some(sector.clone().unwrap_or_else(|| "GOV".to_string()))
            }
            _ => None,
        };
        let end = k + m.len;
        return Some((
            mk(
                k,
                end,
                Referent::Actor {
                    id: m.actor,
                    sector,
                },
                MentionKind::Name,
            ),
            m.len,
        ));
    }
    // A short name of a person this document introduced ("Jugnauth").
    if is_capitalised_name(tree, base + k) {
        if let Some(&idx) = disc.local_index.get(words[k]) {
            return Some((mk(k, k + 1, Referent::Local(idx), MentionKind::Name), 1));
        }
    }
    None
}

/// A possessive pronoun before a role noun stands for the possessor's country in that sector:
/// "Abiy said his government would not negotiate" -> the Ethiopian government.
fn possessed_group(
    tree: &Tree,
    gaz: &Gazetteer,
    disc: &mut Discourse,
    m: &Mention,
    date: Option<NaiveDate>,
) -> Option<Mention> {
    let i = m.start;
    if !matches!(tree.word(i).to_lowercase().as_str(), "his" | "her")
        || tree.deprel(i) != "nmod:poss"
    {
        return None;
    }
    let h = tree.head(i).filter(|&h| h == i + 1)?;
    let rn = gaz.role_noun(&tree.word(h).to_lowercase())?;
    let person = disc.node(gaz, &m.referent, date);
    let iso = person.country?;
    let country = gaz.country(&iso)?;
    let code = format!("{iso}{}", rn.sector);
    let node = Node {
        id: format!("group-{}", code.to_lowercase()),
        label: format!("{} {}", gaz.actor(country).label, rn.label),
        kind: NodeKind::Group,
        actor_code: Some(code),
        country: Some(iso),
        wikidata: None,
        role: None,
        mention: None,
    };
    let idx = disc.local(node, None, &[]);
    Some(Mention {
        start: i,
        end: h + 1,
        head: h,
        referent: Referent::Local(idx),
        kind: MentionKind::Pronoun,
    })
}

/// Resolves a third-person pronoun: the subject of a clause that governs it in the same
/// sentence, else the latest subject person of the discourse, else the latest person.
fn pronoun(
    tree: &Tree,
    i: usize,
    range: std::ops::Range<usize>,
    gaz: &Gazetteer,
    disc: &Discourse,
    sentence_mentions: &[Mention],
) -> Option<Mention> {
    if tree.upos(i) != "PRON" {
        return None;
    }
    let want = match tree.word(i).to_lowercase().as_str() {
        "he" | "him" | "his" | "himself" => Gender::Male,
        "she" | "her" | "hers" | "herself" => Gender::Female,
        _ => return None,
    };
    let fits = |g: &Option<Gender>| g.as_ref().is_none_or(|g| *g == want);
    // Same sentence: a person that is the subject of a clause above the pronoun.
    let mut anc = tree.head(i);
    let mut steps = 0;
    while let Some(a) = anc {
        if steps > 40 || !range.contains(&a) {
            break;
        }
        for m in sentence_mentions {
            if SUBJECT_RELS.contains(&tree.deprel(m.head))
                && tree.head(m.head) == Some(a)
                && disc.is_person(gaz, &m.referent)
                && fits(&disc.gender(gaz, &m.referent))
            {
                return Some(Mention {
                    start: i,
                    end: i + 1,
                    head: i,
                    referent: m.referent.clone(),
                    kind: MentionKind::Pronoun,
                });
            }
        }
        // Cataphora: "Asked whether he could ..., Trump said" — the subject of the main clause.
        for &c in tree.children(a) {
            if SUBJECT_RELS.contains(&tree.deprel(c)) && c > i {
                if let Some(m) = sentence_mentions.iter().find(|m| m.head == c) {
                    if disc.is_person(gaz, &m.referent) && fits(&disc.gender(gaz, &m.referent)) {
                        return Some(Mention {
                            start: i,
                            end: i + 1,
                            head: i,
                            referent: m.referent.clone(),
                            kind: MentionKind::Pronoun,
                        });
                    }
                }
            }
        }
        anc = tree.head(a);
        steps += 1;
    }
    let recent = disc.persons.iter().rev().take(12);
    let pick = recent
        .clone()
        .find(|(_, subj, g)| *subj && fits(g))
        .or_else(|| recent.clone().find(|(_, _, g)| fits(g)))?;
    Some(Mention {
        start: i,
        end: i + 1,
        head: i,
        referent: pick.0.clone(),
        kind: MentionKind::Pronoun,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_stable_identifiers() {
        assert_eq!(slug("Pravind Jugnauth"), "pravind-jugnauth");
        assert_eq!(slug("  Jean-Luc O'Neill "), "jean-luc-o-neill");
    }
}
