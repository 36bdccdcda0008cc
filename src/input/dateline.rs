//! Datelines ("date 2025-02-28 WASHINGTON — ...", "KYIV, March 3 (Agency) - ...") and
//! publication dates in the forms news feeds use.

use chrono::{Datelike, NaiveDate};

/// What a leading dateline tells about a document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Dateline {
    pub date: Option<NaiveDate>,
    /// The place as written, with the country or region after it when given ("KYIV,
    /// Ukraine", "KINSHASA, Democratic Republic of Congo", "WASHINGTON").
    pub place: Option<String>,
    /// Byte offset of the first character after the dateline (0 when there is none).
    pub body_start: usize,
    /// Set when the text opens like a dateline that could not be read ("date 2025-13-01
    /// ...", "WASHINGTON Trump said ..."): nothing was taken from the text.
    pub warning: Option<String>,
}

const DASHES: [&str; 4] = ["—", "–", "--", "-"];

impl Dateline {
    /// Reads a dateline at the start of `text`. Only the first line is considered, and
    /// only when it has the shape of a dateline: a date and/or an upper-case place, then a
    /// dash (or a colon, or an agency in brackets), or geokg's own `date YYYY-MM-DD`
    /// prefix with or without a place and a dash. An ordinary first sentence is never
    /// eaten, and the story after a dateline on the same line is kept.
    pub fn parse(text: &str) -> Dateline {
        let lead = text.len() - text.trim_start().len();
        let rest = &text[lead..];
        let first_line = rest.split('\n').next().unwrap_or("");
        let at = |rel: usize| {
            lead + rel + (first_line[rel..].len() - first_line[rel..].trim_start().len())
        };
        // The dash separating dateline and body must come early in the line.
        let dash = DASHES
            .iter()
            .filter_map(|d| first_line.find(&format!(" {d} ")).map(|i| (i, *d)))
            .min_by_key(|(i, _)| *i)
            .filter(|(i, _)| *i <= 80);
        if let Some((dash_at, dash)) = dash {
            if let Some((date, place)) = read_head(first_line[..dash_at].trim()) {
                return Dateline {
                    date,
                    place,
                    body_start: at(dash_at + 1 + dash.len() + 1),
                    warning: None,
                };
            }
        }
        if let Some(mut dl) = keyword_dateline(first_line, lead) {
            if dl.body_start > 0 {
                let body = &text[dl.body_start..];
                dl.body_start += body.len() - body.trim_start().len();
            }
            return dl;
        }
        if let Some(dl) = undashed_dateline(first_line, lead) {
            return dl;
        }
        let mut dl = Dateline::default();
        let caps: Vec<&str> = first_line
            .split_whitespace()
            .map(|w| w.trim_end_matches(','))
            .take_while(|w| is_place(w))
            .collect();
        let next = first_line.split_whitespace().nth(caps.len());
        if caps.iter().map(|w| w.len()).sum::<usize>() >= 4
            && next.is_some_and(|w| w.starts_with(char::is_uppercase))
        {
            dl.warning = Some(format!(
                "the text opens with {:?}, which may be a dateline without a dash; it was read as part of the story",
                caps.join(" ")
            ));
        }
        dl
    }
}

/// geokg's own `date YYYY-MM-DD [PLACE] [—] story` prefix: the date, the upper-case place
/// words after it if any, and the story from the first word that is not one of them.
fn keyword_dateline(line: &str, lead: usize) -> Option<Dateline> {
    let after = line.strip_prefix("date ")?;
    let token = after.split_whitespace().next()?;
    let Some(date) = parse_date(token) else {
        return Some(Dateline {
            warning: Some(format!(
                "the text opens with \"date {token}\", which is no date (expected YYYY-MM-DD); it was read as part of the story"
            )),
            ..Dateline::default()
        });
    };
    let mut pos = line.len() - after.len() + after.find(token).unwrap_or(0) + token.len();
    let mut place_words: Vec<&str> = Vec::new();
    loop {
        let rest = &line[pos..];
        let trimmed = rest.trim_start();
        let Some(word) = trimmed.split_whitespace().next() else {
            break;
        };
        let bare = word.trim_end_matches([',', ':']);
        let separator = DASHES.contains(&word) || word == ":";
        let place_word = is_place(bare) && bare.chars().filter(|c| c.is_alphabetic()).count() >= 2;
        if !(separator || place_word) {
            break;
        }
        pos += rest.len() - trimmed.len() + word.len();
        if separator {
            break;
        }
        place_words.push(bare);
        if word.ends_with(':') {
            break;
        }
    }
    let body = pos + (line[pos..].len() - line[pos..].trim_start().len());
    Some(Dateline {
        date: Some(date),
        place: (!place_words.is_empty()).then(|| place_words.join(" ")),
        body_start: lead + body,
        warning: None,
    })
}

