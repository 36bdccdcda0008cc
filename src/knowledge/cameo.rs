//! The CAMEO event codebook as data: every code with its name, Goldstein value, QuadClass
//! and PLOVER type, read from `data/cameo/cameo.tsv` (format in `data/cameo/README.md`).
//!
//! The table is the single source for `ontology/cameo.ttl`: [`CameoTable::to_turtle`] writes
//! the SKOS concept scheme, and a unit test fails when the committed file drifts from it.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use crate::error::DataError;

/// The bundled table, compiled in so the binary works without its data folder.
const BUNDLED_TSV: &str = include_str!("../../data/cameo/cameo.tsv");
/// Where the bundled table lives in the source tree; named in error messages.
pub const BUNDLED_PATH: &str = "data/cameo/cameo.tsv";

/// IRI namespace of CAMEO concepts (`cameo:042`).
pub const CAMEO_NS: &str = "https://w3id.org/geokg/cameo/";
/// IRI of the SKOS concept scheme that holds every CAMEO concept.
pub const CAMEO_SCHEME_IRI: &str = "https://w3id.org/geokg/cameo";
/// IRI namespace of geokg's own ontology terms (`gk:goldstein`).
pub const GK_NS: &str = "https://w3id.org/geokg/ontology#";

/// The bundled list of mutual codes (`data/cameo/mutual.txt`).
const BUNDLED_MUTUAL: &str = include_str!("../../data/cameo/mutual.txt");
/// The bundled list of codes coded without a target (`data/cameo/targetless.txt`).
const BUNDLED_TARGETLESS: &str = include_str!("../../data/cameo/targetless.txt");

/// A set of CAMEO codes, each covering the codes below it. Two are bundled: the codes
/// whose events coordinated participants do to one another when the text names no other
/// target ("Armenia and Azerbaijan exchanged fire" is an event each way, "France and
/// Germany condemned the coup" is none between them), and the codes coded without a target
/// when the text names none ("the junta imposed a curfew").
#[derive(Debug, Clone, Default)]
pub struct CodeSet {
    codes: Vec<String>,
}

impl CodeSet {
    /// `data/cameo/mutual.txt`.
    pub fn mutual() -> Result<Self, DataError> {
        Self::parse(BUNDLED_MUTUAL, Path::new("data/cameo/mutual.txt"))
    }

    /// `data/cameo/targetless.txt`.
    pub fn targetless() -> Result<Self, DataError> {
        Self::parse(BUNDLED_TARGETLESS, Path::new("data/cameo/targetless.txt"))
    }

    pub fn load(path: &Path) -> Result<Self, DataError> {
        let text = std::fs::read_to_string(path).map_err(|e| DataError::io(path, e))?;
        Self::parse(&text, path)
    }

    /// One code a line, `#` comments; every code must be digits.
    pub fn parse(text: &str, origin: &Path) -> Result<Self, DataError> {
        let mut codes = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let code = line.split('#').next().unwrap_or("").trim();
            if code.is_empty() {
                continue;
            }
            if !(2..=4).contains(&code.len()) || !code.chars().all(|c| c.is_ascii_digit()) {
                return Err(DataError::malformed(
                    origin,
                    Some(n + 1),
                    format!("expected a CAMEO code of 2 to 4 digits, found {code:?}"),
                ));
            }
            codes.push(code.to_string());
        }
        Ok(CodeSet { codes })
    }

    /// Whether `code` is listed or lies under a listed code.
    pub fn contains(&self, code: &str) -> bool {
        self.codes.iter().any(|c| code.starts_with(c.as_str()))
    }
}

/// One CAMEO event type, e.g. 042 "Make a visit".
#[derive(Debug, Clone, PartialEq)]
pub struct CameoCode {
    /// Two to four digits; the first two are the root ("042" under "04").
    pub code: String,
    pub name: String,
    /// Goldstein conflict-cooperation value, -10 (most conflictual) to +10.
    pub goldstein: f64,
    /// 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.
    pub quad_class: u8,
    /// PLOVER event type ("CONSULT"); `None` where PLOVER has no counterpart (root 01).
    pub plover: Option<String>,
}

impl CameoCode {
    /// The two-digit root ("04" for "0421").
    pub fn root(&self) -> &str {
        &self.code[..2]
    }

    /// The code one level up ("042" for "0421", "04" for "042"); `None` for a root.
    pub fn parent(&self) -> Option<&str> {
        (self.code.len() > 2).then(|| &self.code[..self.code.len() - 1])
    }

