//! Ages and households: the unaccompanied-minor test (MINOR triggers) and
//! the households it cannot decide (INT-004).

use std::collections::BTreeSet;

use rustc_hash::FxHashMap as HashMap;

use chrono::NaiveDate;

use crate::ingest::values::years_between;
use crate::ingest::{Client, Enrollment};

/// Age in whole years on `on`, or None when unknown: no readable DOB,
/// DOBDataQuality 8/9/99, DOB after the date, or 105 and over (placeholder
/// birth dates), as HUD's LSA treats them.
pub fn age_on(client: Option<&Client>, on: Option<NaiveDate>) -> Option<i32> {
    let client = client?;
    let dob = client.dob?;
    let on = on?;
    if matches!(client.dob_data_quality, Some(8 | 9 | 99)) || dob > on {
        return None;
    }
    let years = years_between(dob, on);
    (years < 105).then_some(years)
}

/// What the household test says of one enrollment of a client under 18.
#[derive(Debug, PartialEq, Eq)]
pub enum MinorTest {
    /// Not under 18 on the EntryDate, or age unknown.
    NotAMinor,
    /// Every other member is known to be under 18 (or there is none).
    Unaccompanied,
    /// Some other member is known to be 18 or over.
    Accompanied,
    /// Some other member's age is unknown and none is known to be an adult.
    Undecided,
}

/// The live enrollments of each non-empty HouseholdID.
pub struct Households<'a> {
    members: HashMap<&'a str, Vec<&'a Enrollment>>,
}

impl<'a> Households<'a> {
    pub fn new(enrollments: &'a [Enrollment]) -> Self {
        let mut members: HashMap<&str, Vec<&Enrollment>> = HashMap::default();
        for e in enrollments {
            if !e.household_id.is_empty() {
                members.entry(e.household_id.as_str()).or_default().push(e);
            }
        }
        Households { members }
    }

    /// The enrollments of other clients in the enrollment's household.
    fn others(&self, e: &'a Enrollment) -> impl Iterator<Item = &'a Enrollment> + '_ {
        let pid = e.personal_id.as_str();
        self.members
            .get(e.household_id.as_str())
            .into_iter()
            .flatten()
            .copied()
            .filter(move |o| o.personal_id != pid)
    }

    pub fn minor_test(
        &self,
        e: &'a Enrollment,
        client_of: &impl Fn(&str) -> Option<&'a Client>,
    ) -> MinorTest {
        match age_on(client_of(&e.personal_id), e.entry_date) {
            Some(age) if age < 18 => {}
            _ => return MinorTest::NotAMinor,
        }
        let mut unknown = false;
        for other in self.others(e) {
            match age_on(client_of(&other.personal_id), e.entry_date) {
                Some(age) if age >= 18 => return MinorTest::Accompanied,
                Some(_) => {}
                None => unknown = true,
            }
        }
        if unknown {
            MinorTest::Undecided
        } else {
            MinorTest::Unaccompanied
        }
    }

    /// The smallest provider (as text) among the household's enrollments.
    pub fn provider(
        &self,
        household_id: &str,
        provider_of: &impl Fn(&Enrollment) -> Option<&'a str>,
    ) -> Option<&'a str> {
        self.members
            .get(household_id)?
            .iter()
            .filter_map(|e| provider_of(e))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .next()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(dob: &str, quality: Option<i32>) -> Client {
        Client {
            personal_id: "c".into(),
            dob: crate::ingest::values::parse_date(dob),
            dob_data_quality: quality,
            line: 2,
        }
    }

    #[test]
    fn unknown_ages() {
        let d = NaiveDate::from_ymd_opt(2024, 1, 1);
        assert_eq!(age_on(Some(&client("2010-01-01", Some(1))), d), Some(14));
        assert_eq!(age_on(Some(&client("2010-01-01", Some(2))), d), Some(14));
        assert_eq!(age_on(Some(&client("2010-01-01", Some(8))), d), None);
        assert_eq!(age_on(Some(&client("2010-01-01", Some(99))), d), None);
        assert_eq!(age_on(Some(&client("2025-01-01", Some(1))), d), None);
        assert_eq!(age_on(Some(&client("1919-01-02", Some(1))), d), Some(104));
        assert_eq!(age_on(Some(&client("1919-01-01", Some(1))), d), None);
        assert_eq!(age_on(Some(&client("", Some(1))), d), None);
        assert_eq!(age_on(None, d), None);
    }
}
