//! Tokenizer following the UD English EWT conventions, returning byte spans into the text.
//!
//! EWT splits clitics (`do|n't`, `ca|n't`, `we|'ll`, `Trump|'s`, also with ’), splits
//! punctuation and most hyphenated words (`long|-|term`) but keeps hyphenated prefixes
//! (`e-mail`, `co-workers`, `anti-war`), keeps abbreviations with their period (`U.S.`,
//! `Feb.`, `Mr.`), and keeps numbers, dates, phone numbers, URLs and e-mail addresses whole.

use std::ops::Range;

/// Abbreviations that keep their final period (compared case-insensitively, without it).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "gen", "sen", "rep", "gov", "lt", "col", "capt", "cpt", "sgt",
    "maj", "adm", "prof", "rev", "jr", "sr", "pres", "hon", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue", "tues", "wed", "thu", "thurs",
    "fri", "sat", "sun", "inc", "corp", "co", "ltd", "llc", "bros", "vs", "etc", "no", "nos", "ft",
    "mt", "ave", "blvd", "rd", "approx", "dept", "est", "fig", "vol", "ed", "eds", "al", "cf",
    "govt", "assn", "univ", "ariz", "calif", "colo", "conn", "fla", "ga", "ill", "ind", "kan",
    "ky", "la", "md", "mass", "mich", "minn", "miss", "mo", "mont", "neb", "nev", "okla", "ore",
    "pa", "penn", "tenn", "tex", "va", "vt", "wash", "wis", "wyo", "dist", "sq", "pp", "ph", "esq",
    "op", "viz",
];

/// Hyphenated prefixes that EWT keeps inside one token (`e-mail`, `non-human`).
const HYPHEN_PREFIXES: &[&str] = &[
    "e", "non", "pre", "anti", "re", "mid", "post", "co", "pro", "multi", "ex", "sub", "semi",
    "neo", "cross", "vice", "un", "counter", "micro", "intra", "socio", "psycho", "inter", "trans",
    "ultra", "mega",
];

/// Is `word` (without a final period) an abbreviation that keeps the period?
pub fn is_abbreviation(word: &str) -> bool {
    let lower = word.to_lowercase();
    if ABBREVIATIONS.contains(&lower.as_str()) {
        return true;
    }
    let mut chars = word.chars();
    // Initials: "J" of "J."
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return c.is_alphabetic();
    }
    // Dotted letters: "U.S", "a.m", "e.g", "D.C"
    word.contains('.')
        && word
            .split('.')
            .all(|p| !p.is_empty() && p.chars().count() <= 2 && p.chars().all(char::is_alphabetic))
}

fn is_leading_punct(c: char) -> bool {
    matches!(
        c,
        '(' | '['
            | '{'
            | '"'
            | '“'
            | '‘'
            | '«'
            | '`'
            | '$'
            | '£'
            | '€'
            | '¥'
            | '¿'
            | '¡'
            | '—'
            | '–'
            | '*'
            | '<'
            | '¨'
    )
}

fn is_trailing_punct(c: char) -> bool {
    matches!(
        c,
        ')' | ']'
            | '}'
            | '"'
            | '”'
            | '’'
            | '\''
            | ','
            | ';'
            | ':'
            | '!'
            | '?'
            | '»'
            | '—'
            | '–'
            | '…'
            | '%'
            | '*'
            | '>'
    )
}

/// Byte spans of the tokens of `text[range]` (offsets relative to the whole text).
pub fn tokenize(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let range = clamp_range(text, range);
    let mut out = Vec::new();
    let slice = &text[range.clone()];
    let mut chunk_start: Option<usize> = None;
    for (i, c) in slice.char_indices() {
        if c.is_whitespace() || c.is_control() {
            if let Some(s) = chunk_start.take() {
                split_chunk(text, range.start + s, range.start + i, &mut out);
            }
        } else if chunk_start.is_none() {
            chunk_start = Some(i);
        }
    }
    if let Some(s) = chunk_start {
        split_chunk(text, range.start + s, range.end, &mut out);
    }
    out
}

