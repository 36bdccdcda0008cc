//! Where an event happened, strongest evidence first:
//!
//! 1. its target, when the target is a place ("shelled Kharkiv");
//! 2. a place phrase on the event's trigger, on the verb whose object the trigger is, or
//!    on the trigger's object ("met in Geneva", "held talks at the White House", "an
//!    attack near Kherson", "attacked a post in northern Mali", "on the
//!    sidelines of the summit in Lima", "in northern Burkina Faso"): a town or region of the
//!    place gazetteer, a seat of power standing for its country ("the White House",
//!    "the Kremlin": placed at the country's capital), or a country;
//! 3. a town or region the sentence names elsewhere (not inside an actor's name);
//! 4. the dateline's place.
//!
//! Which of several same-named places a name means was decided for the whole document by
//! [`super::places`]; this pass only picks, per event, which of the sentence's places it is.

use std::ops::Range;

use super::places::{DocPlaces, ResolvedPlace};
use super::tree::Tree;
use crate::knowledge::actors::{Gazetteer, NameKind};
use crate::knowledge::places::{PlaceId, PlaceKind, Places};
use crate::model::{Location, LocationPrecision, LocationSource, NodeKind};

/// Prepositions that put an event at a place.
const AT: &[&str] = &[
    "in",
    "at",
    "near",
    "outside",
    "inside",
    "across",
    "throughout",
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
];

/// Prepositions that put an event in a whole country ("in Ukraine", "across Syria");
/// "to Ukraine" or "on Ukraine" name a party, not a place.
const IN_COUNTRY: &[&str] = &["in", "inside", "across", "throughout", "within"];

/// What the locator reads: the document's tree and resolved places, and the gazetteers.
pub struct Locator<'a> {
    pub tree: &'a Tree<'a>,
    pub doc_places: &'a DocPlaces,
    pub places: &'a Places,
    pub gazetteer: &'a Gazetteer,
}

impl Locator<'_> {
    /// The location of an event with trigger `trigger` and target mention `target` (first
    /// token, one past the last, head token; doc-level) in the sentence `sentence`;
    /// `force` for an event of force done at its target (CAMEO roots 14, 15, 17 to 20).
    pub fn locate(
        &self,
        trigger: usize,
        target: Option<(usize, usize, usize)>,
        force: bool,
        sentence: Range<usize>,
    ) -> Option<Location> {
        let t = self.tree;
        // 1. A target that is a place: the place's name is the target mention's head. A
        // capital as the target of words or policy ("accused Kigali", "cut ties with
        // Paris") is its country, not a place; as the target of force ("shelled Kyiv") it
        // is both.
        if let Some((a, b, head)) = target {
            if let Some(rp) = self
                .place_covering(a..b)
                .filter(|rp| (rp.start..rp.end).contains(&head))
                .filter(|rp| force || !self.is_actor_country_name(rp))
            {
                return Some(self.place(rp.place, LocationSource::Sentence));
            }
        }
        // 2. A place phrase on the trigger or on the verb it is the object of.
        let mut anchors = vec![trigger];
        if matches!(
            t.base_rel(trigger),
            "obj" | "nsubj" | "xcomp" | "compound" | "nmod"
        ) {
            if let Some(h) = t.head(trigger) {
                anchors.push(h);
            }
        }
        // The object's own place phrase: "attacked an army post in northern Burkina Faso".
        anchors.extend(t.children_rel(trigger, "obj"));
        // The sentence's words, for gazetteer names inside the phrases.
        let words: Vec<&str> = sentence.clone().map(|i| t.word(i)).collect();
        for &a in &anchors {
            for &c in t.children(a) {
                if !sentence.contains(&c) || !matches!(t.base_rel(c), "obl" | "nmod" | "advmod") {
                    continue;
                }
                let Some(case) = t.case_of(c).map(str::to_lowercase) else {
                    continue;
                };
                if !AT.contains(&case.as_str()) {
                    continue;
                }
                if let Some(loc) = self.phrase(c, &case, &sentence, &words, 3) {
                    return Some(loc);
                }
            }
        }
        self.in_sentence(sentence)
    }

    /// The location of an event of `sentence` whose trigger reads no place: a town or
    /// region the sentence names, else the dateline's place.
    pub fn in_sentence(&self, sentence: Range<usize>) -> Option<Location> {
        // 3. A town or region the sentence names.
        if let Some(rp) = self
            .doc_places
            .iter()
            .filter(|rp| sentence.contains(&rp.start) && !rp.in_actor_name)
            .find(|rp| rp.over_country.is_some() || !self.is_actor_country_name(rp))
        {
            return Some(self.place(rp.place, LocationSource::Sentence));
        }
        // 4. The dateline.
        self.doc_places
            .dateline()
            .map(|p| self.place(p, LocationSource::Dateline))
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
        if let Some(rp) = self.place_covering(start..end + 1) {
            if !rp.in_actor_name || rp.over_country.is_some() {
                return Some(self.place(rp.place, LocationSource::Sentence));
            }
        }
        // Gazetteer names: a seat of power, or a country.
        for s in start..=end {
            let Some(m) = self.gazetteer.longest_match(words, s - sentence.start) else {
                continue;
            };
            if s + m.len <= end {
                continue;
            }
            let actor = self.gazetteer.actor(m.actor);
            match (&m.how, actor.kind) {
                (NameKind::Metonym { sector: Some(_) }, _) => {
                    let iso = actor.country.as_deref()?;
                    let capital = self.capital(iso)?;
                    let mut loc = self.place(capital, LocationSource::Sentence);
                    let seat = words[s - sentence.start..s - sentence.start + m.len].join(" ");
                    loc.label = format!("{seat}, {}", loc.label);
                    return Some(loc);
                }
                (NameKind::Name, NodeKind::Country) if IN_COUNTRY.contains(&case) => {
                    return Some(Location {
                        label: actor.label.clone(),
                        geonames_id: None,
                        country: actor.country.clone(),
                        admin1: None,
                        lat: None,
                        lon: None,
                        precision: LocationPrecision::Country,
                        from: LocationSource::Sentence,
                    });
                }
                _ => {}
            }
        }
        if depth == 0 {
            return None;
        }
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

    /// The resolved place whose name lies in `range`.
    fn place_covering(&self, range: Range<usize>) -> Option<&ResolvedPlace> {
        self.doc_places
            .iter()
            .find(|rp| range.contains(&rp.start) && rp.end <= range.end)
    }

    /// Whether a resolved place is a capital standing for its country ("Moscow said", "a
    /// deal with Paris", "accused Kigali"): the actor finder codes those, and they place
    /// no event. A capital after a place preposition ("in Kigali") is a place.
    fn is_actor_country_name(&self, rp: &ResolvedPlace) -> bool {
        let t = self.tree;
        let p = self.places.place(rp.place);
        p.kind == PlaceKind::Capital
            && !(rp.start..rp.end).any(|i| {
                t.case_of(i)
                    .is_some_and(|c| AT.contains(&c.to_lowercase().as_str()))
            })
    }

    /// The capital of a country (ISO3), from the place gazetteer.
    fn capital(&self, iso: &str) -> Option<PlaceId> {
        self.places
            .places()
            .iter()
            .position(|p| p.kind == PlaceKind::Capital && p.country == iso)
            .map(|i| i as PlaceId)
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
