//! How two actors are connected: the k shortest loopless paths between them (Yen's
//! algorithm) over the undirected tie view, each hop backed by a concrete event and its
//! evidence sentence.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashSet};
use std::fmt;

use petgraph::graph::NodeIndex;
use serde::Serialize;

use super::table::TextTable;
use super::ties::{representative, TieIndex};
use super::{ActorGraph, ActorRef, EventSummary};

/// The length of one hop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum TieWeight {
    /// Every hop costs 1: fewest intermediaries first.
    #[default]
    Hops,
    /// A hop costs 1 / (events on the tie): paths through well-attested ties first.
    InverseEvents,
}

impl TieWeight {
    fn cost(self, ties: &TieIndex, tie: u32) -> f64 {
        match self {
            TieWeight::Hops => 1.0,
            TieWeight::InverseEvents => 1.0 / ties.edges(tie).len().max(1) as f64,
        }
    }
}

/// Which way the hop's representative event points relative to the path's direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HopDirection {
    /// The hop's first actor is the event's subject.
    Forward,
    /// The hop's first actor is the event's object.
    Backward,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathHop {
    pub from: ActorRef,
    pub to: ActorRef,
    pub direction: HopDirection,
    /// Events on this tie, either way; `event` is one of them.
    pub events: usize,
    pub event: EventSummary,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActorPath {
    /// Sum of hop costs under the `TieWeight` used.
    pub cost: f64,
    pub hops: Vec<PathHop>,
}

impl ActorPath {
    /// The actors along the path, ends included.
    pub fn actors(&self) -> Vec<&ActorRef> {
        let mut out: Vec<&ActorRef> = self.hops.iter().map(|h| &h.from).collect();
        out.extend(self.hops.last().map(|h| &h.to));
        out
    }
}

/// The answer to "how is A connected to B": paths sorted by cost, then by hop count.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathSet {
    pub from: ActorRef,
    pub to: ActorRef,
    pub weight: TieWeight,
    pub paths: Vec<ActorPath>,
}

/// The `k` shortest loopless paths of at most `max_hops` hops, one hop per actor pair that
/// shares an event (either direction).
pub fn k_shortest_paths(
    graph: &ActorGraph,
    from: NodeIndex,
    to: NodeIndex,
    k: usize,
    max_hops: usize,
) -> PathSet {
    k_shortest_paths_weighted(graph, from, to, k, max_hops, TieWeight::Hops)
}

/// As `k_shortest_paths`, with a choice of hop cost. With `InverseEvents` the hop limit
/// prunes the search rather than constraining it exactly: a cheap path longer than
/// `max_hops` can hide a costlier short one.
pub fn k_shortest_paths_weighted(
    graph: &ActorGraph,
    from: NodeIndex,
    to: NodeIndex,
    k: usize,
    max_hops: usize,
    weight: TieWeight,
) -> PathSet {
    let ties = graph.ties();
    let found = if from.index() < ties.node_count() && to.index() < ties.node_count() && from != to
    {
        yen(
            ties,
            from.index() as u32,
            to.index() as u32,
            k,
            max_hops,
            weight,
        )
    } else {
        Vec::new()
    };
    let paths = found
        .into_iter()
        .map(|c| {
            let hops = c
                .ties
                .iter()
                .enumerate()
                .filter_map(|(i, &t)| {
                    let (a, b) = (
                        NodeIndex::new(c.nodes[i] as usize),
                        NodeIndex::new(c.nodes[i + 1] as usize),
                    );
                    let edges = ties.edges(t);
                    let e = representative(graph.graph(), edges)?;
                    let event = graph.event_summary(e)?;
                    let forward = graph.graph().edge_endpoints(e).is_some_and(|(s, _)| s == a);
                    Some(PathHop {
                        from: graph.actor_ref(a),
                        to: graph.actor_ref(b),
                        direction: if forward {
                            HopDirection::Forward
                        } else {
                            HopDirection::Backward
                        },
                        events: edges.len(),
                        event,
                    })
                })
                .collect();
            ActorPath { cost: c.cost, hops }
        })
        .collect();
    PathSet {
        from: graph.actor_ref(from),
        to: graph.actor_ref(to),
        weight,
        paths,
    }
}

#[derive(Debug, Clone, PartialEq)]
struct Candidate {
    nodes: Vec<u32>,
    ties: Vec<u32>,
    cost: f64,
}

impl Candidate {
    fn order(&self, other: &Candidate) -> Ordering {
        self.cost
            .total_cmp(&other.cost)
            .then(self.nodes.len().cmp(&other.nodes.len()))
            .then(self.nodes.cmp(&other.nodes))
    }
}

