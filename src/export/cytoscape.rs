//! Cytoscape.js elements JSON. Node ids are actor ids; edge ids are `event:{n}`, which
//! cannot collide with actor ids (slugs have no colon) in Cytoscape's shared id space.

use std::io::Write;

use petgraph::visit::EdgeRef;
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

use super::fields::{edge_label, edge_values, node_values, EDGE_FIELDS, NODE_FIELDS};
use super::{ExportError, NodePlace};
use crate::graph::{ActorGraph, EventGraph};

/// The graph with each node's place, by node index.
type Placed<'a> = (&'a EventGraph, &'a [Option<NodePlace>]);

struct Elements<'a>(Placed<'a>);
struct Nodes<'a>(Placed<'a>);
struct Edges<'a>(&'a EventGraph);
struct NodeData<'a>(
    &'a EventGraph,
    petgraph::graph::NodeIndex,
    Option<&'a NodePlace>,
);
struct EdgeData<'a>(&'a EventGraph, petgraph::graph::EdgeIndex);
/// `{"data": ...}`
struct Element<T>(T);

impl Serialize for Elements<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut outer = s.serialize_map(Some(1))?;
        struct Inner<'a>(Placed<'a>);
        impl Serialize for Inner<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut m = s.serialize_map(Some(2))?;
                m.serialize_entry("nodes", &Nodes(self.0))?;
                m.serialize_entry("edges", &Edges(self.0 .0))?;
                m.end()
            }
        }
        outer.serialize_entry("elements", &Inner(self.0))?;
        outer.end()
    }
}

impl<T: Serialize> Serialize for Element<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry("data", &self.0)?;
        m.end()
    }
}

impl Serialize for Nodes<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (g, places) = self.0;
        let mut seq = s.serialize_seq(Some(g.node_count()))?;
        for ix in g.node_indices() {
            let place = places.get(ix.index()).and_then(Option::as_ref);
            seq.serialize_element(&Element(NodeData(g, ix, place)))?;
        }
        seq.end()
    }
}

impl Serialize for Edges<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.edge_count()))?;
        for e in self.0.edge_references() {
            seq.serialize_element(&Element(EdgeData(self.0, e.id())))?;
        }
        seq.end()
    }
}

impl Serialize for NodeData<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let node = &self.0[self.1];
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("id", &node.id)?;
        for (f, v) in NODE_FIELDS.iter().zip(node_values(node, self.2)) {
            if let Some(v) = v {
                m.serialize_entry(f.name, &v.json())?;
            }
        }
        m.end()
    }
}

impl Serialize for EdgeData<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (from, to) = self
            .0
            .edge_endpoints(self.1)
            .ok_or_else(|| serde::ser::Error::custom("dangling edge"))?;
        let event = &self.0[self.1];
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("id", &format!("event:{}", self.1.index()))?;
        m.serialize_entry("source", &self.0[from].id)?;
        m.serialize_entry("target", &self.0[to].id)?;
        m.serialize_entry("label", &edge_label(event))?;
        for (f, v) in EDGE_FIELDS.iter().zip(edge_values(event)) {
            if let Some(v) = v {
                m.serialize_entry(f.name, &v.json())?;
            }
        }
        m.end()
    }
}

pub(super) fn write<W: Write>(graph: &ActorGraph, out: &mut W) -> Result<(), ExportError> {
    let places = super::node_places(graph);
    serde_json::to_writer(&mut *out, &Elements((graph.graph(), &places)))?;
    out.write_all(b"\n")?;
    Ok(())
}
