//! SPARQL results held in memory, and written for people (an aligned table) or for
//! programs (the W3C CSV, TSV and JSON results formats, through oxigraph's serializers).

use std::fmt;
use std::io::{self, Write};
use std::str::FromStr;

use oxigraph::model::{Term, TermRef, Triple, Variable};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};

use crate::rdf::vocab;

/// The answer to a query.
#[derive(Debug, Clone, PartialEq)]
pub enum QueryOutput {
    /// SELECT: variable names, and one row per solution (`None` where unbound).
    Solutions {
        vars: Vec<String>,
        rows: Vec<Vec<Option<Term>>>,
    },
    /// ASK.
    Boolean(bool),
    /// CONSTRUCT and DESCRIBE.
    Graph(Vec<Triple>),
}

/// How query results are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultFormat {
    /// Aligned plain-text columns with compact terms, for reading in a terminal.
    Table,
    Csv,
    Tsv,
    Json,
}

impl ResultFormat {
    pub const NAMES: &'static [&'static str] = &["table", "csv", "tsv", "json"];
}

/// A result format name geokg does not write.
#[derive(Debug, thiserror::Error)]
#[error("unknown result format {0:?}; expected one of: table, csv, tsv, json")]
pub struct UnknownResultFormat(pub String);

impl FromStr for ResultFormat {
    type Err = UnknownResultFormat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s.to_ascii_lowercase().as_str() {
            "table" | "text" => ResultFormat::Table,
            "csv" => ResultFormat::Csv,
            "tsv" => ResultFormat::Tsv,
            "json" => ResultFormat::Json,
            _ => return Err(UnknownResultFormat(s.to_owned())),
        })
    }
}

impl fmt::Display for ResultFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ResultFormat::Table => "table",
            ResultFormat::Csv => "csv",
            ResultFormat::Tsv => "tsv",
            ResultFormat::Json => "json",
        })
    }
}

/// A term as a person reads it: `gk:consult`, `actor:donald-trump`, a literal's text
/// without quotes or datatype (a language tag is kept), line breaks flattened.
pub fn compact_term(term: TermRef<'_>) -> String {
    match term {
        TermRef::NamedNode(n) => vocab::compact_iri(n.as_str()),
        TermRef::BlankNode(b) => format!("_:{}", b.as_str()),
        TermRef::Literal(l) => {
            let text = l.value().replace(['\n', '\r', '\t'], " ");
            match l.language() {
                Some(lang) => format!("{text}@{lang}"),
                None => text,
            }
        }
        #[allow(unreachable_patterns)]
        other => other.to_string(),
    }
}

const TRIPLE_VARS: [&str; 3] = ["subject", "predicate", "object"];

