//! The SPARQL 1.1 Protocol (query, update, service description) and the Graph Store HTTP
//! Protocol over the store.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{BlankNode, Literal, NamedNode, NamedOrBlankNode, Term, Triple};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{CancellationToken, QueryEvaluationError, QueryResults};

use super::negotiate::{self, GRAPH_FORMATS, RESULTS_FORMATS};
use super::{Endpoint, Problem};
use crate::rdf::vocab;
use crate::store::endpoint::{ProtocolDataset, UpdateError};
use crate::store::StoreError;

/// The protocol parameters of one request, from the URL and a url-encoded body.
#[derive(Debug, Default)]
struct Params {
    query: Option<String>,
    update: Option<String>,
    dataset: ProtocolDataset,
    format: Option<String>,
    graph: Option<String>,
    default: bool,
    /// Parameter names the request repeated where one is allowed.
    repeated: Vec<&'static str>,
}

impl Params {
    fn add(&mut self, key: &str, value: String) -> Result<(), Problem> {
        let iri = |value: &str| {
            NamedNode::new(value).map_err(|e| {
                Problem::new(
                    StatusCode::BAD_REQUEST,
                    "invalid graph IRI",
                    format!("{key}={value:?}: {e}"),
                )
            })
        };
        let once = |slot: &mut Option<String>, name: &'static str, repeated: &mut Vec<_>| {
            if slot.is_some() {
                repeated.push(name);
            }
            *slot = Some(value.clone());
        };
        match key {
            "query" => once(&mut self.query, "query", &mut self.repeated),
            "update" => once(&mut self.update, "update", &mut self.repeated),
            // SPARQLWrapper sends both `format` and `output`; the last one wins.
            "format" | "output" => self.format = Some(value),
            "graph" => once(&mut self.graph, "graph", &mut self.repeated),
            "default" => self.default = true,
            "default-graph-uri" | "using-graph-uri" => {
                self.dataset.default_graphs.push(iri(&value)?)
            }
            "named-graph-uri" | "using-named-graph-uri" => {
                self.dataset.named_graphs.push(iri(&value)?)
            }
            _ => {}
        }
        Ok(())
    }

    fn parse(uri: &Uri, form_body: Option<&[u8]>) -> Result<Self, Problem> {
        let mut params = Params::default();
        let url = uri.query().unwrap_or("").as_bytes();
        for (key, value) in
            form_urlencoded::parse(url).chain(form_urlencoded::parse(form_body.unwrap_or_default()))
        {
            params.add(&key, value.into_owned())?;
        }
        if let Some(name) = params.repeated.first() {
            return Err(Problem::new(
                StatusCode::BAD_REQUEST,
                "repeated parameter",
                format!("give {name} once"),
            ));
        }
        Ok(params)
    }
}

fn media_type(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    Some(
        value
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase(),
    )
}

fn accept(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

fn body_text(body: Bytes) -> Result<String, Problem> {
    String::from_utf8(body.to_vec()).map_err(|_| {
        Problem::new(
            StatusCode::BAD_REQUEST,
            "body is not UTF-8",
            "SPARQL text must be UTF-8",
        )
    })
}

fn body_or_problem(body: Result<Bytes, BytesRejection>, limit: usize) -> Result<Bytes, Problem> {
    body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Problem::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "request too large",
                format!("the request body exceeds the server's limit of {limit} bytes (--max-body-bytes)"),
            )
        } else {
            Problem::new(
                rejection.status(),
                "unreadable request body",
                rejection.body_text(),
            )
        }
    })
}

/// `/sparql`: query by GET or POST, update by POST, service description on a bare GET.
pub async fn protocol(
    State(ep): State<Arc<Endpoint>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    match protocol_inner(ep, method, uri, &headers, body).await {
        Ok(response) => response,
        Err(problem) => problem.for_client(&headers).into_response(),
    }
}

