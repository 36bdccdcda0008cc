//! What the extraction test files share: the bundled extractor, loaded once per test
//! binary, and a document built from a text with an optional dateline.

// Each test file uses the part it needs.
#![allow(dead_code)]

use chrono::NaiveDate;
use geokg::extract::Extractor;
use geokg::input::{Dateline, Document};
use geokg::model::Statement;
use std::path::PathBuf;
use std::sync::OnceLock;

pub fn extractor() -> &'static Extractor {
    static EX: OnceLock<Extractor> = OnceLock::new();
    EX.get_or_init(|| Extractor::bundled().expect("bundled models and data load"))
}

/// A document of `text`, dated by its dateline or else `(year, month, day)`.
pub fn document(text: &str, (y, m, d): (i32, u32, u32)) -> Document {
    let dl = Dateline::parse(text);
    Document {
        id: "t".into(),
        text: text.into(),
        body_start: dl.body_start,
        date: dl.date.or(NaiveDate::from_ymd_opt(y, m, d)),
        place: dl.place,
        title: None,
        url: None,
        source: None,
        warnings: Vec::new(),
        origin: geokg::error::Location {
            file: PathBuf::from("test"),
            line: None,
        },
    }
}

/// The events (statements with a CAMEO code) of `text`.
pub fn events(text: &str, default_date: (i32, u32, u32)) -> Vec<Statement> {
    extractor()
        .extract(&document(text, default_date))
        .statements
        .into_iter()
        .filter(|s| s.cameo.is_some())
        .collect()
}
