//! The explorer's JSON API (`/api/...`): the answers of `geokg neighbors`, `path` and
//! `timeline`, computed by the same `graph` functions on a projection of the whole store.
//!
//! The projection is built once at start-up on a background thread (the SPARQL endpoint
//! answers meanwhile; the API says 503 "being built") and again after the store changes
//! through this server, while the previous one keeps answering. A rebuild first compares
//! the documents' fingerprint, so a write that touched no document costs one index scan.
//! Date, CAMEO-root and location filters re-project the kept statements (`ActorGraph::project` with
//! `ProjectionOptions`); the last few filtered graphs are cached.
//!
//! The map view asks `/api/places` for the events of what the page shows (a neighbourhood
//! as drawn, or a path's hops) grouped by where they happened: points for places with
//! coordinates, countries for events placed only at one; `/api/place` gives one group's
//! events as the page shows events.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use petgraph::graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use serde::Serialize;
use serde_json::json;

use super::{Endpoint, Problem};
use crate::graph::{
    k_shortest_paths, neighbors, parse_km, timeline, timeline_scoped, ActorGraph, ActorRef,
    EventSummary, GraphError, LookupError, Near, Neighbour, Neighbourhood, ProjectionOptions,
    QuadClassCounts, TieSummary, TimelineScope,
};
use crate::knowledge::CameoTable;
use crate::model::{DocumentMeta, Location, LocationPrecision, Statement};

/// Filtered graphs kept per projection.
const FILTER_CACHE: usize = 4;
/// Most actors a neighbourhood answer draws unless the request asks for fewer.
const MAX_NODES: usize = 80;

/// The date, CAMEO-root and location filters of a request (`country=UKR,POL`,
/// `near=LAT,LON&km=N`, as on the command line), normalised so equal filters share a cache
/// entry.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Filter {
    from: Option<String>,
    to: Option<String>,
    roots: Vec<String>,
    country: Vec<String>,
    near: Option<String>,
    km: Option<String>,
}

impl Filter {
    fn from_params(p: &HashMap<String, String>) -> Self {
        let text = |k: &str| {
            p.get(k)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let list = |k: &str| {
            let mut items: Vec<String> = p
                .get(k)
                .map(|r| {
                    r.split(',')
                        .map(|c| c.trim().to_owned())
                        .filter(|c| !c.is_empty())
                        .collect()
                })
                .unwrap_or_default();
            items.sort();
            items.dedup();
            items
        };
        Filter {
            from: text("from"),
            to: text("to"),
            roots: list("roots"),
            country: list("country"),
            near: text("near"),
            km: text("km"),
        }
    }

    fn is_empty(&self) -> bool {
        *self == Filter::default()
    }

    /// The projection these filters ask for, or why they cannot be read.
    fn options(&self) -> Result<ProjectionOptions, Problem> {
        let located_in = self
            .country
            .iter()
            .map(|c| crate::commands::country_code(c))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| bad_request("bad filter", format!("country: {e}")))?;
        let near = match (&self.near, &self.km) {
            (None, None) => None,
            (Some(point), Some(km)) => {
                let bad = |e: crate::graph::GeoError| bad_request("bad filter", e.to_string());
                let centre = point.parse().map_err(&bad)?;
                Some(Near::new(centre, parse_km(km).map_err(&bad)?).map_err(bad)?)
            }
            _ => return Err(bad_request("bad filter", "near and km go together")),
        };
        Ok(ProjectionOptions {
            from: self.from.clone(),
            to: self.to.clone(),
            cameo_roots: self.roots.clone(),
            located_in,
            near,
            ..Default::default()
        })
    }
}

/// The store as the explorer sees it.
pub struct Projection {
    /// The endpoint generation this projection reflects.
    generation: AtomicU64,
    fingerprint: u64,
    statements: Vec<Statement>,
    graph: Arc<ActorGraph>,
    /// (doc, statement) -> index into `statements`.
    by_statement: HashMap<(String, String), usize>,
    docs: HashMap<String, DocumentMeta>,
    cameo: Option<CameoTable>,
    filtered: Mutex<Vec<(Filter, Arc<ActorGraph>)>>,
}

