//! The comparisons `score_events.py` makes, one function each, written to give the same
//! answer on every input that script accepts: the report's figures are only worth having
//! if they equal the figures the project is judged by. Where Python's string semantics
//! differ from Rust's (what counts as whitespace, what `str.lower` does, how
//! `date.fromisoformat` reads a date), the Python meaning is the one kept.

use chrono::{NaiveDate, Weekday};

/// Python's `str.isspace()`, which also `\s` and `str.strip()` use: Unicode White_Space plus
/// the four ASCII separators U+001C..U+001F.
pub(crate) fn py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Python's `\w` on text: letters, digits and numbers of any script, and `_`. (Rust's
/// `is_alphanumeric` also takes the few combining signs Unicode calls Other_Alphabetic,
/// mostly Indic vowel signs, which Python drops; no actor name in English news has one.)
fn py_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// A name as the scorer compares it: lower case, curly apostrophe made straight, a leading
/// "the" dropped, and every character but word characters, apostrophes and spaces removed
/// ("The U.S.’" -> "us'").
pub fn normalize(name: &str) -> String {
    let lower = name.to_lowercase().replace('’', "'");
    let mut s = lower.trim_matches(py_space);
    if let Some(rest) = s.strip_prefix("the") {
        if rest.starts_with(py_space) {
            s = rest.trim_start_matches(py_space);
        }
    }
    let kept: String = s
        .chars()
        .filter(|&c| py_word(c) || c == '\'' || c == ' ')
        .collect();
    kept.trim_matches(py_space).to_string()
}

/// The name a CAMEO actor code ("USAGOV": three or more capital letters, nothing else)
/// matches by its country prefix: "usa", compared against normalised gold names.
pub fn code_prefix(name: &str) -> Option<String> {
    (name.len() >= 3 && name.bytes().all(|b| b.is_ascii_uppercase()))
        .then(|| name[..3].to_ascii_lowercase())
}

/// The two-digit root of a CAMEO code as the scorer reads it: the first two characters of
/// the trimmed code, or nothing for a code shorter than that.
pub fn root(code: Option<&str>) -> Option<String> {
    let code = code?.trim_matches(py_space);
    (code.chars().count() >= 2).then(|| code.chars().take(2).collect())
}

/// Whether a predicted date answers a gold one: a gold year ("2014") or month ("2014-03")
/// is a period the predicted date must fall in (by prefix); a gold day is right when the
/// predicted day is at most one day off, since news dates "on Friday" against a dateline.
pub fn date_right(gold: &str, predicted: Option<&str>) -> bool {
    let predicted = predicted.unwrap_or("");
    if gold.chars().count() < 10 {
        return predicted.starts_with(gold);
    }
    match (
        iso_day(first_chars(gold, 10)),
        iso_day(first_chars(predicted, 10)),
    ) {
        (Some(a), Some(b)) => (a - b).num_days().abs() <= 1,
        _ => false,
    }
}