/// Nodes and ties a spur search may not use.
struct Banned {
    nodes: Vec<bool>,
    ties: HashSet<u32>,
}

fn yen(
    ties: &TieIndex,
    src: u32,
    dst: u32,
    k: usize,
    max_hops: usize,
    weight: TieWeight,
) -> Vec<Candidate> {
    if k == 0 {
        return Vec::new();
    }
    let mut banned = Banned {
        nodes: vec![false; ties.node_count()],
        ties: HashSet::new(),
    };
    let Some(first) = shortest(ties, src, dst, &banned, max_hops, weight) else {
        return Vec::new();
    };
    let mut accepted = vec![first];
    let mut seen: HashSet<Vec<u32>> = HashSet::from([accepted[0].nodes.clone()]);
    let mut pool: Vec<Candidate> = Vec::new();
    while accepted.len() < k {
        let Some(last) = accepted.last().cloned() else {
            break;
        };
        for i in 0..last.ties.len() {
            let spur = last.nodes[i];
            let root = &last.nodes[..=i];
            banned.ties.clear();
            for p in &accepted {
                if p.nodes.len() > i + 1 && &p.nodes[..=i] == root {
                    banned.ties.insert(p.ties[i]);
                }
            }
            for &n in &root[..i] {
                banned.nodes[n as usize] = true;
            }
            let spur_path = shortest(ties, spur, dst, &banned, max_hops - i, weight);
            for &n in &root[..i] {
                banned.nodes[n as usize] = false;
            }
            let Some(spur_path) = spur_path else { continue };
            let mut nodes = root[..i].to_vec();
            nodes.extend(&spur_path.nodes);
            if seen.contains(&nodes) {
                continue;
            }
            let mut path_ties = last.ties[..i].to_vec();
            path_ties.extend(&spur_path.ties);
            let cost = path_ties.iter().map(|&t| weight.cost(ties, t)).sum();
            seen.insert(nodes.clone());
            pool.push(Candidate {
                nodes,
                ties: path_ties,
                cost,
            });
        }
        let Some(best) = (0..pool.len()).min_by(|&a, &b| pool[a].order(&pool[b])) else {
            break;
        };
        accepted.push(pool.swap_remove(best));
    }
    accepted
}

fn shortest(
    ties: &TieIndex,
    src: u32,
    dst: u32,
    banned: &Banned,
    max_hops: usize,
    weight: TieWeight,
) -> Option<Candidate> {
    match weight {
        TieWeight::Hops => bidirectional_bfs(ties, src, dst, banned, max_hops),
        TieWeight::InverseEvents => dijkstra(ties, src, dst, banned, max_hops, weight),
    }
}

const UNSEEN: u32 = u32::MAX;

/// Fewest-hop path, searching from both ends and always growing the smaller frontier, so a
/// query between two well-connected actors touches a few thousand nodes, not the graph.
fn bidirectional_bfs(
    ties: &TieIndex,
    src: u32,
    dst: u32,
    banned: &Banned,
    max_hops: usize,
) -> Option<Candidate> {
    if src == dst {
        return Some(Candidate {
            nodes: vec![src],
            ties: Vec::new(),
            cost: 0.0,
        });
    }
    let n = ties.node_count();
    // (distance, parent, tie to parent) from each side.
    let mut fwd = vec![(UNSEEN, UNSEEN, UNSEEN); n];
    let mut bwd = vec![(UNSEEN, UNSEEN, UNSEEN); n];
    fwd[src as usize].0 = 0;
    bwd[dst as usize].0 = 0;
    let (mut front_f, mut front_b) = (vec![src], vec![dst]);
    let (mut depth_f, mut depth_b) = (0usize, 0usize);
    loop {
        if front_f.is_empty() || front_b.is_empty() || depth_f + depth_b >= max_hops {
            return None;
        }
        let forward = front_f.len() <= front_b.len();
        let (front, mine, other) = if forward {
            (&mut front_f, &mut fwd, &bwd)
        } else {
            (&mut front_b, &mut bwd, &fwd)
        };
        let depth = if forward { depth_f } else { depth_b } as u32;
        let mut next = Vec::new();
        let mut meet: Option<(u32, u32)> = None;
        for &u in front.iter() {
            for &(v, t) in ties.neighbours(u as usize) {
                if banned.nodes[v as usize]
                    || banned.ties.contains(&t)
                    || mine[v as usize].0 != UNSEEN
                {
                    continue;
                }
                mine[v as usize] = (depth + 1, u, t);
                next.push(v);
                let theirs = other[v as usize].0;
                if theirs != UNSEEN && meet.is_none_or(|(_, best)| depth + 1 + theirs < best) {
                    meet = Some((v, depth + 1 + theirs));
                }
            }
        }
        *front = next;
        if forward {
            depth_f += 1;
        } else {
            depth_b += 1;
        }
        if let Some((m, total)) = meet {
            if total as usize > max_hops {
                return None;
            }
            let mut nodes = vec![m];
            let mut path_ties = Vec::new();
            let mut at = m;
            while at != src {
                let (_, parent, tie) = fwd[at as usize];
                nodes.push(parent);
                path_ties.push(tie);
                at = parent;
            }
            nodes.reverse();
            path_ties.reverse();
            at = m;
            while at != dst {
                let (_, parent, tie) = bwd[at as usize];
                nodes.push(parent);
                path_ties.push(tie);
                at = parent;
            }
            return Some(Candidate {
                nodes,
                cost: path_ties.len() as f64,
                ties: path_ties,
            });
        }
    }
}

