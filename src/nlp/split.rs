//! Sentence splitting over tokens, tuned for news text.
//!
//! A sentence ends at `.`, `!`, `?` or an ellipsis (plus any closing quotes or brackets
//! right after it) when the next token could start a sentence; at a blank line; and after
//! a short line without final punctuation (a heading such as "Shocking allies").
//! Abbreviations kept whole by the tokenizer (`U.S.`, `Feb.`, `Mr.`, `J.`) end a sentence
//! only when a typical sentence opener follows; titles and initials never do.
//! `"Soon," Trump said.` stays one sentence; `... he said. "We're going"` splits after `said.`.

use std::ops::Range;

use super::tokenize::is_abbreviation;

/// Abbreviations after which a sentence never ends (titles, initials are handled apart).
const NEVER_FINAL: &[&str] = &[
    "mr", "mrs", "ms", "dr", "gen", "sen", "rep", "gov", "lt", "col", "capt", "cpt", "sgt", "maj",
    "adm", "prof", "rev", "pres", "hon", "st", "mt", "ft", "no", "nos", "vs", "cf", "fig", "vol",
    "op", "pp",
];

const MONTHS: &[&str] = &[
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
];

/// Words that usually open a sentence; after `U.S.` or `Inc.` they signal a boundary.
const OPENERS: &[&str] = &[
    "the",
    "a",
    "an",
    "he",
    "she",
    "it",
    "they",
    "we",
    "i",
    "you",
    "but",
    "and",
    "or",
    "so",
    "in",
    "on",
    "at",
    "for",
    "this",
    "that",
    "these",
    "those",
    "his",
    "her",
    "their",
    "its",
    "our",
    "my",
    "there",
    "when",
    "while",
    "after",
    "before",
    "if",
    "as",
    "however",
    "meanwhile",
    "some",
    "many",
    "most",
    "one",
    "two",
    "both",
    "its",
    "what",
    "why",
    "how",
    "who",
    "where",
    "no",
    "not",
    "yet",
    "still",
    "also",
    "then",
    "since",
    "although",
    "though",
    "because",
    "last",
    "earlier",
    "later",
    "under",
    "by",
    "with",
    "from",
    "asked",
    "officials",
    "mr.",
    "ms.",
    "mrs.",
    "dr.",
];

/// Speech verbs: `"Why now?" Trump asked.` stays one sentence.
const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "asked",
    "asks",
    "added",
    "adds",
    "told",
    "tells",
    "replied",
    "wrote",
    "writes",
    "declared",
    "insisted",
    "stressed",
    "warned",
    "noted",
    "explained",
    "continued",
];

/// Sentences stay below this many tokens; longer runs are cut into pieces.
pub const MAX_SENTENCE_TOKENS: usize = 200;

fn is_terminal(tok: &str) -> bool {
    !tok.is_empty() && tok.chars().all(|c| matches!(c, '.' | '!' | '?' | '…'))
        || tok == "?!"
        || tok == "!?"
}

fn is_closing(tok: &str) -> bool {
    matches!(tok, "\"" | "”" | "'" | "’" | ")" | "]" | "}" | "»" | "''")
}

fn is_opening(tok: &str) -> bool {
    matches!(tok, "\"" | "“" | "'" | "‘" | "(" | "[" | "{" | "«" | "``")
}

fn starts_upper_or_digit(tok: &str) -> bool {
    tok.chars().next().is_some_and(|c| {
        c.is_uppercase() || c.is_ascii_digit() || !c.is_alphabetic() && !c.is_ascii_punctuation()
    })
}

fn starts_lower(tok: &str) -> bool {
    tok.chars().next().is_some_and(char::is_lowercase)
}

