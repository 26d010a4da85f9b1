//! Reading single values as the spec (section 8, "Reading values") defines
//! them. Every function takes the cell already trimmed and non-empty and
//! returns `None` when the value is malformed; the caller reports INT-003.

use chrono::NaiveDate;

/// `yyyy-mm-dd` or `yyyy-mm-dd hh:mm:ss`, a real calendar date (and time).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let date_ok = b.len() >= 10
        && b[4] == b'-'
        && b[7] == b'-'
        && [0, 1, 2, 3, 5, 6, 8, 9]
            .iter()
            .all(|&i| b[i].is_ascii_digit());
    if !date_ok {
        return None;
    }
    match b.len() {
        10 => {}
        19 => {
            let t = &b[10..];
            let shape = t[0] == b' '
                && t[3] == b':'
                && t[6] == b':'
                && [1, 2, 4, 5, 7, 8].iter().all(|&i| t[i].is_ascii_digit());
            if !shape || two(&t[1..3]) > 23 || two(&t[4..6]) > 59 || two(&t[7..9]) > 59 {
                return None;
            }
        }
        _ => return None,
    }
    let year = i32::from(two(&b[0..2])) * 100 + i32::from(two(&b[2..4]));
    NaiveDate::from_ymd_opt(year, u32::from(two(&b[5..7])), u32::from(two(&b[8..10])))
}

fn two(d: &[u8]) -> u8 {
    (d[0] - b'0') * 10 + (d[1] - b'0')
}

/// An integer in ASCII digits. `1.0`, `-1` and `+1` are malformed. A value
/// too large for i32 is still a well-formed integer; it saturates and so
/// matches no HUD code.
pub fn parse_code(s: &str) -> Option<i32> {
    if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(s.parse::<i32>().unwrap_or(i32::MAX))
}

/// ReleaseGranted, Locked, Restricted: `1`, `0`, `Yes`, `No`, any case.
pub fn parse_yes_no(s: &str) -> Option<bool> {
    if s == "1" || s.eq_ignore_ascii_case("yes") {
        Some(true)
    } else if s == "0" || s.eq_ignore_ascii_case("no") {
        Some(false)
    } else {
        None
    }
}

/// An assessment answer that means yes: `Yes`, `Y`, `1`, `True`, any case.
pub fn is_yes_answer(s: &str) -> bool {
    let s = s.trim();
    ["yes", "y", "1", "true"]
        .iter()
        .any(|w| s.eq_ignore_ascii_case(w))
}

/// ROI Documentation, as the spec's section 2.2 spells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Documentation {
    Full,
    Limited,
    NoSharing,
    Empty,
    Unrecognised(String),
}

impl Documentation {
    pub fn parse(s: &str) -> Documentation {
        let norm = s
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_ascii_lowercase();
        match norm.as_str() {
            "" => Documentation::Empty,
            "full sharing" | "full" => Documentation::Full,
            "limited sharing" | "limited" => Documentation::Limited,
            "no sharing" | "no" | "none" => Documentation::NoSharing,
            _ => Documentation::Unrecognised(s.to_string()),
        }
    }

    pub fn label(&self) -> &str {
        match self {
            Documentation::Full => "Full Sharing",
            Documentation::Limited => "Limited Sharing",
            Documentation::NoSharing => "No Sharing",
            Documentation::Empty => "(empty)",
            Documentation::Unrecognised(s) => s,
        }
    }
}

/// Whole years from `dob` to `on`; a 29 February birthday is reached on
/// 1 March in other years, and on the birthday itself the year counts.
pub fn years_between(dob: NaiveDate, on: NaiveDate) -> i32 {
    use chrono::Datelike;
    let mut years = on.year() - dob.year();
    if (on.month(), on.day()) < (dob.month(), dob.day()) {
        years -= 1;
    }
    years
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_follow_the_spec() {
        assert_eq!(
            parse_date("2021-05-07"),
            NaiveDate::from_ymd_opt(2021, 5, 7)
        );
        assert_eq!(
            parse_date("2021-05-07 13:45:00"),
            NaiveDate::from_ymd_opt(2021, 5, 7)
        );
        for bad in [
            "2021-02-30",
            "2021-5-7",
            "05/07/2021",
            "2021-05-07T13:45:00",
            "2021-05-07 25:00:00",
            "2021-05-07 1:00:00",
            "20210507",
            "2021-05-07x",
            "٢٠٢١-05-07",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        assert!(parse_date("2024-02-29").is_some());
        assert!(parse_date("2023-02-29").is_none());
    }

    #[test]
    fn codes_are_ascii_integers() {
        assert_eq!(parse_code("1"), Some(1));
        assert_eq!(parse_code("099"), Some(99));
        assert_eq!(parse_code("99999999999999999999999"), Some(i32::MAX));
        for bad in ["1.0", "-1", "+1", "one", "1 2", "١"] {
            assert_eq!(parse_code(bad), None, "{bad}");
        }
    }

    #[test]
    fn yes_no_and_answers() {
        assert_eq!(parse_yes_no("YES"), Some(true));
        assert_eq!(parse_yes_no("no"), Some(false));
        assert_eq!(parse_yes_no("0"), Some(false));
        assert_eq!(parse_yes_no("Y"), None);
        assert!(is_yes_answer("true"));
        assert!(is_yes_answer(" y "));
        assert!(!is_yes_answer("No"));
        assert!(!is_yes_answer("2"));
    }

    #[test]
    fn documentation_spellings() {
        assert_eq!(
            Documentation::parse("LIMITED  sharing"),
            Documentation::Limited
        );
        assert_eq!(Documentation::parse("None"), Documentation::NoSharing);
        assert_eq!(Documentation::parse("full"), Documentation::Full);
        assert_eq!(Documentation::parse(""), Documentation::Empty);
        assert!(matches!(
            Documentation::parse("Partial"),
            Documentation::Unrecognised(_)
        ));
    }

    #[test]
    fn ages_turn_on_the_birthday() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(years_between(d(2006, 3, 1), d(2024, 3, 1)), 18);
        assert_eq!(years_between(d(2006, 3, 1), d(2024, 2, 29)), 17);
        assert_eq!(years_between(d(2004, 2, 29), d(2022, 2, 28)), 17);
        assert_eq!(years_between(d(2004, 2, 29), d(2022, 3, 1)), 18);
    }
}
