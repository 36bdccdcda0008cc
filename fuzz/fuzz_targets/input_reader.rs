//! Any bytes, read as a `.txt` file and as a `.jsonl` file: every document or error comes
//! back without a panic, and errors name the file.
#![no_main]

use geokg_fuzz::input::{parse_date, Dateline, DocumentReader, ReadOptions};
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::OnceLock;

fn scratch() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("geokg-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch directory");
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let dir = scratch();
    let txt = dir.join("input.txt");
    let jsonl = dir.join("input.jsonl");
    std::fs::write(&txt, data).expect("write");
    std::fs::write(&jsonl, data).expect("write");
    for item in DocumentReader::new(&[txt.clone(), jsonl.clone()], ReadOptions::default()) {
        match item {
            Ok(doc) => {
                assert!(doc.body_start <= doc.text.len());
                assert!(doc.text.is_char_boundary(doc.body_start));
                let _ = doc.meta();
            }
            Err(e) => assert!(e.to_string().contains("input.")),
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let dateline = Dateline::parse(text);
        assert!(text.is_char_boundary(dateline.body_start.min(text.len())));
        let _ = parse_date(text);
    }
});
