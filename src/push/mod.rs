//! `geokg push`: copies the store's named graphs (one per document, plus the ontology)
//! into another SPARQL engine, for users whose data outgrows one machine.
//!
//! Two protocols reach nearly every engine (Virtuoso, Fuseki, GraphDB, Stardog, Neptune,
//! QLever, oxigraph): the SPARQL 1.1 Graph Store Protocol, one `PUT ?graph=<g>` with an
//! N-Triples body per graph, and SPARQL 1.1 Update, `DROP SILENT GRAPH <g> ; INSERT DATA {
//! GRAPH <g> { … } }` for a batch of graphs per request. Both replace a graph whole, so a
//! push is idempotent: sending a graph twice leaves the server as sending it once. `auto`
//! tries the Graph Store Protocol at the URLs engines conventionally put it beside their
//! update endpoint and falls back to Update.
//!
//! A push sends only what changed: the store folder keeps, per endpoint, the content hash
//! each graph had when the server accepted it (see [`state`]). Graphs of documents removed
//! from the store since the last push are dropped on the server too. Requests are retried
//! with exponential backoff on connection errors and 5xx; a 4xx stops the push with the
//! document it concerned named.

mod auth;
mod body;
mod http;
pub mod state;

pub use auth::Credentials;
pub use http::RetryPolicy;
pub use state::{PushState, StateError, STATE_FILE};

use std::collections::HashSet;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use oxigraph::model::{NamedNode, Triple};

use crate::store::graphs::StoredGraph;
use crate::store::{GraphStore, StoreError};
use http::{Client, Method, Reply, Unreachable};

/// How graphs reach the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// SPARQL 1.1 Graph Store HTTP Protocol: PUT (and DELETE) per graph.
    GraphStore,
    /// SPARQL 1.1 Update: DROP + INSERT DATA, several graphs per request.
    Update,
    /// The Graph Store Protocol when the server has it, else Update.
    Auto,
}

impl std::fmt::Display for Protocol {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Protocol::GraphStore => "the Graph Store Protocol",
            Protocol::Update => "SPARQL Update",
            Protocol::Auto => "auto",
        })
    }
}

/// What to push where, and how.
#[derive(Debug, Clone)]
pub struct PushOptions {
    /// The SPARQL Update endpoint (also the key under which the push state is kept).
    pub endpoint: String,
    /// The Graph Store Protocol URL, when it is not beside the update endpoint where
    /// engines usually put it.
    pub graph_store: Option<String>,
    pub protocol: Protocol,
    pub credentials: Credentials,
    /// Graphs per SPARQL Update request.
    pub batch: usize,
    /// Most triples in one INSERT DATA operation (Virtuoso compiles each operation to SQL
    /// and refuses one much above a thousand triples). A larger graph is sent as a DROP
    /// and INSERT DATA parts in consecutive requests, and recorded as pushed only when all
    /// parts are in; a graph with blank nodes always goes in one operation.
    pub triples_per_insert: usize,
    /// Resend every graph, whatever was pushed before.
    pub all: bool,
    /// Requests in flight at once.
    pub in_flight: usize,
    /// Show a progress bar on standard error when it is a terminal.
    pub progress: bool,
    pub retry: RetryPolicy,
    /// Longest time one request may take, body upload and answer included.
    pub timeout: Duration,
}

impl PushOptions {
    pub fn new(endpoint: impl Into<String>) -> Self {
        PushOptions {
            endpoint: endpoint.into(),
            graph_store: None,
            protocol: Protocol::Auto,
            credentials: Credentials::None,
            batch: 32,
            triples_per_insert: 500,
            all: false,
            in_flight: 2,
            progress: true,
            retry: RetryPolicy::default(),
            timeout: Duration::from_secs(300),
        }
    }
}

/// What a push did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushReport {
    /// The protocol used (`Auto` when nothing had to be sent).
    pub protocol: Protocol,
    /// The URL written to.
    pub target: String,
    /// Graphs sent, documents among them.
    pub graphs: usize,
    pub documents: usize,
    pub triples: usize,
    pub bytes: u64,
    pub requests: usize,
    /// Graphs skipped because the server already has this version.
    pub unchanged: usize,
    /// Graphs dropped on the server because their documents left the store.
    pub removed: usize,
    /// Why the Graph Store Protocol was not used, when `auto` fell back to Update.
    pub fallback: Option<String>,
    pub elapsed: Duration,
}

