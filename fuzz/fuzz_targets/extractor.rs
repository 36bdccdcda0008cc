//! Any text, analysed and extracted like a document body: no panic, and every statement
//! points into the text.
#![no_main]

use geokg_fuzz::error::Location;
use geokg_fuzz::extract::Extractor;
use geokg_fuzz::input::{Dateline, Document};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn extractor() -> &'static Extractor {
    static EX: OnceLock<Extractor> = OnceLock::new();
    EX.get_or_init(|| Extractor::bundled().expect("bundled extractor"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let dateline = Dateline::parse(text);
    let doc = Document {
        id: "fuzz".into(),
        text: text.to_string(),
        body_start: dateline.body_start,
        date: dateline.date,
        place: dateline.place,
        title: None,
        url: None,
        source: None,
        warnings: Vec::new(),
        origin: Location {
            file: "fuzz.txt".into(),
            line: None,
        },
    };
    let graph = extractor().extract(&doc);
    let chars = text.chars().count();
    for s in &graph.statements {
        assert!(s.span.start <= s.span.end && s.span.end <= chars);
    }
});
