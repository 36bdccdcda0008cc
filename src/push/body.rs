//! Request bodies: N-Triples for a Graph Store Protocol PUT, SPARQL 1.1 Update text for
//! engines without one.
//!
//! Terms are written by oxigraph's own N-Triples serialisation, whose escapes (`\"`, `\\`,
//! `\n`, `\r`, `\t`, `\uXXXX` for other control characters) are also SPARQL string escapes,
//! so a literal holding quotes, backslashes or newlines reaches the server unchanged.
//! SPARQL scopes blank-node labels to the whole request, so when several graphs share one
//! update their blank nodes are relabelled per graph (`_:g{n}_{label}`); a blank node can
//! never leak from one document into another.
//!
//! Virtuoso compiles each INSERT DATA to SQL and refuses one of more than about a thousand
//! triples ("generated SQL text has exceeded 10000 lines"); several large operations on
//! one graph in one request also slow it down quadratically. Large graphs are therefore
//! sent as a DROP followed by INSERT DATA parts in separate requests (see the caller).

use std::fmt::Write as _;

use oxigraph::model::{NamedNodeRef, NamedOrBlankNode, Term, Triple};

/// The body of a PUT that replaces one graph.
pub fn ntriples(triples: &[Triple]) -> String {
    let mut out = String::with_capacity(triples.len() * 120);
    for triple in triples {
        // Writing to a String cannot fail.
        let _ = writeln!(out, "{triple} .");
    }
    out
}

/// Appends the operations that replace graph `graph` with `triples` to an update request:
/// `DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> { … } }`. `scope` tells this graph's
/// blank nodes apart from those of the other graphs in the same request.
pub fn append_replace(
    update: &mut String,
    graph: NamedNodeRef<'_>,
    triples: &[Triple],
    scope: usize,
) {
    append_drop(update, graph);
    append_insert(update, graph, triples, scope);
}

/// Appends `INSERT DATA { GRAPH <g> { … } }` (nothing for no triples).
pub fn append_insert(
    update: &mut String,
    graph: NamedNodeRef<'_>,
    triples: &[Triple],
    scope: usize,
) {
    if triples.is_empty() {
        return;
    }
    if !update.is_empty() {
        update.push_str(" ;\n");
    }
    let _ = writeln!(update, "INSERT DATA {{ GRAPH {graph} {{");
    for triple in triples {
        let _ = writeln!(
            update,
            "{} {} {} .",
            subject(&triple.subject, scope),
            triple.predicate,
            object(&triple.object, scope)
        );
    }
    update.push_str("} }");
}

/// Whether any triple holds a blank node: such a graph must travel in one INSERT DATA,
/// since a blank-node label means the same node only within one operation's request.
pub fn has_blank_nodes(triples: &[Triple]) -> bool {
    triples
        .iter()
        .any(|t| t.subject.is_blank_node() || t.object.is_blank_node())
}

/// Appends `DROP SILENT GRAPH <g>` (silent: dropping an absent graph is no error).
pub fn append_drop(update: &mut String, graph: NamedNodeRef<'_>) {
    if !update.is_empty() {
        update.push_str(" ;\n");
    }
    let _ = write!(update, "DROP SILENT GRAPH {graph}");
}

fn subject(term: &NamedOrBlankNode, scope: usize) -> String {
    match term {
        NamedOrBlankNode::BlankNode(b) => format!("_:g{scope}_{}", b.as_str()),
        other => other.to_string(),
    }
}

