//! LOCK-001..003: does the record's lock agree with its triggers?

use super::{acting_agency, audited_clients, join_list, Finding};
use crate::facts::{ClientFacts, Facts};

/// LOCK-001: a trigger in effect, not locked, not Restricted.
pub fn lock_001(facts: &Facts<'_>) -> Vec<Finding> {
    needs_lock(facts, false)
}

/// LOCK-002: as LOCK-001 but Restricted: the Helpdesk must lock it.
pub fn lock_002(facts: &Facts<'_>) -> Vec<Finding> {
    needs_lock(facts, true)
}

fn needs_lock(facts: &Facts<'_>, restricted: bool) -> Vec<Finding> {
    audited_clients(facts)
        .filter(|p| !p.locked() && p.restricted() == restricted && p.in_effect().next().is_some())
        .map(|p| {
            let (organization_id, enrollment_id) = acting_agency(p, p.in_effect());
            let message = if restricted {
                helpdesk_message(facts, p)
            } else {
                lock_message(facts, p)
            };
            Finding {
                personal_id: p.personal_id.to_string(),
                organization_id,
                enrollment_id,
                record_id: String::new(),
                triggers: p.kinds_in_effect(),
                trigger_date: p.in_effect().filter_map(|t| t.date).min(),
                message,
            }
        })
        .collect()
}

/// The providers to add to the visibility group when locking: the providers
/// of the client's live enrollments other than the owner.
fn providers_to_add<'a>(facts: &Facts<'a>, p: &ClientFacts<'a>) -> Vec<&'a str> {
    let owner = p.owner();
    facts
        .providers_of(p)
        .into_iter()
        .filter(|o| Some(*o) != owner)
        .collect()
}

fn lock_message(facts: &Facts<'_>, p: &ClientFacts<'_>) -> String {
    let add = providers_to_add(facts, p);
    let add = if add.is_empty() {
        "No other provider needs to be added to the visibility group.".to_string()
    } else {
        format!(
            "When locking, add these providers to the visibility group as organizations: {}.",
            join_list(&add)
        )
    };
    format!("Lock this record: a circumstance that requires a lock is in effect and the record is shared. {add}")
}

fn helpdesk_message(facts: &Facts<'_>, p: &ClientFacts<'_>) -> String {
    let ready = p
        .rois
        .iter()
        .any(|r| r.is_restrictive() && r.is_active_on(facts.as_of));
    let roi = if ready {
        "The ROI is ready (a restrictive ROI is active): the Helpdesk can lock it now."
    } else {
        "The ROI is not ready: record a Limited Sharing ROI first, then the Helpdesk locks it."
    };
    let add = providers_to_add(facts, p);
    let add = if add.is_empty() {
        String::new()
    } else {
        format!(
            " Providers to add to the visibility group as organizations: {}.",
            join_list(&add)
        )
    };
    format!("Restricted record needs a lock: send it to the Helpdesk queue. {roi}{add}")
}

/// LOCK-003: locked with no trigger in effect.
pub fn lock_003(facts: &Facts<'_>) -> Vec<Finding> {
    audited_clients(facts)
        .filter(|p| p.locked() && p.in_effect().next().is_none())
        .map(|p| Finding {
            personal_id: p.personal_id.to_string(),
            organization_id: p.owner().unwrap_or_default().to_string(),
            message: "The record is locked but nothing requiring a lock is in effect: review whether the lock is still needed, as it hides the record from coordination.".into(),
            ..Finding::default()
        })
        .collect()
}
