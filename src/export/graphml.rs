//! GraphML with typed keys (`attr.type` string/int/double/boolean), one `<edge>` per event.

use std::io::Write;

use petgraph::visit::EdgeRef;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, Event};
use quick_xml::Writer;

use super::fields::{edge_values, node_values, xml_text, Field, Value, EDGE_FIELDS, NODE_FIELDS};
use crate::graph::ActorGraph;

const NS: &str = "http://graphml.graphdrawing.org/xmlns";

fn keys<W: Write>(
    xml: &mut Writer<W>,
    prefix: &str,
    target: &str,
    fields: &[Field],
) -> std::io::Result<()> {
    for f in fields {
        let mut key = BytesStart::new("key");
        key.push_attribute(("id", format!("{prefix}_{}", f.name).as_str()));
        key.push_attribute(("for", target));
        key.push_attribute(("attr.name", f.name));
        key.push_attribute(("attr.type", f.kind.graphml()));
        xml.write_event(Event::Empty(key))?;
    }
    Ok(())
}

/// One `<data>` element, written directly (quick-xml escaping, fixed indentation under
/// `<node>`/`<edge>`) rather than as three events: exports write a dozen per event.
fn data<W: Write>(
    xml: &mut Writer<W>,
    prefix: &str,
    name: &str,
    value: &Value<'_>,
) -> std::io::Result<()> {
    let out = xml.get_mut();
    out.write_all(b"\n   <data key=\"")?;
    out.write_all(prefix.as_bytes())?;
    out.write_all(b"_")?;
    out.write_all(name.as_bytes())?;
    out.write_all(b"\">")?;
    value.write_xml(out, false)?;
    out.write_all(b"</data>")
}

pub(super) fn write<W: Write>(graph: &ActorGraph, out: W) -> std::io::Result<()> {
    let mut xml = Writer::new_with_indent(out, b' ', 1);
    xml.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let mut root = BytesStart::new("graphml");
    root.push_attribute(("xmlns", NS));
    xml.write_event(Event::Start(root))?;
    keys(&mut xml, "n", "node", &NODE_FIELDS)?;
    keys(&mut xml, "e", "edge", &EDGE_FIELDS)?;
    let mut g = BytesStart::new("graph");
    g.push_attribute(("id", "geokg"));
    g.push_attribute(("edgedefault", "directed"));
    xml.write_event(Event::Start(g))?;
    let pg = graph.graph();
    let places = super::node_places(graph);
    for ix in pg.node_indices() {
        let node = &pg[ix];
        let mut el = BytesStart::new("node");
        el.push_attribute(("id", xml_text(&node.id).as_ref()));
        xml.write_event(Event::Start(el))?;
        for (f, v) in NODE_FIELDS
            .iter()
            .zip(node_values(node, places[ix.index()].as_ref()))
        {
            if let Some(v) = v {
                data(&mut xml, "n", f.name, &v)?;
            }
        }
        xml.write_event(Event::End(BytesEnd::new("node")))?;
    }
    for e in pg.edge_references() {
        let mut el = BytesStart::new("edge");
        el.push_attribute(("id", super::edge_id(e.id()).as_str()));
        el.push_attribute(("source", xml_text(&pg[e.source()].id).as_ref()));
        el.push_attribute(("target", xml_text(&pg[e.target()].id).as_ref()));
        xml.write_event(Event::Start(el))?;
        for (f, v) in EDGE_FIELDS.iter().zip(edge_values(e.weight())) {
            if let Some(v) = v {
                data(&mut xml, "e", f.name, &v)?;
            }
        }
        xml.write_event(Event::End(BytesEnd::new("edge")))?;
    }
    xml.write_event(Event::End(BytesEnd::new("graph")))?;
    xml.write_event(Event::End(BytesEnd::new("graphml")))?;
    xml.get_mut().write_all(b"\n")
}
