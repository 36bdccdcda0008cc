//! Who matters in the event network: degree (events taken part in), PageRank (sparse power
//! iteration; petgraph's own is quadratic in the node count) and Brandes betweenness.
//! The algorithms are written against petgraph's visit traits, so they run on any petgraph
//! graph; `rank` applies them to an `ActorGraph`.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, VecDeque};
use std::fmt;

use petgraph::csr::{Csr, EdgeReference as CsrEdge};
use petgraph::visit::{
    EdgeRef, GraphProp, IntoEdgeReferences, IntoEdges, IntoNodeIdentifiers, NodeIndexable,
};
use petgraph::Undirected;
use serde::Serialize;

use super::table::TextTable;
use super::{ActorGraph, ActorRef};

/// PageRank by power iteration over a sparse in-edge list: O(edges) per iteration.
/// Edges of undirected graphs count both ways; parallel edges add up, each weighing
/// `weight(edge)` (edges with a weight that is not positive and finite are ignored).
/// A dangling node's rank is spread evenly over all nodes. Stops when the L1 change of
/// an iteration falls below `tolerance` or after `max_iterations`. Indexed by
/// `NodeIndexable::to_index`; the scores sum to 1.
pub fn page_rank<G, F>(
    graph: G,
    mut weight: F,
    damping: f64,
    tolerance: f64,
    max_iterations: usize,
) -> Vec<f64>
where
    G: IntoEdgeReferences + IntoNodeIdentifiers + NodeIndexable + GraphProp,
    F: FnMut(G::EdgeRef) -> f64,
{
    let bound = graph.node_bound();
    let mut present = vec![false; bound];
    for n in graph.node_identifiers() {
        present[graph.to_index(n)] = true;
    }
    let n = present.iter().filter(|p| **p).count();
    if n == 0 {
        return vec![0.0; bound];
    }
    let mut out_weight = vec![0.0f64; bound];
    let mut links: Vec<(u32, u32, f64)> = Vec::new();
    for e in graph.edge_references() {
        let (s, t) = (graph.to_index(e.source()), graph.to_index(e.target()));
        let w = weight(e);
        if !(w.is_finite() && w > 0.0) {
            continue;
        }
        out_weight[s] += w;
        links.push((t as u32, s as u32, w));
        if !graph.is_directed() && s != t {
            out_weight[t] += w;
            links.push((s as u32, t as u32, w));
        }
    }
    links.sort_unstable_by_key(|&(t, s, _)| (t, s));
    let mut offsets = vec![0usize; bound + 1];
    for &(t, _, _) in &links {
        offsets[t as usize + 1] += 1;
    }
    for i in 0..bound {
        offsets[i + 1] += offsets[i];
    }
    // Share of the source's rank each link carries.
    let sources: Vec<(u32, f64)> = links
        .iter()
        .map(|&(_, s, w)| (s, w / out_weight[s as usize]))
        .collect();
    let nf = n as f64;
    let mut rank: Vec<f64> = present
        .iter()
        .map(|&p| if p { 1.0 / nf } else { 0.0 })
        .collect();
    let mut next = vec![0.0; bound];
    for _ in 0..max_iterations {
        let dangling: f64 = (0..bound)
            .filter(|&u| present[u] && out_weight[u] == 0.0)
            .map(|u| rank[u])
            .sum();
        let base = (1.0 - damping) / nf + damping * dangling / nf;
        let mut change = 0.0;
        for v in 0..bound {
            if !present[v] {
                continue;
            }
            let inflow: f64 = sources[offsets[v]..offsets[v + 1]]
                .iter()
                .map(|&(s, share)| rank[s as usize] * share)
                .sum();
            next[v] = base + damping * inflow;
            change += (next[v] - rank[v]).abs();
        }
        std::mem::swap(&mut rank, &mut next);
        if change < tolerance {
            break;
        }
    }
    rank
}

