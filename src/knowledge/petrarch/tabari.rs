//! TABARI's `.project` (which files a coding run reads) and `.options` files.
//!
//! A project line is `<actorsfile> NAME`; the options file holds `SET: NAME = VALUE`,
//! `COMPLEX: ...`, `LABEL: code=name`, `OUTPUT: ...` and `//` comments. geokg uses the
//! file names and the labels; every other option is kept as a warning so a user can see
//! what TABARI would have done differently.

use super::Warning;
use crate::error::DataError;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Default, Clone, PartialEq)]
pub struct TabariProject {
    pub actors: Vec<PathBuf>,
    pub verbs: Vec<PathBuf>,
    pub agents: Vec<PathBuf>,
    pub options: Option<PathBuf>,
    pub text: Vec<PathBuf>,
}

impl TabariProject {
    /// Reads a `.project` file; file names are resolved against its folder.
    pub fn load(path: &Path) -> Result<Self, DataError> {
        let text = super::read_text(path)?;
        let dir = path.parent().unwrap_or(Path::new("."));
        let mut p = TabariProject::default();
        for line in text.lines() {
            let t = line.trim();
            let Some(rest) = t.strip_prefix('<') else {
                continue;
            };
            let Some((tag, value)) = rest.split_once('>') else {
                continue;
            };
            let file = dir.join(value.trim());
            match tag.trim().to_ascii_lowercase().as_str() {
                "actorsfile" => p.actors.push(file),
                "verbsfile" => p.verbs.push(file),
                "agentsfile" => p.agents.push(file),
                "optionsfile" => p.options = Some(file),
                "textfile" => p.text.push(file),
                _ => {}
            }
        }
        if p.verbs.is_empty() && p.actors.is_empty() {
            return Err(DataError::malformed(
                path,
                None,
                "no <verbsfile> or <actorsfile> in this project",
            ));
        }
        Ok(p)
    }
}

#[derive(Debug, Default, Clone, PartialEq)]
pub struct TabariOptions {
    /// `LABEL: 031=MEET`.
    pub labels: BTreeMap<String, String>,
    /// `SET: NAME = VALUE` (names upper-case, spaces kept).
    pub settings: BTreeMap<String, String>,
}

impl TabariOptions {
    pub fn parse(text: &str, origin: &Path, warnings: &mut Vec<Warning>) -> Self {
        let mut o = TabariOptions::default();
        for (k, raw) in text.lines().enumerate() {
            let t = raw.trim();
            if t.is_empty() || t.starts_with("//") {
                continue;
            }
            let warn = |w: &mut Vec<Warning>, m: String| {
                w.push(Warning {
                    file: origin.to_path_buf(),
                    line: k + 1,
                    message: m,
                })
            };
            if let Some(l) = t.strip_prefix("LABEL:") {
                if let Some((c, n)) = l.split_once('=') {
                    o.labels.insert(c.trim().to_string(), n.trim().to_string());
                }
            } else if let Some(s) = t.strip_prefix("SET:") {
                match s.split_once('=') {
                    Some((n, v)) => {
                        o.settings
                            .insert(n.trim().to_uppercase(), v.trim().to_string());
                    }
                    None => warn(warnings, format!("option not used by geokg: {t}")),
                }
            } else {
                warn(warnings, format!("option not used by geokg: {t}"));
            }
        }
        o
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_keep_labels_and_report_the_rest() {
        let mut w = Vec::new();
        let o = TabariOptions::parse(
            "// made up\nLABEL: 031=MEET\nSET: LABEL = TRUE\nCOMPLEX: VERBS[5]\n",
            Path::new("x.options"),
            &mut w,
        );
        assert_eq!(o.labels.get("031").map(String::as_str), Some("MEET"));
        assert_eq!(o.settings.get("LABEL").map(String::as_str), Some("TRUE"));
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].line, 4);
    }
}
