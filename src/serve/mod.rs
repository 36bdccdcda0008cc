//! `geokg serve`: the store over HTTP, for programs and for people.
//!
//! - `/sparql` speaks the SPARQL 1.1 Protocol: queries by GET and POST (url-encoded form
//!   or `application/sparql-query`), results negotiated by `Accept` (or `?format=`), a
//!   service description on a bare GET, and SPARQL Update by POST when enabled. Queries
//!   see the union of all graphs as their default graph, as `geokg query` does; updates
//!   see the store's own default graph, as SPARQL Update defines it (use `GRAPH`).
//! - `/store` speaks the SPARQL 1.1 Graph Store HTTP Protocol (`?graph=IRI`, `?default`):
//!   reads always, writes (PUT, POST, DELETE) when enabled.
//! - `/api/...` is the JSON API of the explorer, built on the same `graph` functions as
//!   the command line (see `api`).
//! - `/` is the explorer page, embedded in the binary with the country outlines of its map
//!   (`/countries.json`); it loads nothing from the network.
//!
//! Reads are open; writes need `--allow-update` and the bearer token, compared in constant
//! time. Each query runs on a blocking thread with a deadline: at the deadline the client
//! gets 503 at once and the query's cancellation token is set, which oxigraph checks on
//! every quad it reads (see `store::endpoint` for what that does not cover). A semaphore
//! bounds the queries in flight, so abandoned work cannot pile up: a request that waits
//! for a slot past its own deadline is answered 503 too. Writes are never abandoned: at the
//! deadline their token is cancelled and the answer waits for the transaction, so 204 means
//! committed and 503 means rolled back.
//!
//! What a deadline does not stop: work on intermediate results already in memory (a big
//! ORDER BY or GROUP BY finishes its sort before the next store read notices the token),
//! the explorer API (graph algorithms on the in-memory projection, bounded by its hop and
//! node limits), and clients that send their request slowly (no read timeout).

mod api;
mod sparql;

pub mod negotiate;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use sha2::{Digest, Sha256};
use tokio::sync::Semaphore;

use crate::store::{GraphStore, StoreError};

pub use api::Explorer;

/// How the server behaves; `Default` is what `geokg serve` uses without flags.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Loopback by default: the store is not published to the network unless asked.
    pub bind: SocketAddr,
    /// A query (or graph read) still running after this is cancelled and answered 503.
    pub timeout: Duration,
    /// Most solutions (or triples) one answer may hold; more is answered 413.
    pub max_results: usize,
    /// Largest request body accepted; more is answered 413.
    pub max_body_bytes: usize,
    /// Accept SPARQL Update and graph writes (with the token).
    pub allow_update: bool,
    /// The bearer token writes must carry. Required when `allow_update` is set.
    pub token: Option<String>,
    /// Queries evaluated at once; others wait (within their deadline) for a slot.
    pub max_concurrent: usize,
}

impl Default for ServeOptions {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        ServeOptions {
            bind: SocketAddr::from(([127, 0, 0, 1], 7878)),
            timeout: Duration::from_millis(10_000),
            max_results: 100_000,
            max_body_bytes: 10 * 1024 * 1024,
            allow_update: false,
            token: None,
            max_concurrent: (2 * cores).max(4),
        }
    }
}

