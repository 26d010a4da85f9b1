//! ROI-001..010: does the ROI documentation agree with the lock, and is it
//! well kept?

use rustc_hash::FxHashSet as HashSet;

use chrono::{Days, NaiveDate};
use rayon::prelude::*;

use super::{acting_agency, audited_clients, Finding};
use crate::facts::{ClientFacts, Facts, Stage, TriggerKind};
use crate::ingest::values::Documentation;
use crate::ingest::Roi;

fn roi_finding(r: &Roi, message: String) -> Finding {
    Finding {
        personal_id: r.personal_id.to_string(),
        organization_id: r.organization_id.to_string(),
        record_id: r.id.to_string(),
        message,
        ..Finding::default()
    }
}

/// ROI-001: a DV, HIV, TRAFFICKING or MINOR trigger in effect that no
/// restrictive ROI covers.
pub fn roi_001(facts: &Facts<'_>) -> Vec<Finding> {
    let as_of = facts.as_of;
    audited_clients(facts)
        .filter_map(|p| {
            let restrictive: Vec<&Roi> = p
                .rois
                .iter()
                .copied()
                .filter(|r| r.is_restrictive() && r.start_date.is_some_and(|s| s <= as_of))
                .collect();
            let covered = |date: Option<NaiveDate>| {
                restrictive
                    .iter()
                    .any(|r| match (r.end_date, date) {
                        (None, _) | (_, None) => true,
                        (Some(end), Some(d)) => end >= d,
                    })
            };
            let uncovered: Vec<_> = p
                .in_effect()
                .filter(|t| t.kind != TriggerKind::LimitedRoi && !covered(t.date))
                .collect();
            let earliest = uncovered.iter().min_by(|a, b| a.earliest_order(b))?;
            let (organization_id, enrollment_id) = acting_agency(p, uncovered.iter().copied());
            let message = match earliest.stage {
                Stage::Initial => "A circumstance reported at project start is not covered by a restrictive ROI: change the ROI documentation to Limited Sharing.",
                Stage::Update => "A circumstance reported at an update is not covered by a restrictive ROI: end-date the old ROI and add a new Limited Sharing ROI.",
            };
            Some(Finding {
                personal_id: p.personal_id.to_string(),
                organization_id,
                enrollment_id,
                record_id: String::new(),
                triggers: uncovered.iter().map(|t| t.kind).collect(),
                trigger_date: uncovered.iter().filter_map(|t| t.date).min(),
                message: message.to_string(),
            })
        })
        .collect()
}

/// ROI-002: a non-restrictive ROI overlapping a restrictive ROI.
pub fn roi_002(facts: &Facts<'_>) -> Vec<Finding> {
    facts
        .roi_shapes
        .overlapping_sharing
        .iter()
        .map(|r| {
            roi_finding(
                r,
                "This sharing ROI overlaps a restrictive ROI of the same client: end-date it on or before the day the restrictive ROI starts.".into(),
            )
        })
        .collect()
}

/// ROI-003: superseded but never end-dated.
pub fn roi_003(facts: &Facts<'_>) -> Vec<Finding> {
    facts
        .roi_shapes
        .superseded
        .iter()
        .map(|r| {
            roi_finding(
                r,
                "A later ROI of the same client replaced this one, but it has no end date: end-date it.".into(),
            )
        })
        .collect()
}

/// ROI-004: no EndDate, and neither ROI-002 nor ROI-003 applies.
pub fn roi_004(facts: &Facts<'_>) -> Vec<Finding> {
    let shapes = &facts.roi_shapes;
    let excluded: HashSet<&str> = shapes
        .overlapping_sharing
        .iter()
        .chain(&shapes.superseded)
        .map(|r| r.id.as_str())
        .collect();
    facts
        .export
        .rois
        .rows
        .iter()
        .filter(|r| r.end_date.is_none() && !excluded.contains(r.id.as_str()))
        .map(|r| {
            roi_finding(
                r,
                "This ROI has no end date: enter the end date of the signed release.".into(),
            )
        })
        .collect()
}

/// ROI-005: StartDate empty or unreadable, EndDate before StartDate, or
/// StartDate after the as-of date.
pub fn roi_005(facts: &Facts<'_>) -> Vec<Finding> {
    facts
        .export
        .rois
        .rows
        .iter()
        .filter_map(|r| {
            let problem = match (r.start_date, r.end_date) {
                (None, _) => "its StartDate is empty or cannot be read",
                (Some(s), Some(e)) if e < s => "its EndDate is before its StartDate",
                (Some(s), _) if s > facts.as_of => "its StartDate is after the as-of date",
                _ => return None,
            };
            Some(roi_finding(
                r,
                format!("The ROI's dates are invalid ({problem}): correct them from the signed release."),
            ))
        })
        .collect()
}

