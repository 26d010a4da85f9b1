//! Fuzzes the CSV ingest: any bytes, read as each kind of file, must never
//! panic, and every row read must be accounted for (live, deleted or
//! rejected), with physical line numbers that only grow.
#![no_main]

use hmis_audit::ingest::{self, Record, Table};
use libfuzzer_sys::fuzz_target;

fn check<T: Record>(data: &[u8], line_of: impl Fn(&T) -> u64) {
    let mut warnings = Vec::new();
    let Ok(table): Result<Table<T>, _> =
        ingest::parse_file::<T>("Fuzz.csv", data, None, None, &mut warnings)
    else {
        return; // a missing column: a usage error, not a crash
    };
    let Some(stats) = table.stats.as_ref() else { return };
    assert_eq!(stats.read, stats.live + stats.deleted + stats.rejected);
    assert_eq!(stats.live, table.rows.len() as u64 + table.unneeded + table.duplicates.len() as u64);
    assert_eq!(stats.rejected as usize, table.ragged.len());
    let mut lines: Vec<u64> = table.rows.iter().map(&line_of).collect();
    lines.extend(table.ragged.iter().map(|r| r.line));
    assert!(lines.iter().all(|&l| l >= 2), "data rows start after the header");
    let sorted = table.rows.windows(2).all(|w| line_of(&w[0]) < line_of(&w[1]));
    assert!(sorted, "rows keep file order with distinct lines");
}

fuzz_target!(|data: &[u8]| {
    check::<ingest::Client>(data, |r| r.line);
    check::<ingest::Enrollment>(data, |r| r.line);
    check::<ingest::Roi>(data, |r| r.line);
    check::<ingest::VisibilityGroupMember>(data, |r| r.line);
});