/// Why the server could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("--allow-update needs a bearer token: pass --token or set GEOKG_TOKEN")]
    MissingToken,
    #[error("the token is empty; choose a long random string")]
    EmptyToken,
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("the HTTP server failed: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Everything the request handlers share.
pub struct Endpoint {
    store: GraphStore,
    options: ServeOptions,
    /// Bounds the queries evaluated at once (see the module docs).
    slots: Arc<Semaphore>,
    /// Bumped by every write through this server; the explorer re-projects when it moves.
    generation: AtomicU64,
    explorer: Explorer,
    /// SHA-256 of the token, so the comparison takes the same time whatever the guess.
    token_digest: Option<[u8; 32]>,
}

impl Endpoint {
    /// Checks the options (a write-enabled server must have a token) and wraps the store.
    pub fn new(store: GraphStore, options: ServeOptions) -> Result<Arc<Self>, ServeError> {
        let token_digest = match (&options.token, options.allow_update) {
            (Some(t), _) if t.trim().is_empty() => return Err(ServeError::EmptyToken),
            (Some(t), _) => Some(digest(t)),
            (None, true) => return Err(ServeError::MissingToken),
            (None, false) => None,
        };
        Ok(Arc::new(Endpoint {
            store,
            slots: Arc::new(Semaphore::new(options.max_concurrent.max(1))),
            options,
            generation: AtomicU64::new(0),
            explorer: Explorer::default(),
            token_digest,
        }))
    }

    pub fn store(&self) -> &GraphStore {
        &self.store
    }

    pub fn options(&self) -> &ServeOptions {
        &self.options
    }

    fn wrote(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// Refuses a write unless updates are enabled and the request carries the token.
    fn authorize_write(&self, headers: &HeaderMap) -> Result<(), Problem> {
        if !self.options.allow_update {
            return Err(Problem::new(
                StatusCode::FORBIDDEN,
                "updates are disabled",
                "this server is read-only; start it with --allow-update and a token to accept \
                 SPARQL Update and graph writes",
            ));
        }
        let Some(expected) = &self.token_digest else {
            return Err(Problem::new(
                StatusCode::FORBIDDEN,
                "updates are disabled",
                "no token is configured",
            ));
        };
        let offered = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                let (scheme, token) = v.trim().split_once(' ')?;
                scheme
                    .eq_ignore_ascii_case("bearer")
                    .then(|| token.trim().to_owned())
            });
        let challenge = |error: &str| {
            HeaderValue::from_str(&format!("Bearer realm=\"geokg\", error=\"{error}\""))
                .unwrap_or_else(|_| HeaderValue::from_static("Bearer realm=\"geokg\""))
        };
        match offered {
            None => Err(Problem::new(
                StatusCode::UNAUTHORIZED,
                "missing token",
                "writes need an Authorization: Bearer <token> header",
            )
            .with_header(header::WWW_AUTHENTICATE, challenge("invalid_request"))),
            Some(token) if !same_digest(&digest(&token), expected) => Err(Problem::new(
                StatusCode::UNAUTHORIZED,
                "invalid token",
                "the bearer token does not match the server's",
            )
            .with_header(header::WWW_AUTHENTICATE, challenge("invalid_token"))),
            Some(_) => Ok(()),
        }
    }
}

fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// Compares two digests in time independent of where they differ.
fn same_digest(a: &[u8; 32], b: &[u8; 32]) -> bool {
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

/// An error answer: a status, a short title and what to do about it. Written as JSON
/// (`{"status", "error", "detail"}`) for the API and for clients that accept JSON, as one
/// plain-text line otherwise (what SPARQL clients print to their users).
#[derive(Debug)]
pub struct Problem {
    pub status: StatusCode,
    pub title: &'static str,
    pub detail: String,
    json: bool,
    extra: Option<serde_json::Value>,
    headers: Vec<(header::HeaderName, HeaderValue)>,
}

impl Problem {
    pub fn new(status: StatusCode, title: &'static str, detail: impl Into<String>) -> Self {
        Problem {
            status,
            title,
            detail: detail.into(),
            json: false,
            extra: None,
            headers: Vec::new(),
        }
    }

    fn in_json(mut self) -> Self {
        self.json = true;
        self
    }

    /// JSON when the client's `Accept` mentions JSON.
    fn for_client(mut self, headers: &HeaderMap) -> Self {
        self.json |= headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.contains("json"));
        self
    }

    fn with_extra(mut self, extra: serde_json::Value) -> Self {
        self.extra = Some(extra);
        self
    }

    fn with_header(mut self, name: header::HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }

    fn timeout(limit: Duration) -> Self {
        Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "query timed out",
            format!(
                "the query ran longer than the server's limit of {} ms (--timeout-ms) and was \
                 stopped; narrow it (LIMIT, more specific patterns) or ask for a longer limit",
                limit.as_millis()
            ),
        )
    }

    fn busy(limit: Duration) -> Self {
        Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "server busy",
            format!(
                "every query slot stayed busy for {} ms; retry shortly",
                limit.as_millis()
            ),
        )
        .with_header(header::RETRY_AFTER, HeaderValue::from_static("1"))
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let mut response = if self.json {
            let mut body = serde_json::json!({
                "status": self.status.as_u16(),
                "error": self.title,
                "detail": self.detail,
            });
            if let (Some(serde_json::Value::Object(extra)), Some(map)) =
                (self.extra, body.as_object_mut())
            {
                map.extend(extra);
            }
            (self.status, axum::Json(body)).into_response()
        } else {
            (
                self.status,
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/plain; charset=utf-8"),
                )],
                format!("{}: {}\n", self.title, self.detail),
            )
                .into_response()
        };
        for (name, value) in self.headers {
            response.headers_mut().insert(name, value);
        }
        response
    }
}

const INDEX_HTML: &str = include_str!("explorer/index.html");
const APP_JS: &str = include_str!("explorer/app.js");
const STYLE_CSS: &str = include_str!("explorer/style.css");
/// Country outlines for the explorer's map (Natural Earth, public domain; see
/// data/maps/README.md).
const COUNTRIES_JSON: &str = include_str!("../../data/maps/countries-110m.json");

