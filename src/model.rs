//! The knowledge-graph vocabulary every later layer speaks: a `Statement` (an event or a
//! relation between two nodes) and the `Node`s it links. Nothing here knows about text
//! analysis or RDF; `extract` produces these values and `rdf`, `store`, `graph`, `export`
//! consume them.
//!
//! The JSON form of a `Statement` is geokg's JSONL output, one statement per line, and is
//! the contract read by event scorers: `doc`, `sentence`, `evidence`, `span`, `subject`,
//! `object`, `relation`, `cameo`, `plover`, `goldstein`, `quad_class`, `date`, `modality`,
//! `confidence`, `source`, `location`.

use serde::{Deserialize, Serialize};

/// What a node in the graph is. The first four are actors (they act in events);
/// the rest are things events and relations are about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum NodeKind {
    Person,
    Country,
    Organisation,
    /// Armed groups, movements, and role-based collectives ("Russian troops").
    Group,
    /// Deals, treaties, accords, agreements.
    Agreement,
    Weapon,
    Place,
    /// Any other non-actor entity worth a node (a policy, a programme).
    Thing,
}

impl NodeKind {
    pub fn is_actor(self) -> bool {
        matches!(
            self,
            NodeKind::Person | NodeKind::Country | NodeKind::Organisation | NodeKind::Group
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Person => "Person",
            NodeKind::Country => "Country",
            NodeKind::Organisation => "Organisation",
            NodeKind::Group => "Group",
            NodeKind::Agreement => "Agreement",
            NodeKind::Weapon => "Weapon",
            NodeKind::Place => "Place",
            NodeKind::Thing => "Thing",
        }
    }
}

/// An actor or entity as it stands in one statement, resolved against the gazetteer and
/// coded for the statement's date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Node {
    /// Stable identifier, unique across documents: the gazetteer key for known actors
    /// ("donald-trump", "country-usa"), a slug of the label for others ("minerals-deal").
    pub id: String,
    /// Canonical name ("Donald Trump", "United States").
    pub label: String,
    #[serde(rename = "type")]
    pub kind: NodeKind,
    /// CAMEO actor code in force on the statement's date ("USAGOV", "IGOWSTNAT").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_code: Option<String>,
    /// ISO 3166-1 alpha-3 code of the actor's country, where it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Wikidata QID ("Q22686").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wikidata: Option<String>,
    /// The role in force on the statement's date ("President of the United States").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The text of the mention this node was resolved from ("the US leader").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mention: Option<String>,
}

/// How the text commits to a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Modality {
    /// Stated as having happened or holding.
    Asserted,
    /// Stated as not having happened ("did not meet").
    Negated,
    /// Planned, expected or future ("is expected to sign", "will visit").
    Expected,
    /// Conditional or possible ("could reach a deal", "if talks succeed").
    Hypothetical,
    /// Attributed to a source rather than asserted by the text ("X said that ...").
    Reported,
}

impl Modality {
    pub fn as_str(self) -> &'static str {
        match self {
            Modality::Asserted => "asserted",
            Modality::Negated => "negated",
            Modality::Expected => "expected",
            Modality::Hypothetical => "hypothetical",
            Modality::Reported => "reported",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "asserted" => Modality::Asserted,
            "negated" => Modality::Negated,
            "expected" => Modality::Expected,
            "hypothetical" => Modality::Hypothetical,
            "reported" => Modality::Reported,
            _ => return None,
        })
    }
}

