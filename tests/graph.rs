//! End-to-end behaviour of the actor graph through the public API: projection, lookup,
//! paths, neighbourhoods, timelines, rankings and exports, on a small fictional world.
//!
//! Set GEOKG_EXPORT_DIR to keep the exports of the fictional world (plus counts.json) for
//! `.ci/validate-exports.sh`.

use std::collections::HashMap;

use geokg::export::{export, export_dir, export_with, ExportFormat, ExportOptions};
use geokg::graph::{
    k_shortest_paths, neighbors, neighbourhood_nodes, rank, timeline, timeline_scoped, ActorGraph,
    Centrality, Collapse, GraphError, HopDirection, LookupError, ProjectionOptions, TimelineScope,
};
use geokg::model::{
    Location, LocationPrecision, LocationSource, Modality, Node, NodeKind, Span, Statement,
};

fn node(
    id: &str,
    label: &str,
    kind: NodeKind,
    country: Option<&str>,
    code: Option<&str>,
    qid: Option<&str>,
) -> Node {
    Node {
        id: id.into(),
        label: label.into(),
        kind,
        actor_code: code.map(Into::into),
        country: country.map(Into::into),
        wikidata: qid.map(Into::into),
        role: None,
        mention: None,
    }
}

fn alice() -> Node {
    node(
        "alice-marlow",
        "Alice Marlow",
        NodeKind::Person,
        Some("ARD"),
        Some("ARDGOV"),
        Some("Q9001"),
    )
}
fn bob() -> Node {
    node(
        "bob-fenwick",
        "Bob Fenwick",
        NodeKind::Person,
        Some("BRV"),
        Some("BRVGOV"),
        None,
    )
}
fn carol() -> Node {
    node(
        "carol-marlow",
        "Carol Marlow",
        NodeKind::Person,
        Some("CST"),
        None,
        None,
    )
}
fn ardenia() -> Node {
    node(
        "country-ard",
        "Ardenia",
        NodeKind::Country,
        Some("ARD"),
        Some("ARD"),
        Some("Q1001"),
    )
}
fn brevia() -> Node {
    node(
        "country-brv",
        "Brevia",
        NodeKind::Country,
        Some("BRV"),
        Some("BRV"),
        None,
    )
}
fn league() -> Node {
    node(
        "league-of-ports",
        "League of Ports",
        NodeKind::Organisation,
        None,
        Some("IGOLOP"),
        None,
    )
}
fn accord() -> Node {
    node(
        "harbour-accord",
        "Harbour Accord",
        NodeKind::Agreement,
        None,
        None,
        None,
    )
}

#[allow(clippy::too_many_arguments)]
fn event(
    id: &str,
    doc: &str,
    subject: Node,
    object: Option<Node>,
    relation: &str,
    cameo: Option<&str>,
    quad: Option<u8>,
    goldstein: Option<f64>,
    date: Option<&str>,
    evidence: &str,
) -> Statement {
    Statement {
        id: id.into(),
        doc: doc.into(),
        sentence: 0,
        evidence: evidence.into(),
        span: Span {
            start: 0,
            end: evidence.chars().count(),
        },
        trigger_span: None,
        subject,
        object,
        relation: relation.into(),
        pattern: None,
        cameo: cameo.map(Into::into),
        plover: None,
        goldstein,
        quad_class: quad,
        date: date.map(Into::into),
        modality: Modality::Asserted,
        confidence: 0.9,
        source: None,
        entities: Vec::new(),
        location: None,
    }
}

/// A fictional world: Alice (Ardenia) and Bob (Brevia) meet twice; Bob and Carol quarrel;
/// Carol threatens Ardenia; Ardenia and Brevia sign the Harbour Accord in 2024; the League
/// of Ports helps Brevia and scolds Carol; Ardenia invites Alice.
fn world() -> Vec<Statement> {
    let mut sign = event(
        "s1-0",
        "d3",
        ardenia(),
        Some(brevia()),
        "sign",
        Some("057"),
        Some(1),
        Some(8.0),
        Some("2024"),
        "Ardenia and Brevia signed the Harbour Accord.",
    );
    sign.entities = vec![accord()];
    let mut statements = vec![
        event(
            "s0-0",
            "d1",
            alice(),
            Some(bob()),
            "meet",
            Some("040"),
            Some(1),
            Some(1.0),
            Some("2025-01-02"),
            "Alice Marlow met Bob Fenwick in the port city.",
        ),
        event(
            "s1-0",
            "d1",
            bob(),
            Some(carol()),
            "criticize",
            Some("111"),
            Some(3),
            Some(-2.0),
            Some("2025-01-05"),
            "Bob Fenwick criticised Carol Marlow.",
        ),
        event(
            "s0-0",
            "d2",
            bob(),
            Some(alice()),
            "meet",
            Some("042"),
            Some(1),
            Some(1.9),
            Some("2025-01-10"),
            "Bob Fenwick travelled to meet Alice Marlow again.",
        ),
        event(
            "s1-0",
            "d2",
            carol(),
            Some(ardenia()),
            "threaten",
            Some("138"),
            Some(3),
            Some(-7.0),
            Some("2025-02-01"),
            "Carol Marlow threatened Ardenia with a blockade.",
        ),
        sign,
        event(
            "s2-0",
            "d3",
            league(),
            None,
            "say",
            Some("010"),
            Some(1),
            Some(0.0),
            Some("2025-03-01"),
            "The League of Ports said little.",
        ),
        event(
            "s3-0",
            "d3",
            carol(),
            Some(bob()),
            "accuse",
            Some("112"),
            Some(3),
            Some(-2.0),
            None,
            "Carol Marlow accused Bob Fenwick of lying.",
        ),
        event(
            "s4-0",
            "d3",
            accord(),
            Some(brevia()),
            "concerns",
            None,
            None,
            None,
            Some("2024"),
            "The Harbour Accord covers Brevian ports.",
        ),
        event(
            "s5-0",
            "d4",
            ardenia(),
            Some(alice()),
            "invite",
            Some("036"),
            Some(1),
            Some(4.0),
            Some("2025-01-15"),
            "Ardenia invited Alice Marlow to speak.",
        ),
        event(
            "s6-0",
            "d4",
            league(),
            Some(brevia()),
            "cooperate",
            Some("061"),
            Some(2),
            Some(6.4),
            Some("2025-02-10"),
            "The League of Ports backed Brevia's shipyards.",
        ),
        event(
            "s7-0",
            "d4",
            league(),
            Some(carol()),
            "criticize",
            Some("111"),
            Some(3),
            Some(-2.0),
            Some("2025-02-12"),
            "The League of Ports rebuked Carol Marlow.",
        ),
    ];
    locate(&mut statements);
    statements
}

