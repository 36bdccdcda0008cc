//! Which place a place name means in one document.
//!
//! CAMEO codes a place as its country, so "Tripoli" must become Libya or Lebanon before it
//! can code. The gazetteer (`knowledge::places`) lists every place of a name; this pass picks
//! one per mention from what the document says, strongest evidence first:
//!
//! 1. a qualifier in the text: "Paris, Texas", "Tripoli, Lebanon", "Hyderabad in Pakistan",
//!    "the Ukrainian city of Kharkiv", "Iraq's Erbil", "Georgia's capital Tbilisi", and
//!    "Kharkiv region" for the region rather than the city;
//! 2. the document's other places and its dateline: a candidate sharing a region, then a
//!    country, with the places the document names unambiguously, and a town within 160 km
//!    of up to two other towns the document names (local news names neighbours: "Dublin"
//!    beside "Macon" and "Warner Robins" is Dublin, Georgia). Neighbours are those named
//!    unambiguously and, in a second round, every other name's reading of the first round
//!    ("Columbus", read as Ohio's capital, puts "Dublin" in Ohio); a repetition of the same
//!    name is no evidence for itself, and a name or town the document repeats counts once
//!    for the others;
//! 3. the countries of the actors the document names;
//! 4. capitals first, then population.
//!
//! Context never moves a name away from a place twenty times more populous than the
//! candidate it would favour (a story set in Texas that mentions "Paris" still means
//! France), unless the candidate is a neighbour of two other towns the document names, or
//! lies in a region the document names and the document names it at least twice (a local
//! story repeats its town); a qualifier always does. A region the first round reads for
//! an ambiguous name ("Virginia": the state, not the South African town) counts as the
//! document's region in the second. A region named like a city inside it ("Kharkiv", "New York")
//! means the city unless a region noun follows.
//!
//! A name that is also a country's ("Georgia", "Jordan") stays the country unless the text
//! qualifies it ("Atlanta, Georgia") or the document places itself in the other country's
//! region, or in that country with no sign of the first; the [`ResolvedPlace`] then says
//! which country reading it overrides, so the mention finder can prefer it. A territory the
//! actor gazetteer codes under its country ("Gaza", PSEGZA) keeps its place in that country.
//!
//! A name that is exactly a group's or an organisation's name in the actor gazetteer
//! ("Hamas", listed among Hamm's alternate names; "Nato", a town in the Philippines) is that
//! body, not a place, unless a qualifier says otherwise.
//!
//! The pass is a hash lookup per capitalised token plus a few comparisons per candidate.

use std::collections::HashMap;
use std::ops::Range;

use crate::extract::tree::Tree;
use crate::knowledge::actors::{tokenize, ActorId, Gazetteer, NameKind};
use crate::knowledge::places::{LatLon, PlaceId, PlaceKind, Places};
use crate::model::NodeKind;

/// How a place was chosen among the places of its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Resolution {
    /// The only place of that name.
    Only,
    /// A qualifier next to the name ("Paris, Texas", "the Ukrainian city of Kharkiv").
    Qualifier,
    /// Shared region or country with the document's other places or its dateline.
    Document,
    /// The countries of the actors the document names.
    Actors,
    /// Nothing in the document decided: capitals first, then population.
    Prior,
}

/// A place name in the document and the place it means.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedPlace {
    /// First token of the name (document token index).
    pub start: usize,
    /// One past its last token.
    pub end: usize,
    pub place: PlaceId,
    pub how: Resolution,
    /// How many places bear the name.
    pub candidates: usize,
    /// The country whose name this is too ("Georgia"), when the place reading wins over it.
    pub over_country: Option<ActorId>,
    /// The name is, or lies inside, an actor name of the gazetteer ("New York" in "New York
    /// Times", a surname that is also a town): the caller decides; such names do not count
    /// as context for other places.
    pub in_actor_name: bool,
    /// The text calls the name a place ("the town of Duma", "the Syrian city of Aleppo"):
    /// the place reading wins over an actor of the same name (Russia's Duma).
    pub named_place: bool,
}

/// The places of one document, resolved.
#[derive(Debug, Clone, Default)]
pub struct DocPlaces {
    /// Sorted by `start`, at most one per start token.
    spans: Vec<ResolvedPlace>,
    dateline: Option<PlaceId>,
    dateline_country: Option<String>,
}

impl DocPlaces {
    /// Resolves every place name of the parsed document against the gazetteers, with the
    /// dateline place as the input gave it ("KYIV", "YEREVAN, Armenia", "WASHINGTON").
    pub fn resolve(
        tree: &Tree,
        places: &Places,
        gazetteer: &Gazetteer,
        dateline: Option<&str>,
    ) -> DocPlaces {
        let mut pass = Pass {
            tree,
            places,
            gaz: gazetteer,
            cands: Vec::new(),
            anchors: Vec::new(),
            actor_countries: HashMap::new(),
            forced: HashMap::new(),
            points: Vec::new(),
        };
        let sentences: Vec<Range<usize>> = tree
            .doc
            .sentences
            .iter()
            .map(|s| s.tokens.clone())
            .filter(|r| !r.is_empty() && r.end <= tree.len())
            .collect();
        let mut clash_spans = Vec::new();
        let mut actor_matches = Vec::new();
        for r in &sentences {
            pass.scan_sentence(r.clone(), &mut actor_matches, &mut clash_spans);
        }
        // A place name's own actor reading (a capital, a country name) is not evidence for
        // it: places count through the anchors, once.
        let place_spans: std::collections::HashSet<(usize, usize)> = pass
            .cands
            .iter()
            .map(|c| (c.start, c.end - c.start))
            .collect();
        for (start, len, actor) in actor_matches {
            if clash_spans.contains(&(start, len)) || place_spans.contains(&(start, len)) {
                continue;
            }
            if let Some(c) = &gazetteer.actor(actor).country {
                *pass.actor_countries.entry(c.clone()).or_default() += 1;
            }
        }
        for k in 0..pass.cands.len() {
            pass.qualify(k);
        }
        pass.collect_anchors();
        pass.points = pass
            .anchors
            .iter()
            .filter_map(|a| Some((a.cand, a.point?)))
            .collect();
        let (dateline_place, dateline_country) = match dateline {
            Some(d) => pass.dateline(d),
            None => (None, None),
        };
        if let Some(id) = dateline_place {
            let p = places.place(id);
            pass.anchors.push(Anchor {
                cand: usize::MAX,
                country: p.country.clone(),
                admin1: p.admin1_code.clone(),
                point: p.position,
            });
            pass.points.extend(p.position.map(|at| (usize::MAX, at)));
        }
        distinct_towns(&mut pass.points);
        // A name the document repeats is one piece of evidence, however often it is
        // repeated ("Macon ... Macon" is one town in Georgia, not two).
        let mut named = std::collections::HashSet::new();
        let cands = &pass.cands;
        pass.anchors.retain(|a| match cands.get(a.cand) {
            Some(c) => named.insert(c.places.as_slice()),
            None => true,
        });
        let first: Vec<(usize, Option<ResolvedPlace>)> =
            (0..pass.cands.len()).map(|k| (k, pass.decide(k))).collect();
        // The towns each name was resolved to, so a second round sees an ambiguous name's
        // likeliest reading as a neighbour ("Columbus" read as Ohio's capital puts "Dublin"
        // in Ohio).
        let resolved: Vec<(usize, LatLon)> = first
            .iter()
            .filter_map(|(k, r)| {
                let p = places.place(r.as_ref()?.place);
                (p.kind != PlaceKind::Admin1).then_some((*k, p.position?))
            })
            .collect();
        // The second round re-decides the names with several places, when there are
        // readings to be neighbours of.
        let second = resolved.len() > 1;
        if second {
            pass.points.extend(resolved);
            distinct_towns(&mut pass.points);
        }
        // A region the first round read for an ambiguous name ("Virginia", the state
        // before the South African town) is the document's region too in the second.
        let anchored: std::collections::HashSet<usize> =
            pass.anchors.iter().map(|a| a.cand).collect();
        let regions: Vec<Anchor> = first
            .iter()
            .filter_map(|(k, r)| {
                let p = places.place(r.as_ref()?.place);
                (p.kind == PlaceKind::Admin1 && !anchored.contains(k) && !pass.cands[*k].in_actor)
                    .then(|| Anchor {
                        cand: *k,
                        country: p.country.clone(),
                        admin1: p.admin1_code.clone(),
                        point: None,
                    })
            })
            .collect();
        let second = second || !regions.is_empty();
        pass.anchors.extend(regions);
        let spans: Vec<ResolvedPlace> = first
            .into_iter()
            .filter_map(|(k, r)| {
                if second && pass.cands[k].places.len() > 1 {
                    pass.decide(k)
                } else {
                    r
                }
            })
            .collect();
        DocPlaces {
            spans,
            dateline: dateline_place,
            dateline_country,
        }
    }