/// Brandes' betweenness with every edge of length 1. Undirected graphs count each pair of
/// endpoints once. `normalized` divides by the number of pairs that could route through a
/// node: (n-1)(n-2) directed, (n-1)(n-2)/2 undirected. Indexed by `NodeIndexable::to_index`.
pub fn betweenness<G>(graph: G, normalized: bool) -> Vec<f64>
where
    G: IntoEdges + IntoNodeIdentifiers + NodeIndexable + GraphProp,
{
    brandes_betweenness(graph, None::<fn(G::EdgeRef) -> f64>, normalized, None)
}

/// Brandes' betweenness over shortest paths by `length(edge)` (positive), with Dijkstra in
/// place of breadth-first search. Path lengths within 1e-9 relative count as equal.
pub fn weighted_betweenness<G, F>(graph: G, length: F, normalized: bool) -> Vec<f64>
where
    G: IntoEdges + IntoNodeIdentifiers + NodeIndexable + GraphProp,
    F: Fn(G::EdgeRef) -> f64,
{
    brandes_betweenness(graph, Some(length), normalized, None)
}

#[derive(PartialEq)]
struct Queued(f64, usize);

impl Eq for Queued {}

impl Ord for Queued {
    fn cmp(&self, other: &Self) -> Ordering {
        other.0.total_cmp(&self.0).then(other.1.cmp(&self.1))
    }
}

impl PartialOrd for Queued {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Brandes' betweenness, unit lengths when `length` is `None`. With `sources = Some(k)`
/// and k below the node count, only k evenly spread source nodes are searched and the
/// sums scaled by n/k (Brandes & Pich's estimate): one search per source costs O(edges),
/// so exact betweenness of a 20,000-actor graph is out of reach while a few hundred
/// sources rank the top actors well.
pub fn brandes_betweenness<G, F>(
    graph: G,
    length: Option<F>,
    normalized: bool,
    sources: Option<usize>,
) -> Vec<f64>
where
    G: IntoEdges + IntoNodeIdentifiers + NodeIndexable + GraphProp,
    F: Fn(G::EdgeRef) -> f64,
{
    let bound = graph.node_bound();
    let nodes: Vec<G::NodeId> = graph.node_identifiers().collect();
    let n = nodes.len();
    let searched: Vec<G::NodeId> = match sources {
        Some(k) if k > 0 && k < n => (0..k).map(|i| nodes[i * n / k]).collect(),
        _ => nodes.clone(),
    };
    let estimate = n as f64 / searched.len().max(1) as f64;
    let mut score = vec![0.0f64; bound];
    let mut sigma = vec![0.0f64; bound];
    let mut dist = vec![f64::INFINITY; bound];
    let mut delta = vec![0.0f64; bound];
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); bound];
    let mut order: Vec<usize> = Vec::with_capacity(n);
    let length = length.as_ref();
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0);
    for &s in &searched {
        let si = graph.to_index(s);
        for &v in &order {
            sigma[v] = 0.0;
            dist[v] = f64::INFINITY;
            delta[v] = 0.0;
            preds[v].clear();
        }
        order.clear();
        sigma[si] = 1.0;
        dist[si] = 0.0;
        // Neighbours of a node, with the length of the edge to each.
        let step = |u: usize| {
            let id = graph.from_index(u);
            graph.edges(id).map(move |e| {
                let (a, b) = (graph.to_index(e.source()), graph.to_index(e.target()));
                let other = if a == u { b } else { a };
                (other, length.map_or(1.0, |l| l(e)))
            })
        };
        if length.is_none() {
            let mut queue = VecDeque::from([si]);
            while let Some(u) = queue.pop_front() {
                order.push(u);
                for (v, _) in step(u) {
                    if dist[v].is_infinite() {
                        dist[v] = dist[u] + 1.0;
                        queue.push_back(v);
                    }
                    if dist[v] == dist[u] + 1.0 {
                        sigma[v] += sigma[u];
                        preds[v].push(u);
                    }
                }
            }
        } else {
            let mut done = vec![false; bound];
            let mut heap = BinaryHeap::from([Queued(0.0, si)]);
            while let Some(Queued(d, u)) = heap.pop() {
                if done[u] || d > dist[u] {
                    continue;
                }
                done[u] = true;
                order.push(u);
                for (v, w) in step(u) {
                    if done[v] || !(w.is_finite() && w > 0.0) {
                        continue;
                    }
                    let nd = d + w;
                    if dist[v].is_infinite() || (nd < dist[v] && !close(nd, dist[v])) {
                        dist[v] = nd;
                        sigma[v] = sigma[u];
                        preds[v].clear();
                        preds[v].push(u);
                        heap.push(Queued(nd, v));
                    } else if close(nd, dist[v]) {
                        sigma[v] += sigma[u];
                        preds[v].push(u);
                    }
                }
            }
        }
        for &w in order.iter().rev() {
            for &v in &preds[w] {
                delta[v] += sigma[v] / sigma[w] * (1.0 + delta[w]);
            }
            if w != si {
                score[w] += delta[w];
            }
        }
    }
    let scale = if normalized && n > 2 {
        1.0 / ((n - 1) * (n - 2)) as f64
    } else if graph.is_directed() {
        1.0
    } else {
        0.5
    };
    score.iter_mut().for_each(|x| *x *= scale * estimate);
    score
}

