//! IRIs of geokg's RDF: the `gk:` ontology terms, the CAMEO concept scheme, and the
//! instance IRIs minted for documents, statements, actors and entities.
//!
//! Instance IRIs embed geokg's own keys (gazetteer keys, slugs, document and statement
//! ids). Those keys can hold anything a user's file names or ids hold, so every key is
//! percent-encoded as one path segment: every byte outside the RFC 3986 unreserved set
//! (`A-Z a-z 0-9 - . _ ~`) becomes `%XX`. The encoding is reversible, which is what lets
//! `statement_from_rdf` recover ids from IRIs, and a `/` in a document id cannot be
//! confused with the `/` between document and statement in an event IRI.

use oxigraph::model::{NamedNode, NamedNodeRef};

/// The geokg ontology namespace.
pub const GK: &str = "https://w3id.org/geokg/ontology#";
/// The IRI of the ontology itself, also the named graph the store loads it into.
pub const ONTOLOGY_GRAPH: &str = "https://w3id.org/geokg/ontology";
/// Base of every instance IRI.
pub const ID: &str = "https://w3id.org/geokg/id/";
/// Base of CAMEO event-type concepts (`cameo/042`).
pub const CAMEO: &str = "https://w3id.org/geokg/cameo/";
pub const SEM: &str = "http://semanticweb.cs.vu.nl/2009/11/sem/";
pub const PROV: &str = "http://www.w3.org/ns/prov#";
pub const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
pub const WIKIDATA_ENTITY: &str = "http://www.wikidata.org/entity/";
pub const GEOSPARQL: &str = "http://www.opengis.net/ont/geosparql#";
pub const WGS84: &str = "http://www.w3.org/2003/01/geo/wgs84_pos#";
pub const GEONAMES: &str = "https://sws.geonames.org/";
pub const PLACE_BASE: &str = "https://w3id.org/geokg/id/place/";

/// External terms of event locations: SEM's place link, GeoSPARQL geometry, W3C WGS84.
pub mod geo {
    use oxigraph::model::NamedNodeRef;

    pub const HAS_PLACE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://semanticweb.cs.vu.nl/2009/11/sem/hasPlace");
    pub const SEM_PLACE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://semanticweb.cs.vu.nl/2009/11/sem/Place");
    pub const HAS_GEOMETRY: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.opengis.net/ont/geosparql#hasGeometry");
    pub const GEOMETRY: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.opengis.net/ont/geosparql#Geometry");
    pub const AS_WKT: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.opengis.net/ont/geosparql#asWKT");
    pub const WKT_LITERAL: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.opengis.net/ont/geosparql#wktLiteral");
    pub const LAT: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/2003/01/geo/wgs84_pos#lat");
    pub const LONG: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/2003/01/geo/wgs84_pos#long");
}

