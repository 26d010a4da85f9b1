//! Report writers. Writers never re-derive a fact: they format the ledger
//! and the summary; then the whole folder is published at once.

pub mod agencies;
pub mod csv;
pub mod html;
pub mod json;
pub mod publish;
pub mod xlsx;

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::ledger::Ledger;
use crate::rules::RuleRun;

/// What every writer reads.
pub struct ReportInput<'a> {
    pub as_of: NaiveDate,
    pub export_dir: &'a str,
    pub csv_version: &'a str,
    pub ledger: &'a Ledger,
    pub runs: &'a [RuleRun],
    /// OrganizationID -> OrganizationName, for the agency table.
    pub organization_names: BTreeMap<String, String>,
    /// DV, HIV and TRAFFICKING as CONFIDENTIAL in every output.
    pub redact: bool,
}
