//! Statements as RDF: the mapping from [`DocumentGraph`] to quads in the geokg ontology
//! (`ontology/geokg.ttl`), its exact inverse, and serialisation for `geokg extract`.
//!
//! Each document becomes one named graph, named by the document's IRI, holding:
//! - the document node (`gk:Document`) with its metadata and content hash;
//! - one reified node per statement (`gk:Event` when it has a CAMEO code, `gk:Relation`
//!   otherwise) with provenance (sentence, offsets, evidence text), coding (CAMEO concept
//!   and root, PLOVER, Goldstein, QuadClass), date, modality, confidence and its actors;
//! - one `gk:Participation` per actor slot, holding what belongs to that statement only
//!   (the mention, the actor code and office on the statement's date);
//! - a description of every node used (type, label, country, Wikidata item, codes);
//! - the shortcut edges: `gk:interactsWith` plus the CAMEO root property (`gk:consult`)
//!   between the two actors of an asserted or reported event, and `gk:relatedTo` (plus
//!   `gk:concerns`) for relations.
//!
//! Reading back ([`document_from_rdf`], [`statement_from_rdf`]) recovers every field of
//! [`Statement`] and [`DocumentMeta`]. It relies on one invariant of the model: within a
//! document a node id denotes one node (one label, kind, country and Wikidata item);
//! what may differ between statements (mention, actor code, role) is kept per statement.

pub mod vocab;

use std::collections::HashMap;
use std::fmt;
use std::io::{self, Write};
use std::str::FromStr;

use indexmap::IndexSet;
use oxigraph::io::{JsonLdProfileSet, RdfSerializer};
use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{
    Graph, GraphName, Literal, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, Quad, Term, TermRef,
    Triple,
};

use crate::model::{
    DocumentGraph, DocumentMeta, Location, LocationPrecision, LocationSource, Modality, Node,
    NodeKind, Span, Statement,
};
use vocab::{geo, gk};

const OWL_SAME_AS: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://www.w3.org/2002/07/owl#sameAs");

/// Why a graph could not be read back as geokg statements.
#[derive(Debug, thiserror::Error)]
pub enum RdfError {
    #[error("<{subject}> has no {property}")]
    Missing { subject: String, property: String },
    #[error("<{subject}> has {property} {value}, which geokg cannot read")]
    BadValue {
        subject: String,
        property: String,
        value: String,
    },
    #[error("the graph holds {0} gk:Document nodes; a document graph holds exactly one")]
    DocumentCount(usize),
}

/// The RDF class of a node kind.
pub fn kind_class(kind: NodeKind) -> NamedNodeRef<'static> {
    match kind {
        NodeKind::Person => gk::PERSON,
        NodeKind::Country => gk::COUNTRY_CLASS,
        NodeKind::Organisation => gk::ORGANISATION,
        NodeKind::Group => gk::GROUP,
        NodeKind::Agreement => gk::AGREEMENT,
        NodeKind::Weapon => gk::WEAPON,
        NodeKind::Place => gk::PLACE,
        NodeKind::Thing => gk::THING,
    }
}

const KINDS: [NodeKind; 8] = [
    NodeKind::Person,
    NodeKind::Country,
    NodeKind::Organisation,
    NodeKind::Group,
    NodeKind::Agreement,
    NodeKind::Weapon,
    NodeKind::Place,
    NodeKind::Thing,
];

/// The individual standing for a modality (gk:Asserted ...).
pub fn modality_iri(modality: Modality) -> NamedNodeRef<'static> {
    match modality {
        Modality::Asserted => gk::ASSERTED,
        Modality::Negated => gk::NEGATED,
        Modality::Expected => gk::EXPECTED,
        Modality::Hypothetical => gk::HYPOTHETICAL,
        Modality::Reported => gk::REPORTED,
    }
}

const MODALITIES: [Modality; 5] = [
    Modality::Asserted,
    Modality::Negated,
    Modality::Expected,
    Modality::Hypothetical,
    Modality::Reported,
];