impl Projection {
    fn build(
        statements: Vec<Statement>,
        docs: Vec<DocumentMeta>,
        fingerprint: u64,
        generation: u64,
    ) -> Result<Self, GraphError> {
        let graph = ActorGraph::project(&statements, &ProjectionOptions::default())?;
        let by_statement = statements
            .iter()
            .enumerate()
            .map(|(i, s)| ((s.doc.clone(), s.id.clone()), i))
            .collect();
        Ok(Projection {
            generation: AtomicU64::new(generation),
            fingerprint,
            statements,
            graph: Arc::new(graph),
            by_statement,
            docs: docs.into_iter().map(|d| (d.id.clone(), d)).collect(),
            cameo: CameoTable::bundled().ok(),
            filtered: Mutex::new(Vec::new()),
        })
    }

    /// Builds the explorer's view of a list of statements (for tests and benchmarks that
    /// have statements but no store).
    pub fn from_statements(statements: Vec<Statement>) -> Result<Self, GraphError> {
        Self::build(statements, Vec::new(), 0, 0)
    }

    fn graph_for(&self, filter: &Filter) -> Result<Arc<ActorGraph>, Problem> {
        if filter.is_empty() {
            return Ok(Arc::clone(&self.graph));
        }
        if let Ok(cache) = self.filtered.lock() {
            if let Some((_, g)) = cache.iter().find(|(f, _)| f == filter) {
                return Ok(Arc::clone(g));
            }
        }
        let options = filter.options()?;
        let graph = Arc::new(
            ActorGraph::project(&self.statements, &options)
                .map_err(|e| bad_request("bad filter", e.to_string()))?,
        );
        if let Ok(mut cache) = self.filtered.lock() {
            if cache.len() >= FILTER_CACHE {
                cache.remove(0);
            }
            cache.push((filter.clone(), Arc::clone(&graph)));
        }
        Ok(graph)
    }

    fn statement(&self, doc: &str, id: &str) -> Option<&Statement> {
        self.by_statement
            .get(&(doc.to_owned(), id.to_owned()))
            .and_then(|&i| self.statements.get(i))
    }

    /// An event as the explorer shows it: coded, dated, with its sentence and trigger.
    fn event_view(&self, summary: EventSummary) -> EventView {
        let edge = summary.edge;
        let statement = self.statement(&edge.doc, &edge.statement);
        // Trigger offsets relative to the sentence, in characters.
        let trigger = statement.and_then(|s| {
            let t = s.trigger_span?;
            let start = t.start.checked_sub(s.span.start)?;
            let end = t.end.checked_sub(s.span.start)?;
            (start < end && end <= s.evidence.chars().count()).then_some([start, end])
        });
        let cameo_name = edge
            .cameo
            .as_deref()
            .and_then(|c| self.cameo.as_ref()?.get(c))
            .map(|c| c.name.clone());
        let root_name = summary
            .cameo_root
            .as_deref()
            .and_then(|r| self.cameo.as_ref()?.root_name(r))
            .map(str::to_owned);
        let doc = self.docs.get(&edge.doc);
        EventView {
            doc_title: doc.and_then(|d| d.title.clone()),
            doc_url: doc.and_then(|d| d.url.clone()),
            doc_date: doc.and_then(|d| d.date.clone()),
            source: statement.and_then(|s| s.source.as_ref()).map(|n| ActorRef {
                id: n.id.clone(),
                label: n.label.clone(),
            }),
            subject: summary.subject,
            object: summary.object,
            cameo_root: summary.cameo_root,
            cameo_name,
            root_name,
            trigger,
            doc: edge.doc,
            statement: edge.statement,
            date: edge.date,
            relation: edge.relation,
            cameo: edge.cameo,
            quad_class: edge.quad_class,
            goldstein: edge.goldstein,
            modality: edge.modality.as_str(),
            confidence: edge.confidence,
            evidence: edge.evidence,
            location: edge.location,
            via: None,
        }
    }
}

#[derive(Debug, Serialize)]
struct EventView {
    doc: String,
    statement: String,
    date: Option<String>,
    subject: ActorRef,
    object: ActorRef,
    relation: String,
    cameo: Option<String>,
    cameo_name: Option<String>,
    cameo_root: Option<String>,
    root_name: Option<String>,
    quad_class: Option<u8>,
    goldstein: Option<f64>,
    modality: &'static str,
    confidence: f64,
    /// Who said it, for reported events.
    source: Option<ActorRef>,
    evidence: String,
    /// [start, end) of the trigger in `evidence`, in Unicode characters.
    trigger: Option<[usize; 2]>,
    /// Where the event happened, when the text says (`model::Location`).
    location: Option<Location>,
    /// On a two-actor timeline: the government through which the event involves an actor
    /// (see `graph::TimelineScope`).
    via: Option<ActorRef>,
    doc_title: Option<String>,
    doc_url: Option<String>,
    doc_date: Option<String>,
}

