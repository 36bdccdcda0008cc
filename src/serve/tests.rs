//! Protocol behaviour through the router (no socket), and one round trip over loopback.

use std::io::{Read, Write};
use std::time::Duration;

use axum::body::{to_bytes, Body};
use axum::http::{Request, StatusCode};
use tower::ServiceExt;

use super::*;
use crate::model::{
    DocumentGraph, DocumentMeta, Location, LocationPrecision, LocationSource, Modality, Node,
    NodeKind, Span, Statement,
};

fn actor(id: &str, label: &str, kind: NodeKind, country: &str) -> Node {
    Node {
        id: id.into(),
        label: label.into(),
        kind,
        actor_code: None,
        country: Some(country.into()),
        wikidata: None,
        role: None,
        mention: None,
    }
}

fn event(
    id: &str,
    subject: &Node,
    object: &Node,
    sentence: &str,
    trigger: &str,
    code: (&str, u8, f64),
) -> Statement {
    let start = sentence.find(trigger).unwrap_or(0);
    let chars = |bytes: usize| sentence[..bytes].chars().count();
    Statement {
        id: id.into(),
        doc: "week".into(),
        sentence: 0,
        evidence: sentence.into(),
        span: Span {
            start: 100,
            end: 100 + sentence.chars().count(),
        },
        trigger_span: Some(Span {
            start: 100 + chars(start),
            end: 100 + chars(start + trigger.len()),
        }),
        subject: subject.clone(),
        object: Some(object.clone()),
        relation: trigger.into(),
        pattern: None,
        cameo: Some(code.0.into()),
        plover: None,
        goldstein: Some(code.2),
        quad_class: Some(code.1),
        date: Some("2025-02-28".into()),
        modality: Modality::Asserted,
        confidence: 0.9,
        source: None,
        entities: Vec::new(),
        location: None,
    }
}

fn washington(label: &str, from: LocationSource) -> Option<Location> {
    Some(Location {
        label: label.into(),
        geonames_id: Some(4140963),
        country: Some("USA".into()),
        admin1: Some("District of Columbia".into()),
        lat: Some(38.89511),
        lon: Some(-77.03637),
        precision: LocationPrecision::City,
        from,
    })
}

/// A store with one document: Trump met Macron at the White House and praised him
/// (Washington, from the dateline), criticised China (no place); Macron visited Kenya
/// (placed only at the country).
fn store() -> (tempfile::TempDir, GraphStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = GraphStore::open(&dir.path().join("store")).unwrap();
    store.load_ontology().unwrap();
    let trump = actor("donald-trump", "Donald Trump", NodeKind::Person, "USA");
    let macron = actor(
        "emmanuel-macron",
        "Emmanuel Macron",
        NodeKind::Person,
        "FRA",
    );
    let china = actor("country-chn", "China", NodeKind::Country, "CHN");
    let kenya = actor("country-ken", "Kenya", NodeKind::Country, "KEN");
    let mut statements = vec![
        event(
            "s0-0",
            &trump,
            &macron,
            "The president met Macron at the White House.",
            "met",
            ("040", 1, 1.0),
        ),
        event(
            "s1-0",
            &trump,
            &macron,
            "Trump praised Macron afterwards.",
            "praised",
            ("051", 1, 3.4),
        ),
        event(
            "s2-0",
            &trump,
            &china,
            "Trump criticised China over tariffs.",
            "criticised",
            ("111", 3, -2.0),
        ),
        event(
            "s3-0",
            &macron,
            &kenya,
            "Macron visited Kenya in March.",
            "visited",
            ("042", 1, 1.9),
        ),
    ];
    statements[0].location = washington("White House, Washington", LocationSource::Sentence);
    statements[1].location = washington("Washington", LocationSource::Dateline);
    statements[3].location = Some(Location {
        label: "Kenya".into(),
        geonames_id: None,
        country: Some("KEN".into()),
        admin1: None,
        lat: None,
        lon: None,
        precision: LocationPrecision::Country,
        from: LocationSource::Sentence,
    });
    let doc = DocumentGraph {
        meta: DocumentMeta {
            id: "week".into(),
            date: Some("2025-02-28".into()),
            place: None,
            title: Some("A week of visits".into()),
            url: None,
            source: None,
            content_hash: "h1".into(),
        },
        statements,
    };
    store.load([doc]).unwrap();
    (dir, store)
}

