//! The CSV outputs: exceptions.csv (exactly the spec's columns), waived.csv,
//! resolved.csv and the per-agency files.

use std::io::Write;

use crate::facts::TriggerKind;
use crate::ledger::history::Recorded;
use crate::ledger::{Entry, WaivedEntry};

pub const COLUMNS: [&str; 11] = [
    "fingerprint",
    "status",
    "rule",
    "severity",
    "personal_id",
    "organization_id",
    "enrollment_id",
    "record_id",
    "triggers",
    "trigger_date",
    "message",
];

/// Written in place of DV, HIV and TRAFFICKING in agency files and with
/// `--redact`: an agency may not learn a client's health or safety status.
pub const CONFIDENTIAL: &str = "CONFIDENTIAL";

/// The `triggers` cell: kinds `;`-joined in text order. Redacted, the
/// confidential kinds become one CONFIDENTIAL, so that not even their number
/// shows.
pub fn triggers_cell(e: &Entry, redact: bool) -> String {
    let kinds = &e.exception.finding.triggers;
    let mut names: Vec<&str> = kinds
        .iter()
        .filter(|k| !(redact && k.is_confidential()))
        .map(|k| k.as_str())
        .collect();
    if redact && kinds.iter().any(|k: &TriggerKind| k.is_confidential()) {
        names.push(CONFIDENTIAL);
    }
    names.sort_unstable();
    names.join(";")
}

/// A cell a spreadsheet would run as a formula (it starts with `=`, `+`,
/// `-`, `@`, a tab or a carriage return) gets a leading `'`, so that opening
/// an export in Excel never executes what a client record contained.
pub fn neutralise(value: String) -> String {
    match value.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{value}"),
        _ => value,
    }
}

/// The spec's eleven cells of one exception.
pub fn cells(e: &Entry, redact: bool) -> [String; 11] {
    let x = &e.exception;
    let f = &x.finding;
    let n = neutralise;
    [
        e.fingerprint.clone(),
        e.status.clone(),
        x.rule.to_string(),
        x.severity.as_str().to_string(),
        n(f.personal_id.clone()),
        n(f.organization_id.clone()),
        n(f.enrollment_id.clone()),
        n(f.record_id.clone()),
        triggers_cell(e, redact),
        f.trigger_date.map(|d| d.to_string()).unwrap_or_default(),
        n(f.message.clone()),
    ]
}

fn writer<W: Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out)
}

/// exceptions.csv: exactly the spec's columns, in its order.
pub fn write_exceptions<W: Write>(out: W, entries: &[Entry], redact: bool) -> csv::Result<()> {
    let mut w = writer(out);
    w.write_record(COLUMNS)?;
    for e in entries {
        w.write_record(cells(e, redact))?;
    }
    w.flush()?;
    Ok(())
}

/// An agency's file: the spec's columns and first_seen, always redacted.
pub fn write_agency<'e, W: Write>(
    out: W,
    entries: impl Iterator<Item = &'e Entry>,
) -> csv::Result<()> {
    let mut w = writer(out);
    let mut header = COLUMNS.to_vec();
    header.push("first_seen");
    w.write_record(&header)?;
    for e in entries {
        let mut row = cells(e, true).to_vec();
        row.push(e.first_seen.clone().unwrap_or_default());
        w.write_record(&row)?;
    }
    w.flush()?;
    Ok(())
}

/// waived.csv: the spec's columns and the waiver's reason and expiry.
pub fn write_waived<W: Write>(out: W, waived: &[WaivedEntry], redact: bool) -> csv::Result<()> {
    let mut w = writer(out);
    let mut header = COLUMNS.to_vec();
    header.extend(["waiver_reason", "waiver_expires"]);
    w.write_record(&header)?;
    for x in waived {
        let mut row = cells(&x.entry, redact).to_vec();
        row.push(neutralise(x.waiver.reason.clone()));
        row.push(x.waiver.expires.map(|d| d.to_string()).unwrap_or_default());
        w.write_record(&row)?;
    }
    w.flush()?;
    Ok(())
}

/// resolved.csv: exceptions of the previous run that are gone.
pub fn write_resolved<W: Write>(out: W, resolved: &[Recorded]) -> csv::Result<()> {
    let mut w = writer(out);
    w.write_record([
        "fingerprint",
        "rule",
        "severity",
        "personal_id",
        "organization_id",
        "record_id",
        "first_seen",
    ])?;
    for r in resolved {
        w.write_record([
            r.fingerprint.clone(),
            r.rule.clone(),
            r.severity.clone(),
            neutralise(r.personal_id.clone()),
            neutralise(r.organization_id.clone()),
            neutralise(r.record_id.clone()),
            r.first_seen.clone(),
        ])?;
    }
    w.flush()?;
    Ok(())
}
