//! Temporal expressions: "on Thursday", "Feb 27", "Jan. 20, 2025", "last week", "in 2014",
//! resolved against the publication date. A weekday points back in time unless the clause
//! looks ahead ("will", "is expected to", "next").

use super::tree::Tree;
use crate::input::month_number;
use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// A resolved date, as precise as the text allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateValue {
    Day(NaiveDate),
    /// Year and month ("in October").
    Month(i32, u32),
    Year(i32),
}

impl DateValue {
    pub fn iso(self) -> String {
        match self {
            DateValue::Day(d) => d.to_string(),
            DateValue::Month(y, m) => format!("{y:04}-{m:02}"),
            DateValue::Year(y) => format!("{y:04}"),
        }
    }

    /// The day used to code actors' roles: the day itself, or mid-year.
    pub fn reference_day(self) -> Option<NaiveDate> {
        match self {
            DateValue::Day(d) => Some(d),
            DateValue::Month(y, m) => NaiveDate::from_ymd_opt(y, m, 15),
            DateValue::Year(y) => NaiveDate::from_ymd_opt(y, 7, 1),
        }
    }
}

/// A time expression found in a sentence: the token that anchors it in the parse, and its value
/// for both readings of direction (past and future).
#[derive(Debug, Clone, PartialEq)]
pub struct TimeExpr {
    /// Token indices covered.
    pub start: usize,
    pub end: usize,
    /// The token through which the expression attaches to the tree.
    pub anchor: usize,
    pub past: DateValue,
    pub future: DateValue,
}

const WEEKDAYS: [(&str, Weekday); 7] = [
    ("monday", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("saturday", Weekday::Sat),
    ("sunday", Weekday::Sun),
];

fn weekday(word: &str) -> Option<Weekday> {
    let w = word.to_ascii_lowercase();
    WEEKDAYS.iter().find(|(n, _)| *n == w).map(|(_, d)| *d)
}

fn last_weekday(pub_date: NaiveDate, wd: Weekday) -> NaiveDate {
    let back = (7 + pub_date.weekday().num_days_from_monday() - wd.num_days_from_monday()) % 7;
    pub_date - Duration::days(back as i64)
}

fn next_weekday(pub_date: NaiveDate, wd: Weekday) -> NaiveDate {
    let ahead = (7 + wd.num_days_from_monday() - pub_date.weekday().num_days_from_monday()) % 7;
    pub_date + Duration::days(ahead as i64)
}

fn day_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let d: u32 = w.parse().ok()?;
    (1..=31).contains(&d).then_some(d)
}

fn year_number(word: &str) -> Option<i32> {
    if word.len() != 4 || !word.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y: i32 = word.parse().ok()?;
    (1800..=2200).contains(&y).then_some(y)
}