/// Shrinks `range` to lie within `text` on character boundaries.
pub fn clamp_range(text: &str, range: Range<usize>) -> Range<usize> {
    let mut start = range.start.min(text.len());
    let mut end = range.end.min(text.len()).max(start);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end.max(start)
}

fn first_char(s: &str) -> Option<char> {
    s.chars().next()
}

fn last_char(s: &str) -> Option<char> {
    s.chars().next_back()
}

fn is_url_or_email(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    if lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("www.")
        || lower.starts_with("ftp://")
    {
        return true;
    }
    if let Some(at) = s.find('@') {
        let (user, host) = (&s[..at], &s[at + 1..]);
        return !user.is_empty()
            && host.contains('.')
            && host.chars().next().is_some_and(char::is_alphanumeric);
    }
    false
}

const CLITICS: &[&str] = &["s", "ll", "re", "ve", "d", "m"];

fn split_chunk(text: &str, start: usize, end: usize, out: &mut Vec<Range<usize>>) {
    let mut s = start;
    let mut e = end;
    // Leading punctuation.
    loop {
        let chunk = &text[s..e];
        let Some(c) = first_char(chunk) else { return };
        if is_url_or_email(chunk) {
            break;
        }
        if c == '\'' || c == '’' {
            let rest = &chunk[c.len_utf8()..];
            let rest_lower = rest.to_lowercase();
            let clitic_alone =
                CLITICS.contains(&rest_lower.trim_end_matches(|x: char| !x.is_alphanumeric()));
            if clitic_alone || rest.starts_with(|x: char| x.is_ascii_digit()) || rest.is_empty() {
                break;
            }
            out.push(s..s + c.len_utf8());
            s += c.len_utf8();
            continue;
        }
        if is_leading_punct(c)
            || (c == '-'
                && chunk.len() > 1
                && !chunk[1..].starts_with(|x: char| x.is_ascii_digit()))
        {
            // Runs of the same dash or quote character form one token ("--", "``").
            let run = chunk.chars().take_while(|&x| x == c).count();
            let len = c.len_utf8() * run;
            if len == chunk.len() {
                break;
            }
            out.push(s..s + len);
            s += len;
            continue;
        }
        break;
    }
    // Trailing punctuation, collected right to left.
    let mut trailing: Vec<Range<usize>> = Vec::new();
    loop {
        let chunk = &text[s..e];
        if chunk.is_empty() {
            break;
        }
        if is_url_or_email(chunk) {
            let trimmed = chunk.trim_end_matches(|c: char| {
                matches!(
                    c,
                    '.' | ',' | ';' | ':' | '!' | '?' | ')' | '"' | '\'' | '”' | '’'
                )
            });
            if trimmed.len() < chunk.len() && !trimmed.is_empty() {
                trailing.push(s + trimmed.len()..e);
                e = s + trimmed.len();
            }
            break;
        }
        let Some(c) = last_char(chunk) else { break };
        if c == '.' {
            let dots = chunk.chars().rev().take_while(|&x| x == '.').count();
            if dots == chunk.len() {
                break;
            }
            if dots >= 2 {
                trailing.push(e - dots..e);
                e -= dots;
                continue;
            }
            let core = &chunk[..chunk.len() - 1];
            if is_abbreviation(core) {
                break;
            }
            trailing.push(e - 1..e);
            e -= 1;
            continue;
        }
        if c == '…' {
            trailing.push(e - c.len_utf8()..e);
            e -= c.len_utf8();
            continue;
        }
        if is_trailing_punct(c) {
            let len = c.len_utf8();
            if len == chunk.len() {
                break;
            }
            // A trailing apostrophe that is part of a clitic ("rock 'n'") is rare; EWT
            // splits possessive apostrophes ("allies '"), so split it.
            let run = chunk.chars().rev().take_while(|&x| x == c).count();
            // A chunk made only of this character keeps its first one as the word (the
            // length is counted in characters, never cut inside a multi-byte one).
            let mut run_len = len * run;
            if run_len >= chunk.len() {
                run_len -= len;
            }
            trailing.push(e - run_len..e);
            e -= run_len;
            continue;
        }
        break;
    }
    if s < e {
        split_core(text, s, e, out);
    }
    out.extend(trailing.into_iter().rev());
}