    pub fn is_root(&self) -> bool {
        self.code.len() == 2
    }

    /// The concept IRI used in the knowledge graph.
    pub fn iri(&self) -> String {
        format!("{CAMEO_NS}{}", self.code)
    }
}

/// The whole codebook, in file order, with O(1) lookup by code.
#[derive(Debug, Clone)]
pub struct CameoTable {
    codes: Vec<CameoCode>,
    index: HashMap<String, usize>,
}

impl CameoTable {
    /// The table shipped with geokg.
    pub fn bundled() -> Result<Self, DataError> {
        Self::parse(BUNDLED_TSV, Path::new(BUNDLED_PATH))
    }

    /// A user's table in the bundled format, so codes can change without a recompile.
    pub fn load(path: &Path) -> Result<Self, DataError> {
        let text = std::fs::read_to_string(path).map_err(|e| DataError::io(path, e))?;
        Self::parse(&text, path)
    }

    /// Reads a table from text; `origin` names the file in errors.
    pub fn parse(text: &str, origin: &Path) -> Result<Self, DataError> {
        let mut codes: Vec<CameoCode> = Vec::new();
        let mut lines: Vec<usize> = Vec::new();
        let mut index = HashMap::new();
        for (i, raw) in text.lines().enumerate() {
            let line_no = i + 1;
            let line = raw.trim_end_matches('\r');
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let bad = |msg: String| DataError::malformed(origin, Some(line_no), msg);
            let fields: Vec<&str> = line.split('\t').collect();
            if fields.len() != 5 {
                return Err(bad(format!(
                    "expected 5 tab-separated fields (code, goldstein, quad_class, plover, name), found {}",
                    fields.len()
                )));
            }
            let code = fields[0].trim();
            if !(2..=4).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad(format!("code {code:?} is not 2 to 4 digits")));
            }
            let root: u8 = code[..2]
                .parse()
                .map_err(|_| bad(format!("code {code:?} has no numeric root")))?;
            if !(1..=20).contains(&root) {
                return Err(bad(format!(
                    "code {code:?} has root {root:02}; CAMEO roots are 01 to 20"
                )));
            }
            let goldstein: f64 = fields[1]
                .trim()
                .parse()
                .map_err(|_| bad(format!("Goldstein value {:?} is not a number", fields[1])))?;
            if !(-10.0..=10.0).contains(&goldstein) {
                return Err(bad(format!(
                    "Goldstein value {goldstein} is outside -10..10"
                )));
            }
            let quad_class: u8 = match fields[2].trim().parse() {
                Ok(q @ 1..=4) => q,
                _ => {
                    return Err(bad(format!(
                        "QuadClass {:?} is not 1, 2, 3 or 4",
                        fields[2]
                    )))
                }
            };
            let plover = match fields[3].trim() {
                "-" => None,
                p if !p.is_empty() && p.bytes().all(|b| b.is_ascii_uppercase() || b == b'_') => {
                    Some(p.to_string())
                }
                p => {
                    return Err(bad(format!(
                        "PLOVER type {p:?} is not an upper-case name or '-'"
                    )))
                }
            };
            let name = fields[4].trim();
            if name.is_empty() {
                return Err(bad(format!("code {code} has an empty name")));
            }
            if index.insert(code.to_string(), codes.len()).is_some() {
                return Err(bad(format!("code {code} appears twice")));
            }
            codes.push(CameoCode {
                code: code.to_string(),
                name: name.to_string(),
                goldstein,
                quad_class,
                plover,
            });
            lines.push(line_no);
        }
        if codes.is_empty() {
            return Err(DataError::malformed(origin, None, "no CAMEO codes found"));
        }
        for (c, &line_no) in codes.iter().zip(&lines) {
            if let Some(parent) = c.parent() {
                if !index.contains_key(parent) {
                    return Err(DataError::malformed(
                        origin,
                        Some(line_no),
                        format!("code {} has no parent code {parent} in the table", c.code),
                    ));
                }
            }
        }
        Ok(CameoTable { codes, index })
    }

    /// The code ("042"), or `None` when the table has no such code.
    pub fn get(&self, code: &str) -> Option<&CameoCode> {
        self.index.get(code).map(|&i| &self.codes[i])
    }

    /// Name of a root ("04" -> "Consult"); also accepts a longer code and uses its root.
    pub fn root_name(&self, root: &str) -> Option<&str> {
        let root = root.get(..2)?;
        self.get(root).map(|c| c.name.as_str())
    }

    /// Every code, in file order (each parent before its children).
    pub fn iter(&self) -> impl Iterator<Item = &CameoCode> {
        self.codes.iter()
    }

    pub fn len(&self) -> usize {
        self.codes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// The codebook as a SKOS concept scheme in Turtle (the content of `ontology/cameo.ttl`).
    ///
    /// Output depends only on the table, so regenerating is reproducible byte for byte.
    pub fn to_turtle(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail; the results are ignored on purpose.
        let _ = writeln!(out, "# CAMEO event codes as a SKOS concept scheme.");
        let _ = writeln!(out, "# Generated by geokg (CameoTable::to_turtle) from {BUNDLED_PATH}; do not edit by hand.");
        let _ = writeln!(out);
        let _ = writeln!(out, "@prefix cameo: <{CAMEO_NS}> .");
        let _ = writeln!(out, "@prefix gk: <{GK_NS}> .");
        let _ = writeln!(
            out,
            "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> ."
        );
        let _ = writeln!(
            out,
            "@prefix skos: <http://www.w3.org/2004/02/skos/core#> ."
        );
        let _ = writeln!(out, "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .");
        let _ = writeln!(out);
        let _ = writeln!(out, "<{CAMEO_SCHEME_IRI}> a skos:ConceptScheme ;");
        let _ = writeln!(out, "    skos:prefLabel \"CAMEO event codes\"@en ;");
        let _ = writeln!(
            out,
            "    rdfs:comment \"Conflict and Mediation Event Observations (CAMEO 1.1b3) event types with Goldstein values, QuadClass and PLOVER types.\"@en ;"
        );
        let roots: Vec<String> = self
            .codes
            .iter()
            .filter(|c| c.is_root())
            .map(|c| format!("cameo:{}", c.code))
            .collect();
        let _ = writeln!(out, "    skos:hasTopConcept {} .", roots.join(", "));
        for c in &self.codes {
            let _ = writeln!(out);
            let _ = writeln!(out, "cameo:{} a skos:Concept ;", c.code);
            let _ = writeln!(out, "    skos:notation \"{}\" ;", c.code);
            let _ = writeln!(
                out,
                "    skos:prefLabel \"{}\"@en ;",
                turtle_escape(&c.name)
            );
            match c.parent() {
                Some(parent) => {
                    let _ = writeln!(out, "    skos:broader cameo:{parent} ;");
                }
                None => {
                    let _ = writeln!(out, "    skos:topConceptOf <{CAMEO_SCHEME_IRI}> ;");
                }
            }
            let _ = writeln!(out, "    skos:inScheme <{CAMEO_SCHEME_IRI}> ;");
            let _ = writeln!(
                out,
                "    gk:goldstein \"{}\"^^xsd:decimal ;",
                decimal_lexical(c.goldstein)
            );
            match &c.plover {
                Some(p) => {
                    let _ = writeln!(out, "    gk:quadClass \"{}\"^^xsd:integer ;", c.quad_class);
                    let _ = writeln!(out, "    gk:ploverType \"{}\" .", turtle_escape(p));
                }
                None => {
                    let _ = writeln!(out, "    gk:quadClass \"{}\"^^xsd:integer .", c.quad_class);
                }
            }
        }
        out
    }
}