/// The explorer's current projection and its rebuild state.
#[derive(Default)]
pub struct Explorer {
    current: RwLock<Option<Arc<Projection>>>,
    building: AtomicBool,
    failure: Mutex<Option<String>>,
}

impl Explorer {
    fn current(&self) -> Option<Arc<Projection>> {
        self.current.read().ok().and_then(|c| c.clone())
    }

    /// Installs a projection built elsewhere (benchmarks, tests).
    pub fn install(&self, projection: Projection) {
        if let Ok(mut current) = self.current.write() {
            *current = Some(Arc::new(projection));
        }
    }
}

/// Starts a (re)build unless one is running; the old projection answers meanwhile.
pub fn start_projection(ep: &Arc<Endpoint>) {
    if ep.explorer.building.swap(true, Ordering::SeqCst) {
        return;
    }
    let worker = Arc::clone(ep);
    let spawned = std::thread::Builder::new()
        .name("geokg-project".into())
        .spawn(move || {
            let generation = worker.generation.load(Ordering::SeqCst);
            let result = rebuild(&worker, generation);
            if let Ok(mut failure) = worker.explorer.failure.lock() {
                *failure = result.err();
            }
            worker.explorer.building.store(false, Ordering::SeqCst);
        });
    if spawned.is_err() {
        ep.explorer.building.store(false, Ordering::SeqCst);
    }
}

fn rebuild(ep: &Endpoint, generation: u64) -> Result<(), String> {
    let fingerprint = ep.store.fingerprint().map_err(|e| e.to_string())?;
    if let Some(old) = ep.explorer.current() {
        if old.fingerprint == fingerprint {
            old.generation.store(generation, Ordering::SeqCst);
            return Ok(());
        }
    }
    let statements = ep.store.statements(None).map_err(|e| e.to_string())?;
    let docs = ep.store.documents().map_err(|e| e.to_string())?;
    let projection =
        Projection::build(statements, docs, fingerprint, generation).map_err(|e| e.to_string())?;
    ep.explorer.install(projection);
    Ok(())
}

/// The projection to answer from, starting a rebuild when the store has moved on.
fn projection(ep: &Arc<Endpoint>) -> Result<Arc<Projection>, Problem> {
    let current = ep.explorer.current();
    let generation = ep.generation.load(Ordering::SeqCst);
    if current
        .as_ref()
        .is_none_or(|p| p.generation.load(Ordering::SeqCst) != generation)
    {
        start_projection(ep);
    }
    current.ok_or_else(|| {
        let failure = ep.explorer.failure.lock().ok().and_then(|f| f.clone());
        match failure {
            Some(why) => Problem::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "graph projection failed",
                why,
            )
            .in_json(),
            None => Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "graph is being built",
                "the explorer is projecting the store; retry in a moment",
            )
            .in_json()
            .with_header(header::RETRY_AFTER, HeaderValue::from_static("1")),
        }
    })
}

fn bad_request(title: &'static str, detail: impl Into<String>) -> Problem {
    Problem::new(StatusCode::BAD_REQUEST, title, detail).in_json()
}

type Params = Query<HashMap<String, String>>;

fn required<'a>(p: &'a HashMap<String, String>, key: &str) -> Result<&'a str, Problem> {
    p.get(key)
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .ok_or_else(|| bad_request("missing parameter", format!("give ?{key}=")))
}

fn number(
    p: &HashMap<String, String>,
    key: &str,
    default: usize,
    max: usize,
) -> Result<usize, Problem> {
    match p.get(key).map(|v| v.trim()).filter(|v| !v.is_empty()) {
        None => Ok(default),
        Some(v) => v
            .parse::<usize>()
            .map(|n| n.min(max))
            .map_err(|_| bad_request("bad number", format!("{key}={v:?} is not a whole number"))),
    }
}

/// The actor a parameter names: an exact id first, else `ActorGraph::lookup` (label, QID,
/// CAMEO code, surname). Not found: 404 with suggestions; ambiguous: 409 with candidates.
fn resolve(graph: &ActorGraph, query: &str) -> Result<NodeIndex, Problem> {
    if let Some(ix) = graph.node_index(query) {
        return Ok(ix);
    }
    graph.lookup(query).map_err(|e| match &e {
        LookupError::NotFound { suggestions, .. } => {
            Problem::new(StatusCode::NOT_FOUND, "no such actor", e.to_string())
                .in_json()
                .with_extra(json!({ "suggestions": suggestions }))
        }
        LookupError::Ambiguous { candidates, .. } => {
            Problem::new(StatusCode::CONFLICT, "ambiguous actor", e.to_string())
                .in_json()
                .with_extra(json!({ "candidates": candidates }))
        }
    })
}