/// Splits clitics, hyphens and slashes inside a word stripped of outer punctuation.
fn split_core(text: &str, s: usize, e: usize, out: &mut Vec<Range<usize>>) {
    let word = &text[s..e];
    if is_url_or_email(word) {
        out.push(s..e);
        return;
    }
    let lower = word.to_lowercase();
    if lower.len() == word.len() {
        // Clitics (byte positions of `lower` match `word` when lowercasing kept lengths).
        for nt in ["n't", "n’t"] {
            if lower.ends_with(nt) && lower.len() > nt.len() {
                let cut = e - nt.len();
                split_core(text, s, cut, out);
                out.push(cut..e);
                return;
            }
        }
        for apostrophe in ['\'', '’'] {
            if let Some(pos) = lower.rfind(apostrophe) {
                let suffix = &lower[pos + apostrophe.len_utf8()..];
                if pos > 0 && CLITICS.contains(&suffix) {
                    split_core(text, s, s + pos, out);
                    out.push(s + pos..e);
                    return;
                }
            }
        }
        for (whole, first) in [("cannot", 3), ("gonna", 3), ("wanna", 3), ("gotta", 3)] {
            if lower == whole {
                out.push(s..s + first);
                out.push(s + first..e);
                return;
            }
        }
    }
    if word.contains('-') && word.chars().any(char::is_alphanumeric) && !keeps_hyphens(word) {
        let mut part_start = s;
        let mut prev_end = s;
        let mut first = true;
        let mut idx = 0;
        let bytes: Vec<(usize, char)> = word.char_indices().collect();
        while idx < bytes.len() {
            let (off, c) = bytes[idx];
            if c == '-' {
                let run = bytes[idx..].iter().take_while(|(_, x)| *x == '-').count();
                let before = &text[part_start..s + off];
                let keep =
                    first && run == 1 && HYPHEN_PREFIXES.contains(&before.to_lowercase().as_str());
                if !keep {
                    if s + off > part_start {
                        out.push(part_start..s + off);
                    }
                    let dash_end = s + off + run;
                    out.push(s + off..dash_end);
                    part_start = dash_end;
                    prev_end = dash_end;
                }
                first = false;
                idx += run;
                continue;
            }
            idx += 1;
        }
        let _ = prev_end;
        if part_start < e {
            out.push(part_start..e);
        }
        return;
    }
    if let Some(pos) = word.find('/') {
        let (a, b) = (&word[..pos], &word[pos + 1..]);
        let wordy = |x: &str| x.chars().count() >= 2 && x.chars().all(char::is_alphabetic);
        if wordy(a) && wordy(b) && !b.contains('/') {
            out.push(s..s + pos);
            out.push(s + pos..s + pos + 1);
            out.push(s + pos + 1..e);
            return;
        }
    }
    out.push(s..e);
}