/// A centrality measure and its parameters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "measure", rename_all = "snake_case")]
pub enum Centrality {
    /// Events the actor takes part in (as subject or object).
    Degree,
    /// PageRank over event direction (subject -> object), one unit of weight per event.
    PageRank {
        damping: f64,
        tolerance: f64,
        max_iterations: usize,
    },
    /// Betweenness over the undirected ties; `weighted` makes a tie of n events length 1/n;
    /// `sources` estimates from that many source actors (see `brandes_betweenness`).
    Betweenness {
        weighted: bool,
        normalized: bool,
        sources: Option<usize>,
    },
}

impl Centrality {
    /// PageRank with the customary damping 0.85.
    pub fn page_rank() -> Self {
        Centrality::PageRank {
            damping: 0.85,
            tolerance: 1e-10,
            max_iterations: 200,
        }
    }

    /// By name as the CLI spells it: degree, pagerank, betweenness, weighted-betweenness
    /// (betweenness values normalised).
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name.to_ascii_lowercase().as_str() {
            "degree" => Centrality::Degree,
            "pagerank" | "page-rank" | "page_rank" => Centrality::page_rank(),
            "betweenness" => Centrality::Betweenness {
                weighted: false,
                normalized: true,
                sources: None,
            },
            "weighted-betweenness" | "weighted_betweenness" => Centrality::Betweenness {
                weighted: true,
                normalized: true,
                sources: None,
            },
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankedActor {
    /// 1-based; equal scores share no rank (ties broken by label).
    pub rank: usize,
    pub actor: ActorRef,
    pub score: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ranking {
    pub centrality: Centrality,
    /// Every node, highest score first.
    pub actors: Vec<RankedActor>,
}

/// Scores every node of the graph by `by`.
pub fn rank(graph: &ActorGraph, by: Centrality) -> Ranking {
    let g = graph.graph();
    let scores: Vec<f64> = match by {
        Centrality::Degree => {
            let mut degree = vec![0.0; g.node_count()];
            for e in g.raw_edges() {
                degree[e.source().index()] += 1.0;
                if e.target() != e.source() {
                    degree[e.target().index()] += 1.0;
                }
            }
            degree
        }
        Centrality::PageRank {
            damping,
            tolerance,
            max_iterations,
        } => page_rank(g, |_| 1.0, damping, tolerance, max_iterations),
        Centrality::Betweenness {
            weighted,
            normalized,
            sources,
        } => {
            // Compressed rows, both directions of every tie: Brandes walks each node's
            // neighbours once per source, and contiguous rows keep that cache-friendly.
            let ties = graph.ties();
            let mut rows: Vec<(u32, u32, f64)> = Vec::with_capacity(2 * ties.tie_count());
            for u in 0..ties.node_count() {
                for &(v, t) in ties.neighbours(u) {
                    rows.push((u as u32, v, ties.edges(t).len() as f64));
                }
            }
            let mut simple: Csr<(), f64, Undirected, u32> =
                Csr::from_sorted_edges(&rows).unwrap_or_else(|_| Csr::with_nodes(0));
            while simple.node_count() < g.node_count() {
                simple.add_node(());
            }
            let length =
                weighted.then_some(|e: CsrEdge<'_, f64, Undirected, u32>| 1.0 / *e.weight());
            brandes_betweenness(&simple, length, normalized, sources)
        }
    };
    let mut order: Vec<usize> = (0..scores.len()).collect();
    let label = |i: usize| &g[petgraph::graph::NodeIndex::new(i)].label;
    order.sort_by(|&a, &b| {
        scores[b]
            .total_cmp(&scores[a])
            .then_with(|| label(a).cmp(label(b)))
    });
    Ranking {
        centrality: by,
        actors: order
            .into_iter()
            .enumerate()
            .map(|(r, i)| RankedActor {
                rank: r + 1,
                actor: graph.actor_ref(petgraph::graph::NodeIndex::new(i)),
                score: scores[i],
            })
            .collect(),
    }
}

impl fmt::Display for Ranking {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self.centrality {
            Centrality::Degree => "degree (events)",
            Centrality::PageRank { .. } => "PageRank",
            Centrality::Betweenness {
                weighted: false, ..
            } => "betweenness",
            Centrality::Betweenness { weighted: true, .. } => "weighted betweenness",
        };
        let mut table = TextTable::new(["rank", "actor", "id", name]);
        for a in &self.actors {
            let score = match self.centrality {
                Centrality::Degree => format!("{}", a.score),
                _ => format!("{:.6}", a.score),
            };
            table.row([
                a.rank.to_string(),
                a.actor.label.clone(),
                a.actor.id.clone(),
                score,
            ]);
        }
        write!(f, "{table}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use petgraph::graph::{DiGraph, UnGraph};

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    #[test]
    fn betweenness_of_a_path_graph() {
        // 0-1-2-3-4: node 1 lies between 0 and {2,3,4}; node 2 between {0,1} and {3,4}.
        let g = UnGraph::<(), ()>::from_edges([(0, 1), (1, 2), (2, 3), (3, 4)]);
        assert_eq!(betweenness(&g, false), vec![0.0, 3.0, 4.0, 3.0, 0.0]);
        let norm = betweenness(&g, true);
        let expected = [0.0, 0.5, 4.0 / 6.0, 0.5, 0.0];
        assert!(
            norm.iter().zip(expected).all(|(a, b)| close(*a, b)),
            "{norm:?}"
        );
    }

    #[test]
    fn betweenness_of_a_star_centre_counts_all_leaf_pairs() {
        let g = UnGraph::<(), ()>::from_edges([(0, 1), (0, 2), (0, 3), (0, 4)]);
        let b = betweenness(&g, false);
        assert_eq!(b[0], 6.0, "C(4,2) leaf pairs route through the centre");
        assert!(b[1..].iter().all(|&x| x == 0.0));
    }

    #[test]
    fn betweenness_splits_over_equal_shortest_paths() {
        // Square 0-1-2-3-0: each pair of opposite corners has two shortest paths.
        let g = UnGraph::<(), ()>::from_edges([(0, 1), (1, 2), (2, 3), (3, 0)]);
        assert_eq!(betweenness(&g, false), vec![0.5; 4]);
        let w = weighted_betweenness(&g, |_| 2.0, false);
        assert_eq!(w, vec![0.5; 4], "uniform lengths change nothing");
    }

    #[test]
    fn weighted_betweenness_follows_short_edges() {
        // Triangle 0-1-2 where the direct edge 0-2 is long: 0 and 2 route through 1.
        let g = UnGraph::<(), f64>::from_edges([(0, 1, 1.0), (1, 2, 1.0), (0, 2, 5.0)]);
        let w = weighted_betweenness(&g, |e| *e.weight(), false);
        assert_eq!(w, vec![0.0, 1.0, 0.0]);
        assert_eq!(
            betweenness(&g, false),
            vec![0.0; 3],
            "by hops the direct edge wins"
        );
    }

    #[test]
    fn sampling_every_source_is_exact_and_fewer_sources_scale_up() {
        let g = UnGraph::<(), ()>::from_edges([(0, 1), (1, 2), (2, 3), (3, 4)]);
        let none = None::<fn(petgraph::graph::EdgeReference<'_, ()>) -> f64>;
        assert_eq!(
            brandes_betweenness(&g, none, false, Some(5)),
            betweenness(&g, false)
        );
        // Sources 0 and 2 (evenly spread): node 1 gets 3 from source 0 and 1 from source 2,
        // halved for direction and scaled by 5/2.
        let est = brandes_betweenness(&g, none, false, Some(2));
        assert!(close(est[1], (3.0 + 1.0) * 0.5 * 2.5), "{est:?}");
    }

    #[test]
    fn directed_betweenness_counts_ordered_pairs() {
        let g = DiGraph::<(), ()>::from_edges([(0, 1), (1, 2)]);
        assert_eq!(betweenness(&g, false), vec![0.0, 1.0, 0.0]);
    }

    #[test]
    fn page_rank_of_a_star_solves_the_hand_equations() {
        // Star with reciprocal edges: leaf = 0.03 + 0.2125 centre, centre = 0.03 + 3.4 leaf
        // (n = 5, d = 0.85), so leaf = 0.036375 / 0.2775 and centre = 0.03 + 3.4 leaf.
        let g = UnGraph::<(), ()>::from_edges([(0, 1), (0, 2), (0, 3), (0, 4)]);
        let pr = page_rank(&g, |_| 1.0, 0.85, 1e-12, 500);
        let leaf = 0.036375 / 0.2775;
        assert!(close(pr[1], leaf), "{pr:?}");
        assert!(close(pr[0], 0.03 + 3.4 * leaf), "{pr:?}");
        assert!(close(pr.iter().sum::<f64>(), 1.0));
    }

    #[test]
    fn page_rank_spreads_dangling_rank() {
        // 0 -> 1, and 1 has no out-edges: a = 0.075 + 0.425 b, a + b = 1.
        let g = DiGraph::<(), ()>::from_edges([(0, 1)]);
        let pr = page_rank(&g, |_| 1.0, 0.85, 1e-12, 500);
        assert!(close(pr[0], 0.5 / 1.425), "{pr:?}");
        assert!(close(pr[1], 1.0 - 0.5 / 1.425), "{pr:?}");
    }

    #[test]
    fn page_rank_of_a_cycle_is_uniform() {
        let g = DiGraph::<(), ()>::from_edges([(0, 1), (1, 2), (2, 3), (3, 4), (4, 0)]);
        let pr = page_rank(&g, |_| 1.0, 0.85, 1e-12, 500);
        assert!(pr.iter().all(|&x| close(x, 0.2)), "{pr:?}");
    }

    #[test]
    fn parallel_edges_weigh_more_in_page_rank() {
        // 0 sends two events to 1 and one to 2: 1 gets twice 2's inflow.
        let g = DiGraph::<(), ()>::from_edges([(0, 1), (0, 1), (0, 2)]);
        let pr = page_rank(&g, |_| 1.0, 0.85, 1e-12, 500);
        assert!(pr[1] > pr[2]);
        // b = base + d*(2/3)a, c = base + d*(1/3)a with the same base.
        assert!(close(pr[1] - pr[2], 0.85 * pr[0] / 3.0), "{pr:?}");
    }
}
