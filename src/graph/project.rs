//! Statements -> `ActorGraph`, with the filters researchers slice event data by (period,
//! CAMEO root, QuadClass, actor type, actors' country, where the event happened, activity)
//! and the option to fold people into their countries for a state-level view.

use std::borrow::Cow;
use std::collections::HashMap;

use petgraph::graph::NodeIndex;
use serde::Serialize;

use super::dates::{ends_later, DateInterval};
use super::geo::{GeoPoint, Near};
use super::{ActorGraph, ActorNode, EventEdge, EventGraph, GraphError};
use crate::model::{Node, NodeKind, Statement};

/// Whether to merge actors before building the graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Collapse {
    /// Every actor is its own node.
    #[default]
    None,
    /// A person with a country (`Node::country`) becomes that country: the node id is
    /// `country-{iso3 in lower case}` (the gazetteer's id for countries), its label the label
    /// of a country node with that id or ISO code found anywhere in the statements, else the
    /// ISO code itself. People without a country stay as they are. Events between two people
    /// of the same country become self-loops on the country, which paths and ties ignore.
    PeopleIntoCountry,
}

/// What to keep when projecting. The default keeps every actor and every statement
/// between actors and leaves non-actor entities out.
#[derive(Debug, Clone, Default)]
pub struct ProjectionOptions {
    /// Earliest date kept (inclusive): YYYY, YYYY-MM or YYYY-MM-DD. A statement is kept
    /// when the period its date covers overlaps the range, so "2014" is kept by a range
    /// starting 2014-06-01. Undated statements are dropped whenever `from` or `to` is set.
    pub from: Option<String>,
    /// Latest date kept (inclusive), same forms as `from`.
    pub to: Option<String>,
    /// Keep only events whose CAMEO root (two digits, "04") is listed; empty keeps all
    /// statements, including uncoded relations.
    pub cameo_roots: Vec<String>,
    /// Keep only events of these QuadClasses (1-4, 0 neutral); empty keeps all.
    pub quad_classes: Vec<u8>,
    /// Keep only actors of these kinds; empty keeps all actor kinds. Non-actor kinds listed
    /// here are kept only together with `include_entities`.
    pub kinds: Vec<NodeKind>,
    /// Keep only actors whose ISO 3166-1 alpha-3 country is listed (case-insensitive).
    pub countries: Vec<String>,
    /// Keep only events located in one of these countries (ISO 3166-1 alpha-3 of the
    /// event's `location`, case-insensitive), whatever the actors' countries; events with no
    /// location are dropped whenever this is set.
    pub located_in: Vec<String>,
    /// Keep only events whose location point lies within this distance (great circle).
    /// Events located only at a country have no point and are dropped, as are events with
    /// no location.
    pub near: Option<Near>,
    /// Drop actors taking part in fewer events than this (after the other filters).
    pub min_events: usize,
    /// Add non-actor entities (agreements, places, weapons, things) as nodes: statements
    /// whose subject or object is one, and an "involves" edge from an event's subject to each
    /// entity the event mentions.
    pub include_entities: bool,
    pub collapse: Collapse,
}

struct StatementFilter {
    range: Option<DateInterval>,
    cameo_roots: Vec<String>,
    quad_classes: Vec<u8>,
    kinds: Vec<NodeKind>,
    countries: Vec<String>,
    located_in: Vec<String>,
    near: Option<Near>,
    include_entities: bool,
}

/// Why the location filters dropped a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LocationMiss {
    /// The statement has no location.
    Unlocated,
    /// `near` is set and the location is a country only, with no point.
    NoPoint,
    /// Located, but in another country or beyond the radius.
    Elsewhere,
}

/// Events that the other filters kept and the location filters (`located_in`, `near`)
/// dropped, by reason: for telling users why events are missing. Only statements that would
/// have been an edge between two kept nodes are counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct LocationMisses {
    /// With no location at all.
    pub unlocated: usize,
    /// Located only at a country, which has no point to measure `near` from.
    pub no_point: usize,
    /// Located in another country, or farther than the radius.
    pub elsewhere: usize,
}