/// A dateline closed by a colon or an agency in brackets instead of a dash: "KYIV: ...",
/// "WASHINGTON (Reuters) ...", "NEW YORK, March 3 (Wire) ...".
fn undashed_dateline(line: &str, lead: usize) -> Option<Dateline> {
    let end = match (line.find(':'), line.find(") ")) {
        (Some(c), _) if c <= 60 && line[c + 1..].starts_with(' ') => c + 1,
        (_, Some(p)) if p <= 80 && line[..p].contains(" (") => p + 1,
        _ => return None,
    };
    let head = line[..end].trim().trim_end_matches(':').trim();
    let (date, place) = read_head(head)?;
    place.as_ref()?;
    let body = end + (line[end..].len() - line[end..].trim_start().len());
    Some(Dateline {
        date,
        place,
        body_start: lead + body,
        warning: None,
    })
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
    // Form 2: "WASHINGTON, Feb 28" / "KYIV, Ukraine" / "KINSHASA, Democratic Republic of
    // Congo" / "NEW YORK"
    let (place, tail) = match s.split_once(',') {
        Some((p, t)) => (p.trim(), t.trim()),
        None => (s, ""),
    };
    if !is_place(place) {
        return None;
    }
    let function_word = |w: &str| {
        matches!(
            w,
            "of" | "the" | "and" | "de" | "da" | "du" | "del" | "la" | "le" | "al" | "el"
        )
    };
    if tail.is_empty() {
        return Some((None, Some(place.to_string())));
    }
    if let Some(d) = parse_date(tail) {
        return Some((Some(d), Some(place.to_string())));
    }
    let words: Vec<&str> = tail.split_whitespace().collect();
    // "ALGIERS, Aug. 25": a day with no year, which the document's own date supplies.
    if let [month, day] = words[..] {
        let day_ok = day
            .trim_end_matches(',')
            .parse::<u32>()
            .is_ok_and(|d| (1..=31).contains(&d));
        if month_number(month).is_some() && day_ok {
            return Some((None, Some(place.to_string())));
        }
    }
    if words.len() <= 6
        && words
            .first()
            .is_some_and(|w| w.starts_with(char::is_uppercase))
        && words
            .iter()
            .all(|w| w.starts_with(char::is_uppercase) || function_word(w))
    {
        return Some((None, Some(format!("{place}, {tail}"))));
    }
    None
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
        assert_eq!(dl.place.as_deref(), Some("KYIV, Ukraine"));
        let text = "KINSHASA, Democratic Republic of Congo — Crowds gathered.";
        let dl = Dateline::parse(text);
        assert_eq!(
            dl.place.as_deref(),
            Some("KINSHASA, Democratic Republic of Congo")
        );
        assert_eq!(&text[dl.body_start..], "Crowds gathered.");
        let dl = Dateline::parse("ALGIERS, Aug. 25 — Talks ended.");
        assert_eq!((dl.place.as_deref(), dl.date), (Some("ALGIERS"), None));
    }

    #[test]
    fn a_date_prefix_with_the_story_on_its_line_keeps_the_story() {
        let text = "date 2025-01-01 Russia attacked Ukraine.";
        let dl = Dateline::parse(text);
        assert_eq!(dl.date, ymd(2025, 1, 1));
        assert_eq!(dl.place, None);
        assert_eq!(&text[dl.body_start..], "Russia attacked Ukraine.");
        let text = "date 2025-01-01 KYIV Russia attacked Ukraine.";
        let dl = Dateline::parse(text);
        assert_eq!(dl.place.as_deref(), Some("KYIV"));
        assert_eq!(&text[dl.body_start..], "Russia attacked Ukraine.");
        let text = "date 2025-01-01\nRussia attacked Ukraine.";
        let dl = Dateline::parse(text);
        assert_eq!(dl.date, ymd(2025, 1, 1));
        assert_eq!(&text[dl.body_start..], "Russia attacked Ukraine.");
    }

    #[test]
    fn datelines_closed_by_a_colon_or_an_agency() {
        let text = "KYIV: Russia attacked Ukraine.";
        let dl = Dateline::parse(text);
        assert_eq!(dl.place.as_deref(), Some("KYIV"));
        assert_eq!(&text[dl.body_start..], "Russia attacked Ukraine.");
        let text = "WASHINGTON (Wire) Envoys gathered.";
        let dl = Dateline::parse(text);
        assert_eq!(dl.place.as_deref(), Some("WASHINGTON"));
        assert_eq!(&text[dl.body_start..], "Envoys gathered.");
        // An acronym subject and a colon later in the sentence are no dateline.
        assert_eq!(Dateline::parse("NATO said: we stand ready.").body_start, 0);
    }

    #[test]
    fn an_unreadable_dateline_warns_and_keeps_the_text() {
        let dl = Dateline::parse("date 2025-13-45 Russia attacked Ukraine.");
        assert_eq!(dl.body_start, 0);
        assert!(
            dl.warning
                .as_deref()
                .is_some_and(|w| w.contains("2025-13-45")),
            "{dl:?}"
        );
        let dl = Dateline::parse("WASHINGTON Trump met Starmer.");
        assert_eq!(dl.body_start, 0);
        assert!(dl.warning.is_some(), "{dl:?}");
        assert_eq!(Dateline::parse("NATO said it would act.").warning, None);
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