fn place(
    label: &str,
    country: &str,
    precision: LocationPrecision,
    at: Option<(f64, f64)>,
) -> Location {
    Location {
        label: label.into(),
        geonames_id: None,
        country: Some(country.into()),
        admin1: None,
        lat: at.map(|p| p.0),
        lon: at.map(|p| p.1),
        precision,
        from: LocationSource::Sentence,
    }
}

/// Port Ardent (Ardenia), Brevik (Brevia, about 97 km east-north-east of Port Ardent) and
/// the Brevik Coast region (about 195 km away): the two meetings, the signing, the
/// invitation and the shipyard deal have points; the threat is placed only in Ardenia; the
/// quarrels, the accusation and the accord's link are not located.
fn locate(statements: &mut [Statement]) {
    let port_ardent = || {
        place(
            "Port Ardent",
            "ARD",
            LocationPrecision::City,
            Some(PORT_ARDENT),
        )
    };
    for s in statements.iter_mut() {
        s.location = match (s.doc.as_str(), s.id.as_str()) {
            ("d1", "s0-0") | ("d3", "s1-0") | ("d4", "s5-0") => Some(port_ardent()),
            ("d2", "s0-0") => Some(place(
                "Brevik",
                "BRV",
                LocationPrecision::City,
                Some((44.5, 9.0)),
            )),
            ("d2", "s1-0") => Some(place("Ardenia", "ARD", LocationPrecision::Country, None)),
            ("d4", "s6-0") => Some(place(
                "Brevik Coast",
                "BRV",
                LocationPrecision::Admin1,
                Some((45.0, 10.0)),
            )),
            _ => None,
        };
    }
}

const PORT_ARDENT: (f64, f64) = (44.0, 8.0);

fn graph(options: &ProjectionOptions) -> ActorGraph {
    ActorGraph::project(&world(), options).expect("valid options")
}

fn ix(g: &ActorGraph, id: &str) -> petgraph::graph::NodeIndex {
    g.node_index(id).unwrap_or_else(|| panic!("{id} missing"))
}

#[test]
fn projection_keeps_actors_and_events_and_leaves_entities_out() {
    let g = graph(&ProjectionOptions::default());
    // 7 actors: alice, bob, carol, ardenia, brevia, league; the accord is not an actor.
    assert_eq!(g.node_count(), 6);
    assert!(g.node_index("harbour-accord").is_none());
    // 11 statements - 1 without object - 1 from the accord.
    assert_eq!(g.edge_count(), 9);
    let bob = g.actor(ix(&g, "bob-fenwick"));
    assert_eq!(bob.mentions, 4);
    assert_eq!(bob.first_seen.as_deref(), Some("2025-01-02"));
    assert_eq!(bob.last_seen.as_deref(), Some("2025-01-10"));
    // A coarse date opens the period; the precise dates after it close it.
    let ardenia = g.actor(ix(&g, "country-ard"));
    assert_eq!(ardenia.first_seen.as_deref(), Some("2024"));
    assert_eq!(ardenia.last_seen.as_deref(), Some("2025-02-01"));
    // The subject-only statement still counts as a mention.
    assert_eq!(g.actor(ix(&g, "league-of-ports")).mentions, 3);
}

#[test]
fn entities_join_when_asked() {
    let g = graph(&ProjectionOptions {
        include_entities: true,
        ..Default::default()
    });
    let accord = ix(&g, "harbour-accord");
    assert_eq!(g.actor(accord).kind, NodeKind::Agreement);
    let t = timeline(&g, accord, None);
    let relations: Vec<&str> = t.events.iter().map(|e| e.edge.relation.as_str()).collect();
    assert!(
        t.events[0].edge.cameo.is_none(),
        "an involves link is not a coded event"
    );
    assert_eq!(
        relations,
        vec!["involves", "concerns"],
        "the signing involves it; it concerns Brevia"
    );
}

#[test]
fn date_range_keeps_coarse_dates_that_overlap() {
    let jan = graph(&ProjectionOptions {
        from: Some("2025-01-03".into()),
        to: Some("2025-01-31".into()),
        ..Default::default()
    });
    let docs: Vec<(String, String)> = jan
        .graph()
        .edge_weights()
        .map(|e| (e.doc.clone(), e.statement.clone()))
        .collect();
    assert_eq!(docs.len(), 3, "{docs:?}");
    assert!(jan
        .graph()
        .edge_weights()
        .all(|e| e.date.as_deref().is_some_and(|d| d.starts_with("2025-01"))));

    let late_2024 = graph(&ProjectionOptions {
        from: Some("2024-06-01".into()),
        to: Some("2024-12".into()),
        ..Default::default()
    });
    assert_eq!(
        late_2024.edge_count(),
        1,
        "the 2024 signing overlaps the second half of 2024"
    );
    assert_eq!(
        late_2024
            .graph()
            .edge_weights()
            .next()
            .map(|e| e.relation.as_str()),
        Some("sign")
    );

    let bad = ActorGraph::project(
        &world(),
        &ProjectionOptions {
            from: Some("Jan 2025".into()),
            ..Default::default()
        },
    );
    assert!(matches!(
        bad,
        Err(GraphError::BadDate { field: "from", .. })
    ));
}

