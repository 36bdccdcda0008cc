//! Statement dates come at three precisions ("2025-01-02", "2025-01", "2025"); a coarse
//! date stands for the whole period it names, so filters and exports treat every date as
//! the interval of days it covers.

use serde::Serialize;

/// The first and last day (ISO YYYY-MM-DD) a date of any precision covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DateInterval {
    pub start: String,
    pub end: String,
}

impl DateInterval {
    /// `None` when `date` is not YYYY, YYYY-MM or YYYY-MM-DD with a real month and day.
    pub fn parse(date: &str) -> Option<Self> {
        let (year, month, day) = parts(date)?;
        Some(match (month, day) {
            (None, _) => DateInterval {
                start: format!("{year:04}-01-01"),
                end: format!("{year:04}-12-31"),
            },
            (Some(m), None) => DateInterval {
                start: format!("{year:04}-{m:02}-01"),
                end: format!("{year:04}-{m:02}-{:02}", month_length(year, m)?),
            },
            (Some(m), Some(d)) => {
                let d = format!("{year:04}-{m:02}-{d:02}");
                DateInterval {
                    start: d.clone(),
                    end: d,
                }
            }
        })
    }

    /// Whether `parse` would accept `date`, without building the interval.
    pub fn is_valid(date: &str) -> bool {
        parts(date).is_some()
    }

    /// True when the two periods share at least one day: "2014" overlaps 2014-06-01..2014-12-31.
    pub fn overlaps(&self, other: &DateInterval) -> bool {
        self.start <= other.end && other.start <= self.end
    }
}

/// Whether the period `a` covers ends after the one `b` covers, on well-formed ISO dates of
/// any precision, without building intervals: "2024" ends after "2024-06-01" although it
/// sorts before it.
pub(crate) fn ends_later(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let common = a.len().min(b.len());
    match a[..common].cmp(&b[..common]) {
        std::cmp::Ordering::Equal => a.len() < b.len(),
        order => order.is_gt(),
    }
}

/// Year, month and day of an ISO date of any precision, checked against the calendar.
fn parts(date: &str) -> Option<(u32, Option<u32>, Option<u32>)> {
    let number = |s: &str, len: usize| -> Option<u32> {
        if s.len() == len && s.bytes().all(|b| b.is_ascii_digit()) {
            s.parse().ok()
        } else {
            None
        }
    };
    let mut it = date.trim().split('-');
    let year = number(it.next()?, 4)?;
    let month = match it.next() {
        Some(m) => Some(number(m, 2)?),
        None => None,
    };
    let day = match it.next() {
        Some(d) => Some(number(d, 2)?),
        None => None,
    };
    if it.next().is_some() {
        return None;
    }
    if let Some(m) = month {
        let last = month_length(year, m)?;
        if day.is_some_and(|d| d == 0 || d > last) {
            return None;
        }
    }
    Some((year, month, day))
}

fn month_length(year: u32, month: u32) -> Option<u32> {
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    Some(match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coarse_dates_cover_their_whole_period() {
        let year = DateInterval::parse("2024").unwrap();
        assert_eq!(
            (year.start.as_str(), year.end.as_str()),
            ("2024-01-01", "2024-12-31")
        );
        let feb = DateInterval::parse("2024-02").unwrap();
        assert_eq!(feb.end, "2024-02-29", "2024 is a leap year");
        assert_eq!(DateInterval::parse("2023-02").unwrap().end, "2023-02-28");
        let day = DateInterval::parse("2025-01-02").unwrap();
        assert_eq!(day.start, day.end);
    }

    #[test]
    fn malformed_dates_are_rejected() {
        for bad in [
            "",
            "25",
            "2025-13",
            "2025-02-30",
            "2025/01/02",
            "2025-1-2",
            "yesterday",
        ] {
            assert!(DateInterval::parse(bad).is_none(), "{bad} accepted");
        }
    }

    #[test]
    fn a_coarse_date_ends_after_the_days_inside_it() {
        assert!(ends_later("2024", "2024-06-01"));
        assert!(!ends_later("2024-06-01", "2024"));
        assert!(ends_later("2024-07-01", "2024-06"));
        assert!(ends_later("2025-01-01", "2024"));
        assert!(!ends_later("2024-06-01", "2024-06-01"));
    }

    #[test]
    fn a_year_overlaps_a_range_inside_it() {
        let year = DateInterval::parse("2014").unwrap();
        let range = DateInterval {
            start: "2014-06-01".into(),
            end: "2015-01-01".into(),
        };
        assert!(year.overlaps(&range));
        let before = DateInterval::parse("2013-12-31").unwrap();
        assert!(!before.overlaps(&range));
    }
}