/// Phone numbers (`713-853-3989`) and ISO dates (`2025-02-28`) keep their hyphens.
fn keeps_hyphens(word: &str) -> bool {
    let groups: Vec<&str> = word.split('-').collect();
    if groups
        .iter()
        .all(|g| !g.is_empty() && g.chars().all(|c| c.is_ascii_digit()))
    {
        let lens: Vec<usize> = groups.iter().map(|g| g.len()).collect();
        return matches!(
            lens.as_slice(),
            [3, 4] | [3, 3, 4] | [1, 3, 3, 4] | [4, 2, 2]
        );
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text, 0..text.len())
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    /// Found by fuzzing (fuzz/fuzz_targets/sentence_splitter.rs): a chunk made only of a
    /// repeated multi-byte closing quote or dash was cut inside a character and panicked.
    #[test]
    fn runs_of_multibyte_punctuation_split_on_characters() {
        assert_eq!(words("\u{201d}\u{201d}\u{4}"), ["\u{201d}", "\u{201d}"]);
        assert_eq!(
            words("ro \u{2014}\u{2014} The").concat(),
            "ro\u{2014}\u{2014}The"
        );
        assert_eq!(words("yes\u{201d}\u{201d}")[0], "yes");
    }

    #[test]
    fn clitics_are_split_as_in_ewt() {
        assert_eq!(
            words("They don't know."),
            ["They", "do", "n't", "know", "."]
        );
        assert_eq!(
            words("We'll see, he can't."),
            ["We", "'ll", "see", ",", "he", "ca", "n't", "."]
        );
        assert_eq!(words("Trump's tariff"), ["Trump", "'s", "tariff"]);
        assert_eq!(
            words("It won’t end, it’s over"),
            ["It", "wo", "n’t", "end", ",", "it", "’s", "over"]
        );
        assert_eq!(words("the allies' plan"), ["the", "allies", "'", "plan"]);
        assert_eq!(words("I cannot"), ["I", "can", "not"]);
    }

    #[test]
    fn abbreviations_keep_their_period() {
        assert_eq!(words("the U.S. envoy"), ["the", "U.S.", "envoy"]);
        assert_eq!(
            words("Mr. Smith met Gen. Lee on Feb. 27 at St. Paul."),
            ["Mr.", "Smith", "met", "Gen.", "Lee", "on", "Feb.", "27", "at", "St.", "Paul", "."]
        );
        assert_eq!(words("J. D. Vance"), ["J.", "D.", "Vance"]);
    }

    #[test]
    fn punctuation_and_quotes_are_split() {
        assert_eq!(
            words("\"It will be soon,\" he said."),
            ["\"", "It", "will", "be", "soon", ",", "\"", "he", "said", "."]
        );
        assert_eq!(words("(Feb 27)"), ["(", "Feb", "27", ")"]);
        assert_eq!(
            words("a “dictator,” he"),
            ["a", "“", "dictator", ",", "”", "he"]
        );
        assert_eq!(
            words("costs $5.50 or 10%..."),
            ["costs", "$", "5.50", "or", "10", "%", "..."]
        );
    }

    #[test]
    fn hyphens_follow_ewt() {
        assert_eq!(words("long-term peace"), ["long", "-", "term", "peace"]);
        assert_eq!(words("US-Russia talks"), ["US", "-", "Russia", "talks"]);
        assert_eq!(
            words("send an e-mail to co-workers"),
            ["send", "an", "e-mail", "to", "co-workers"]
        );
        assert_eq!(
            words("call 713-853-3989 on 2025-02-28"),
            ["call", "713-853-3989", "on", "2025-02-28"]
        );
        assert_eq!(
            words("peace — an argument"),
            ["peace", "—", "an", "argument"]
        );
    }

    #[test]
    fn numbers_and_urls_stay_whole() {
        assert_eq!(
            words("1,000 troops in 2014."),
            ["1,000", "troops", "in", "2014", "."]
        );
        assert_eq!(
            words("see https://example.org/a-b?x=1."),
            ["see", "https://example.org/a-b?x=1", "."]
        );
        assert_eq!(
            words("mail press@example.org, now"),
            ["mail", "press@example.org", ",", "now"]
        );
    }

    #[test]
    fn offsets_are_byte_offsets_and_ranges_respected() {
        let text = "Kyiv – “Peace” now";
        let toks = tokenize(text, 0..text.len());
        for r in &toks {
            assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        }
        assert_eq!(words(text), ["Kyiv", "–", "“", "Peace", "”", "now"]);
        let sub = tokenize("skip this part", 5..9);
        assert_eq!(sub, vec![5..9]);
        // Out-of-range and mid-character ranges are clamped, never a panic.
        assert!(tokenize("é", 1..99).is_empty());
    }
}
