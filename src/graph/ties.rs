//! The undirected view of the event graph that path and neighbourhood queries walk: one
//! tie per pair of actors that share at least one event, whichever way the events point.
//! Stored as compressed adjacency (CSR) so a million events cost a few flat arrays.

use petgraph::graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;

use super::{EventEdge, EventGraph};
use crate::model::Modality;

#[derive(Debug, Clone, Copy)]
pub(crate) struct Tie {
    /// The endpoint with the lower node index.
    pub a: NodeIndex,
    pub b: NodeIndex,
    start: u32,
    end: u32,
}

#[derive(Debug)]
pub(crate) struct TieIndex {
    /// `adjacency[offsets[n]..offsets[n + 1]]` are node n's (neighbour, tie) pairs, sorted
    /// by neighbour.
    offsets: Vec<usize>,
    adjacency: Vec<(u32, u32)>,
    ties: Vec<Tie>,
    /// Edges of every tie, tie after tie.
    edges: Vec<EdgeIndex>,
}

impl TieIndex {
    pub fn build(graph: &EventGraph) -> TieIndex {
        let mut pairs: Vec<(u32, u32, u32)> = graph
            .edge_references()
            .filter(|e| e.source() != e.target())
            .map(|e| {
                let (s, t) = (e.source().index() as u32, e.target().index() as u32);
                (s.min(t), s.max(t), e.id().index() as u32)
            })
            .collect();
        pairs.sort_unstable();
        let mut ties = Vec::new();
        let mut edges = Vec::with_capacity(pairs.len());
        let mut degree = vec![0usize; graph.node_count()];
        for (i, &(a, b, e)) in pairs.iter().enumerate() {
            if i == 0 || (pairs[i - 1].0, pairs[i - 1].1) != (a, b) {
                let at = edges.len() as u32;
                ties.push(Tie {
                    a: NodeIndex::new(a as usize),
                    b: NodeIndex::new(b as usize),
                    start: at,
                    end: at,
                });
                degree[a as usize] += 1;
                degree[b as usize] += 1;
            }
            edges.push(EdgeIndex::new(e as usize));
            if let Some(t) = ties.last_mut() {
                t.end += 1;
            }
        }
        let mut offsets = Vec::with_capacity(degree.len() + 1);
        let mut total = 0;
        offsets.push(0);
        for d in &degree {
            total += d;
            offsets.push(total);
        }
        // Ties are sorted by (a, b), so filling in tie order leaves every node's neighbour
        // list sorted: first the lower-numbered neighbours (as b), then the higher (as a).
        let mut fill: Vec<usize> = offsets[..degree.len()].to_vec();
        let mut adjacency = vec![(0u32, 0u32); total];
        for (t, tie) in ties.iter().enumerate() {
            let (a, b) = (tie.a.index(), tie.b.index());
            adjacency[fill[a]] = (b as u32, t as u32);
            fill[a] += 1;
            adjacency[fill[b]] = (a as u32, t as u32);
            fill[b] += 1;
        }
        TieIndex {
            offsets,
            adjacency,
            ties,
            edges,
        }
    }

    pub fn node_count(&self) -> usize {
        self.offsets.len() - 1
    }

    /// (neighbour, tie id) pairs of node `n`, sorted by neighbour.
    pub fn neighbours(&self, n: usize) -> &[(u32, u32)] {
        &self.adjacency[self.offsets[n]..self.offsets[n + 1]]
    }

    pub fn tie_count(&self) -> usize {
        self.ties.len()
    }

    pub fn edges(&self, t: u32) -> &[EdgeIndex] {
        let tie = &self.ties[t as usize];
        &self.edges[tie.start as usize..tie.end as usize]
    }
}

/// The event that stands for a tie in a path: a coded, asserted, confident event first,
/// the latest such on equal footing, the first stored on a full tie.
pub(crate) fn representative(graph: &EventGraph, edges: &[EdgeIndex]) -> Option<EdgeIndex> {
    let key = |e: &EventEdge| {
        (
            e.cameo.is_some(),
            e.modality == Modality::Asserted,
            e.confidence,
            e.date.clone(),
        )
    };
    let mut best: Option<EdgeIndex> = None;
    for &e in edges {
        best = match best {
            None => Some(e),
            Some(b) => {
                let (kb, ke) = (key(&graph[b]), key(&graph[e]));
                let better = (ke.0, ke.1)
                    .cmp(&(kb.0, kb.1))
                    .then(ke.2.total_cmp(&kb.2))
                    .then(ke.3.cmp(&kb.3));
                Some(if better.is_gt() { e } else { b })
            }
        };
    }
    best
}
