//! Gephi's spreadsheet import: a node table (`Id,Label,...`) and an edge table
//! (`Source,Target,Type,Id,Label,Weight,...`), RFC 4180 quoting, one row per event.

use std::borrow::Cow;
use std::io::Write;

use petgraph::visit::EdgeRef;

use super::fields::{edge_label, edge_values, node_values, EDGE_FIELDS, NODE_FIELDS};
use crate::graph::ActorGraph;

/// A CSV field, quoted when it holds a comma, quote or line break (quotes doubled).
fn field(s: &str) -> Cow<'_, str> {
    if s.contains([',', '"', '\n', '\r']) || s.starts_with(' ') || s.ends_with(' ') {
        Cow::Owned(format!("\"{}\"", s.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(s)
    }
}

fn row<W: Write, S: AsRef<str>>(
    out: &mut W,
    cells: impl IntoIterator<Item = S>,
) -> std::io::Result<()> {
    let mut first = true;
    for c in cells {
        if !first {
            out.write_all(b",")?;
        }
        first = false;
        out.write_all(field(c.as_ref()).as_bytes())?;
    }
    out.write_all(b"\r\n")
}

pub(super) fn write_nodes<W: Write>(graph: &ActorGraph, out: &mut W) -> std::io::Result<()> {
    row(
        out,
        std::iter::once("Id".to_string()).chain(NODE_FIELDS.iter().map(|f| f.column.to_string())),
    )?;
    let pg = graph.graph();
    let places = super::node_places(graph);
    for ix in pg.node_indices() {
        let n = &pg[ix];
        let values = node_values(n, places[ix.index()].as_ref())
            .map(|v| v.map(|v| v.lexical()).unwrap_or_default());
        row(
            out,
            std::iter::once(Cow::Borrowed(n.id.as_str())).chain(values),
        )?;
    }
    Ok(())
}

pub(super) fn write_edges<W: Write>(graph: &ActorGraph, out: &mut W) -> std::io::Result<()> {
    let head = ["Source", "Target", "Type", "Id", "Label", "Weight"];
    row(
        out,
        head.iter()
            .map(|h| h.to_string())
            .chain(EDGE_FIELDS.iter().map(|f| f.column.to_string())),
    )?;
    let pg = graph.graph();
    for e in pg.edge_references() {
        let ev = e.weight();
        let fixed = [
            Cow::Borrowed(pg[e.source()].id.as_str()),
            Cow::Borrowed(pg[e.target()].id.as_str()),
            Cow::Borrowed("Directed"),
            Cow::Owned(super::edge_id(e.id())),
            Cow::Owned(edge_label(ev)),
            Cow::Borrowed("1.0"),
        ];
        let values = edge_values(ev).map(|v| v.map(|v| v.lexical()).unwrap_or_default());
        row(out, fixed.into_iter().chain(values))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn csv_fields_are_quoted_only_when_needed() {
        assert_eq!(field("Kyiv"), "Kyiv");
        assert_eq!(field("Washington, D.C."), "\"Washington, D.C.\"");
        assert_eq!(field(r#"the "deal""#), r#""the ""deal""""#);
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
    }
}