/// Runs an API computation on the blocking pool (projection work is CPU-bound).
async fn compute(
    ep: Arc<Endpoint>,
    work: impl FnOnce(&Projection) -> Result<serde_json::Value, Problem> + Send + 'static,
) -> Response {
    let result = match projection(&ep) {
        Ok(p) => tokio::task::spawn_blocking(move || work(&p))
            .await
            .unwrap_or_else(|e| {
                Err(Problem::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal error",
                    e.to_string(),
                ))
            }),
        Err(problem) => Err(problem),
    };
    match result {
        Ok(value) => Json(value).into_response(),
        Err(problem) => problem.in_json().into_response(),
    }
}

pub fn routes() -> Router<Arc<Endpoint>> {
    Router::new()
        .route("/summary", get(summary))
        .route("/actors", get(actors))
        .route("/neighbourhood", get(neighbourhood))
        .route("/tie", get(tie))
        .route("/timeline", get(actor_timeline))
        .route("/paths", get(paths))
        .route("/event", get(event))
        .route("/places", get(places))
        .route("/place", get(place))
}

fn to_value(value: impl Serialize) -> Result<serde_json::Value, Problem> {
    serde_json::to_value(value).map_err(|e| {
        Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal error",
            e.to_string(),
        )
    })
}

/// Sizes, date range, CAMEO roots present and the most mentioned actors: what the page
/// needs to offer filters and a first suggestion.
async fn summary(State(ep): State<Arc<Endpoint>>) -> Response {
    compute(ep, |p| {
        let g = &p.graph;
        let mut roots: HashMap<String, usize> = HashMap::new();
        let (mut first, mut last): (Option<&str>, Option<&str>) = (None, None);
        for e in g.graph().edge_references() {
            let edge = e.weight();
            if let Some(r) = edge.cameo_root() {
                *roots.entry(r.to_owned()).or_default() += 1;
            }
            if let Some(d) = edge.date.as_deref() {
                if first.is_none_or(|f| d < f) {
                    first = Some(d);
                }
                if last.is_none_or(|l| d > l) {
                    last = Some(d);
                }
            }
        }
        let mut roots: Vec<_> = roots.into_iter().collect();
        roots.sort();
        let roots: Vec<_> = roots
            .into_iter()
            .map(|(code, events)| {
                let name = p
                    .cameo
                    .as_ref()
                    .and_then(|c| c.root_name(&code))
                    .unwrap_or("");
                json!({ "code": code, "name": name, "events": events })
            })
            .collect();
        let mut top: Vec<NodeIndex> = g.graph().node_indices().collect();
        top.sort_by_key(|&ix| std::cmp::Reverse(g.actor(ix).mentions));
        let top: Vec<_> = top
            .into_iter()
            .take(8)
            .map(|ix| {
                let a = g.actor(ix);
                json!({ "id": a.id, "label": a.label, "type": a.kind, "mentions": a.mentions })
            })
            .collect();
        Ok(json!({
            "documents": p.docs.len(),
            "statements": p.statements.len(),
            "actors": g.node_count(),
            "events": g.edge_count(),
            "first_date": first,
            "last_date": last,
            "roots": roots,
            "top_actors": top,
        }))
    })
    .await
}

