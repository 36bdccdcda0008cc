//! Actor mentions: names from the gazetteer, titled people ("Mauritian Prime Minister Pravind
//! Jugnauth"), country words with role nouns ("Russian troops"), descriptions ("the US
//! leader"), and pronouns resolved against the discourse so far.

use super::places::DocPlaces;
use super::tree::Tree;
use crate::knowledge::actors::{ActorId, Gazetteer, Gender, NameKind, RoleNoun};
use crate::knowledge::places::Places;
use crate::model::{Node, NodeKind};
use crate::nlp::pipeline::Known;
use chrono::NaiveDate;
use std::collections::HashMap;

/// What a mention refers to.
#[derive(Debug, Clone, PartialEq)]
pub enum Referent {
    /// A gazetteer actor, optionally narrowed to a sector ("White House" -> the US government).
    Actor { id: ActorId, sector: Option<String> },
    /// An actor this document introduces (an unlisted titled person, a role group).
    Local(usize),
    /// A group or office whose country the phrase does not say ("gunmen", "the prime
    /// minister"): settled from the context before [`find`] returns, never seen outside.
    Pending(Unplaced),
}

/// A mention waiting for its country from the context.
#[derive(Debug, Clone, PartialEq)]
pub enum Unplaced {
    /// A role-noun group: its sector, the sector's label, and the words as written.
    Group {
        sector: String,
        label: String,
        written: String,
        /// False when the phrase marks the group as not the local one ("foreign troops",
        /// "Rohingya Muslims", "their embassies"): the context's country is not given to it.
        local: bool,
    },
    /// An office named without its holder ("the prime minister").
    Office {
        kind: Option<crate::knowledge::actors::RoleKind>,
        written: String,
    },
}

/// What the whole document says about where it stands, for mentions whose phrase does
/// not name a country.
#[derive(Clone, Default)]
pub struct Context<'a> {
    pub date: Option<NaiveDate>,
    /// ISO3 of the dateline's country ("KYIV, Ukraine" -> UKR), when the story itself
    /// names that country or a place in it: a reporter's location that the story never
    /// mentions ("BRUSSELS" over a story on Turkey and Sweden) places no group.
    pub dateline_country: Option<String>,
    /// The dateline's country whether or not the story names it, unless the dateline is
    /// an organisation's seat ("BRUSSELS", "GENEVA"): what an official with a title and no
    /// country ("Interior Minister X") is placed by, as CAMEO coders do.
    pub dateline_officials: Option<String>,
    /// The document's place names, resolved, and the gazetteer they come from.
    pub places: Option<(&'a DocPlaces, &'a Places)>,
}

