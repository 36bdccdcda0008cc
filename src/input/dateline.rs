//! Datelines ("date 2025-02-28 WASHINGTON — ...", "KYIV, March 3 (Agency) - ...") and
//! publication dates in the forms news feeds use.

use chrono::{Datelike, NaiveDate};

/// What a leading dateline tells about a document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Dateline {
    pub date: Option<NaiveDate>,
    pub place: Option<String>,
    /// Byte offset of the first character after the dateline (0 when there is none).
    pub body_start: usize,
}

const DASHES: [&str; 4] = ["—", "–", "--", "-"];

impl Dateline {
    /// Reads a dateline at the start of `text`. Only the first line is considered, and only
    /// when it has the shape of a dateline (a date and/or an upper-case place, then a dash),
    /// so an ordinary first sentence is never eaten.
    pub fn parse(text: &str) -> Dateline {
        let lead = text.len() - text.trim_start().len();
        let rest = &text[lead..];
        let first_line = rest.split('\n').next().unwrap_or("");
        // The dash separating dateline and body must come early in the line.
        let Some((dash_at, dash)) = DASHES
            .iter()
            .filter_map(|d| first_line.find(&format!(" {d} ")).map(|i| (i, *d)))
            .min_by_key(|(i, _)| *i)
        else {
            return Dateline::default();
        };
        if dash_at > 80 {
            return Dateline::default();
        }
        let head = first_line[..dash_at].trim();
        let Some((date, place)) = read_head(head) else {
            return Dateline::default();
        };
        let body_rel = dash_at + 1 + dash.len() + 1;
        let body_start = lead
            + body_rel
            + (first_line[body_rel..].len() - first_line[body_rel..].trim_start().len());
        Dateline {
            date,
            place,
            body_start,
        }
    }
}

/// Splits a dateline head into date and place; `None` when it is not a dateline.
fn read_head(head: &str) -> Option<(Option<NaiveDate>, Option<String>)> {
    let mut s = head;
    // Strip an agency in brackets: "(Reuters)".
    if let Some(open) = s.rfind('(') {
        if s.ends_with(')') && open > 0 {
            s = s[..open].trim_end();
        }
    }
    let s = s.strip_prefix("date ").unwrap_or(s).trim();
    // Form 1: "2025-02-28 WASHINGTON"
    if let Some((first, rest)) = s.split_once(' ') {
        if let Some(d) = parse_date(first) {
            let place = rest.trim().trim_end_matches(',').trim();
            return Some((Some(d), is_place(place).then(|| place.to_string())));
        }
    }
    if let Some(d) = parse_date(s) {
        return Some((Some(d), None));
    }
    // Form 2: "WASHINGTON, Feb 28" / "KYIV, Ukraine" / "NEW YORK"
    let (place, tail) = match s.split_once(',') {
        Some((p, t)) => (p.trim(), t.trim()),
        None => (s, ""),
    };
    if !is_place(place) {
        return None;
    }
    let date = if tail.is_empty() {
        None
    } else if let Some(d) = parse_date(tail) {
        Some(d)
    } else if tail
        .split_whitespace()
        .all(|w| w.starts_with(char::is_uppercase))
    {
        None // "KYIV, Ukraine"
    } else {
        return None;
    };
    Some((date, Some(place.to_string())))
}

/// A dateline place is written in capitals: "WASHINGTON", "NEW YORK", "PORT-AU-PRINCE".
fn is_place(s: &str) -> bool {
    let letters: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2
        && letters.iter().all(|c| c.is_uppercase())
        && s.split_whitespace().count() <= 4
        && s.chars()
            .all(|c| c.is_alphabetic() || c == ' ' || c == '-' || c == '.' || c == '\'')
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// Month number from an English month name or abbreviation ("Feb", "Feb.", "February", "Sept").
pub fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    let full = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    for (i, m) in full.iter().enumerate() {
        if *m == w || (w.len() <= 4 && (MONTHS[i] == w || (i == 8 && w == "sept"))) {
            return Some(i as u32 + 1);
        }
    }
    None
}

/// Parses the date forms found in feeds and datelines: `2025-02-28`, an ISO timestamp,
/// `2025/02/28`, `Feb 28, 2025`, `February 28 2025`, `28 Feb 2025`, `28 February, 2025`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let iso = s.get(..10).unwrap_or(s);
    for sep in ['-', '/'] {
        let parts: Vec<&str> = iso.split(sep).collect();
        if parts.len() == 3 && parts[0].len() == 4 {
            let (y, m, d) = (
                parts[0].parse().ok()?,
                parts[1].parse().ok()?,
                parts[2].parse().ok()?,
            );
            if s.len() > 10 && !s[10..].starts_with(['T', ' ', 't']) {
                return None;
            }
            return NaiveDate::from_ymd_opt(y, m, d).filter(|d| d.year() >= 1);
        }
    }
    let words: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    if words.len() != 3 {
        return None;
    }
    let num = |w: &str| -> Option<u32> {
        let w = w.trim_end_matches(|c: char| c.is_alphabetic());
        w.parse().ok()
    };
    let (m, d, y) = if let Some(m) = month_number(words[0]) {
        (m, num(words[1])?, words[2].parse::<i32>().ok()?)
    } else if let Some(m) = month_number(words[1]) {
        (m, num(words[0])?, words[2].parse::<i32>().ok()?)
    } else {
        return None;
    };
    if !(1..=9999).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn iso_dateline_with_place() {
        let text = "date 2024-06-14 OTTAWA — The minister said.";
        let dl = Dateline::parse(text);
        assert_eq!(dl.date, ymd(2024, 6, 14));
        assert_eq!(dl.place.as_deref(), Some("OTTAWA"));
        assert_eq!(&text[dl.body_start..], "The minister said.");
    }

    #[test]
    fn wire_style_dateline() {
        let text = "NEW YORK, March 3 2023 (Wire) - Envoys gathered.";
        let dl = Dateline::parse(text);
        assert_eq!(dl.date, ymd(2023, 3, 3));
        assert_eq!(dl.place.as_deref(), Some("NEW YORK"));
        assert_eq!(&text[dl.body_start..], "Envoys gathered.");
        let dl = Dateline::parse("KYIV, Ukraine — Sirens sounded.");
        assert_eq!(dl.date, None);
        assert_eq!(dl.place.as_deref(), Some("KYIV"));
    }

    #[test]
    fn an_ordinary_sentence_is_not_a_dateline() {
        let text = "The talks - which lasted hours - ended.";
        assert_eq!(Dateline::parse(text), Dateline::default());
        let text = "Officials in Rome — and in Paris — objected.";
        assert_eq!(Dateline::parse(text).body_start, 0);
    }

    #[test]
    fn date_forms() {
        assert_eq!(parse_date("2025-02-28"), ymd(2025, 2, 28));
        assert_eq!(parse_date("2025-02-28T09:30:00Z"), ymd(2025, 2, 28));
        assert_eq!(parse_date("Feb. 27, 2025"), ymd(2025, 2, 27));
        assert_eq!(parse_date("27 February 2025"), ymd(2025, 2, 27));
        assert_eq!(parse_date("Sept 1 2021"), ymd(2021, 9, 1));
        assert_eq!(parse_date("0000-00-00"), None);
        assert_eq!(parse_date("2025-13-01"), None);
        assert_eq!(parse_date("2025-02-28junk"), None);
        assert_eq!(parse_date("soon"), None);
    }
}