/// Type-ahead search: exact label or id first, then label prefixes, word prefixes, and
/// substrings; within a tier the most mentioned first.
async fn actors(State(ep): State<Arc<Endpoint>>, Query(params): Params) -> Response {
    compute(ep, move |p| {
        let q = params
            .get("q")
            .map(|q| q.trim().to_lowercase())
            .unwrap_or_default();
        let limit = number(&params, "limit", 10, 50)?;
        let g = &p.graph;
        let mut found: Vec<(u8, NodeIndex)> = Vec::new();
        if !q.is_empty() {
            for ix in g.graph().node_indices() {
                let a = g.actor(ix);
                let label = a.label.to_lowercase();
                let tier = if label == q || a.id.eq_ignore_ascii_case(&q) {
                    0
                } else if label.starts_with(&q) {
                    1
                } else if label
                    .split(|c: char| !c.is_alphanumeric())
                    .any(|w| w.starts_with(&q))
                {
                    2
                } else if label.contains(&q)
                    || a.id.contains(&q)
                    || a.actor_code
                        .as_deref()
                        .is_some_and(|c| c.eq_ignore_ascii_case(&q))
                    || a.wikidata
                        .as_deref()
                        .is_some_and(|w| w.eq_ignore_ascii_case(&q))
                {
                    3
                } else {
                    continue;
                };
                found.push((tier, ix));
            }
        }
        found.sort_by(|&(ta, a), &(tb, b)| {
            ta.cmp(&tb)
                .then(g.actor(b).mentions.cmp(&g.actor(a).mentions))
                .then(g.actor(a).label.cmp(&g.actor(b).label))
        });
        let total = found.len();
        let actors: Vec<_> = found
            .into_iter()
            .take(limit)
            .map(|(_, ix)| {
                let a = g.actor(ix);
                json!({
                    "id": a.id, "label": a.label, "type": a.kind, "country": a.country,
                    "mentions": a.mentions,
                })
            })
            .collect();
        Ok(json!({ "query": q, "total": total, "actors": actors }))
    })
    .await
}

/// A neighbourhood as the explorer draws it: `graph::neighbors` trimmed to the
/// `max_nodes` nearest and busiest actors so it stays legible, with the ties among them.
struct Drawn {
    n: Neighbourhood,
    /// The actors drawn besides the centre, nearest and busiest first.
    kept: Vec<Neighbour>,
    /// Events per actor within the whole neighbourhood, the busiest kept when trimming.
    weight: HashMap<String, usize>,
}

impl Drawn {
    /// From the request's `actor`, `hops` and `max_nodes`.
    fn from_params(g: &ActorGraph, params: &HashMap<String, String>) -> Result<Self, Problem> {
        let centre = resolve(g, required(params, "actor")?)?;
        let hops = number(params, "hops", 1, 3)?.max(1);
        let max_nodes = number(params, "max_nodes", MAX_NODES, 300)?.max(1);
        let n = neighbors(g, centre, hops);
        let mut weight: HashMap<String, usize> = HashMap::new();
        for t in &n.ties {
            *weight.entry(t.a.id.clone()).or_default() += t.events;
            *weight.entry(t.b.id.clone()).or_default() += t.events;
        }
        let mut kept = n.actors.clone();
        kept.sort_by(|x, y| {
            x.distance
                .cmp(&y.distance)
                .then(weight.get(&y.actor.id).cmp(&weight.get(&x.actor.id)))
        });
        kept.truncate(max_nodes.saturating_sub(1));
        Ok(Drawn { n, kept, weight })
    }

    fn truncated(&self) -> bool {
        self.n.actors.len() > self.kept.len()
    }

    /// The ties whose two actors are both drawn.
    fn ties(&self) -> impl Iterator<Item = &TieSummary> {
        let kept: std::collections::HashSet<&str> = std::iter::once(self.n.centre.id.as_str())
            .chain(self.kept.iter().map(|nb| nb.actor.id.as_str()))
            .collect();
        self.n
            .ties
            .iter()
            .filter(move |t| kept.contains(t.a.id.as_str()) && kept.contains(t.b.id.as_str()))
    }
}

/// The QuadClass with most events; ties go to the more conflictual class.
fn dominant(q: &QuadClassCounts) -> u8 {
    let classes = [
        (1, q.verbal_cooperation),
        (2, q.material_cooperation),
        (3, q.verbal_conflict),
        (4, q.material_conflict),
        (0, q.neutral),
    ];
    classes
        .iter()
        .filter(|(_, n)| *n > 0)
        .max_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)))
        .map_or(0, |(c, _)| *c)
}

fn count_quad_class(q: &mut QuadClassCounts, class: Option<u8>) {
    match class {
        Some(1) => q.verbal_cooperation += 1,
        Some(2) => q.material_cooperation += 1,
        Some(3) => q.verbal_conflict += 1,
        Some(4) => q.material_conflict += 1,
        _ => q.neutral += 1,
    }
}