/// The node IRI of a model node: `id/actor/{id}` for actors, `id/entity/{id}` otherwise.
pub fn node_iri(node: &Node) -> NamedNode {
    if node.kind.is_actor() {
        vocab::actor(&node.id)
    } else {
        vocab::entity(&node.id)
    }
}

/// The IRI of a statement node (`id/event/...` or `id/relation/...`).
pub fn statement_iri(statement: &Statement) -> NamedNode {
    vocab::statement(&statement.doc, &statement.id, statement.cameo.is_some())
}

/// A date typed as precisely as it is known: xsd:date for a valid YYYY-MM-DD, xsd:gYearMonth
/// for YYYY-MM, xsd:gYear for YYYY, a plain string for anything else (so SPARQL date
/// comparisons work where they can, and nothing is rejected).
pub fn date_literal(date: &str) -> Literal {
    let b = date.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let month_ok = |m: &str| matches!(m.parse::<u8>(), Ok(1..=12));
    let datatype = match b.len() {
        4 if digits(0..4) => Some(xsd::G_YEAR),
        7 if digits(0..4) && b[4] == b'-' && digits(5..7) && month_ok(&date[5..7]) => {
            Some(xsd::G_YEAR_MONTH)
        }
        10 if chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok()
            && digits(0..4)
            && digits(5..7)
            && digits(8..10) =>
        {
            Some(xsd::DATE)
        }
        _ => None,
    };
    match datatype {
        Some(datatype) => Literal::new_typed_literal(date, datatype),
        None => Literal::new_simple_literal(date),
    }
}

/// Collects quads of one graph, dropping duplicates (a node described by several
/// statements is described once).
struct GraphBuilder {
    graph: GraphName,
    quads: IndexSet<Quad>,
}

impl GraphBuilder {
    fn add(&mut self, s: NamedNodeRef<'_>, p: NamedNodeRef<'_>, o: impl Into<Term>) {
        self.quads.insert(Quad::new(
            s.into_owned(),
            p.into_owned(),
            o.into(),
            self.graph.clone(),
        ));
    }

    fn add_str(&mut self, s: NamedNodeRef<'_>, p: NamedNodeRef<'_>, value: &str) {
        self.add(s, p, Literal::new_simple_literal(value));
    }

    fn add_opt(&mut self, s: NamedNodeRef<'_>, p: NamedNodeRef<'_>, value: Option<&str>) {
        if let Some(value) = value {
            self.add_str(s, p, value);
        }
    }

    fn add_count(&mut self, s: NamedNodeRef<'_>, p: NamedNodeRef<'_>, value: usize) {
        self.add(s, p, Literal::from(value as u64));
    }

    /// The node's own description: what it is, whatever statement it appears in.
    fn describe_node(&mut self, node: &Node) -> NamedNode {
        let iri = node_iri(node);
        let n = iri.as_ref();
        self.add(n, rdf::TYPE, kind_class(node.kind).into_owned());
        self.add_str(n, rdfs::LABEL, &node.label);
        self.add_str(n, gk::IDENTIFIER, &node.id);
        self.add_opt(n, gk::ACTOR_CODE, node.actor_code.as_deref());
        self.add_opt(n, gk::COUNTRY, node.country.as_deref());
        self.add_opt(n, gk::ROLE, node.role.as_deref());
        if let Some(qid) = &node.wikidata {
            self.add_str(n, gk::WIKIDATA, qid);
            if let Some(wd) = vocab::wikidata(qid) {
                self.add(n, OWL_SAME_AS, wd);
            }
        }
        iri
    }