#[test]
fn cameo_quad_kind_country_and_activity_filters() {
    let meetings = graph(&ProjectionOptions {
        cameo_roots: vec!["04".into()],
        ..Default::default()
    });
    assert_eq!(meetings.edge_count(), 2);
    let conflict = graph(&ProjectionOptions {
        quad_classes: vec![3, 4],
        ..Default::default()
    });
    assert_eq!(conflict.edge_count(), 4);
    let people = graph(&ProjectionOptions {
        kinds: vec![NodeKind::Person],
        ..Default::default()
    });
    assert_eq!(people.node_count(), 3);
    assert_eq!(people.edge_count(), 4, "meet x2, criticise, accuse");
    let ardenian = graph(&ProjectionOptions {
        countries: vec!["ard".into()],
        ..Default::default()
    });
    let ids: Vec<&str> = ardenian
        .graph()
        .node_weights()
        .map(|n| n.id.as_str())
        .collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert_eq!(ardenian.edge_count(), 1, "Ardenia invited Alice");
    let active = graph(&ProjectionOptions {
        min_events: 4,
        ..Default::default()
    });
    let mut ids: Vec<&str> = active
        .graph()
        .node_weights()
        .map(|n| n.id.as_str())
        .collect();
    ids.sort();
    assert_eq!(ids, vec!["bob-fenwick", "carol-marlow"]);
    assert_eq!(active.edge_count(), 2);
}

fn edge_ids(g: &ActorGraph) -> Vec<String> {
    let pg = g.graph();
    let mut ids: Vec<String> = pg
        .edge_weights()
        .map(|e| format!("{}/{}", e.doc, e.statement))
        .collect();
    ids.sort();
    ids
}

#[test]
fn country_filter_keeps_events_located_there_whoever_took_part() {
    let ardenia = graph(&ProjectionOptions {
        located_in: vec!["ARD".into()],
        ..Default::default()
    });
    // Both meetings in Port Ardent, the signing and the invitation have a point there; the
    // threat is placed only in Ardenia, which is enough for a country.
    assert_eq!(
        edge_ids(&ardenia),
        ["d1/s0-0", "d2/s1-0", "d3/s1-0", "d4/s5-0"]
    );
    assert!(
        ardenia.node_index("bob-fenwick").is_some(),
        "a Brevian met in Ardenia is kept"
    );
    let brevia = graph(&ProjectionOptions {
        located_in: vec![" brv ".into()],
        ..Default::default()
    });
    assert_eq!(edge_ids(&brevia), ["d2/s0-0", "d4/s6-0"]);
    let either = graph(&ProjectionOptions {
        located_in: vec!["ARD".into(), "BRV".into()],
        ..Default::default()
    });
    assert_eq!(either.edge_count(), 6, "unlocated events match no country");
    let events = timeline(&ardenia, ix(&ardenia, "alice-marlow"), None);
    let dates: Vec<_> = events
        .events
        .iter()
        .map(|e| e.event.edge.date.as_deref())
        .collect();
    assert_eq!(dates, [Some("2025-01-02"), Some("2025-01-15")]);
}

#[test]
fn near_keeps_events_whose_point_is_within_the_radius() {
    use geokg::graph::{GeoPoint, LocationMisses, Near};
    let port = GeoPoint::new(PORT_ARDENT.0, PORT_ARDENT.1).expect("point");
    let brevik = GeoPoint::new(44.5, 9.0).expect("point");
    let to_brevik = port.distance_km(brevik);
    assert!((90.0..100.0).contains(&to_brevik), "{to_brevik}");
    let near = |km: f64| ProjectionOptions {
        near: Some(Near::new(port, km).expect("valid")),
        ..Default::default()
    };
    let (close, misses) = ActorGraph::project_reporting(&world(), &near(50.0)).expect("projects");
    assert_eq!(edge_ids(&close), ["d1/s0-0", "d3/s1-0", "d4/s5-0"]);
    assert_eq!(
        misses,
        LocationMisses {
            unlocated: 3,
            no_point: 1,
            elsewhere: 2
        },
        "the quarrels and the accusation have no location, the threat only a country, \
         Brevik and the coast are too far"
    );
    let wider = graph(&near(150.0));
    assert_eq!(
        edge_ids(&wider),
        ["d1/s0-0", "d2/s0-0", "d3/s1-0", "d4/s5-0"]
    );
    // The boundary is inside; a metre less leaves Brevik out.
    let has_brevik = |km: f64| edge_ids(&graph(&near(km))).contains(&"d2/s0-0".to_string());
    assert!(has_brevik(to_brevik));
    assert!(!has_brevik(to_brevik - 0.001));
    // Both location filters together: in Brevia and within 150 km.
    let both = graph(&ProjectionOptions {
        located_in: vec!["BRV".into()],
        ..near(150.0)
    });
    assert_eq!(edge_ids(&both), ["d2/s0-0"]);
    // A radius the command line would refuse is refused here too.
    let bad = ActorGraph::project(
        &world(),
        &ProjectionOptions {
            near: Some(Near {
                centre: GeoPoint {
                    lat: 91.0,
                    lon: 0.0,
                },
                km: 10.0,
            }),
            ..Default::default()
        },
    );
    assert!(matches!(bad, Err(GraphError::BadNear(_))), "{bad:?}");
}

