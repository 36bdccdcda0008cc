//! Where each node of an exported graph stands on a map, for the `latitude`/`longitude`
//! node attributes (Gephi's Geo Layout, kepler.gl, geopandas read them):
//!
//! - a country: its capital, from the place gazetteer (`knowledge::places`);
//! - a place entity: the place itself, as its events' locations resolved it, else the
//!   gazetteer's most prominent place of that name (in the node's country when it has one),
//!   a town before a region named alike;
//! - a person, organisation or group: the point where most of its events in the graph took
//!   place (city or region precision; events placed only at a country have no point), ties
//!   going to the place seen first; nothing when none of its events has a point.
//!
//! Agreements, weapons and other things get no place. Nodes without one carry no
//! coordinates at all, rather than a guess.

use std::sync::OnceLock;

use petgraph::visit::EdgeRef;

use crate::graph::{ActorGraph, ActorNode, GeoPoint};
use crate::knowledge::places::{PlaceKind, Places};
use crate::model::{Location, NodeKind};

/// Where a node is, and how that was decided.
#[derive(Debug, Clone, PartialEq)]
pub struct NodePlace {
    /// The place's name ("Kyiv"; a seat of power as its location names it).
    pub label: String,
    pub point: GeoPoint,
    pub from: PlaceFrom,
}

/// How a node's place was decided (the `place_from` attribute).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceFrom {
    /// A country's capital.
    Capital,
    /// The most frequent location point of the node's events in the graph.
    Events,
    /// A place entity's own position.
    Own,
}

impl PlaceFrom {
    pub fn as_str(self) -> &'static str {
        match self {
            PlaceFrom::Capital => "capital",
            PlaceFrom::Events => "events",
            PlaceFrom::Own => "own",
        }
    }
}

/// The bundled place gazetteer, read on the first export that has a country or a place.
fn gazetteer() -> Option<&'static Places> {
    static PLACES: OnceLock<Option<Places>> = OnceLock::new();
    PLACES.get_or_init(|| Places::bundled().ok()).as_ref()
}

/// A country's (ISO3) capital in the gazetteer, with its point.
fn capital(iso: &str) -> Option<(&'static str, GeoPoint)> {
    let places = gazetteer()?;
    let p = places.place(places.capital(iso)?);
    let ll = p.position?;
    Some((p.name.as_str(), GeoPoint::new(ll.lat, ll.lon).ok()?))
}

/// What identifies one place among an actor's event locations: the GeoNames id, else the
/// point itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum PlaceKey {
    GeoNames(u32),
    Point(u64, u64),
}

fn key(loc: &Location, p: GeoPoint) -> PlaceKey {
    match loc.geonames_id {
        Some(id) => PlaceKey::GeoNames(id),
        None => PlaceKey::Point(p.lat.to_bits(), p.lon.to_bits()),
    }
}

/// Counts of the located places of one node's events, in order of first sight.
#[derive(Default)]
struct Tally<'a> {
    seen: Vec<(PlaceKey, &'a Location, GeoPoint, usize)>,
}

impl<'a> Tally<'a> {
    fn add(&mut self, loc: &'a Location) {
        let Some(p) = GeoPoint::of(loc) else {
            return;
        };
        let k = key(loc, p);
        match self.seen.iter_mut().find(|(s, ..)| *s == k) {
            Some(entry) => entry.3 += 1,
            None => self.seen.push((k, loc, p, 1)),
        }
    }

    /// The most frequent place; the first seen among equals.
    fn most_frequent(&self) -> Option<(&'a Location, GeoPoint)> {
        let mut best: Option<&(PlaceKey, &Location, GeoPoint, usize)> = None;
        for entry in &self.seen {
            if best.is_none_or(|b| entry.3 > b.3) {
                best = Some(entry);
            }
        }
        best.map(|&(_, loc, p, _)| (loc, p))
    }
}

/// The place of every node of `graph`, by node index (see the module comment).
pub fn node_places(graph: &ActorGraph) -> Vec<Option<NodePlace>> {
    let g = graph.graph();
    let mut tallies: Vec<Tally> = (0..g.node_count()).map(|_| Tally::default()).collect();
    for e in g.edge_references() {
        let Some(loc) = &e.weight().location else {
            continue;
        };
        tallies[e.source().index()].add(loc);
        if e.target() != e.source() {
            tallies[e.target().index()].add(loc);
        }
    }
    g.node_indices()
        .map(|ix| {
            let node = &g[ix];
            match node.kind {
                NodeKind::Country => capital_of(node),
                NodeKind::Place => own_place(node, &tallies[ix.index()]),
                k if k.is_actor() => {
                    tallies[ix.index()]
                        .most_frequent()
                        .map(|(loc, point)| NodePlace {
                            label: loc.label.clone(),
                            point,
                            from: PlaceFrom::Events,
                        })
                }
                _ => None,
            }
        })
        .collect()
}

fn capital_of(node: &ActorNode) -> Option<NodePlace> {
    let iso = node.country.as_deref()?.trim().to_ascii_uppercase();
    let (name, point) = capital(&iso)?;
    Some(NodePlace {
        label: name.to_string(),
        point,
        from: PlaceFrom::Capital,
    })
}

fn own_place(node: &ActorNode, tally: &Tally) -> Option<NodePlace> {
    let named = tally
        .seen
        .iter()
        .find(|(_, loc, ..)| loc.label.eq_ignore_ascii_case(&node.label));
    if let Some(&(_, loc, point, _)) = named {
        return Some(NodePlace {
            label: loc.label.clone(),
            point,
            from: PlaceFrom::Own,
        });
    }
    let places = gazetteer()?;
    let candidates = places.lookup(&node.label);
    let in_country = |id: &&u32| {
        node.country
            .as_deref()
            .is_none_or(|c| places.place(**id).country.eq_ignore_ascii_case(c))
    };
    // A town before a region named alike ("Lviv" the city, not its oblast), as the
    // resolution of place names reads them.
    let town = candidates
        .iter()
        .filter(in_country)
        .find(|&&id| places.place(id).kind != PlaceKind::Admin1);
    let place = places.place(*town.or_else(|| candidates.iter().find(in_country))?);
    let ll = place.position?;
    Some(NodePlace {
        label: place.name.clone(),
        point: GeoPoint::new(ll.lat, ll.lon).ok()?,
        from: PlaceFrom::Own,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_country_with_a_capital_is_placed_there() {
        let (name, kyiv) = capital("UKR").expect("Ukraine has a capital");
        assert_eq!(name, "Kyiv");
        assert!((kyiv.lat - 50.45).abs() < 0.1 && (kyiv.lon - 30.52).abs() < 0.1);
        assert_eq!(capital("USA").map(|c| c.0), Some("Washington"));
        let places = gazetteer().expect("bundled places");
        let mut placed: Vec<&str> = places
            .places()
            .iter()
            .map(|p| p.country.as_str())
            .filter(|&c| capital(c).is_some())
            .collect();
        placed.sort_unstable();
        placed.dedup();
        assert!(placed.len() > 190, "{} capitals", placed.len());
    }
}
