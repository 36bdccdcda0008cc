//! Statement-level output formats: JSON Lines (one statement per line; the contract event
//! scorers read) and the tab-separated column order of Phoenix/PETRARCH event data.

use crate::model::{DocumentGraph, Statement};
use std::io::{self, Write};

/// One statement per line, as `model::Statement` serialises.
pub fn write_jsonl(graph: &DocumentGraph, out: &mut impl Write) -> io::Result<()> {
    for s in &graph.statements {
        serde_json::to_writer(&mut *out, s).map_err(io::Error::other)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// The columns of `write_tsv`, in order. The first five follow PETRARCH's event output
/// (date as YYYYMMDD, source code, target code, CAMEO code, record id); the location
/// columns follow Phoenix's and GDELT's action geography (name, country, latitude,
/// longitude).
pub const TSV_COLUMNS: [&str; 18] = [
    "date",
    "source_code",
    "target_code",
    "cameo",
    "id",
    "goldstein",
    "quad_class",
    "plover",
    "modality",
    "source",
    "target",
    "relation",
    "reported_by",
    "location",
    "location_country",
    "latitude",
    "longitude",
    "evidence",
];

/// Events only (relations between entities have no CAMEO code), one per line.
pub fn write_tsv(graph: &DocumentGraph, out: &mut impl Write) -> io::Result<()> {
    for s in graph.statements.iter().filter(|s| s.cameo.is_some()) {
        writeln!(out, "{}", tsv_row(s).join("\t"))?;
    }
    Ok(())
}

fn clean(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

fn tsv_row(s: &Statement) -> Vec<String> {
    let loc = s.location.as_ref();
    let code = |n: Option<&crate::model::Node>| {
        n.and_then(|n| n.actor_code.clone())
            .unwrap_or_else(|| "---".to_string())
    };
    vec![
        s.date
            .as_deref()
            .map(|d| d.replace('-', ""))
            .unwrap_or_default(),
        code(Some(&s.subject)),
        code(s.object.as_ref()),
        s.cameo.clone().unwrap_or_default(),
        format!("{}-{}", s.doc, s.id),
        s.goldstein.map(|g| g.to_string()).unwrap_or_default(),
        s.quad_class.map(|q| q.to_string()).unwrap_or_default(),
        s.plover.clone().unwrap_or_default(),
        s.modality.as_str().to_string(),
        clean(&s.subject.label),
        s.object
            .as_ref()
            .map(|o| clean(&o.label))
            .unwrap_or_default(),
        clean(&s.relation),
        s.source
            .as_ref()
            .map(|o| clean(&o.label))
            .unwrap_or_default(),
        loc.map(|l| clean(&l.label)).unwrap_or_default(),
        loc.and_then(|l| l.country.clone()).unwrap_or_default(),
        loc.and_then(|l| l.lat)
            .map(|x| x.to_string())
            .unwrap_or_default(),
        loc.and_then(|l| l.lon)
            .map(|x| x.to_string())
            .unwrap_or_default(),
        clean(&s.evidence),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DocumentMeta, Modality, Node, NodeKind, Span};

    fn node(label: &str, code: &str) -> Node {
        Node {
            id: label.to_lowercase(),
            label: label.into(),
            kind: NodeKind::Country,
            actor_code: Some(code.into()),
            country: Some(code[..3].into()),
            wikidata: None,
            role: None,
            mention: None,
        }
    }

    #[test]
    fn tsv_follows_petrarch_column_order_and_escapes_tabs() {
        let s = Statement {
            id: "s0-0".into(),
            doc: "d1".into(),
            sentence: 0,
            evidence: "Norway\tthanked Chile.".into(),
            span: Span { start: 0, end: 21 },
            trigger_span: None,
            subject: node("Norway", "NOR"),
            object: Some(node("Chile", "CHL")),
            relation: "thank".into(),
            pattern: None,
            cameo: Some("051".into()),
            plover: Some("SUPPORT".into()),
            goldstein: Some(3.4),
            quad_class: Some(1),
            date: Some("2024-05-06".into()),
            modality: Modality::Asserted,
            confidence: 0.9,
            source: None,
            entities: vec![],
            location: Some(crate::model::Location {
                label: "Oslo".into(),
                geonames_id: Some(3143244),
                country: Some("NOR".into()),
                admin1: Some("Oslo".into()),
                lat: Some(59.91273),
                lon: Some(10.74609),
                precision: crate::model::LocationPrecision::City,
                from: crate::model::LocationSource::Sentence,
            }),
        };
        let g = DocumentGraph {
            meta: DocumentMeta {
                id: "d1".into(),
                date: None,
                place: None,
                title: None,
                url: None,
                source: None,
                content_hash: String::new(),
            },
            statements: vec![s],
        };
        let mut out = Vec::new();
        write_tsv(&g, &mut out).expect("write to memory");
        let line = String::from_utf8(out).expect("utf8");
        let cols: Vec<&str> = line.trim_end().split('\t').collect();
        assert_eq!(cols.len(), TSV_COLUMNS.len());
        assert_eq!(&cols[..5], ["20240506", "NOR", "CHL", "051", "d1-s0-0"]);
        assert_eq!(&cols[13..17], ["Oslo", "NOR", "59.91273", "10.74609"]);
        assert_eq!(cols[17], "Norway thanked Chile.");
    }
}