/// Prefixes written in Turtle/TriG output, predeclared for SPARQL queries, and used to
/// print terms compactly in query tables.
pub const PREFIXES: &[(&str, &str)] = &[
    ("gk", GK),
    ("cameo", CAMEO),
    ("actor", "https://w3id.org/geokg/id/actor/"),
    ("entity", "https://w3id.org/geokg/id/entity/"),
    ("doc", "https://w3id.org/geokg/id/doc/"),
    ("event", "https://w3id.org/geokg/id/event/"),
    ("relation", "https://w3id.org/geokg/id/relation/"),
    ("sem", SEM),
    ("prov", PROV),
    ("skos", SKOS),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("owl", "http://www.w3.org/2002/07/owl#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ("dcterms", "http://purl.org/dc/terms/"),
    ("wd", WIKIDATA_ENTITY),
    ("place", PLACE_BASE),
    ("geo", GEOSPARQL),
    ("wgs", WGS84),
    ("gn", GEONAMES),
];

/// Terms of the geokg ontology (`ontology/geokg.ttl`).
pub mod gk {
    use oxigraph::model::NamedNodeRef;

    macro_rules! terms {
        ($($name:ident = $local:literal;)*) => {
            $(pub const $name: NamedNodeRef<'static> =
                NamedNodeRef::new_unchecked(concat!("https://w3id.org/geokg/ontology#", $local));)*
            /// Every term above: the ontology test checks each is declared with a label
            /// and a comment.
            pub const ALL: &[NamedNodeRef<'static>] = &[$($name),*];
        };
    }

    terms! {
        STATEMENT = "Statement";
        EVENT = "Event";
        RELATION_CLASS = "Relation";
        ACTOR = "Actor";
        PERSON = "Person";
        COUNTRY_CLASS = "Country";
        ORGANISATION = "Organisation";
        GROUP = "Group";
        ENTITY = "Entity";
        AGREEMENT = "Agreement";
        WEAPON = "Weapon";
        PLACE = "Place";
        THING = "Thing";
        DOCUMENT = "Document";
        PARTICIPATION = "Participation";
        SUBJECT_ROLE = "SubjectRole";
        OBJECT_ROLE = "ObjectRole";
        SOURCE_ROLE = "SourceRole";
        MENTIONED_ROLE = "MentionedRole";
        HAS_PARTICIPATION = "hasParticipation";
        PARTICIPANT = "participant";
        PARTICIPATION_TYPE = "participationType";
        MENTION = "mention";
        POSITION = "position";
        SUBJECT = "subject";
        OBJECT = "object";
        SOURCE = "source";
        QUOTED_FROM = "quotedFrom";
        MENTIONS = "mentions";
        RELATION = "relation";
        CODING_PATTERN = "codingPattern";
        CAMEO_CODE = "cameoCode";
        CAMEO_ROOT = "cameoRoot";
        PLOVER_TYPE = "ploverType";
        GOLDSTEIN = "goldstein";
        QUAD_CLASS = "quadClass";
        DATE = "date";
        MODALITY = "modality";
        ASSERTED = "Asserted";
        NEGATED = "Negated";
        EXPECTED = "Expected";
        HYPOTHETICAL = "Hypothetical";
        REPORTED = "Reported";
        CONFIDENCE = "confidence";
        EVIDENCE_TEXT = "evidenceText";
        SENTENCE_INDEX = "sentenceIndex";
        START_OFFSET = "startOffset";
        END_OFFSET = "endOffset";
        TRIGGER_START = "triggerStart";
        TRIGGER_END = "triggerEnd";
        IN_DOCUMENT = "inDocument";
        IDENTIFIER = "identifier";
        ACTOR_CODE = "actorCode";
        COUNTRY = "country";
        WIKIDATA = "wikidata";
        ROLE = "role";
        INTERACTS_WITH = "interactsWith";
        RELATED_TO = "relatedTo";
        CONCERNS = "concerns";
        PUBLICATION_DATE = "publicationDate";
        DATELINE = "dateline";
        TITLE = "title";
        URL = "url";
        PUBLISHER = "publisher";
        CONTENT_HASH = "contentHash";
        GEONAMES_ID = "geonamesId";
        ADMIN1 = "admin1";
        LOCATION_PRECISION = "locationPrecision";
        LOCATION_SOURCE = "locationSource";
    }
}

/// The direct actor-to-actor edge property of each CAMEO root family, by root code.
/// Local names are verbs, read "subject consult object".
pub const CAMEO_ROOT_PROPERTIES: &[(&str, &str)] = &[
    ("01", "makePublicStatement"),
    ("02", "appeal"),
    ("03", "expressIntentToCooperate"),
    ("04", "consult"),
    ("05", "cooperateDiplomatically"),
    ("06", "cooperateMaterially"),
    ("07", "provideAid"),
    ("08", "yieldTo"),
    ("09", "investigate"),
    ("10", "demand"),
    ("11", "disapprove"),
    ("12", "reject"),
    ("13", "threaten"),
    ("14", "protest"),
    ("15", "exhibitForcePosture"),
    ("16", "reduceRelations"),
    ("17", "coerce"),
    ("18", "assault"),
    ("19", "fight"),
    ("20", "useMassViolence"),
];

/// The direct edge property for a CAMEO root ("04" -> gk:consult), if the root is known.
pub fn cameo_root_property(root: &str) -> Option<NamedNode> {
    CAMEO_ROOT_PROPERTIES
        .iter()
        .find(|(code, _)| *code == root)
        .map(|(_, local)| NamedNode::new_unchecked(format!("{GK}{local}")))
}

/// The direct edge property for a named relation: `concerns` has its own, every other
/// relation name only gets the generic gk:relatedTo.
pub fn relation_property(relation: &str) -> Option<NamedNodeRef<'static>> {
    match relation {
        "concerns" => Some(gk::CONCERNS),
        _ => None,
    }
}

/// Percent-encodes `key` as one IRI path segment (see the module docs). A segment made
/// only of dots has its dots encoded too, so it is never read as `.` or `..`.
pub fn encode_segment(key: &str) -> String {
    let only_dots = !key.is_empty() && key.bytes().all(|b| b == b'.');
    let mut out = String::with_capacity(key.len());
    for b in key.bytes() {
        let unreserved = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'~' | b'.');
        if unreserved && !(only_dots && b == b'.') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Inverse of [`encode_segment`]; `None` when the segment is not valid percent-encoded
/// UTF-8.
pub fn decode_segment(segment: &str) -> Option<String> {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = segment.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn instance(kind: &str, key: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{ID}{kind}/{}", encode_segment(key)))
}

/// `id/actor/{key}`: a person, country, organisation or group.
pub fn actor(key: &str) -> NamedNode {
    instance("actor", key)
}

/// `id/entity/{slug}`: an agreement, weapon, place or other thing.
pub fn entity(slug: &str) -> NamedNode {
    instance("entity", slug)
}

/// `id/doc/{doc-id}`: the document node, and also the name of the document's graph.
/// The IRI of an event location: a GeoNames place, a seat of power placed at one (its
/// label names the seat: "White House, Washington"), or a country without one.
pub fn place(geonames_id: Option<u32>, country: Option<&str>, label: &str) -> NamedNode {
    let local = match (geonames_id, country) {
        (Some(_), _) if label.contains(", ") => format!("seat-{}", encode_segment(label)),
        (Some(id), _) => format!("geonames-{id}"),
        (None, Some(iso)) => format!("country-{}", encode_segment(iso)),
        (None, None) => format!("name-{}", encode_segment(label)),
    };
    NamedNode::new_unchecked(format!("{PLACE_BASE}{local}"))
}

pub fn document(doc_id: &str) -> NamedNode {
    instance("doc", doc_id)
}

/// `id/event/{doc-id}/{statement-id}` for events, `id/relation/...` for relations.
pub fn statement(doc_id: &str, statement_id: &str, is_event: bool) -> NamedNode {
    let kind = if is_event { "event" } else { "relation" };
    NamedNode::new_unchecked(format!(
        "{ID}{kind}/{}/{}",
        encode_segment(doc_id),
        encode_segment(statement_id)
    ))
}

/// `{statement}/{slot}`: one actor slot of a statement (`subject`, `object`, `source`,
/// `entity/{n}`).
pub fn participation(statement: NamedNodeRef<'_>, slot: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{}/{slot}", statement.as_str()))
}

/// `cameo/{code}`: the SKOS concept of a CAMEO event code or root.
pub fn cameo(code: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{CAMEO}{}", encode_segment(code)))
}

/// The Wikidata entity IRI of a QID, only for well-formed QIDs ("Q" and digits): anything
/// else would mint an IRI Wikidata does not have.
pub fn wikidata(qid: &str) -> Option<NamedNode> {
    let digits = qid.strip_prefix('Q')?;
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| NamedNode::new_unchecked(format!("{WIKIDATA_ENTITY}{qid}")))
}

fn key_after(iri: &str, prefix: &str) -> Option<String> {
    let rest = iri.strip_prefix(ID)?.strip_prefix(prefix)?;
    if rest.contains('/') {
        return None;
    }
    decode_segment(rest)
}

/// The node key of an actor or entity IRI, and whether it is an actor.
pub fn node_key(iri: &str) -> Option<(String, bool)> {
    if let Some(key) = key_after(iri, "actor/") {
        return Some((key, true));
    }
    key_after(iri, "entity/").map(|key| (key, false))
}

/// The document id of a document IRI.
pub fn document_id(iri: &str) -> Option<String> {
    key_after(iri, "doc/")
}

/// The CAMEO code of a CAMEO concept IRI.
pub fn cameo_code(iri: &str) -> Option<String> {
    decode_segment(iri.strip_prefix(CAMEO)?)
}

/// Writes `iri` as `prefix:local` when a known prefix fits and the local part needs no
/// escaping in Turtle or SPARQL; otherwise as `<iri>`.
pub fn compact_iri(iri: &str) -> String {
    for (prefix, ns) in PREFIXES {
        if let Some(local) = iri.strip_prefix(ns) {
            let plain = !local.is_empty()
                && local
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
                && !local.starts_with('-');
            if plain {
                return format!("{prefix}:{local}");
            }
        }
    }
    format!("<{iri}>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn awkward_keys_round_trip_through_iris() {
        let keys = [
            "donald-trump",
            "a key with spaces",
            "quote\"d 'id'",
            "frag#ment",
            "path/with/slashes",
            "Zelenskyy–Зеленський 🇺🇦",
            "percent%20already",
            "",
            ".",
            "..",
            "article.v2.txt",
        ];
        for key in keys {
            let iri = actor(key);
            // A valid IRI: oxigraph's checked constructor accepts it.
            assert!(NamedNode::new(iri.as_str()).is_ok(), "{iri}");
            assert_eq!(node_key(iri.as_str()), Some((key.to_owned(), true)));
            assert_eq!(document_id(document(key).as_str()).as_deref(), Some(key));
            assert_eq!(cameo_code(cameo(key).as_str()).as_deref(), Some(key));
        }
    }

    #[test]
    fn escaping_keeps_reserved_characters_out_of_the_path() {
        let iri = statement("news/2025 #1", "s0-1", true);
        assert_eq!(
            iri.as_str(),
            "https://w3id.org/geokg/id/event/news%2F2025%20%231/s0-1"
        );
        assert_eq!(encode_segment(".."), "%2E%2E");
        assert_eq!(encode_segment("v1.2"), "v1.2");
        assert_eq!(encode_segment("é"), "%C3%A9");
    }

    #[test]
    fn entity_and_actor_iris_are_told_apart() {
        assert_eq!(
            node_key(entity("minerals-deal").as_str()),
            Some(("minerals-deal".to_owned(), false))
        );
        assert_eq!(node_key("https://w3id.org/geokg/id/doc/x"), None);
        assert_eq!(decode_segment("%zz"), None);
        assert_eq!(decode_segment("%FF"), None);
    }

    #[test]
    fn only_well_formed_qids_become_wikidata_iris() {
        assert_eq!(
            wikidata("Q22686").map(|n| n.into_string()).as_deref(),
            Some("http://www.wikidata.org/entity/Q22686")
        );
        assert_eq!(wikidata("22686"), None);
        assert_eq!(wikidata("Q"), None);
        assert_eq!(wikidata("Q1 2"), None);
    }

    #[test]
    fn every_cameo_root_has_a_direct_edge_property() {
        for root in 1..=20 {
            let code = format!("{root:02}");
            assert!(cameo_root_property(&code).is_some(), "root {code}");
        }
        assert_eq!(
            cameo_root_property("04")
                .map(|p| p.into_string())
                .as_deref(),
            Some("https://w3id.org/geokg/ontology#consult")
        );
        assert_eq!(cameo_root_property("21"), None);
    }

    #[test]
    fn compact_names_use_known_prefixes() {
        assert_eq!(
            compact_iri("https://w3id.org/geokg/ontology#consult"),
            "gk:consult"
        );
        assert_eq!(
            compact_iri(actor("donald-trump").as_str()),
            "actor:donald-trump"
        );
        assert_eq!(
            compact_iri(actor("a b").as_str()),
            "<https://w3id.org/geokg/id/actor/a%20b>"
        );
        assert_eq!(
            compact_iri("http://example.org/x"),
            "<http://example.org/x>"
        );
    }
}
