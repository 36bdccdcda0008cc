//! An actor's events, or the events between two actors, in the order they happened.

use std::fmt;

use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use petgraph::Direction;
use serde::Serialize;

use super::table::TextTable;
use super::{ActorGraph, ActorRef, EventSummary};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timeline {
    pub actor: ActorRef,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other: Option<ActorRef>,
    /// By date (coarse dates before the precise dates they contain), undated last, then by
    /// document and statement.
    pub events: Vec<EventSummary>,
}

/// Events of `actor` (either role), or only those between `actor` and `other`.
pub fn timeline(graph: &ActorGraph, actor: NodeIndex, other: Option<NodeIndex>) -> Timeline {
    let g = graph.graph();
    let mut edges: Vec<_> = g
        .edges_directed(actor, Direction::Outgoing)
        .filter(|e| other.is_none_or(|o| e.target() == o))
        .chain(
            g.edges_directed(actor, Direction::Incoming)
                // A self-loop already came in as outgoing.
                .filter(|e| e.source() != actor && other.is_none_or(|o| e.source() == o)),
        )
        .map(|e| e.id())
        .collect();
    edges.sort_by(|&x, &y| {
        let (a, b) = (&g[x], &g[y]);
        a.date
            .is_none()
            .cmp(&b.date.is_none())
            .then_with(|| a.date.cmp(&b.date))
            .then_with(|| a.doc.cmp(&b.doc))
            .then_with(|| a.statement.cmp(&b.statement))
            .then(x.cmp(&y))
    });
    Timeline {
        actor: graph.actor_ref(actor),
        other: other.map(|o| graph.actor_ref(o)),
        events: edges
            .into_iter()
            .filter_map(|e| graph.event_summary(e))
            .collect(),
    }
}

impl fmt::Display for Timeline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.other {
            Some(o) => writeln!(
                f,
                "{} events between {} and {}",
                self.events.len(),
                self.actor,
                o
            )?,
            None => writeln!(f, "{} events of {}", self.events.len(), self.actor)?,
        }
        let mut table = TextTable::new([
            "date",
            "subject",
            "event",
            "object",
            "goldstein",
            "modality",
            "doc",
            "evidence",
        ]);
        for e in &self.events {
            let edge = &e.edge;
            table.row([
                edge.date.clone().unwrap_or_else(|| "undated".into()),
                e.subject.label.clone(),
                match &edge.cameo {
                    Some(c) => format!("{c} {}", edge.relation),
                    None => edge.relation.clone(),
                },
                e.object.label.clone(),
                edge.goldstein
                    .map(|g| format!("{g:+.1}"))
                    .unwrap_or_default(),
                edge.modality.as_str().to_string(),
                edge.doc.clone(),
                edge.evidence.clone(),
            ]);
        }
        write!(f, "{table}")
    }
}