    /// One slot of a statement: links statement, node and what holds in this statement.
    fn participation(
        &mut self,
        statement: &Statement,
        stmt: NamedNodeRef<'_>,
        slot: &str,
        kind: NamedNodeRef<'_>,
        node: &Node,
        position: Option<usize>,
    ) -> NamedNode {
        let node_iri = self.describe_node(node);
        let part = vocab::participation(stmt, slot);
        let p = part.as_ref();
        self.add(p, rdf::TYPE, gk::PARTICIPATION.into_owned());
        self.add_str(
            p,
            rdfs::LABEL,
            &format!("{} as {slot} of {}", node.label, statement.id),
        );
        self.add(stmt, gk::HAS_PARTICIPATION, part.clone());
        self.add(p, gk::PARTICIPANT, node_iri.clone());
        self.add(p, gk::PARTICIPATION_TYPE, kind.into_owned());
        self.add_opt(p, gk::MENTION, node.mention.as_deref());
        self.add_opt(p, gk::ACTOR_CODE, node.actor_code.as_deref());
        self.add_opt(p, gk::ROLE, node.role.as_deref());
        if let Some(position) = position {
            self.add_count(p, gk::POSITION, position);
        }
        node_iri
    }

    /// The place node of a location (typed `sem:Place` and `gk:Place`), with its GeoNames
    /// link, country, region and position (W3C WGS84 and a GeoSPARQL WKT point).
    fn describe_place(&mut self, loc: &Location) -> NamedNode {
        let iri = vocab::place(loc.geonames_id, loc.country.as_deref(), &loc.label);
        let p = iri.as_ref();
        self.add(p, rdf::TYPE, geo::SEM_PLACE.into_owned());
        self.add(p, rdf::TYPE, gk::PLACE.into_owned());
        self.add_str(p, rdfs::LABEL, &loc.label);
        if let Some(id) = loc.geonames_id {
            self.add(p, gk::GEONAMES_ID, Literal::from(u64::from(id)));
            self.add(
                p,
                OWL_SAME_AS,
                NamedNode::new_unchecked(format!("{}{id}/", vocab::GEONAMES)),
            );
        }
        self.add_opt(p, gk::COUNTRY, loc.country.as_deref());
        self.add_opt(p, gk::ADMIN1, loc.admin1.as_deref());
        if let (Some(lat), Some(lon)) = (loc.lat, loc.lon) {
            self.add(p, geo::LAT, Literal::from(lat));
            self.add(p, geo::LONG, Literal::from(lon));
            let geometry = NamedNode::new_unchecked(format!("{}/geometry", iri.as_str()));
            self.add(p, geo::HAS_GEOMETRY, geometry.clone());
            self.add(geometry.as_ref(), rdf::TYPE, geo::GEOMETRY.into_owned());
            self.add(
                geometry.as_ref(),
                geo::AS_WKT,
                Literal::new_typed_literal(format!("POINT({lon} {lat})"), geo::WKT_LITERAL),
            );
        }
        iri
    }