/// Why a push stopped. Whatever was accepted before the error is remembered, so the next
/// push resumes there.
#[derive(Debug, thiserror::Error)]
pub enum PushError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    State(#[from] StateError),
    #[error("{url:?} is not an http:// or https:// URL")]
    BadUrl { url: String },
    #[error("{url} refused {what}: HTTP {status}{hint}{}", excerpt(body))]
    Rejected {
        what: String,
        url: String,
        status: u16,
        body: String,
        hint: &'static str,
    },
    #[error("{url} did not take {what}: {source}")]
    Unreachable {
        what: String,
        url: String,
        #[source]
        source: Unreachable,
    },
    #[error(
        "no Graph Store Protocol endpoint found ({tried}); give it with --graph-store, or \
         use --protocol update"
    )]
    NoGraphStore { tried: String },
}

fn excerpt(body: &str) -> String {
    if body.is_empty() {
        return String::new();
    }
    let mut short: String = body.chars().take(600).collect();
    if short.len() < body.len() {
        short.push('…');
    }
    format!(" — {short}")
}

fn hint(status: u16, body: &str) -> &'static str {
    // Virtuoso answers a missing permission with 500 and says so in the body.
    let status = if body.contains("SECURITY") || body.contains("No permission") {
        403
    } else {
        status
    };
    match status {
        401 => " (authentication failed: check --user/--password or --token)",
        403 => {
            " (not allowed to write: the account needs update rights, e.g. Virtuoso's \
                 GRANT SPARQL_UPDATE TO \"SPARQL\", or use its /sparql-auth endpoint)"
        }
        404 | 405 => " (no such service at this URL)",
        413 => " (request too large: lower --batch)",
        _ => "",
    }
}

/// One graph to replace on the server, or (`hash` None) to drop there.
struct Change {
    name: NamedNode,
    document: Option<String>,
    hash: Option<String>,
    triples: Vec<Triple>,
}

impl Change {
    fn describe(&self) -> String {
        let what = match &self.document {
            Some(id) => format!("document {id:?}"),
            None => format!("graph <{}>", self.name.as_str()),
        };
        if self.hash.is_some() {
            what
        } else {
            format!("the removal of {what}")
        }
    }
}

fn describe(changes: &[Change]) -> String {
    match changes {
        [one] => one.describe(),
        [first, .., last] => format!(
            "{} graphs ({} … {})",
            changes.len(),
            first.describe(),
            last.describe()
        ),
        [] => "nothing".into(),
    }
}

/// A graph the plan names: to send (from the store) or to drop (only in the state).
enum Planned {
    Send(StoredGraph),
    Drop(NamedNode),
}

/// Where and how the graphs go, once decided.
#[derive(Clone)]
struct Route {
    protocol: Protocol,
    url: String,
}

/// What a finished request carried.
struct Done {
    changes: Vec<(String, Option<String>, bool)>,
    triples: usize,
    bytes: u64,
    requests: usize,
}

