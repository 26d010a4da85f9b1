//! summary.json: run metadata, the accounting of every input file, the
//! rules run and skipped, and the counts.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::facts::{Facts, TriggerKind};
use crate::ingest::Export;
use crate::ledger::Entry;
use crate::rules::{RuleRun, Severity};

#[derive(Debug, Serialize)]
pub struct Summary {
    pub tool: Tool,
    pub export_dir: String,
    pub as_of: String,
    /// `--as-of`, `ExportEndDate` or `today`.
    pub as_of_source: &'static str,
    /// Detected from the columns: FY2022, FY2024, FY2026 or unknown.
    pub csv_version: &'static str,
    /// CSVVersion as Export.csv states it, when it does.
    pub export_csv_version: Option<String>,
    pub files: Vec<FileEntry>,
    pub rules: Vec<RuleRun>,
    pub rules_run: Vec<&'static str>,
    pub rules_skipped: Vec<Skipped>,
    pub counts: Counts,
    pub clients: ClientCounts,
    pub warnings: Vec<String>,
    /// With `--waivers`: what was waived, and the waivers that no longer
    /// match anything or have expired.
    pub waivers: Option<WaiverSummary>,
    /// With `--history`: the changes since the previous run.
    pub history: Option<HistorySummary>,
    /// DV, HIV and TRAFFICKING written as CONFIDENTIAL everywhere.
    pub redacted: bool,
    /// The files of the report folder.
    pub outputs: Vec<String>,
    pub timings_ms: BTreeMap<&'static str, u128>,
}

#[derive(Debug, Serialize)]
pub struct WaiverSummary {
    pub file: String,
    pub waived: usize,
    pub expired: Vec<crate::ledger::waivers::Waiver>,
    pub unknown: Vec<crate::ledger::waivers::Waiver>,
}

#[derive(Debug, Serialize)]
pub struct HistorySummary {
    pub dir: String,
    pub previous_as_of: Option<String>,
    pub new: usize,
    pub persisting: usize,
    pub resolved: usize,
}

#[derive(Debug, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Debug, Serialize)]
pub struct FileEntry {
    pub file: &'static str,
    pub present: bool,
    pub name_on_disk: Option<String>,
    pub bytes: Option<u64>,
    pub sha256: Option<String>,
    pub rows: Option<RowCounts>,
}

/// read = live + deleted + rejected; duplicates are part of live.
#[derive(Debug, Serialize)]
pub struct RowCounts {
    pub read: u64,
    pub live: u64,
    pub deleted: u64,
    pub rejected: u64,
    pub duplicates: u64,
}

#[derive(Debug, Serialize)]
pub struct Skipped {
    pub rule: &'static str,
    pub reason: String,
}

#[derive(Debug, Serialize)]
pub struct Counts {
    pub total: usize,
    pub by_rule: BTreeMap<&'static str, usize>,
    pub by_severity: BTreeMap<&'static str, usize>,
    pub by_organization: BTreeMap<String, usize>,
}

#[derive(Debug, Serialize)]
pub struct ClientCounts {
    /// PersonalIDs with a live Client row.
    pub audited: usize,
    /// Audited clients with a trigger of the kind in effect.
    pub with_trigger_in_effect: BTreeMap<&'static str, usize>,
    pub locked: usize,
    pub shared: usize,
    pub restricted: usize,
}

pub fn files(export: &Export) -> Vec<FileEntry> {
    export
        .files()
        .into_iter()
        .map(|f| FileEntry {
            file: f.spec.name,
            present: f.stats.is_some(),
            name_on_disk: f.stats.map(|s| s.name_on_disk.clone()),
            bytes: f.stats.map(|s| s.bytes),
            sha256: f.stats.map(|s| s.sha256.clone()),
            rows: f.stats.map(|s| RowCounts {
                read: s.read,
                live: s.live,
                deleted: s.deleted,
                rejected: s.rejected,
                duplicates: s.duplicates,
            }),
        })
        .collect()
}

pub fn counts(entries: &[Entry]) -> Counts {
    let mut c = Counts {
        total: entries.len(),
        by_rule: BTreeMap::new(),
        by_severity: Severity::ALL.iter().map(|s| (s.as_str(), 0)).collect(),
        by_organization: BTreeMap::new(),
    };
    for e in entries {
        *c.by_rule.entry(e.exception.rule).or_default() += 1;
        *c.by_severity
            .entry(e.exception.severity.as_str())
            .or_default() += 1;
        let org = &e.exception.finding.organization_id;
        let org = if org.is_empty() {
            "(none)"
        } else {
            org.as_str()
        };
        *c.by_organization.entry(org.to_string()).or_default() += 1;
    }
    c
}

pub fn client_counts(facts: &Facts<'_>) -> ClientCounts {
    let mut c = ClientCounts {
        audited: 0,
        with_trigger_in_effect: TriggerKind::ALL.iter().map(|k| (k.as_str(), 0)).collect(),
        locked: 0,
        shared: 0,
        restricted: 0,
    };
    for p in facts.people.iter().filter(|p| p.client.is_some()) {
        c.audited += 1;
        for k in p.kinds_in_effect() {
            *c.with_trigger_in_effect.entry(k.as_str()).or_default() += 1;
        }
        if p.locked() {
            c.locked += 1;
        } else {
            c.shared += 1;
        }
        if p.restricted() {
            c.restricted += 1;
        }
    }
    c
}