fn endpoint(options: ServeOptions) -> (tempfile::TempDir, Arc<Endpoint>) {
    let (dir, store) = store();
    (dir, Endpoint::new(store, options).unwrap())
}

fn writable() -> ServeOptions {
    ServeOptions {
        allow_update: true,
        token: Some("s3cret-token".into()),
        ..Default::default()
    }
}

struct Reply {
    status: StatusCode,
    content_type: String,
    headers: axum::http::HeaderMap,
    body: String,
}

async fn send(ep: &Arc<Endpoint>, request: Request<Body>) -> Reply {
    let response = router(Arc::clone(ep)).oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let body = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    Reply {
        status,
        content_type,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

fn get(uri: &str, accept: Option<&str>) -> Request<Body> {
    let mut r = Request::get(uri);
    if let Some(a) = accept {
        r = r.header(header::ACCEPT, a);
    }
    r.body(Body::empty()).unwrap()
}

fn post(uri: &str, content_type: &str, body: &str, token: Option<&str>) -> Request<Body> {
    let mut r = Request::post(uri).header(header::CONTENT_TYPE, content_type);
    if let Some(t) = token {
        r = r.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    r.body(Body::from(body.to_owned())).unwrap()
}

fn encoded(query: &str) -> String {
    form_urlencoded::byte_serialize(query.as_bytes()).collect()
}

const LABELS: &str = "SELECT DISTINCT ?l WHERE { ?a a gk:Person ; rdfs:label ?l } ORDER BY ?l";

#[tokio::test]
async fn select_results_follow_the_accept_header() {
    let (_dir, ep) = endpoint(ServeOptions::default());
    let uri = format!("/sparql?query={}", encoded(LABELS));
    let json = send(&ep, get(&uri, None)).await;
    assert_eq!(json.status, StatusCode::OK);
    assert_eq!(json.content_type, "application/sparql-results+json");
    let parsed: serde_json::Value = serde_json::from_str(&json.body).unwrap();
    let labels: Vec<&str> = parsed["results"]["bindings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|b| b["l"]["value"].as_str())
        .collect();
    assert_eq!(labels, ["Donald Trump", "Emmanuel Macron"]);

    let csv = send(&ep, get(&uri, Some("text/csv"))).await;
    assert_eq!(csv.content_type, "text/csv");
    assert_eq!(csv.body, "l\r\nDonald Trump\r\nEmmanuel Macron\r\n");
    let tsv = send(&ep, get(&uri, Some("text/tab-separated-values"))).await;
    assert!(tsv.body.starts_with("?l\n\"Donald Trump\"\n"));
    let xml = send(&ep, get(&uri, Some("application/sparql-results+xml"))).await;
    assert!(xml.body.contains("<literal>Emmanuel Macron</literal>"));
    let by_param = send(
        &ep,
        get(&format!("{uri}&format=csv"), Some("application/json")),
    )
    .await;
    assert_eq!(by_param.content_type, "text/csv");
    let refused = send(&ep, get(&uri, Some("image/png"))).await;
    assert_eq!(refused.status, StatusCode::NOT_ACCEPTABLE);
}

#[tokio::test]
async fn get_and_both_posts_give_the_same_answer() {
    let (_dir, ep) = endpoint(ServeOptions::default());
    let by_get = send(
        &ep,
        get(&format!("/sparql?query={}", encoded(LABELS)), None),
    )
    .await;
    let by_form = send(
        &ep,
        post(
            "/sparql",
            "application/x-www-form-urlencoded",
            &format!("query={}", encoded(LABELS)),
            None,
        ),
    )
    .await;
    let direct = send(
        &ep,
        post("/sparql", "application/sparql-query", LABELS, None),
    )
    .await;
    assert_eq!(by_get.status, StatusCode::OK);
    assert_eq!(by_get.body, by_form.body);
    assert_eq!(by_get.body, direct.body);
    let unsupported = send(&ep, post("/sparql", "text/plain", LABELS, None)).await;
    assert_eq!(unsupported.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn construct_results_come_in_every_rdf_syntax() {
    let (_dir, ep) = endpoint(ServeOptions::default());
    let q =
        "CONSTRUCT { actor:donald-trump rdfs:label ?l } WHERE { actor:donald-trump rdfs:label ?l }";
    let uri = format!("/sparql?query={}", encoded(q));
    let turtle = send(&ep, get(&uri, None)).await;
    assert_eq!(turtle.content_type, "text/turtle");
    assert!(turtle.body.contains("\"Donald Trump\""));
    for (accept, expect) in [
        (
            "application/n-triples",
            "<https://w3id.org/geokg/id/actor/donald-trump>",
        ),
        ("application/ld+json", "\"@value\""),
        ("application/rdf+xml", "<rdf:RDF"),
    ] {
        let reply = send(&ep, get(&uri, Some(accept))).await;
        assert_eq!(reply.status, StatusCode::OK, "{accept}");
        assert_eq!(reply.content_type, accept);
        assert!(reply.body.contains(expect), "{accept}: {}", reply.body);
    }
    let ask = send(
        &ep,
        get(
            &format!("/sparql?query={}", encoded("ASK { ?s a gk:Event }")),
            None,
        ),
    )
    .await;
    assert!(ask.body.contains("\"boolean\":true"));
}

#[tokio::test]
async fn malformed_queries_are_400_with_a_readable_reason() {
    let (_dir, ep) = endpoint(ServeOptions::default());
    let plain = send(&ep, get("/sparql?query=SELEC%20*", None)).await;
    assert_eq!(plain.status, StatusCode::BAD_REQUEST);
    assert!(plain.body.starts_with("malformed query:"), "{}", plain.body);
    let json = send(
        &ep,
        get(
            "/sparql?query=SELEC%20*",
            Some("application/sparql-results+json"),
        ),
    )
    .await;
    let parsed: serde_json::Value = serde_json::from_str(&json.body).unwrap();
    assert_eq!(parsed["status"], 400);
    let twice = send(&ep, get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D", None)).await;
    assert_eq!(twice.status, StatusCode::BAD_REQUEST);
    let bad_utf8 = send(
        &ep,
        Request::post("/sparql")
            .header(header::CONTENT_TYPE, "application/sparql-query")
            .body(Body::from(vec![0xff, 0xfe, 0x41]))
            .unwrap(),
    )
    .await;
    assert_eq!(bad_utf8.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_bare_get_describes_the_service() {
    let (_dir, ep) = endpoint(ServeOptions::default());
    let reply = send(&ep, get("/sparql", None)).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.content_type, "text/turtle");
    assert!(reply.body.contains("sparql-service-description#Service"));
    assert!(reply.body.contains("SPARQL11Query"));
    assert!(!reply.body.contains("SPARQL11Update"), "read-only server");
}

#[tokio::test]
async fn updates_need_the_flag_and_the_token() {
    let insert = "INSERT DATA { GRAPH <https://example.org/g> { <https://example.org/a> rdfs:label \"added\" } }";
    let (_dir, read_only) = endpoint(ServeOptions::default());
    let refused = send(
        &read_only,
        post("/sparql", "application/sparql-update", insert, Some("x")),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let (_dir2, ep) = endpoint(writable());
    let anonymous = send(
        &ep,
        post("/sparql", "application/sparql-update", insert, None),
    )
    .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert!(anonymous.headers.contains_key(header::WWW_AUTHENTICATE));
    let wrong = send(
        &ep,
        post(
            "/sparql",
            "application/sparql-update",
            insert,
            Some("s3cret-tokem"),
        ),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let by_get = send(
        &ep,
        get(&format!("/sparql?update={}", encoded(insert)), None),
    )
    .await;
    assert_eq!(by_get.status, StatusCode::BAD_REQUEST);

    let accepted = send(
        &ep,
        post(
            "/sparql",
            "application/sparql-update",
            insert,
            Some("s3cret-token"),
        ),
    )
    .await;
    assert_eq!(accepted.status, StatusCode::NO_CONTENT, "{}", accepted.body);
    let form = format!(
        "update={}",
        encoded("DELETE WHERE { GRAPH ?g { ?s rdfs:label \"gone\" } }")
    );
    let by_form = send(
        &ep,
        post(
            "/sparql",
            "application/x-www-form-urlencoded",
            &form,
            Some("s3cret-token"),
        ),
    )
    .await;
    assert_eq!(by_form.status, StatusCode::NO_CONTENT);
    let check = send(
        &ep,
        get(
            &format!(
                "/sparql?query={}",
                encoded("ASK { ?s rdfs:label \"added\" }")
            ),
            None,
        ),
    )
    .await;
    assert!(check.body.contains("true"));
}

#[test]
fn a_writable_server_refuses_to_start_without_a_token() {
    let (_dir, store) = store();
    let options = ServeOptions {
        allow_update: true,
        ..Default::default()
    };
    assert!(matches!(
        Endpoint::new(store, options),
        Err(ServeError::MissingToken)
    ));
}

#[test]
fn token_comparison_sees_every_byte() {
    let a = digest("token-a");
    assert!(same_digest(&a, &digest("token-a")));
    assert!(!same_digest(&a, &digest("token-b")));
}

#[tokio::test]
async fn oversized_bodies_and_answers_are_413() {
    let (_dir, ep) = endpoint(ServeOptions {
        max_body_bytes: 1024,
        max_results: 1,
        ..Default::default()
    });
    let big = format!("{LABELS} # {}", "x".repeat(4096));
    let reply = send(&ep, post("/sparql", "application/sparql-query", &big, None)).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(reply.body.contains("1024 bytes"), "{}", reply.body);
    let two_rows = send(
        &ep,
        get(&format!("/sparql?query={}", encoded(LABELS)), None),
    )
    .await;
    assert_eq!(two_rows.status, StatusCode::PAYLOAD_TOO_LARGE);
    let one_row = format!("{LABELS} LIMIT 1");
    let fits = send(
        &ep,
        get(&format!("/sparql?query={}", encoded(&one_row)), None),
    )
    .await;
    assert_eq!(fits.status, StatusCode::OK);
}

#[tokio::test]
async fn a_query_past_the_deadline_is_stopped_and_the_server_goes_on() {
    let (_dir, ep) = endpoint(ServeOptions {
        timeout: Duration::from_millis(150),
        max_concurrent: 1,
        ..Default::default()
    });
    let slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }";
    let started = std::time::Instant::now();
    let reply = send(&ep, get(&format!("/sparql?query={}", encoded(slow)), None)).await;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(reply.body.contains("150 ms"), "{}", reply.body);
    assert!(started.elapsed() < Duration::from_secs(2));
    // The only query slot comes back once the cancelled evaluation notices its token.
    let mut answered = false;
    for _ in 0..40 {
        let quick = send(
            &ep,
            get(&format!("/sparql?query={}", encoded("ASK {}")), None),
        )
        .await;
        if quick.status == StatusCode::OK {
            answered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(answered, "the cancelled query never released its slot");
}

#[tokio::test]
async fn graph_store_protocol_reads_and_guarded_writes() {
    let (_dir, ep) = endpoint(writable());
    let doc = encoded("https://w3id.org/geokg/id/doc/week");
    let read = send(
        &ep,
        get(
            &format!("/store?graph={doc}"),
            Some("application/n-triples"),
        ),
    )
    .await;
    assert_eq!(read.status, StatusCode::OK);
    assert!(read.body.contains("Trump praised Macron afterwards."));
    let missing = send(
        &ep,
        get(
            &format!("/store?graph={}", encoded("https://example.org/none")),
            None,
        ),
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let unnamed = send(&ep, get("/store", None)).await;
    assert_eq!(unnamed.status, StatusCode::BAD_REQUEST);

    let g = format!("/store?graph={}", encoded("https://example.org/notes"));
    let ttl = "<https://example.org/a> <https://example.org/p> \"note\" .";
    let mut put = post(&g, "text/turtle", ttl, None);
    *put.method_mut() = axum::http::Method::PUT;
    assert_eq!(send(&ep, put).await.status, StatusCode::UNAUTHORIZED);
    let mut put = post(&g, "text/turtle", ttl, Some("s3cret-token"));
    *put.method_mut() = axum::http::Method::PUT;
    assert_eq!(send(&ep, put).await.status, StatusCode::CREATED);
    let again = send(&ep, post(&g, "text/turtle", ttl, Some("s3cret-token"))).await;
    assert_eq!(again.status, StatusCode::NO_CONTENT);
    let broken = send(
        &ep,
        post(&g, "text/turtle", "<a> <b> .", Some("s3cret-token")),
    )
    .await;
    assert_eq!(broken.status, StatusCode::BAD_REQUEST);
    let mut delete = get(&g, None);
    *delete.method_mut() = axum::http::Method::DELETE;
    delete.headers_mut().insert(
        header::AUTHORIZATION,
        HeaderValue::from_static("Bearer s3cret-token"),
    );
    assert_eq!(send(&ep, delete).await.status, StatusCode::NO_CONTENT);
}

/// Polls an API route until the projection is ready.
async fn api_json(ep: &Arc<Endpoint>, uri: &str) -> (StatusCode, serde_json::Value) {
    for _ in 0..100 {
        let reply = send(ep, get(uri, None)).await;
        if reply.status != StatusCode::SERVICE_UNAVAILABLE {
            return (
                reply.status,
                serde_json::from_str(&reply.body).unwrap_or_default(),
            );
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the projection never became ready");
}

#[tokio::test]
async fn the_api_answers_like_the_command_line() {
    let (_dir, ep) = endpoint(ServeOptions::default());
    let (_, found) = api_json(&ep, "/api/actors?q=tru").await;
    assert_eq!(found["actors"][0]["id"], "donald-trump");
    let (_, n) = api_json(&ep, "/api/neighbourhood?actor=Trump").await;
    let ids: Vec<&str> = n["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|x| x["id"].as_str())
        .collect();
    assert_eq!(ids[0], "donald-trump");
    assert_eq!(ids.len(), 3, "Trump, Macron, China: {ids:?}");
    let (_, two) = api_json(&ep, "/api/neighbourhood?actor=donald-trump&hops=2").await;
    assert_eq!(
        two["nodes"].as_array().unwrap().len(),
        4,
        "Kenya is two hops away"
    );
    let macron = n["ties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["b"] == "emmanuel-macron")
        .unwrap();
    assert_eq!(macron["events"], 2);
    assert_eq!(macron["dominant"], 1);

    let (_, tie) = api_json(&ep, "/api/tie?a=donald-trump&b=emmanuel-macron").await;
    let events = tie["events"].as_array().unwrap();
    assert_eq!(events.len(), 2);
    let met = events.iter().find(|e| e["cameo"] == "040").unwrap();
    assert_eq!(
        met["evidence"],
        "The president met Macron at the White House."
    );
    assert_eq!(
        met["trigger"],
        serde_json::json!([14, 17]),
        "'met' in the sentence"
    );
    assert_eq!(met["cameo_name"], "Consult, not specified below");
    assert_eq!(met["doc_title"], "A week of visits");

    let (_, filtered) = api_json(&ep, "/api/neighbourhood?actor=donald-trump&roots=11").await;
    assert_eq!(
        filtered["nodes"].as_array().unwrap().len(),
        2,
        "only the criticism of China"
    );
    let (_, paths) = api_json(&ep, "/api/paths?a=China&b=Kenya").await;
    let actors: Vec<&str> = paths["paths"][0]["actors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["label"].as_str())
        .collect();
    assert_eq!(
        actors,
        ["China", "Donald Trump", "Emmanuel Macron", "Kenya"]
    );
    let (status, unknown) = api_json(&ep, "/api/neighbourhood?actor=Trumpp").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(unknown["suggestions"][0]["id"], "donald-trump");
    let (status, _) = api_json(&ep, "/api/neighbourhood?actor=Trump&from=yesterday").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // The location filters read as on the command line; none of these events is located.
    for bad in [
        "near=91,0&km=5",
        "near=abc&km=5",
        "near=50,30&km=-3",
        "near=50,30",
        "country=Atlantis",
    ] {
        let (status, body) = api_json(&ep, &format!("/api/neighbourhood?actor=Trump&{bad}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
    }
    let (status, _) = api_json(&ep, "/api/neighbourhood?actor=Trump&country=France").await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "no event is located in France"
    );
}

#[tokio::test]
async fn the_map_draws_the_selected_events_where_they_happened() {
    let (_dir, ep) = endpoint(ServeOptions::default());
    // The API's events carry their location.
    let (_, tie) = api_json(&ep, "/api/tie?a=donald-trump&b=emmanuel-macron").await;
    let met = tie["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["cameo"] == "040")
        .unwrap();
    assert_eq!(met["location"]["label"], "White House, Washington");
    assert_eq!(met["location"]["geonames_id"], 4140963);
    assert_eq!(met["location"]["precision"], "city");
    assert_eq!(met["location"]["from"], "sentence");

    // Trump's neighbourhood: two events at Washington (one point, named as most events
    // name it), the criticism of China nowhere; Kenya is two hops away.
    let (status, one) = api_json(&ep, "/api/places?actor=Trump").await;
    assert_eq!(status, StatusCode::OK, "{one}");
    assert_eq!(one["events"], 3);
    assert_eq!(one["at_places"], 2);
    assert_eq!(one["in_countries"], 0);
    assert_eq!(one["unlocated"], 1);
    let places = one["places"].as_array().unwrap();
    assert_eq!(places.len(), 1, "{places:?}");
    assert_eq!(places[0]["id"], "g:4140963");
    assert_eq!(places[0]["events"], 2);
    assert_eq!(places[0]["country"], "USA");
    assert_eq!(places[0]["lat"], 38.89511);
    assert_eq!(places[0]["quad_classes"]["verbal_cooperation"], 2);
    assert_eq!(places[0]["dominant"], 1);
    assert_eq!(
        places[0]["names"],
        serde_json::json!(["Washington", "White House, Washington"])
    );

    // Two hops reach Macron's visit to Kenya: a country to shade, not a point.
    let (_, two) = api_json(&ep, "/api/places?actor=Trump&hops=2").await;
    assert_eq!(two["events"], 4);
    assert_eq!(two["in_countries"], 1);
    assert_eq!(two["countries"][0]["id"], "c:KEN");
    assert_eq!(two["countries"][0]["label"], "Kenya");
    assert!(two["countries"][0].get("lat").is_none());

    // Filters narrow the selection as they narrow the graph.
    let (_, praise) = api_json(&ep, "/api/places?actor=Trump&roots=05").await;
    assert_eq!(praise["places"][0]["events"], 1);
    assert_eq!(praise["places"][0]["label"], "Washington");

    // A path's hops: China - Trump - Macron - Kenya.
    let (_, path) = api_json(
        &ep,
        "/api/places?path=country-chn,donald-trump,emmanuel-macron,country-ken",
    )
    .await;
    assert_eq!(path["events"], 4);
    assert_eq!(path["countries"].as_array().unwrap().len(), 1);

    // One place's events, as cards.
    let (status, at) = api_json(&ep, "/api/place?actor=Trump&place=g:4140963").await;
    assert_eq!(status, StatusCode::OK);
    let events = at["events"].as_array().unwrap();
    assert_eq!(events.len(), 2);
    assert!(events.iter().all(|e| e["location"]["country"] == "USA"));
    assert_eq!(at["place"]["label"], "Washington");
    let (_, kenya) = api_json(&ep, "/api/place?actor=Trump&hops=2&place=c:KEN").await;
    assert_eq!(
        kenya["events"][0]["evidence"],
        "Macron visited Kenya in March."
    );

    let (status, _) = api_json(&ep, "/api/place?actor=Trump&place=c:KEN").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "Kenya is not in one hop");
    let (status, _) = api_json(&ep, "/api/places").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "no selection");
    let (status, _) = api_json(&ep, "/api/places?path=Trump,nobody-at-all").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_map_outlines_are_embedded_and_revalidate_cheaply() {
    let (_dir, ep) = endpoint(ServeOptions::default());
    let reply = send(&ep, get("/countries.json", None)).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.content_type, "application/json");
    assert_eq!(reply.headers[header::CACHE_CONTROL], "no-cache");
    let map: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    let countries = map["countries"].as_array().unwrap();
    assert!(countries.len() > 170, "{} countries", countries.len());
    for iso3 in ["USA", "UKR", "RUS", "KEN", "FRA", "CHN", "XKX"] {
        let c = countries.iter().find(|c| c["iso3"] == iso3);
        assert!(
            c.is_some_and(|c| c["d"].as_str().is_some_and(|d| d.starts_with('M'))),
            "{iso3} has an outline"
        );
    }
    let usa = countries.iter().find(|c| c["iso3"] == "USA").unwrap();
    // The box of the contiguous states (not Alaska, across the antimeridian).
    let bbox: Vec<f64> = serde_json::from_value(usa["bbox"].clone()).unwrap();
    assert!(bbox[0] > -130.0 && bbox[2] < -60.0 && bbox[1] > 20.0 && bbox[3] < 50.0);

    // Asked again with its ETag: 304, no body.
    let etag = reply.headers[header::ETAG].to_str().unwrap().to_owned();
    let again = Request::get("/countries.json")
        .header(header::IF_NONE_MATCH, &etag)
        .body(Body::empty())
        .unwrap();
    let cached = send(&ep, again).await;
    assert_eq!(cached.status, StatusCode::NOT_MODIFIED);
    assert!(cached.body.is_empty());
    let stale = Request::get("/app.js")
        .header(header::IF_NONE_MATCH, &etag)
        .body(Body::empty())
        .unwrap();
    assert_eq!(
        send(&ep, stale).await.status,
        StatusCode::OK,
        "another file's ETag"
    );
}

#[tokio::test]
async fn the_explorer_follows_writes_to_the_store() {
    let (_dir, ep) = endpoint(writable());
    let (_, before) = api_json(&ep, "/api/summary").await;
    assert_eq!(before["documents"], 1);
    let drop = format!(
        "update={}",
        encoded("DROP GRAPH <https://w3id.org/geokg/id/doc/week>")
    );
    let reply = send(
        &ep,
        post(
            "/sparql",
            "application/x-www-form-urlencoded",
            &drop,
            Some("s3cret-token"),
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    let mut documents = before["documents"].clone();
    for _ in 0..100 {
        let (_, now) = api_json(&ep, "/api/summary").await;
        documents = now["documents"].clone();
        if documents == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(documents, 0);
}

#[test]
fn the_page_is_served_over_loopback_with_its_assets() {
    let (_dir, store) = store();
    let ep = Endpoint::new(
        store,
        ServeOptions {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            ..Default::default()
        },
    )
    .unwrap();
    let server = spawn(ep).unwrap();
    let fetch = |path: &str| {
        let mut stream = std::net::TcpStream::connect(server.addr).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut text = String::new();
        stream.read_to_string(&mut text).unwrap();
        text
    };
    let page = fetch("/");
    assert!(page.starts_with("HTTP/1.1 200"));
    assert!(page.contains("<script src=\"/app.js\">"));
    assert!(
        !page.contains("https://"),
        "the page loads nothing from the network"
    );
    assert!(fetch("/app.js").contains("text/javascript"));
    assert!(fetch("/style.css").starts_with("HTTP/1.1 200"));
    assert!(fetch("/countries.json").starts_with("HTTP/1.1 200"));
    assert!(fetch("/nowhere").starts_with("HTTP/1.1 404"));
    server.stop().unwrap();
}

#[tokio::test]
async fn an_update_past_the_deadline_is_rolled_back_and_reported() {
    let (_dir, ep) = endpoint(ServeOptions {
        timeout: Duration::from_millis(150),
        ..writable()
    });
    // Updates see the store's own default graph (empty), not the union: name the graphs.
    let slow =
        "INSERT { GRAPH <https://example.org/g> { <https://example.org/n> rdfs:label ?n } } \
                WHERE { { SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?x { ?a ?b ?c } GRAPH ?y { ?d ?e ?f } GRAPH ?z { ?g ?h ?i } } } }";
    let reply = send(
        &ep,
        post(
            "/sparql",
            "application/sparql-update",
            slow,
            Some("s3cret-token"),
        ),
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        reply.body
    );
    let check = send(
        &ep,
        get(
            &format!(
                "/sparql?query={}",
                encoded("ASK { GRAPH <https://example.org/g> { ?s ?p ?o } }")
            ),
            None,
        ),
    )
    .await;
    assert!(
        check.body.contains("false"),
        "nothing was written: {}",
        check.body
    );
}
