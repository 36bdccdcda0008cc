//! HTTP content negotiation (RFC 9110 §12.5.1) over the formats the endpoint writes: the
//! W3C SPARQL results formats for SELECT and ASK, RDF syntaxes for CONSTRUCT, DESCRIBE and
//! graph reads. A client may also name a format with `?format=` (json, xml, csv, tsv,
//! turtle, ntriples, jsonld, rdfxml), as many SPARQL endpoints allow, for browsers that
//! cannot set `Accept`.

use oxigraph::io::JsonLdProfileSet;
use oxigraph::io::RdfFormat;
use oxigraph::sparql::results::QueryResultsFormat;

/// Results formats in the order the server prefers them when the client has no preference.
pub const RESULTS_FORMATS: &[(&str, QueryResultsFormat)] = &[
    ("application/sparql-results+json", QueryResultsFormat::Json),
    ("application/sparql-results+xml", QueryResultsFormat::Xml),
    ("text/csv", QueryResultsFormat::Csv),
    ("text/tab-separated-values", QueryResultsFormat::Tsv),
    ("application/json", QueryResultsFormat::Json),
    ("application/xml", QueryResultsFormat::Xml),
];

const JSON_LD: RdfFormat = RdfFormat::JsonLd {
    profile: JsonLdProfileSet::empty(),
};

/// RDF formats for graphs, preferred first.
pub const GRAPH_FORMATS: &[(&str, RdfFormat)] = &[
    ("text/turtle", RdfFormat::Turtle),
    ("application/n-triples", RdfFormat::NTriples),
    ("application/ld+json", JSON_LD),
    ("application/rdf+xml", RdfFormat::RdfXml),
    ("text/plain", RdfFormat::NTriples),
    ("application/json", JSON_LD),
    ("application/xml", RdfFormat::RdfXml),
];

/// One media range of an `Accept` header with its weight.
#[derive(Debug, Clone, PartialEq)]
struct MediaRange {
    kind: String,
    subtype: String,
    q: f32,
}

impl MediaRange {
    /// How specifically this range names `media` (type/subtype): 2 exact, 1 `type/*`,
    /// 0 `*/*`, `None` no match.
    fn specificity(&self, media: &str) -> Option<u8> {
        let (kind, subtype) = media.split_once('/')?;
        match (self.kind.as_str(), self.subtype.as_str()) {
            ("*", "*") => Some(0),
            (k, "*") if k.eq_ignore_ascii_case(kind) => Some(1),
            (k, s) if k.eq_ignore_ascii_case(kind) && s.eq_ignore_ascii_case(subtype) => Some(2),
            _ => None,
        }
    }
}

fn parse_accept(header: &str) -> Vec<MediaRange> {
    header
        .split(',')
        .filter_map(|part| {
            let mut pieces = part.split(';');
            let (kind, subtype) = pieces.next()?.trim().split_once('/')?;
            let mut q = 1.0;
            for param in pieces {
                if let Some((key, value)) = param.split_once('=') {
                    if key.trim().eq_ignore_ascii_case("q") {
                        q = value.trim().parse::<f32>().ok()?.clamp(0.0, 1.0);
                    }
                }
            }
            Some(MediaRange {
                kind: kind.trim().to_ascii_lowercase(),
                subtype: subtype.trim().to_ascii_lowercase(),
                q,
            })
        })
        .collect()
}

/// The offer the client weighs highest; among equal weights, the server's earlier offer.
/// No `Accept` header (or an empty one) means anything goes: the first offer. `None` when
/// every offer is excluded (the caller answers 406 Not Acceptable).
pub fn choose<'a, T: Copy>(
    accept: Option<&str>,
    offers: &'a [(&'a str, T)],
) -> Option<(&'a str, T)> {
    let ranges = match accept.map(str::trim) {
        None | Some("") => return offers.first().copied(),
        Some(header) => parse_accept(header),
    };
    let mut best: Option<(f32, usize)> = None;
    for (i, (media, _)) in offers.iter().enumerate() {
        // The most specific range matching the offer sets its weight.
        let weight = ranges
            .iter()
            .filter_map(|r| r.specificity(media).map(|s| (s, r.q)))
            .max_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)))
            .map(|(_, q)| q);
        if let Some(q) = weight.filter(|q| *q > 0.0) {
            if best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, i));
            }
        }
    }
    best.map(|(_, i)| offers[i])
}