    /// The longest place name starting at `token`, resolved, whether or not it lies inside
    /// a longer name; a caller walking the tokens skips to `end` after a match.
    pub fn at(&self, token: usize) -> Option<&ResolvedPlace> {
        self.spans
            .binary_search_by_key(&token, |s| s.start)
            .ok()
            .map(|k| &self.spans[k])
    }

    /// Every resolved place name, in text order (names may overlap: "New York" and "York").
    pub fn iter(&self) -> impl Iterator<Item = &ResolvedPlace> {
        self.spans.iter()
    }

    /// The dateline's place, when the gazetteer knows it.
    pub fn dateline(&self) -> Option<PlaceId> {
        self.dateline
    }

    /// The dateline's country (ISO3): its place's, or the country it names ("…, Armenia").
    pub fn dateline_country(&self) -> Option<&str> {
        self.dateline_country.as_deref()
    }
}

/// Below this population a town abroad needs the document's support to be read as such
/// (see `Pass::stray`).
const STRAY_POPULATION: u64 = 100_000;

/// Nouns that say the next name is a place ("the city of Kharkiv", "the port Odesa").
const PLACE_NOUNS: &[&str] = &[
    "city",
    "town",
    "village",
    "capital",
    "port",
    "province",
    "region",
    "state",
    "district",
    "governorate",
    "oblast",
    "county",
    "municipality",
    "prefecture",
    "suburb",
    "enclave",
    "stronghold",
    "hub",
    "border",
    "settlement",
    "outpost",
];

/// Nouns that, after a name or in "the region of X", ask for the region rather than the city.
const REGION_NOUNS: &[&str] = &[
    "region",
    "province",
    "oblast",
    "governorate",
    "state",
    "prefecture",
    "county",
];

/// Capitalised nouns that, right after a town's name, make a new name for something else,
/// often far from the town: "Laurel County", "Madison Township", "Memphis Street". The town
/// is not meant, and neither is a region unless it is the region of that name ("Bomet
/// County" is Kenya's county of Bomet).
const NAMED_AFTER: &[&str] = &[
    "county",
    "parish",
    "township",
    "borough",
    "street",
    "st.",
    "avenue",
    "ave.",
    "road",
    "rd.",
    "drive",
    "boulevard",
    "blvd.",
    "lane",
    "highway",
    "pike",
    "parkway",
];

/// Honorifics: a name after one is a person's ("Mr. Jackson").
const HONORIFICS: &[&str] = &[
    "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sir", "dame", "lady", "lord",
];

/// Context never moves a name to a place this many times less populous than the biggest
/// place of the name.
const CONTEXT_REACH: u64 = 20;

/// A name the document uses this often, for a town in a region the document names, is the
/// story's own town, in reach whatever its size (a local story repeats its town's name; a
/// trip abroad names its destination once or twice).
const LOCAL_MENTIONS: usize = 2;

/// A town within this distance (100 miles, the geoparsing literature's "same area") of
/// another town the document names is its neighbour (rule 2 of the module docs).
const NEIGHBOUR_KM: f64 = 160.0;

/// [`NEIGHBOUR_KM`] in degrees of latitude, a cheap test before the distance.
const NEIGHBOUR_DEGREES: f64 = NEIGHBOUR_KM / 111.0;

/// What each such neighbour adds to a candidate's score (at most two count); enough to
/// outweigh a capital abroad a hundred times larger.
const NEIGHBOUR_WEIGHT: f64 = 2.5;

/// A place name found in the text, before resolution.
#[derive(Debug, Clone)]
struct Cand {
    start: usize,
    end: usize,
    sentence: Range<usize>,
    places: Vec<PlaceId>,
    /// The candidates whose own name this is (not an alternate).
    own: Vec<PlaceId>,
    all: usize,
    /// Not inside an earlier name.
    primary: bool,
    in_actor: bool,
    /// The name is, exactly, a name of a group or an organisation of the actor gazetteer
    /// ("Hamas", "Nato"): that body, not a place, unless a qualifier says so.
    body: bool,
    clash: Option<ActorId>,
    qualified: bool,
    /// Written after a place noun and "of" ("the town of Duma").
    named_place: bool,
}

/// A place the document names unambiguously (by country, and by region when all agree).
#[derive(Debug, Clone)]
struct Anchor {
    /// The candidate it came from (`usize::MAX` for the dateline).
    cand: usize,
    country: String,
    admin1: Option<String>,
    /// Where it is, when the name has one town (regions are too wide to say what is near).
    point: Option<LatLon>,
}

/// What a qualifier phrase can mean.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Reading {
    Country(ActorId),
    Region(PlaceId),
}

struct Pass<'a> {
    tree: &'a Tree<'a>,
    places: &'a Places,
    gaz: &'a Gazetteer,
    cands: Vec<Cand>,
    anchors: Vec<Anchor>,
    actor_countries: HashMap<String, usize>,
    /// Start token -> the region a qualifier decided ("Atlanta, Georgia" decides "Georgia").
    forced: HashMap<usize, PlaceId>,
    /// The towns a candidate may be a neighbour of: the anchors' points, then (second
    /// round) the resolved towns too.
    points: Vec<(usize, LatLon)>,
}

