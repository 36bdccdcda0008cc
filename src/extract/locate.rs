//! Where an event happened, strongest evidence first:
//!
//! 1. its target, when the target is a place ("shelled Kharkiv"; "visited Kyiv": a capital
//!    only as the target of force or of a visit, since "accused Kigali" names the country);
//! 2. a place phrase on the event's trigger, on the verb whose object the trigger is, on
//!    the trigger's object, on its target or on its source ("met in Geneva", "held talks
//!    at the White House", "an attack near Kherson", "attacked a post in northern Mali",
//!    "on the sidelines of the summit in Lima", "during a visit to Manila", "clashed with
//!    police in Kenya", "protesters in Tbilisi"): a town or region of the place gazetteer,
//!    a seat of power standing for its country ("the White House", "the Moncloa palace":
//!    placed at the country's capital), or a country after "in", "across" and the like.
//!    Of several, a town before a region before a country; with none, a "from" phrase on
//!    the trigger says where the event set out from ("fired rockets at Israel from
//!    southern Lebanon");
//! 3. for what is said (CAMEO's verbal roots, meetings included), a seat of power that says
//!    it ("the Kremlin rejected", "Downing Street condemned");
//! 4. a town, region or seat of power the sentence names elsewhere (not inside an actor's
//!    name);
//! 5. an earlier sentence: for deeds, the place of the nearest of the two sentences before;
//!    for words, the place of an earlier exchange between the same actors ("They met in
//!    Riyadh. They agreed ...");
//! 6. the dateline's place.
//!
//! A place name that is an actor's ("struck Hamas") places nothing; a capital or a
//! territory coded as a country ("accused Kigali", "a plan for Gaza") places force used on
//! it or a visit, not words. Words "on" something are about it ("talks on the Gaza ceasefire").
//!
//! What is said is placed by its own phrase, its speaker's seat or an exchange it continues,
//! and else by the dateline before any other place its sentence names: "ABUJA - Nigeria
//! condemned the killings in Benue" was said in Abuja, and the object's place phrase of a
//! word ("condemned the executions in Iran") is what was spoken of, not where.
//!
//! Which of several same-named places a name means was decided for the whole document by
//! [`super::places`]; this pass only picks, per event, which of the document's places it is.

use std::ops::Range;

use super::places::{DocPlaces, Resolution, ResolvedPlace};
use super::tree::Tree;
use crate::knowledge::actors::{Gazetteer, NameKind};
use crate::knowledge::places::{PlaceId, PlaceKind, Places};
use crate::model::{Location, LocationPrecision, LocationSource, NodeKind, Statement};

/// Prepositions that put an event at a place.
const AT: &[&str] = &[
    "in",
    "at",
    "near",
    "outside",
    "inside",
    "across",
    "throughout",
    "through",
    "around",
    "within",
    "into",
    "to",
    "on",
    "along",
    "off",
    "over",
    "towards",
    "toward",
    "during",
];

/// Prepositions that put an event in a whole country ("in Ukraine", "across Syria");
/// "to Ukraine" or "on Ukraine" name a party, not a place.
/// "from": where an event set out from ("fired rockets from southern Lebanon"), read only
/// when the event names no place it happened at.
const IN_COUNTRY: &[&str] = &["in", "inside", "across", "throughout", "within", "from"];

/// Prepositions that say where an actor is ("protesters in Tbilisi", "officials at Number
/// 10"), not where it goes ("the envoy to Moscow").
const AT_REST: &[&str] = &["in", "at", "near", "outside", "inside", "within", "around"];

/// Prepositions that set a scene the next sentences may go on in ("Protesters marched
/// through Belgrade. Police fired tear gas ..."); "fled to Moscow" sets none.
const SCENE: &[&str] = &[
    "in",
    "at",
    "near",
    "outside",
    "inside",
    "within",
    "around",
    "across",
    "throughout",
    "through",
    "along",
];

/// Head nouns after a seat of power that keep it the place: "the Moncloa palace", "the
/// Kremlin walls".
const BUILDING: &[&str] = &[
    "palace",
    "residence",
    "building",
    "buildings",
    "compound",
    "complex",
    "headquarters",
    "offices",
    "grounds",
    "gates",
    "walls",
    "lawn",
];

/// How many sentences back an event without a place of its own looks for one.
const EARLIER_SENTENCES: usize = 2;

