//! TABARI's validation text (`Validate.text`) and the `.project` that names its
//! dictionaries.
//!
//! A record is a header line `YYMMDD  ID` after a blank line, the sentence, and a
//! `/* ... */` comment holding the expected events as `{ SRC / TGT / CODE }`; `{---}`,
//! `{+++}` and `{###}` expect no event, `{ OPTION: ... }` changes TABARI settings for
//! the records that follow (geokg applies `DEFAULT:` and `COMMA:`, notes the others, and
//! does not count such a record). The standard records end at `FINAL-01`; the ones after
//! it need other settings and are not counted either.

use super::{Expected, Record, Suite, Triple};
use crate::error::DataError;
use crate::knowledge::petrarch::{CodingOptions, FileRole, TabariProject};
use std::path::Path;

/// Reads `Validate.text` and the `.project` beside it that names it.
pub fn load(path: &Path) -> Result<Suite, DataError> {
    let text = crate::knowledge::petrarch::read_text(path)?;
    let mut suite = parse(&text, path)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let rd = std::fs::read_dir(dir).map_err(|e| DataError::io(dir, e))?;
    let mut projects: Vec<std::path::PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("project"))
        .collect();
    projects.sort();
    for p in projects {
        let proj = TabariProject::load(&p)?;
        if proj
            .text
            .iter()
            .any(|t| t.file_name().and_then(|n| n.to_str()) == Some(name))
        {
            suite
                .files
                .extend(proj.verbs.into_iter().map(|f| (FileRole::Verbs, f)));
            suite
                .files
                .extend(proj.actors.into_iter().map(|f| (FileRole::Actors, f)));
            suite
                .files
                .extend(proj.agents.into_iter().map(|f| (FileRole::Agents, f)));
            return Ok(suite);
        }
    }
    Err(DataError::malformed(
        path,
        None,
        "no .project file in this folder names this text as its <textfile>",
    ))
}

/// Parses the records of a TABARI validation text.
pub fn parse(text: &str, path: &Path) -> Result<Suite, DataError> {
    let mut suite = Suite {
        path: path.to_path_buf(),
        ..Default::default()
    };
    let lines: Vec<&str> = text.lines().collect();
    let mut k = 0;
    let mut standard = true;
    let mut options = CodingOptions::default();
    let mut prev_blank = true;
    while k < lines.len() {
        let l = lines[k].trim();
        let is_header = prev_blank && header(l).is_some();
        prev_blank = l.is_empty();
        if !is_header {
            k += 1;
            continue;
        }
        let Some((date, id)) = header(l) else {
            k += 1;
            continue;
        };
        let start_line = k + 1;
        k += 1;
        let mut body = String::new();
        while k < lines.len() && !lines[k].trim_start().starts_with("/*") {
            if lines[k].trim().is_empty() && body.is_empty() {
                k += 1;
                continue;
            }
            if lines[k].trim().is_empty() {
                break;
            }
            body.push_str(lines[k].trim());
            body.push(' ');
            k += 1;
        }
        let mut comment = String::new();
        while k < lines.len() {
            comment.push_str(lines[k]);
            comment.push('\n');
            if lines[k].contains("*/") {
                k += 1;
                break;
            }
            k += 1;
        }
        let (expected, commands) = expectations(&comment).map_err(|m| {
            DataError::malformed(path, Some(start_line), format!("record {id}: {m}"))
        })?;
        // A record that gives commands sets options for the records after it.
        for c in &commands {
            if !options.tabari_command(c) {
                suite
                    .notes
                    .push(format!("{id}: TABARI option not used: {c}"));
            }
        }
        let category = id.split('-').next().unwrap_or("").to_string();
        let evaluate = standard && commands.is_empty() && !body.trim().is_empty();
        if id == "FINAL-01" {
            standard = false;
        }
        suite.records.push(Record {
            id: id.to_string(),
            category,
            date: crate::knowledge::petrarch::parse_date(date),
            text: body.trim().to_string(),
            expected,
            evaluate: evaluate && id != "FINAL-01",
            options: options.clone(),
            parse: None,
        });
        prev_blank = true;
    }
    if suite.records.is_empty() {
        return Err(DataError::malformed(path, None, "no records"));
    }
    Ok(suite)
}

/// `950101  DEMO-01` -> (date, id).
fn header(l: &str) -> Option<(&str, &str)> {
    let toks: Vec<&str> = l.split_whitespace().collect();
    if toks.len() < 2 || toks.len() > 3 {
        return None;
    }
    let d = toks[0];
    if d.len() < 6 || !d.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let id = toks[toks.len() - 1];
    id.contains(|c: char| c.is_ascii_alphabetic())
        .then_some((d, id))
}

/// The expected events of a record's comment, and the option commands it gives.
fn expectations(comment: &str) -> Result<(Expected, Vec<String>), String> {
    let mut events: Vec<Triple> = Vec::new();
    let mut commands = Vec::new();
    let mut none = false;
    let mut rest = comment;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            // A stray brace in the coder's note, not an expectation.
            break;
        };
        let inner = rest[open + 1..open + close].trim();
        rest = &rest[open + close + 1..];
        if let Some(o) = inner.strip_prefix("OPTION:") {
            commands.push(o.trim().to_string());
            continue;
        }
        if matches!(inner, "---" | "+++" | "###") {
            none = true;
            continue;
        }
        let parts: Vec<&str> = inner.split('/').map(str::trim).collect();
        if parts.len() == 3 {
            events.push((parts[0].into(), parts[1].into(), parts[2].into()));
        }
    }
    let expected = if !events.is_empty() {
        Expected::Events(events)
    } else {
        let _ = none;
        Expected::NoEvents
    };
    Ok((expected, commands))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_expectations_and_the_end_of_the_standard_set() {
        let text = "# header\n\n010203  ONE-01\nValdoria visited\nNorthmark.\n/*\\n-----\n\\n[a note]\n\\n{ VAL / NTH / 042 }\n\\n{ NTH / VAL / 043 } */\n\n010203  ONE-02\nNothing.\n/* \\n{---} */\n\n990101  FINAL-01\nThe end.\n/* */\n\n010203  EXTRA-01\nAfter the end.\n/* {+++} */\n";
        let s = parse(text, Path::new("v.text")).expect("parses");
        assert_eq!(s.records.len(), 4);
        assert_eq!(s.records[0].text, "Valdoria visited Northmark.");
        assert_eq!(s.records[0].expected.triples().len(), 2);
        assert_eq!(s.records[0].category, "ONE");
        assert_eq!(s.records[1].expected, Expected::NoEvents);
        assert!(s.records[1].evaluate);
        assert!(!s.records[2].evaluate && !s.records[3].evaluate);
    }
}