impl<'a> Pass<'a> {
    fn words(&self, r: &Range<usize>) -> Vec<&'a str> {
        let tree: &'a Tree<'a> = self.tree;
        r.clone().map(|i| tree.word(i)).collect()
    }

    /// Finds the place names of one sentence, and the actor names the gazetteer sees in it
    /// (for the actor-country counts and to know which place names are actors too).
    fn scan_sentence(
        &mut self,
        r: Range<usize>,
        actor_matches: &mut Vec<(usize, usize, ActorId)>,
        clash_spans: &mut Vec<(usize, usize)>,
    ) {
        let words = self.words(&r);
        let base = r.start;
        // Greedy actor names, as the mention finder reads them.
        let mut cover: Vec<Option<(usize, usize, ActorId, NameKind)>> = vec![None; words.len()];
        let mut k = 0;
        while k < words.len() {
            match self.gaz.longest_match(&words, k) {
                Some(m) => {
                    for c in cover.iter_mut().skip(k).take(m.len) {
                        *c = Some((k, m.len, m.actor, m.how.clone()));
                    }
                    actor_matches.push((base + k, m.len, m.actor));
                    k += m.len;
                }
                None => k += 1,
            }
        }
        let mut primary_end = 0;
        for (k, covered) in cover.iter().enumerate() {
            let Some(m) = self.places.at(&words, k) else {
                continue;
            };
            let end = k + m.len;
            if !self.looks_like_a_place(&words, base, k, end, m.places) {
                continue;
            }
            let mut in_actor = false;
            let mut body = false;
            let mut clash = None;
            if let Some((gs, glen, actor, how)) = covered {
                let a = self.gaz.actor(*actor);
                if *gs == k && *glen == m.len {
                    match (a.kind, how) {
                        (NodeKind::Country, NameKind::Name) => clash = Some(*actor),
                        (
                            NodeKind::Country,
                            NameKind::Metonym { sector: None } | NameKind::Place,
                        ) => {}
                        (NodeKind::Group | NodeKind::Organisation, NameKind::Name) => {
                            in_actor = true;
                            body = true;
                        }
                        _ => in_actor = true,
                    }
                } else if *gs <= k && gs + glen >= end && *how != NameKind::Place {
                    in_actor = true;
                }
            }
            if clash.is_some() {
                clash_spans.push((base + k, m.len));
            }
            let primary = k >= primary_end;
            if primary {
                primary_end = end;
            }
            self.cands.push(Cand {
                start: base + k,
                end: base + end,
                sentence: r.clone(),
                places: m.places.to_vec(),
                own: m.places[..m.own].to_vec(),
                all: m.places.len(),
                primary,
                in_actor,
                body,
                clash,
                qualified: false,
                named_place: false,
            });
        }
    }

    /// The tagger and parser's say: a one-word name must be a proper noun, or a capitalised
    /// noun inside the sentence (the tagger calls rare names nouns; "Police said" at the
    /// start is not Police, Poland), and a name inside a person's name ("Paris Hilton",
    /// "Mr. Jackson") is not a place. `places` are the places of the name.
    fn looks_like_a_place(
        &self,
        words: &[&str],
        base: usize,
        k: usize,
        end: usize,
        places: &[PlaceId],
    ) -> bool {
        let t = self.tree;
        let (s, e) = (base + k, base + end);
        if end - k == 1 {
            // "East" alone is a direction ("East Bank", "the North"), not Cameroon's East
            // Region or Lebanon's North Governorate.
            if COMPASS.contains(&words[k].to_lowercase().as_str()) {
                return false;
            }
            let noun_inside = t.upos(s) == "NOUN" && k > 0;
            if !matches!(t.upos(s), "PROPN" | "X") && !noun_inside {
                return false;
            }
        } else if matches!(t.upos(e - 1), "VERB" | "AUX" | "PRON" | "ADP" | "DET")
            || (s..e).any(|i| matches!(t.upos(i), "VERB" | "AUX" | "PRON"))
        {
            return false;
        }
        let inside = |i: usize| (s..e).contains(&i);
        let flat_out =
            (s..e).any(|i| t.deprel(i) == "flat" && t.head(i).is_some_and(|h| !inside(h)));
        let flat_in = [s.checked_sub(1), Some(e)]
            .into_iter()
            .flatten()
            .filter(|&i| i < t.len() && i >= base && i < base + words.len())
            .any(|i| t.deprel(i) == "flat" && t.head(i).is_some_and(inside));
        if flat_out || flat_in {
            return false;
        }
        if k > 0 && HONORIFICS.contains(&words[k - 1].to_lowercase().as_str()) {
            return false;
        }
        // "the Red Sea", "the Gulf of Aden" (a region named after water is written without
        // "the"): a body of water is nobody's territory.
        let water = |w: &str| WATER.contains(&w.to_lowercase().as_str());
        if k > 0
            && words[k - 1].eq_ignore_ascii_case("the")
            && words[k..end].iter().any(|w| water(w))
        {
            return false;
        }
        // "Laurel County", "Memphis Street": see NAMED_AFTER.
        let named_after = words.get(end).is_some_and(|w| {
            w.starts_with(char::is_uppercase) && NAMED_AFTER.contains(&w.to_lowercase().as_str())
        });
        if named_after {
            let is_region = words[end].eq_ignore_ascii_case("county")
                && places
                    .iter()
                    .any(|&p| self.places.place(p).kind == PlaceKind::Admin1);
            if !is_region {
                return false;
            }
        }
        // A short all-capitals word in running text is an acronym ("EU" is not Eu, France);
        // one written with stops is an abbreviation the gazetteer lists ("S.C.", "D.C.").
        let letters = words[k].chars().filter(|c| c.is_alphabetic()).count();
        let stops = words[k].len() > 2
            && words[k].ends_with('.')
            && words[k][..words[k].len() - 1].contains('.');
        let caps = letters <= 4 && !words[k].chars().any(char::is_lowercase) && !stops;
        if end - k == 1 && caps && words.iter().any(|w| w.chars().any(char::is_lowercase)) {
            return false;
        }
        // A title is not a place ("Vice President").
        if self
            .gaz
            .title_at(words, k)
            .is_some_and(|tm| tm.len >= end - k)
        {
            return false;
        }
        let titled = (k.saturating_sub(3)..k).any(|st| {
            self.gaz
                .title_at(words, st)
                .is_some_and(|tm| st + tm.len == k)
        });
        !titled
    }

    /// Rule 1: a qualifier narrows the candidates ("Paris, Texas").
    fn qualify(&mut self, k: usize) {
        // The candidate's places are taken out while its qualifiers are read (no copy of
        // the candidate), and put back, narrowed or not, below.
        let (start, end, sentence) = {
            let c = &self.cands[k];
            (c.start, c.end, c.sentence.clone())
        };
        let places = std::mem::take(&mut self.cands[k].places);
        let r = &sentence;
        let words = self.words(r);
        let (a, b) = (start - r.start, end - r.start);
        let mut readings: Vec<(Reading, Option<usize>)> = Vec::new();
        // After: "X, Y" and "X in Y".
        if let Some(&next) = words.get(b) {
            if next == "," || next == "in" {
                // A country's name or a region, not an adjective: "Paris, Texas".
                for (rd, _) in self.readings_at(&words, b + 1, false) {
                    readings.push((rd, Some(r.start + b + 1)));
                }
            }
        }
        // Before: "Y's [capital] X", "the Y city of X".
        let mut j = a;
        if j > 0 && words[j - 1].eq_ignore_ascii_case("of") {
            j -= 1;
        }
        let mut nouns = 0;
        let mut place_noun = false;
        let mut region_noun = false;
        while j > 0 && nouns < 3 && is_lower_word(words[j - 1]) {
            let w = words[j - 1];
            place_noun |= PLACE_NOUNS.contains(&w);
            // Only the word next to the name: "the Mexican state of Guanajuato", not "the
            // secretary of state travelled to Beijing".
            region_noun |= nouns == 0 && REGION_NOUNS.contains(&w);
            j -= 1;
            nouns += 1;
        }
        if j >= 2 && matches!(words[j - 1], "'s" | "\u{2019}s") {
            for (rd, start) in self.readings_ending_at(&words, j - 2, false) {
                readings.push((rd, Some(r.start + start)));
            }
        } else if place_noun && j >= 1 {
            for (rd, start) in self.readings_ending_at(&words, j - 1, true) {
                readings.push((rd, Some(r.start + start)));
            }
        }
        let fits = |p: PlaceId, rd: &Reading| {
            let pl = self.places.place(p);
            match *rd {
                Reading::Country(actor) => {
                    self.gaz.actor(actor).country.as_deref() == Some(pl.country.as_str())
                }
                Reading::Region(region) => {
                    let reg = self.places.place(region);
                    p != region && pl.country == reg.country && pl.admin1_code == reg.admin1_code
                }
            }
        };
        // A country reading first: "Georgia's capital Tbilisi" is the country's before the
        // state's; the region reading counts where no place fits the country ("Atlanta,
        // Georgia").
        let countries: Vec<(Reading, Option<usize>)> = readings
            .iter()
            .filter(|(rd, _)| matches!(rd, Reading::Country(_)))
            .cloned()
            .collect();
        let by_country: Vec<PlaceId> = places
            .iter()
            .copied()
            .filter(|&p| countries.iter().any(|(rd, _)| fits(p, rd)))
            .collect();
        if !by_country.is_empty() {
            readings = countries;
        }
        let kept: Vec<PlaceId> = places
            .iter()
            .copied()
            .filter(|&p| readings.iter().any(|(rd, _)| fits(p, rd)))
            .collect();
        let mut forced = Vec::new();
        if !kept.is_empty() {
            for (rd, at) in &readings {
                if let (Reading::Region(region), Some(at)) = (rd, at) {
                    if kept.iter().any(|&p| fits(p, rd)) {
                        forced.push((*at, *region));
                    }
                }
            }
        }
        let cand = &mut self.cands[k];
        cand.places = places;
        if !kept.is_empty() {
            cand.places = kept;
            cand.qualified = true;
        }
        // "the (Syrian) town of Duma": a place, whatever actor bears the name.
        if place_noun && a > 0 && words[a - 1].eq_ignore_ascii_case("of") {
            cand.named_place = true;
            cand.in_actor = false;
            cand.body = false;
        }
        // "Kharkiv region", "the province of Helmand": the region of that name.
        let after_region = words
            .get(b)
            .is_some_and(|w| REGION_NOUNS.contains(&w.to_lowercase().as_str()));
        if after_region || region_noun {
            let regions: Vec<PlaceId> = cand
                .places
                .iter()
                .copied()
                .filter(|&p| self.places.place(p).kind == PlaceKind::Admin1)
                .collect();
            if !regions.is_empty() {
                cand.places = regions;
                cand.qualified = true;
            }
        }
        for (at, region) in forced {
            self.forced.entry(at).or_insert(region);
        }
    }

    /// What a qualifier starting at sentence position `j` can mean: a country name (or
    /// adjective), a region, or a US state's postal code ("Paris, TX").
    fn readings_at(&self, words: &[&str], j: usize, adjectives: bool) -> Vec<(Reading, usize)> {
        let mut out = Vec::new();
        if j >= words.len() {
            return out;
        }
        if let Some(m) = self.gaz.longest_match(words, j) {
            let country = self.gaz.actor(m.actor).kind == NodeKind::Country;
            let how_ok = matches!(m.how, NameKind::Name)
                || (adjectives && matches!(m.how, NameKind::Adjective));
            if country && how_ok {
                out.push((Reading::Country(m.actor), m.len));
            }
        }
        if let Some(m) = self.places.at(words, j) {
            for &p in m.places {
                if self.places.place(p).kind == PlaceKind::Admin1 {
                    out.push((Reading::Region(p), m.len));
                }
            }
        }
        let w = words[j];
        if w.len() == 2 && w.chars().all(|c| c.is_ascii_uppercase()) {
            if let Some(p) = self.places.admin1("USA", w) {
                out.push((Reading::Region(p), 1));
            }
        }
        out
    }

    /// Readings of a qualifier that ends at sentence position `j` (inclusive), with the
    /// position it starts at.
    fn readings_ending_at(
        &self,
        words: &[&str],
        j: usize,
        adjectives: bool,
    ) -> Vec<(Reading, usize)> {
        let mut out = Vec::new();
        for st in j.saturating_sub(3)..=j {
            for (rd, len) in self.readings_at(words, st, adjectives) {
                if st + len == j + 1 {
                    out.push((rd, st));
                }
            }
        }
        out
    }

    /// Rule 2's evidence: primary names that are not actors and whose candidates agree on a
    /// country (and perhaps a region).
    fn collect_anchors(&mut self) {
        for (k, c) in self.cands.iter().enumerate() {
            if !c.primary
                || c.in_actor
                || (c.clash.is_some() && !self.forced.contains_key(&c.start))
            {
                continue;
            }
            let places: Vec<PlaceId> = match self.forced.get(&c.start) {
                Some(&p) => vec![p],
                None => c.places.clone(),
            };
            let Some(&first) = places.first() else {
                continue;
            };
            let f = self.places.place(first);
            if places
                .iter()
                .all(|&p| self.places.place(p).country == f.country)
            {
                let same_region = places
                    .iter()
                    .all(|&p| self.places.place(p).admin1_code == f.admin1_code);
                self.anchors.push(Anchor {
                    cand: k,
                    country: f.country.clone(),
                    admin1: if same_region {
                        f.admin1_code.clone()
                    } else {
                        None
                    },
                    point: match places[..] {
                        [only] if self.places.place(only).kind != PlaceKind::Admin1 => {
                            self.places.place(only).position
                        }
                        _ => None,
                    },
                });
            }
        }
    }

    /// The dateline's place and country: "YEREVAN, Armenia", "KYIV", "NEW YORK".
    fn dateline(&self, text: &str) -> (Option<PlaceId>, Option<String>) {
        let (head, tail) = match text.split_once(',') {
            Some((h, t)) => (h.trim(), t.trim()),
            None => (text.trim(), ""),
        };
        let head_tokens = tokenize(head);
        let head_words: Vec<&str> = head_tokens.iter().map(String::as_str).collect();
        let tail_tokens = tokenize(tail);
        let tail_words: Vec<&str> = tail_tokens.iter().map(String::as_str).collect();
        let named_country = self
            .gaz
            .longest_match(&tail_words, 0)
            .filter(|m| m.len == tail_words.len())
            .and_then(|m| self.gaz.actor(m.actor).country.clone());
        let Some(m) = self
            .places
            .at(&head_words, 0)
            .filter(|m| m.len == head_words.len())
        else {
            let own = self
                .gaz
                .longest_match(&head_words, 0)
                .filter(|m| m.len == head_words.len())
                .and_then(|m| self.gaz.actor(m.actor).country.clone());
            return (None, named_country.or(own));
        };
        let mut cands = m.places.to_vec();
        let readings = self.readings_at(&tail_words, 0, false);
        let kept: Vec<PlaceId> = cands
            .iter()
            .copied()
            .filter(|&p| {
                let pl = self.places.place(p);
                readings.iter().any(|(rd, _)| match *rd {
                    Reading::Country(a) => {
                        self.gaz.actor(a).country.as_deref() == Some(pl.country.as_str())
                    }
                    Reading::Region(r) => {
                        let reg = self.places.place(r);
                        pl.country == reg.country && pl.admin1_code == reg.admin1_code
                    }
                })
            })
            .collect();
        if !kept.is_empty() {
            cands = kept;
        }
        let (best, _) = self.choose(&cands, &m.places[..m.own], usize::MAX);
        let country = self.places.place(best).country.clone();
        (Some(best), Some(country))
    }

    /// Rules 2 to 4 over the candidates `cands` of the name of candidate `own`; `named` are
    /// those that bear the name as their own, not as an alternate.
    fn choose(&self, cands: &[PlaceId], named: &[PlaceId], own: usize) -> (PlaceId, Resolution) {
        let pl = |p: PlaceId| self.places.place(p);
        // A place's own name before another's alternate: "Salisbury" is the English city,
        // not Harare's colonial name.
        let by_own_name: Vec<PlaceId> = cands
            .iter()
            .copied()
            .filter(|p| named.contains(p))
            .collect();
        let cands = if by_own_name.is_empty() {
            cands
        } else {
            &by_own_name[..]
        };
        if cands.len() == 1 {
            return (cands[0], Resolution::Only);
        }
        let prior = |p: PlaceId| {
            let place = pl(p);
            let mut s = (place.population.max(1) as f64).log10();
            match place.kind {
                PlaceKind::Capital => s += 1.0,
                PlaceKind::Admin1 => s -= 0.5,
                PlaceKind::City => {}
            }
            s
        };
        // The anchors of other names, the same for every candidate.
        let others: Vec<&Anchor> = self
            .anchors
            .iter()
            .filter(|a| !self.same_name(a.cand, own))
            .collect();
        let document = |p: PlaceId| {
            let place = pl(p);
            let mut region = 0usize;
            let mut country = 0usize;
            for a in &others {
                if a.country == place.country {
                    country += 1;
                    if a.admin1.is_some() && a.admin1 == place.admin1_code {
                        region += 1;
                    }
                }
            }
            (
                f64::from(u8::from(region > 0)) + 2.0 * country.min(2) as f64,
                region,
            )
        };
        let actors = |p: PlaceId| {
            let n = self
                .actor_countries
                .get(&pl(p).country)
                .copied()
                .unwrap_or(0);
            n.min(3) as f64
        };
        let neighbours = |p: PlaceId| {
            let place = pl(p);
            let Some(here) = place.position.filter(|_| place.kind != PlaceKind::Admin1) else {
                return 0;
            };
            // At most two count: stop at the second distinct one.
            let mut first = None;
            for &(c, there) in &self.points {
                if (here.lat - there.lat).abs() > NEIGHBOUR_DEGREES
                    || here.distance_km(there) > NEIGHBOUR_KM
                    || self.same_name(c, own)
                {
                    continue;
                }
                match first {
                    None => first = Some(c),
                    Some(f) if f != c => return 2,
                    Some(_) => {}
                }
            }
            usize::from(first.is_some())
        };
        struct Scored {
            place: PlaceId,
            prior: f64,
            document: f64,
            /// How many places the document names in the candidate's region.
            region: usize,
            actors: f64,
            neighbours: usize,
        }
        let scored: Vec<Scored> = cands
            .iter()
            .map(|&p| {
                let (document, region) = document(p);
                Scored {
                    place: p,
                    prior: prior(p),
                    document,
                    region,
                    actors: actors(p),
                    neighbours: if self.points.is_empty() {
                        0
                    } else {
                        neighbours(p)
                    },
                }
            })
            .collect();
        let total =
            |s: &Scored| s.prior + s.document + s.actors + NEIGHBOUR_WEIGHT * s.neighbours as f64;
        // The first of the highest prior.
        let best_prior =
            scored.iter().fold(
                &scored[0],
                |best, s| if s.prior > best.prior { s } else { best },
            );
        let reach = pl(best_prior.place).population;
        // How often the document names this name (counted only when needed).
        let mentions = std::cell::OnceCell::new();
        let mentions = || {
            *mentions.get_or_init(|| {
                if own >= self.cands.len() {
                    return 0;
                }
                (0..self.cands.len())
                    .filter(|&c| self.same_name(c, own))
                    .count()
            })
        };
        let mut winner = best_prior;
        let mut top = total(best_prior);
        for s in &scored {
            // A neighbour of two named towns is in reach whatever its size: the story is
            // local. One is not enough ("Dallas officials ... flew to Paris"). So is a town
            // of a region the document names, when the document names the town again and
            // again ("Alexandria police ... in Virginia ... an Alexandria jury").
            if pl(s.place).population.saturating_mul(CONTEXT_REACH) < reach
                && s.neighbours < 2
                && (s.region == 0 || mentions() < LOCAL_MENTIONS)
            {
                continue;
            }
            if total(s) > top {
                top = total(s);
                winner = s;
            }
        }
        let how = if std::ptr::eq(winner, best_prior) {
            Resolution::Prior
        } else if winner.document - best_prior.document >= winner.actors - best_prior.actors {
            Resolution::Document
        } else {
            Resolution::Actors
        };
        let winner = winner.place;
        (self.city_of_region(winner, cands), how)
    }

    /// Whether candidates `a` and `b` are the same (or a repetition of the same) name, which
    /// is no evidence for itself; `usize::MAX` is the dateline.
    fn same_name(&self, a: usize, b: usize) -> bool {
        if a == b {
            return true;
        }
        match (self.cands.get(a), self.cands.get(b)) {
            // "Dublin City" (an alternate of Dublin, Ireland) beside "Dublin": every place
            // of one name is a place of the other, so neither supports the other.
            (Some(x), Some(y)) => {
                x.places.iter().all(|p| y.places.contains(p))
                    || y.places.iter().all(|p| x.places.contains(p))
            }
            _ => false,
        }
    }

    /// Whether a small town abroad that nothing else in the document points to is more
    /// likely a village the gazetteer does not hold, named like it: "Jermuk" in a story
    /// from Yerevan about Armenian towns is not the Turkish town that also bears the name.
    fn stray(&self, p: PlaceId, k: usize) -> bool {
        let pl = self.places.place(p);
        if pl.kind == PlaceKind::Capital || pl.population >= STRAY_POPULATION {
            return false;
        }
        let others = || self.anchors.iter().filter(|a| a.cand != k);
        let supported = others().any(|a| a.country == pl.country)
            || self
                .actor_countries
                .get(&pl.country)
                .is_some_and(|&n| n > 0);
        let elsewhere = others().any(|a| a.country != pl.country)
            || self
                .actor_countries
                .iter()
                .any(|(c, &n)| c != &pl.country && n > 0);
        !supported && elsewhere
    }

    /// A region named like a city inside it means the city: "Kharkiv", "New York".
    fn city_of_region(&self, p: PlaceId, cands: &[PlaceId]) -> PlaceId {
        let region = self.places.place(p);
        if region.kind != PlaceKind::Admin1 {
            return p;
        }
        cands
            .iter()
            .copied()
            .find(|&c| {
                let city = self.places.place(c);
                city.kind != PlaceKind::Admin1
                    && city.country == region.country
                    && city.admin1_code == region.admin1_code
            })
            .unwrap_or(p)
    }

    /// The resolved place for candidate `k`, or none when the name stays a country's.
    fn decide(&self, k: usize) -> Option<ResolvedPlace> {
        let c = &self.cands[k];
        let done = |place: PlaceId, how: Resolution, over_country: Option<ActorId>| {
            Some(ResolvedPlace {
                start: c.start,
                end: c.end,
                place,
                how,
                candidates: c.all,
                over_country,
                in_actor_name: c.in_actor,
                named_place: c.named_place,
            })
        };
        if let Some(&region) = self.forced.get(&c.start) {
            if c.places.contains(&region) {
                return done(region, Resolution::Qualifier, c.clash);
            }
        }
        // "Israel struck Hamas": the movement, not Hamm (whose alternates list "Hamas").
        if c.body && !c.qualified {
            return None;
        }
        let Some(country) = c.clash else {
            let (place, how) = self.choose(&c.places, &c.own, k);
            let how = if c.qualified && c.places.len() < c.all {
                Resolution::Qualifier
            } else {
                how
            };
            if !c.qualified && self.stray(place, k) {
                return None;
            }
            return done(place, how, None);
        };
        // A country's name: the places of that country are the country itself, unless the
        // name is only an alias the entry lists for a town of it ("Rafah" for Gaza), or the
        // entry is a territory inside the country (coded under it: "Gaza" is PSEGZA in
        // PSE), whose place of that name is the territory's.
        let actor = self.gaz.actor(country);
        let iso = actor.country.clone().unwrap_or_default();
        let name: Vec<&str> = (c.start..c.end).map(|i| self.tree.word(i)).collect();
        let territory = actor.code.len() > iso.len() && actor.code.starts_with(iso.as_str());
        if territory || !name.join(" ").eq_ignore_ascii_case(&actor.label) {
            let inside: Vec<PlaceId> = c
                .places
                .iter()
                .copied()
                .filter(|&p| self.places.place(p).country == iso)
                .collect();
            if !inside.is_empty() {
                let (place, how) = self.choose(&inside, &c.own, k);
                return done(place, how, None);
            }
        }
        let others: Vec<PlaceId> = c
            .places
            .iter()
            .copied()
            .filter(|&p| self.places.place(p).country != iso)
            .collect();
        if others.is_empty() {
            return None;
        }
        if c.qualified {
            let (place, _) = self.choose(&others, &c.own, k);
            return done(place, Resolution::Qualifier, Some(country));
        }
        let (place, _) = self.choose(&others, &c.own, k);
        let pl = self.places.place(place);
        let mine = |a: &&Anchor| a.cand != k;
        let in_region =
            self.anchors.iter().filter(mine).any(|a| {
                a.country == pl.country && a.admin1.is_some() && a.admin1 == pl.admin1_code
            });
        let there = self
            .anchors
            .iter()
            .filter(mine)
            .filter(|a| a.country == pl.country)
            .count();
        let home = self
            .anchors
            .iter()
            .filter(mine)
            .filter(|a| a.country == iso)
            .count()
            + self.actor_countries.get(&iso).copied().unwrap_or(0);
        if in_region || (there >= 2 && home == 0) {
            return done(place, Resolution::Document, Some(country));
        }
        None
    }
}