    fn statement(&mut self, st: &Statement, position: usize) {
        let iri = statement_iri(st);
        let s = iri.as_ref();
        let is_event = st.cameo.is_some();
        let class = if is_event {
            gk::EVENT
        } else {
            gk::RELATION_CLASS
        };
        self.add(s, rdf::TYPE, class.into_owned());
        let label = match &st.object {
            Some(object) => format!("{} {} {}", st.subject.label, st.relation, object.label),
            None => format!("{} {}", st.subject.label, st.relation),
        };
        self.add_str(s, rdfs::LABEL, &label);
        self.add_str(s, gk::IDENTIFIER, &st.id);
        self.add_count(s, gk::POSITION, position);
        self.add(s, gk::IN_DOCUMENT, vocab::document(&st.doc));
        self.add_count(s, gk::SENTENCE_INDEX, st.sentence);
        self.add_str(s, gk::EVIDENCE_TEXT, &st.evidence);
        self.add_count(s, gk::START_OFFSET, st.span.start);
        self.add_count(s, gk::END_OFFSET, st.span.end);
        if let Some(trigger) = st.trigger_span {
            self.add_count(s, gk::TRIGGER_START, trigger.start);
            self.add_count(s, gk::TRIGGER_END, trigger.end);
        }
        self.add_str(s, gk::RELATION, &st.relation);
        self.add_opt(s, gk::CODING_PATTERN, st.pattern.as_deref());
        if let Some(code) = &st.cameo {
            self.add(s, gk::CAMEO_CODE, vocab::cameo(code));
        }
        if let Some(root) = st.cameo_root() {
            self.add(s, gk::CAMEO_ROOT, vocab::cameo(root));
        }
        self.add_opt(s, gk::PLOVER_TYPE, st.plover.as_deref());
        if let Some(goldstein) = st.goldstein {
            self.add(s, gk::GOLDSTEIN, Literal::from(goldstein));
        }
        if let Some(quad_class) = st.quad_class {
            self.add(s, gk::QUAD_CLASS, Literal::from(u64::from(quad_class)));
        }
        if let Some(date) = &st.date {
            self.add(s, gk::DATE, date_literal(date));
        }
        self.add(s, gk::MODALITY, modality_iri(st.modality).into_owned());
        self.add(s, gk::CONFIDENCE, Literal::from(st.confidence));

        let subject = self.participation(st, s, "subject", gk::SUBJECT_ROLE, &st.subject, None);
        self.add(s, gk::SUBJECT, subject.clone());
        let object = st.object.as_ref().map(|object| {
            let iri = self.participation(st, s, "object", gk::OBJECT_ROLE, object, None);
            self.add(s, gk::OBJECT, iri.clone());
            iri
        });
        if let Some(source) = &st.source {
            let iri = self.participation(st, s, "source", gk::SOURCE_ROLE, source, None);
            self.add(s, gk::SOURCE, iri.clone());
            self.add(s, gk::QUOTED_FROM, iri);
        }
        for (n, entity) in st.entities.iter().enumerate() {
            let slot = format!("entity/{n}");
            let iri = self.participation(st, s, &slot, gk::MENTIONED_ROLE, entity, Some(n));
            self.add(s, gk::MENTIONS, iri);
        }
        if let Some(loc) = &st.location {
            let place = self.describe_place(loc);
            self.add(s, geo::HAS_PLACE, place);
            self.add_str(s, gk::LOCATION_PRECISION, loc.precision.as_str());
            self.add_str(s, gk::LOCATION_SOURCE, loc.from.as_str());
        }

        // Shortcut edges (see the ontology): only for what the text says did happen.
        let Some(object) = object else { return };
        if is_event {
            let happened = matches!(st.modality, Modality::Asserted | Modality::Reported);
            let both_actors =
                st.subject.kind.is_actor() && st.object.as_ref().is_some_and(|o| o.kind.is_actor());
            if happened && both_actors {
                self.add(subject.as_ref(), gk::INTERACTS_WITH, object.clone());
                if let Some(property) = st.cameo_root().and_then(vocab::cameo_root_property) {
                    self.add(subject.as_ref(), property.as_ref(), object);
                }
            }
        } else if st.modality != Modality::Negated {
            self.add(subject.as_ref(), gk::RELATED_TO, object.clone());
            if let Some(property) = vocab::relation_property(&st.relation) {
                self.add(subject.as_ref(), property, object);
            }
        }
    }
}

/// All quads of one document, in the named graph `id/doc/{doc-id}` (see the module docs).
pub fn document_quads(doc: &DocumentGraph) -> Vec<Quad> {
    let doc_iri = vocab::document(&doc.meta.id);
    let mut builder = GraphBuilder {
        graph: GraphName::NamedNode(doc_iri.clone()),
        quads: IndexSet::new(),
    };
    let d = doc_iri.as_ref();
    let meta = &doc.meta;
    builder.add(d, rdf::TYPE, gk::DOCUMENT.into_owned());
    builder.add_str(d, rdfs::LABEL, meta.title.as_deref().unwrap_or(&meta.id));
    builder.add_str(d, gk::IDENTIFIER, &meta.id);
    if let Some(date) = &meta.date {
        builder.add(d, gk::PUBLICATION_DATE, date_literal(date));
    }
    builder.add_opt(d, gk::DATELINE, meta.place.as_deref());
    builder.add_opt(d, gk::TITLE, meta.title.as_deref());
    if let Some(url) = &meta.url {
        builder.add(d, gk::URL, Literal::new_typed_literal(url, xsd::ANY_URI));
    }
    builder.add_opt(d, gk::PUBLISHER, meta.source.as_deref());
    builder.add_str(d, gk::CONTENT_HASH, &meta.content_hash);
    for (position, statement) in doc.statements.iter().enumerate() {
        builder.statement(statement, position);
    }
    builder.quads.into_iter().collect()
}

