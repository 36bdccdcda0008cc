//! The actor graph: statements projected onto petgraph, with actors as nodes and coded
//! events as directed edges (subject -> object), and the analyses researchers run on it
//! (paths between actors, neighbourhoods, timelines, centrality rankings).
//!
//! The graph is built from `Statement`s only, so it works the same on a fresh extraction
//! and on statements read back from the store. Every edge keeps its evidence sentence and
//! document, so any answer (a path, a ranking tie) can be traced back to the text.

mod dates;
mod geo;
mod lookup;
mod neighbors;
mod paths;
mod project;
mod rank;
mod table;
mod ties;
mod timeline;

use std::collections::HashMap;
use std::sync::OnceLock;

use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use serde::Serialize;

use crate::model::{Modality, NodeKind};

pub use dates::DateInterval;
pub use geo::{parse_km, GeoError, GeoPoint, Near, EARTH_RADIUS_KM};
pub use lookup::LookupError;
pub use neighbors::{
    neighbors, neighbourhood_nodes, Neighbour, Neighbourhood, QuadClassCounts, TieSummary,
};
pub use paths::{
    k_shortest_paths, k_shortest_paths_weighted, ActorPath, HopDirection, PathHop, PathSet,
    TieWeight,
};
pub use project::{Collapse, LocationMisses, ProjectionOptions};
pub use rank::{
    betweenness, brandes_betweenness, page_rank, rank, weighted_betweenness, Centrality,
    RankedActor, Ranking,
};
pub use timeline::{timeline, timeline_scoped, Timeline, TimelineEvent, TimelineScope};

/// The petgraph type under `ActorGraph`: parallel edges are separate events.
pub type EventGraph = DiGraph<ActorNode, EventEdge>;

/// An actor (or, with `include_entities`, a non-actor entity) aggregated over all the
/// statements that mention it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActorNode {
    pub id: String,
    pub label: String,
    #[serde(rename = "type")]
    pub kind: NodeKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// CAMEO actor code as first seen (codes can change over time; the edge dates tell when).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wikidata: Option<String>,
    /// Earliest statement date mentioning the node, as written (may be coarse: "2014").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_seen: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_seen: Option<String>,
    /// Statements (kept by the projection) in which the node is subject, object or entity.
    pub mentions: usize,
}

/// One statement between two nodes. Parallel edges between the same actors are kept apart
/// because each carries its own date, code and evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventEdge {
    /// Statement id, unique within `doc`.
    pub statement: String,
    pub doc: String,
    /// The trigger lemma or relation name; "involves" for the links from an event's
    /// subject to the entities it mentions (see `ProjectionOptions::include_entities`).
    pub relation: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cameo: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plover: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub goldstein: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quad_class: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    pub modality: Modality,
    pub confidence: f64,
    pub evidence: String,
    /// Where the event happened, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<crate::model::Location>,
}

impl EventEdge {
    /// The CAMEO root (first two digits), when the edge is a coded event.
    pub fn cameo_root(&self) -> Option<&str> {
        self.cameo.as_deref().and_then(|c| c.get(..2))
    }
}

/// How results name an actor: enough to recognise it and to query it again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActorRef {
    pub id: String,
    pub label: String,
}

impl ActorRef {
    fn of(node: &ActorNode) -> Self {
        ActorRef {
            id: node.id.clone(),
            label: node.label.clone(),
        }
    }
}

impl std::fmt::Display for ActorRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.label, self.id)
    }
}

/// One event as analyses report it: who did what to whom, when, and the sentence that says so.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventSummary {
    pub subject: ActorRef,
    pub object: ActorRef,
    /// CAMEO root of `edge.cameo` ("04" for "042"), for grouping.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cameo_root: Option<String>,
    #[serde(flatten)]
    pub edge: EventEdge,
}

/// Problems building or querying the graph.
#[derive(Debug, thiserror::Error)]
pub enum GraphError {
    #[error("{field} date {value:?} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")]
    BadDate { field: &'static str, value: String },
    #[error("near: {0}")]
    BadNear(GeoError),
    #[error(transparent)]
    Lookup(#[from] LookupError),
}

/// Statements projected into a directed multigraph of actors, with an id index and a lazily
/// built undirected tie index (parallel events merged) for path and neighbourhood queries.
#[derive(Debug)]
pub struct ActorGraph {
    graph: EventGraph,
    by_id: HashMap<String, NodeIndex>,
    ties: OnceLock<ties::TieIndex>,
}

impl ActorGraph {
    fn from_graph(graph: EventGraph) -> Self {
        let by_id = graph
            .node_indices()
            .map(|ix| (graph[ix].id.clone(), ix))
            .collect();
        ActorGraph {
            graph,
            by_id,
            ties: OnceLock::new(),
        }
    }

    /// The underlying petgraph graph, for running petgraph algorithms directly.
    pub fn graph(&self) -> &EventGraph {
        &self.graph
    }

    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// Node index of the actor with exactly this id.
    pub fn node_index(&self, id: &str) -> Option<NodeIndex> {
        self.by_id.get(id).copied()
    }

    pub fn actor(&self, ix: NodeIndex) -> &ActorNode {
        &self.graph[ix]
    }

    pub fn event(&self, e: EdgeIndex) -> &EventEdge {
        &self.graph[e]
    }

    /// The actor reference of a node, as results carry it.
    pub fn actor_ref(&self, ix: NodeIndex) -> ActorRef {
        ActorRef::of(&self.graph[ix])
    }

    /// An edge with its endpoints named, as analyses report it.
    pub fn event_summary(&self, e: EdgeIndex) -> Option<EventSummary> {
        let (s, o) = self.graph.edge_endpoints(e)?;
        Some(EventSummary {
            subject: self.actor_ref(s),
            object: self.actor_ref(o),
            cameo_root: self.graph[e].cameo_root().map(str::to_string),
            edge: self.graph[e].clone(),
        })
    }

    /// The graph restricted to `nodes` and the edges among them (for exporting the
    /// neighbourhood of an actor, say). Node order follows `nodes`' order in the graph.
    pub fn subgraph(&self, nodes: &[NodeIndex]) -> ActorGraph {
        let mut keep = vec![false; self.graph.node_count()];
        for n in nodes {
            if let Some(k) = keep.get_mut(n.index()) {
                *k = true;
            }
        }
        let graph = self.graph.filter_map(
            |ix, node| keep[ix.index()].then(|| node.clone()),
            |_, edge| Some(edge.clone()),
        );
        ActorGraph::from_graph(graph)
    }

    pub(crate) fn ties(&self) -> &ties::TieIndex {
        self.ties.get_or_init(|| ties::TieIndex::build(&self.graph))
    }
}
