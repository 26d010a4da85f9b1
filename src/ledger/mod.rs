//! The ledger: fingerprints, order, history (new / persisting / resolved)
//! and waivers.

pub mod history;
pub mod waivers;

use std::collections::{BTreeMap, HashSet};

use chrono::NaiveDate;
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::rules::{Exception, Severity};
use history::{History, Recorded, TrendPoint};
use waivers::Waiver;

/// A stable hash of rule, personal_id, organization_id and record_id: the
/// same exception has the same fingerprint in every run.
pub fn fingerprint(e: &Exception) -> String {
    let f = &e.finding;
    let mut h = Sha256::new();
    for part in [e.rule, &f.personal_id, &f.organization_id, &f.record_id] {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    let digest = h.finalize();
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// One exception with its fingerprint and history.
#[derive(Debug, Clone)]
pub struct Entry {
    pub fingerprint: String,
    /// `new` or `persisting` when a history is kept, else empty.
    pub status: String,
    /// The as-of date of the first run that saw it, when a history is kept.
    pub first_seen: Option<String>,
    pub exception: Exception,
}

#[derive(Debug, Clone)]
pub struct WaivedEntry {
    pub entry: Entry,
    pub waiver: Waiver,
}

/// Everything the report writers need to know about this run's exceptions.
#[derive(Debug, Default)]
pub struct Ledger {
    /// The exceptions reported, waived ones excluded, in spec order.
    pub entries: Vec<Entry>,
    pub waived: Vec<WaivedEntry>,
    /// Exceptions of the previous run that are gone (with a history).
    pub resolved: Vec<Recorded>,
    pub history_kept: bool,
    pub previous_as_of: Option<NaiveDate>,
    /// Past runs and this one, by as-of date (with a history).
    pub trend: Vec<TrendPoint>,
    pub expired_waivers: Vec<Waiver>,
    pub unknown_waivers: Vec<Waiver>,
}

/// Sorts by severity (critical first), rule, personal_id, organization_id
/// and record_id (as text), then by the other columns so that the order is
/// total and every run writes the same bytes.
pub fn sort(entries: &mut [Entry]) {
    entries.par_sort_by(|a, b| {
        let (x, y) = (&a.exception, &b.exception);
        let (fx, fy) = (&x.finding, &y.finding);
        (
            x.severity,
            x.rule,
            &fx.personal_id,
            &fx.organization_id,
            &fx.record_id,
        )
            .cmp(&(
                y.severity,
                y.rule,
                &fy.personal_id,
                &fy.organization_id,
                &fy.record_id,
            ))
            .then_with(|| {
                (
                    &fx.enrollment_id,
                    &fx.triggers,
                    fx.trigger_date,
                    &fx.message,
                )
                    .cmp(&(
                        &fy.enrollment_id,
                        &fy.triggers,
                        fy.trigger_date,
                        &fy.message,
                    ))
            })
    });
}

impl Entry {
    pub fn recorded(&self, as_of: NaiveDate) -> Recorded {
        let f = &self.exception.finding;
        Recorded {
            fingerprint: self.fingerprint.clone(),
            first_seen: self.first_seen.clone().unwrap_or_else(|| as_of.to_string()),
            rule: self.exception.rule.to_string(),
            severity: self.exception.severity.as_str().to_string(),
            personal_id: f.personal_id.clone(),
            organization_id: f.organization_id.clone(),
            record_id: f.record_id.clone(),
        }
    }
}

/// Counts by severity of a list of entries.
pub fn severity_counts<'e>(entries: impl Iterator<Item = &'e Entry>) -> BTreeMap<String, usize> {
    let mut counts: BTreeMap<String, usize> = Severity::ALL
        .iter()
        .map(|s| (s.as_str().to_string(), 0))
        .collect();
    for e in entries {
        *counts
            .entry(e.exception.severity.as_str().to_string())
            .or_default() += 1;
    }
    counts
}

/// Fingerprints and sorts the exceptions, marks them against the history,
/// and sets waived ones aside.
pub fn build(
    exceptions: Vec<Exception>,
    as_of: NaiveDate,
    history: Option<&History>,
    waivers: &[Waiver],
) -> Ledger {
    // Fingerprinted and sorted in parallel (the sort is stable, as `sort`'s).
    let mut all: Vec<Entry> = exceptions
        .into_par_iter()
        .map(|exception| Entry {
            fingerprint: fingerprint(&exception),
            status: String::new(),
            first_seen: None,
            exception,
        })
        .collect();
    sort(&mut all);

    let mut ledger = Ledger::default();
    if let Some(h) = history {
        let seen = h.first_seen();
        for e in &mut all {
            match seen.get(e.fingerprint.as_str()) {
                Some(first) => {
                    e.status = "persisting".into();
                    e.first_seen = Some(first.to_string());
                }
                None => {
                    e.status = "new".into();
                    e.first_seen = Some(as_of.to_string());
                }
            }
        }
        let now: HashSet<&str> = all.iter().map(|e| e.fingerprint.as_str()).collect();
        ledger.resolved = h
            .previous
            .iter()
            .filter(|r| !now.contains(r.fingerprint.as_str()))
            .cloned()
            .collect();
        ledger.history_kept = true;
        ledger.previous_as_of = h.previous_as_of;
        ledger.trend = h.trend.clone();
    }

    let present: HashSet<&str> = all.iter().map(|e| e.fingerprint.as_str()).collect();
    let mut in_force: BTreeMap<&str, &Waiver> = BTreeMap::new();
    for w in waivers {
        if !present.contains(w.fingerprint.as_str()) {
            ledger.unknown_waivers.push(w.clone());
        } else if !w.in_force(as_of) {
            ledger.expired_waivers.push(w.clone());
        } else {
            in_force.entry(w.fingerprint.as_str()).or_insert(w);
        }
    }
    for e in all {
        match in_force.get(e.fingerprint.as_str()) {
            Some(w) => ledger.waived.push(WaivedEntry {
                waiver: (*w).clone(),
                entry: e,
            }),
            None => ledger.entries.push(e),
        }
    }
    if ledger.history_kept {
        let point = TrendPoint {
            as_of: as_of.to_string(),
            total: ledger.entries.len(),
            by_severity: severity_counts(ledger.entries.iter()),
        };
        ledger.trend.retain(|p| p.as_of != point.as_of);
        ledger.trend.push(point);
        ledger.trend.sort_by(|a, b| a.as_of.cmp(&b.as_of));
    }
    ledger
}

impl Ledger {
    /// What the history records of this run: every exception, waived or not.
    pub fn recorded(&self, as_of: NaiveDate) -> Vec<Recorded> {
        self.entries
            .iter()
            .chain(self.waived.iter().map(|w| &w.entry))
            .map(|e| e.recorded(as_of))
            .collect()
    }

    /// The most severe exception reported (waived ones excluded).
    pub fn worst(&self) -> Option<Severity> {
        self.entries.iter().map(|e| e.exception.severity).min()
    }
}