/// Pushes the store's graphs to the engine behind `options.endpoint`.
pub fn push(store: &GraphStore, options: &PushOptions) -> Result<PushReport, PushError> {
    let started = Instant::now();
    for url in std::iter::once(&options.endpoint).chain(options.graph_store.iter()) {
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(PushError::BadUrl { url: url.clone() });
        }
    }
    let key = options.endpoint.trim_end_matches('/').to_owned();
    let mut state = match PushState::load(store.dir()) {
        Ok(state) => state,
        // --all resends everything, so a damaged record of past pushes is no obstacle.
        Err(StateError::Damaged { .. } | StateError::Version { .. }) if options.all => {
            PushState::default()
        }
        Err(e) => return Err(e.into()),
    };
    let pushed = state.pushed(&key);
    let graphs = store.named_graphs()?;
    let in_store: HashSet<&str> = graphs.iter().map(|g| g.name.as_str()).collect();
    let mut plan = Vec::new();
    let mut unchanged = 0;
    for name in pushed.keys() {
        if !in_store.contains(name.as_str()) {
            if let Ok(name) = NamedNode::new(name) {
                plan.push(Planned::Drop(name));
            }
        }
    }
    for graph in &graphs {
        if !options.all && pushed.get(graph.name.as_str()) == Some(&graph.content_hash) {
            unchanged += 1;
        } else {
            plan.push(Planned::Send(graph.clone()));
        }
    }
    drop(in_store);

    let mut report = PushReport {
        protocol: Protocol::Auto,
        target: key.clone(),
        graphs: 0,
        documents: 0,
        triples: 0,
        bytes: 0,
        requests: 0,
        unchanged,
        removed: 0,
        fallback: None,
        elapsed: Duration::ZERO,
    };
    if plan.is_empty() {
        report.elapsed = started.elapsed();
        return Ok(report);
    }
    let client = Client::new(options.credentials.clone(), options.retry, options.timeout);
    let bar = progress_bar(options.progress, plan.len() as u64);
    let mut plan = plan.into_iter();
    let first = plan.next().map(|p| change(store, p)).transpose()?;
    let record = |report: &mut PushReport, state: &mut PushState, done: Done| {
        for (name, hash, is_document) in &done.changes {
            match hash {
                Some(hash) => {
                    state.record(&key, name, hash);
                    report.graphs += 1;
                    report.documents += usize::from(*is_document);
                }
                None => {
                    state.forget(&key, name);
                    report.removed += 1;
                }
            }
        }
        report.triples += done.triples;
        report.bytes += done.bytes;
        report.requests += done.requests;
        bar.inc(done.changes.len() as u64);
        bar.set_message(format!("{} triples", report.triples));
    };

    // Decide the route with the first change, which the Graph Store probe sends for real.
    let mut first_pending = first;
    let route = match options.protocol {
        Protocol::Update => Route {
            protocol: Protocol::Update,
            url: options.endpoint.clone(),
        },
        wanted => {
            let candidates = match &options.graph_store {
                Some(url) => vec![url.clone()],
                None => graph_store_candidates(&options.endpoint),
            };
            let probe = match first_pending.take() {
                Some(change) => probe(&client, &candidates, change),
                None => Err((Vec::new(), None)),
            };
            match probe {
                Ok((url, done)) => {
                    record(&mut report, &mut state, done);
                    Route {
                        protocol: Protocol::GraphStore,
                        url,
                    }
                }
                Err((tried, change)) => {
                    if let Some(error) = tried.iter().find_map(|t| t.fatal.as_ref()) {
                        bar.finish_and_clear();
                        return Err(error.rebuild());
                    }
                    let tried = tried
                        .iter()
                        .map(|t| t.summary.as_str())
                        .collect::<Vec<_>>()
                        .join("; ");
                    if wanted == Protocol::GraphStore {
                        bar.finish_and_clear();
                        return Err(PushError::NoGraphStore { tried });
                    }
                    report.fallback = Some(tried);
                    first_pending = change;
                    Route {
                        protocol: Protocol::Update,
                        url: options.endpoint.clone(),
                    }
                }
            }
        }
    };
    report.protocol = route.protocol;
    report.target = route.url.clone();

    let mut last_save = Instant::now();
    let outcome = run_pipeline(
        store,
        options,
        &client,
        &route,
        first_pending,
        plan,
        |done| {
            record(&mut report, &mut state, done);
            // A long push saves its progress now and then; a failed intermediate save is
            // retried at the end, which reports it.
            if last_save.elapsed() >= Duration::from_secs(2) {
                let _ = state.save(store.dir());
                last_save = Instant::now();
            }
        },
    );
    bar.finish_and_clear();
    let saved = state.save(store.dir());
    outcome?;
    saved?;
    report.elapsed = started.elapsed();
    Ok(report)
}

