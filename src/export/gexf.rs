//! GEXF 1.3 in dynamic mode with `timeformat="date"`: each event edge lives on the days its
//! date covers (a whole year for "2014"), each node from its first to its last appearance,
//! so Gephi's timeline can replay the conflict. Undated edges and nodes are always present.

use std::io::Write;

use petgraph::visit::EdgeRef;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

use super::fields::{
    edge_label, edge_values, kind_colour, node_values, quad_class_colour, xml_text, Field, Value,
    EDGE_FIELDS, NODE_FIELDS,
};
use super::ExportOptions;
use crate::graph::{ActorGraph, DateInterval};

const NS: &str = "http://gexf.net/1.3";
const NS_VIZ: &str = "http://gexf.net/1.3/viz";

/// Node attributes declared in `<attributes>`: the label is the node's own attribute.
fn declared(fields: &[Field], skip_label: bool) -> impl Iterator<Item = (usize, &Field)> {
    fields
        .iter()
        .enumerate()
        .filter(move |(_, f)| !(skip_label && f.name == "label"))
}

fn attributes<W: Write>(xml: &mut Writer<W>, class: &str, fields: &[Field]) -> std::io::Result<()> {
    let mut el = BytesStart::new("attributes");
    el.push_attribute(("class", class));
    el.push_attribute(("mode", "static"));
    xml.write_event(Event::Start(el))?;
    for (_, f) in declared(fields, class == "node") {
        let mut a = BytesStart::new("attribute");
        a.push_attribute(("id", f.name));
        a.push_attribute(("title", f.name));
        a.push_attribute(("type", f.kind.gexf()));
        xml.write_event(Event::Empty(a))?;
    }
    xml.write_event(Event::End(BytesEnd::new("attributes")))
}

/// `<attvalues>` with one `<attvalue>` per present value. The values are written directly
/// (quick-xml escaping, fixed indentation) rather than as one event each: at a million
/// events that halves the export time.
fn attvalues<'a, W: Write>(
    xml: &mut Writer<W>,
    values: impl Iterator<Item = (&'static str, Value<'a>)>,
) -> std::io::Result<()> {
    xml.write_event(Event::Start(BytesStart::new("attvalues")))?;
    let out = xml.get_mut();
    for (name, value) in values {
        out.write_all(b"\n     <attvalue for=\"")?;
        out.write_all(name.as_bytes())?;
        out.write_all(b"\" value=\"")?;
        value.write_xml(out, true)?;
        out.write_all(b"\"/>")?;
    }
    xml.write_event(Event::End(BytesEnd::new("attvalues")))
}

fn colour<W: Write>(xml: &mut Writer<W>, rgb: [u8; 3]) -> std::io::Result<()> {
    let mut c = BytesStart::new("viz:color");
    c.push_attribute(("r", rgb[0].to_string().as_str()));
    c.push_attribute(("g", rgb[1].to_string().as_str()));
    c.push_attribute(("b", rgb[2].to_string().as_str()));
    xml.write_event(Event::Empty(c))
}

pub(super) fn write<W: Write>(
    graph: &ActorGraph,
    options: &ExportOptions,
    out: W,
) -> std::io::Result<()> {
    let mut xml = Writer::new_with_indent(out, b' ', 1);
    xml.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let mut root = BytesStart::new("gexf");
    root.push_attribute(("xmlns", NS));
    if options.gexf_viz_colours {
        root.push_attribute(("xmlns:viz", NS_VIZ));
    }
    root.push_attribute(("version", "1.3"));
    xml.write_event(Event::Start(root))?;
    xml.write_event(Event::Start(BytesStart::new("meta")))?;
    xml.write_event(Event::Start(BytesStart::new("creator")))?;
    xml.write_event(Event::Text(BytesText::new(concat!(
        "geokg ",
        env!("CARGO_PKG_VERSION")
    ))))?;
    xml.write_event(Event::End(BytesEnd::new("creator")))?;
    xml.write_event(Event::Start(BytesStart::new("description")))?;
    xml.write_event(Event::Text(BytesText::new(
        "Actors and the coded events between them",
    )))?;
    xml.write_event(Event::End(BytesEnd::new("description")))?;
    xml.write_event(Event::End(BytesEnd::new("meta")))?;

    let mut g = BytesStart::new("graph");
    g.push_attribute(("mode", "dynamic"));
    g.push_attribute(("defaultedgetype", "directed"));
    g.push_attribute(("timeformat", "date"));
    xml.write_event(Event::Start(g))?;
    attributes(&mut xml, "node", &NODE_FIELDS)?;
    attributes(&mut xml, "edge", &EDGE_FIELDS)?;

    let pg = graph.graph();
    let places = super::node_places(graph);
    let mut nodes = BytesStart::new("nodes");
    nodes.push_attribute(("count", pg.node_count().to_string().as_str()));
    xml.write_event(Event::Start(nodes))?;
    for ix in pg.node_indices() {
        let node = &pg[ix];
        let mut el = BytesStart::new("node");
        el.push_attribute(("id", xml_text(&node.id).as_ref()));
        el.push_attribute(("label", xml_text(&node.label).as_ref()));
        let first = node.first_seen.as_deref().and_then(DateInterval::parse);
        let last = node.last_seen.as_deref().and_then(DateInterval::parse);
        if let (Some(first), Some(last)) = (first, last) {
            el.push_attribute(("start", first.start.as_str()));
            el.push_attribute(("end", last.end.as_str()));
        }
        xml.write_event(Event::Start(el))?;
        let mut values = node_values(node, places[ix.index()].as_ref());
        attvalues(
            &mut xml,
            declared(&NODE_FIELDS, true).filter_map(|(i, f)| values[i].take().map(|v| (f.name, v))),
        )?;
        if options.gexf_viz_colours {
            colour(&mut xml, kind_colour(node))?;
        }
        xml.write_event(Event::End(BytesEnd::new("node")))?;
    }
    xml.write_event(Event::End(BytesEnd::new("nodes")))?;

    let mut edges = BytesStart::new("edges");
    edges.push_attribute(("count", pg.edge_count().to_string().as_str()));
    xml.write_event(Event::Start(edges))?;
    for e in pg.edge_references() {
        let event = e.weight();
        let mut el = BytesStart::new("edge");
        el.push_attribute(("id", super::edge_id(e.id()).as_str()));
        el.push_attribute(("source", xml_text(&pg[e.source()].id).as_ref()));
        el.push_attribute(("target", xml_text(&pg[e.target()].id).as_ref()));
        el.push_attribute(("label", xml_text(&edge_label(event)).as_ref()));
        el.push_attribute(("weight", "1.0"));
        if let Some(span) = event.date.as_deref().and_then(DateInterval::parse) {
            el.push_attribute(("start", span.start.as_str()));
            el.push_attribute(("end", span.end.as_str()));
        }
        xml.write_event(Event::Start(el))?;
        attvalues(
            &mut xml,
            EDGE_FIELDS
                .iter()
                .zip(edge_values(event))
                .filter_map(|(f, v)| v.map(|v| (f.name, v))),
        )?;
        if options.gexf_viz_colours {
            colour(&mut xml, quad_class_colour(event.quad_class).1)?;
        }
        xml.write_event(Event::End(BytesEnd::new("edge")))?;
    }
    xml.write_event(Event::End(BytesEnd::new("edges")))?;
    xml.write_event(Event::End(BytesEnd::new("graph")))?;
    xml.write_event(Event::End(BytesEnd::new("gexf")))?;
    xml.get_mut().write_all(b"\n")
}