#[derive(PartialEq)]
struct Queued {
    cost: f64,
    node: u32,
}

impl Eq for Queued {}

impl Ord for Queued {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .cost
            .total_cmp(&self.cost)
            .then(other.node.cmp(&self.node))
    }
}

impl PartialOrd for Queued {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

fn dijkstra(
    ties: &TieIndex,
    src: u32,
    dst: u32,
    banned: &Banned,
    max_hops: usize,
    weight: TieWeight,
) -> Option<Candidate> {
    let n = ties.node_count();
    let mut cost = vec![f64::INFINITY; n];
    let mut hops = vec![0usize; n];
    let mut parent = vec![(UNSEEN, UNSEEN); n];
    let mut done = vec![false; n];
    let mut heap = BinaryHeap::from([Queued {
        cost: 0.0,
        node: src,
    }]);
    cost[src as usize] = 0.0;
    while let Some(Queued { cost: c, node: u }) = heap.pop() {
        if done[u as usize] {
            continue;
        }
        done[u as usize] = true;
        if u == dst {
            break;
        }
        if hops[u as usize] >= max_hops {
            continue;
        }
        for &(v, t) in ties.neighbours(u as usize) {
            if banned.nodes[v as usize] || banned.ties.contains(&t) || done[v as usize] {
                continue;
            }
            let nc = c + weight.cost(ties, t);
            if nc < cost[v as usize] {
                cost[v as usize] = nc;
                hops[v as usize] = hops[u as usize] + 1;
                parent[v as usize] = (u, t);
                heap.push(Queued { cost: nc, node: v });
            }
        }
    }
    if !done[dst as usize] {
        return None;
    }
    let (mut nodes, mut path_ties) = (vec![dst], Vec::new());
    let mut at = dst;
    while at != src {
        let (p, t) = parent[at as usize];
        nodes.push(p);
        path_ties.push(t);
        at = p;
    }
    nodes.reverse();
    path_ties.reverse();
    Some(Candidate {
        nodes,
        ties: path_ties,
        cost: cost[dst as usize],
    })
}

impl fmt::Display for PathSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.paths.is_empty() {
            return writeln!(f, "No path between {} and {}.", self.from, self.to);
        }
        for (i, path) in self.paths.iter().enumerate() {
            let names: Vec<&str> = path.actors().iter().map(|a| a.label.as_str()).collect();
            writeln!(
                f,
                "Path {} ({} hops, cost {}): {}",
                i + 1,
                path.hops.len(),
                path.cost,
                names.join(" - ")
            )?;
            let mut table = TextTable::new([
                "from", "to", "dir", "events", "cameo", "date", "doc", "evidence",
            ]);
            for hop in &path.hops {
                let e = &hop.event.edge;
                table.row([
                    hop.from.label.clone(),
                    hop.to.label.clone(),
                    match hop.direction {
                        HopDirection::Forward => "->".into(),
                        HopDirection::Backward => "<-".into(),
                    },
                    hop.events.to_string(),
                    e.cameo.clone().unwrap_or_else(|| e.relation.clone()),
                    e.date.clone().unwrap_or_default(),
                    e.doc.clone(),
                    e.evidence.clone(),
                ]);
            }
            write!(f, "{table}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use petgraph::graph::DiGraph;

    use crate::graph::{EventEdge, EventGraph};
    use crate::model::Modality;

    fn ties_of(n: usize, edges: &[(u32, u32)]) -> TieIndex {
        let mut g: EventGraph = DiGraph::new();
        let nodes: Vec<_> = (0..n)
            .map(|i| {
                g.add_node(crate::graph::ActorNode {
                    id: format!("n{i}"),
                    label: format!("N{i}"),
                    kind: crate::model::NodeKind::Country,
                    country: None,
                    actor_code: None,
                    wikidata: None,
                    first_seen: None,
                    last_seen: None,
                    mentions: 1,
                })
            })
            .collect();
        for &(a, b) in edges {
            g.add_edge(
                nodes[a as usize],
                nodes[b as usize],
                EventEdge {
                    statement: "s".into(),
                    doc: "d".into(),
                    relation: "r".into(),
                    cameo: None,
                    plover: None,
                    goldstein: None,
                    quad_class: None,
                    date: None,
                    modality: Modality::Asserted,
                    confidence: 1.0,
                    evidence: String::new(),
                    location: None,
                },
            );
        }
        TieIndex::build(&g)
    }

    #[test]
    fn yen_finds_paths_in_order_of_length_without_repeats() {
        // 0-1-4 (2 hops), 0-2-3-4 (3 hops), 0-2-1-4 (3 hops), 0-2-3-1-4 (4 hops).
        let ties = ties_of(5, &[(0, 1), (1, 4), (0, 2), (2, 3), (3, 4), (2, 1), (3, 1)]);
        let paths = yen(&ties, 0, 4, 10, 10, TieWeight::Hops);
        let lengths: Vec<usize> = paths.iter().map(|p| p.ties.len()).collect();
        assert!(lengths.windows(2).all(|w| w[0] <= w[1]), "{lengths:?}");
        assert_eq!(paths[0].nodes, vec![0, 1, 4]);
        let distinct: HashSet<_> = paths.iter().map(|p| p.nodes.clone()).collect();
        assert_eq!(distinct.len(), paths.len());
        for p in &paths {
            let unique: HashSet<_> = p.nodes.iter().collect();
            assert_eq!(
                unique.len(),
                p.nodes.len(),
                "path {:?} repeats a node",
                p.nodes
            );
        }
        // Every simple path from 0 to 4 in this graph: 0-1-4, 0-2-1-4, 0-2-3-4, 0-1-3-4,
        // 0-2-3-1-4, 0-1-2-3-4, 0-2-1-3-4.
        assert_eq!(paths.len(), 7);
    }

    #[test]
    fn inverse_event_weight_prefers_well_attested_ties() {
        // Two 2-hop routes from 0 to 3; the one through 2 has three events on each tie.
        let mut edges = vec![(0, 1), (1, 3)];
        for _ in 0..3 {
            edges.extend([(0, 2), (2, 3)]);
        }
        let ties = ties_of(4, &edges);
        let by_hops = yen(&ties, 0, 3, 1, 5, TieWeight::Hops);
        assert_eq!(
            by_hops[0].nodes,
            vec![0, 1, 3],
            "equal hops: lowest node ids first"
        );
        let by_events = yen(&ties, 0, 3, 2, 5, TieWeight::InverseEvents);
        assert_eq!(by_events[0].nodes, vec![0, 2, 3]);
        assert!((by_events[0].cost - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(by_events[1].nodes, vec![0, 1, 3]);
        assert!((by_events[1].cost - 2.0).abs() < 1e-12);
    }

    #[test]
    fn asking_for_no_paths_gives_none() {
        let ties = ties_of(2, &[(0, 1)]);
        assert_eq!(yen(&ties, 0, 1, 1, 3, TieWeight::Hops).len(), 1);
        assert!(yen(&ties, 0, 1, 0, 3, TieWeight::Hops).is_empty());
    }

    #[test]
    fn hop_limit_excludes_longer_paths() {
        let ties = ties_of(4, &[(0, 1), (1, 2), (2, 3)]);
        assert!(yen(&ties, 0, 3, 3, 2, TieWeight::Hops).is_empty());
        assert_eq!(yen(&ties, 0, 3, 3, 3, TieWeight::Hops).len(), 1);
    }

    #[test]
    fn bidirectional_search_agrees_with_dijkstra_on_hop_counts() {
        // A ring of 12 with chords: the fewest-hop distance must match either search.
        let mut edges: Vec<(u32, u32)> = (0..12).map(|i| (i, (i + 1) % 12)).collect();
        edges.extend([(0, 6), (3, 9), (2, 7)]);
        let ties = ties_of(12, &edges);
        let banned = Banned {
            nodes: vec![false; 12],
            ties: HashSet::new(),
        };
        for dst in 1..12 {
            let bfs = bidirectional_bfs(&ties, 0, dst, &banned, 20).map(|c| c.ties.len());
            let dj = dijkstra(&ties, 0, dst, &banned, 20, TieWeight::Hops).map(|c| c.ties.len());
            assert_eq!(bfs, dj, "distance 0 -> {dst}");
        }
    }
}
