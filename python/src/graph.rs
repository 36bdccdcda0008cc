//! `geokg.ActorGraph`: statements projected onto the library's actor graph, with the
//! analyses of `geokg path`, `neighbors`, `timeline` and `rank`.

use std::path::PathBuf;

use geokg::commands;
use geokg::graph::{ActorGraph, Collapse, GeoPoint, Near, ProjectionOptions};
use geokg::model::Statement;
use petgraph::visit::EdgeRef;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString, PyTuple};

use crate::errors::{detached, type_error, Failure};
use crate::statement::PyStatement;
use crate::store::PyStore;
use crate::values::{attributes, from_json};

/// The actor graph of a store's statements, of a list of statements, or of a JSON Lines file
/// of statements (``geokg … --statements``), filtered as the command line's graph commands
/// filter: ``from_``/``to`` (dates YYYY, YYYY-MM or YYYY-MM-DD), ``roots`` (CAMEO roots such as
/// ``["04", "05"]``), ``quad_class`` (``[3, 4]``), ``countries`` (actors' countries, ISO3),
/// ``country`` (where events happened: ISO3 codes or country names), ``near`` with ``km``
/// (events whose location point lies within ``km`` of ``near``, ``(lat, lon)`` or
/// ``"lat,lon"``; events placed only at a country have no point and never match),
/// ``min_events``, ``collapse`` (people into their countries), ``entities`` (agreements and
/// other entities as nodes). Nodes are actors, edges events (parallel edges kept), with the attributes of the
/// GraphML export. ``geokg.graph()`` turns it into a networkx graph.
///
/// >>> g = geokg.ActorGraph(store, roots=["04"])
/// >>> g.node_count, g.edge_count
/// (11, 7)
#[pyclass(frozen, module = "geokg", name = "ActorGraph")]
pub struct PyActorGraph {
    graph: ActorGraph,
}

fn statements_of(py: Python<'_>, source: &Bound<'_, PyAny>) -> PyResult<Vec<Statement>> {
    if let Ok(store) = source.cast::<PyStore>() {
        let store = store.get().open()?;
        return detached(py, move || Ok(store.statements(None)?));
    }
    if source.cast::<PyString>().is_ok() || source.hasattr("__fspath__")? {
        let path: PathBuf = source.extract()?;
        return detached(py, move || Ok(commands::read_statements(&path)?));
    }
    let mut out = Vec::new();
    for item in source
        .try_iter()
        .map_err(|_| type_error("a Store, statements or a JSON Lines path", source))?
    {
        let item = item?;
        match item.cast::<PyStatement>() {
            Ok(s) => out.push(s.get().0.clone()),
            Err(_) => return Err(type_error("geokg.Statement items", &item)),
        }
    }
    Ok(out)
}

/// A point as ``(lat, lon)`` or ``"lat,lon"``, checked as `--near` checks it.
fn geo_point(value: &Bound<'_, PyAny>) -> PyResult<GeoPoint> {
    let point = match value.extract::<String>() {
        Ok(text) => text.parse::<GeoPoint>(),
        Err(_) => {
            let (lat, lon): (f64, f64) = value
                .extract()
                .map_err(|_| type_error("near as (lat, lon) or \"lat,lon\"", value))?;
            GeoPoint::new(lat, lon)
        }
    };
    point.map_err(|e| PyValueError::new_err(e.to_string()))
}