#[test]
fn actors_are_placed_where_most_of_their_events_happened_and_countries_at_their_capital() {
    use geokg::export::{node_places, PlaceFrom};
    let g = graph(&ProjectionOptions::default());
    let places = node_places(&g);
    let at = |id: &str| places[ix(&g, id).index()].clone();
    let hers = at("alice-marlow").expect("Alice has located events");
    assert_eq!(
        (hers.label.as_str(), hers.from),
        ("Port Ardent", PlaceFrom::Events),
        "two of her three located events"
    );
    assert_eq!((hers.point.lat, hers.point.lon), PORT_ARDENT);
    let bob = at("bob-fenwick").expect("Bob has located events");
    assert_eq!(bob.label, "Port Ardent", "one each: the place seen first");
    assert_eq!(
        at("league-of-ports").map(|p| p.label),
        Some("Brevik Coast".into()),
        "a region's point counts"
    );
    assert_eq!(
        at("carol-marlow"),
        None,
        "her only located event is a country"
    );
    assert_eq!(at("country-ard"), None, "no capital is known for Ardenia");

    // Real countries stand at their capitals, a place entity at itself.
    let mut ukraine = ardenia();
    ukraine.id = "country-ukr".into();
    ukraine.label = "Ukraine".into();
    ukraine.country = Some("UKR".into());
    let lviv = node("lviv", "Lviv", NodeKind::Place, Some("UKR"), None, None);
    let mut visit = event(
        "s0-0",
        "d9",
        alice(),
        Some(ukraine),
        "visit",
        Some("042"),
        Some(1),
        Some(1.9),
        Some("2025-05-01"),
        "Alice Marlow visited Ukraine.",
    );
    visit.entities = vec![lviv];
    let g = ActorGraph::project(
        &[visit],
        &ProjectionOptions {
            include_entities: true,
            ..Default::default()
        },
    )
    .expect("projects");
    let places = node_places(&g);
    let kyiv = places[ix(&g, "country-ukr").index()]
        .clone()
        .expect("Ukraine's capital");
    assert_eq!(
        (kyiv.label.as_str(), kyiv.from),
        ("Kyiv", PlaceFrom::Capital)
    );
    assert!((kyiv.point.lat - 50.45).abs() < 0.05 && (kyiv.point.lon - 30.52).abs() < 0.05);
    let lviv = places[ix(&g, "lviv").index()]
        .clone()
        .expect("Lviv is a place");
    assert_eq!(lviv.from, PlaceFrom::Own);
    assert!((lviv.point.lat - 49.84).abs() < 0.05 && (lviv.point.lon - 24.03).abs() < 0.05);
    assert_eq!(
        places[ix(&g, "alice-marlow").index()],
        None,
        "an unlocated visit places no one"
    );
}