// ---------------------------------------------------------------------------------------
// Reading back
// ---------------------------------------------------------------------------------------

fn missing(subject: NamedNodeRef<'_>, property: NamedNodeRef<'_>) -> RdfError {
    RdfError::Missing {
        subject: subject.as_str().to_owned(),
        property: vocab::compact_iri(property.as_str()),
    }
}

fn bad(subject: NamedNodeRef<'_>, property: NamedNodeRef<'_>, value: TermRef<'_>) -> RdfError {
    RdfError::BadValue {
        subject: subject.as_str().to_owned(),
        property: vocab::compact_iri(property.as_str()),
        value: value.to_string(),
    }
}

/// Typed access to the triples of one graph about one subject.
struct Reader<'a> {
    graph: &'a Graph,
}

impl<'a> Reader<'a> {
    fn object(&self, s: NamedNodeRef<'_>, p: NamedNodeRef<'_>) -> Option<TermRef<'a>> {
        self.graph
            .object_for_subject_predicate(NamedOrBlankNodeRef::from(s), p)
    }

    fn text(&self, s: NamedNodeRef<'_>, p: NamedNodeRef<'_>) -> Result<Option<String>, RdfError> {
        match self.object(s, p) {
            None => Ok(None),
            Some(TermRef::Literal(l)) => Ok(Some(l.value().to_owned())),
            Some(other) => Err(bad(s, p, other)),
        }
    }

    fn required_text(&self, s: NamedNodeRef<'_>, p: NamedNodeRef<'_>) -> Result<String, RdfError> {
        self.text(s, p)?.ok_or_else(|| missing(s, p))
    }

    fn number<T: FromStr>(
        &self,
        s: NamedNodeRef<'_>,
        p: NamedNodeRef<'_>,
    ) -> Result<Option<T>, RdfError> {
        let Some(term) = self.object(s, p) else {
            return Ok(None);
        };
        let TermRef::Literal(literal) = term else {
            return Err(bad(s, p, term));
        };
        let value = match literal.value() {
            "INF" => "inf",
            "-INF" => "-inf",
            other => other,
        };
        value.parse().map(Some).map_err(|_| bad(s, p, term))
    }

    fn required_number<T: FromStr>(
        &self,
        s: NamedNodeRef<'_>,
        p: NamedNodeRef<'_>,
    ) -> Result<T, RdfError> {
        self.number(s, p)?.ok_or_else(|| missing(s, p))
    }

    fn iri(
        &self,
        s: NamedNodeRef<'_>,
        p: NamedNodeRef<'_>,
    ) -> Result<Option<NamedNodeRef<'a>>, RdfError> {
        match self.object(s, p) {
            None => Ok(None),
            Some(TermRef::NamedNode(n)) => Ok(Some(n)),
            Some(other) => Err(bad(s, p, other)),
        }
    }

    fn required_iri(
        &self,
        s: NamedNodeRef<'_>,
        p: NamedNodeRef<'_>,
    ) -> Result<NamedNodeRef<'a>, RdfError> {
        self.iri(s, p)?.ok_or_else(|| missing(s, p))
    }

    fn iris(&self, s: NamedNodeRef<'_>, p: NamedNodeRef<'_>) -> Vec<NamedNodeRef<'a>> {
        self.graph
            .objects_for_subject_predicate(NamedOrBlankNodeRef::from(s), p)
            .filter_map(|o| match o {
                TermRef::NamedNode(n) => Some(n),
                _ => None,
            })
            .collect()
    }

    fn has_type(&self, s: NamedNodeRef<'_>, class: NamedNodeRef<'_>) -> bool {
        self.graph
            .contains(oxigraph::model::TripleRef::new(s, rdf::TYPE, class))
    }

    /// The node filling a participation, with the statement-specific values kept there.
    fn node(&self, part: NamedNodeRef<'_>) -> Result<Node, RdfError> {
        let iri = self.required_iri(part, gk::PARTICIPANT)?;
        let (id, is_actor) =
            vocab::node_key(iri.as_str()).ok_or_else(|| bad(part, gk::PARTICIPANT, iri.into()))?;
        let kind = KINDS
            .into_iter()
            .filter(|k| k.is_actor() == is_actor)
            .find(|k| self.has_type(iri, kind_class(*k)))
            .ok_or_else(|| missing(iri, rdf::TYPE))?;
        Ok(Node {
            id,
            label: self.required_text(iri, rdfs::LABEL)?,
            kind,
            actor_code: self.text(part, gk::ACTOR_CODE)?,
            country: self.text(iri, gk::COUNTRY)?,
            wikidata: self.text(iri, gk::WIKIDATA)?,
            role: self.text(part, gk::ROLE)?,
            mention: self.text(part, gk::MENTION)?,
        })
    }
}