#[pymethods]
impl PyActorGraph {
    #[new]
    #[pyo3(signature = (
        source, *, from_=None, to=None, roots=Vec::new(), quad_class=Vec::new(),
        countries=Vec::new(), country=Vec::new(), near=None, km=None, min_events=0,
        collapse=false, entities=false
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        source: &Bound<'_, PyAny>,
        from_: Option<String>,
        to: Option<String>,
        roots: Vec<String>,
        quad_class: Vec<u8>,
        countries: Vec<String>,
        country: Vec<String>,
        near: Option<&Bound<'_, PyAny>>,
        km: Option<f64>,
        min_events: usize,
        collapse: bool,
        entities: bool,
    ) -> PyResult<Self> {
        let near = match (near.map(geo_point).transpose()?, km) {
            (None, None) => None,
            (Some(centre), Some(km)) => {
                Some(Near::new(centre, km).map_err(|e| PyValueError::new_err(e.to_string()))?)
            }
            _ => return Err(PyValueError::new_err("near and km go together")),
        };
        let statements = statements_of(py, source)?;
        let located_in = country
            .iter()
            .map(|c| commands::country_code(c))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| Failure::from(e).into_pyerr(py))?;
        let options = ProjectionOptions {
            located_in,
            near,
            from: from_,
            to,
            cameo_roots: roots,
            quad_classes: quad_class,
            countries,
            min_events,
            include_entities: entities,
            collapse: if collapse {
                Collapse::PeopleIntoCountry
            } else {
                Collapse::None
            },
            ..Default::default()
        };
        let graph = detached(py, move || Ok(ActorGraph::project(&statements, &options)?))?;
        Ok(PyActorGraph { graph })
    }

    #[getter]
    fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    #[getter]
    fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// ``(id, attributes)`` per node, attributes named and typed as in the GraphML export.
    fn nodes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let g = self.graph.graph();
        let places = geokg::export::node_places(&self.graph);
        let out = PyList::empty(py);
        for ix in g.node_indices() {
            let node = &g[ix];
            let place = places[ix.index()].as_ref();
            let attrs = attributes(py, &geokg::export::node_attributes(node, place))?;
            out.append(PyTuple::new(
                py,
                [PyString::new(py, &node.id).into_any(), attrs.into_any()],
            )?)?;
        }
        Ok(out)
    }

    /// ``(source id, target id, edge id, attributes)`` per event edge, as in the GraphML
    /// export (edge ids ``e0``, ``e1``...).
    fn edges<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let g = self.graph.graph();
        let out = PyList::empty(py);
        for e in g.edge_references() {
            let attrs = attributes(py, &geokg::export::edge_attributes(e.weight()))?;
            out.append(PyTuple::new(
                py,
                [
                    PyString::new(py, &g[e.source()].id).into_any(),
                    PyString::new(py, &g[e.target()].id).into_any(),
                    PyString::new(py, &geokg::export::edge_id(e.id())).into_any(),
                    attrs.into_any(),
                ],
            )?)?;
        }
        Ok(out)
    }

    /// ``geokg path FROM TO --json``: the ``k`` shortest paths of at most ``max_hops``
    /// between two actors (named by id, label, surname, CAMEO code, QID or a gazetteer
    /// alias), each hop with its events and evidence. An unknown or ambiguous name raises
    /// ``geokg.ActorNotFound``.
    #[pyo3(signature = (from_actor, to_actor, k=3, max_hops=6))]
    fn path<'py>(
        &self,
        py: Python<'py>,
        from_actor: String,
        to_actor: String,
        k: usize,
        max_hops: usize,
    ) -> PyResult<Bound<'py, PyAny>> {
        let g = &self.graph;
        let paths = detached(py, || {
            Ok(commands::path(g, &from_actor, &to_actor, k, max_hops)?)
        })?;
        from_json(py, &paths)
    }

    /// ``geokg neighbors ACTOR --json``: the actor's ties within ``hops``.
    #[pyo3(signature = (actor, hops=1))]
    fn neighbors<'py>(
        &self,
        py: Python<'py>,
        actor: String,
        hops: usize,
    ) -> PyResult<Bound<'py, PyAny>> {
        let g = &self.graph;
        let n = detached(py, || Ok(commands::neighbors(g, &actor, hops)?))?;
        from_json(py, &n)
    }

    /// ``geokg timeline ACTOR [OTHER] --json``: events in date order.
    #[pyo3(signature = (actor, other=None, strict=false))]
    fn timeline<'py>(
        &self,
        py: Python<'py>,
        actor: String,
        other: Option<String>,
        strict: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let g = &self.graph;
        let t = detached(py, || {
            Ok(commands::timeline(g, &actor, other.as_deref(), strict)?)
        })?;
        from_json(py, &t)
    }

    /// ``geokg rank --by BY --top TOP --json``: degree, pagerank or betweenness.
    #[pyo3(signature = (by="degree", top=20))]
    fn rank<'py>(&self, py: Python<'py>, by: &str, top: usize) -> PyResult<Bound<'py, PyAny>> {
        let g = &self.graph;
        let by = by.to_string();
        let r = detached(py, || Ok(commands::rank(g, &by, top)?))?;
        from_json(py, &r)
    }

    fn __repr__(&self) -> String {
        format!(
            "<geokg.ActorGraph: {} nodes, {} edges>",
            self.graph.node_count(),
            self.graph.edge_count()
        )
    }
}