impl Context<'_> {
    /// A place name starting at document token `t` that stands for its country (CAMEO
    /// codes "shelled Kharkiv" as shelling Ukraine): its length in tokens and the country.
    /// Names inside a longer actor name are not places ("Shanghai" in "Shanghai
    /// Cooperation Organisation"), and a country's own name, or another actor's, stays
    /// the actor unless the document reads it as a place ("Atlanta, Georgia", "the town of
    /// Duma").
    fn place_at(
        &self,
        gaz: &Gazetteer,
        t: usize,
        gazetteer_len: usize,
    ) -> Option<(usize, ActorId)> {
        let (dp, places) = self.places?;
        let rp = dp.at(t)?;
        let len = rp.end - rp.start;
        if rp.in_actor_name
            || (gazetteer_len > 0 && rp.over_country.is_none() && !rp.named_place)
            || len < gazetteer_len
        {
            return None;
        }
        let country = gaz.country(&places.place(rp.place).country)?;
        Some((len, country))
    }
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
    /// Mentions of countries, organisations and groups in document order, with whether
    /// each was a subject and whether it was plural (a coordination or a plural noun):
    /// what "it" and "its", "they" and "their" can stand for.
    bodies: Vec<(Referent, bool, bool)>,
    /// Locals introduced without a country in their phrase ("Interior Minister X"), with
    /// the sector of their office: given the context's country once the sentence is read.
    unplaced: Vec<(usize, String)>,
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
                    if matches!(node.kind, NodeKind::Country | NodeKind::Person) {
                        node.actor_code = Some(format!("{country}{sector}"));
                    }
                }
                node
            }
            Referent::Local(i) => self.locals[*i].node.clone(),
            Referent::Pending(u) => unplaced_node(u, None, None),
        }
    }

    /// A country, organisation or group already placed: what "it" and "they" stand for.
    fn is_body(&self, gaz: &Gazetteer, r: &Referent) -> bool {
        !self.is_person(gaz, r) && !matches!(r, Referent::Pending(_))
    }

    fn is_person(&self, gaz: &Gazetteer, r: &Referent) -> bool {
        match r {
            Referent::Actor { id, .. } => gaz.actor(*id).kind == NodeKind::Person,
            Referent::Local(i) => self.locals[*i].node.kind == NodeKind::Person,
            Referent::Pending(u) => matches!(u, Unplaced::Office { .. }),
        }
    }

    fn gender(&self, gaz: &Gazetteer, r: &Referent) -> Option<Gender> {
        match r {
            Referent::Actor { id, .. } => gaz.actor(*id).gender,
            Referent::Local(i) => self.locals[*i].gender,
            Referent::Pending(_) => None,
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

/// Which words of a sentence are known names (of countries, organisations, groups,
/// people, seats of power), so the tagger takes them as proper nouns: a parser that reads
/// "Union" in "The European Union imposed sanctions" as a common noun heads the sentence
/// with it and loses the verb. Only capitalised words of a name are marked ("of" and
/// "the" in "Democratic Republic of the Congo" keep their tags), and never adjectives or
/// demonyms ("Russian"). Lower-case role nouns ("commissioner") are marked as nouns.
pub fn known_names(gaz: &Gazetteer, words: &[&str]) -> Vec<Known> {
    let mut out = vec![Known::Unknown; words.len()];
    let mut k = 0;
    while k < words.len() {
        let Some(m) = gaz.longest_match(words, k) else {
            // "Ukraine's human rights commissioner": a role noun is a noun.
            if words[k].chars().all(|c| c.is_lowercase()) && gaz.role_noun(words[k]).is_some() {
                out[k] = Known::Noun;
            }
            k += 1;
            continue;
        };
        if !matches!(m.how, NameKind::Adjective | NameKind::Demonym) {
            for (i, w) in words.iter().enumerate().skip(k).take(m.len) {
                if w.chars().next().is_some_and(char::is_uppercase)
                    && w.chars().any(char::is_alphabetic)
                {
                    out[i] = Known::Proper;
                }
            }
        } else if m.how == NameKind::Adjective && m.len == 1 {
            // "Somali forces signed": a nationality before a lower-case word modifies it.
            let next_lower = words
                .get(k + 1)
                .and_then(|w| w.chars().next())
                .is_some_and(char::is_lowercase);
            if next_lower {
                out[k] = Known::Adjective;
            }
        }
        k += m.len.max(1);
    }
    out
}

/// The country (ISO3) a dateline place stands in: "YEREVAN, Armenia", "KYIV", "DOHA,
/// Qatar", "MEXICO CITY". The last part naming a country or a country's capital wins.
pub fn dateline_country(gaz: &Gazetteer, place: &str) -> Option<String> {
    for part in place.rsplit(',') {
        let words: Vec<String> = part.split_whitespace().map(capitalised_word).collect();
        let refs: Vec<&str> = words.iter().map(String::as_str).collect();
        let m = gaz.longest_match(&refs, 0);
        if let Some(m) = m.filter(|m| m.len == refs.len()) {
            let a = gaz.actor(m.actor);
            if a.kind == NodeKind::Country {
                return a.country.clone();
            }
        }
    }
    None
}

/// Whether a dateline place is the seat of an international organisation ("BRUSSELS" for
/// the EU and NATO, as the gazetteer's metonyms say), where officials of many countries
/// meet.
pub fn organisation_seat(gaz: &Gazetteer, place: &str) -> bool {
    let first = place.split(',').next().unwrap_or(place);
    let words: Vec<String> = first.split_whitespace().map(capitalised_word).collect();
    let refs: Vec<&str> = words.iter().map(String::as_str).collect();
    gaz.longest_match(&refs, 0).is_some_and(|m| {
        m.len == refs.len()
            && matches!(m.how, NameKind::Metonym { .. })
            && matches!(
                gaz.actor(m.actor).kind,
                NodeKind::Organisation | NodeKind::Group
            )
    })
}

/// "KYIV" -> "Kyiv".
fn capitalised_word(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f
            .to_uppercase()
            .chain(c.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

/// Whether the document's text names the country `iso` (by name, adjective, capital or a
/// place in it) anywhere in `tokens`.
pub fn names_country(
    tree: &Tree,
    sentences: &[std::ops::Range<usize>],
    gaz: &Gazetteer,
    places: Option<(&DocPlaces, &Places)>,
    iso: &str,
) -> bool {
    if let Some((dp, pl)) = places {
        if dp
            .iter()
            .any(|r| !r.in_actor_name && pl.place(r.place).country == iso)
        {
            return true;
        }
    }
    for r in sentences {
        let words: Vec<&str> = r.clone().map(|i| tree.word(i)).collect();
        let mut k = 0;
        while k < words.len() {
            match gaz.longest_match(&words, k) {
                Some(m) => {
                    if gaz.actor(m.actor).country.as_deref() == Some(iso) {
                        return true;
                    }
                    k += m.len.max(1);
                }
                None => k += 1,
            }
        }
    }
    false
}

/// Finds the actor mentions of sentence tokens `range`, updating the discourse.
pub fn find(
    tree: &Tree,
    range: std::ops::Range<usize>,
    gaz: &Gazetteer,
    disc: &mut Discourse,
    cx: &Context,
) -> Vec<Mention> {
    let date = cx.date;
    let unplaced_before = disc.unplaced.len();
    let sent_words: Vec<&str> = range.clone().map(|i| tree.word(i)).collect();
    let sent_words = &sent_words[..];
    let base = range.start;
    let mut out: Vec<Mention> = Vec::new();
    let mut k = 0;
    while k < sent_words.len() {
        if let Some((m, used)) = named_at(tree, sent_words, base, k, gaz, disc, cx) {
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
    settle(tree, range, gaz, disc, cx, &mut all, unplaced_before);
    all
}

/// Gives the mentions whose phrase named no country the context's: a country or place
/// in their own phrase ("soldiers in Guinea"), then a place where their clause happens
/// ("in Niamey, police fired ..."), then the dateline's country, then the country of the
/// clause's subject when that is a national group or official ("Sudanese soldiers
/// arrested the prime minister"). With none of these the group keeps its sector alone.
fn settle(
    tree: &Tree,
    range: std::ops::Range<usize>,
    gaz: &Gazetteer,
    disc: &mut Discourse,
    cx: &Context,
    mentions: &mut [Mention],
    unplaced_from: usize,
) {
    let country_at = |disc: &Discourse, mentions: &[Mention], t: usize, people: bool| {
        let m = mentions.iter().find(|m| m.start <= t && t < m.end)?;
        let node = disc.node(gaz, &m.referent, cx.date);
        let ok = match node.kind {
            NodeKind::Country | NodeKind::Place => true,
            NodeKind::Group | NodeKind::Person => people,
            _ => false,
        };
        ok.then_some(node.country).flatten()
    };
    let locative = |c: usize| {
        matches!(
            tree.case_of(c),
            Some("in" | "at" | "inside" | "across" | "throughout" | "near")
        )
    };
    let context = |disc: &Discourse, mentions: &[Mention], head: usize| -> Option<String> {
        // The phrase itself: "soldiers in Guinea", "the leaders of Japan".
        for &c in tree.children(head) {
            if tree.base_rel(c) == "nmod"
                && (locative(c) || matches!(tree.case_of(c), Some("of" | "from")))
            {
                if let Some(iso) = country_at(disc, mentions, c, false) {
                    return Some(iso);
                }
            }
        }
        // The clause's place.
        let mut v = head;
        for _ in 0..4 {
            if tree.upos(v) == "VERB" {
                break;
            }
            match tree.head(v) {
                Some(h) if range.contains(&h) => v = h,
                _ => break,
            }
        }
        if tree.upos(v) == "VERB" {
            for (c, _) in tree.descend(v, &["obl", "nmod", "advcl", "obj"], 2) {
                if locative(c) {
                    if let Some(iso) = country_at(disc, mentions, c, false) {
                        return Some(iso);
                    }
                }
            }
            // "Missiles hit Kyiv, killing five people": a participle's clause happens
            // where the event it follows did, in its places or the place it struck.
            if tree.base_rel(v) == "advcl" && tree.xpos(v) == "VBG" {
                if let Some(h) = tree.head(v).filter(|h| range.contains(h)) {
                    for (c, _) in tree.descend(h, &["obl", "nmod", "obj"], 2) {
                        let struck = tree.base_rel(c) == "obj" && tree.head(c) == Some(h);
                        if locative(c) || struck {
                            if let Some(iso) = country_at(disc, mentions, c, false) {
                                return Some(iso);
                            }
                        }
                    }
                }
            }
        }
        if let Some(iso) = &cx.dateline_country {
            return Some(iso.clone());
        }
        if tree.upos(v) == "VERB" && !matches!(tree.base_rel(head), "nsubj") {
            if let Some(subj) = tree.child_rel(v, "nsubj") {
                return country_at(disc, mentions, subj, true);
            }
        }
        None
    };
    for i in 0..mentions.len() {
        let Referent::Pending(u) = &mentions[i].referent else {
            continue;
        };
        let u = u.clone();
        let local = !matches!(u, Unplaced::Group { local: false, .. });
        let iso = if local {
            context(disc, mentions, mentions[i].head)
        } else {
            None
        };
        let referent = match (&u, &iso) {
            (Unplaced::Office { kind, .. }, Some(iso)) => {
                let holder = match kind {
                    None => gaz.leader_of(iso, cx.date),
                    Some(k) => gaz.holder_of(iso, *k, cx.date),
                };
                match holder {
                    Some(id) => Referent::Actor { id, sector: None },
                    None => Referent::Local(disc.local(
                        unplaced_node(&u, Some(iso), Some(gaz)),
                        None,
                        &[],
                    )),
                }
            }
            _ => {
                Referent::Local(disc.local(unplaced_node(&u, iso.as_deref(), Some(gaz)), None, &[]))
            }
        };
        let pending = std::mem::replace(&mut mentions[i].referent, referent.clone());
        for b in disc.bodies.iter_mut().filter(|b| b.0 == pending) {
            b.0 = referent.clone();
        }
    }
    let placed: Vec<(usize, String)> = disc.unplaced.drain(unplaced_from..).collect();
    for (idx, sector) in placed {
        let head = mentions
            .iter()
            .find(|m| m.referent == Referent::Local(idx))
            .map(|m| m.head);
        let iso = cx.dateline_officials.clone().or_else(|| {
            head.and_then(|h| {
                let v = tree.head(h)?;
                if tree.upos(v) != "VERB" || tree.base_rel(h) == "nsubj" {
                    return None;
                }
                let subj = tree.child_rel(v, "nsubj")?;
                country_at(disc, mentions, subj, true)
            })
        });
        if let Some(iso) = iso {
            let code = gaz
                .country(&iso)
                .map(|c| gaz.actor(c).code.clone())
                .unwrap_or(iso.clone());
            let node = &mut disc.locals[idx].node;
            node.actor_code = Some(format!("{code}{sector}"));
            node.country = Some(iso);
        }
    }
}

/// The node of a group or office placed in a country (ISO3), or in none.
fn unplaced_node(u: &Unplaced, iso: Option<&str>, gaz: Option<&Gazetteer>) -> Node {
    let country = iso.and_then(|iso| Some((gaz?.country(iso)?, gaz?)));
    let (code, country_label) = match country {
        Some((id, g)) => (
            Some(g.actor(id).code.clone()),
            Some(g.actor(id).label.clone()),
        ),
        None => (iso.map(str::to_string), None),
    };
    match u {
        Unplaced::Group {
            sector,
            label,
            written,
            ..
        } => {
            let code = format!("{}{sector}", code.unwrap_or_default());
            Node {
                id: format!("group-{}", code.to_lowercase()),
                label: match &country_label {
                    Some(c) => format!("{c} {label}"),
                    None => written.to_lowercase(),
                },
                kind: NodeKind::Group,
                actor_code: Some(code),
                country: iso.map(str::to_string),
                wikidata: None,
                role: None,
                mention: None,
            }
        }
        Unplaced::Office { written, .. } => {
            let office = capitalised(written);
            let label = match &country_label {
                Some(c) => format!("{office} of {c}"),
                None => office.clone(),
            };
            Node {
                id: slug(&label),
                label,
                kind: NodeKind::Person,
                actor_code: code.map(|c| format!("{c}GOV")),
                country: iso.map(str::to_string),
                wikidata: None,
                role: Some(office),
                mention: None,
            }
        }
    }
}

/// A coordination headed by the mention ("Saudi Arabia, Bahrain and Egypt") or a plural
/// noun ("the rebels", "the Saudis"): what "they" stands for.
fn plural_mention(tree: &Tree, m: &Mention) -> bool {
    matches!(tree.xpos(m.head), "NNS" | "NNPS")
        || tree.base_rel(m.head) != "conj"
            && tree
                .children(m.head)
                .iter()
                .any(|&c| tree.base_rel(c) == "conj" && tree.upos(c) != "VERB")
}

fn note_person(tree: &Tree, gaz: &Gazetteer, disc: &mut Discourse, m: &Mention) {
    let subj = SUBJECT_RELS.contains(&tree.deprel(m.head));
    if disc.is_person(gaz, &m.referent) {
        let g = disc.gender(gaz, &m.referent);
        disc.persons.push((m.referent.clone(), subj, g));
    } else if m.kind != MentionKind::Pronoun || matches!(m.referent, Referent::Local(_)) {
        disc.bodies
            .push((m.referent.clone(), subj, plural_mention(tree, m)));
    }
}

/// What a word before a title or role noun says the office or group belongs to: a country
/// ("Russian", "Azerbaijan's"), a region ("Western"), a seat of power ("Kremlin"), an
/// organisation ("NATO", "European Union") or, with a possessive, a person's country
/// ("Putin's government").
#[derive(Debug, Clone)]
struct Affiliation {
    /// Sentence word index after the affiliation (and its possessive "'s").
    end: usize,
    /// The CAMEO code a role code is built on ("RUS", "IGOWSTNAT", "EUR").
    code: String,
    /// ISO3 of the affiliation's country.
    country: Option<String>,
    actor: ActorId,
    /// The sector a seat of power stands for ("Pentagon" -> MIL): it wins over the role's.
    sector: Option<String>,
    region: bool,
    organisation: bool,
}

fn affiliation_at(
    gaz: &Gazetteer,
    words: &[&str],
    base: usize,
    k: usize,
    cx: &Context,
) -> Option<Affiliation> {
    let date = cx.date;
    let gaz_len = gaz
        .longest_match(words, k)
        .filter(|m| m.how != NameKind::Place)
        .map_or(0, |m| m.len);
    // A place stands for its country: "Goma residents", "Kharkiv's governor".
    if let Some((len, country)) = cx.place_at(gaz, base + k, gaz_len) {
        let mut end = k + len;
        if words
            .get(end)
            .is_some_and(|w| matches!(*w, "'s" | "'" | "’s" | "’"))
        {
            end += 1;
        }
        let a = gaz.actor(country);
        return Some(Affiliation {
            end,
            code: a.code.clone(),
            country: a.country.clone(),
            actor: country,
            sector: None,
            region: false,
            organisation: false,
        });
    }
    let m = gaz.longest_match(words, k)?;
    let a = gaz.actor(m.actor);
    let mut end = k + m.len;
    let possessive = words
        .get(end)
        .is_some_and(|w| matches!(*w, "'s" | "'" | "’s" | "’"));
    if possessive {
        end += 1;
    }
    let mut aff = Affiliation {
        end,
        code: a.code.clone(),
        country: a.country.clone(),
        actor: m.actor,
        sector: None,
        region: false,
        organisation: false,
    };
    match (a.kind, &m.how) {
        (NodeKind::Country, NameKind::Name | NameKind::Adjective | NameKind::Demonym) => {}
        (NodeKind::Country, NameKind::Metonym { sector }) => {
            aff.sector = Some(sector.clone().unwrap_or_else(|| "GOV".to_string()));
        }
        (NodeKind::Group, _) if a.key.starts_with("region-") && a.country.is_none() => {
            aff.region = true;
        }
        (NodeKind::Organisation | NodeKind::Group, NameKind::Name | NameKind::Metonym { .. }) => {
            aff.code = a.code_on(date);
            aff.organisation = true;
        }
        (NodeKind::Person, _) if possessive => {
            let iso = a.country.clone()?;
            let country = gaz.country(&iso)?;
            aff.code = gaz.actor(country).code.clone();
            aff.actor = country;
        }
        _ => return None,
    }
    Some(aff)
}

/// Words saying a group is not the local one, so the context's country is not its.
const NOT_LOCAL: &[&str] = &[
    "foreign",
    "international",
    "overseas",
    "western",
    "outside",
    "multinational",
    "allied",
    "coalition",
    "world",
];

/// Collective nouns that name a group on their own without a determiner or a plural
/// ending ("Police fired tear gas").
const COLLECTIVE: &[&str] = &[
    "police", "military", "media", "press", "clergy", "junta", "people", "children",
];

/// Whether a role noun names several (or a body): plural in form or tag, or collective.
fn plural_or_collective(tree: &Tree, t: usize) -> bool {
    let w = tree.word(t).to_lowercase();
    w.ends_with('s')
        || w.ends_with("men")
        || matches!(tree.xpos(t), "NNS" | "NNPS")
        || COLLECTIVE.contains(&w.as_str())
}

/// A role noun of one to three words starting at sentence word `k`, tagged as a noun.
fn role_noun_at<'g>(
    tree: &Tree,
    gaz: &'g Gazetteer,
    words: &[&str],
    base: usize,
    k: usize,
) -> Option<(usize, &'g RoleNoun)> {
    for len in (1..=3).rev() {
        if k + len > words.len() {
            continue;
        }
        let last = base + k + len - 1;
        if !matches!(tree.upos(last), "NOUN" | "PROPN") {
            continue;
        }
        let key = words[k..k + len].join(" ");
        if let Some(r) = gaz.role_noun(&key) {
            return Some((len, r));
        }
    }
    None
}

/// A word that may stand between an affiliation and the role noun or title it qualifies
/// ("Iran's *top security* official", "Saudi *national* security adviser").
fn modifier_word(tree: &Tree, t: usize) -> bool {
    let w = tree.word(t);
    let verbal = tree.upos(t) != "VERB" || matches!(tree.xpos(t), "VBN" | "VBG");
    // It qualifies a word after it, never governs the phrase ("arrested soldiers").
    tree.head(t).is_some_and(|h| h > t && h <= t + 5)
        && verbal
        && matches!(tree.upos(t), "ADJ" | "NOUN" | "VERB")
        && w.chars().all(|c| c.is_alphabetic() || c == '-')
        && w.chars().next().is_some_and(char::is_lowercase)
}

/// An office before a name: a title ("Foreign Minister"), a leader noun ("leader"), or a
/// singular role noun ("journalist", "cleric"), after up to three modifier words, and
/// followed by a capitalised name. Returns the word index of the name, the title, and
/// the sector: that of a role noun among the modifiers when there is one
/// ("*militia* leader" is UAF, "foreign *ministry* spokesman" GOV).
fn office_before_name(
    tree: &Tree,
    gaz: &Gazetteer,
    words: &[&str],
    base: usize,
    i: usize,
) -> Option<(usize, String, String)> {
    let mut sector_hint: Option<String> = None;
    let mut j = i;
    while j < words.len() && j <= i + 3 {
        let title = gaz.title_at(words, j).map(|t| (t.len, t.title, t.sector));
        let leader = || {
            gaz.leader_noun(words, j).map(|l| {
                (
                    l.len,
                    capitalised(&words[j..j + l.len].join(" ")),
                    "GOV".to_string(),
                )
            })
        };
        let role = || {
            role_noun_at(tree, gaz, words, base, j)
                .filter(|(len, _)| !words[j + len - 1].ends_with('s'))
                .map(|(len, r)| {
                    (
                        len,
                        capitalised(&words[j..j + len].join(" ")),
                        r.sector.clone(),
                    )
                })
        };
        if let Some((len, title, sector)) = title.or_else(leader).or_else(role) {
            let after = j + len;
            if after < words.len() && is_capitalised_name(tree, base + after) {
                let sector = sector_hint.clone().unwrap_or(sector);
                return Some((after, title, sector));
            }
            // The name in apposition: "Ukraine's human rights commissioner, Dmytro
            // Lubinets, said".
            let appositive = words.get(after) == Some(&",")
                && after + 1 < words.len()
                && is_capitalised_name(tree, base + after + 1)
                && name_end(tree, words, base, after + 1)
                    .is_some_and(|e| e > after + 2 && words.get(e) == Some(&","));
            if appositive {
                let sector = sector_hint.clone().unwrap_or(sector);
                return Some((after + 1, title, sector));
            }
            if let Some((_, r)) = role_noun_at(tree, gaz, words, base, j) {
                sector_hint = Some(r.sector.clone());
            }
            j += len;
            continue;
        }
        if !modifier_word(tree, base + j) {
            return None;
        }
        j += 1;
    }
    None
}

/// A group named by a role noun after up to two modifier words ("masked gunmen",
/// "security forces", "military government"): the word index after it and the role noun
/// (the last one when several follow each other). A role noun modifying another noun
/// ("police academy") names no group.
fn group_at<'g>(
    tree: &Tree,
    gaz: &'g Gazetteer,
    words: &[&str],
    base: usize,
    i: usize,
) -> Option<(usize, &'g RoleNoun)> {
    let mut found: Option<(usize, &RoleNoun)> = None;
    let mut j = i;
    while j < words.len() && j <= i + 3 {
        if let Some((len, r)) = role_noun_at(tree, gaz, words, base, j) {
            found = Some((j + len, r));
            j += len;
            continue;
        }
        if found.is_some() || !modifier_word(tree, base + j) || j >= i + 2 {
            break;
        }
        j += 1;
    }
    let (end, r) = found?;
    let next = base + end;
    if end < words.len() && tree.upos(next) == "NOUN" && tree.head(next - 1) == Some(next) {
        return None;
    }
    Some((end, r))
}

fn capitalised(s: &str) -> String {
    s.split(' ')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The end of a capitalised name starting at word `i` (at most five words, with "bin",
/// "al", "de" and hyphens inside), if there is one.
fn name_end(tree: &Tree, words: &[&str], base: usize, i: usize) -> Option<usize> {
    let mut end = i;
    while end < words.len() && end - i < 5 {
        let t = base + end;
        if is_capitalised_name(tree, t) {
            end += 1;
            continue;
        }
        let inner = matches!(
            words[end].to_lowercase().as_str(),
            "bin" | "bint" | "ibn" | "al" | "el" | "de" | "da" | "van" | "von" | "-"
        );
        if inner && end > i && end + 1 < words.len() && is_capitalised_name(tree, t + 1) {
            end += 1;
            continue;
        }
        break;
    }
    (end > i).then_some(end)
}

/// A capitalised name at word `k` that a comma and an affiliated office follow ("Anatoly
/// Antonov, Russia's ambassador", "Jens Stoltenberg, NATO's secretary-general"): the
/// name's end and a person of the document with the office's country and sector.
fn named_before_office(
    tree: &Tree,
    gaz: &Gazetteer,
    words: &[&str],
    base: usize,
    k: usize,
    disc: &mut Discourse,
    cx: &Context,
) -> Option<(usize, Referent)> {
    if !is_capitalised_name(tree, base + k) {
        return None;
    }
    let end = name_end(tree, words, base, k)?;
    // One word is too often a place or a thing ("Kharkiv, Ukraine's second city").
    if end - k < 2 || words.get(end) != Some(&",") {
        return None;
    }
    let aff = affiliation_at(gaz, words, base, end + 1, cx)?;
    if aff.region || (aff.country.is_none() && !aff.organisation) {
        return None;
    }
    let (office_end, title, sector) = office_after(tree, gaz, words, base, aff.end)?;
    let closed = words
        .get(office_end)
        .is_none_or(|w| matches!(*w, "," | "." | "in" | "at" | "to" | "for" | "on"));
    if !closed {
        return None;
    }
    let code = if aff.organisation {
        aff.code.clone()
    } else {
        format!("{}{}", aff.code, aff.sector.clone().unwrap_or(sector))
    };
    let name = words[k..end].join(" ");
    let node = Node {
        id: slug(&name),
        label: name,
        kind: NodeKind::Person,
        actor_code: Some(code),
        country: aff.country.clone(),
        wikidata: None,
        role: Some(title),
        mention: None,
    };
    let surname = words[end - 1].to_string();
    Some((end, Referent::Local(disc.local(node, None, &[surname]))))
}

/// A singular office at word `i`, after up to three modifier words: a title, a leader noun
/// or a role noun ("ambassador", "human rights commissioner", "top security official").
/// Returns its end, the office as a title, and its sector.
fn office_after(
    tree: &Tree,
    gaz: &Gazetteer,
    words: &[&str],
    base: usize,
    i: usize,
) -> Option<(usize, String, String)> {
    let mut j = i;
    let mut found = None;
    while j < words.len() && j <= i + 3 {
        let title = gaz.title_at(words, j).map(|t| (t.len, t.sector));
        let leader = || {
            gaz.leader_noun(words, j)
                .map(|l| (l.len, "GOV".to_string()))
        };
        let role = || {
            role_noun_at(tree, gaz, words, base, j)
                .filter(|(len, _)| !plural_or_collective(tree, base + j + len - 1))
                .map(|(len, r)| (len, r.sector.clone()))
        };
        if let Some((len, sector)) = title.or_else(leader).or_else(role) {
            found = Some((j + len, sector));
            j += len;
            continue;
        }
        if found.is_some() || !modifier_word(tree, base + j) {
            break;
        }
        j += 1;
    }
    let (end, sector) = found?;
    Some((end, capitalised(&words[i..end].join(" ")), sector))
}

/// A named or described actor starting at sentence position `k`; returns it and the tokens used.
fn named_at(
    tree: &Tree,
    words: &[&str],
    base: usize,
    k: usize,
    gaz: &Gazetteer,
    disc: &mut Discourse,
    cx: &Context,
) -> Option<(Mention, usize)> {
    let date = cx.date;
    let mk = |start: usize, end: usize, referent: Referent, kind: MentionKind| Mention {
        start: base + start,
        end: base + end,
        head: span_head(tree, base + start, base + end),
        referent,
        kind,
    };
    let first = gaz.longest_match(words, k);
    let aff = affiliation_at(gaz, words, base, k, cx);
    let after_aff = aff.as_ref().map_or(k, |a| a.end);
    // A known person after a title: "[British] Prime Minister Keir Starmer".
    let titled_person = |from: usize| -> Option<(Mention, usize)> {
        let t = gaz.title_at(words, from)?;
        let after_title = from + t.len;
        let nm = gaz.longest_match(words, after_title)?;
        if gaz.actor(nm.actor).kind != NodeKind::Person {
            return None;
        }
        let end = after_title + nm.len;
        // "Opposition leader Raila Odinga": the text's title says where the person stands
        // now, whatever office a dated role still open in the gazetteer gives.
        let referent = Referent::Actor {
            id: nm.actor,
            sector: (t.sector == "OPP").then(|| t.sector.clone()),
        };
        Some((mk(k, end, referent, MentionKind::Name), end - k))
    };
    if let Some(a) = &aff {
        if a.organisation || a.sector.is_some() || a.end > k + first.as_ref().map_or(0, |m| m.len) {
            if let Some(found) = titled_person(a.end) {
                return Some(found);
            }
        }
    }
    let country = aff
        .as_ref()
        .filter(|a| !a.organisation && a.country.is_some())
        .and_then(|a| a.country.clone());
    // A description: "the US leader", "the British prime minister", "Ukraine's president".
    // The leader nouns (data/actors/leader_nouns.tsv) say which office each noun names.
    if let (Some(a), Some(iso)) = (&aff, &country) {
        if let Some(ln) = gaz.leader_noun(words, after_aff) {
            let prev = k.checked_sub(1).map(|p| words[p].to_lowercase());
            let possessive = after_aff > k && words[after_aff - 1].starts_with('\'');
            let plural = words[after_aff + ln.len - 1].ends_with('s');
            let is_title = gaz.title_at(words, after_aff).is_some()
                && words
                    .get(after_aff + ln.len)
                    .is_some_and(|w| w.starts_with(char::is_uppercase));
            if (prev.as_deref() == Some("the") || possessive) && !plural && !is_title {
                let holder = match ln.kind {
                    None => gaz.leader_of(iso, date),
                    Some(kind) => gaz.holder_of(iso, kind, date),
                };
                let end = after_aff + ln.len;
                let referent = match holder {
                    Some(id) => Referent::Actor { id, sector: None },
                    None => {
                        let office = words[after_aff..end].join(" ");
                        Referent::Local(office_holder(gaz, disc, a, &office))
                    }
                };
                return Some((mk(k, end, referent, MentionKind::Description), end - k));
            }
        }
    }
    if aff.is_none() || country.is_some() {
        if let Some(found) = titled_person(after_aff) {
            return Some(found);
        }
    }
    // An unlisted person after an office: "Interior Minister Xhelal Svecla", "Chinese
    // foreign ministry spokesman Zhao Lijian", "opposition leader Raila Odinga".
    let office = office_before_name(tree, gaz, words, base, after_aff);
    if let Some((name_start, title, sector)) = office {
        // A title's name may begin with a word that is also a place ("Defence Minister
        // Vladimir Padrino Lopez").
        let known = gaz
            .longest_match(words, name_start)
            .filter(|m| m.how != NameKind::Place);
        if known.is_none() {
            if let Some(end) = name_end(tree, words, base, name_start) {
                let name = words[name_start..end].join(" ");
                let (code, country) = match &aff {
                    Some(a) if a.organisation => (Some(a.code.clone()), a.country.clone()),
                    Some(a) => (
                        Some(format!(
                            "{}{}",
                            a.code,
                            a.sector.clone().unwrap_or(sector.clone())
                        )),
                        a.country.clone(),
                    ),
                    None => (None, None),
                };
                let node = Node {
                    id: slug(&name),
                    label: name.clone(),
                    kind: NodeKind::Person,
                    actor_code: code,
                    country,
                    wikidata: None,
                    role: Some(title),
                    mention: None,
                };
                let surname = words[end - 1].to_string();
                let pending = aff.is_none().then_some(sector);
                let idx = disc.local(node, None, &[surname]);
                if let Some(sector) = pending {
                    disc.unplaced.push((idx, sector));
                }
                return Some((mk(k, end, Referent::Local(idx), MentionKind::Name), end - k));
            }
        }
    }
    // "Canadian and French warships": an affiliation coordinated with the next one shares
    // its role noun, and is a group of its own, mentioned by the adjective alone.
    if let Some(a) = aff.as_ref().filter(|a| !a.organisation) {
        if matches!(words.get(a.end), Some(&"and" | &"or")) {
            if let Some(b) = affiliation_at(gaz, words, base, a.end + 1, cx) {
                if let Some((_, rn)) = group_at(tree, gaz, words, base, b.end) {
                    let idx = group(gaz, disc, a, rn, &words[k..a.end]);
                    return Some((
                        mk(k, a.end, Referent::Local(idx), MentionKind::Name),
                        a.end - k,
                    ));
                }
            }
        }
    }
    // A group: "Russian troops", "Azerbaijan's defence ministry", "Iraqi security forces".
    if let Some(a) = &aff {
        if let Some((end, rn)) = group_at(tree, gaz, words, base, a.end) {
            let singular = !words[end - 1].ends_with('s');
            // "European nations" are Europe itself; "Western elites" a group within the
            // West; "the latest European leader" is a person, not a region.
            if a.region && rn.sector == "GOV" && singular {
                return None;
            }
            if (a.region || a.organisation) && rn.sector == "GOV" {
                // "NATO nations", "EU leaders": the organisation itself.
                let referent = Referent::Actor {
                    id: a.actor,
                    sector: None,
                };
                return Some((mk(k, end, referent, MentionKind::Name), end - k));
            }
            // "Islamic State militants", "Hamas fighters": the fighters of an armed group
            // are the group itself.
            let armed = |c: &str| {
                c.starts_with("IMG")
                    || (3..c.len())
                        .step_by(3)
                        .any(|i| matches!(c.get(i..i + 3), Some("REB" | "UAF" | "INS" | "SEP")))
            };
            if armed(&a.code) && matches!(rn.sector.as_str(), "UAF" | "MIL" | "REB" | "INS") {
                let referent = Referent::Actor {
                    id: a.actor,
                    sector: None,
                };
                return Some((mk(k, end, referent, MentionKind::Name), end - k));
            }
            let idx = group(gaz, disc, a, rn, &words[k..a.end]);
            return Some((mk(k, end, Referent::Local(idx), MentionKind::Name), end - k));
        }
    }
    // A group of an affiliation named after it: "foreign ministers of the European Union",
    // "soldiers of the Malian army".
    if aff.is_none() && first.is_none() {
        if let Some((end, rn)) = group_at(tree, gaz, words, base, k) {
            let mut j = end;
            if words.get(j) == Some(&"of") && end > k {
                j += 1;
                if words.get(j).is_some_and(|w| w.eq_ignore_ascii_case("the")) {
                    j += 1;
                }
                if let Some(a) = affiliation_at(gaz, words, base, j, cx) {
                    let possessive = words[a.end - 1].starts_with('\'');
                    if !possessive && !a.region {
                        let referent = if a.organisation && rn.sector == "GOV" {
                            Referent::Actor {
                                id: a.actor,
                                sector: None,
                            }
                        } else {
                            Referent::Local(group(gaz, disc, &a, rn, &words[j..a.end]))
                        };
                        return Some((mk(k, a.end, referent, MentionKind::Name), a.end - k));
                    }
                }
            }
        }
    }
    // A GeoNames place is read before a Phoenix place name of the gazetteer (both code the
    // country; the place knows where it is).
    let gaz_len = first
        .as_ref()
        .filter(|m| m.how != NameKind::Place)
        .map_or(0, |m| m.len);
    if let Some((len, country)) = cx.place_at(gaz, base + k, gaz_len) {
        let referent = Referent::Actor {
            id: country,
            sector: None,
        };
        return Some((mk(k, k + len, referent, MentionKind::Name), len));
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
    // An unlisted person named before an office in apposition: "Anatoly Antonov, Russia's
    // ambassador in Washington, ...", "Dmytro Lubinets, Ukraine's human rights
    // commissioner, ...".
    if first.is_none() && (k == 0 || !is_capitalised_name(tree, base + k - 1)) {
        if let Some(found) = named_before_office(tree, gaz, words, base, k, disc, cx) {
            return Some((mk(k, found.0, found.1, MentionKind::Name), found.0 - k));
        }
    }
    // A short name of a person this document introduced ("Jugnauth").
    if is_capitalised_name(tree, base + k) {
        if let Some(&idx) = disc.local_index.get(words[k]) {
            return Some((mk(k, k + 1, Referent::Local(idx), MentionKind::Name), 1));
        }
    }
    // A group with no affiliation in the phrase ("gunmen", "the junta", "Police"): its
    // country comes from the context, once the sentence is read.
    let det = k
        .checked_sub(1)
        .is_some_and(|p| matches!(tree.deprel(base + p), "det" | "nmod:poss" | "nummod"));
    // An office named without a country: "the prime minister".
    if k > 0 && words[k - 1].eq_ignore_ascii_case("the") {
        if let Some(ln) = gaz.leader_noun(words, k) {
            let end = k + ln.len;
            let plural = words[end - 1].ends_with('s');
            let named_next = end < words.len() && is_capitalised_name(tree, base + end);
            if !plural && !named_next {
                let u = Unplaced::Office {
                    kind: ln.kind,
                    written: words[k..end].join(" "),
                };
                return Some((
                    mk(k, end, Referent::Pending(u), MentionKind::Description),
                    end - k,
                ));
            }
        }
    }
    if let Some((end, rn)) = group_at(tree, gaz, words, base, k) {
        if det || plural_or_collective(tree, base + end - 1) {
            let before = k.checked_sub(1).map(|p| (p, words[p]));
            let possessed = before.is_some_and(|(_, w)| {
                matches!(
                    w.to_lowercase().as_str(),
                    "their" | "its" | "his" | "her" | "our" | "your" | "my"
                )
            });
            // "Rohingya Muslims", "Kurdish militants": a name of their own, not the
            // dateline's country.
            let named = before.is_some_and(|(p, w)| {
                p > 0 && w.starts_with(char::is_uppercase) && w.chars().any(char::is_lowercase)
            });
            let foreign = words[k..end]
                .iter()
                .any(|w| NOT_LOCAL.contains(&w.to_lowercase().as_str()));
            let u = Unplaced::Group {
                sector: rn.sector.clone(),
                label: rn.label.clone(),
                written: words[k..end].join(" "),
                local: !(possessed || named || foreign),
            };
            return Some((
                mk(k, end, Referent::Pending(u), MentionKind::Description),
                end - k,
            ));
        }
    }
    None
}

/// The document's node for a group of an affiliation's sector ("Russia military").
fn group(
    gaz: &Gazetteer,
    disc: &mut Discourse,
    a: &Affiliation,
    rn: &RoleNoun,
    written: &[&str],
) -> usize {
    let sector = a.sector.clone().unwrap_or_else(|| rn.sector.clone());
    let code = if a.organisation && sector == "GOV" {
        a.code.clone()
    } else {
        format!("{}{sector}", a.code)
    };
    // A region has no canonical country name to build on: keep the adjective as written.
    let label = if a.region {
        let w: Vec<&str> = written
            .iter()
            .copied()
            .filter(|w| !w.starts_with('\''))
            .collect();
        format!("{} {}", w.join(" "), rn.label)
    } else {
        format!("{} {}", gaz.actor(a.actor).label, rn.label)
    };
    let node = Node {
        id: format!("group-{}", code.to_lowercase()),
        label,
        kind: NodeKind::Group,
        actor_code: Some(code),
        country: if a.region { None } else { a.country.clone() },
        wikidata: None,
        role: None,
        mention: None,
    };
    disc.local(node, None, &[])
}

/// An office no listed person holds on the date ("the Sudanese prime minister"): a node
/// for the office itself, coded as the country's government.
fn office_holder(gaz: &Gazetteer, disc: &mut Discourse, a: &Affiliation, office: &str) -> usize {
    let country = gaz.actor(a.actor).label.clone();
    let label = format!("{} of {country}", capitalised(office));
    let node = Node {
        id: slug(&label),
        label,
        kind: NodeKind::Person,
        actor_code: Some(format!(
            "{}{}",
            a.code,
            a.sector.clone().unwrap_or_else(|| "GOV".into())
        )),
        country: a.country.clone(),
        wikidata: None,
        role: Some(capitalised(office)),
        mention: None,
    };
    disc.local(node, None, &[])
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
    if !matches!(tree.word(i).to_lowercase().as_str(), "his" | "her" | "its")
        || tree.deprel(i) != "nmod:poss"
    {
        return None;
    }
    let h = tree.head(i).filter(|&h| h == i + 1)?;
    let rn = gaz.role_noun(&tree.word(h).to_lowercase())?;
    let owner = disc.node(gaz, &m.referent, date);
    let iso = owner.country?;
    let country = gaz.country(&iso)?;
    let code = format!("{}{}", gaz.actor(country).code, rn.sector);
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

/// The pronoun at token `i`, standing for `referent`.
fn pronoun_at(i: usize, referent: Referent) -> Mention {
    Mention {
        start: i,
        end: i + 1,
        head: i,
        referent,
        kind: MentionKind::Pronoun,
    }
}

/// The first mention that `fits` and is the subject of a clause governing token `i`,
/// nearest clause first, within the sentence.
fn governing_subject<'m>(
    tree: &Tree,
    i: usize,
    range: &std::ops::Range<usize>,
    sentence_mentions: &'m [Mention],
    fits: impl Fn(&Mention) -> bool,
) -> Option<&'m Mention> {
    let mut anc = tree.head(i);
    let mut steps = 0;
    while let Some(a) = anc {
        if steps > 40 || !range.contains(&a) {
            break;
        }
        let found = sentence_mentions.iter().find(|m| {
            SUBJECT_RELS.contains(&tree.deprel(m.head))
                && tree.head(m.head) == Some(a)
                && m.head != i
                && fits(m)
        });
        if found.is_some() {
            return found;
        }
        anc = tree.head(a);
        steps += 1;
    }
    None
}

/// Resolves "it" and "its" to a country, organisation or group: the subject of a clause
/// that governs it in the same sentence ("Russia said it would ..."), else the latest
/// subject of that kind in the discourse. An "it" with no referent of its own ("it was
/// the first such exchange", "it is raining") is left alone.
fn body_pronoun(
    tree: &Tree,
    i: usize,
    range: std::ops::Range<usize>,
    gaz: &Gazetteer,
    disc: &Discourse,
    sentence_mentions: &[Mention],
) -> Option<Mention> {
    let rel = tree.deprel(i);
    let h = tree.head(i)?;
    let referring = match rel {
        "nmod:poss" | "obj" | "iobj" | "nsubj:pass" => true,
        "nsubj" => {
            tree.child_rel(h, "cop").is_none()
                && !matches!(tree.lemma(h), "be" | "seem" | "appear" | "take" | "happen")
                && !tree
                    .children(h)
                    .iter()
                    .any(|&c| tree.base_rel(c) == "csubj")
        }
        _ => matches!(tree.base_rel(i), "obl" | "nmod"),
    };
    if !referring {
        return None;
    }
    let body = |r: &Referent| disc.is_body(gaz, r);
    let mk = |referent: Referent| pronoun_at(i, referent);
    if let Some(m) = governing_subject(tree, i, &range, sentence_mentions, |m| body(&m.referent)) {
        return Some(mk(m.referent.clone()));
    }
    // Across sentences only a subject or a possessor: an object "it" ("I support it")
    // is more often an idea than an actor.
    if !matches!(rel, "nsubj" | "nsubj:pass" | "nmod:poss") {
        return None;
    }
    let recent = disc.bodies.iter().rev().take(8);
    let pick = recent
        .clone()
        .find(|(r, subj, _)| *subj && body(r))
        .or_else(|| recent.clone().find(|(r, _, _)| body(r)))?;
    Some(mk(pick.0.clone()))
}

/// Resolves "they", "them" and "their" to countries, organisations or groups: a plural
/// subject of a clause that governs it in the same sentence ("The rebels said they would
/// ..."), else the latest plural subject of the discourse ("Saudi Arabia and Egypt cut ties
/// with Qatar. Qatar rejected their accusations."). A coordination is taken by its first
/// member, as an event of several sources is referred back to. People are left alone: a
/// "they" after two named persons is as often their countries, or someone else.
fn plural_pronoun(
    tree: &Tree,
    i: usize,
    range: std::ops::Range<usize>,
    gaz: &Gazetteer,
    disc: &Discourse,
    sentence_mentions: &[Mention],
) -> Option<Mention> {
    let rel = tree.deprel(i);
    let body = |r: &Referent| disc.is_body(gaz, r);
    let mk = |referent: Referent| pronoun_at(i, referent);
    let plural_body = |m: &Mention| plural_mention(tree, m) && body(&m.referent);
    if let Some(m) = governing_subject(tree, i, &range, sentence_mentions, plural_body) {
        return Some(mk(m.referent.clone()));
    }
    if !matches!(rel, "nsubj" | "nsubj:pass" | "nmod:poss") {
        return None;
    }
    let recent = disc.bodies.iter().rev().take(8);
    let pick = recent
        .clone()
        .find(|(r, subj, plural)| *subj && *plural && body(r))?;
    Some(mk(pick.0.clone()))
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
        "it" | "its" | "itself" => {
            return body_pronoun(tree, i, range, gaz, disc, sentence_mentions)
        }
        "they" | "them" | "their" | "themselves" => {
            return plural_pronoun(tree, i, range, gaz, disc, sentence_mentions)
        }
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
                return Some(pronoun_at(i, m.referent.clone()));
            }
        }
        // Cataphora: "Asked whether he could ..., Trump said" — the subject of the main clause.
        for &c in tree.children(a) {
            if SUBJECT_RELS.contains(&tree.deprel(c)) && c > i {
                if let Some(m) = sentence_mentions.iter().find(|m| m.head == c) {
                    if disc.is_person(gaz, &m.referent) && fits(&disc.gender(gaz, &m.referent)) {
                        return Some(pronoun_at(i, m.referent.clone()));
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
    Some(pronoun_at(i, pick.0.clone()))
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