async fn protocol_inner(
    ep: Arc<Endpoint>,
    method: Method,
    uri: Uri,
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Problem> {
    let body = body_or_problem(body, ep.options.max_body_bytes)?;
    let mut params = if method == Method::POST {
        match media_type(headers).as_deref() {
            Some("application/x-www-form-urlencoded") => Params::parse(&uri, Some(&body))?,
            Some("application/sparql-query") => {
                let mut p = Params::parse(&uri, None)?;
                p.query = Some(body_text(body)?);
                p
            }
            Some("application/sparql-update") => {
                let mut p = Params::parse(&uri, None)?;
                p.update = Some(body_text(body)?);
                p
            }
            other => {
                return Err(Problem::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "unsupported content type",
                    format!(
                        "POST a query as application/sparql-query or \
                         application/x-www-form-urlencoded (query=...), an update as \
                         application/sparql-update or a form (update=...); got {}",
                        other.unwrap_or("no Content-Type")
                    ),
                ))
            }
        }
    } else {
        Params::parse(&uri, None)?
    };
    match (params.query.take(), params.update.take()) {
        (Some(_), Some(_)) => Err(Problem::new(
            StatusCode::BAD_REQUEST,
            "query and update together",
            "send either a query or an update",
        )),
        (Some(query), None) => run_query(ep, query, params, headers).await,
        (None, Some(_)) if method == Method::GET => Err(Problem::new(
            StatusCode::BAD_REQUEST,
            "update by GET",
            "SPARQL Update must be sent by POST",
        )),
        (None, Some(update)) => {
            ep.authorize_write(headers)?;
            run_update(ep, update, params.dataset).await
        }
        (None, None) if method == Method::GET => service_description(&ep, headers, &params),
        (None, None) => Err(Problem::new(
            StatusCode::BAD_REQUEST,
            "no query",
            "the request carries neither a query nor an update",
        )),
    }
}

/// A finished answer from a blocking evaluation.
struct Answer {
    content_type: &'static str,
    body: Vec<u8>,
    status: StatusCode,
}

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        (
            self.status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static(self.content_type),
            )],
            self.body,
        )
            .into_response()
    }
}

/// Runs `work` on the blocking pool within the server's deadline. At the deadline the
/// token is cancelled and the client answered at once; the work ends at its next check,
/// still holding its query slot so that abandoned work counts against the limit.
async fn within_deadline<T: Send + 'static>(
    ep: &Arc<Endpoint>,
    work: impl FnOnce(&Endpoint, CancellationToken, Instant) -> Result<T, Problem> + Send + 'static,
) -> Result<T, Problem> {
    deadline_run(ep, false, work).await
}

/// As `within_deadline`, but a write is never abandoned: at the deadline its token is
/// cancelled and the answer waits for the transaction to end, so the client learns whether
/// it committed (204) or was rolled back (503).
async fn write_within_deadline<T: Send + 'static>(
    ep: &Arc<Endpoint>,
    work: impl FnOnce(&Endpoint, CancellationToken, Instant) -> Result<T, Problem> + Send + 'static,
) -> Result<T, Problem> {
    deadline_run(ep, true, work).await
}

async fn deadline_run<T: Send + 'static>(
    ep: &Arc<Endpoint>,
    wait_for_outcome: bool,
    work: impl FnOnce(&Endpoint, CancellationToken, Instant) -> Result<T, Problem> + Send + 'static,
) -> Result<T, Problem> {
    let limit = ep.options.timeout;
    let start = Instant::now();
    let deadline = start + limit;
    let permit = tokio::time::timeout(limit, ep.slots.clone().acquire_owned())
        .await
        .map_err(|_| Problem::busy(limit))?
        .map_err(|_| Problem::busy(limit))?;
    let token = CancellationToken::new();
    let worker_token = token.clone();
    let worker_ep = Arc::clone(ep);
    let mut task = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        work(&worker_ep, worker_token, deadline)
    });
    let remaining = deadline.saturating_duration_since(Instant::now());
    let joined =
        match tokio::time::timeout(remaining.max(Duration::from_millis(1)), &mut task).await {
            Ok(joined) => joined,
            Err(_) if wait_for_outcome => {
                token.cancel();
                task.await
            }
            Err(_) => {
                token.cancel();
                return Err(Problem::timeout(limit));
            }
        };
    joined.unwrap_or_else(|join| {
        Err(Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "evaluation failed",
            format!("the worker stopped unexpectedly: {join}"),
        ))
    })
}

fn store_problem(e: StoreError, limit: Duration) -> Problem {
    match e {
        StoreError::Syntax(e) => {
            Problem::new(StatusCode::BAD_REQUEST, "malformed query", e.to_string())
        }
        StoreError::Query(QueryEvaluationError::Cancelled) => Problem::timeout(limit),
        other => evaluation_problem(other.to_string()),
    }
}

fn evaluation_problem(detail: String) -> Problem {
    Problem::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "query evaluation failed",
        detail,
    )
}

fn eval_problem(e: QueryEvaluationError, limit: Duration) -> Problem {
    match e {
        QueryEvaluationError::Cancelled => Problem::timeout(limit),
        other => evaluation_problem(other.to_string()),
    }
}