/// An actor's neighbourhood as nodes and ties (see `Drawn`).
async fn neighbourhood(State(ep): State<Arc<Endpoint>>, Query(params): Params) -> Response {
    compute(ep, move |p| {
        let g = p.graph_for(&Filter::from_params(&params))?;
        let drawn = Drawn::from_params(&g, &params)?;
        let node_json = |id: &str, distance: usize| {
            let a = g.node_index(id).map(|ix| g.actor(ix));
            json!({
                "id": id,
                "label": a.map(|a| a.label.as_str()).unwrap_or(id),
                "type": a.map(|a| a.kind),
                "country": a.and_then(|a| a.country.as_deref()),
                "mentions": a.map_or(0, |a| a.mentions),
                "distance": distance,
                "events": drawn.weight.get(id).copied().unwrap_or(0),
            })
        };
        let mut nodes = vec![node_json(&drawn.n.centre.id, 0)];
        nodes.extend(
            drawn
                .kept
                .iter()
                .map(|nb| node_json(&nb.actor.id, nb.distance)),
        );
        let ties: Vec<_> = drawn
            .ties()
            .map(|t| {
                json!({
                    "a": t.a.id, "b": t.b.id, "events": t.events, "a_to_b": t.a_to_b,
                    "b_to_a": t.b_to_a, "net_goldstein": t.net_goldstein,
                    "first_date": t.first_date, "last_date": t.last_date,
                    "quad_classes": t.quad_classes, "dominant": dominant(&t.quad_classes),
                })
            })
            .collect();
        Ok(json!({
            "centre": drawn.n.centre,
            "hops": drawn.n.hops,
            "total_actors": drawn.n.actors.len(),
            "truncated": drawn.truncated(),
            "nodes": nodes,
            "ties": ties,
        }))
    })
    .await
}

/// Every event between two actors, in date order, with evidence.
async fn tie(State(ep): State<Arc<Endpoint>>, Query(params): Params) -> Response {
    compute(ep, move |p| {
        let g = p.graph_for(&Filter::from_params(&params))?;
        let a = resolve(&g, required(&params, "a")?)?;
        let b = resolve(&g, required(&params, "b")?)?;
        // Strict: exactly the events on the drawn edge, not those through an office.
        let t = timeline_scoped(&g, a, Some(b), TimelineScope::Strict);
        let events: Vec<EventView> = t
            .events
            .into_iter()
            .map(|e| p.event_view(e.event))
            .collect();
        Ok(json!({ "a": t.actor, "b": t.other, "events": events }))
    })
    .await
}

async fn actor_timeline(State(ep): State<Arc<Endpoint>>, Query(params): Params) -> Response {
    compute(ep, move |p| {
        let g = p.graph_for(&Filter::from_params(&params))?;
        let a = resolve(&g, required(&params, "actor")?)?;
        let other = match params.get("other").map(|o| o.trim()).filter(|o| !o.is_empty()) {
            Some(o) => Some(resolve(&g, o)?),
            None => None,
        };
        let limit = number(&params, "limit", 200, 5000)?;
        let t = timeline(&g, a, other);
        let total = t.events.len();
        let events: Vec<EventView> = t
            .events
            .into_iter()
            .take(limit)
            .map(|e| EventView {
                via: e.via,
                ..p.event_view(e.event)
            })
            .collect();
        Ok(json!({ "actor": g.actor_ref(a), "other": other.map(|o| g.actor_ref(o)), "total": total, "events": events }))
    })
    .await
}

/// The k shortest paths between two actors (`graph::k_shortest_paths`), each hop with the
/// event that backs it.
async fn paths(State(ep): State<Arc<Endpoint>>, Query(params): Params) -> Response {
    compute(ep, move |p| {
        let g = p.graph_for(&Filter::from_params(&params))?;
        let a = resolve(&g, required(&params, "a")?)?;
        let b = resolve(&g, required(&params, "b")?)?;
        let k = number(&params, "k", 3, 10)?.max(1);
        let max_hops = number(&params, "max_hops", 4, 8)?.max(1);
        let set = k_shortest_paths(&g, a, b, k, max_hops);
        let paths: Vec<_> = set
            .paths
            .iter()
            .map(|path| {
                let hops: Vec<_> = path
                    .hops
                    .iter()
                    .map(|h| {
                        json!({
                            "from": h.from, "to": h.to, "direction": h.direction,
                            "events": h.events,
                            "event": p.event_view(h.event.clone()),
                        })
                    })
                    .collect();
                let actors: Vec<_> = path
                    .actors()
                    .into_iter()
                    .map(|a| {
                        let node = g.node_index(&a.id).map(|ix| g.actor(ix));
                        json!({
                            "id": a.id, "label": a.label,
                            "type": node.map(|n| n.kind),
                            "country": node.and_then(|n| n.country.as_deref()),
                            "mentions": node.map_or(0, |n| n.mentions),
                        })
                    })
                    .collect();
                json!({ "cost": path.cost, "actors": actors, "hops": hops })
            })
            .collect();
        Ok(json!({ "from": set.from, "to": set.to, "paths": paths }))
    })
    .await
}