/// Groups `tokens` (byte spans into `text`) into sentences; returns token index ranges.
pub fn sentences(text: &str, tokens: &[Range<usize>]) -> Vec<Range<usize>> {
    let n = tokens.len();
    let word = |i: usize| &text[tokens[i].clone()];
    let gap = |i: usize| &text[tokens[i - 1].end..tokens[i].start];
    let mut boundary = vec![false; n + 1];
    boundary[n] = true;
    for i in 1..n {
        let g = gap(i);
        let newlines = g.matches('\n').count();
        if newlines >= 2 || g.contains("\r\n\r\n") || g.contains("\r\r") {
            boundary[i] = true;
            continue;
        }
        if newlines == 1 || g.contains('\r') {
            // A short line without final punctuation is a heading, unless the next line
            // continues it in lower case.
            let line_start = text[..tokens[i - 1].start].rfind('\n').map_or(0, |p| p + 1);
            let line = text[line_start..tokens[i - 1].end].trim();
            let last = word(i - 1);
            let ends = is_terminal(last) || is_closing(last) || last.ends_with(':') || last == ",";
            if !ends && line.chars().count() <= 60 && !starts_lower(word(i)) && !last.ends_with(',')
            {
                boundary[i] = true;
                continue;
            }
        }
    }
    let mut i = 0;
    while i < n {
        let tok = word(i);
        let abbreviation =
            tok.len() > 1 && tok.ends_with('.') && is_abbreviation(&tok[..tok.len() - 1]);
        if !is_terminal(tok) && !abbreviation {
            i += 1;
            continue;
        }
        // Closing quotes and brackets right after the terminal belong to this sentence.
        let mut j = i + 1;
        while j < n
            && is_closing(word(j))
            && !gap(j).contains('\n')
            && (gap(j).is_empty()
                || j == i + 1 && is_quote(word(j)) && closes_quote(text, tokens, j))
        {
            j += 1;
        }
        if j >= n {
            break;
        }
        let next = word(j);
        let split = if abbreviation {
            abbreviation_ends_sentence(
                tok,
                next,
                j + 1 < n && word(j + 1).starts_with(|c: char| c.is_ascii_digit()),
            )
        } else if starts_lower(next)
            || matches!(next, "," | ";" | ":" | ")" | "]")
            || (j > i + 1 && tok != "." && is_speech_continuation(text, tokens, j))
        {
            false
        } else {
            starts_upper_or_digit(next)
                || is_opening(next)
                || next.starts_with(['-', '—', '–', '*', '•'])
        };
        if split {
            boundary[j] = true;
        }
        i = j;
    }
    ranges(&boundary)
}

/// Sentences from per-token boundary flags (`boundary[i]`: a sentence starts at token i;
/// the last flag stands for the end); runs longer than [`MAX_SENTENCE_TOKENS`] are cut.
pub fn ranges(boundary: &[bool]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (k, &is_boundary) in boundary.iter().enumerate().skip(1) {
        if is_boundary {
            let mut s = start;
            while k - s > MAX_SENTENCE_TOKENS {
                out.push(s..s + MAX_SENTENCE_TOKENS);
                s += MAX_SENTENCE_TOKENS;
            }
            if k > s {
                out.push(s..k);
            }
            start = k;
        }
    }
    out
}

fn is_quote(tok: &str) -> bool {
    matches!(tok, "\"" | "”" | "'" | "’" | "''")
}

/// A straight quote right after a terminal closes a quotation when the quotes opened so
/// far in its paragraph are odd in number.
fn closes_quote(text: &str, tokens: &[Range<usize>], j: usize) -> bool {
    let tok = &text[tokens[j].clone()];
    if tok != "\"" && tok != "'" {
        return true;
    }
    let para_start = text[..tokens[j].start].rfind("\n\n").map_or(0, |p| p + 2);
    let count = tokens[..j]
        .iter()
        .rev()
        .take_while(|r| r.start >= para_start)
        .filter(|r| &text[(*r).clone()] == tok)
        .count();
    count % 2 == 1
}

