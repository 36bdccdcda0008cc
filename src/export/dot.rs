//! Graphviz DOT: actors as boxes (people) and ellipses, events as edges labelled with their
//! CAMEO code and date and coloured by QuadClass.

use std::io::Write;

use petgraph::visit::EdgeRef;

use super::fields::{edge_label, kind_colour, quad_class_colour};
use crate::graph::ActorGraph;
use crate::model::NodeKind;

/// A DOT double-quoted string: quotes and backslashes escaped, line breaks as `\n`
/// (Graphviz's own line break inside labels), other control characters dropped.
pub(super) fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub(super) fn write<W: Write>(graph: &ActorGraph, out: &mut W) -> std::io::Result<()> {
    let pg = graph.graph();
    writeln!(out, "digraph geokg {{")?;
    writeln!(out, "  graph [overlap=false, splines=true];")?;
    writeln!(
        out,
        "  node [style=filled, fontname=\"Helvetica\", fontsize=10];"
    )?;
    writeln!(out, "  edge [fontname=\"Helvetica\", fontsize=8];")?;
    for ix in pg.node_indices() {
        let n = &pg[ix];
        let [r, g, b] = kind_colour(n);
        let shape = match n.kind {
            NodeKind::Person => "box",
            NodeKind::Country => "ellipse",
            NodeKind::Organisation | NodeKind::Group => "hexagon",
            _ => "note",
        };
        writeln!(
            out,
            "  {} [label={}, shape={shape}, fillcolor=\"#{r:02x}{g:02x}{b:02x}\", tooltip={}];",
            quoted(&n.id),
            quoted(&n.label),
            quoted(n.kind.as_str())
        )?;
    }
    for e in pg.edge_references() {
        let ev = e.weight();
        let label = match &ev.date {
            Some(d) => format!("{}\n{d}", edge_label(ev)),
            None => edge_label(ev),
        };
        let (colour, _) = quad_class_colour(ev.quad_class);
        writeln!(
            out,
            "  {} -> {} [label={}, color={}, fontcolor={}, tooltip={}];",
            quoted(&pg[e.source()].id),
            quoted(&pg[e.target()].id),
            quoted(&label),
            quoted(colour),
            quoted(colour),
            quoted(&ev.evidence)
        )?;
    }
    writeln!(out, "}}")
}

#[cfg(test)]
mod tests {
    use super::quoted;

    #[test]
    fn dot_strings_escape_quotes_backslashes_and_newlines() {
        assert_eq!(quoted(r#"say "hi" \ now"#), r#""say \"hi\" \\ now""#);
        assert_eq!(quoted("a\nb"), r#""a\nb""#);
        assert_eq!(quoted("Zürich <&>"), "\"Zürich <&>\"");
    }
}
