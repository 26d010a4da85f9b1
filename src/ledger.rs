//! The ledger: fingerprints and the order of exceptions.csv.

use sha2::{Digest, Sha256};

use crate::rules::Exception;

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

/// One exception with its fingerprint and history status.
#[derive(Debug, Clone)]
pub struct Entry {
    pub fingerprint: String,
    /// `new` or `persisting` when a history is kept, else empty.
    pub status: String,
    pub exception: Exception,
}

/// Sorts by severity (critical first), rule, personal_id, organization_id
/// and record_id (as text), then by the other columns so that the order is
/// total and every run writes the same bytes.
pub fn sort(entries: &mut [Entry]) {
    entries.sort_by(|a, b| {
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

pub fn build(exceptions: Vec<Exception>) -> Vec<Entry> {
    let mut entries: Vec<Entry> = exceptions
        .into_iter()
        .map(|exception| Entry {
            fingerprint: fingerprint(&exception),
            status: String::new(),
            exception,
        })
        .collect();
    sort(&mut entries);
    entries
}