/// The acting agency of ROI-006/007: the owner, else the organization of
/// the client's current or most recent ROI.
fn roi_client_agency(facts: &Facts<'_>, p: &ClientFacts<'_>) -> String {
    if let Some(owner) = p.owner() {
        return owner.to_string();
    }
    p.most_recent_roi(facts.as_of)
        .map(|r| r.organization_id.to_string())
        .unwrap_or_default()
}

/// ROI-006: shared, has ROIs, none active on the as-of date.
pub fn roi_006(facts: &Facts<'_>) -> Vec<Finding> {
    audited_clients(facts)
        .filter(|p| {
            !p.locked() && !p.rois.is_empty() && !p.rois.iter().any(|r| r.is_active_on(facts.as_of))
        })
        .map(|p| Finding {
            personal_id: p.personal_id.to_string(),
            organization_id: roi_client_agency(facts, p),
            message: "The record is shared but no ROI is active on the as-of date: the client's consent has expired. Obtain a new ROI or lock the record.".into(),
            ..Finding::default()
        })
        .collect()
}

/// ROI-007: the current ROI says No Sharing.
pub fn roi_007(facts: &Facts<'_>) -> Vec<Finding> {
    audited_clients(facts)
        .filter(|p| {
            p.current_roi(facts.as_of)
                .is_some_and(|r| r.documentation == Documentation::NoSharing)
        })
        .map(|p| Finding {
            personal_id: p.personal_id.to_string(),
            organization_id: roi_client_agency(facts, p),
            message: "The client's current ROI is No Sharing: the client declined all sharing. Follow the No Sharing procedure for this record.".into(),
            ..Finding::default()
        })
        .collect()
}

/// ROI-008: Documentation empty, unrecognised, or disagreeing with
/// ReleaseGranted.
pub fn roi_008(facts: &Facts<'_>) -> Vec<Finding> {
    facts
        .export
        .rois
        .rows
        .iter()
        .filter_map(|r| {
            let problem = match (&r.documentation, r.release_granted) {
                (Documentation::Empty, _) => "Documentation is empty".to_string(),
                (Documentation::Unrecognised(_), _) => {
                    "Documentation is not Full Sharing, Limited Sharing or No Sharing".to_string()
                }
                (d @ (Documentation::Full | Documentation::Limited), Some(false)) => {
                    format!("Documentation is {} but ReleaseGranted is No", d.label())
                }
                (Documentation::NoSharing, Some(true)) => {
                    "Documentation is No Sharing but ReleaseGranted is Yes".to_string()
                }
                _ => return None,
            };
            Some(roi_finding(
                r,
                format!("{problem}: correct the ROI from the signed release."),
            ))
        })
        .collect()
}

/// ROI-009: an open enrollment whose provider has no ROI for the client
/// active on the EntryDate or on the as-of date.
pub fn roi_009(facts: &Facts<'_>) -> Vec<Finding> {
    let as_of = facts.as_of;
    // Every open enrollment of every person: the people in parallel, a few
    // at a time with what they look up prefetched first (their enrollments
    // are at random places of the closed set, their ROIs of the rows); the
    // findings in the people's order.
    const FEW: usize = 8;
    facts
        .people
        .par_chunks(FEW)
        .flat_map_iter(|people| {
            for p in people {
                for e in &p.enrollments {
                    facts.closed_enrollments.prefetch_id(&e.id);
                }
                for &r in &p.rois {
                    crate::ids::prefetch(r);
                }
            }
            people.iter()
        })
        .flat_map_iter(|p| {
            p.enrollments
                .iter()
                .filter(|e| facts.enrollment_is_open(e))
                .filter_map(move |e| {
                    let provider = facts.provider(e)?;
                    let has_consent = p.rois.iter().any(|r| {
                        r.organization_id == provider
                            && (r.is_active_on(as_of)
                                || e.entry_date.is_some_and(|d| r.is_active_on(d)))
                    });
                    (!has_consent).then(|| Finding {
                        personal_id: e.personal_id.to_string(),
                        organization_id: provider.to_string(),
                        enrollment_id: e.id.to_string(),
                        record_id: e.id.to_string(),
                        message: "The enrollment is open but this provider has no ROI for the client active on the EntryDate or the as-of date: each agency needs its own consent.".into(),
                        ..Finding::default()
                    })
                })
        })
        .collect()
}

/// ROI-010: active, and ends within `roi_expiry_warning_days`.
pub fn roi_010(facts: &Facts<'_>) -> Vec<Finding> {
    let as_of = facts.as_of;
    let days = facts.config.policy.roi_expiry_warning_days;
    let horizon = as_of
        .checked_add_days(Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MAX);
    facts
        .export
        .rois
        .rows
        .iter()
        .filter(|r| r.is_active_on(as_of) && r.end_date.is_some_and(|e| as_of <= e && e <= horizon))
        .map(|r| {
            roi_finding(
                r,
                format!(
                    "The ROI ends within {days} days of the as-of date: renew it with the client."
                ),
            )
        })
        .collect()
}