/// An embedded file: `no-cache` (browsers ask again each time, so a new binary's page is
/// never mixed with an old script) with an ETag of its content, so asking again costs a
/// 304 and no body.
fn asset(request: &HeaderMap, content_type: &'static str, body: &'static str) -> Response {
    let hash = Sha256::digest(body.as_bytes());
    let etag: String = hash[..8].iter().map(|b| format!("{b:02x}")).collect();
    let etag = format!("\"{etag}\"");
    let cached = request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        (
            header::ETAG,
            HeaderValue::from_str(&etag).unwrap_or_else(|_| HeaderValue::from_static("\"\"")),
        ),
    ];
    if cached {
        (StatusCode::NOT_MODIFIED, headers).into_response()
    } else {
        (headers, body).into_response()
    }
}

/// All routes, for `serve` and for tests that call the router directly.
pub fn router(endpoint: Arc<Endpoint>) -> Router {
    let body_limit = endpoint.options.max_body_bytes;
    Router::new()
        .route(
            "/",
            get(|h: HeaderMap| async move { asset(&h, "text/html; charset=utf-8", INDEX_HTML) }),
        )
        .route(
            "/app.js",
            get(|h: HeaderMap| async move { asset(&h, "text/javascript; charset=utf-8", APP_JS) }),
        )
        .route(
            "/style.css",
            get(|h: HeaderMap| async move { asset(&h, "text/css; charset=utf-8", STYLE_CSS) }),
        )
        .route(
            "/countries.json",
            get(|h: HeaderMap| async move { asset(&h, "application/json", COUNTRIES_JSON) }),
        )
        .route("/sparql", get(sparql::protocol).post(sparql::protocol))
        .route(
            "/store",
            get(sparql::graph_store)
                .head(sparql::graph_store)
                .put(sparql::graph_store)
                .post(sparql::graph_store)
                .delete(sparql::graph_store),
        )
        .nest("/api", api::routes())
        .fallback(|| async {
            Problem::new(
                StatusCode::NOT_FOUND,
                "not found",
                "see / (explorer), /sparql (SPARQL 1.1 Protocol), /store (Graph Store \
                 Protocol), /api/ (explorer API), /countries.json (the map's outlines)",
            )
        })
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(axum::middleware::from_fn(
            move |request: axum::extract::Request, next: axum::middleware::Next| async move {
                // Refuse a declared oversized body before reading any of it.
                let declared = request
                    .headers()
                    .get(header::CONTENT_LENGTH)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.parse::<u64>().ok());
                if declared.is_some_and(|n| n > body_limit as u64) {
                    return Problem::new(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        "request too large",
                        format!(
                            "the request body exceeds the server's limit of {body_limit} bytes \
                             (--max-body-bytes)"
                        ),
                    )
                    .with_header(header::CONNECTION, HeaderValue::from_static("close"))
                    .into_response();
                }
                next.run(request).await
            },
        ))
        .with_state(endpoint)
}

/// A server running on its own threads, for benchmarks and tests; stops when dropped.
pub struct RunningServer {
    pub addr: SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<Result<(), ServeError>>>,
}

impl RunningServer {
    /// Stops accepting, lets requests in flight finish, and waits.
    pub fn stop(mut self) -> Result<(), ServeError> {
        self.halt()
    }

    fn halt(&mut self) -> Result<(), ServeError> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        match self.thread.take().map(|t| t.join()) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(ServeError::Io(std::io::Error::other(
                "the server thread panicked",
            ))),
            None => Ok(()),
        }
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        let _ = self.halt();
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, ServeError> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("geokg-serve")
        .build()?)
}

async fn listen(addr: SocketAddr) -> Result<tokio::net::TcpListener, ServeError> {
    tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| ServeError::Bind { addr, source })
}

/// Starts the server on background threads (port 0 picks a free port: see `addr`).
pub fn spawn(endpoint: Arc<Endpoint>) -> Result<RunningServer, ServeError> {
    let rt = runtime()?;
    let listener = rt.block_on(listen(endpoint.options.bind))?;
    let addr = listener.local_addr()?;
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    api::start_projection(&endpoint);
    let app = router(endpoint);
    let thread = std::thread::Builder::new()
        .name("geokg-serve".into())
        .spawn(move || {
            rt.block_on(async move {
                axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = rx.await;
                    })
                    .await
            })?;
            Ok(())
        })?;
    Ok(RunningServer {
        addr,
        shutdown: Some(tx),
        thread: Some(thread),
    })
}

/// Serves until interrupted (Ctrl-C), calling `ready` with the bound address first.
pub fn serve(endpoint: Arc<Endpoint>, ready: impl FnOnce(SocketAddr)) -> Result<(), ServeError> {
    let rt = runtime()?;
    rt.block_on(async move {
        let listener = listen(endpoint.options.bind).await?;
        ready(listener.local_addr()?);
        api::start_projection(&endpoint);
        axum::serve(listener, router(endpoint))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await?;
        Ok(())
    })
}

#[cfg(test)]
mod tests;
