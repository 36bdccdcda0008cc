//! The located events of an actor graph as a GeoJSON FeatureCollection (RFC 7946): one
//! Point feature per event whose location has coordinates (longitude first, WGS 84), with
//! the event's edge attributes (see `fields`), its two actors and its location as
//! properties. Events placed only at a country, or not at all, have no point and are left
//! out; the collection's `geokg:unlocated` member counts them.

use std::io::Write;

use serde_json::{json, Map, Value as Json};

use super::{edge_attributes, ExportError, Value};
use crate::graph::ActorGraph;

fn to_json(v: Value<'_>) -> Json {
    match v {
        Value::Text(s) => json!(s),
        Value::Integer(i) => json!(i),
        Value::Double(x) => json!(x),
        Value::Boolean(b) => json!(b),
    }
}

pub(super) fn write<W: Write>(graph: &ActorGraph, out: &mut W) -> Result<(), ExportError> {
    let g = graph.graph();
    let mut features = Vec::new();
    let mut unlocated = 0usize;
    for e in g.edge_indices() {
        let edge = &g[e];
        let Some(loc) = &edge.location else {
            unlocated += 1;
            continue;
        };
        let (Some(lat), Some(lon)) = (loc.lat, loc.lon) else {
            unlocated += 1;
            continue;
        };
        let mut props = Map::new();
        props.insert("id".into(), json!(super::edge_id(e)));
        if let Some((a, b)) = g.edge_endpoints(e) {
            props.insert("source".into(), json!(g[a].label));
            props.insert("source_id".into(), json!(g[a].id));
            props.insert("target".into(), json!(g[b].label));
            props.insert("target_id".into(), json!(g[b].id));
        }
        for (name, value) in edge_attributes(edge) {
            props.insert(name.into(), to_json(value));
        }
        props.insert("location".into(), json!(loc.label));
        if let Some(id) = loc.geonames_id {
            props.insert("geonames_id".into(), json!(id));
        }
        if let Some(c) = &loc.country {
            props.insert("location_country".into(), json!(c));
        }
        if let Some(a) = &loc.admin1 {
            props.insert("admin1".into(), json!(a));
        }
        props.insert("precision".into(), json!(loc.precision.as_str()));
        props.insert("location_from".into(), json!(loc.from.as_str()));
        features.push(json!({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": props,
        }));
    }
    let collection = json!({
        "type": "FeatureCollection",
        "features": features,
        "geokg:unlocated": unlocated,
    });
    serde_json::to_writer(&mut *out, &collection)?;
    out.write_all(b"\n")?;
    Ok(())
}