/// Reads one statement back from the graph of its document.
pub fn statement_from_rdf(
    graph: &Graph,
    statement: NamedNodeRef<'_>,
) -> Result<Statement, RdfError> {
    let r = Reader { graph };
    let s = statement;
    let doc_iri = r.required_iri(s, gk::IN_DOCUMENT)?;
    let doc = vocab::document_id(doc_iri.as_str())
        .ok_or_else(|| bad(s, gk::IN_DOCUMENT, doc_iri.into()))?;
    let cameo = match r.iri(s, gk::CAMEO_CODE)? {
        Some(iri) => Some(
            vocab::cameo_code(iri.as_str()).ok_or_else(|| bad(s, gk::CAMEO_CODE, iri.into()))?,
        ),
        None => None,
    };
    let modality_iri_ = r.required_iri(s, gk::MODALITY)?;
    let modality = MODALITIES
        .into_iter()
        .find(|m| modality_iri(*m) == modality_iri_)
        .ok_or_else(|| bad(s, gk::MODALITY, modality_iri_.into()))?;
    let trigger_span = match (
        r.number(s, gk::TRIGGER_START)?,
        r.number(s, gk::TRIGGER_END)?,
    ) {
        (Some(start), Some(end)) => Some(Span { start, end }),
        (None, None) => None,
        (Some(_), None) => return Err(missing(s, gk::TRIGGER_END)),
        (None, Some(_)) => return Err(missing(s, gk::TRIGGER_START)),
    };

    let mut subject = None;
    let mut object = None;
    let mut source = None;
    let mut entities = Vec::new();
    for part in r.iris(s, gk::HAS_PARTICIPATION) {
        let slot = r.required_iri(part, gk::PARTICIPATION_TYPE)?;
        let node = r.node(part)?;
        if slot == gk::SUBJECT_ROLE {
            subject = Some(node);
        } else if slot == gk::OBJECT_ROLE {
            object = Some(node);
        } else if slot == gk::SOURCE_ROLE {
            source = Some(node);
        } else if slot == gk::MENTIONED_ROLE {
            entities.push((r.required_number::<usize>(part, gk::POSITION)?, node));
        } else {
            return Err(bad(part, gk::PARTICIPATION_TYPE, slot.into()));
        }
    }
    entities.sort_by_key(|(position, _)| *position);

    Ok(Statement {
        id: r.required_text(s, gk::IDENTIFIER)?,
        doc,
        sentence: r.required_number(s, gk::SENTENCE_INDEX)?,
        evidence: r.required_text(s, gk::EVIDENCE_TEXT)?,
        span: Span {
            start: r.required_number(s, gk::START_OFFSET)?,
            end: r.required_number(s, gk::END_OFFSET)?,
        },
        trigger_span,
        subject: subject.ok_or_else(|| missing(s, gk::SUBJECT))?,
        object,
        relation: r.required_text(s, gk::RELATION)?,
        pattern: r.text(s, gk::CODING_PATTERN)?,
        cameo,
        plover: r.text(s, gk::PLOVER_TYPE)?,
        goldstein: r.number(s, gk::GOLDSTEIN)?,
        quad_class: r.number(s, gk::QUAD_CLASS)?,
        date: r.text(s, gk::DATE)?,
        modality,
        confidence: r.required_number(s, gk::CONFIDENCE)?,
        source,
        entities: entities.into_iter().map(|(_, node)| node).collect(),
        location: location_from_rdf(&r, s)?,
    })
}