/// What the locator reads: the document's tree and resolved places, and the gazetteers.
pub struct Locator<'a> {
    pub tree: &'a Tree<'a>,
    pub doc_places: &'a DocPlaces,
    pub places: &'a Places,
    pub gazetteer: &'a Gazetteer,
}

/// One event to place: its tokens (doc-level), code and actors.
pub struct Site<'s> {
    pub trigger: usize,
    /// Source and target mentions: first token, one past the last, head token.
    pub source: Option<(usize, usize, usize)>,
    pub target: Option<(usize, usize, usize)>,
    pub cameo: &'s str,
    /// Index of the event's sentence, and its tokens.
    pub sentence: usize,
    pub range: Range<usize>,
    /// The node ids of the source and the target ("" for none).
    pub actors: [&'s str; 2],
}

impl Site<'_> {
    fn root(&self) -> &str {
        self.cameo.get(..2).unwrap_or("")
    }

    /// Force done at its target (CAMEO roots 14, 15, 17 to 20).
    fn force(&self) -> bool {
        matches!(self.root(), "14" | "15" | "17" | "18" | "19" | "20")
    }

    /// A visit (042): the place visited is where it happened, a capital too.
    fn visit(&self) -> bool {
        self.cameo == "042"
    }

    /// Something said or decided: CAMEO's verbal roots (01 to 05, 09 to 13), meetings
    /// included, visits not; and reduced relations (16: sanctions, cut ties), decided where
    /// a government sits.
    fn spoken(&self) -> bool {
        !self.visit() && (said(self.cameo) || self.root() == "16")
    }
}

/// Whether a CAMEO code is of the verbal roots.
fn said(cameo: &str) -> bool {
    matches!(
        cameo.get(..2),
        Some("01" | "02" | "03" | "04" | "05" | "09" | "10" | "11" | "12" | "13")
    )
}