fn change(store: &GraphStore, planned: Planned) -> Result<Change, PushError> {
    Ok(match planned {
        Planned::Send(graph) => Change {
            triples: store
                .graph_triples(Some(&graph.name))
                .collect::<Result<Vec<_>, _>>()?,
            name: graph.name,
            document: graph.document,
            hash: Some(graph.content_hash),
        },
        Planned::Drop(name) => Change {
            document: crate::rdf::vocab::document_id(name.as_str()),
            name,
            hash: None,
            triples: Vec::new(),
        },
    })
}

/// One Graph Store candidate that did not work, and whether that ends the push.
struct Tried {
    summary: String,
    fatal: Option<FatalProbe>,
}

/// An error met while probing that no other URL on the same server would avoid.
struct FatalProbe {
    what: String,
    url: String,
    source: Unreachable,
}

impl FatalProbe {
    fn rebuild(&self) -> PushError {
        PushError::Unreachable {
            what: self.what.clone(),
            url: self.url.clone(),
            source: self.source.clone(),
        }
    }
}

/// Sends the first change by the Graph Store Protocol to each candidate URL in turn; the
/// first to accept it is the route. A refusal (4xx, or a 5xx that persists) moves on to
/// the next candidate; an unreachable server stops the probe.
#[allow(clippy::type_complexity)]
fn probe(
    client: &Client,
    candidates: &[String],
    change: Change,
) -> Result<(String, Done), (Vec<Tried>, Option<Change>)> {
    let mut tried = Vec::new();
    // A service that is not there answers at once; do not wait out a long backoff.
    let patience = RetryPolicy {
        attempts: client.retry.attempts.min(2),
        ..client.retry
    };
    for url in candidates {
        match send_graph_store(client, patience, url, &change) {
            Ok(done) => return Ok((url.clone(), done)),
            Err(PushError::Rejected { status, url, .. }) => tried.push(Tried {
                summary: format!("{url}: HTTP {status}"),
                fatal: None,
            }),
            Err(PushError::Unreachable {
                source: Unreachable::Failing { status, .. },
                url,
                ..
            }) => tried.push(Tried {
                summary: format!("{url}: HTTP {status}"),
                fatal: None,
            }),
            Err(PushError::Unreachable { what, url, source }) => {
                tried.push(Tried {
                    summary: format!("{url}: {source}"),
                    fatal: Some(FatalProbe { what, url, source }),
                });
                break;
            }
            Err(other) => tried.push(Tried {
                summary: other.to_string(),
                fatal: None,
            }),
        }
    }
    Err((tried, Some(change)))
}

/// The URLs engines conventionally give the Graph Store Protocol next to a SPARQL
/// endpoint: Virtuoso (`/sparql` -> `/sparql-graph-crud`, `/sparql-auth` ->
/// `/sparql-graph-crud-auth`), oxigraph (`/update` -> `/store`), Fuseki (`/ds/update` or
/// `/ds/sparql` -> `/ds/data`), RDF4J and GraphDB (`/statements` ->
/// `/rdf-graphs/service`); any other URL is tried as a Graph Store itself (Fuseki's
/// dataset URL, oxigraph's `/store`).
pub fn graph_store_candidates(endpoint: &str) -> Vec<String> {
    let base = endpoint.split(['?', '#']).next().unwrap_or(endpoint);
    let base = base.trim_end_matches('/');
    let beside = |stem: &str, names: &[&str]| -> Vec<String> {
        names.iter().map(|n| format!("{stem}/{n}")).collect()
    };
    if let Some(stem) = base.strip_suffix("/sparql-auth") {
        beside(stem, &["sparql-graph-crud-auth"])
    } else if let Some(stem) = base.strip_suffix("/sparql") {
        beside(stem, &["sparql-graph-crud", "data"])
    } else if let Some(stem) = base.strip_suffix("/update") {
        beside(stem, &["store", "data"])
    } else if let Some(stem) = base.strip_suffix("/statements") {
        beside(stem, &["rdf-graphs/service"])
    } else {
        vec![base.to_owned()]
    }
}

/// `url?graph=<iri>`, the IRI percent-encoded as a query value.
fn graph_url(url: &str, graph: &NamedNode) -> String {
    let mut encoded = String::with_capacity(graph.as_str().len() + 16);
    for b in graph.as_str().bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    let joiner = if url.contains('?') { '&' } else { '?' };
    format!("{url}{joiner}graph={encoded}")
}