impl StatementFilter {
    fn new(options: &ProjectionOptions) -> Result<Self, GraphError> {
        let bound = |field: &'static str,
                     value: &Option<String>|
         -> Result<Option<DateInterval>, GraphError> {
            value
                .as_deref()
                .map(|v| {
                    DateInterval::parse(v).ok_or_else(|| GraphError::BadDate {
                        field,
                        value: v.to_string(),
                    })
                })
                .transpose()
        };
        let from = bound("from", &options.from)?;
        let to = bound("to", &options.to)?;
        let range = match (from, to) {
            (None, None) => None,
            (from, to) => Some(DateInterval {
                start: from.map(|d| d.start).unwrap_or_else(|| "0000-01-01".into()),
                end: to.map(|d| d.end).unwrap_or_else(|| "9999-12-31".into()),
            }),
        };
        Ok(StatementFilter {
            range,
            cameo_roots: options
                .cameo_roots
                .iter()
                .map(|r| r.trim().to_string())
                .collect(),
            quad_classes: options.quad_classes.clone(),
            kinds: options.kinds.clone(),
            countries: options
                .countries
                .iter()
                .map(|c| c.trim().to_ascii_uppercase())
                .collect(),
            located_in: options
                .located_in
                .iter()
                .map(|c| c.trim().to_ascii_uppercase())
                .filter(|c| !c.is_empty())
                .collect(),
            near: options
                .near
                .map(|n| Near::new(n.centre, n.km))
                .transpose()
                .map_err(GraphError::BadNear)?,
            include_entities: options.include_entities,
        })
    }

    fn keeps_statement(&self, s: &Statement) -> bool {
        self.keeps_coding(s) && self.location_miss(s).is_none()
    }

    /// The date, CAMEO and QuadClass filters.
    fn keeps_coding(&self, s: &Statement) -> bool {
        if let Some(range) = &self.range {
            match s.date.as_deref().and_then(DateInterval::parse) {
                Some(d) if d.overlaps(range) => {}
                _ => return false,
            }
        }
        if !self.cameo_roots.is_empty()
            && !s
                .cameo_root()
                .is_some_and(|r| self.cameo_roots.iter().any(|k| k == r))
        {
            return false;
        }
        if !self.quad_classes.is_empty()
            && !s.quad_class.is_some_and(|q| self.quad_classes.contains(&q))
        {
            return false;
        }
        true
    }

    /// Whether the location filters drop `s`, and why; `None` when they keep it.
    fn location_miss(&self, s: &Statement) -> Option<LocationMiss> {
        if self.located_in.is_empty() && self.near.is_none() {
            return None;
        }
        let Some(loc) = &s.location else {
            return Some(LocationMiss::Unlocated);
        };
        if !self.located_in.is_empty()
            && !loc
                .country
                .as_deref()
                .is_some_and(|c| self.located_in.iter().any(|k| k.eq_ignore_ascii_case(c)))
        {
            return Some(LocationMiss::Elsewhere);
        }
        if let Some(near) = &self.near {
            match GeoPoint::of(loc) {
                None => return Some(LocationMiss::NoPoint),
                Some(p) if !near.contains(p) => return Some(LocationMiss::Elsewhere),
                Some(_) => {}
            }
        }
        None
    }

    /// Judged on the node after collapsing, so a country filter keeps collapsed people.
    fn keeps_node(&self, n: &Node) -> bool {
        if !n.kind.is_actor() {
            return self.include_entities
                && (self.kinds.is_empty() || self.kinds.contains(&n.kind));
        }
        if !self.kinds.is_empty() && !self.kinds.contains(&n.kind) {
            return false;
        }
        if !self.countries.is_empty() {
            return n
                .country
                .as_deref()
                .is_some_and(|c| self.countries.iter().any(|k| k.eq_ignore_ascii_case(c)));
        }
        true
    }
}