impl Locator<'_> {
    /// The location of one event of the document; `before` are the statements of the
    /// document's earlier sentences, for an event that continues one of them.
    pub fn locate(&self, site: &Site, before: &[Statement]) -> Option<Location> {
        let t = self.tree;
        let sentence = &site.range;
        // The sentence's words, for gazetteer names.
        let words: Vec<&str> = sentence.clone().map(|i| t.word(i)).collect();
        // 1. A target that is a place: the place's name is the target mention's head. A
        // capital as the target of words or policy ("accused Kigali", "cut ties with
        // Paris") is its country, not a place; as the target of force ("shelled Kyiv") or
        // of a visit it is both.
        let at_target = site.force() || site.visit();
        if let Some((a, b, head)) = site.target {
            // A seat of power struck or visited ("rallied outside the White House"), before
            // the towns that bear its name.
            if at_target {
                if let Some(loc) = self.seat_in(a..b, sentence, &words, |span| span.end == b) {
                    return Some(loc);
                }
            }
            // The head's name, or the name after "of" ("the village of Krasnohorivka").
            let named = |rp: &&ResolvedPlace| {
                (rp.start..rp.end).contains(&head)
                    || t.children(head)
                        .iter()
                        .any(|&d| (rp.start..rp.end).contains(&d) && t.case_of(d) == Some("of"))
            };
            if let Some(rp) = self
                .place_covering(a..b)
                .filter(named)
                .filter(|rp| self.is_place_here(rp, sentence, &words))
                .filter(|rp| at_target || !self.is_actor_country_name(rp))
            {
                return Some(self.place(rp.place, LocationSource::Sentence));
            }
        }
        // 2. A place phrase on the trigger, on the verb it is the object of, on its
        // object ("attacked an army post in northern Burkina Faso"; for words, the object
        // is what was spoken of), on its target or on its source.
        let trigger = site.trigger;
        let mut anchors = vec![(trigger, AT)];
        if matches!(
            t.base_rel(trigger),
            "obj" | "nsubj" | "xcomp" | "compound" | "nmod"
        ) {
            if let Some(h) = t.head(trigger) {
                anchors.push((h, AT));
            }
        }
        // Meetings (04) excepted: "met the envoy in Doha" places the meeting.
        let spoken_of = said(site.cameo) && site.root() != "04";
        if !spoken_of {
            anchors.extend(t.children_rel(trigger, "obj").map(|o| (o, AT)));
        }
        if let Some((_, _, head)) = site.target {
            anchors.push((head, AT));
        }
        if let Some((_, _, head)) = site.source {
            anchors.push((head, AT_REST));
            // "Kishida, speaking in Bangkok, called ..."
            anchors.extend(
                t.children(head)
                    .iter()
                    .filter(|&&c| matches!(t.base_rel(c), "acl" | "advcl"))
                    .map(|&c| (c, AT_REST)),
            );
        }
        let mut found: Vec<Location> = Vec::new();
        for (k, &(a, preps)) in anchors.iter().enumerate() {
            if anchors[..k].iter().any(|&(b, _)| b == a) {
                continue;
            }
            for &c in t.children(a) {
                if !sentence.contains(&c) || !matches!(t.base_rel(c), "obl" | "nmod" | "advmod") {
                    continue;
                }
                let Some(case) = t.case_of(c).map(str::to_lowercase) else {
                    continue;
                };
                if !preps.contains(&case.as_str()) {
                    continue;
                }
                // Words "on" something are about it ("talks on the Gaza ceasefire"); only
                // a place deeper in the phrase places them ("on the sidelines of the
                // summit in Lima").
                if site.spoken() && case == "on" {
                    found.extend(self.deeper(c, &case, sentence, &words, 3));
                } else {
                    found.extend(self.phrase(c, &case, sentence, &words, 3));
                }
            }
        }
        // Else where it came from: "fired rockets at Israel from southern Lebanon",
        // "withdrew from Kherson".
        if found.is_empty() {
            for &c in t.children(trigger) {
                if sentence.contains(&c)
                    && t.base_rel(c) == "obl"
                    && t.case_of(c).is_some_and(|w| w.eq_ignore_ascii_case("from"))
                {
                    found.extend(self.phrase(c, "from", sentence, &words, 3));
                }
            }
        }
        // The most precise: "in Hyderabad in Pakistan's Sindh province" is the town.
        for precision in [
            LocationPrecision::City,
            LocationPrecision::Admin1,
            LocationPrecision::Country,
        ] {
            if let Some(at) = found.iter().position(|l| l.precision == precision) {
                return Some(found.swap_remove(at));
            }
        }
        // 3. Words said by a seat of power or a capital: "the Kremlin rejected", "Moscow
        // blamed".
        if site.spoken() {
            if let Some((a, b, _)) = site.source {
                if let Some(loc) = self.seat_in(a..b, sentence, &words, |_| true) {
                    return Some(loc);
                }
                if let Some(rp) = self.place_covering(a..b).filter(|rp| {
                    !rp.in_actor_name && self.places.place(rp.place).kind == PlaceKind::Capital
                }) {
                    return Some(self.place(rp.place, LocationSource::Sentence));
                }
            }
            // Under a dateline, words are placed by an exchange they continue, else by the
            // dateline rather than by a place they speak of.
            if let Some(p) = self.doc_places.dateline() {
                return self
                    .exchange(site, before)
                    .or_else(|| Some(self.place(p, LocationSource::Dateline)));
            }
        }
        // 4. A town, region or seat of power the sentence names.
        if let Some(loc) = self.named_in(sentence, &words) {
            return Some(loc);
        }
        // 5. An earlier sentence, then 6. the dateline.
        let earlier = if site.spoken() {
            self.exchange(site, before)
                .or_else(|| self.earlier_place(site, before))
        } else {
            self.earlier_place(site, before)
        };
        earlier.or_else(|| {
            self.doc_places
                .dateline()
                .map(|p| self.place(p, LocationSource::Dateline))
        })
    }

    /// The location of an event of `sentence` whose trigger reads no place: a town,
    /// region or seat of power the sentence names, else the dateline's place.
    pub fn in_sentence(&self, sentence: Range<usize>) -> Option<Location> {
        let words: Vec<&str> = sentence.clone().map(|i| self.tree.word(i)).collect();
        self.named_in(&sentence, &words).or_else(|| {
            self.doc_places
                .dateline()
                .map(|p| self.place(p, LocationSource::Dateline))
        })
    }

    /// A town or region the sentence names (a capital standing for its country and a
    /// name inside an actor's name excepted), else a seat of power after a place
    /// preposition ("activists who protested near the Kremlin").
    fn named_in(&self, sentence: &Range<usize>, words: &[&str]) -> Option<Location> {
        if let Some(rp) = self.named_places(sentence.clone()).next() {
            return Some(self.place(rp.place, LocationSource::Sentence));
        }
        let t = self.tree;
        self.seat_in(sentence.clone(), sentence, words, |span| {
            span.clone().any(|i| {
                t.case_of(i)
                    .is_some_and(|c| AT.contains(&c.to_lowercase().as_str()))
            })
        })
    }

    /// The towns and regions of a sentence that can place an event.
    fn named_places(&self, sentence: Range<usize>) -> impl Iterator<Item = &ResolvedPlace> + '_ {
        self.doc_places
            .iter()
            .filter(move |rp| sentence.contains(&rp.start) && !rp.in_actor_name)
            .filter(|rp| rp.over_country.is_some() || !self.is_actor_country_name(rp))
    }

    /// The scene of the nearest of the sentences before `site`'s: where a deed of it was
    /// placed by its own sentence, else a town or region after a scene preposition.
    fn earlier_place(&self, site: &Site, before: &[Statement]) -> Option<Location> {
        let sentences = &self.tree.doc.sentences;
        let from = site.sentence.saturating_sub(EARLIER_SENTENCES);
        (from..site.sentence.min(sentences.len()))
            .rev()
            .find_map(|j| {
                let deed = before
                    .iter()
                    .filter(|s| s.sentence == j && !s.cameo.as_deref().is_some_and(said))
                    .find_map(|s| {
                        s.location
                            .clone()
                            .filter(|l| l.from == LocationSource::Sentence)
                    });
                deed.or_else(|| {
                    self.named_places(sentences[j].tokens.clone())
                        .find(|rp| self.in_scene(rp))
                        .map(|rp| self.place(rp.place, LocationSource::Sentence))
                })
            })
            .map(|mut l| {
                l.from = LocationSource::Earlier;
                l
            })
    }

    /// Whether a place name is governed by a scene preposition, itself or through the noun
    /// it modifies ("in Russia's Saratov region", "in the capital Naypyitaw").
    fn in_scene(&self, rp: &ResolvedPlace) -> bool {
        let t = self.tree;
        let scene = |i: usize| {
            t.case_of(i)
                .is_some_and(|c| SCENE.contains(&c.to_lowercase().as_str()))
        };
        (rp.start..rp.end).any(|i| {
            scene(i)
                || (matches!(t.base_rel(i), "compound" | "appos" | "flat" | "nmod")
                    && t.head(i)
                        .is_some_and(|h| !(rp.start..rp.end).contains(&h) && scene(h)))
        })
    }

    /// The place of an earlier exchange of words between the same two actors, or of a
    /// visit the speaker made, read from its own sentence or one before it: "They met in
    /// Riyadh. They agreed ...", "He travelled to Tehran. He held talks ..."
    fn exchange(&self, site: &Site, before: &[Statement]) -> Option<Location> {
        let [a, b] = site.actors;
        let shares = |s: &Statement| {
            let (x, y) = (
                s.subject.id.as_str(),
                s.object.as_ref().map_or("", |o| o.id.as_str()),
            );
            (!a.is_empty() && !b.is_empty() && ((x, y) == (a, b) || (x, y) == (b, a)))
                || (!a.is_empty() && x == a && s.cameo.as_deref() == Some("042"))
        };
        before
            .iter()
            .rev()
            .filter(|s| {
                s.sentence < site.sentence && s.sentence + EARLIER_SENTENCES >= site.sentence
            })
            .filter(|s| s.cameo.as_deref().is_some_and(said))
            .filter(|s| shares(s))
            .find_map(|s| {
                s.location
                    .clone()
                    .filter(|l| l.from != LocationSource::Dateline)
            })
            .map(|mut l| {
                l.from = LocationSource::Earlier;
                l
            })
    }

    /// A seat of power named in `span` (on which `keep` agrees), placed at its country's
    /// capital.
    fn seat_in(
        &self,
        span: Range<usize>,
        sentence: &Range<usize>,
        words: &[&str],
        keep: impl Fn(&Range<usize>) -> bool,
    ) -> Option<Location> {
        let mut s = span.start;
        while s < span.end {
            let Some(m) = self.gazetteer.longest_match(words, s - sentence.start) else {
                s += 1;
                continue;
            };
            // "the town of Duma" is the Syrian town, not Russia's parliament.
            let named_place = self
                .doc_places
                .at(s)
                .is_some_and(|rp| rp.named_place && rp.end >= s + m.len);
            if matches!(m.how, NameKind::Metonym { sector: Some(_) })
                && !named_place
                && keep(&(s..s + m.len))
            {
                return self.seat(
                    m.actor,
                    &words[s - sentence.start..s - sentence.start + m.len],
                );
            }
            s += m.len;
        }
        None
    }

    /// A seat of power of `actor`'s country, written `seat`, at the capital.
    fn seat(&self, actor: crate::knowledge::actors::ActorId, seat: &[&str]) -> Option<Location> {
        let iso = self.gazetteer.actor(actor).country.as_deref()?;
        let capital = self.capital(iso)?;
        let mut loc = self.place(capital, LocationSource::Sentence);
        loc.label = format!("{}, {}", seat.join(" "), loc.label);
        Some(loc)
    }

    /// A place reading of a phrase headed by `c`, or of the nouns it governs by "of" and
    /// place prepositions ("the sidelines of the summit in Lima"), down to `depth` levels.
    fn phrase(
        &self,
        c: usize,
        case: &str,
        sentence: &Range<usize>,
        words: &[&str],
        depth: usize,
    ) -> Option<Location> {
        let t = self.tree;
        let (start, end) = self.noun_span(c);
        // A seat of power that is the phrase's name, or names the building it heads ("the
        // Moncloa palace"); before the places, where "White House" is also a town.
        let building = BUILDING.contains(&t.word(c).to_lowercase().as_str());
        let reaches = |span: &Range<usize>| span.end > end || (building && span.end == c);
        if let Some(loc) = self.seat_in(start..end + 1, sentence, words, reaches) {
            return Some(loc);
        }
        let here = self
            .place_covering(start..end + 1)
            .filter(|rp| self.is_place_here(rp, sentence, words));
        if let Some(rp) = here {
            // A town inside the name of a building or body ("Lancaster House in London")
            // yields to a place the phrase names further on.
            let inside_a_name = rp.end <= c && t.upos(c) == "PROPN";
            let further = if inside_a_name && depth > 0 {
                self.deeper(c, case, sentence, words, depth)
            } else {
                None
            };
            return Some(further.unwrap_or_else(|| self.place(rp.place, LocationSource::Sentence)));
        }
        // A country's name.
        for s in start..=end {
            let Some(m) = self.gazetteer.longest_match(words, s - sentence.start) else {
                continue;
            };
            if s + m.len <= end {
                continue;
            }
            let actor = self.gazetteer.actor(m.actor);
            if matches!(m.how, NameKind::Name)
                && actor.kind == NodeKind::Country
                && IN_COUNTRY.contains(&case)
            {
                return Some(Location {
                    label: actor.label.clone(),
                    geonames_id: actor
                        .country
                        .as_deref()
                        .and_then(|iso| self.places.country(iso))
                        .map(|c| c.geonames_id),
                    country: actor.country.clone(),
                    admin1: None,
                    lat: None,
                    lon: None,
                    precision: LocationPrecision::Country,
                    from: LocationSource::Sentence,
                });
            }
        }
        if depth == 0 {
            return None;
        }
        self.deeper(c, case, sentence, words, depth)
    }

    /// A place reading of the nouns a phrase head governs by "of" or a place preposition.
    fn deeper(
        &self,
        c: usize,
        case: &str,
        sentence: &Range<usize>,
        words: &[&str],
        depth: usize,
    ) -> Option<Location> {
        let t = self.tree;
        for &d in t.children(c) {
            if t.base_rel(d) != "nmod" || !sentence.contains(&d) {
                continue;
            }
            let Some(inner) = t.case_of(d).map(str::to_lowercase) else {
                continue;
            };
            if inner == "of" || AT.contains(&inner.as_str()) {
                let case = if inner == "of" { case } else { inner.as_str() };
                if let Some(loc) = self.phrase(d, case, sentence, words, depth - 1) {
                    return Some(loc);
                }
            }
        }
        None
    }

    /// Whether a place name written as (or inside) an actor's name is the place here: it
    /// reads as a place over a country's name ("Atlanta, Georgia"), a qualifier says so, or
    /// it is a place standing for an actor ("Brussels" for the EU). "Struck Hamas" and "the
    /// Kharkiv administration" name actors.
    fn is_place_here(&self, rp: &ResolvedPlace, sentence: &Range<usize>, words: &[&str]) -> bool {
        !rp.in_actor_name
            || rp.over_country.is_some()
            || rp.how == Resolution::Qualifier
            || self.names_a_seat(rp, sentence, words)
    }

    /// Whether a place's name is, exactly, a place standing for an actor ("Brussels" for
    /// the EU): after a place preposition it is the place.
    fn names_a_seat(&self, rp: &ResolvedPlace, sentence: &Range<usize>, words: &[&str]) -> bool {
        self.gazetteer
            .longest_match(words, rp.start - sentence.start)
            .is_some_and(|m| {
                m.len == rp.end - rp.start && matches!(m.how, NameKind::Metonym { sector: None })
            })
    }

    /// The tokens of a noun and the compound, flat and adjective words before it.
    fn noun_span(&self, c: usize) -> (usize, usize) {
        let t = self.tree;
        let mut start = c;
        for &d in t.children(c) {
            if d < start
                && matches!(
                    t.base_rel(d),
                    "compound" | "flat" | "amod" | "nmod" | "det" | "nummod"
                )
                && t.case_of(d).is_none()
            {
                start = d;
            }
        }
        let mut end = c;
        for &d in t.children(c) {
            if d > end && d == end + 1 && matches!(t.base_rel(d), "flat" | "compound") {
                end = d;
            }
        }
        (start, end)
    }

    /// The resolved place whose name lies in `range`; a region that qualifies the town
    /// before it ("Austin, Texas") stands for the town.
    fn place_covering(&self, range: Range<usize>) -> Option<&ResolvedPlace> {
        let rp = self
            .doc_places
            .iter()
            .find(|rp| range.contains(&rp.start) && rp.end <= range.end)?;
        let region = self.places.place(rp.place);
        if region.kind != PlaceKind::Admin1 || rp.start < 2 || self.tree.word(rp.start - 1) != "," {
            return Some(rp);
        }
        let town = self.doc_places.iter().find(|town| {
            let p = self.places.place(town.place);
            town.end == rp.start - 1
                && p.kind != PlaceKind::Admin1
                && p.country == region.country
                && p.admin1_code == region.admin1_code
        });
        Some(town.unwrap_or(rp))
    }

    /// Whether a resolved place is a capital standing for its country ("Moscow said", "a
    /// deal with Paris", "accused Kigali") or the name of a territory the actor gazetteer
    /// codes as a country-level actor ("a ceasefire plan for Gaza"): the actor finder
    /// codes those, and they place no event. After a place preposition ("in Kigali", "in
    /// Gaza") they are places.
    fn is_actor_country_name(&self, rp: &ResolvedPlace) -> bool {
        let t = self.tree;
        let p = self.places.place(rp.place);
        let words: Vec<&str> = (rp.start..rp.end).map(|i| t.word(i)).collect();
        let territory = || {
            self.gazetteer.longest_match(&words, 0).is_some_and(|m| {
                m.len == words.len()
                    && m.how == NameKind::Name
                    && self.gazetteer.actor(m.actor).kind == NodeKind::Country
            })
        };
        (p.kind == PlaceKind::Capital || territory())
            && !(rp.start..rp.end).any(|i| {
                t.case_of(i)
                    .is_some_and(|c| AT.contains(&c.to_lowercase().as_str()))
            })
    }

    /// The capital of a country (ISO3), from the place gazetteer.
    fn capital(&self, iso: &str) -> Option<PlaceId> {
        self.places.capital(iso)
    }

    fn place(&self, id: PlaceId, from: LocationSource) -> Location {
        let p = self.places.place(id);
        Location {
            label: p.name.clone(),
            geonames_id: Some(p.geonames_id),
            country: Some(p.country.clone()),
            admin1: p.admin1_name.clone(),
            lat: p.position.map(|x| x.lat),
            lon: p.position.map(|x| x.lon),
            precision: match p.kind {
                PlaceKind::Admin1 => LocationPrecision::Admin1,
                PlaceKind::Capital | PlaceKind::City => LocationPrecision::City,
            },
            from,
        }
    }
}