fn send_graph_store(
    client: &Client,
    policy: RetryPolicy,
    url: &str,
    change: &Change,
) -> Result<Done, PushError> {
    let target = graph_url(url, &change.name);
    let (reply, bytes) = match &change.hash {
        Some(_) => {
            let body = body::ntriples(&change.triples);
            let reply = client.send_with(
                policy,
                Method::Put,
                &target,
                Some("application/n-triples"),
                body.as_bytes(),
            );
            (reply, body.len() as u64)
        }
        None => (
            client.send_with(policy, Method::Delete, &target, None, b""),
            0,
        ),
    };
    let reply = reply.map_err(|source| PushError::Unreachable {
        what: change.describe(),
        url: url.to_owned(),
        source,
    })?;
    // Deleting a graph the server no longer has is what was wanted.
    let gone = change.hash.is_none() && reply.status == 404;
    if !reply.is_success() && !gone {
        return Err(rejected(change.describe(), url, reply));
    }
    Ok(Done {
        changes: vec![summary(change)],
        triples: change.triples.len(),
        bytes,
        requests: 1,
    })
}

fn summary(change: &Change) -> (String, Option<String>, bool) {
    (
        change.name.as_str().to_owned(),
        change.hash.clone(),
        change.document.is_some(),
    )
}

fn rejected(what: String, url: &str, reply: Reply) -> PushError {
    PushError::Rejected {
        what,
        url: url.to_owned(),
        status: reply.status,
        hint: hint(reply.status, &reply.body),
        body: reply.body,
    }
}

fn send_update(
    client: &Client,
    url: &str,
    changes: &[Change],
    per_insert: usize,
) -> Result<Done, PushError> {
    if let [one] = changes {
        if one.triples.len() > per_insert.max(1) && !body::has_blank_nodes(&one.triples) {
            return send_update_in_parts(client, url, one, per_insert.max(1));
        }
    }
    let mut update = String::new();
    for (scope, change) in changes.iter().enumerate() {
        if change.hash.is_some() {
            body::append_replace(&mut update, change.name.as_ref(), &change.triples, scope);
        } else {
            body::append_drop(&mut update, change.name.as_ref());
        }
    }
    let reply = post_update(client, url, &update, || describe(changes))?;
    if !reply.is_success() {
        if changes.len() > 1 && (400..500).contains(&reply.status) && reply.status != 401 {
            // Name the document the server refused: send them one by one (replacing is
            // idempotent, so resending those that pass does no harm).
            let mut done = Done {
                changes: Vec::new(),
                triples: 0,
                bytes: update.len() as u64,
                requests: 1,
            };
            for change in changes {
                let one = send_update(client, url, std::slice::from_ref(change), per_insert)?;
                done.changes.extend(one.changes);
                done.triples += one.triples;
                done.bytes += one.bytes;
                done.requests += one.requests;
            }
            return Ok(done);
        }
        return Err(rejected(describe(changes), url, reply));
    }
    Ok(Done {
        changes: changes.iter().map(summary).collect(),
        triples: changes.iter().map(|c| c.triples.len()).sum(),
        bytes: update.len() as u64,
        requests: 1,
    })
}

/// A graph too large for one INSERT DATA: the first request drops it and inserts the
/// first part, the following ones insert the rest. An error part-way leaves the graph
/// incomplete on the server but unrecorded here, so the next push sends it again whole.
fn send_update_in_parts(
    client: &Client,
    url: &str,
    change: &Change,
    per_insert: usize,
) -> Result<Done, PushError> {
    let parts: Vec<&[Triple]> = change.triples.chunks(per_insert).collect();
    let mut bytes = 0;
    for (n, part) in parts.iter().enumerate() {
        let mut update = String::new();
        if n == 0 {
            body::append_replace(&mut update, change.name.as_ref(), part, 0);
        } else {
            body::append_insert(&mut update, change.name.as_ref(), part, 0);
        }
        let what = || format!("{} (part {} of {})", change.describe(), n + 1, parts.len());
        let reply = post_update(client, url, &update, what)?;
        if !reply.is_success() {
            return Err(rejected(what(), url, reply));
        }
        bytes += update.len() as u64;
    }
    Ok(Done {
        changes: vec![summary(change)],
        triples: change.triples.len(),
        bytes,
        requests: parts.len(),
    })
}

