//! Any text: tokens and sentences are in order, inside the text, on character boundaries,
//! and every token belongs to exactly one sentence.
#![no_main]

use geokg_fuzz::nlp::{split, tokenize};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let tokens = tokenize::tokenize(&text, 0..text.len());
    let mut last = 0;
    for t in &tokens {
        assert!(t.start < t.end && t.end <= text.len());
        assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
        assert!(t.start >= last);
        last = t.end;
    }
    let sentences = split::sentences(&text, &tokens);
    let mut next = 0;
    for s in &sentences {
        assert_eq!(s.start, next, "sentences must cover the tokens in order");
        assert!(s.start < s.end && s.end <= tokens.len());
        next = s.end;
    }
    assert_eq!(next, tokens.len());
});
