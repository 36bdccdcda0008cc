//! An actor's neighbourhood (ego network): who it deals with within a few hops, and how
//! each relationship looks in aggregate (event count, net Goldstein, period, QuadClasses).

use std::fmt;

use petgraph::graph::NodeIndex;
use serde::Serialize;

use super::dates::{ends_later, DateInterval};
use super::table::TextTable;
use super::{ActorGraph, ActorRef};

/// Events of a tie by QuadClass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct QuadClassCounts {
    pub verbal_cooperation: usize,
    pub material_cooperation: usize,
    pub verbal_conflict: usize,
    pub material_conflict: usize,
    /// QuadClass 0 or none (uncoded relations).
    pub neutral: usize,
}

impl QuadClassCounts {
    fn add(&mut self, quad_class: Option<u8>) {
        match quad_class {
            Some(1) => self.verbal_cooperation += 1,
            Some(2) => self.material_cooperation += 1,
            Some(3) => self.verbal_conflict += 1,
            Some(4) => self.material_conflict += 1,
            _ => self.neutral += 1,
        }
    }
}

/// The relationship between two actors, all events either way.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TieSummary {
    /// The endpoint nearer the centre (the centre itself for its own ties).
    pub a: ActorRef,
    pub b: ActorRef,
    pub events: usize,
    /// Events with `a` as subject.
    pub a_to_b: usize,
    pub b_to_a: usize,
    /// Sum of the events' Goldstein values: negative means conflict dominates.
    pub net_goldstein: f64,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    pub quad_classes: QuadClassCounts,
    /// Hops from the centre to `a`.
    pub distance: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Neighbour {
    pub actor: ActorRef,
    pub distance: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Neighbourhood {
    pub centre: ActorRef,
    pub hops: usize,
    /// Actors within `hops`, nearest first (the centre excluded).
    pub actors: Vec<Neighbour>,
    /// Every tie among the centre and those actors, the centre's own first, then by
    /// event count.
    pub ties: Vec<TieSummary>,
}

/// Hop distance from `centre` of every node within `hops`, centre included (distance 0).
fn reach(graph: &ActorGraph, centre: NodeIndex, hops: usize) -> Vec<(NodeIndex, usize)> {
    let ties = graph.ties();
    if centre.index() >= ties.node_count() {
        return Vec::new();
    }
    let mut distance = vec![usize::MAX; ties.node_count()];
    distance[centre.index()] = 0;
    let mut order = vec![(centre, 0)];
    let mut frontier = vec![centre.index()];
    for d in 1..=hops {
        let mut next = Vec::new();
        for &u in &frontier {
            for &(v, _) in ties.neighbours(u) {
                if distance[v as usize] == usize::MAX {
                    distance[v as usize] = d;
                    next.push(v as usize);
                    order.push((NodeIndex::new(v as usize), d));
                }
            }
        }
        frontier = next;
    }
    order
}

/// The nodes of the neighbourhood, centre first, for `ActorGraph::subgraph` and export.
pub fn neighbourhood_nodes(graph: &ActorGraph, centre: NodeIndex, hops: usize) -> Vec<NodeIndex> {
    reach(graph, centre, hops)
        .into_iter()
        .map(|(n, _)| n)
        .collect()
}

impl ActorGraph {
    /// The graph of the actors within `hops` of `centre` and all events among them, for
    /// exporting an actor's surroundings.
    pub fn neighbourhood(&self, centre: NodeIndex, hops: usize) -> ActorGraph {
        self.subgraph(&neighbourhood_nodes(self, centre, hops))
    }
}

/// The actors within `hops` of `centre` and every tie among them.
pub fn neighbors(graph: &ActorGraph, centre: NodeIndex, hops: usize) -> Neighbourhood {
    let ties = graph.ties();
    let reached = reach(graph, centre, hops);
    let mut distance = vec![usize::MAX; ties.node_count()];
    for &(n, d) in &reached {
        distance[n.index()] = d;
    }
    let mut summaries = Vec::new();
    for &(u, du) in &reached {
        for &(v, t) in ties.neighbours(u.index()) {
            let dv = distance[v as usize];
            // Each tie once, from its endpoint nearer the centre (lower index on a tie).
            if dv == usize::MAX || (dv, v as usize) < (du, u.index()) {
                continue;
            }
            let b = NodeIndex::new(v as usize);
            let mut s = TieSummary {
                a: graph.actor_ref(u),
                b: graph.actor_ref(b),
                events: 0,
                a_to_b: 0,
                b_to_a: 0,
                net_goldstein: 0.0,
                first_date: None,
                last_date: None,
                quad_classes: QuadClassCounts::default(),
                distance: du,
            };
            for &e in ties.edges(t) {
                let edge = graph.event(e);
                s.events += 1;
                if graph
                    .graph()
                    .edge_endpoints(e)
                    .is_some_and(|(from, _)| from == u)
                {
                    s.a_to_b += 1;
                } else {
                    s.b_to_a += 1;
                }
                s.net_goldstein += edge.goldstein.unwrap_or(0.0);
                s.quad_classes.add(edge.quad_class);
                if let Some(d) = edge.date.as_deref().filter(|d| DateInterval::is_valid(d)) {
                    if s.first_date.as_deref().is_none_or(|f| d < f) {
                        s.first_date = Some(d.to_string());
                    }
                    if s.last_date.as_deref().is_none_or(|l| ends_later(d, l)) {
                        s.last_date = Some(d.to_string());
                    }
                }
            }
            summaries.push(s);
        }
    }
    summaries.sort_by(|x, y| {
        x.distance
            .cmp(&y.distance)
            .then(y.events.cmp(&x.events))
            .then(x.b.label.cmp(&y.b.label))
    });
    Neighbourhood {
        centre: graph.actor_ref(centre),
        hops,
        actors: reached
            .iter()
            .skip(1)
            .map(|&(n, d)| Neighbour {
                actor: graph.actor_ref(n),
                distance: d,
            })
            .collect(),
        ties: summaries,
    }
}

impl fmt::Display for Neighbourhood {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{}: {} actors within {} hop(s), {} ties",
            self.centre,
            self.actors.len(),
            self.hops,
            self.ties.len()
        )?;
        let mut table = TextTable::new([
            "actor",
            "partner",
            "from centre",
            "events",
            "out",
            "in",
            "net goldstein",
            "first",
            "last",
            "q1/q2/q3/q4/0",
        ]);
        for t in &self.ties {
            let q = t.quad_classes;
            table.row([
                t.a.label.clone(),
                t.b.label.clone(),
                t.distance.to_string(),
                t.events.to_string(),
                t.a_to_b.to_string(),
                t.b_to_a.to_string(),
                format!("{:+.1}", t.net_goldstein),
                t.first_date.clone().unwrap_or_default(),
                t.last_date.clone().unwrap_or_default(),
                format!(
                    "{}/{}/{}/{}/{}",
                    q.verbal_cooperation,
                    q.material_cooperation,
                    q.verbal_conflict,
                    q.material_conflict,
                    q.neutral
                ),
            ]);
        }
        write!(f, "{table}")
    }
}