fn too_many(max: usize, what: &str) -> Problem {
    Problem::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "result too large",
        format!(
            "the answer has more than {max} {what} (--max-results); add a LIMIT, or page \
             with LIMIT and OFFSET"
        ),
    )
}

fn not_acceptable(offers: &[(&str, impl Copy)]) -> Problem {
    let types: Vec<&str> = offers.iter().map(|(m, _)| *m).collect();
    Problem::new(
        StatusCode::NOT_ACCEPTABLE,
        "no acceptable format",
        format!("this answer can be written as: {}", types.join(", ")),
    )
}

fn write_failed(e: std::io::Error) -> Problem {
    Problem::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "serialization failed",
        e.to_string(),
    )
}

fn results_format(
    params_format: Option<&str>,
    accept: Option<&str>,
) -> Result<(&'static str, QueryResultsFormat), Problem> {
    match params_format {
        Some(name) => negotiate::results_format_named(name).ok_or_else(|| {
            Problem::new(
                StatusCode::BAD_REQUEST,
                "unknown format",
                format!("format={name:?}: use json, xml, csv or tsv"),
            )
        }),
        None => negotiate::choose(accept, RESULTS_FORMATS)
            .ok_or_else(|| not_acceptable(RESULTS_FORMATS)),
    }
}

fn graph_format(
    params_format: Option<&str>,
    accept: Option<&str>,
) -> Result<(&'static str, RdfFormat), Problem> {
    match params_format {
        Some(name) => negotiate::graph_format_named(name).ok_or_else(|| {
            Problem::new(
                StatusCode::BAD_REQUEST,
                "unknown format",
                format!("format={name:?}: use turtle, ntriples, jsonld or rdfxml"),
            )
        }),
        None => {
            negotiate::choose(accept, GRAPH_FORMATS).ok_or_else(|| not_acceptable(GRAPH_FORMATS))
        }
    }
}

fn rdf_serializer(format: RdfFormat) -> RdfSerializer {
    let mut serializer = RdfSerializer::from_format(format);
    if matches!(format, RdfFormat::Turtle | RdfFormat::RdfXml) {
        for (prefix, iri) in vocab::PREFIXES {
            if let Ok(with) = serializer.clone().with_prefix(*prefix, *iri) {
                serializer = with;
            }
        }
    }
    serializer
}

/// Writes triples in `format`, stopping at the deadline or past `max` triples.
fn write_triples(
    triples: impl Iterator<Item = Result<Triple, Problem>>,
    format: RdfFormat,
    max: usize,
    token: &CancellationToken,
    deadline: Instant,
    limit: Duration,
) -> Result<Vec<u8>, Problem> {
    let mut out = rdf_serializer(format).for_writer(Vec::new());
    for (n, triple) in triples.enumerate() {
        if token.is_cancelled() || Instant::now() > deadline {
            return Err(Problem::timeout(limit));
        }
        if n >= max {
            return Err(too_many(max, "triples"));
        }
        out.serialize_triple(&triple?).map_err(write_failed)?;
    }
    out.finish().map_err(write_failed)
}

async fn run_query(
    ep: Arc<Endpoint>,
    query: String,
    params: Params,
    headers: &HeaderMap,
) -> Result<Response, Problem> {
    let accept = accept(headers);
    let format = params.format;
    let dataset = params.dataset;
    let answer = within_deadline(&ep, move |ep, token, deadline| {
        let limit = ep.options.timeout;
        let max = ep.options.max_results;
        let results = ep
            .store
            .start_query(&query, &dataset, token.clone())
            .map_err(|e| store_problem(e, limit))?;
        match results {
            QueryResults::Boolean(value) => {
                let (content_type, f) = results_format(format.as_deref(), accept.as_deref())?;
                let body = QueryResultsSerializer::from_format(f)
                    .serialize_boolean_to_writer(Vec::new(), value)
                    .map_err(write_failed)?;
                Ok(Answer {
                    content_type,
                    body,
                    status: StatusCode::OK,
                })
            }
            QueryResults::Solutions(solutions) => {
                let (content_type, f) = results_format(format.as_deref(), accept.as_deref())?;
                let mut out = QueryResultsSerializer::from_format(f)
                    .serialize_solutions_to_writer(Vec::new(), solutions.variables().to_vec())
                    .map_err(write_failed)?;
                for (n, solution) in solutions.enumerate() {
                    let solution = solution.map_err(|e| eval_problem(e, limit))?;
                    if Instant::now() > deadline {
                        return Err(Problem::timeout(limit));
                    }
                    if n >= max {
                        return Err(too_many(max, "solutions"));
                    }
                    out.serialize(solution.iter()).map_err(write_failed)?;
                }
                let body = out.finish().map_err(write_failed)?;
                Ok(Answer {
                    content_type,
                    body,
                    status: StatusCode::OK,
                })
            }
            QueryResults::Graph(triples) => {
                let (content_type, f) = graph_format(format.as_deref(), accept.as_deref())?;
                let triples = triples.map(|t| t.map_err(|e| eval_problem(e, limit)));
                let body = write_triples(triples, f, max, &token, deadline, limit)?;
                Ok(Answer {
                    content_type,
                    body,
                    status: StatusCode::OK,
                })
            }
        }
    })
    .await?;
    Ok(answer.into_response())
}