#[test]
fn exports_carry_numeric_latitude_and_longitude_for_placed_nodes_only() {
    let g = graph(&ProjectionOptions::default());
    let graphml = String::from_utf8(render(&g, ExportFormat::GraphMl)).expect("UTF-8");
    assert!(graphml.contains(r#"attr.name="latitude" attr.type="double""#));
    assert!(graphml.contains(r#"attr.name="longitude" attr.type="double""#));
    assert_eq!(graphml.matches(r#"<data key="n_latitude">"#).count(), 3);
    assert!(graphml.contains(r#"<data key="n_latitude">44.0</data>"#));
    let gexf = String::from_utf8(render(&g, ExportFormat::Gexf)).expect("UTF-8");
    assert!(gexf.contains(r#"<attribute id="latitude" title="latitude" type="double"/>"#));
    assert_eq!(
        gexf.matches(r#"<attvalue for="longitude" value="#).count(),
        3
    );
    let rows = csv_records(&String::from_utf8(render(&g, ExportFormat::CsvNodes)).expect("UTF-8"));
    let col = |name: &str| rows[0].iter().position(|c| c == name).expect(name);
    let (lat, lon, from) = (col("Latitude"), col("Longitude"), col("PlaceFrom"));
    let alice = rows.iter().find(|r| r[0] == "alice-marlow").expect("Alice");
    assert_eq!((alice[lat].as_str(), alice[lon].as_str()), ("44.0", "8.0"));
    assert_eq!(alice[from], "events");
    let carol = rows.iter().find(|r| r[0] == "carol-marlow").expect("Carol");
    assert_eq!((carol[lat].as_str(), carol[lon].as_str()), ("", ""));
    let cy: serde_json::Value =
        serde_json::from_slice(&render(&g, ExportFormat::CytoscapeJson)).expect("JSON");
    let placed: Vec<_> = cy["elements"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .filter(|n| n["data"]["latitude"].is_f64() && n["data"]["longitude"].is_f64())
        .collect();
    assert_eq!(placed.len(), 3);
}

#[test]
fn collapse_folds_people_into_their_countries() {
    let g = graph(&ProjectionOptions {
        collapse: Collapse::PeopleIntoCountry,
        ..Default::default()
    });
    assert!(g.node_index("alice-marlow").is_none());
    let ard = g.actor(ix(&g, "country-ard"));
    assert_eq!(
        ard.label, "Ardenia",
        "label taken from the country node in the data"
    );
    assert_eq!(ard.wikidata.as_deref(), Some("Q1001"));
    let cst = g.actor(ix(&g, "country-cst"));
    assert_eq!(
        cst.label, "CST",
        "no country node for CST: the ISO code stands in"
    );
    // Alice met Bob -> Ardenia met Brevia.
    let t = timeline(&g, ix(&g, "country-ard"), Some(ix(&g, "country-brv")));
    assert!(t.events.iter().any(|e| e.edge.relation == "meet"));
}

#[test]
fn lookup_by_id_label_qid_code_and_surname() {
    let g = graph(&ProjectionOptions::default());
    let alice = ix(&g, "alice-marlow");
    assert_eq!(g.lookup("alice-marlow").ok(), Some(alice));
    assert_eq!(g.lookup("alice marlow").ok(), Some(alice));
    assert_eq!(g.lookup("Alice").ok(), Some(alice));
    assert_eq!(g.lookup("q9001").ok(), Some(alice));
    assert_eq!(g.lookup("ARDGOV").ok(), Some(alice));
    assert_eq!(g.lookup("fenwick").ok(), Some(ix(&g, "bob-fenwick")));
    match g.lookup("Marlow") {
        Err(LookupError::Ambiguous { candidates, .. }) => {
            let ids: Vec<&str> = candidates.iter().map(|c| c.id.as_str()).collect();
            assert_eq!(ids, vec!["alice-marlow", "carol-marlow"]);
        }
        other => panic!("expected ambiguity, got {other:?}"),
    }
    match g.lookup("Fenwik") {
        Err(LookupError::NotFound { suggestions, .. }) => {
            assert_eq!(
                suggestions.first().map(|s| s.id.as_str()),
                Some("bob-fenwick")
            );
        }
        other => panic!("expected not found, got {other:?}"),
    }
    let message = g.lookup("Marlow").unwrap_err().to_string();
    assert!(
        message.contains("Alice Marlow") && message.contains("Carol Marlow"),
        "{message}"
    );
}

#[test]
fn path_from_alice_to_carol_runs_through_bob_with_evidence() {
    let g = graph(&ProjectionOptions::default());
    let (a, c) = (ix(&g, "alice-marlow"), ix(&g, "carol-marlow"));
    let set = k_shortest_paths(&g, a, c, 3, 6);
    assert_eq!(set.paths.len(), 3);
    let routes: Vec<Vec<&str>> = set
        .paths
        .iter()
        .map(|p| p.actors().iter().map(|r| r.id.as_str()).collect())
        .collect();
    assert_eq!(
        routes[0],
        vec!["alice-marlow", "bob-fenwick", "carol-marlow"]
    );
    assert_eq!(
        routes[1],
        vec!["alice-marlow", "country-ard", "carol-marlow"]
    );
    assert_eq!(
        routes[2],
        vec![
            "alice-marlow",
            "country-ard",
            "country-brv",
            "league-of-ports",
            "carol-marlow"
        ]
    );
    let lengths: Vec<usize> = set.paths.iter().map(|p| p.hops.len()).collect();
    assert_eq!(lengths, vec![2, 2, 4], "sorted by length");

    let first = &set.paths[0];
    // Alice-Bob has two meetings; the hop shows one and counts both.
    assert_eq!(first.hops[0].events, 2);
    assert!(
        first.hops[0].event.edge.evidence.contains("met")
            || first.hops[0].event.edge.evidence.contains("meet")
    );
    // Bob-Carol: criticism and accusation are both coded, asserted and equally confident;
    // the dated criticism stands for the tie rather than the undated accusation.
    assert_eq!(first.hops[1].events, 2);
    assert_eq!(
        first.hops[1].event.edge.evidence,
        "Bob Fenwick criticised Carol Marlow."
    );
    assert_eq!(first.hops[1].direction, HopDirection::Forward);
    assert_eq!(first.hops[1].event.edge.doc, "d1");

    // Ardenia invited Alice: walked from Alice, the hop runs against the event.
    assert_eq!(set.paths[1].hops[0].direction, HopDirection::Backward);

    let table = set.to_string();
    assert!(
        table.contains("Bob Fenwick criticised Carol Marlow."),
        "{table}"
    );
    let json = serde_json::to_value(&set).expect("serialisable");
    assert_eq!(json["paths"][0]["hops"][1]["event"]["cameo"], "111");
    assert_eq!(json["paths"][0]["hops"][1]["event"]["cameo_root"], "11");

    assert!(
        k_shortest_paths(&g, a, c, 3, 1).paths.is_empty(),
        "no direct tie"
    );
}

#[test]
fn neighbours_aggregate_each_tie() {
    let g = graph(&ProjectionOptions::default());
    let bob = ix(&g, "bob-fenwick");
    let n = neighbors(&g, bob, 1);
    let ids: Vec<&str> = n.actors.iter().map(|a| a.actor.id.as_str()).collect();
    assert_eq!(ids.len(), 2);
    let tie = |other: &str| {
        n.ties
            .iter()
            .find(|t| t.a.id == "bob-fenwick" && t.b.id == other)
            .unwrap_or_else(|| panic!("no tie to {other}"))
    };
    let alice = tie("alice-marlow");
    assert_eq!((alice.events, alice.a_to_b, alice.b_to_a), (2, 1, 1));
    assert!((alice.net_goldstein - 2.9).abs() < 1e-9);
    assert_eq!(alice.first_date.as_deref(), Some("2025-01-02"));
    assert_eq!(alice.last_date.as_deref(), Some("2025-01-10"));
    assert_eq!(alice.quad_classes.verbal_cooperation, 2);
    let carol = tie("carol-marlow");
    assert_eq!(carol.events, 2);
    assert!((carol.net_goldstein + 4.0).abs() < 1e-9);
    assert_eq!(carol.quad_classes.verbal_conflict, 2);
    // Alice and Carol are both Bob's neighbours but share no event.
    assert_eq!(n.ties.len(), 2);

    let two = neighbors(&g, bob, 2);
    assert_eq!(
        two.actors.iter().filter(|a| a.distance == 2).count(),
        2,
        "Ardenia and the League"
    );
    assert!(n.to_string().contains("Alice Marlow"));
}

#[test]
fn timeline_is_in_date_order_with_undated_last() {
    let g = graph(&ProjectionOptions::default());
    let bob = ix(&g, "bob-fenwick");
    let t = timeline(&g, bob, None);
    let dates: Vec<Option<&str>> = t.events.iter().map(|e| e.edge.date.as_deref()).collect();
    assert_eq!(
        dates,
        vec![
            Some("2025-01-02"),
            Some("2025-01-05"),
            Some("2025-01-10"),
            None
        ]
    );
    let between = timeline(&g, bob, Some(ix(&g, "carol-marlow")));
    let rel: Vec<&str> = between
        .events
        .iter()
        .map(|e| e.edge.relation.as_str())
        .collect();
    assert_eq!(rel, vec!["criticize", "accuse"]);
    assert!(between.to_string().contains("undated"));
}

#[test]
fn a_head_of_government_stands_for_the_government_between_two_actors() {
    let g = graph(&ProjectionOptions::default());
    let (alice, bob, carol) = (
        ix(&g, "alice-marlow"),
        ix(&g, "bob-fenwick"),
        ix(&g, "carol-marlow"),
    );
    // Carol threatened Ardenia, whose government Alice (ARDGOV) leads.
    let t = timeline(&g, carol, Some(alice));
    let rows: Vec<(&str, Option<&str>)> = t
        .events
        .iter()
        .map(|e| {
            (
                e.edge.relation.as_str(),
                e.via.as_ref().map(|v| v.id.as_str()),
            )
        })
        .collect();
    assert_eq!(rows, vec![("threaten", Some("country-ard"))]);
    assert!(t.to_string().contains("Ardenia (government)"));
    assert!(
        timeline_scoped(&g, carol, Some(alice), TimelineScope::Strict)
            .events
            .is_empty()
    );
    // Two offices meeting (Ardenia and Brevia signing) is not Alice and Bob's own event,
    // and Ardenia inviting Alice involves Bob in no way.
    let t = timeline(&g, alice, Some(bob));
    let between: Vec<&str> = t
        .events
        .iter()
        .map(|e| e.edge.cameo.as_deref().unwrap_or(""))
        .collect();
    assert_eq!(between, vec!["040", "042"]);
    // Carol is coded with no government: she stands only for herself.
    let league = ix(&g, "league-of-ports");
    assert_eq!(timeline(&g, league, Some(carol)).events.len(), 1);
}

/// Statements forming a star: a hub with `leaves` spokes, alternating direction.
fn star(leaves: usize) -> Vec<Statement> {
    let hub = node("hub", "Hub", NodeKind::Country, None, None, None);
    (0..leaves)
        .map(|i| {
            let leaf = node(
                &format!("leaf-{i}"),
                &format!("Leaf {i}"),
                NodeKind::Country,
                None,
                None,
                None,
            );
            let (s, o) = if i % 2 == 0 {
                (hub.clone(), leaf)
            } else {
                (leaf, hub.clone())
            };
            event(
                &format!("s{i}"),
                "star",
                s,
                Some(o),
                "meet",
                Some("040"),
                Some(1),
                Some(1.0),
                None,
                "They met.",
            )
        })
        .collect()
}

#[test]
fn ranking_puts_the_star_centre_first() {
    let g = ActorGraph::project(&star(6), &ProjectionOptions::default()).expect("projects");
    for by in [
        Centrality::Degree,
        Centrality::page_rank(),
        Centrality::Betweenness {
            weighted: false,
            normalized: true,
            sources: None,
        },
    ] {
        let r = rank(&g, by);
        assert_eq!(r.actors[0].actor.id, "hub", "{by:?}");
        assert!(r.actors[0].score > r.actors[1].score, "{by:?}");
    }
    let pr = rank(&g, Centrality::page_rank());
    let total: f64 = pr.actors.iter().map(|a| a.score).sum();
    assert!((total - 1.0).abs() < 1e-9, "PageRank sums to {total}");
    assert_eq!(rank(&g, Centrality::Degree).actors[0].score, 6.0);
    let b = rank(
        &g,
        Centrality::Betweenness {
            weighted: false,
            normalized: false,
            sources: None,
        },
    );
    assert_eq!(b.actors[0].score, 15.0, "C(6,2) leaf pairs");
}

#[test]
fn betweenness_on_a_chain_of_actors() {
    let people: Vec<Node> = (0..5)
        .map(|i| {
            node(
                &format!("p{i}"),
                &format!("P{i}"),
                NodeKind::Person,
                None,
                None,
                None,
            )
        })
        .collect();
    let chain: Vec<Statement> = (0..4)
        .map(|i| {
            event(
                &format!("s{i}"),
                "chain",
                people[i].clone(),
                Some(people[i + 1].clone()),
                "meet",
                Some("040"),
                Some(1),
                Some(1.0),
                None,
                "Met.",
            )
        })
        .collect();
    let g = ActorGraph::project(&chain, &ProjectionOptions::default()).expect("projects");
    let r = rank(
        &g,
        Centrality::Betweenness {
            weighted: false,
            normalized: true,
            sources: None,
        },
    );
    let score: HashMap<&str, f64> = r
        .actors
        .iter()
        .map(|a| (a.actor.id.as_str(), a.score))
        .collect();
    let expected = [
        ("p0", 0.0),
        ("p1", 0.5),
        ("p2", 4.0 / 6.0),
        ("p3", 0.5),
        ("p4", 0.0),
    ];
    for (id, want) in expected {
        assert!(
            (score[id] - want).abs() < 1e-12,
            "{id}: {} != {want}",
            score[id]
        );
    }
    assert_eq!(r.actors[0].actor.id, "p2");
}

/// Counts start tags by local name, and checks the document is well-formed.
fn xml_elements(bytes: &[u8]) -> HashMap<String, usize> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut counts = HashMap::new();
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Start(e)) | Ok(quick_xml::events::Event::Empty(e)) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                for a in e.attributes() {
                    let a = a.expect("well-formed attribute");
                    a.unescape_value().expect("valid escapes");
                }
                *counts.entry(name).or_insert(0) += 1;
            }
            Ok(quick_xml::events::Event::Text(t)) => {
                t.unescape().expect("valid escapes");
            }
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("malformed XML at {}: {e}", reader.error_position()),
        }
        buf.clear();
    }
    counts
}

/// Splits CSV text into records, honouring quotes.
fn csv_records(text: &str) -> Vec<Vec<String>> {
    let (mut records, mut record, mut field, mut quoted) =
        (Vec::new(), Vec::new(), String::new(), false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => record.push(std::mem::take(&mut field)),
            ('\r', false) => {}
            ('\n', false) => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (c, _) => field.push(c),
        }
    }
    records
}

fn awkward() -> Vec<Statement> {
    let odd = node(
        "cafe-port",
        "Café \"Le <Port>\" & Sons' 🚢",
        NodeKind::Organisation,
        None,
        None,
        None,
    );
    let mut statements = world();
    statements.push(event(
        "s9-0",
        "d5",
        odd,
        Some(bob()),
        "praise",
        Some("051"),
        Some(1),
        Some(3.4),
        Some("2025-04-01"),
        "Café \"Le <Port>\" & Sons' praised Bob,\nsaid a clerk.\u{1}",
    ));
    statements
}

fn render(g: &ActorGraph, format: ExportFormat) -> Vec<u8> {
    let mut out = Vec::new();
    export(g, format, &mut out).expect("export to memory");
    out
}

#[test]
fn xml_exports_parse_with_right_counts_and_escaping() {
    let g = ActorGraph::project(&awkward(), &ProjectionOptions::default()).expect("projects");
    let (nodes, edges) = (g.node_count(), g.edge_count());

    let graphml = render(&g, ExportFormat::GraphMl);
    let counts = xml_elements(&graphml);
    assert_eq!(counts.get("node"), Some(&nodes));
    assert_eq!(counts.get("edge"), Some(&edges));
    let text = String::from_utf8(graphml).expect("UTF-8");
    assert!(
        text.contains("Café &quot;Le &lt;Port&gt;&quot; &amp; Sons&apos; 🚢"),
        "label escaped"
    );
    assert!(text.contains(r#"attr.name="goldstein" attr.type="double""#));
    assert!(text.contains(r#"attr.name="quad_class" attr.type="int""#));
    assert!(text.contains(r#"edgedefault="directed""#));
    assert!(
        !text.contains('\u{1}'),
        "control characters cannot appear in XML"
    );

    let gexf = render(&g, ExportFormat::Gexf);
    let counts = xml_elements(&gexf);
    assert_eq!(counts.get("node"), Some(&nodes));
    assert_eq!(counts.get("edge"), Some(&edges));
    assert_eq!(counts.get("attributes"), Some(&2));
    let text = String::from_utf8(gexf).expect("UTF-8");
    assert!(text.contains(r#"xmlns="http://gexf.net/1.3""#) && text.contains(r#"version="1.3""#));
    assert!(text.contains(r#"mode="dynamic""#) && text.contains(r#"timeformat="date""#));
    // The 2024 signing spans the year; Bob is active from his first to his last event.
    assert!(
        text.contains(r#"start="2024-01-01" end="2024-12-31""#),
        "coarse date spell"
    );
    assert!(text.contains(
        r#"<node id="bob-fenwick" label="Bob Fenwick" start="2025-01-02" end="2025-04-01">"#
    ));
    assert!(!text.contains("viz:color"), "schema-valid by default");
    assert!(
        text.contains("praised Bob,&#10;said a clerk."),
        "a line break in an attribute survives parsing"
    );

    let mut coloured = Vec::new();
    export_with(
        &g,
        ExportFormat::Gexf,
        &ExportOptions {
            gexf_viz_colours: true,
        },
        &mut coloured,
    )
    .expect("export");
    let counts = xml_elements(&coloured);
    assert_eq!(counts.get("color"), Some(&(nodes + edges)));
}

#[test]
fn json_csv_and_dot_exports_carry_every_element() {
    let g = ActorGraph::project(&awkward(), &ProjectionOptions::default()).expect("projects");
    let (nodes, edges) = (g.node_count(), g.edge_count());

    let cy: serde_json::Value =
        serde_json::from_slice(&render(&g, ExportFormat::CytoscapeJson)).expect("JSON");
    let cy_nodes = cy["elements"]["nodes"].as_array().expect("nodes array");
    let cy_edges = cy["elements"]["edges"].as_array().expect("edges array");
    assert_eq!((cy_nodes.len(), cy_edges.len()), (nodes, edges));
    assert!(cy_nodes
        .iter()
        .any(|n| n["data"]["label"] == "Café \"Le <Port>\" & Sons' 🚢"));
    assert!(cy_edges
        .iter()
        .all(|e| e["data"]["source"].is_string() && e["data"]["id"].is_string()));
    assert!(cy_edges
        .iter()
        .any(|e| e["data"]["goldstein"].as_f64() == Some(-7.0)));

    let node_rows =
        csv_records(&String::from_utf8(render(&g, ExportFormat::CsvNodes)).expect("UTF-8"));
    assert_eq!(node_rows[0][..2], ["Id".to_string(), "Label".to_string()]);
    assert_eq!(node_rows.len(), nodes + 1);
    assert!(node_rows
        .iter()
        .any(|r| r[1] == "Café \"Le <Port>\" & Sons' 🚢"));
    let edge_rows =
        csv_records(&String::from_utf8(render(&g, ExportFormat::CsvEdges)).expect("UTF-8"));
    assert_eq!(
        edge_rows[0][..6],
        ["Source", "Target", "Type", "Id", "Label", "Weight"].map(String::from)
    );
    assert_eq!(edge_rows.len(), edges + 1);
    assert!(
        edge_rows.iter().all(|r| r.len() == edge_rows[0].len()),
        "every row has every column"
    );
    assert!(edge_rows.iter().any(|r| r
        .iter()
        .any(|c| c.starts_with("Café \"Le <Port>\" & Sons' praised Bob,\nsaid"))));

    let dot = String::from_utf8(render(&g, ExportFormat::Dot)).expect("UTF-8");
    assert_eq!(dot.matches(" -> ").count(), edges);
    assert!(dot.contains(r#"label="Café \"Le <Port>\" & Sons' 🚢""#));
    assert!(
        dot.contains("color=\"#b2182b\"") || dot.contains("color=\"#f46d43\""),
        "conflict edges coloured"
    );
}

#[test]
fn neighbourhood_subgraph_exports_only_its_part() {
    let g = graph(&ProjectionOptions::default());
    let part = g.subgraph(&neighbourhood_nodes(&g, ix(&g, "bob-fenwick"), 1));
    assert_eq!(part.node_count(), 3);
    assert_eq!(
        part.edge_count(),
        4,
        "two meetings, the criticism and the accusation"
    );
    let counts = xml_elements(&render(&part, ExportFormat::Gexf));
    assert_eq!(counts.get("edge"), Some(&4));
    let wider = g.neighbourhood(ix(&g, "bob-fenwick"), 2);
    let mut ids: Vec<&str> = wider
        .graph()
        .node_weights()
        .map(|n| n.id.as_str())
        .collect();
    ids.sort();
    assert_eq!(
        ids,
        vec![
            "alice-marlow",
            "bob-fenwick",
            "carol-marlow",
            "country-ard",
            "league-of-ports"
        ]
    );
}

#[test]
fn export_dir_writes_every_format() {
    let g = ActorGraph::project(
        &awkward(),
        &ProjectionOptions {
            include_entities: true,
            ..Default::default()
        },
    )
    .expect("projects");
    let keep = std::env::var_os("GEOKG_EXPORT_DIR");
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = keep
        .as_ref()
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| temp.path().to_path_buf());
    let written = export_dir(&g, &dir).expect("exports");
    assert_eq!(written.len(), ExportFormat::ALL.len());
    for path in &written {
        assert!(
            std::fs::metadata(path)
                .map(|m| m.len() > 0)
                .unwrap_or(false),
            "{} empty",
            path.display()
        );
    }
    let placed = geokg::export::node_places(&g).iter().flatten().count();
    assert!(placed > 0, "the world has located actors");
    let counts = serde_json::json!({
        "nodes": g.node_count(),
        "edges": g.edge_count(),
        "placed_nodes": placed,
    });
    std::fs::write(dir.join("counts.json"), counts.to_string()).expect("counts.json");
    if keep.is_some() {
        println!("exports kept in {}", dir.display());
    }
}

#[test]
fn rdf_export_keeps_the_statements_the_view_shows() {
    use geokg::export::rdf::documents_shown;
    use geokg::model::{DocumentGraph, DocumentMeta};
    let mut docs: Vec<DocumentGraph> = Vec::new();
    for s in world() {
        match docs.iter_mut().find(|d| d.meta.id == s.doc) {
            Some(d) => d.statements.push(s),
            None => docs.push(DocumentGraph {
                meta: DocumentMeta {
                    id: s.doc.clone(),
                    date: None,
                    place: None,
                    title: None,
                    url: None,
                    source: None,
                    content_hash: format!("hash-{}", s.doc),
                },
                statements: vec![s],
            }),
        }
    }
    let meetings = graph(&ProjectionOptions {
        cameo_roots: vec!["04".into()],
        ..Default::default()
    });
    let shown = documents_shown(&meetings, docs.clone());
    let kept: Vec<(&str, &str, &str)> = shown
        .iter()
        .flat_map(|d| d.statements.iter())
        .map(|s| (s.doc.as_str(), s.id.as_str(), s.relation.as_str()))
        .collect();
    assert_eq!(kept, vec![("d1", "s0-0", "meet"), ("d2", "s0-0", "meet")]);

    // The whole graph keeps every event between actors and the accord's link to Brevia,
    // and writes as Turtle naming the accord.
    let whole = documents_shown(&graph(&ProjectionOptions::default()), docs);
    let relations: Vec<&str> = whole
        .iter()
        .flat_map(|d| d.statements.iter())
        .map(|s| s.relation.as_str())
        .collect();
    assert!(relations.contains(&"concerns"), "{relations:?}");
    assert!(
        !relations.contains(&"say"),
        "an event with no object is not an edge"
    );
    let mut ttl = Vec::new();
    geokg::export::rdf::write(&whole, geokg::rdf::RdfFormat::Turtle, &mut ttl).expect("turtle");
    let ttl = String::from_utf8(ttl).expect("utf-8");
    assert!(ttl.contains("Harbour Accord"));
}