fn find_edge(
    g: &ActorGraph,
    doc: &str,
    statement: &str,
    subject: &str,
    object: &str,
) -> Option<EdgeIndex> {
    let s = g.node_index(subject)?;
    let o = g.node_index(object)?;
    g.graph()
        .edges_connecting(s, o)
        .find(|e| e.weight().doc == doc && e.weight().statement == statement)
        .map(|e| e.id())
}

/// One event by document and statement id.
async fn event(State(ep): State<Arc<Endpoint>>, Query(params): Params) -> Response {
    compute(ep, move |p| {
        let doc = required(&params, "doc")?;
        let id = required(&params, "statement")?;
        let s = p.statement(doc, id).ok_or_else(|| {
            Problem::new(
                StatusCode::NOT_FOUND,
                "no such event",
                format!("no statement {id:?} in document {doc:?}"),
            )
            .in_json()
        })?;
        let g = &p.graph;
        let e = s
            .object
            .as_ref()
            .and_then(|o| find_edge(g, doc, id, &s.subject.id, &o.id));
        match e.and_then(|e| g.event_summary(e)) {
            Some(summary) => to_value(p.event_view(summary)),
            // A statement the actor graph leaves out (an entity relation): as stored.
            None => to_value(s),
        }
    })
    .await
}

/// The events a view of the explorer shows: those on the drawn ties of a neighbourhood
/// (`actor`, `hops`, `max_nodes`, as `/api/neighbourhood` draws it), or on the hops of a
/// path (`path=a,b,c`: actor ids or names, in order). Each tie's events are exactly those
/// `/api/tie` lists for it; in date order, each event once.
fn selected_events(
    g: &ActorGraph,
    params: &HashMap<String, String>,
) -> Result<Vec<EventSummary>, Problem> {
    let pairs: Vec<(NodeIndex, NodeIndex)> = match params
        .get("path")
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
    {
        Some(path) => {
            let actors = path
                .split(',')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(|a| resolve(g, a))
                .collect::<Result<Vec<_>, _>>()?;
            actors.windows(2).map(|w| (w[0], w[1])).collect()
        }
        None => {
            let drawn = Drawn::from_params(g, params)?;
            drawn
                .ties()
                .filter_map(|t| Some((g.node_index(&t.a.id)?, g.node_index(&t.b.id)?)))
                .collect()
        }
    };
    let mut seen = std::collections::HashSet::new();
    let mut events = Vec::new();
    for (a, b) in pairs {
        for e in timeline_scoped(g, a, Some(b), TimelineScope::Strict).events {
            let key = (
                e.event.edge.doc.clone(),
                e.event.edge.statement.clone(),
                e.event.subject.id.clone(),
                e.event.object.id.clone(),
            );
            if seen.insert(key) {
                events.push(e.event);
            }
        }
    }
    events.sort_by(|x, y| {
        (
            x.edge.date.is_none(),
            &x.edge.date,
            &x.edge.doc,
            &x.edge.statement,
        )
            .cmp(&(
                y.edge.date.is_none(),
                &y.edge.date,
                &y.edge.doc,
                &y.edge.statement,
            ))
    });
    Ok(events)
}

/// Where the map draws an event: at a point (a city or region with coordinates), over a
/// country's outline (an event placed only at its country, or at a region without a
/// position), or nowhere. The id is what `/api/place?place=` takes: `g:` and a GeoNames id, `p:` and
/// coordinates for a point without one, `c:` and an ISO 3166-1 alpha-3 code.
fn map_key(location: Option<&Location>) -> Option<(String, bool)> {
    let loc = location?;
    let at_point = loc.precision != LocationPrecision::Country;
    match (loc.lat, loc.lon) {
        (Some(lat), Some(lon)) if at_point && lat.is_finite() && lon.is_finite() => {
            Some(match loc.geonames_id {
                Some(id) => (format!("g:{id}"), true),
                None => (format!("p:{lat:.4},{lon:.4}"), true),
            })
        }
        _ => loc
            .country
            .as_deref()
            .filter(|c| !c.is_empty())
            .map(|c| (format!("c:{c}"), false)),
    }
}

