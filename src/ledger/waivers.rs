//! Waivers (`--waivers FILE`): a CSV of fingerprint, reason, expires. A
//! matching exception is moved to waived.csv until its expiry; expired and
//! unknown waivers are listed in summary.json so they do not rot silently.

use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;

use crate::error::AuditError;
use crate::ingest::values::parse_date;

#[derive(Debug, Clone, Serialize)]
pub struct Waiver {
    pub fingerprint: String,
    pub reason: String,
    /// None: never expires.
    pub expires: Option<NaiveDate>,
    /// Line in the waivers file.
    pub line: u64,
}

impl Waiver {
    /// In force on the as-of date (expiry day included).
    pub fn in_force(&self, as_of: NaiveDate) -> bool {
        self.expires.is_none_or(|e| as_of <= e)
    }
}

/// Reads the waivers file. A missing column or an unreadable date is a
/// usage error naming the line.
pub fn load(path: &Path) -> Result<Vec<Waiver>, AuditError> {
    let name = path.display();
    let usage = |m: String| AuditError::Usage(format!("waivers file {name}: {m}"));
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .map_err(|e| usage(format!("cannot read it: {e}")))?;
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| usage(e.to_string()))?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase())
        .collect();
    let column = |n: &str| {
        headers
            .iter()
            .position(|h| h == n)
            .ok_or_else(|| usage(format!("the header (line 1) has no `{n}` column")))
    };
    let (f, r, x) = (
        column("fingerprint")?,
        column("reason")?,
        column("expires")?,
    );
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| usage(e.to_string()))?;
        let line = record.position().map_or(0, |p| p.line());
        let cell = |i: usize| record.get(i).unwrap_or("").trim().to_string();
        let fingerprint = cell(f);
        if fingerprint.is_empty() {
            continue;
        }
        let expires = match cell(x) {
            e if e.is_empty() => None,
            e => Some(parse_date(&e).ok_or_else(|| {
                usage(format!("line {line}: expires is not a date (yyyy-mm-dd)"))
            })?),
        };
        out.push(Waiver {
            fingerprint,
            reason: cell(r),
            expires,
            line,
        });
    }
    Ok(out)
}