/// The location of a statement node, when it has one.
fn location_from_rdf(r: &Reader<'_>, s: NamedNodeRef<'_>) -> Result<Option<Location>, RdfError> {
    let Some(place) = r.iri(s, geo::HAS_PLACE)? else {
        return Ok(None);
    };
    let read = |p: NamedNodeRef<'_>| -> Result<String, RdfError> { r.required_text(s, p) };
    let text = read(gk::LOCATION_PRECISION)?;
    let precision = LocationPrecision::parse(&text).ok_or_else(|| {
        bad(
            s,
            gk::LOCATION_PRECISION,
            Literal::new_simple_literal(&text).as_ref().into(),
        )
    })?;
    let text = read(gk::LOCATION_SOURCE)?;
    let from = LocationSource::parse(&text).ok_or_else(|| {
        bad(
            s,
            gk::LOCATION_SOURCE,
            Literal::new_simple_literal(&text).as_ref().into(),
        )
    })?;
    Ok(Some(Location {
        label: r.required_text(place, rdfs::LABEL)?,
        geonames_id: r.number(place, gk::GEONAMES_ID)?,
        country: r.text(place, gk::COUNTRY)?,
        admin1: r.text(place, gk::ADMIN1)?,
        lat: r.number(place, geo::LAT)?,
        lon: r.number(place, geo::LONG)?,
        precision,
        from,
    }))
}

/// Reads the metadata of a document node.
pub fn document_meta_from_rdf(
    graph: &Graph,
    doc: NamedNodeRef<'_>,
) -> Result<DocumentMeta, RdfError> {
    let r = Reader { graph };
    Ok(DocumentMeta {
        id: vocab::document_id(doc.as_str()).ok_or_else(|| bad(doc, rdf::TYPE, doc.into()))?,
        date: r.text(doc, gk::PUBLICATION_DATE)?,
        place: r.text(doc, gk::DATELINE)?,
        title: r.text(doc, gk::TITLE)?,
        url: r.text(doc, gk::URL)?,
        source: r.text(doc, gk::PUBLISHER)?,
        content_hash: r.required_text(doc, gk::CONTENT_HASH)?,
    })
}

/// The single gk:Document node of a document graph.
pub fn document_node(graph: &Graph) -> Result<NamedNodeRef<'_>, RdfError> {
    let docs: Vec<_> = graph
        .subjects_for_predicate_object(rdf::TYPE, gk::DOCUMENT)
        .filter_map(|s| match s {
            NamedOrBlankNodeRef::NamedNode(n) => Some(n),
            _ => None,
        })
        .collect();
    match docs.as_slice() {
        [doc] => Ok(*doc),
        _ => Err(RdfError::DocumentCount(docs.len())),
    }
}

/// Reads a whole document graph back, statements in their original order.
pub fn document_from_rdf(graph: &Graph) -> Result<DocumentGraph, RdfError> {
    let doc = document_node(graph)?;
    let meta = document_meta_from_rdf(graph, doc)?;
    let r = Reader { graph };
    let mut nodes: Vec<(usize, NamedNodeRef<'_>)> = Vec::new();
    for class in [gk::EVENT, gk::RELATION_CLASS] {
        for s in graph.subjects_for_predicate_object(rdf::TYPE, class) {
            if let NamedOrBlankNodeRef::NamedNode(s) = s {
                nodes.push((r.required_number(s, gk::POSITION)?, s));
            }
        }
    }
    nodes.sort_by_key(|(position, s)| (*position, s.as_str()));
    let statements = nodes
        .into_iter()
        .map(|(_, s)| statement_from_rdf(graph, s))
        .collect::<Result<_, _>>()?;
    Ok(DocumentGraph { meta, statements })
}

// ---------------------------------------------------------------------------------------
// Serialisation
// ---------------------------------------------------------------------------------------

/// Output syntaxes of `geokg extract`. Quad syntaxes (N-Quads, TriG, JSON-LD) keep one
/// named graph per document; triple syntaxes (Turtle, N-Triples) write the union.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RdfFormat {
    NQuads,
    TriG,
    Turtle,
    NTriples,
    JsonLd,
}

