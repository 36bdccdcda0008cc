//! The node and edge attributes every export carries, with their types, declared once so
//! that GraphML keys, GEXF attribute declarations, CSV columns and Cytoscape data agree.

use std::borrow::Cow;

use super::places::NodePlace;
use crate::graph::{ActorNode, EventEdge};
use crate::model::Modality;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FieldType {
    Text,
    Integer,
    Double,
    Boolean,
}

impl FieldType {
    pub fn graphml(self) -> &'static str {
        match self {
            FieldType::Text => "string",
            FieldType::Integer => "int",
            FieldType::Double => "double",
            FieldType::Boolean => "boolean",
        }
    }

    pub fn gexf(self) -> &'static str {
        match self {
            FieldType::Text => "string",
            FieldType::Integer => "integer",
            FieldType::Double => "double",
            FieldType::Boolean => "boolean",
        }
    }
}

pub(crate) struct Field {
    pub name: &'static str,
    /// Column header in the Gephi CSV tables.
    pub column: &'static str,
    pub kind: FieldType,
}

const fn field(name: &'static str, column: &'static str, kind: FieldType) -> Field {
    Field { name, column, kind }
}

/// An attribute's value, typed as GraphML and GEXF declare it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'a> {
    Text(&'a str),
    Integer(i64),
    Double(f64),
    Boolean(bool),
}

impl<'a> Value<'a> {
    /// The lexical form every format shares (XML Schema style for numbers and booleans).
    pub fn lexical(&self) -> Cow<'a, str> {
        match self {
            Value::Text(s) => Cow::Borrowed(s),
            Value::Integer(i) => Cow::Owned(i.to_string()),
            Value::Double(d) => Cow::Owned(format_double(*d)),
            Value::Boolean(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
        }
    }

    /// The lexical form escaped for XML text (or, with `attribute`, a double-quoted
    /// attribute, where line breaks and tabs become character references so parsers do not
    /// normalise them to spaces), written straight to `out`: exports write a dozen values
    /// per event, a million events deep.
    pub fn write_xml<W: std::io::Write>(
        &self,
        out: &mut W,
        attribute: bool,
    ) -> std::io::Result<()> {
        match self {
            Value::Text(s) => {
                let escaped = quick_xml::escape::escape(xml_text(s));
                if attribute && escaped.contains(['\n', '\r', '\t']) {
                    let kept = escaped
                        .replace('\n', "&#10;")
                        .replace('\r', "&#13;")
                        .replace('\t', "&#9;");
                    out.write_all(kept.as_bytes())
                } else {
                    out.write_all(escaped.as_bytes())
                }
            }
            Value::Integer(i) => write!(out, "{i}"),
            Value::Double(d) => out.write_all(format_double(*d).as_bytes()),
            Value::Boolean(b) => out.write_all(if *b { b"true" } else { b"false" }),
        }
    }

    pub fn json(&self) -> serde_json::Value {
        match self {
            Value::Text(s) => serde_json::Value::from(*s),
            Value::Integer(i) => serde_json::Value::from(*i),
            Value::Double(d) => serde_json::Number::from_f64(*d)
                .map_or(serde_json::Value::Null, serde_json::Value::Number),
            Value::Boolean(b) => serde_json::Value::from(*b),
        }
    }
}

/// Doubles always with a decimal point ("3.0", not "3"), so readers that guess types keep
/// them floats; non-finite values (never produced by the extractor) print as XML Schema does.
pub(crate) fn format_double(d: f64) -> String {
    if d.is_nan() {
        "NaN".into()
    } else if d.is_infinite() {
        if d > 0.0 {
            "INF".into()
        } else {
            "-INF".into()
        }
    } else if d.fract() == 0.0 && d.abs() < 1e15 {
        format!("{d:.1}")
    } else {
        format!("{d}")
    }
}

/// Node attributes after the id; the label comes first because some formats treat it apart.
/// `latitude`/`longitude` (degrees, WGS 84) and `place` are where the node stands on a map,
/// `place_from` how that was decided (see `export::places`); all four are left out for
/// nodes with no known place.
pub(crate) const NODE_FIELDS: [Field; 12] = [
    field("label", "Label", FieldType::Text),
    field("type", "Type", FieldType::Text),
    field("country", "Country", FieldType::Text),
    field("actor_code", "ActorCode", FieldType::Text),
    field("wikidata", "Wikidata", FieldType::Text),
    field("first_seen", "FirstSeen", FieldType::Text),
    field("last_seen", "LastSeen", FieldType::Text),
    field("mentions", "Mentions", FieldType::Integer),
    field("latitude", "Latitude", FieldType::Double),
    field("longitude", "Longitude", FieldType::Double),
    field("place", "Place", FieldType::Text),
    field("place_from", "PlaceFrom", FieldType::Text),
];

