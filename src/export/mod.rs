//! The actor graph in the formats network tools read: GraphML (networkx, yEd, igraph),
//! GEXF 1.3 (Gephi, with event dates for its timeline), DOT (Graphviz), Cytoscape.js JSON
//! and Gephi's spreadsheet CSV tables; and its located events as GeoJSON for map tools. Export a filtered projection or a neighbourhood by
//! building that `ActorGraph` first (`ActorGraph::project`, `ActorGraph::subgraph`).
//!
//! All formats carry the same attributes (see `fields`): nodes have id, label, type,
//! country, actor_code, wikidata, first_seen, last_seen, mentions, and where the node has a
//! place (see `places`) latitude, longitude, place and place_from; edges (one per event,
//! parallel edges kept) have statement, doc, relation, cameo, cameo_root, plover,
//! goldstein, quad_class, date, modality, asserted, confidence, evidence.
//!
//! `rdf` writes the RDF itself (JSON-LD, Turtle, TriG, N-Quads) of the statements a
//! projection shows.

mod csv;
mod cytoscape;
mod dot;
mod fields;
mod geojson;
mod gexf;
mod graphml;
mod places;
pub mod rdf;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::graph::{ActorGraph, ActorNode, EventEdge};

pub use fields::Value;
pub use places::{node_places, NodePlace, PlaceFrom};

/// A node's attributes as every format writes them (GraphML keys, GEXF attributes, CSV
/// columns), in that order; attributes without a value are left out, as the formats do.
/// `place` is the node's entry in [`node_places`] of its graph.
pub fn node_attributes<'a>(
    node: &'a ActorNode,
    place: Option<&'a NodePlace>,
) -> Vec<(&'static str, Value<'a>)> {
    fields::NODE_FIELDS
        .iter()
        .zip(fields::node_values(node, place))
        .filter_map(|(f, v)| v.map(|v| (f.name, v)))
        .collect()
}

/// An edge's attributes as every format writes them; see [`node_attributes`].
pub fn edge_attributes(edge: &EventEdge) -> Vec<(&'static str, Value<'_>)> {
    fields::EDGE_FIELDS
        .iter()
        .zip(fields::edge_values(edge))
        .filter_map(|(f, v)| v.map(|v| (f.name, v)))
        .collect()
}

/// The id every format gives an edge ("e12"): one per event, parallel edges kept apart.
pub fn edge_id(e: petgraph::graph::EdgeIndex) -> String {
    format!("e{}", e.index())
}

/// A file format `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    GraphMl,
    Gexf,
    Dot,
    /// Cytoscape.js elements JSON: `{"elements": {"nodes": [...], "edges": [...]}}`.
    CytoscapeJson,
    /// Gephi's node table: `Id,Label,Type,...`.
    CsvNodes,
    /// Gephi's edge table: `Source,Target,Type,Id,Label,Weight,...`.
    CsvEdges,
    /// The located events as GeoJSON points (RFC 7946), for QGIS, kepler.gl, Leaflet and
    /// geopandas.
    GeoJson,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 7] = [
        ExportFormat::GraphMl,
        ExportFormat::Gexf,
        ExportFormat::Dot,
        ExportFormat::CytoscapeJson,
        ExportFormat::CsvNodes,
        ExportFormat::CsvEdges,
        ExportFormat::GeoJson,
    ];

    /// By the names the CLI accepts: graphml, gexf, dot, cytoscape (or cyjs), nodes-csv,
    /// edges-csv.
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name.to_ascii_lowercase().as_str() {
            "graphml" => ExportFormat::GraphMl,
            "gexf" => ExportFormat::Gexf,
            "dot" | "graphviz" => ExportFormat::Dot,
            "cytoscape" | "cyjs" | "cytoscape-json" => ExportFormat::CytoscapeJson,
            "nodes-csv" | "csv-nodes" | "nodes.csv" => ExportFormat::CsvNodes,
            "edges-csv" | "csv-edges" | "edges.csv" => ExportFormat::CsvEdges,
            "geojson" => ExportFormat::GeoJson,
            _ => return None,
        })
    }

    /// The file name `export_dir` gives this format (what `.ci/validate-exports.sh` expects).
    pub fn file_name(self) -> &'static str {
        match self {
            ExportFormat::GraphMl => "graph.graphml",
            ExportFormat::Gexf => "graph.gexf",
            ExportFormat::Dot => "graph.dot",
            ExportFormat::CytoscapeJson => "graph.cyjs.json",
            ExportFormat::CsvNodes => "nodes.csv",
            ExportFormat::CsvEdges => "edges.csv",
            ExportFormat::GeoJson => "events.geojson",
        }
    }
}

/// Choices that change what a format writes.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// Write `<viz:color>` on GEXF nodes and edges (kind and QuadClass colours) for Gephi.
    /// Off by default: the GEXF 1.3 schema we validate against does not admit elements of
    /// the viz namespace inside nodes, so the file is then no longer schema-valid.
    pub gexf_viz_colours: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("writing {}: {source}", path.as_ref().map_or("export".into(), |p| p.display().to_string()))]
    Io {
        path: Option<PathBuf>,
        #[source]
        source: std::io::Error,
    },
    #[error("writing JSON: {0}")]
    Json(#[from] serde_json::Error),
}

impl From<std::io::Error> for ExportError {
    fn from(source: std::io::Error) -> Self {
        ExportError::Io { path: None, source }
    }
}

/// Writes the whole of `graph` in `format` to `out` (buffered here; pass the raw writer).
pub fn export<W: Write>(
    graph: &ActorGraph,
    format: ExportFormat,
    out: W,
) -> Result<(), ExportError> {
    export_with(graph, format, &ExportOptions::default(), out)
}

pub fn export_with<W: Write>(
    graph: &ActorGraph,
    format: ExportFormat,
    options: &ExportOptions,
    out: W,
) -> Result<(), ExportError> {
    let mut out = BufWriter::with_capacity(1 << 16, out);
    match format {
        ExportFormat::GraphMl => graphml::write(graph, &mut out)?,
        ExportFormat::Gexf => gexf::write(graph, options, &mut out)?,
        ExportFormat::Dot => dot::write(graph, &mut out)?,
        ExportFormat::CytoscapeJson => cytoscape::write(graph, &mut out)?,
        ExportFormat::CsvNodes => csv::write_nodes(graph, &mut out)?,
        ExportFormat::CsvEdges => csv::write_edges(graph, &mut out)?,
        ExportFormat::GeoJson => geojson::write(graph, &mut out)?,
    }
    out.flush()?;
    Ok(())
}

/// Writes every format into `dir` (created if missing) under `ExportFormat::file_name`.
pub fn export_dir(graph: &ActorGraph, dir: &Path) -> Result<Vec<PathBuf>, ExportError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ExportError::Io {
            path: Some(path),
            source,
        }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let mut written = Vec::new();
    for format in ExportFormat::ALL {
        let path = dir.join(format.file_name());
        let file = File::create(&path).map_err(io(&path))?;
        export(graph, format, file).map_err(|e| match e {
            ExportError::Io { path: None, source } => ExportError::Io {
                path: Some(path.clone()),
                source,
            },
            other => other,
        })?;
        written.push(path);
    }
    Ok(written)
}