/// Keeps the first point of each town: a town the document names again is one neighbour,
/// and a long document's repetitions cost nothing per candidate.
fn distinct_towns(points: &mut Vec<(usize, LatLon)>) {
    let mut seen = std::collections::HashSet::new();
    points.retain(|(_, at)| seen.insert((at.lat.to_bits(), at.lon.to_bits())));
}

/// Directions, which a region's name may be but a word alone seldom means.
const COMPASS: &[&str] = &[
    "north",
    "south",
    "east",
    "west",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "central",
    "centre",
    "center",
];

/// Words that name a body of water.
const WATER: &[&str] = &[
    "sea", "ocean", "gulf", "strait", "straits", "bay", "channel", "river", "lake", "canal",
    "sound", "bight",
];

/// A lower-case word that may sit between a qualifier and its place: "capital",
/// "second-largest", "northern".
fn is_lower_word(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_lowercase)
        && w.chars().all(|c| c.is_alphabetic() || c == '-')
        && w != "of"
        && w != "in"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nlp::{Doc, Pipeline};
    use std::path::Path;
    use std::sync::OnceLock;

    /// Places written for these tests: same-named places in different countries.
    const FIXTURE: &str = "\
101\tcapital\tParis\t\tFRA\t11\tÎle-de-France\t48.85\t2.35\t2100000\t
102\tcity\tParis\t\tUSA\tTX\tTexas\t33.66\t-95.55\t25000\t
103\tadmin1\tTexas\t\tUSA\tTX\tTexas\t29.76\t-95.36\t22000000\t
104\tcity\tDallas\t\tUSA\tTX\tTexas\t32.78\t-96.80\t1300000\t
110\tcapital\tTripoli\t\tLBY\t77\tTripoli\t32.89\t13.19\t1150000\t
111\tcity\tTripoli\t\tLBN\t09\tNorth\t34.43\t35.84\t229000\t
112\tcapital\tBeirut\t\tLBN\t04\tBeyrouth\t33.89\t35.50\t1900000\t
120\tcity\tHyderabad\t\tIND\t40\tTelangana\t17.38\t78.46\t6800000\t
121\tcity\tHyderabad\t\tPAK\t05\tSindh\t25.39\t68.37\t1390000\t
122\tcity\tKarachi\t\tPAK\t05\tSindh\t24.86\t67.01\t11600000\t
130\tcity\tKharkiv\t\tUKR\t07\tKharkiv\t49.98\t36.25\t1420000\t
131\tadmin1\tKharkiv\t\tUKR\t07\tKharkiv\t49.98\t36.25\t3000000\t
132\tcity\tKharkiv\t\tUSA\tTX\tTexas\t30.0\t-95.0\t6000\t
140\tcity\tErbil\t\tIRQ\t11\tArbil\t36.19\t44.01\t1600000\t
141\tcity\tErbil\t\tUSA\tTX\tTexas\t30.1\t-95.1\t5500\t
150\tadmin1\tGeorgia\t\tUSA\tGA\tGeorgia\t33.75\t-84.39\t4700000\t
151\tcity\tAtlanta\t\tUSA\tGA\tGeorgia\t33.75\t-84.39\t500000\t
152\tcity\tSavannah\t\tUSA\tGA\tGeorgia\t32.08\t-81.09\t147000\t
153\tcapital\tTbilisi\t\tGEO\t51\tTbilisi\t41.69\t44.83\t1050000\t
154\tcity\tTbilisi\t\tUSA\tGA\tGeorgia\t33.0\t-84.0\t5100\t
160\tcapital\tWashington\t\tUSA\tDC\tWashington, D.C.\t38.90\t-77.04\t690000\t
161\tcity\tChicago\t\tUSA\tIL\tIllinois\t41.85\t-87.65\t2700000\t
162\tcity\tBoston\t\tUSA\tMA\tMassachusetts\t42.36\t-71.06\t650000\t
170\tcapital\tYerevan\t\tARM\t11\tYerevan\t40.18\t44.51\t1090000\t
171\tcity\tYerevan\t\tUSA\tGA\tGeorgia\t33.1\t-84.1\t5200\t
180\tcity\tAlexandria\t\tEGY\t06\tAlexandria\t31.20\t29.92\t5200000\t
181\tcity\tAlexandria\t\tUSA\tVA\tVirginia\t38.80\t-77.05\t160000\t
182\tadmin1\tVirginia\t\tUSA\tVA\tVirginia\t37.9\t-79.2\t8600000\t
183\tcity\tVirginia\t\tZAF\t03\tFree State\t-28.1\t26.9\t120000\t
190\tadmin1\tEast\t\tCMR\t04\tEast\t4.7\t14.1\t350000\t
";

    fn pipeline() -> &'static Pipeline {
        static P: OnceLock<Pipeline> = OnceLock::new();
        P.get_or_init(|| Pipeline::bundled().unwrap_or_else(|e| panic!("models: {e}")))
    }

    fn gazetteer() -> &'static Gazetteer {
        static G: OnceLock<Gazetteer> = OnceLock::new();
        G.get_or_init(|| Gazetteer::bundled().unwrap_or_else(|e| panic!("gazetteer: {e}")))
    }

    fn fixture() -> &'static Places {
        static P: OnceLock<Places> = OnceLock::new();
        P.get_or_init(|| {
            Places::from_text(Path::new("fixture.tsv"), FIXTURE)
                .unwrap_or_else(|e| panic!("fixture: {e}"))
        })
    }

    fn bundled() -> &'static Places {
        static P: OnceLock<Places> = OnceLock::new();
        P.get_or_init(|| Places::bundled().unwrap_or_else(|e| panic!("places: {e}")))
    }

    /// The place (GeoNames id, country) and how it was chosen for the `nth` occurrence of
    /// `name` in `text`.
    fn resolved(
        places: &Places,
        text: &str,
        dateline: Option<&str>,
        name: &str,
        nth: usize,
    ) -> Option<(u32, String, Resolution)> {
        let doc: Doc = pipeline().analyze(text);
        let tree = Tree::new(&doc);
        let dp = DocPlaces::resolve(&tree, places, gazetteer(), dateline);
        let first = name.split(' ').next().unwrap_or_default();
        let token = (0..tree.len())
            .filter(|&i| tree.word(i) == first)
            .nth(nth)
            .unwrap_or_else(|| panic!("no `{name}` in {text}"));
        dp.at(token).map(|r| {
            let p = places.place(r.place);
            (p.geonames_id, p.country.clone(), r.how)
        })
    }

    fn id_of(places: &Places, text: &str, name: &str) -> Option<u32> {
        resolved(places, text, None, name, 0).map(|r| r.0)
    }

    #[test]
    fn a_comma_or_in_names_the_country_or_state() {
        let p = fixture();
        let r = resolved(
            p,
            "The fair opened in Paris, Texas, on Monday.",
            None,
            "Paris",
            0,
        );
        assert_eq!(r, Some((102, "USA".into(), Resolution::Qualifier)));
        let r = resolved(
            p,
            "The fair opened in Paris, TX, on Monday.",
            None,
            "Paris",
            0,
        );
        assert_eq!(r.map(|r| r.0), Some(102));
        let r = resolved(
            p,
            "Clashes broke out in Tripoli, Lebanon, overnight.",
            None,
            "Tripoli",
            0,
        );
        assert_eq!(r.map(|r| r.0), Some(111));
        let r = resolved(
            p,
            "Floods hit Hyderabad in Pakistan after the rains.",
            None,
            "Hyderabad",
            0,
        );
        assert_eq!(r.map(|r| r.0), Some(121));
    }

    #[test]
    fn a_country_before_the_name_qualifies_it() {
        let p = fixture();
        assert_eq!(
            id_of(
                p,
                "Drones struck the Ukrainian city of Kharkiv at dawn.",
                "Kharkiv"
            ),
            Some(130)
        );
        assert_eq!(
            id_of(p, "Officials in Iraq's Erbil denied the report.", "Erbil"),
            Some(140)
        );
        let r = resolved(
            p,
            "He flew to Georgia's capital Tbilisi on Friday.",
            None,
            "Tbilisi",
            0,
        );
        assert_eq!(r, Some((153, "GEO".into(), Resolution::Qualifier)));
    }

    #[test]
    fn a_region_noun_asks_for_the_region_and_a_bare_name_for_the_city() {
        let p = fixture();
        let r = resolved(
            p,
            "Shelling hit the Kharkiv region overnight.",
            None,
            "Kharkiv",
            0,
        );
        assert_eq!(r.map(|r| r.0), Some(131));
        let r = resolved(p, "Shelling hit Kharkiv overnight.", None, "Kharkiv", 0);
        assert_eq!(r.map(|r| (r.0, r.1)), Some((130, "UKR".into())));
    }

    #[test]
    fn the_documents_other_places_and_dateline_decide() {
        let p = fixture();
        let text = "Protesters gathered in Beirut on Sunday. Later they marched in Tripoli.";
        let r = resolved(p, text, None, "Tripoli", 0);
        assert_eq!(r, Some((111, "LBN".into(), Resolution::Document)));
        let text = "Rain flooded the streets of Karachi. Hyderabad was also hit.";
        assert_eq!(id_of(p, text, "Hyderabad"), Some(121));
        let r = resolved(
            p,
            "Later they marched in Tripoli.",
            Some("BEIRUT"),
            "Tripoli",
            0,
        );
        assert_eq!(r.map(|r| r.0), Some(111));
    }

    #[test]
    fn actors_countries_decide_when_no_place_does() {
        let p = fixture();
        let text = "Lebanese officials said the army had entered Tripoli after talks with Lebanon's cabinet.";
        let r = resolved(p, text, None, "Tripoli", 0);
        assert_eq!(r.map(|r| (r.0, r.2)), Some((111, Resolution::Actors)));
    }

    #[test]
    fn without_context_capitals_then_population_win() {
        let p = fixture();
        let r = resolved(
            p,
            "The summit will be held in Tripoli next month.",
            None,
            "Tripoli",
            0,
        );
        assert_eq!(r, Some((110, "LBY".into(), Resolution::Prior)));
        assert_eq!(
            id_of(p, "She moved to Hyderabad last year.", "Hyderabad"),
            Some(120)
        );
    }

    #[test]
    fn context_does_not_move_a_name_to_a_far_smaller_place() {
        let p = fixture();
        // Texas context, but Paris, France is eighty times larger: only a qualifier moves it.
        let text = "Dallas officials met Texas donors. The delegation then flew to Paris.";
        assert_eq!(id_of(p, text, "Paris"), Some(101));
        // Named once, a town of the state the story names stays the far larger one.
        let text = "Virginia officials flew to Alexandria for a trade fair on Monday.";
        assert_eq!(id_of(p, text, "Alexandria"), Some(180));
    }

    #[test]
    fn a_local_story_repeating_its_town_in_a_named_region_means_that_town() {
        let p = fixture();
        // "Virginia" is ambiguous (a South African town too), so it is no anchor at first;
        // its first-round reading, the state, makes the region the story's, and the story
        // names Alexandria twice.
        let text = "Alexandria police arrested a man on Monday. He will be sent to Virginia \
                    for trial, an Alexandria prosecutor said.";
        assert_eq!(id_of(p, text, "Alexandria"), Some(181));
        assert_eq!(id_of(p, text, "Virginia"), Some(182));
    }

    #[test]
    fn a_compass_word_alone_is_no_region() {
        let p = fixture();
        let text = "A mudslide closed the road through East Bank on Monday.";
        assert_eq!(id_of(p, text, "East"), None);
    }

    #[test]
    fn georgia_is_the_country_unless_the_text_says_the_us_state() {
        let p = fixture();
        let doc = pipeline().analyze("Voters in Atlanta, Georgia, lined up early.");
        let tree = Tree::new(&doc);
        let dp = DocPlaces::resolve(&tree, p, gazetteer(), None);
        let georgia = (0..tree.len())
            .find(|&i| tree.word(i) == "Georgia")
            .unwrap_or(0);
        let r = dp
            .at(georgia)
            .map(|r| (p.place(r.place).geonames_id, r.how, r.over_country));
        assert_eq!(
            r,
            Some((150, Resolution::Qualifier, gazetteer().country("GEO")))
        );
        let text =
            "Voters in Atlanta and Savannah lined up early. Georgia expects a record turnout.";
        let r = resolved(p, text, None, "Georgia", 0);
        assert_eq!(r.map(|r| r.0), Some(150));
        // A story about the country keeps the country: no place reading at all.
        let text = "Georgia and Armenia signed a transit deal in Tbilisi.";
        assert_eq!(resolved(p, text, None, "Georgia", 0), None);
        assert_eq!(
            resolved(p, text, None, "Tbilisi", 0).map(|r| r.0),
            Some(153)
        );
    }

    #[test]
    fn a_places_own_name_comes_before_another_places_old_name() {
        let places = bundled();
        let r = resolved(
            places,
            "Police sealed off a street in Salisbury.",
            None,
            "Salisbury",
            0,
        );
        assert_eq!(r.map(|r| r.1), Some("GBR".to_string()), "not Harare");
        // An old name still finds its place when nothing else bears it.
        let r = resolved(places, "Fighting resumed near Kharkov.", None, "Kharkov", 0);
        assert_eq!(r.map(|r| r.0), Some(706483));
    }

    #[test]
    fn acronyms_and_titles_are_not_places() {
        let places = bundled();
        assert_eq!(
            id_of(places, "The EU and NATO met in Brussels.", "EU"),
            None
        );
        assert_eq!(
            id_of(places, "The EU and NATO met in Brussels.", "NATO"),
            None
        );
        assert_eq!(
            id_of(places, "Vice President Vance spoke on Monday.", "Vice"),
            None
        );
        // A dateline-style capitalised name of five letters or more is still a place.
        let r = resolved(
            places,
            "KINSHASA, the capital, was calm on Monday.",
            None,
            "KINSHASA",
            0,
        );
        assert_eq!(r.map(|r| r.1), Some("COD".to_string()));
        // An abbreviation written with stops is the state it abbreviates, alone too.
        let text = "Storms moved across S.C. overnight, and crews worked until dawn.";
        let r = resolved(places, text, None, "S.C.", 0);
        assert_eq!(
            r.map(|r| (r.0, r.1)),
            Some((4597040, "USA".to_string())),
            "{text}"
        );
    }

    #[test]
    fn a_body_of_water_is_not_a_place() {
        let places = bundled();
        assert_eq!(
            id_of(
                places,
                "Rebels fired on a tanker in the Red Sea.",
                "Red Sea"
            ),
            None
        );
        assert!(id_of(
            places,
            "Crowds gathered in Red Sea state on Friday.",
            "Red Sea"
        )
        .is_some());
    }

    #[test]
    fn person_names_and_common_words_are_not_places() {
        let p = fixture();
        assert_eq!(id_of(p, "Paris Hilton attended the gala.", "Paris"), None);
        let places = bundled();
        assert_eq!(
            id_of(
                places,
                "Police said the deal would be signed on Friday.",
                "Police"
            ),
            None
        );
        assert_eq!(
            id_of(places, "Deal or no deal, the talks go on.", "Deal"),
            None
        );
    }

    #[test]
    fn the_dateline_resolves_with_its_country() {
        let p = fixture();
        let doc = pipeline().analyze("The talks resumed on Monday.");
        let tree = Tree::new(&doc);
        let dp = DocPlaces::resolve(&tree, p, gazetteer(), Some("YEREVAN, Armenia"));
        assert_eq!(dp.dateline().map(|d| p.place(d).geonames_id), Some(170));
        assert_eq!(dp.dateline_country(), Some("ARM"));
        let dp = DocPlaces::resolve(&tree, p, gazetteer(), Some("WASHINGTON"));
        assert_eq!(dp.dateline_country(), Some("USA"));
        let dp = DocPlaces::resolve(&tree, p, gazetteer(), Some("ATLANTIS"));
        assert_eq!((dp.dateline(), dp.dateline_country()), (None, None));
    }

    #[test]
    fn bundled_kharkiv_taipei_and_paris_resolve_to_their_countries() {
        let p = bundled();
        let r = resolved(
            p,
            "Russian forces shelled Kharkiv on Tuesday.",
            None,
            "Kharkiv",
            0,
        );
        assert_eq!(r.map(|r| (r.0, r.1)), Some((706483, "UKR".into())));
        let r = resolved(p, "Taipei protested the drills.", None, "Taipei", 0);
        assert_eq!(r.map(|r| (r.0, r.1)), Some((1668341, "TWN".into())));
        let r = resolved(
            p,
            "The delegation arrived in Paris on Monday.",
            None,
            "Paris",
            0,
        );
        assert_eq!(r.map(|r| (r.0, r.1)), Some((2988507, "FRA".into())));
        let r = resolved(
            p,
            "A tornado struck Paris, Texas, on Monday.",
            None,
            "Paris",
            0,
        );
        assert_eq!(
            r.map(|r| (r.0, r.1, r.2)),
            Some((4717560, "USA".into(), Resolution::Qualifier))
        );
    }

    #[test]
    fn a_place_inside_an_actor_name_is_flagged_for_the_caller() {
        let p = bundled();
        let text = "Leaders of the Shanghai Cooperation Organisation met in Tianjin. Kyiv said the strikes had stopped.";
        let doc = pipeline().analyze(text);
        let tree = Tree::new(&doc);
        let dp = DocPlaces::resolve(&tree, p, gazetteer(), None);
        let at = |w: &str| {
            let i = (0..tree.len())
                .find(|&i| tree.word(i) == w)
                .unwrap_or(usize::MAX);
            dp.at(i)
                .map(|r| (p.place(r.place).country.clone(), r.in_actor_name))
        };
        assert_eq!(at("Shanghai"), Some(("CHN".to_string(), true)));
        assert_eq!(at("Tianjin"), Some(("CHN".to_string(), false)));
        assert_eq!(
            at("Kyiv"),
            Some(("UKR".to_string(), false)),
            "a capital is a place"
        );
    }
}