/// Country nodes seen anywhere in the statements, for naming collapsed people.
struct CountryNames<'a> {
    by_id: HashMap<&'a str, &'a Node>,
    by_iso: HashMap<String, &'a Node>,
}

impl<'a> CountryNames<'a> {
    fn collect(statements: &'a [Statement]) -> Self {
        let mut names = CountryNames {
            by_id: HashMap::new(),
            by_iso: HashMap::new(),
        };
        for s in statements {
            let nodes = std::iter::once(&s.subject)
                .chain(s.object.as_ref())
                .chain(s.entities.iter());
            for n in nodes.filter(|n| n.kind == NodeKind::Country) {
                names.by_id.entry(n.id.as_str()).or_insert(n);
                if let Some(iso) = &n.country {
                    names.by_iso.entry(iso.to_ascii_uppercase()).or_insert(n);
                }
            }
        }
        names
    }

    fn country_of(&self, person: &Node) -> Option<Node> {
        let iso = person.country.as_deref()?.trim().to_ascii_uppercase();
        if iso.is_empty() {
            return None;
        }
        let id = format!("country-{}", iso.to_ascii_lowercase());
        let known = self
            .by_id
            .get(id.as_str())
            .or_else(|| self.by_iso.get(&iso));
        Some(Node {
            label: known
                .map(|n| n.label.clone())
                .unwrap_or_else(|| iso.clone()),
            kind: NodeKind::Country,
            actor_code: known
                .and_then(|n| n.actor_code.clone())
                .or_else(|| Some(iso.clone())),
            wikidata: known.and_then(|n| n.wikidata.clone()),
            country: Some(iso),
            role: None,
            mention: None,
            id,
        })
    }
}

struct Builder {
    graph: EventGraph,
    index: HashMap<String, NodeIndex>,
}

impl Builder {
    /// The node for `n`, created on first sight; every call is one mention on `date`.
    fn mention(&mut self, n: &Node, date: Option<&str>) -> NodeIndex {
        let ix = match self.index.get(&n.id) {
            Some(&ix) => ix,
            None => {
                let ix = self.graph.add_node(ActorNode {
                    id: n.id.clone(),
                    label: n.label.clone(),
                    kind: n.kind,
                    country: n.country.clone(),
                    actor_code: n.actor_code.clone(),
                    wikidata: n.wikidata.clone(),
                    first_seen: None,
                    last_seen: None,
                    mentions: 0,
                });
                self.index.insert(n.id.clone(), ix);
                ix
            }
        };
        let node = &mut self.graph[ix];
        node.mentions += 1;
        node.country = node.country.take().or_else(|| n.country.clone());
        node.actor_code = node.actor_code.take().or_else(|| n.actor_code.clone());
        node.wikidata = node.wikidata.take().or_else(|| n.wikidata.clone());
        if let Some(d) = date.filter(|d| DateInterval::is_valid(d)) {
            if node.first_seen.as_deref().is_none_or(|f| d < f) {
                node.first_seen = Some(d.to_string());
            }
            if node.last_seen.as_deref().is_none_or(|l| ends_later(d, l)) {
                node.last_seen = Some(d.to_string());
            }
        }
        ix
    }
}

/// The edge for statement `s`; an `involves` link (event subject -> mentioned entity)
/// carries the statement's date and evidence but not its event coding.
fn edge_of(s: &Statement, involves: bool) -> EventEdge {
    let coded = !involves;
    EventEdge {
        statement: s.id.clone(),
        doc: s.doc.clone(),
        relation: if involves {
            "involves".to_string()
        } else {
            s.relation.clone()
        },
        cameo: s.cameo.clone().filter(|_| coded),
        plover: s.plover.clone().filter(|_| coded),
        goldstein: s.goldstein.filter(|_| coded),
        quad_class: s.quad_class.filter(|_| coded),
        date: s.date.clone(),
        modality: s.modality,
        confidence: s.confidence,
        evidence: s.evidence.clone(),
        location: s.location.clone(),
    }
}

