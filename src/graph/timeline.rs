//! An actor's events, or the events between two actors, in the order they happened.

use std::fmt;

use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use petgraph::Direction;
use serde::Serialize;

use super::table::TextTable;
use super::{ActorGraph, ActorRef, EventSummary};
use crate::model::NodeKind;
use petgraph::graph::EdgeIndex;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timeline {
    pub actor: ActorRef,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other: Option<ActorRef>,
    /// By date (coarse dates before the precise dates they contain), undated last, then by
    /// document and position in the document.
    pub events: Vec<TimelineEvent>,
}

/// One event on a timeline, and the office through which it involves the asked-for actor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelineEvent {
    #[serde(flatten)]
    pub event: EventSummary,
    /// Set when the event names the government an asked-for person leads rather than the
    /// person: "Trump demanded payback from Kyiv" is on the Trump–Zelenskyy timeline via
    /// Ukraine.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<ActorRef>,
}

impl std::ops::Deref for TimelineEvent {
    type Target = EventSummary;
    fn deref(&self) -> &EventSummary {
        &self.event
    }
}

/// Which events count as "between" two actors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TimelineScope {
    /// Events naming both actors, and events between one of them and the country whose
    /// government the other leads (a person coded `…GOV`). News names governments by their
    /// capital or country as often as by their leader, and CAMEO codes both alike.
    #[default]
    WithOffices,
    /// Only events naming both actors themselves.
    Strict,
}

/// Events of `actor` (either role), or those between `actor` and `other` in the default
/// scope (see [`TimelineScope::WithOffices`]).
pub fn timeline(graph: &ActorGraph, actor: NodeIndex, other: Option<NodeIndex>) -> Timeline {
    timeline_scoped(graph, actor, other, TimelineScope::default())
}

/// As [`timeline`], with the scope of "between" chosen by the caller.
pub fn timeline_scoped(
    graph: &ActorGraph,
    actor: NodeIndex,
    other: Option<NodeIndex>,
    scope: TimelineScope,
) -> Timeline {
    let g = graph.graph();
    // Each side: the actor itself (no `via`), then the governments it stands for.
    let side = |ix: NodeIndex| -> Vec<(NodeIndex, Option<NodeIndex>)> {
        let mut members = vec![(ix, None)];
        if scope == TimelineScope::WithOffices && other.is_some() {
            members.extend(office_of(graph, ix).map(|o| (o, Some(o))));
        }
        members
    };
    let ours = side(actor);
    let theirs = other.map(side);
    let mut chosen: Vec<(EdgeIndex, Option<NodeIndex>)> = Vec::new();
    for &(mine, my_via) in &ours {
        for e in g.edges_directed(mine, Direction::Outgoing).chain(
            g.edges_directed(mine, Direction::Incoming)
                // A self-loop already came in as outgoing.
                .filter(|e| e.source() != mine),
        ) {
            let far = if e.source() == mine {
                e.target()
            } else {
                e.source()
            };
            let via = match &theirs {
                None => Some(None),
                Some(theirs) => {
                    theirs
                        .iter()
                        .find(|(t, _)| *t == far)
                        .and_then(|(_, their_via)| match (my_via, *their_via) {
                            // Two offices meeting is the countries' business, not the people's.
                            (Some(_), Some(_)) => None,
                            (Some(v), None) | (None, Some(v)) => Some(Some(v)),
                            (None, None) => Some(None),
                        })
                }
            };
            if let Some(via) = via {
                chosen.push((e.id(), via));
            }
        }
    }
    chosen.sort_by(|&(x, _), &(y, _)| {
        let (a, b) = (&g[x], &g[y]);
        a.date
            .is_none()
            .cmp(&b.date.is_none())
            .then_with(|| a.date.cmp(&b.date))
            .then_with(|| a.doc.cmp(&b.doc))
            .then_with(|| natural_cmp(&a.statement, &b.statement))
            .then(x.cmp(&y))
    });
    chosen.dedup_by_key(|(e, _)| *e);
    Timeline {
        actor: graph.actor_ref(actor),
        other: other.map(|o| graph.actor_ref(o)),
        events: chosen
            .into_iter()
            .filter_map(|(e, via)| {
                Some(TimelineEvent {
                    event: graph.event_summary(e)?,
                    via: via.map(|v| graph.actor_ref(v)),
                })
            })
            .collect(),
    }
}

/// Orders ids with numbers by their numbers: statement "s5-0" (sentence 5) before "s16-0".
fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    fn chunks(s: &str) -> impl Iterator<Item = Result<u64, &str>> {
        s.split_inclusive(|c: char| !c.is_ascii_digit())
            .flat_map(|part| {
                let digits = part.trim_end_matches(|c: char| !c.is_ascii_digit());
                let rest = &part[digits.len()..];
                [
                    (!digits.is_empty()).then(|| digits.parse::<u64>().map_err(|_| digits)),
                    (!rest.is_empty()).then_some(Err(rest)),
                ]
            })
            .flatten()
    }
    chunks(a).cmp(chunks(b)).then_with(|| a.cmp(b))
}

/// The country node whose government a person leads: people coded `XXXGOV` stand for
/// country `XXX`'s government.
fn office_of(graph: &ActorGraph, person: NodeIndex) -> Option<NodeIndex> {
    let g = graph.graph();
    let node = &g[person];
    if node.kind != NodeKind::Person {
        return None;
    }
    let code = node.actor_code.as_deref()?;
    let country = code.strip_suffix("GOV")?;
    if node.country.as_deref() != Some(country) {
        return None;
    }
    g.node_indices()
        .find(|&ix| g[ix].kind == NodeKind::Country && g[ix].country.as_deref() == Some(country))
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
            let office = |who: &ActorRef| match &e.via {
                Some(v) if v.id == who.id => format!("{} (government)", who.label),
                _ => who.label.clone(),
            };
            table.row([
                edge.date.clone().unwrap_or_else(|| "undated".into()),
                office(&e.subject),
                match &edge.cameo {
                    Some(c) => format!("{c} {}", edge.relation),
                    None => edge.relation.clone(),
                },
                office(&e.object),
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

#[cfg(test)]
mod tests {
    use super::natural_cmp;
    use std::cmp::Ordering;

    #[test]
    fn statements_are_ordered_by_sentence_number_not_by_text() {
        assert_eq!(natural_cmp("s5-0", "s16-0"), Ordering::Less);
        assert_eq!(natural_cmp("s16-2", "s16-10"), Ordering::Less);
        assert_eq!(natural_cmp("s16-2", "s16-2"), Ordering::Equal);
        assert_eq!(natural_cmp("r2", "s1"), Ordering::Less);
    }
}