impl RdfFormat {
    pub const NAMES: &'static [&'static str] = &["nquads", "trig", "turtle", "ntriples", "jsonld"];

    pub fn name(self) -> &'static str {
        match self {
            RdfFormat::NQuads => "nquads",
            RdfFormat::TriG => "trig",
            RdfFormat::Turtle => "turtle",
            RdfFormat::NTriples => "ntriples",
            RdfFormat::JsonLd => "jsonld",
        }
    }

    /// Whether the syntax keeps named graphs.
    pub fn has_graphs(self) -> bool {
        matches!(
            self,
            RdfFormat::NQuads | RdfFormat::TriG | RdfFormat::JsonLd
        )
    }

    fn oxigraph(self) -> oxigraph::io::RdfFormat {
        use oxigraph::io::RdfFormat as F;
        match self {
            RdfFormat::NQuads => F::NQuads,
            RdfFormat::TriG => F::TriG,
            RdfFormat::Turtle => F::Turtle,
            RdfFormat::NTriples => F::NTriples,
            RdfFormat::JsonLd => F::JsonLd {
                profile: JsonLdProfileSet::empty(),
            },
        }
    }
}

impl fmt::Display for RdfFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An RDF syntax name geokg does not write.
#[derive(Debug, thiserror::Error)]
#[error("unknown RDF format {0:?}; expected one of: nquads, trig, turtle, ntriples, jsonld")]
pub struct UnknownRdfFormat(pub String);

impl FromStr for RdfFormat {
    type Err = UnknownRdfFormat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s.to_ascii_lowercase().as_str() {
            "nquads" | "nq" | "n-quads" => RdfFormat::NQuads,
            "trig" => RdfFormat::TriG,
            "turtle" | "ttl" => RdfFormat::Turtle,
            "ntriples" | "nt" | "n-triples" => RdfFormat::NTriples,
            "jsonld" | "json-ld" => RdfFormat::JsonLd,
            _ => return Err(UnknownRdfFormat(s.to_owned())),
        })
    }
}

/// Serialises `docs` in `format`, with geokg's prefixes where the syntax has them.
pub fn write_documents(
    docs: &[DocumentGraph],
    format: RdfFormat,
    out: impl Write,
) -> io::Result<()> {
    let quads = docs.iter().flat_map(document_quads);
    if format.has_graphs() {
        write_quads(quads, format, out)
    } else {
        let triples: IndexSet<Triple> = quads.map(Triple::from).collect();
        write_quads(
            triples
                .into_iter()
                .map(|t| t.in_graph(GraphName::DefaultGraph)),
            format,
            out,
        )
    }
}

/// Serialises quads (for triple syntaxes, graph names must already be the default graph).
pub fn write_quads(
    quads: impl IntoIterator<Item = Quad>,
    format: RdfFormat,
    out: impl Write,
) -> io::Result<()> {
    let mut serializer = RdfSerializer::from_format(format.oxigraph());
    if matches!(format, RdfFormat::Turtle | RdfFormat::TriG) {
        for (prefix, iri) in vocab::PREFIXES {
            serializer = serializer
                .with_prefix(*prefix, *iri)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        }
    }
    let mut writer = serializer.for_writer(out);
    for quad in quads {
        writer.serialize_quad(&quad)?;
    }
    writer.finish()?.flush()
}

/// Groups quads by graph name: the named graphs of a dataset as in-memory graphs.
pub fn graphs_by_name(quads: impl IntoIterator<Item = Quad>) -> HashMap<GraphName, Graph> {
    let mut graphs: HashMap<GraphName, Graph> = HashMap::new();
    for quad in quads {
        let graph = quad.graph_name.clone();
        graphs.entry(graph).or_default().insert(&Triple::from(quad));
    }
    graphs
}

#[cfg(test)]
mod tests;