/// xsd:decimal lexical form: always a decimal point, never an exponent.
fn decimal_lexical(v: f64) -> String {
    // A negative zero would print as "-0"; the scale has no such value.
    let v = if v == 0.0 { 0.0 } else { v };
    let s = format!("{v}");
    if s.contains('.') {
        s
    } else {
        format!("{s}.0")
    }
}

/// Escapes a string for a Turtle short literal.
fn turtle_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::io::{RdfFormat, RdfParser};
    use oxigraph::model::{NamedNodeRef, TermRef};

    const COMMITTED_TTL: &str = include_str!("../../ontology/cameo.ttl");

    fn table() -> CameoTable {
        match CameoTable::bundled() {
            Ok(t) => t,
            Err(e) => panic!("bundled CAMEO table does not load: {e}"),
        }
    }

    #[test]
    fn bundled_table_has_every_root_and_the_full_codebook() {
        let t = table();
        let roots: Vec<&str> = t
            .iter()
            .filter(|c| c.is_root())
            .map(|c| c.code.as_str())
            .collect();
        let expected: Vec<String> = (1..=20).map(|r| format!("{r:02}")).collect();
        assert_eq!(roots, expected);
        // CAMEO 1.1b3 has about 300 codes; fewer means rows were lost.
        assert!(t.len() >= 300, "only {} codes", t.len());
        assert!(t.iter().any(|c| c.code.len() == 4), "no four-digit codes");
    }

    #[test]
    fn known_codebook_facts() {
        let t = table();
        let visit = t
            .get("042")
            .map(|c| (c.name.as_str(), c.goldstein, c.quad_class));
        assert_eq!(visit, Some(("Make a visit", 1.9, 1)));
        assert_eq!(t.get("190").map(|c| c.quad_class), Some(4));
        assert_eq!(t.get("190").map(|c| c.goldstein), Some(-10.0));
        assert_eq!(t.get("0874").map(|c| c.goldstein), Some(10.0));
        assert_eq!(t.get("057").map(|c| c.goldstein), Some(8.0));
        assert_eq!(t.get("163").map(|c| c.goldstein), Some(-8.0));
        assert_eq!(t.root_name("04"), Some("Consult"));
        assert_eq!(t.root_name("0421"), Some("Consult"));
        assert_eq!(t.root_name("19"), Some("Fight"));
        assert_eq!(
            t.get("04").and_then(|c| c.plover.as_deref()),
            Some("CONSULT")
        );
        assert_eq!(t.get("010").and_then(|c| c.plover.as_deref()), None);
        assert_eq!(
            t.get("0871").and_then(|c| c.plover.as_deref()),
            Some("RETREAT")
        );
        assert_eq!(
            t.get("173").and_then(|c| c.plover.as_deref()),
            Some("COERCE")
        );
        assert!(t.get("21").is_none());
        assert!(t.get("0000").is_none());
    }

    #[test]
    fn quad_class_follows_the_root_convention() {
        // 01-05 verbal cooperation, 06-08 material cooperation, 09-13 verbal conflict,
        // 14-20 material conflict, as in GDELT and ICEWS.
        for c in table().iter() {
            let root: u8 = c.root().parse().unwrap_or(0);
            let expected = match root {
                1..=5 => 1,
                6..=8 => 2,
                9..=13 => 3,
                _ => 4,
            };
            assert_eq!(c.quad_class, expected, "code {}", c.code);
        }
    }

    #[test]
    fn goldstein_sign_matches_cooperation_or_conflict() {
        // Cooperative roots 03-08 are never negative; conflict roots 10-20 never positive.
        for c in table().iter() {
            let root: u8 = c.root().parse().unwrap_or(0);
            if (3..=8).contains(&root) {
                assert!(c.goldstein >= 0.0, "code {} has {}", c.code, c.goldstein);
            }
            if (10..=20).contains(&root) {
                assert!(c.goldstein <= 0.0, "code {} has {}", c.code, c.goldstein);
            }
        }
    }

    #[test]
    fn parents_resolve_up_to_the_root() {
        let t = table();
        let c = t.get("0421").or_else(|| t.get("1821"));
        let Some(c) = c else {
            panic!("no four-digit sample code")
        };
        let parent = c.parent().and_then(|p| t.get(p));
        let grandparent = parent.and_then(|p| p.parent()).and_then(|p| t.get(p));
        assert_eq!(grandparent.map(|g| g.code.as_str()), Some(c.root()));
    }

    #[test]
    fn malformed_line_names_file_and_line() {
        let text =
            "# header\n01\t0.0\t1\t-\tMake public statement\n010\tzero\t1\t-\tMake statement\n";
        let err = CameoTable::parse(text, Path::new("my/cameo.tsv"))
            .err()
            .map(|e| e.to_string());
        let msg = err.unwrap_or_default();
        assert!(msg.starts_with("my/cameo.tsv:3:"), "{msg}");
        assert!(msg.contains("Goldstein"), "{msg}");
    }

    #[test]
    fn orphan_code_and_duplicate_are_rejected() {
        let orphan = "01\t0.0\t1\t-\tMake public statement\n0421\t1.0\t1\tCONSULT\tOrphan\n";
        let msg = CameoTable::parse(orphan, Path::new("t.tsv"))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            msg.starts_with("t.tsv:2:") && msg.contains("parent"),
            "{msg}"
        );
        let dup = "01\t0.0\t1\t-\tA\n01\t0.0\t1\t-\tB\n";
        let msg = CameoTable::parse(dup, Path::new("t.tsv"))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            msg.starts_with("t.tsv:2:") && msg.contains("twice"),
            "{msg}"
        );
        let out_of_range = "01\t11.5\t1\t-\tA\n";
        assert!(CameoTable::parse(out_of_range, Path::new("t.tsv")).is_err());
    }

    #[test]
    fn load_reads_a_user_file() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("cameo.tsv");
        std::fs::write(
            &path,
            "04\t1.0\t1\tCONSULT\tConsult\n042\t2.5\t1\tCONSULT\tPay a visit\n",
        )?;
        let t = CameoTable::load(&path)?;
        assert_eq!(t.len(), 2);
        assert_eq!(t.get("042").map(|c| c.goldstein), Some(2.5));
        let missing = CameoTable::load(&dir.path().join("absent.tsv"));
        assert!(matches!(missing, Err(DataError::Io { .. })));
        Ok(())
    }

    /// `ontology/cameo.ttl` is generated; set GEOKG_BLESS=1 to rewrite it after editing the table.
    #[test]
    fn committed_turtle_matches_the_table() {
        let generated = table().to_turtle();
        if std::env::var_os("GEOKG_BLESS").is_some() {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("ontology/cameo.ttl");
            if let Err(e) = std::fs::write(&path, &generated) {
                panic!("cannot write {}: {e}", path.display());
            }
            return;
        }
        assert!(
            generated == COMMITTED_TTL,
            "ontology/cameo.ttl is out of date with {BUNDLED_PATH}; regenerate with \
             `GEOKG_BLESS=1 cargo test --lib knowledge::cameo`"
        );
    }

    #[test]
    fn committed_turtle_parses_with_one_concept_per_code() {
        let skos = "http://www.w3.org/2004/02/skos/core#";
        let rdf_type =
            NamedNodeRef::new_unchecked("http://www.w3.org/1999/02/22-rdf-syntax-ns#type");
        let concept = format!("{skos}Concept");
        let top = format!("{skos}topConceptOf");
        let broader = format!("{skos}broader");
        let mut concepts = 0;
        let mut tops = 0;
        let mut broaders = 0;
        let mut visit_goldstein = None;
        for quad in RdfParser::from_format(RdfFormat::Turtle).for_slice(COMMITTED_TTL) {
            let quad = match quad {
                Ok(q) => q,
                Err(e) => panic!("ontology/cameo.ttl does not parse: {e}"),
            };
            let p = quad.predicate.as_str();
            if quad.predicate.as_ref() == rdf_type {
                if let TermRef::NamedNode(o) = quad.object.as_ref() {
                    concepts += usize::from(o.as_str() == concept);
                }
            } else if p == top {
                tops += 1;
            } else if p == broader {
                broaders += 1;
            } else if p == format!("{GK_NS}goldstein")
                && quad.subject.to_string() == format!("<{CAMEO_NS}042>")
            {
                if let TermRef::Literal(l) = quad.object.as_ref() {
                    visit_goldstein =
                        Some((l.value().to_string(), l.datatype().as_str().to_string()));
                }
            }
        }
        let t = table();
        assert_eq!(concepts, t.len());
        assert_eq!(tops, 20);
        assert_eq!(broaders, t.len() - 20);
        assert_eq!(
            visit_goldstein,
            Some((
                "1.9".to_string(),
                "http://www.w3.org/2001/XMLSchema#decimal".to_string()
            ))
        );
    }

    #[test]
    fn decimal_lexical_always_has_a_point() {
        assert_eq!(decimal_lexical(-10.0), "-10.0");
        assert_eq!(decimal_lexical(1.9), "1.9");
        assert_eq!(decimal_lexical(-0.0), "0.0");
    }

    #[test]
    fn mutual_codes_cover_the_codes_below_them_and_errors_name_the_line() {
        let m = CodeSet::mutual().unwrap();
        assert!(m.contains("046") && m.contains("0461") && m.contains("190"));
        assert!(!m.contains("111") && !m.contains("19") && !m.contains("195"));
        assert!(CodeSet::targetless().unwrap().contains("1723"));
        let err = CodeSet::parse("046\nx1\n", Path::new("m.txt")).unwrap_err();
        assert!(err.to_string().contains("m.txt:2"), "{err}");
    }
}