/// One point or country of the map with the events drawn there.
struct MapGroup<'a> {
    id: String,
    point: bool,
    events: Vec<&'a EventSummary>,
}

impl MapGroup<'_> {
    fn json(&self) -> serde_json::Value {
        let mut q = QuadClassCounts::default();
        // Names as the events give them, most used first ("Washington" before "White
        // House, Washington", both GeoNames' Washington).
        let mut names: Vec<(&str, usize)> = Vec::new();
        for e in &self.events {
            count_quad_class(&mut q, e.edge.quad_class);
            if let Some(loc) = &e.edge.location {
                match names.iter_mut().find(|(n, _)| *n == loc.label) {
                    Some((_, count)) => *count += 1,
                    None => names.push((&loc.label, 1)),
                }
            }
        }
        names.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.len().cmp(&b.0.len())));
        let names: Vec<&str> = names.into_iter().map(|(n, _)| n).collect();
        let first = self.events.first().and_then(|e| e.edge.location.as_ref());
        let mut out = json!({
            "id": self.id,
            "label": names.first().copied().unwrap_or(""),
            "names": names,
            "country": first.and_then(|l| l.country.as_deref()),
            "events": self.events.len(),
            "quad_classes": q,
            "dominant": dominant(&q),
        });
        if self.point {
            if let (Some(l), Some(map)) = (first, out.as_object_mut()) {
                map.insert("lat".into(), json!(l.lat));
                map.insert("lon".into(), json!(l.lon));
                map.insert("admin1".into(), json!(l.admin1));
                map.insert("geonames_id".into(), json!(l.geonames_id));
                map.insert("precision".into(), json!(l.precision.as_str()));
            }
        }
        out
    }
}

/// The selection's events by where the map draws them, busiest first.
fn map_groups(events: &[EventSummary]) -> (Vec<MapGroup<'_>>, usize) {
    let mut groups: Vec<MapGroup<'_>> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut unlocated = 0;
    for e in events {
        let Some((id, point)) = map_key(e.edge.location.as_ref()) else {
            unlocated += 1;
            continue;
        };
        match index.get(&id) {
            Some(&i) => groups[i].events.push(e),
            None => {
                index.insert(id.clone(), groups.len());
                groups.push(MapGroup {
                    id,
                    point,
                    events: vec![e],
                });
            }
        }
    }
    groups.sort_by(|a, b| b.events.len().cmp(&a.events.len()).then(a.id.cmp(&b.id)));
    (groups, unlocated)
}

/// The selected events (see `selected_events`) as the map draws them: `places`, points
/// with coordinates; `countries`, events placed only at a country (shaded outlines); and
/// how many have no place at all.
async fn places(State(ep): State<Arc<Endpoint>>, Query(params): Params) -> Response {
    compute(ep, move |p| {
        let g = p.graph_for(&Filter::from_params(&params))?;
        let events = selected_events(&g, &params)?;
        let (groups, unlocated) = map_groups(&events);
        let (points, countries): (Vec<_>, Vec<_>) = groups.iter().partition(|m| m.point);
        let count = |gs: &[&MapGroup<'_>]| gs.iter().map(|m| m.events.len()).sum::<usize>();
        Ok(json!({
            "events": events.len(),
            "at_places": count(&points),
            "in_countries": count(&countries),
            "unlocated": unlocated,
            "places": points.iter().map(|m| m.json()).collect::<Vec<_>>(),
            "countries": countries.iter().map(|m| m.json()).collect::<Vec<_>>(),
        }))
    })
    .await
}

/// The selected events at one place or country of the map (`place=` an id from
/// `/api/places`), in date order, as the explorer shows events.
async fn place(State(ep): State<Arc<Endpoint>>, Query(params): Params) -> Response {
    compute(ep, move |p| {
        let g = p.graph_for(&Filter::from_params(&params))?;
        let id = required(&params, "place")?;
        let events = selected_events(&g, &params)?;
        let (groups, _) = map_groups(&events);
        let group = groups.iter().find(|m| m.id == id).ok_or_else(|| {
            Problem::new(
                StatusCode::NOT_FOUND,
                "no such place",
                format!("none of the selected events is placed at {id:?}; see /api/places"),
            )
            .in_json()
        })?;
        let place = group.json();
        let events: Vec<EventView> = group
            .events
            .iter()
            .map(|&e| p.event_view(e.clone()))
            .collect();
        Ok(json!({ "place": place, "events": events }))
    })
    .await
}
