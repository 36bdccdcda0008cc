use super::*;
use oxigraph::io::RdfParser;
use oxigraph::model::{NamedOrBlankNode, TripleRef};

const ONTOLOGY: &str = include_str!("../../ontology/geokg.ttl");

fn actor(id: &str, label: &str, kind: NodeKind) -> Node {
    Node {
        id: id.to_owned(),
        label: label.to_owned(),
        kind,
        actor_code: None,
        country: None,
        wikidata: None,
        role: None,
        mention: None,
    }
}

/// A fictional document with every optional field set somewhere, and ids that need escaping.
fn rich_document() -> DocumentGraph {
    let doc_id = "wire/2025 #7 \"final\"";
    let mut macron = actor("emmanuel-macron", "Emmanuel Macron", NodeKind::Person);
    macron.actor_code = Some("FRAGOV".into());
    macron.country = Some("FRA".into());
    macron.wikidata = Some("Q3052772".into());
    macron.role = Some("President of France".into());
    macron.mention = Some("the French president".into());
    let mut scholz = actor("olaf-scholz", "Olaf Scholz", NodeKind::Person);
    scholz.actor_code = Some("DEUGOV".into());
    scholz.country = Some("DEU".into());
    scholz.wikidata = Some("Q61053".into());
    let mut aide = actor(
        "élysée spokesperson",
        "Élysée spokesperson",
        NodeKind::Group,
    );
    aide.mention = Some("a spokesperson".into());
    let mut treaty = actor("aachen-treaty", "Aachen Treaty", NodeKind::Agreement);
    treaty.mention = Some("the treaty".into());
    let city = actor("aachen", "Aachen", NodeKind::Place);
    let meeting = Statement {
        id: "s0-1".into(),
        doc: doc_id.into(),
        sentence: 0,
        evidence: "Macron met Scholz in Aachen on Tuesday to discuss the treaty.".into(),
        span: Span { start: 0, end: 62 },
        trigger_span: Some(Span { start: 7, end: 10 }),
        subject: macron.clone(),
        object: Some(scholz.clone()),
        relation: "meet".into(),
        pattern: Some("MEET: * IN + [043] (line 12)".into()),
        cameo: Some("043".into()),
        plover: Some("CONSULT".into()),
        goldstein: Some(2.8),
        quad_class: Some(1),
        date: Some("2025-03-04".into()),
        modality: Modality::Reported,
        confidence: 0.1 + 0.2,
        source: Some(aide),
        entities: vec![treaty.clone(), city],
        location: Some(crate::model::Location {
            label: "Aachen".into(),
            geonames_id: Some(3247449),
            country: Some("DEU".into()),
            admin1: Some("North Rhine-Westphalia".into()),
            lat: Some(50.77664),
            lon: Some(6.08342),
            precision: crate::model::LocationPrecision::City,
            from: crate::model::LocationSource::Sentence,
        }),
    };
    let mut refusal = meeting.clone();
    refusal.id = "s1-1".into();
    refusal.sentence = 1;
    refusal.evidence = "Scholz did not threaten Macron.".into();
    refusal.span = Span { start: 63, end: 94 };
    refusal.trigger_span = None;
    refusal.subject = scholz;
    refusal.object = Some(macron);
    refusal.relation = "threaten".into();
    refusal.cameo = Some("130".into());
    refusal.plover = None;
    refusal.goldstein = Some(-4.4);
    refusal.quad_class = Some(3);
    refusal.date = Some("2025".into());
    refusal.modality = Modality::Negated;
    refusal.confidence = 0.5;
    refusal.source = None;
    refusal.entities = Vec::new();
    refusal.location = Some(crate::model::Location {
        label: "Germany".into(),
        geonames_id: None,
        country: Some("DEU".into()),
        admin1: None,
        lat: None,
        lon: None,
        precision: crate::model::LocationPrecision::Country,
        from: crate::model::LocationSource::Dateline,
    });
    let relation = Statement {
        id: "s2-1".into(),
        doc: doc_id.into(),
        sentence: 2,
        evidence: "The treaty concerns Germany.".into(),
        span: Span {
            start: 95,
            end: 123,
        },
        trigger_span: None,
        subject: treaty,
        object: Some(actor("country-deu", "Germany", NodeKind::Country)),
        relation: "concerns".into(),
        pattern: None,
        cameo: None,
        plover: None,
        goldstein: None,
        quad_class: None,
        date: None,
        modality: Modality::Asserted,
        confidence: 1.0,
        source: None,
        entities: Vec::new(),
        location: None,
    };
    DocumentGraph {
        meta: DocumentMeta {
            id: doc_id.into(),
            date: Some("2025-03-05".into()),
            place: Some("PARIS".into()),
            title: Some("Leaders meet in Aachen".into()),
            url: Some("https://news.example/aachen?id=7".into()),
            source: Some("Example Wire".into()),
            content_hash: "ab".repeat(32),
        },
        statements: vec![meeting, refusal, relation],
    }
}