fn first_chars(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// Python 3.11's `date.fromisoformat`, which the scorer applies to the first ten
/// characters of each date: `YYYY-MM-DD` or `YYYYMMDD`, or an ISO week date (`YYYY-Www`,
/// `YYYY-Www-D`, `YYYYWww`, `YYYYWwwD`). Like CPython it reads only as far as the
/// calendar date goes once the length is 7, 8 or 10 bytes.
pub fn iso_day(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if ![7, 8, 10].contains(&b.len()) {
        return None;
    }
    let digits = |from: usize, n: usize| -> Option<u32> {
        let part = b.get(from..from + n)?;
        part.iter().all(u8::is_ascii_digit).then(|| {
            part.iter()
                .fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'))
        })
    };
    let year = i32::try_from(digits(0, 4)?).ok()?;
    if year < 1 {
        return None;
    }
    let separated = b.get(4) == Some(&b'-');
    let mut p = if separated { 5 } else { 4 };
    if b.get(p) == Some(&b'W') {
        let week = digits(p + 1, 2)?;
        p += 3;
        let remains = b.len().checked_sub(p)?;
        let weekday = if remains == 0 {
            1
        } else if remains == 1 + usize::from(separated) {
            if separated {
                if b[p] != b'-' {
                    return None;
                }
                p += 1;
            }
            digits(p, 1)?
        } else {
            return None;
        };
        let weekday = match weekday {
            1 => Weekday::Mon,
            2 => Weekday::Tue,
            3 => Weekday::Wed,
            4 => Weekday::Thu,
            5 => Weekday::Fri,
            6 => Weekday::Sat,
            7 => Weekday::Sun,
            _ => return None,
        };
        return NaiveDate::from_isoywd_opt(year, week, weekday);
    }
    let month = digits(p, 2)?;
    p += 2;
    if separated {
        if b.get(p) != Some(&b'-') {
            return None;
        }
        p += 1;
    }
    let day = digits(p, 2)?;
    NaiveDate::from_ymd_opt(year, month, day)
}

/// A ratio as the scorer prints it: `round(x, 3)` (the float nearest the decimal, ties to
/// even on the exact binary value, which Rust's formatting also does).
pub fn round3(x: f64) -> f64 {
    format!("{x:.3}").parse().unwrap_or(x)
}

/// A float as Python's `repr` writes it, for the figures line: "0.5", "1.0", "0.0".
pub fn py_repr(x: f64) -> String {
    if x.fract() == 0.0 && x.is_finite() {
        format!("{x:.1}")
    } else {
        format!("{x}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_without_case_article_or_punctuation() {
        assert_eq!(normalize("The United States"), "united states");
        assert_eq!(normalize("  THE   Hague "), "hague");
        assert_eq!(normalize("U.S."), "us");
        assert_eq!(normalize("Norland’s army"), "norland's army");
        assert_eq!(normalize("Théâtre-Nord"), "théâtrenord");
        // "the" is an article only when a space follows it.
        assert_eq!(normalize("Thessaly"), "thessaly");
        assert_eq!(normalize("the"), "the");
        // Tabs inside a name are removed, not turned into spaces; U+001F is space to Python.
        assert_eq!(normalize("a\tb\u{1f}"), "ab");
        assert_eq!(normalize("under_score 2²"), "under_score 2²");
    }

    #[test]
    fn only_capital_codes_match_by_country_prefix() {
        assert_eq!(code_prefix("NRLGOV").as_deref(), Some("nrl"));
        assert_eq!(code_prefix("NRL").as_deref(), Some("nrl"));
        assert_eq!(code_prefix("NR"), None);
        assert_eq!(code_prefix("Nrlgov"), None);
        assert_eq!(code_prefix("NRL1"), None);
        assert_eq!(code_prefix("ÉTAT"), None);
    }

    #[test]
    fn roots_are_the_first_two_characters() {
        assert_eq!(root(Some("042")).as_deref(), Some("04"));
        assert_eq!(root(Some(" 19 ")).as_deref(), Some("19"));
        assert_eq!(root(Some("1")), None);
        assert_eq!(root(Some("")), None);
        assert_eq!(root(None), None);
    }

    #[test]
    fn dates_within_a_day_or_inside_the_gold_period_are_right() {
        assert!(date_right("2031-04-02", Some("2031-04-03")));
        assert!(date_right("2031-04-02", Some("2031-04-01T12:00")));
        assert!(!date_right("2031-04-02", Some("2031-04-04")));
        assert!(date_right("2031-03-01", Some("2031-02-28")));
        assert!(date_right("2031", Some("2031-06-01")));
        assert!(date_right("2031-04", Some("2031-04-30")));
        assert!(!date_right("2031-04", Some("2031-05-01")));
        assert!(!date_right("2031-04-02", Some("2031-04")));
        assert!(!date_right("2031-04-02", None));
        assert!(!date_right("2031", None));
    }

    #[test]
    fn iso_days_read_as_python_reads_them() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(iso_day("2022-09-13"), d(2022, 9, 13));
        assert_eq!(iso_day("20220913"), d(2022, 9, 13));
        assert_eq!(iso_day("2022-W37-2"), d(2022, 9, 13));
        assert_eq!(iso_day("2022W372"), d(2022, 9, 13));
        assert_eq!(iso_day("2022-W37"), d(2022, 9, 12));
        assert_eq!(iso_day("2022W37"), d(2022, 9, 12));
        // CPython stops reading once it has the day.
        assert_eq!(iso_day("2022091399"), d(2022, 9, 13));
        for bad in [
            "2022-09",
            "2022",
            "0000-01-01",
            "2022-9-13",
            "2022-09-1 ",
            "2022-02-29",
            "2022-W53-1",
            "2022-W37-8",
            "2022-W00-1",
            "2022-0913",
            "202209-13",
            "２０２２-09-13",
        ] {
            assert_eq!(iso_day(bad), None, "{bad}");
        }
        assert_eq!(iso_day("2020-W53-1"), d(2020, 12, 28));
    }

    #[test]
    fn ratios_round_and_print_as_python_does() {
        assert_eq!(round3(0.0625), 0.062);
        assert_eq!(round3(0.1875), 0.188);
        assert_eq!(round3(2.0 / 3.0), 0.667);
        assert_eq!(py_repr(round3(0.5)), "0.5");
        assert_eq!(py_repr(1.0), "1.0");
        assert_eq!(py_repr(0.0), "0.0");
        assert_eq!(py_repr(round3(35.0 / 145.0)), "0.241");
    }
}