/// The results format a `?format=` value names.
pub fn results_format_named(name: &str) -> Option<(&'static str, QueryResultsFormat)> {
    let format = match name.to_ascii_lowercase().as_str() {
        "json" | "srj" => QueryResultsFormat::Json,
        "xml" | "srx" => QueryResultsFormat::Xml,
        "csv" => QueryResultsFormat::Csv,
        "tsv" => QueryResultsFormat::Tsv,
        other => QueryResultsFormat::from_media_type(other)?,
    };
    RESULTS_FORMATS.iter().copied().find(|(_, f)| *f == format)
}

/// The RDF format a `?format=` value names.
pub fn graph_format_named(name: &str) -> Option<(&'static str, RdfFormat)> {
    let format = match name.to_ascii_lowercase().as_str() {
        "turtle" | "ttl" => RdfFormat::Turtle,
        "ntriples" | "nt" | "n-triples" => RdfFormat::NTriples,
        "jsonld" | "json-ld" | "json" => JSON_LD,
        "rdfxml" | "rdf" | "xml" | "rdf+xml" => RdfFormat::RdfXml,
        other => RdfFormat::from_media_type(other)?,
    };
    GRAPH_FORMATS.iter().copied().find(|(_, f)| *f == format)
}

/// The RDF format of a request body from its `Content-Type` (for graph writes).
pub fn body_format(content_type: &str) -> Option<RdfFormat> {
    RdfFormat::from_media_type(content_type).filter(|f| !f.supports_datasets())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_preference_gets_json_results_and_turtle_graphs() {
        assert_eq!(
            choose(None, RESULTS_FORMATS).map(|o| o.0),
            Some("application/sparql-results+json")
        );
        assert_eq!(
            choose(Some("*/*"), GRAPH_FORMATS).map(|o| o.0),
            Some("text/turtle")
        );
    }

    #[test]
    fn quality_values_decide_between_formats() {
        let accept = "application/sparql-results+json;q=0.5, application/sparql-results+xml";
        assert_eq!(
            choose(Some(accept), RESULTS_FORMATS).map(|o| o.1),
            Some(QueryResultsFormat::Xml)
        );
        let accept = "text/*;q=0.9, text/csv;q=0.1";
        assert_eq!(
            choose(Some(accept), RESULTS_FORMATS).map(|o| o.0),
            Some("text/tab-separated-values"),
            "the exact range text/csv;q=0.1 outweighs text/* for CSV"
        );
    }

    #[test]
    fn what_sparqlwrapper_and_rdflib_send_is_understood() {
        // SPARQLWrapper's JSON and XML requests, rdflib's CONSTRUCT request.
        let json = "application/sparql-results+json,application/json,text/javascript,application/javascript";
        assert_eq!(
            choose(Some(json), RESULTS_FORMATS).map(|o| o.1),
            Some(QueryResultsFormat::Json)
        );
        let xml = "application/sparql-results+xml";
        assert_eq!(
            choose(Some(xml), RESULTS_FORMATS).map(|o| o.1),
            Some(QueryResultsFormat::Xml)
        );
        let rdf = "application/rdf+xml, text/rdf+n3;q=0.9";
        assert_eq!(
            choose(Some(rdf), GRAPH_FORMATS).map(|o| o.1),
            Some(RdfFormat::RdfXml)
        );
    }

    #[test]
    fn an_unservable_accept_header_yields_no_format() {
        assert_eq!(choose(Some("image/png"), RESULTS_FORMATS), None);
        assert_eq!(choose(Some("text/turtle;q=0"), &GRAPH_FORMATS[..1]), None);
    }

    #[test]
    fn format_parameter_names_resolve() {
        assert_eq!(
            results_format_named("tsv").map(|f| f.1),
            Some(QueryResultsFormat::Tsv)
        );
        assert_eq!(
            graph_format_named("nt").map(|f| f.0),
            Some("application/n-triples")
        );
        assert_eq!(
            graph_format_named("jsonld").map(|f| f.0),
            Some("application/ld+json")
        );
        assert_eq!(results_format_named("yaml"), None);
        assert_eq!(
            body_format("text/turtle; charset=utf-8"),
            Some(RdfFormat::Turtle)
        );
        assert_eq!(body_format("application/n-quads"), None);
    }
}