/// Character offsets (Unicode scalar values, end exclusive) into the document text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// One extracted fact: a coded event between actors (`cameo` is set) or a relation
/// between an entity and another node (`cameo` is `None`, e.g. minerals deal -concerns-> Ukraine).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    /// Unique within the document: "s{sentence}-{n}".
    pub id: String,
    /// Document identifier.
    pub doc: String,
    /// 0-based sentence index within the document.
    pub sentence: usize,
    /// The sentence text the statement was read from.
    pub evidence: String,
    /// Character offsets of that sentence in the document.
    pub span: Span,
    /// Character offsets of the words that triggered the statement (verb or event noun).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger_span: Option<Span>,
    pub subject: Node,
    pub object: Option<Node>,
    /// The trigger's lemma or the relation's name ("meet", "brush aside", "concerns").
    pub relation: String,
    /// For events coded with PETRARCH/TABARI dictionaries (`--dictionaries`): the verb
    /// block and the pattern that gave the code, with its dictionary line
    /// ("RESTORE: * DIPLOMATIC [064] (line 983)").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// CAMEO event code ("042"); `None` for a non-event relation.
    pub cameo: Option<String>,
    /// PLOVER event type ("CONSULT").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plover: Option<String>,
    /// Goldstein conflict-cooperation value, -10 to +10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goldstein: Option<f64>,
    /// QuadClass: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict,
    /// 4 material conflict (0 for neutral statements).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quad_class: Option<u8>,
    /// ISO date (YYYY-MM-DD) the event happened or is expected, or a coarser one ("2014").
    pub date: Option<String>,
    pub modality: Modality,
    /// 0 to 1: how sure the extractor is.
    pub confidence: f64,
    /// Who said it, for reported statements.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Node>,
    /// Non-actor entities the event mentions (the deal being signed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entities: Vec<Node>,
    /// Where the event happened, when the text or the dateline says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

/// Where an event happened: a place of the GeoNames gazetteer, or a country.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Location {
    /// The place's name ("Kharkiv", "Washington"; for a seat of power, "White House,
    /// Washington"; for a country, the country's name).
    pub label: String,
    /// GeoNames id of the place (none for a country).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub geonames_id: Option<u32>,
    /// ISO 3166-1 alpha-3 code of the place's country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Name of the first-level region (state, province, oblast) the place lies in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin1: Option<String>,
    /// Degrees, WGS 84 (none for a country, or a region GeoNames gives no position).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
    pub precision: LocationPrecision,
    pub from: LocationSource,
}

/// How precisely a location places the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LocationPrecision {
    /// A town or city (a seat of power is placed at its city).
    City,
    /// A first-level region.
    Admin1,
    /// A country only.
    Country,
}

impl LocationPrecision {
    pub fn as_str(self) -> &'static str {
        match self {
            LocationPrecision::City => "city",
            LocationPrecision::Admin1 => "admin1",
            LocationPrecision::Country => "country",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            LocationPrecision::City,
            LocationPrecision::Admin1,
            LocationPrecision::Country,
        ]
        .into_iter()
        .find(|p| p.as_str() == s)
    }
}

/// Where a location was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LocationSource {
    /// The event's sentence: a place phrase on the event, its target, or a place the
    /// sentence names.
    Sentence,
    /// An earlier sentence of the document: the place of the scene an event continues, or
    /// of an earlier exchange between the same actors.
    Earlier,
    /// The article's dateline.
    Dateline,
}

impl LocationSource {
    pub fn as_str(self) -> &'static str {
        match self {
            LocationSource::Sentence => "sentence",
            LocationSource::Earlier => "earlier",
            LocationSource::Dateline => "dateline",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            LocationSource::Sentence,
            LocationSource::Earlier,
            LocationSource::Dateline,
        ]
        .into_iter()
        .find(|p| p.as_str() == s)
    }
}

impl Statement {
    /// The CAMEO root (first two digits), when the statement is an event.
    pub fn cameo_root(&self) -> Option<&str> {
        self.cameo.as_deref().and_then(|c| c.get(..2))
    }
}

/// A document as geokg knows it once read: identity, date, place, provenance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentMeta {
    pub id: String,
    /// Publication date (YYYY-MM-DD).
    pub date: Option<String>,
    /// Dateline place ("WASHINGTON").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Hex SHA-256 of the document text: a changed text is a changed document.
    pub content_hash: String,
}

/// Everything extracted from one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentGraph {
    pub meta: DocumentMeta,
    pub statements: Vec<Statement>,
}
