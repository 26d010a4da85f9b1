//! The shapes of each client's ROI history that ROI-002, ROI-003 and
//! ROI-004 share: which sharing ROIs overlap a restrictive one, and which
//! open-ended ROIs a later one superseded. Computed once.

use rustc_hash::FxHashSet as HashSet;

use super::ClientFacts;
use crate::ingest::Roi;

#[derive(Debug, Default)]
pub struct RoiShapes<'a> {
    /// ROI-002: non-restrictive ROIs whose period overlaps a restrictive ROI
    /// of the same client.
    pub overlapping_sharing: Vec<&'a Roi>,
    /// ROI-003: ROIs without an EndDate that a later ROI of the same client
    /// superseded, and that are not under ROI-002.
    pub superseded: Vec<&'a Roi>,
}

/// max(starts) < min(ends), no end = infinity.
fn overlaps(a: &Roi, b: &Roi) -> bool {
    let start = a.start_date.max(b.start_date);
    let end = match (a.end_date, b.end_date) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    };
    end.is_none_or(|e| start < Some(e))
}

impl<'a> RoiShapes<'a> {
    /// ROIs whose StartDate is empty or unreadable take part on neither
    /// side; ROIs of an empty PersonalID are not one client's.
    pub fn of<'p>(people: impl Iterator<Item = &'p ClientFacts<'a>>) -> RoiShapes<'a>
    where
        'a: 'p,
    {
        let mut shapes = RoiShapes::default();
        for p in people.filter(|p| !p.personal_id.is_empty()) {
            let dated: Vec<&Roi> = p
                .rois
                .iter()
                .copied()
                .filter(|r| r.start_date.is_some())
                .collect();
            let overlapping: HashSet<&str> = dated
                .iter()
                .filter(|n| !n.is_restrictive())
                .filter(|n| dated.iter().any(|r| r.is_restrictive() && overlaps(n, r)))
                .map(|n| n.id.as_str())
                .collect();
            for r in &dated {
                if overlapping.contains(r.id.as_str()) {
                    shapes.overlapping_sharing.push(r);
                } else if r.end_date.is_none() && dated.iter().any(|b| b.start_date > r.start_date)
                {
                    shapes.superseded.push(r);
                }
            }
        }
        shapes
    }
}
