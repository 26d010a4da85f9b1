//! Rules: each reads the facts and returns its findings. Rules never read
//! or write files and never print. The registry holds each rule's ID,
//! severity, documentation and check in one place.

pub mod integrity;
pub mod lock;
pub mod registry;
pub mod roi;
pub mod visibility;

use std::collections::BTreeSet;

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::facts::{ClientFacts, Facts, Trigger, TriggerKind};
pub use registry::{Needs, Rule, RULES};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Critical,
    High,
    Medium,
    Low,
    Info,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
            Severity::Info => "info",
        }
    }
}

/// What one rule found: one future row of exceptions.csv.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Finding {
    pub personal_id: String,
    pub organization_id: String,
    pub enrollment_id: String,
    pub record_id: String,
    pub triggers: BTreeSet<TriggerKind>,
    pub trigger_date: Option<NaiveDate>,
    pub message: String,
}

/// A finding with its rule and (configured) severity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exception {
    pub rule: &'static str,
    pub severity: Severity,
    pub finding: Finding,
}

/// How a rule fared in a run.
#[derive(Debug, Clone, Serialize)]
pub struct RuleRun {
    pub rule: &'static str,
    pub severity: Severity,
    /// None when the rule ran; else why it did not.
    pub skipped: Option<String>,
    pub exceptions: usize,
}

/// Runs every enabled rule whose input files are present, in parallel.
pub fn run_all(facts: &Facts<'_>) -> (Vec<Exception>, Vec<RuleRun>) {
    let results: Vec<(Vec<Exception>, RuleRun)> = RULES
        .par_iter()
        .map(|rule| {
            let severity = facts.config.severity_of(rule.id, rule.severity);
            let skipped = rule.skip_reason(facts);
            let found = if skipped.is_none() {
                (rule.check)(facts)
            } else {
                Vec::new()
            };
            let run = RuleRun {
                rule: rule.id,
                severity,
                skipped,
                exceptions: found.len(),
            };
            let exceptions = found
                .into_iter()
                .map(|finding| Exception {
                    rule: rule.id,
                    severity,
                    finding,
                })
                .collect();
            (exceptions, run)
        })
        .collect();
    let mut all = Vec::with_capacity(results.iter().map(|(e, _)| e.len()).sum());
    let mut runs = Vec::new();
    for (e, r) in results {
        all.extend(e);
        runs.push(r);
    }
    (all, runs)
}

/// Client rules cover only PersonalIDs with a live Client row.
pub(crate) fn audited_clients<'f, 'a>(
    facts: &'f Facts<'a>,
) -> impl Iterator<Item = &'f ClientFacts<'a>> {
    facts.people.iter().filter(|p| p.client.is_some())
}

/// The acting agency of a client rule: the owner; else the agency of the
/// earliest involved trigger that has one (ties: the smaller
/// OrganizationID), with that trigger's enrollment.
pub(crate) fn acting_agency<'a, 't>(
    person: &ClientFacts<'a>,
    involved: impl Iterator<Item = &'t Trigger<'a>>,
) -> (String, String)
where
    'a: 't,
{
    if let Some(owner) = person.owner() {
        return (owner.to_string(), String::new());
    }
    involved
        .filter(|t| t.agency.is_some())
        .min_by(|a, b| a.earliest_order(b))
        .map(|t| {
            (
                t.agency.unwrap_or_default().to_string(),
                t.enrollment_id.unwrap_or_default().to_string(),
            )
        })
        .unwrap_or_default()
}

/// A list for a message: `A, B and C`.
pub(crate) fn join_list<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [init @ .., last] => format!(
            "{} and {}",
            init.iter()
                .map(|s| s.as_ref())
                .collect::<Vec<_>>()
                .join(", "),
            last.as_ref()
        ),
    }
}
