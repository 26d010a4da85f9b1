//! Ages and households: the unaccompanied-minor test (MINOR triggers) and
//! the households it cannot decide (INT-004).

use std::collections::BTreeSet;

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::ids::{IdHash, IdTable, AHEAD};
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

/// The live enrollments of each non-empty HouseholdID, in file order, in
/// one flat list: household number `h` holds `members[starts[h]..starts[h
/// + 1]]` (indexes into the enrollments), rather than a vector each.
pub struct Households<'a> {
    enrollments: &'a [Enrollment],
    /// HouseholdID -> household number.
    number: IdTable,
    starts: Vec<u32>,
    members: Vec<u32>,
}

impl<'a> Households<'a> {
    pub fn new(enrollments: &'a [Enrollment]) -> Self {
        // Fewer than 2^32 enrollments: there are fewer rows than that.
        const NONE: u32 = u32::MAX;
        let mut number = IdTable::with_capacity(enrollments.len());
        let mut sizes: Vec<u32> = Vec::new();
        // Hashed in parallel; each HouseholdID's slot prefetched ahead.
        let hashes: Vec<IdHash> = enrollments
            .par_iter()
            .map(|e| IdHash::of(&e.household_id))
            .collect();
        let household_of: Vec<u32> = enrollments
            .iter()
            .zip(&hashes)
            .enumerate()
            .map(|(i, (e, &id))| {
                if let Some(&ahead) = hashes.get(i + AHEAD) {
                    number.prefetch(ahead);
                }
                if e.household_id.is_empty() {
                    return NONE;
                }
                let next = sizes.len() as u32;
                let h = number.get_or_insert_with(id, || next);
                if h == next {
                    sizes.push(0);
                }
                sizes[h as usize] += 1;
                h
            })
            .collect();
        let mut starts = Vec::with_capacity(sizes.len() + 1);
        starts.push(0u32);
        for size in &sizes {
            starts.push(starts[starts.len() - 1] + size);
        }
        let mut next: Vec<u32> = starts[..sizes.len()].to_vec();
        let mut members = vec![0u32; starts[sizes.len()] as usize];
        for (i, &h) in household_of.iter().enumerate() {
            if h != NONE {
                let at = &mut next[h as usize];
                members[*at as usize] = i as u32;
                *at += 1;
            }
        }
        Households {
            enrollments,
            number,
            starts,
            members,
        }
    }

    /// The enrollments of a household, in file order.
    fn of(&self, household_id: &str) -> impl Iterator<Item = &'a Enrollment> + '_ {
        let range = self.number.get(IdHash::of(household_id)).map_or(0..0, |h| {
            self.starts[h as usize] as usize..self.starts[h as usize + 1] as usize
        });
        let enrollments = self.enrollments;
        self.members[range]
            .iter()
            .map(move |&i| &enrollments[i as usize])
    }

    /// The enrollments of other clients in the enrollment's household.
    fn others(&self, e: &'a Enrollment) -> impl Iterator<Item = &'a Enrollment> + '_ {
        let pid = e.personal_id.as_str();
        self.of(e.household_id.as_str())
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
        self.of(household_id)
            .filter_map(provider_of)
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

    fn enrollment(id: &str, personal_id: &str, household_id: &str) -> Enrollment {
        Enrollment {
            id: id.into(),
            personal_id: personal_id.into(),
            project_id: "p".into(),
            entry_date: None,
            household_id: household_id.into(),
            relationship_to_hoh: None,
            line: 2,
        }
    }

    #[test]
    fn households_hold_their_enrollments_in_file_order() {
        let rows = [
            enrollment("e1", "a", "h1"),
            enrollment("e2", "b", "h2"),
            enrollment("e3", "c", ""),
            enrollment("e4", "d", "h1"),
            enrollment("e5", "a", "h1"),
            enrollment("e6", "e", "h3"),
        ];
        let h = Households::new(&rows);
        let ids = |household: &str| h.of(household).map(|e| e.id.as_str()).collect::<Vec<_>>();
        assert_eq!(ids("h1"), ["e1", "e4", "e5"]);
        assert_eq!(ids("h2"), ["e2"]);
        assert_eq!(ids("h3"), ["e6"]);
        assert!(ids("").is_empty(), "no household for an empty HouseholdID");
        assert!(ids("h4").is_empty());
        // Other clients only: a's second enrollment is not another member.
        let others: Vec<&str> = h.others(&rows[0]).map(|e| e.id.as_str()).collect();
        assert_eq!(others, ["e4"]);
        assert_eq!(h.others(&rows[2]).count(), 0);
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