fn text(s: &Option<String>) -> Option<Value<'_>> {
    s.as_deref().map(Value::Text)
}

pub(crate) fn node_values<'a>(
    n: &'a ActorNode,
    place: Option<&'a NodePlace>,
) -> [Option<Value<'a>>; 12] {
    [
        Some(Value::Text(&n.label)),
        Some(Value::Text(n.kind.as_str())),
        text(&n.country),
        text(&n.actor_code),
        text(&n.wikidata),
        text(&n.first_seen),
        text(&n.last_seen),
        Some(Value::Integer(n.mentions as i64)),
        place.map(|p| Value::Double(p.point.lat)),
        place.map(|p| Value::Double(p.point.lon)),
        place.map(|p| Value::Text(&p.label)),
        place.map(|p| Value::Text(p.from.as_str())),
    ]
}

pub(crate) const EDGE_FIELDS: [Field; 13] = [
    field("statement", "Statement", FieldType::Text),
    field("doc", "Doc", FieldType::Text),
    field("relation", "Relation", FieldType::Text),
    field("cameo", "Cameo", FieldType::Text),
    field("cameo_root", "CameoRoot", FieldType::Text),
    field("plover", "Plover", FieldType::Text),
    field("goldstein", "Goldstein", FieldType::Double),
    field("quad_class", "QuadClass", FieldType::Integer),
    field("date", "Date", FieldType::Text),
    field("modality", "Modality", FieldType::Text),
    field("asserted", "Asserted", FieldType::Boolean),
    field("confidence", "Confidence", FieldType::Double),
    field("evidence", "Evidence", FieldType::Text),
];

pub(crate) fn edge_values(e: &EventEdge) -> [Option<Value<'_>>; 13] {
    [
        Some(Value::Text(&e.statement)),
        Some(Value::Text(&e.doc)),
        Some(Value::Text(&e.relation)),
        text(&e.cameo),
        e.cameo_root().map(Value::Text),
        text(&e.plover),
        e.goldstein.map(Value::Double),
        e.quad_class.map(|q| Value::Integer(i64::from(q))),
        text(&e.date),
        Some(Value::Text(e.modality.as_str())),
        Some(Value::Boolean(e.modality == Modality::Asserted)),
        Some(Value::Double(e.confidence)),
        Some(Value::Text(&e.evidence)),
    ]
}

/// The short edge label viewers show: the CAMEO code and relation ("042 meet").
pub(crate) fn edge_label(e: &EventEdge) -> String {
    match &e.cameo {
        Some(c) => format!("{c} {}", e.relation),
        None => e.relation.clone(),
    }
}

/// Hex colour per QuadClass: cooperation in greens/blues, conflict in oranges/reds.
pub(crate) fn quad_class_colour(quad_class: Option<u8>) -> (&'static str, [u8; 3]) {
    match quad_class {
        Some(1) => ("#1a9850", [0x1a, 0x98, 0x50]),
        Some(2) => ("#2166ac", [0x21, 0x66, 0xac]),
        Some(3) => ("#f46d43", [0xf4, 0x6d, 0x43]),
        Some(4) => ("#b2182b", [0xb2, 0x18, 0x2b]),
        _ => ("#808080", [0x80, 0x80, 0x80]),
    }
}

/// Node colour by kind (light fills, so black labels stay readable), for the formats that draw.
pub(crate) fn kind_colour(n: &ActorNode) -> [u8; 3] {
    use crate::model::NodeKind::*;
    match n.kind {
        Person => [0xa0, 0xcb, 0xe8],
        Country => [0xff, 0xbe, 0x7d],
        Organisation => [0x8c, 0xd1, 0x7d],
        Group => [0xff, 0x9d, 0x9a],
        _ => [0xd7, 0xd2, 0xcf],
    }
}

/// Text safe in XML 1.0: control characters other than tab, newline and carriage return
/// are not allowed even escaped, so they become spaces.
pub(crate) fn xml_text(s: &str) -> Cow<'_, str> {
    let bad = |c: char| {
        (c < ' ' && c != '\t' && c != '\n' && c != '\r') || c == '\u{FFFE}' || c == '\u{FFFF}'
    };
    if s.chars().any(bad) {
        Cow::Owned(s.chars().map(|c| if bad(c) { ' ' } else { c }).collect())
    } else {
        Cow::Borrowed(s)
    }
}