fn object(term: &Term, scope: usize) -> String {
    match term {
        Term::BlankNode(b) => format!("_:g{scope}_{}", b.as_str()),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{BlankNode, Dataset, GraphName, Literal, NamedNode, Quad};
    use oxigraph::sparql::SparqlEvaluator;
    use oxigraph::store::Store;

    fn iri(s: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("https://example.org/{s}"))
    }

    /// Literals a news text can put in the store, and a few it should not but might.
    fn hostile() -> Vec<Literal> {
        vec![
            Literal::new_simple_literal("He said \"no\" twice"),
            Literal::new_simple_literal("C:\\path\\to\\file \\\" \\n"),
            Literal::new_simple_literal("line one\nline two\r\n\tindented"),
            Literal::new_simple_literal("bell \u{7} nul \u{0} esc \u{1b}"),
            Literal::new_simple_literal("} } ; DROP ALL ; INSERT DATA { GRAPH <x> {"),
            Literal::new_simple_literal("'single' \\u0022 ''' \"\"\""),
            Literal::new_language_tagged_literal_unchecked("Zelenskyy's \"plan\"", "en"),
            Literal::new_typed_literal(
                "2025-03-04",
                NamedNode::new_unchecked("http://www.w3.org/2001/XMLSchema#date"),
            ),
            Literal::new_simple_literal("émigré — 東京 😀"),
        ]
    }

    fn triples_of(literals: &[Literal], blank: &BlankNode) -> Vec<Triple> {
        let mut triples: Vec<Triple> = literals
            .iter()
            .map(|l| Triple::new(iri("s"), iri("p"), l.clone()))
            .collect();
        triples.push(Triple::new(blank.clone(), iri("p"), iri("o")));
        triples.push(Triple::new(iri("s"), iri("q"), blank.clone()));
        triples
    }

    fn store_dataset(store: &Store) -> Dataset {
        store
            .iter()
            .collect::<Result<Dataset, _>>()
            .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn update_with_hostile_literals_stores_them_unchanged() {
        let blank = BlankNode::new_unchecked("x1");
        let literals = hostile();
        let (g1, g2) = (iri("g1"), iri("g2"));
        let mut update = String::new();
        append_replace(&mut update, g1.as_ref(), &triples_of(&literals, &blank), 0);
        append_replace(&mut update, g2.as_ref(), &triples_of(&literals, &blank), 1);
        let store = Store::new().unwrap_or_else(|e| panic!("{e}"));
        // What was in g1 before is replaced, not merged.
        store
            .insert(&Quad::new(iri("old"), iri("p"), iri("o"), g1.clone()))
            .unwrap_or_else(|e| panic!("{e}"));
        SparqlEvaluator::new()
            .parse_update(&update)
            .unwrap_or_else(|e| panic!("{e}\n{update}"))
            .on_store(&store)
            .execute()
            .unwrap_or_else(|e| panic!("{e}\n{update}"));
        for g in [&g1, &g2] {
            let name = GraphName::NamedNode(g.clone());
            for l in &literals {
                let quad = Quad::new(iri("s"), iri("p"), l.clone(), name.clone());
                assert!(store.contains(&quad).unwrap_or(false), "{l} lost in {g}");
            }
        }
        assert!(!store
            .contains(&Quad::new(iri("old"), iri("p"), iri("o"), g1.clone()))
            .unwrap_or(true));
        // One blank node per graph, the same node in both of its triples.
        let dataset = store_dataset(&store);
        let blanks: std::collections::HashSet<String> = dataset
            .iter()
            .filter_map(|q| match q.subject {
                oxigraph::model::NamedOrBlankNodeRef::BlankNode(b) => {
                    Some(format!("{} {}", b.as_str(), q.graph_name))
                }
                _ => None,
            })
            .collect();
        assert_eq!(blanks.len(), 2, "{blanks:?}");
        assert_eq!(dataset.len(), 2 * (literals.len() + 2));
    }

    #[test]
    fn ntriples_body_round_trips_through_a_parser() {
        let blank = BlankNode::new_unchecked("b0");
        let triples = triples_of(&hostile(), &blank);
        let body = ntriples(&triples);
        let parsed: Vec<Triple> =
            oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::NTriples)
                .for_slice(body.as_bytes())
                .map(|q| {
                    q.map(Triple::from)
                        .unwrap_or_else(|e| panic!("{e}\n{body}"))
                })
                .collect();
        assert_eq!(parsed, triples);
    }

    #[test]
    fn drop_of_an_absent_graph_is_silent() {
        let mut update = String::new();
        append_drop(&mut update, iri("never").as_ref());
        append_replace(&mut update, iri("g").as_ref(), &[], 0);
        assert_eq!(
            update,
            "DROP SILENT GRAPH <https://example.org/never> ;\nDROP SILENT GRAPH <https://example.org/g>"
        );
        let store = Store::new().unwrap_or_else(|e| panic!("{e}"));
        SparqlEvaluator::new()
            .parse_update(&update)
            .unwrap_or_else(|e| panic!("{e}"))
            .on_store(&store)
            .execute()
            .unwrap_or_else(|e| panic!("{e}"));
    }
}