impl QueryOutput {
    /// Number of rows (solutions or triples); 1 for a boolean.
    pub fn len(&self) -> usize {
        match self {
            QueryOutput::Solutions { rows, .. } => rows.len(),
            QueryOutput::Boolean(_) => 1,
            QueryOutput::Graph(triples) => triples.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Writes the results. A graph (CONSTRUCT/DESCRIBE) is written as solutions with the
    /// variables `subject`, `predicate`, `object` in every format.
    pub fn write(&self, format: ResultFormat, mut out: impl Write) -> io::Result<()> {
        match (self, format) {
            (QueryOutput::Boolean(value), ResultFormat::Table) => writeln!(out, "{value}"),
            (QueryOutput::Boolean(value), _) => {
                QueryResultsSerializer::from_format(w3c_format(format))
                    .serialize_boolean_to_writer(&mut out, *value)?;
                out.flush()
            }
            (QueryOutput::Solutions { vars, rows }, _) => write_rows(
                vars,
                rows.iter()
                    .map(|row| row.iter().map(|t| t.as_ref().map(Term::as_ref)).collect()),
                format,
                out,
            ),
            (QueryOutput::Graph(triples), _) => {
                let vars: Vec<String> = TRIPLE_VARS.iter().map(|v| (*v).to_owned()).collect();
                let rows = triples.iter().map(|t| {
                    vec![
                        Some(t.subject.as_ref().into()),
                        Some(t.predicate.as_ref().into()),
                        Some(t.object.as_ref()),
                    ]
                });
                write_rows(&vars, rows, format, out)
            }
        }
    }
}

fn w3c_format(format: ResultFormat) -> QueryResultsFormat {
    match format {
        ResultFormat::Csv => QueryResultsFormat::Csv,
        ResultFormat::Tsv => QueryResultsFormat::Tsv,
        ResultFormat::Json | ResultFormat::Table => QueryResultsFormat::Json,
    }
}

fn write_rows<'a>(
    vars: &[String],
    rows: impl Iterator<Item = Vec<Option<TermRef<'a>>>>,
    format: ResultFormat,
    mut out: impl Write,
) -> io::Result<()> {
    if format == ResultFormat::Table {
        let cells: Vec<Vec<String>> = rows
            .map(|row| {
                row.into_iter()
                    .map(|t| t.map(compact_term).unwrap_or_default())
                    .collect()
            })
            .collect();
        return write_table(vars, &cells, out);
    }
    let variables = vars
        .iter()
        .map(|v| {
            Variable::new(v.as_str()).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
        })
        .collect::<io::Result<Vec<_>>>()?;
    let mut serializer = QueryResultsSerializer::from_format(w3c_format(format))
        .serialize_solutions_to_writer(&mut out, variables.clone())?;
    for row in rows {
        serializer.serialize(
            variables
                .iter()
                .zip(row)
                .filter_map(|(var, term)| term.map(|term| (var.as_ref(), term))),
        )?;
    }
    serializer.finish()?;
    out.flush()
}

fn write_table(vars: &[String], cells: &[Vec<String>], mut out: impl Write) -> io::Result<()> {
    let mut widths: Vec<usize> = vars.iter().map(|v| v.chars().count() + 1).collect();
    for row in cells {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let header: Vec<String> = vars.iter().map(|v| format!("?{v}")).collect();
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    write_table_line(&mut out, &widths, &header)?;
    write_table_line(&mut out, &widths, &rule)?;
    for row in cells {
        write_table_line(&mut out, &widths, row)?;
    }
    let n = cells.len();
    writeln!(out, "({n} {})", if n == 1 { "row" } else { "rows" })?;
    out.flush()
}

fn write_table_line(out: &mut impl Write, widths: &[usize], cells: &[String]) -> io::Result<()> {
    let padded: Vec<String> = cells
        .iter()
        .zip(widths)
        .map(|(cell, &w)| format!("{cell:<w$}"))
        .collect();
    writeln!(out, "{}", padded.join("  ").trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{Literal, NamedNode};

    fn sample() -> QueryOutput {
        QueryOutput::Solutions {
            vars: vec!["who".into(), "name".into()],
            rows: vec![
                vec![
                    Some(
                        NamedNode::new_unchecked("https://w3id.org/geokg/id/actor/donald-trump")
                            .into(),
                    ),
                    Some(Literal::new_simple_literal("Donald Trump").into()),
                ],
                vec![None, Some(Literal::from(42_i64).into())],
            ],
        }
    }

    fn written(output: &QueryOutput, format: ResultFormat) -> String {
        let mut buf = Vec::new();
        assert!(output.write(format, &mut buf).is_ok());
        String::from_utf8_lossy(&buf).into_owned()
    }

    #[test]
    fn table_aligns_columns_and_compacts_terms() {
        let text = written(&sample(), ResultFormat::Table);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "?who                ?name");
        assert_eq!(lines[2], "actor:donald-trump  Donald Trump");
        // Unbound cell stays blank, the integer shows without its datatype.
        assert_eq!(lines[3], "                    42");
        assert_eq!(lines[4], "(2 rows)");
    }

    #[test]
    fn csv_and_json_follow_the_w3c_formats() {
        let csv = written(&sample(), ResultFormat::Csv);
        assert!(csv.starts_with("who,name\r\n"));
        assert!(csv.contains("https://w3id.org/geokg/id/actor/donald-trump,Donald Trump"));
        let json: serde_json::Value =
            serde_json::from_str(&written(&sample(), ResultFormat::Json)).unwrap_or_default();
        assert_eq!(json["head"]["vars"][0], "who");
        assert_eq!(json["results"]["bindings"][1]["name"]["value"], "42");
        let tsv = written(&sample(), ResultFormat::Tsv);
        assert!(tsv.starts_with("?who\t?name\n"));
    }

    #[test]
    fn ask_answers_print_as_booleans() {
        assert_eq!(
            written(&QueryOutput::Boolean(true), ResultFormat::Table),
            "true\n"
        );
        let json: serde_json::Value =
            serde_json::from_str(&written(&QueryOutput::Boolean(false), ResultFormat::Json))
                .unwrap_or_default();
        assert_eq!(json["boolean"], false);
    }

    #[test]
    fn format_names_parse() {
        for name in ResultFormat::NAMES {
            assert_eq!(
                name.parse::<ResultFormat>()
                    .map(|f| f.to_string())
                    .ok()
                    .as_deref(),
                Some(*name)
            );
        }
        assert!("xml".parse::<ResultFormat>().is_err());
    }
}