/// Finds the time expressions of the tokens `range` (doc-level indices) of `tree`.
pub fn find(
    tree: &Tree,
    range: std::ops::Range<usize>,
    pub_date: Option<NaiveDate>,
) -> Vec<TimeExpr> {
    let mut out = Vec::new();
    let words: Vec<&str> = range.clone().map(|i| tree.word(i)).collect();
    let at = |k: usize| words.get(k).copied().unwrap_or("");
    let base = range.start;
    let mut k = 0;
    while k < words.len() {
        let w = words[k];
        let lower = w.to_ascii_lowercase();
        // Month-day(-year): "Feb 27", "Feb. 27, 2025", "27 February 2025"
        if let Some(m) = month_number(w).filter(|_| w.starts_with(char::is_uppercase)) {
            if let Some(d) = day_number(at(k + 1)) {
                let mut end = k + 2;
                let mut year = None;
                let mut j = k + 2;
                if at(j) == "," {
                    j += 1;
                }
                if let Some(y) = year_number(at(j)) {
                    year = Some(y);
                    end = j + 1;
                }
                if let Some(v) = month_day(m, d, year, pub_date) {
                    out.push(TimeExpr {
                        start: base + k,
                        end: base + end,
                        anchor: base + k,
                        past: v.0,
                        future: v.1,
                    });
                }
                k = end;
                continue;
            }
            if let Some(y) = year_number(at(k + 1)) {
                // "March 2022"
                out.push(TimeExpr {
                    start: base + k,
                    end: base + k + 2,
                    anchor: base + k,
                    past: DateValue::Month(y, m),
                    future: DateValue::Month(y, m),
                });
                k += 2;
                continue;
            }
            // "in October", "since March": the nearest such month in the reading's direction.
            let prev = at(k.wrapping_sub(1)).to_ascii_lowercase();
            if let (Some(pd), true) = (
                pub_date,
                matches!(
                    prev.as_str(),
                    "in" | "since" | "until" | "by" | "during" | "last" | "next" | "this"
                ),
            ) {
                let (py, pm) = (pd.year(), pd.month());
                let past = if m <= pm { (py, m) } else { (py - 1, m) };
                let future = if m >= pm { (py, m) } else { (py + 1, m) };
                let (past, future) = match prev.as_str() {
                    "last" => (past, past),
                    "next" => (future, future),
                    _ => (past, future),
                };
                out.push(TimeExpr {
                    start: base + k,
                    end: base + k + 1,
                    anchor: base + k,
                    past: DateValue::Month(past.0, past.1),
                    future: DateValue::Month(future.0, future.1),
                });
                k += 1;
                continue;
            }
        }
        if let (Some(d), Some(m)) = (day_number(w), month_number(at(k + 1))) {
            if at(k + 1).starts_with(char::is_uppercase) {
                let year = year_number(at(k + 2));
                if let Some(v) = month_day(m, d, year, pub_date) {
                    let end = k + 2 + usize::from(year.is_some());
                    out.push(TimeExpr {
                        start: base + k,
                        end: base + end,
                        anchor: base + k + 1,
                        past: v.0,
                        future: v.1,
                    });
                    k = end;
                    continue;
                }
            }
        }
        if let Some(pd) = pub_date {
            if let Some(wd) = weekday(w) {
                let prev = at(k.wrapping_sub(1)).to_ascii_lowercase();
                let (past, future) = match prev.as_str() {
                    "last" => (
                        last_weekday(pd - Duration::days(1), wd),
                        last_weekday(pd - Duration::days(1), wd),
                    ),
                    "next" => (
                        next_weekday(pd + Duration::days(1), wd),
                        next_weekday(pd + Duration::days(1), wd),
                    ),
                    _ => (last_weekday(pd, wd), next_weekday(pd, wd)),
                };
                out.push(TimeExpr {
                    start: base + k,
                    end: base + k + 1,
                    anchor: base + k,
                    past: DateValue::Day(past),
                    future: DateValue::Day(future),
                });
                k += 1;
                continue;
            }
            let relative = match lower.as_str() {
                "yesterday" => Some(-1),
                "today" => Some(0),
                "tomorrow" => Some(1),
                _ => None,
            };
            if let Some(off) = relative {
                let d = DateValue::Day(pd + Duration::days(off));
                out.push(TimeExpr {
                    start: base + k,
                    end: base + k + 1,
                    anchor: base + k,
                    past: d,
                    future: d,
                });
                k += 1;
                continue;
            }
            if lower == "last" || lower == "next" {
                let sign = if lower == "last" { -1 } else { 1 };
                let unit = at(k + 1).to_ascii_lowercase();
                let v = match unit.as_str() {
                    "week" => Some(DateValue::Day(pd + Duration::days(7 * sign))),
                    "month" => Some(DateValue::Day(pd + Duration::days(30 * sign))),
                    "year" => Some(DateValue::Year(pd.year() + sign as i32)),
                    _ => None,
                };
                if let Some(v) = v {
                    out.push(TimeExpr {
                        start: base + k,
                        end: base + k + 2,
                        anchor: base + k + 1,
                        past: v,
                        future: v,
                    });
                    k += 2;
                    continue;
                }
            }
        }
        // "in 2014", "in 2014 and 2022", "since 2019"
        if let Some(y) = year_number(w) {
            let prev = at(k.wrapping_sub(1)).to_ascii_lowercase();
            let in_list = matches!(
                prev.as_str(),
                "in" | "since" | "until" | "by" | "during" | "and" | "or" | ","
            );
            if in_list && tree.upos(base + k) == "NUM" {
                out.push(TimeExpr {
                    start: base + k,
                    end: base + k + 1,
                    anchor: base + k,
                    past: DateValue::Year(y),
                    future: DateValue::Year(y),
                });
            }
        }
        k += 1;
    }
    out
}

/// A month and day without a year takes the year that puts it nearest the publication date
/// in the reading's direction.
fn month_day(
    m: u32,
    d: u32,
    year: Option<i32>,
    pub_date: Option<NaiveDate>,
) -> Option<(DateValue, DateValue)> {
    if let Some(y) = year {
        let v = DateValue::Day(NaiveDate::from_ymd_opt(y, m, d)?);
        return Some((v, v));
    }
    let pd = pub_date?;
    let this = NaiveDate::from_ymd_opt(pd.year(), m, d)?;
    let past = if this <= pd {
        this
    } else {
        NaiveDate::from_ymd_opt(pd.year() - 1, m, d)?
    };
    let future = if this >= pd {
        this
    } else {
        NaiveDate::from_ymd_opt(pd.year() + 1, m, d)?
    };
    Some((DateValue::Day(past), DateValue::Day(future)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    #[test]
    fn weekdays_resolve_back_and_forward_from_the_publication_day() {
        let friday = ymd(2025, 2, 28);
        assert_eq!(last_weekday(friday, Weekday::Thu), ymd(2025, 2, 27));
        assert_eq!(last_weekday(friday, Weekday::Mon), ymd(2025, 2, 24));
        assert_eq!(last_weekday(friday, Weekday::Fri), friday);
        assert_eq!(next_weekday(friday, Weekday::Fri), friday);
        assert_eq!(next_weekday(friday, Weekday::Tue), ymd(2025, 3, 4));
    }

    #[test]
    fn month_day_without_year_takes_the_nearest_year() {
        let pd = Some(ymd(2025, 2, 28));
        assert_eq!(
            month_day(1, 20, None, pd),
            Some((
                DateValue::Day(ymd(2025, 1, 20)),
                DateValue::Day(ymd(2026, 1, 20))
            ))
        );
        assert_eq!(
            month_day(12, 24, None, pd),
            Some((
                DateValue::Day(ymd(2024, 12, 24)),
                DateValue::Day(ymd(2025, 12, 24))
            ))
        );
        assert_eq!(month_day(2, 30, None, pd), None);
    }
}