fn to_graph(quads: &[Quad]) -> Graph {
    quads.iter().map(|q| TripleRef::from(q.as_ref())).collect()
}

fn ontology_graph() -> Graph {
    let mut graph = Graph::new();
    for quad in RdfParser::from_format(oxigraph::io::RdfFormat::Turtle).for_slice(ONTOLOGY) {
        match quad {
            Ok(quad) => {
                graph.insert(&Triple::from(quad));
            }
            Err(e) => panic!("ontology/geokg.ttl does not parse: {e}"),
        }
    }
    graph
}

#[test]
fn every_field_survives_the_round_trip() {
    let doc = rich_document();
    let quads = document_quads(&doc);
    let back = document_from_rdf(&to_graph(&quads));
    assert_eq!(back.ok(), Some(doc));
}

#[test]
fn a_bare_statement_survives_the_round_trip() {
    let mut doc = rich_document();
    doc.meta = DocumentMeta {
        id: "bare".into(),
        date: None,
        place: None,
        title: None,
        url: None,
        source: None,
        content_hash: String::new(),
    };
    let mut st = doc.statements.remove(2);
    st.doc = "bare".into();
    st.object = None;
    st.subject = actor("x", "", NodeKind::Thing);
    st.evidence = String::new();
    st.relation = String::new();
    st.date = Some("early March".into());
    doc.statements = vec![st];
    let back = document_from_rdf(&to_graph(&document_quads(&doc)));
    assert_eq!(back.ok(), Some(doc));
}

#[test]
fn all_quads_are_in_the_document_graph() {
    let doc = rich_document();
    let graph = GraphName::NamedNode(vocab::document(&doc.meta.id));
    let quads = document_quads(&doc);
    assert!(quads.iter().all(|q| q.graph_name == graph));
}

#[test]
fn dates_are_typed_as_precisely_as_known() {
    assert_eq!(date_literal("2025-02-28").datatype(), xsd::DATE);
    assert_eq!(date_literal("2025-02").datatype(), xsd::G_YEAR_MONTH);
    assert_eq!(date_literal("2014").datatype(), xsd::G_YEAR);
    assert_eq!(date_literal("2025-02-30").datatype(), xsd::STRING);
    assert_eq!(date_literal("2025-13").datatype(), xsd::STRING);
    assert_eq!(date_literal("spring 2025").datatype(), xsd::STRING);
}

#[test]
fn only_events_that_happened_get_a_direct_actor_edge() {
    let doc = rich_document();
    let graph = to_graph(&document_quads(&doc));
    let macron = vocab::actor("emmanuel-macron");
    let scholz = vocab::actor("olaf-scholz");
    let consult = vocab::cameo_root_property("04");
    let threaten = vocab::cameo_root_property("13");
    let (Some(consult), Some(threaten)) = (consult, threaten) else {
        panic!("roots 04 and 13 have properties");
    };
    // Reported meeting: edge written, both generic and specific.
    assert!(graph.contains(TripleRef::new(&macron, &consult, &scholz)));
    assert!(graph.contains(TripleRef::new(&macron, gk::INTERACTS_WITH, &scholz)));
    // Negated threat: no edge in either direction.
    assert!(!graph.contains(TripleRef::new(&scholz, &threaten, &macron)));
    assert!(!graph.contains(TripleRef::new(&scholz, gk::INTERACTS_WITH, &macron)));
    // Relation "concerns": gk:concerns and gk:relatedTo.
    let treaty = vocab::entity("aachen-treaty");
    let germany = vocab::actor("country-deu");
    assert!(graph.contains(TripleRef::new(&treaty, gk::CONCERNS, &germany)));
    assert!(graph.contains(TripleRef::new(&treaty, gk::RELATED_TO, &germany)));
}