fn update_problem(e: UpdateError, limit: Duration) -> Problem {
    match e {
        UpdateError::Syntax(e) => {
            Problem::new(StatusCode::BAD_REQUEST, "malformed update", e.to_string())
        }
        UpdateError::Parse { .. } => {
            Problem::new(StatusCode::BAD_REQUEST, "malformed graph", e.to_string())
        }
        UpdateError::Evaluation(e) if e.to_string().contains("cancelled") => {
            Problem::timeout(limit)
        }
        other => Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "update failed",
            other.to_string(),
        ),
    }
}

async fn run_update(
    ep: Arc<Endpoint>,
    update: String,
    dataset: ProtocolDataset,
) -> Result<Response, Problem> {
    if !dataset.default_graphs.is_empty() || !dataset.named_graphs.is_empty() {
        return Err(Problem::new(
            StatusCode::BAD_REQUEST,
            "unsupported parameter",
            "using-graph-uri and using-named-graph-uri are not supported; use USING in the update",
        ));
    }
    write_within_deadline(&ep, move |ep, token, _| {
        ep.store
            .update(&update, token)
            .map_err(|e| update_problem(e, ep.options.timeout))?;
        ep.wrote();
        Ok(())
    })
    .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The SPARQL 1.1 Service Description of this endpoint, in the negotiated RDF format.
fn service_description(
    ep: &Endpoint,
    headers: &HeaderMap,
    params: &Params,
) -> Result<Response, Problem> {
    const SD: &str = "http://www.w3.org/ns/sparql-service-description#";
    const FORMATS: &str = "http://www.w3.org/ns/formats/";
    let sd = |local: &str| NamedNode::new_unchecked(format!("{SD}{local}"));
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_owned)
        .unwrap_or_else(|| ep.options.bind.to_string());
    let service = NamedNode::new(format!("http://{host}/sparql"))
        .map_err(|e| Problem::new(StatusCode::BAD_REQUEST, "bad Host header", e.to_string()))?;
    let subject = NamedOrBlankNode::from(service.clone());
    let rdf_type = NamedNode::new_unchecked("http://www.w3.org/1999/02/22-rdf-syntax-ns#type");
    let mut triples = vec![
        Triple::new(subject.clone(), rdf_type.clone(), sd("Service")),
        Triple::new(subject.clone(), sd("endpoint"), service.clone()),
        Triple::new(
            subject.clone(),
            sd("supportedLanguage"),
            sd("SPARQL11Query"),
        ),
        Triple::new(subject.clone(), sd("feature"), sd("UnionDefaultGraph")),
    ];
    if ep.options.allow_update {
        triples.push(Triple::new(
            subject.clone(),
            sd("supportedLanguage"),
            sd("SPARQL11Update"),
        ));
    }
    for format in [
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "JSON-LD",
        "RDF_XML",
    ] {
        triples.push(Triple::new(
            subject.clone(),
            sd("resultFormat"),
            NamedNode::new_unchecked(format!("{FORMATS}{format}")),
        ));
    }
    let dataset = BlankNode::default();
    let default_graph = BlankNode::default();
    triples.push(Triple::new(
        subject.clone(),
        sd("defaultDataset"),
        dataset.clone(),
    ));
    triples.push(Triple::new(
        dataset.clone(),
        rdf_type.clone(),
        sd("Dataset"),
    ));
    triples.push(Triple::new(
        dataset,
        sd("defaultGraph"),
        default_graph.clone(),
    ));
    triples.push(Triple::new(default_graph.clone(), rdf_type, sd("Graph")));
    triples.push(Triple::new(
        default_graph,
        NamedNode::new_unchecked("http://www.w3.org/2000/01/rdf-schema#comment"),
        Term::from(Literal::new_simple_literal(
            "The union of all named graphs: one graph per document, and the geokg ontology.",
        )),
    ));
    let (content_type, format) =
        graph_format(params.format.as_deref(), accept(headers).as_deref())?;
    let body = write_triples(
        triples.into_iter().map(Ok),
        format,
        usize::MAX,
        &CancellationToken::new(),
        Instant::now() + Duration::from_secs(60),
        Duration::from_secs(60),
    )?;
    Ok(Answer {
        content_type,
        body,
        status: StatusCode::OK,
    }
    .into_response())
}

