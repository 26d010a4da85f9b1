//! exceptions.csv: exactly the spec's columns, in its order.

use std::io::Write;

use crate::ledger::Entry;

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

/// The `triggers` cell: kinds `;`-joined in text order.
pub fn triggers_cell(e: &Entry) -> String {
    e.exception
        .finding
        .triggers
        .iter()
        .map(|k| k.as_str())
        .collect::<Vec<_>>()
        .join(";")
}

pub fn write_exceptions<W: Write>(out: W, entries: &[Entry]) -> csv::Result<()> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out);
    w.write_record(COLUMNS)?;
    for e in entries {
        let x = &e.exception;
        let f = &x.finding;
        let date = f.trigger_date.map(|d| d.to_string()).unwrap_or_default();
        w.write_record([
            e.fingerprint.as_str(),
            e.status.as_str(),
            x.rule,
            x.severity.as_str(),
            f.personal_id.as_str(),
            f.organization_id.as_str(),
            f.enrollment_id.as_str(),
            f.record_id.as_str(),
            triggers_cell(e).as_str(),
            date.as_str(),
            f.message.as_str(),
        ])?;
    }
    w.flush()?;
    Ok(())
}