/// The node as the graph will hold it (collapsed if asked), or `None` when filtered out.
fn resolve<'n>(
    n: &'n Node,
    filter: &StatementFilter,
    countries: Option<&CountryNames>,
) -> Option<Cow<'n, Node>> {
    let n = match countries {
        Some(names) if n.kind == NodeKind::Person => {
            names.country_of(n).map_or(Cow::Borrowed(n), Cow::Owned)
        }
        _ => Cow::Borrowed(n),
    };
    filter.keeps_node(&n).then_some(n)
}

impl ActorGraph {
    /// Builds the graph from statements. Fails only on a malformed date bound or `near`.
    pub fn project(
        statements: &[Statement],
        options: &ProjectionOptions,
    ) -> Result<ActorGraph, GraphError> {
        Ok(Self::project_reporting(statements, options)?.0)
    }

    /// [`ActorGraph::project`], also counting the events that the location filters left
    /// out, by reason (all zero when none is set): the command line tells users that events
    /// placed only at a country cannot match `--near`.
    pub fn project_reporting(
        statements: &[Statement],
        options: &ProjectionOptions,
    ) -> Result<(ActorGraph, LocationMisses), GraphError> {
        let filter = StatementFilter::new(options)?;
        let countries = match options.collapse {
            Collapse::None => None,
            Collapse::PeopleIntoCountry => Some(CountryNames::collect(statements)),
        };
        let countries = countries.as_ref();
        let mut misses = LocationMisses::default();
        if !filter.located_in.is_empty() || filter.near.is_some() {
            // Only what would have been an edge between two kept nodes counts as missed.
            let kept = |n: &Node| resolve(n, &filter, countries).is_some();
            for s in statements.iter().filter(|s| filter.keeps_coding(s)) {
                let Some(miss) = filter.location_miss(s) else {
                    continue;
                };
                if !(kept(&s.subject) && s.object.as_ref().is_some_and(kept)) {
                    continue;
                }
                match miss {
                    LocationMiss::Unlocated => misses.unlocated += 1,
                    LocationMiss::NoPoint => misses.no_point += 1,
                    LocationMiss::Elsewhere => misses.elsewhere += 1,
                }
            }
        }
        let mut b = Builder {
            graph: EventGraph::default(),
            index: HashMap::new(),
        };
        for s in statements.iter().filter(|s| filter.keeps_statement(s)) {
            let Some(subject) = resolve(&s.subject, &filter, countries) else {
                continue;
            };
            let date = s.date.as_deref();
            let from = b.mention(&subject, date);
            if let Some(object) = s
                .object
                .as_ref()
                .and_then(|o| resolve(o, &filter, countries))
            {
                let to = if object.id == subject.id {
                    from
                } else {
                    b.mention(&object, date)
                };
                b.graph.add_edge(from, to, edge_of(s, false));
            }
            if options.include_entities {
                for entity in s.entities.iter().filter(|e| !e.kind.is_actor()) {
                    let Some(entity) = resolve(entity, &filter, countries) else {
                        continue;
                    };
                    let is_endpoint = entity.id == subject.id
                        || s.object.as_ref().is_some_and(|o| o.id == entity.id);
                    if !is_endpoint {
                        let to = b.mention(&entity, date);
                        b.graph.add_edge(from, to, edge_of(s, true));
                    }
                }
            }
        }
        let mut graph = b.graph;
        if options.min_events > 0 {
            let mut events = vec![0usize; graph.node_count()];
            for e in graph.raw_edges() {
                events[e.source().index()] += 1;
                if e.target() != e.source() {
                    events[e.target().index()] += 1;
                }
            }
            graph = graph.filter_map(
                |ix, node| (events[ix.index()] >= options.min_events).then(|| node.clone()),
                |_, edge| Some(edge.clone()),
            );
        }
        Ok((ActorGraph::from_graph(graph), misses))
    }
}