/// `/store`: the Graph Store HTTP Protocol, indirect graph identification (`?graph=IRI`
/// or `?default`). The default graph here is the store's own, which geokg leaves empty:
/// documents live in named graphs, one per document.
pub async fn graph_store(
    State(ep): State<Arc<Endpoint>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    match graph_store_inner(ep, method, uri, &headers, body).await {
        Ok(response) => response,
        Err(problem) => problem.for_client(&headers).into_response(),
    }
}

async fn graph_store_inner(
    ep: Arc<Endpoint>,
    method: Method,
    uri: Uri,
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Problem> {
    let params = Params::parse(&uri, None)?;
    let graph = match (&params.graph, params.default) {
        (Some(g), false) => Some(NamedNode::new(g.as_str()).map_err(|e| {
            Problem::new(
                StatusCode::BAD_REQUEST,
                "invalid graph IRI",
                format!("graph={g:?}: {e}"),
            )
        })?),
        (None, true) => None,
        _ => {
            return Err(Problem::new(
                StatusCode::BAD_REQUEST,
                "which graph?",
                "name exactly one graph: ?graph=IRI or ?default",
            ))
        }
    };
    let limit = ep.options.timeout;
    if method == Method::GET || method == Method::HEAD {
        let (content_type, format) =
            graph_format(params.format.as_deref(), accept(headers).as_deref())?;
        let answer = within_deadline(&ep, move |ep, token, deadline| {
            if let Some(g) = &graph {
                if !ep.store.has_graph(g).map_err(|e| store_problem(e, limit))? {
                    return Err(Problem::new(
                        StatusCode::NOT_FOUND,
                        "no such graph",
                        format!("the store holds no graph <{}>", g.as_str()),
                    ));
                }
            }
            let triples = ep
                .store
                .graph_triples(graph.as_ref())
                .map(|t| t.map_err(|e| store_problem(e, limit)));
            let body = write_triples(
                triples,
                format,
                ep.options.max_results,
                &token,
                deadline,
                limit,
            )?;
            Ok(Answer {
                content_type,
                body,
                status: StatusCode::OK,
            })
        })
        .await?;
        let mut response = answer.into_response();
        if method == Method::HEAD {
            *response.body_mut() = axum::body::Body::empty();
        }
        return Ok(response);
    }
    ep.authorize_write(headers)?;
    let body = body_or_problem(body, ep.options.max_body_bytes)?;
    if method == Method::DELETE {
        let existed = write_within_deadline(&ep, move |ep, _, _| {
            let existed = ep
                .store
                .drop_graph(graph.as_ref())
                .map_err(|e| store_problem(e, limit))?;
            ep.wrote();
            Ok(existed)
        })
        .await?;
        return Ok(if existed {
            StatusCode::NO_CONTENT
        } else {
            StatusCode::NOT_FOUND
        }
        .into_response());
    }
    let replace = match method {
        Method::PUT => true,
        Method::POST => false,
        _ => {
            return Err(Problem::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method not allowed",
                "use GET, HEAD, PUT, POST or DELETE",
            ))
        }
    };
    let content_type = media_type(headers).unwrap_or_default();
    let format = negotiate::body_format(&content_type).ok_or_else(|| {
        Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported content type",
            format!(
                "send the graph as text/turtle, application/n-triples, application/ld+json or \
                 application/rdf+xml; got {content_type:?}"
            ),
        )
    })?;
    let created = write_within_deadline(&ep, move |ep, _, _| {
        let existed = match &graph {
            Some(g) => ep.store.has_graph(g).map_err(|e| store_problem(e, limit))?,
            None => true,
        };
        ep.store
            .write_graph(graph.as_ref(), format, &body, replace)
            .map_err(|e| update_problem(e, limit))?;
        ep.wrote();
        Ok(!existed)
    })
    .await?;
    Ok(if created {
        StatusCode::CREATED
    } else {
        StatusCode::NO_CONTENT
    }
    .into_response())
}