#[test]
fn nodes_are_linked_to_wikidata_and_cameo() {
    let graph = to_graph(&document_quads(&rich_document()));
    let macron = vocab::actor("emmanuel-macron");
    let Some(wd) = vocab::wikidata("Q3052772") else {
        panic!("valid QID")
    };
    assert!(graph.contains(TripleRef::new(&macron, OWL_SAME_AS, &wd)));
    let event = vocab::statement("wire/2025 #7 \"final\"", "s0-1", true);
    assert!(graph.contains(TripleRef::new(&event, gk::CAMEO_CODE, &vocab::cameo("043"))));
    assert!(graph.contains(TripleRef::new(&event, gk::CAMEO_ROOT, &vocab::cameo("04"))));
}

#[test]
fn ontology_declares_every_term_with_label_and_comment() {
    let ontology = ontology_graph();
    let root_properties = vocab::CAMEO_ROOT_PROPERTIES
        .iter()
        .filter_map(|(root, _)| vocab::cameo_root_property(root));
    let terms: Vec<NamedNode> = gk::ALL
        .iter()
        .map(|t| t.into_owned())
        .chain(root_properties)
        .collect();
    for term in &terms {
        assert!(
            ontology
                .object_for_subject_predicate(term, rdf::TYPE)
                .is_some(),
            "{term} is not declared in ontology/geokg.ttl"
        );
        for p in [rdfs::LABEL, rdfs::COMMENT] {
            assert!(
                ontology.object_for_subject_predicate(term, p).is_some(),
                "{term} has no {p}"
            );
        }
    }
}

#[test]
fn every_gk_term_the_mapping_writes_is_in_the_ontology() {
    let ontology = ontology_graph();
    let declared = |iri: &str| {
        ontology
            .object_for_subject_predicate(NamedNodeRef::new_unchecked(iri), rdf::TYPE)
            .is_some()
    };
    for quad in document_quads(&rich_document()) {
        let mut iris = vec![quad.predicate.as_str().to_owned()];
        if let Term::NamedNode(o) = &quad.object {
            iris.push(o.as_str().to_owned());
        }
        for iri in iris.iter().filter(|i| i.starts_with(vocab::GK)) {
            assert!(
                declared(iri.as_str()),
                "{iri} used by the mapping but not declared"
            );
        }
    }
}

#[test]
fn nquads_output_reads_back_to_the_same_documents() {
    let doc = rich_document();
    let mut out = Vec::new();
    assert!(write_documents(std::slice::from_ref(&doc), RdfFormat::NQuads, &mut out).is_ok());
    let quads: Vec<Quad> = RdfParser::from_format(oxigraph::io::RdfFormat::NQuads)
        .for_slice(&out)
        .collect::<Result<_, _>>()
        .unwrap_or_default();
    assert_eq!(quads.len(), document_quads(&doc).len());
    let graphs = graphs_by_name(quads);
    let graph = graphs.get(&GraphName::NamedNode(vocab::document(&doc.meta.id)));
    assert_eq!(graph.and_then(|g| document_from_rdf(g).ok()), Some(doc));
}

#[test]
fn turtle_output_is_the_union_with_prefixes() {
    let doc = rich_document();
    let mut other = doc.clone();
    other.meta.id = "second".into();
    for st in &mut other.statements {
        st.doc = "second".into();
    }
    let mut out = Vec::new();
    assert!(write_documents(&[doc, other], RdfFormat::Turtle, &mut out).is_ok());
    let text = String::from_utf8_lossy(&out);
    assert!(text.contains("@prefix gk: <https://w3id.org/geokg/ontology#>"));
    let triples: Vec<Triple> = RdfParser::from_format(oxigraph::io::RdfFormat::Turtle)
        .for_slice(&out)
        .map(|q| q.map(Triple::from))
        .collect::<Result<_, _>>()
        .unwrap_or_default();
    // Macron's description appears in both documents but once in the union.
    let macron = vocab::actor("emmanuel-macron");
    let labels = triples
        .iter()
        .filter(|t| {
            t.subject == NamedOrBlankNode::from(macron.clone()) && t.predicate == rdfs::LABEL
        })
        .count();
    assert_eq!(labels, 1);
    assert!(triples.len() > 50);
}

#[test]
fn format_names_parse() {
    for name in RdfFormat::NAMES {
        assert_eq!(
            name.parse::<RdfFormat>().map(RdfFormat::name).ok(),
            Some(*name)
        );
    }
    assert!("rdfxml".parse::<RdfFormat>().is_err());
}
