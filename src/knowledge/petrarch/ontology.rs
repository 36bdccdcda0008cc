//! PETRARCH-2's internal coding ontology (the "PICO" file UniversalPetrarch names): each
//! CAMEO code as a number whose hex digits carry its meaning, so that codes can be
//! combined arithmetically.
//!
//! ```text
//! 050:0x0080#DiplomaticCoop
//! 110:0x1007f#0xFFFF+0x0080#0x7000#Disapprove
//! 121:-0xFFFF+0x0070
//! ```
//!
//! A line is `CODE:VALUE`, then more values and a comment, `#`-separated. The first value
//! is the code's meaning; every value reads back as the code. geokg uses it for negation as
//! PETRARCH-2 does: a negated verb's meaning less `0xFFFF` is read back as a code ("did not
//! clash", 110 = `0xFFFF+0x0080`, is 050), and a negated verb whose meaning reads back as
//! no code codes no event.

use super::Warning;
use crate::error::DataError;
use std::collections::HashMap;
use std::path::Path;

/// The negation offset of PETRARCH-2's coding ontology.
const NEGATION: i64 = 0xFFFF;

/// CAMEO codes and their numeric meanings, both ways.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CodingOntology {
    meaning: HashMap<String, i64>,
    code: HashMap<i64, String>,
}

impl CodingOntology {
    pub fn parse(text: &str, path: &Path, warnings: &mut Vec<Warning>) -> Result<Self, DataError> {
        let mut o = CodingOntology::default();
        for (n, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((code, rest)) = line.split_once(':') else {
                return Err(DataError::malformed(
                    path,
                    Some(n + 1),
                    format!("expected CODE:VALUE, found {line:?}"),
                ));
            };
            let code = code.trim();
            if code.is_empty() || !code.chars().all(|c| c.is_ascii_digit() || c == '-') {
                return Err(DataError::malformed(
                    path,
                    Some(n + 1),
                    format!("{code:?} is not a CAMEO code"),
                ));
            }
            let mut values = Vec::new();
            for (k, item) in rest.split('#').enumerate() {
                match value(item) {
                    Some(v) => values.push(v),
                    // The first item must be a value; later ones may be comments.
                    None if k == 0 => {
                        return Err(DataError::malformed(
                            path,
                            Some(n + 1),
                            format!(
                                "{:?} is not a value such as 0x0080 or -0xFFFF+0x0070",
                                item.trim()
                            ),
                        ))
                    }
                    None => {}
                }
            }
            if o.meaning.contains_key(code) {
                warnings.push(Warning {
                    file: path.to_path_buf(),
                    line: n + 1,
                    message: format!("code {code} given twice; the first is kept"),
                });
                continue;
            }
            o.meaning.insert(code.to_string(), values[0]);
            for v in values {
                o.code.entry(v).or_insert_with(|| code.to_string());
            }
        }
        Ok(o)
    }

    pub fn is_empty(&self) -> bool {
        self.meaning.is_empty()
    }

    pub fn merge(&mut self, other: CodingOntology) {
        for (k, v) in other.meaning {
            self.meaning.entry(k).or_insert(v);
        }
        for (k, v) in other.code {
            self.code.entry(k).or_insert(v);
        }
    }

    /// The numeric meaning of a CAMEO code; a code the ontology lacks takes its
    /// three-digit root's (`0874` unknown: `080`), as PETRARCH-2 does.
    pub fn meaning(&self, code: &str) -> Option<i64> {
        self.meaning.get(code).copied().or_else(|| {
            let root = format!("{}0", code.get(..2)?);
            self.meaning.get(&root).copied()
        })
    }

    /// The code of a negated verb coded `code`: `Some(code)` when its meaning less the
    /// negation reads back as a code, `None` when the negated verb codes no event.
    pub fn negate(&self, code: &str) -> Option<String> {
        let m = self.meaning(code)? - NEGATION;
        if m == 0 {
            return None;
        }
        self.code.get(&m).filter(|c| c.as_str() != "---").cloned()
    }
}

/// Reads `0x1007f`, `-0xFFFF+0x0070`, `0x1000-0xFFFF` or a decimal number.
fn value(item: &str) -> Option<i64> {
    let s: String = item.chars().filter(|c| !c.is_whitespace()).collect();
    if s.is_empty() {
        return None;
    }
    let mut total = 0i64;
    let mut rest = s.as_str();
    let mut first = true;
    while !rest.is_empty() {
        let (sign, body) = match rest.as_bytes()[0] {
            b'+' => (1, &rest[1..]),
            b'-' => (-1, &rest[1..]),
            _ if first => (1, rest),
            _ => return None,
        };
        first = false;
        let end = body.find(['+', '-']).unwrap_or(body.len());
        let term = &body[..end];
        let n = match term.strip_prefix("0x").or_else(|| term.strip_prefix("0X")) {
            Some(hex) => i64::from_str_radix(hex, 16).ok()?,
            None => term.parse::<i64>().ok()?,
        };
        total += sign * n;
        rest = &body[end..];
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "# an ontology written for this test\n\
        050:0x0080#Diplomatic cooperation\n\
        060:0x0070\n\
        110:0x1007f#0xFFFF+0x0080#0x7000#Disapprove\n\
        121:-0xFFFF+0x0070\n\
        190:0x00A0#Fight\n\
        \x20          # a comment carried on to the next line\n\
        ---:0\n";

    fn read() -> CodingOntology {
        let mut w = Vec::new();
        CodingOntology::parse(TEXT, Path::new("test.txt"), &mut w).expect("reads")
    }

    #[test]
    fn values_are_sums_of_hex_terms() {
        assert_eq!(value("0x1007f"), Some(0x1007f));
        assert_eq!(value("-0xFFFF+0x0070"), Some(0x70 - 0xFFFF));
        assert_eq!(value("0x1000 - 0xFFFF"), Some(0x1000 - 0xFFFF));
        assert_eq!(value("Disapprove"), None);
        assert_eq!(value(" The 0x300 mask"), None);
    }

    #[test]
    fn a_negated_disapproval_is_cooperation_and_a_negated_fight_codes_nothing() {
        let o = read();
        assert_eq!(o.negate("110").as_deref(), Some("050"));
        assert_eq!(o.negate("060").as_deref(), Some("121"));
        assert_eq!(o.negate("190"), None);
        // Every value reads back: 0x7000 is also 110.
        assert_eq!(o.code.get(&0x7000).map(String::as_str), Some("110"));
    }

    #[test]
    fn a_code_missing_takes_its_roots_meaning() {
        assert_eq!(read().meaning("0612"), Some(0x70));
    }

    #[test]
    fn malformed_lines_name_their_line() {
        let mut w = Vec::new();
        let e = CodingOntology::parse("050:0x0080\n110 0x7000\n", Path::new("o.txt"), &mut w)
            .expect_err("line 2 has no colon");
        assert!(e.to_string().contains("o.txt:2"), "{e}");
        let e = CodingOntology::parse("050:cooperate\n", Path::new("o.txt"), &mut w)
            .expect_err("no value");
        assert!(e.to_string().contains("o.txt:1"), "{e}");
    }
}