/// `"Why now?" Trump asked.`: a name of one to three capitalized words, then a speech verb.
fn is_speech_continuation(text: &str, tokens: &[Range<usize>], j: usize) -> bool {
    for k in j..(j + 4).min(tokens.len()) {
        let w = &text[tokens[k].clone()];
        if SPEECH_VERBS.contains(&w.to_lowercase().as_str()) {
            return k > j;
        }
        if !w.starts_with(char::is_uppercase) {
            return false;
        }
    }
    false
}

fn abbreviation_ends_sentence(tok: &str, next: &str, next_next_is_digit: bool) -> bool {
    let core = tok[..tok.len() - 1].to_lowercase();
    if NEVER_FINAL.contains(&core.as_str()) || core.chars().count() == 1 {
        return false;
    }
    if MONTHS.contains(&core.as_str())
        && (next.starts_with(|c: char| c.is_ascii_digit()) || next_next_is_digit)
    {
        return false;
    }
    let lower = next.to_lowercase();
    OPENERS.contains(&lower.as_str()) && next.starts_with(char::is_uppercase)
        || matches!(next, "\"" | "“")
}

#[cfg(test)]
mod tests {
    use super::super::tokenize::tokenize;
    use super::*;

    fn split(text: &str) -> Vec<String> {
        let toks = tokenize(text, 0..text.len());
        sentences(text, &toks)
            .into_iter()
            .map(|r| text[toks[r.start].start..toks[r.end - 1].end].to_string())
            .collect()
    }

    #[test]
    fn abbreviations_and_initials_do_not_split() {
        let s =
            split("The U.S. envoy met Mr. Smith on Feb. 27 in St. Louis. J. D. Vance was there.");
        assert_eq!(
            s,
            [
                "The U.S. envoy met Mr. Smith on Feb. 27 in St. Louis.",
                "J. D. Vance was there."
            ]
        );
    }

    #[test]
    fn abbreviation_at_sentence_end_splits_before_an_opener() {
        let s = split("Troops left the U.S. The talks resumed.");
        assert_eq!(s, ["Troops left the U.S.", "The talks resumed."]);
    }

    #[test]
    fn quotes_stay_with_their_sentence() {
        let s = split("\"It will be soon,\" Trump said. \"We're going to win.\" Aides cheered.");
        assert_eq!(
            s,
            [
                "\"It will be soon,\" Trump said.",
                "\"We're going to win.\"",
                "Aides cheered."
            ]
        );
        let s = split("He called it a “dictator.” Nobody replied.");
        assert_eq!(s, ["He called it a “dictator.”", "Nobody replied."]);
        let s = split("\"Why now?\" Starmer asked. Trump smiled.");
        assert_eq!(s, ["\"Why now?\" Starmer asked.", "Trump smiled."]);
    }

    #[test]
    fn headings_and_blank_lines_split() {
        let s = split("Talks stalled.\n\nShocking allies\n\nThe president spoke on Monday");
        assert_eq!(
            s,
            [
                "Talks stalled.",
                "Shocking allies",
                "The president spoke on Monday"
            ]
        );
        let s = split("Shocking allies\nThe president spoke.");
        assert_eq!(s, ["Shocking allies", "The president spoke."]);
        // A wrapped line continuing in lower case is not a heading.
        let s = split("The minister said on\nthursday that talks would go on.");
        assert_eq!(s.len(), 1);
    }

    #[test]
    fn question_and_exclamation_split() {
        let s = split("Will it hold? Nobody knows! Maybe...");
        assert_eq!(s, ["Will it hold?", "Nobody knows!", "Maybe..."]);
    }

    #[test]
    fn very_long_runs_are_capped() {
        let text = "word ".repeat(5000);
        let toks = tokenize(&text, 0..text.len());
        let s = sentences(&text, &toks);
        assert!(s.iter().all(|r| r.len() <= MAX_SENTENCE_TOKENS));
        assert_eq!(s.iter().map(|r| r.len()).sum::<usize>(), 5000);
    }
}