fn post_update(
    client: &Client,
    url: &str,
    update: &str,
    what: impl Fn() -> String,
) -> Result<Reply, PushError> {
    client
        .send(
            Method::Post,
            url,
            Some("application/sparql-update"),
            update.as_bytes(),
        )
        .map_err(|source| PushError::Unreachable {
            what: what(),
            url: url.to_owned(),
            source,
        })
}

/// Reads graphs from the store in one thread and sends them from `in_flight` others;
/// `on_done` sees each accepted request in this thread. Stops at the first error.
fn run_pipeline(
    store: &GraphStore,
    options: &PushOptions,
    client: &Client,
    route: &Route,
    first: Option<Change>,
    plan: impl Iterator<Item = Planned> + Send,
    mut on_done: impl FnMut(Done),
) -> Result<(), PushError> {
    let in_flight = options.in_flight.max(1);
    let batch = match route.protocol {
        Protocol::Update => options.batch.max(1),
        _ => 1,
    };
    let per_insert = options.triples_per_insert.max(1);
    // Keeps an update request to a size servers take in stride, whatever `batch` says.
    let max_triples = per_insert * 20;
    let abort = AtomicBool::new(false);
    let (job_tx, job_rx) = mpsc::sync_channel::<Vec<Change>>(in_flight * 2);
    let job_rx = Arc::new(Mutex::new(job_rx));
    let (done_tx, done_rx) = mpsc::channel::<Result<Done, PushError>>();
    let mut first_error = None;
    std::thread::scope(|scope| {
        let producer_done = done_tx.clone();
        let abort_ref = &abort;
        scope.spawn(move || {
            let mut jobs = Vec::new();
            let mut triples = 0;
            let flush = |jobs: &mut Vec<Change>, triples: &mut usize| -> bool {
                *triples = 0;
                jobs.is_empty() || job_tx.send(std::mem::take(jobs)).is_ok()
            };
            for planned in first
                .into_iter()
                .map(Ok)
                .chain(plan.map(|p| change(store, p)))
            {
                if abort_ref.load(Ordering::Relaxed) {
                    return;
                }
                match planned {
                    Ok(change) => {
                        // A graph sent in parts, or one that would make the request too
                        // large, starts a new request.
                        let large = change.triples.len() > per_insert;
                        if !jobs.is_empty()
                            && (large || triples + change.triples.len() > max_triples)
                            && !flush(&mut jobs, &mut triples)
                        {
                            return;
                        }
                        triples += change.triples.len();
                        jobs.push(change);
                        if (large || jobs.len() >= batch) && !flush(&mut jobs, &mut triples) {
                            return;
                        }
                    }
                    Err(e) => {
                        let _ = producer_done.send(Err(e));
                        return;
                    }
                }
            }
            flush(&mut jobs, &mut triples);
        });
        for _ in 0..in_flight {
            let job_rx = Arc::clone(&job_rx);
            let done_tx = done_tx.clone();
            let abort_ref = &abort;
            scope.spawn(move || loop {
                let job = job_rx.lock().unwrap_or_else(|e| e.into_inner()).recv();
                let Ok(changes) = job else { return };
                if abort_ref.load(Ordering::Relaxed) {
                    return;
                }
                let result = match route.protocol {
                    Protocol::Update => {
                        send_update(client, &route.url, &changes, options.triples_per_insert)
                    }
                    _ => changes
                        .first()
                        .map(|c| send_graph_store(client, client.retry, &route.url, c))
                        .unwrap_or(Ok(Done {
                            changes: Vec::new(),
                            triples: 0,
                            bytes: 0,
                            requests: 0,
                        })),
                };
                if done_tx.send(result).is_err() {
                    return;
                }
            });
        }
        drop(job_rx);
        drop(done_tx);
        for result in done_rx {
            match result {
                Ok(done) => on_done(done),
                Err(e) => {
                    abort.store(true, Ordering::Relaxed);
                    first_error.get_or_insert(e);
                }
            }
        }
    });
    match first_error {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

fn progress_bar(wanted: bool, len: u64) -> ProgressBar {
    if !wanted || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(
        "{bar:30} {pos}/{len} graphs, {msg} [{elapsed_precise}, eta {eta}]",
    ) {
        bar.set_style(style);
    }
    bar
}

#[cfg(test)]
mod tests {
    use super::http::tests::{quick_retries, TestServer};
    use super::*;
    use crate::model::{DocumentGraph, DocumentMeta};

    fn doc(id: &str, hash: &str) -> DocumentGraph {
        DocumentGraph {
            meta: DocumentMeta {
                id: id.into(),
                date: Some("2025-03-04".into()),
                place: None,
                title: Some(format!("A \"quoted\" title\nfor {id}")),
                url: None,
                source: None,
                content_hash: hash.into(),
            },
            statements: Vec::new(),
        }
    }

    fn store_with(docs: Vec<DocumentGraph>) -> (tempfile::TempDir, GraphStore) {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let store = GraphStore::open(&dir.path().join("store")).unwrap_or_else(|e| panic!("{e}"));
        store.load(docs).unwrap_or_else(|e| panic!("{e}"));
        (dir, store)
    }

    fn options(url: &str) -> PushOptions {
        let mut options = PushOptions::new(format!("{url}/update"));
        options.progress = false;
        options.retry = quick_retries();
        options
    }

    #[test]
    fn auto_falls_back_to_update_and_a_second_push_sends_nothing() {
        let (_dir, store) = store_with(vec![doc("a", "h1"), doc("b", "h2")]);
        let server = TestServer::start(10, |seen, _| match seen.method.as_str() {
            "PUT" => (404, vec![], "not found".into()),
            _ => (204, vec![], String::new()),
        });
        let report = push(&store, &options(&server.url)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(report.protocol, Protocol::Update);
        assert_eq!(
            (report.graphs, report.documents, report.requests),
            (2, 2, 1)
        );
        assert!(
            report
                .fallback
                .as_deref()
                .is_some_and(|f| f.contains("/store: HTTP 404")),
            "{report:?}"
        );
        let seen = server.requests();
        let targets: Vec<&str> = seen.iter().map(|s| s.target.as_str()).collect();
        assert_eq!(
            targets,
            [
                "/store?graph=https%3A%2F%2Fw3id.org%2Fgeokg%2Fid%2Fdoc%2Fa",
                "/data?graph=https%3A%2F%2Fw3id.org%2Fgeokg%2Fid%2Fdoc%2Fa",
                "/update"
            ]
        );
        let update = &seen[2];
        assert_eq!(
            update.header("content-type"),
            Some("application/sparql-update")
        );
        for g in ["a", "b"] {
            assert!(update.body.contains(&format!(
                "DROP SILENT GRAPH <https://w3id.org/geokg/id/doc/{g}>"
            )));
        }
        assert!(update.body.contains("\"A \\\"quoted\\\" title\\nfor a\""));

        let again = push(&store, &options(&server.url)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((again.graphs, again.unchanged, again.requests), (0, 2, 0));
        assert_eq!(server.requests().len(), 3);
    }

    #[test]
    fn a_refused_document_is_named_and_not_recorded() {
        let (dir, store) = store_with(vec![doc("a-good", "h1"), doc("bad one", "h2")]);
        let server = TestServer::start(10, |seen, _| {
            if seen.body.contains("doc/bad%20one") {
                (400, vec![], "Parse error at line 7".into())
            } else {
                (204, vec![], String::new())
            }
        });
        let mut options = options(&server.url);
        options.protocol = Protocol::Update;
        let error = push(&store, &options).err().map(|e| e.to_string());
        let error = error.unwrap_or_default();
        assert!(error.contains("document \"bad one\""), "{error}");
        assert!(
            error.contains("HTTP 400") && error.contains("Parse error at line 7"),
            "{error}"
        );
        // The batch, then each document alone to find the culprit ("a-good" passes).
        assert_eq!(server.requests().len(), 3);
        let state = PushState::load(&dir.path().join("store")).unwrap_or_else(|e| panic!("{e}"));
        assert!(!state
            .pushed(&options.endpoint)
            .contains_key("https://w3id.org/geokg/id/doc/bad%20one"));
    }

    #[test]
    fn graph_store_puts_each_graph_and_deletes_removed_documents() {
        let (_dir, store) = store_with(vec![doc("a", "h1"), doc("b", "h2")]);
        let server = TestServer::start(10, |_, _| (201, vec![], String::new()));
        let mut options = options(&server.url);
        options.graph_store = Some(format!("{}/rdf-graphs/service", server.url));
        options.protocol = Protocol::GraphStore;
        let report = push(&store, &options).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(report.protocol, Protocol::GraphStore);
        assert_eq!(report.target, format!("{}/rdf-graphs/service", server.url));
        assert_eq!((report.graphs, report.requests), (2, 2));
        let seen = server.requests();
        assert!(seen.iter().all(|s| s.method == "PUT"
            && s.header("content-type") == Some("application/n-triples")
            && s.body
                .contains("<https://w3id.org/geokg/ontology#contentHash>")));

        store
            .remove(&["a".to_owned()])
            .unwrap_or_else(|e| panic!("{e}"));
        let report = push(&store, &options).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((report.removed, report.graphs, report.unchanged), (1, 0, 1));
        let last = server.requests().pop().map(|s| (s.method, s.target));
        assert_eq!(
            last,
            Some((
                "DELETE".to_owned(),
                "/rdf-graphs/service?graph=https%3A%2F%2Fw3id.org%2Fgeokg%2Fid%2Fdoc%2Fa"
                    .to_owned()
            ))
        );
    }

    #[test]
    fn a_graph_over_the_insert_limit_goes_in_parts_dropped_only_first() {
        let (_dir, store) = store_with(vec![doc("big", "h1")]);
        let triples = store
            .graph_triples(Some(&crate::rdf::vocab::document("big")))
            .filter(Result::is_ok)
            .count();
        assert!(triples > 3, "{triples}");
        let server = TestServer::start(20, |_, _| (200, vec![], String::new()));
        let mut options = options(&server.url);
        options.protocol = Protocol::Update;
        options.triples_per_insert = 3;
        let report = push(&store, &options).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(report.requests, triples.div_ceil(3));
        assert_eq!(report.triples, triples);
        let seen = server.requests();
        assert!(seen[0].body.starts_with("DROP SILENT GRAPH"));
        assert!(seen[1..]
            .iter()
            .all(|s| s.body.starts_with("INSERT DATA") && !s.body.contains("DROP")));
    }

    #[test]
    fn graph_store_urls_are_found_beside_the_update_endpoint() {
        assert_eq!(
            graph_store_candidates("http://h:8890/sparql-auth"),
            ["http://h:8890/sparql-graph-crud-auth"]
        );
        assert_eq!(
            graph_store_candidates("http://h:7878/update"),
            ["http://h:7878/store", "http://h:7878/data"]
        );
        assert_eq!(
            graph_store_candidates("http://h:3030/ds/"),
            ["http://h:3030/ds"]
        );
        assert_eq!(
            graph_store_candidates("http://h/repositories/x/statements"),
            ["http://h/repositories/x/rdf-graphs/service"]
        );
    }

    #[test]
    fn an_unreachable_server_is_reported_without_touching_the_state() {
        let (dir, store) = store_with(vec![doc("a", "h1")]);
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap_or(9);
        let error = push(&store, &options(&format!("http://127.0.0.1:{port}")))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("did not take document \"a\""), "{error}");
        assert!(PushState::load(&dir.path().join("store"))
            .map(|s| s
                .pushed(&format!("http://127.0.0.1:{port}/update"))
                .is_empty())
            .unwrap_or(false));
        assert!(matches!(
            push(&store, &PushOptions::new("ftp://h/x")),
            Err(PushError::BadUrl { .. })
        ));
    }
}
