//! VIS-001..003: do locked records' visibility groups grant the right
//! agencies?

use std::collections::BTreeSet;

use super::{audited_clients, Finding};
use crate::facts::Facts;
use crate::ingest::MemberType;

/// VIS-001: a locked client's provider that is neither the owner nor an
/// Organization member of its groups.
pub fn vis_001(facts: &Facts<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for p in audited_clients(facts).filter(|p| p.locked()) {
        let owner = p.owner();
        let members = facts.member_organizations(p);
        let kinds = p.kinds_in_effect();
        for provider in facts.providers_of(p) {
            if Some(provider) == owner || members.contains(provider) {
                continue;
            }
            let latest = p
                .enrollments
                .iter()
                .filter(|e| facts.provider(e) == Some(provider))
                .max_by(|a, b| (a.entry_date, &a.id).cmp(&(b.entry_date, &b.id)));
            out.push(Finding {
                personal_id: p.personal_id.to_string(),
                organization_id: provider.to_string(),
                enrollment_id: latest.map(|e| e.id.to_string()).unwrap_or_default(),
                record_id: String::new(),
                triggers: kinds.clone(),
                trigger_date: None,
                message: format!(
                    "The record is locked and provider {provider} has an enrollment of the client but is not on its visibility group: add {provider} to the group as an Organization (a Project member does not count), or it loses access to its client."
                ),
            });
        }
    }
    out
}

/// VIS-002: a group used by a locked client has a Project member.
pub fn vis_002(facts: &Facts<'_>) -> Vec<Finding> {
    let used: BTreeSet<&str> = facts
        .people
        .iter()
        .filter(|p| p.locked())
        .flat_map(|p| p.groups.iter().copied())
        .collect();
    let mut out = Vec::new();
    for group in used {
        let mut seen = BTreeSet::new();
        for m in facts.groups.get(group).into_iter().flatten() {
            if m.member_type != MemberType::Project || !seen.insert(m.member_id.as_str()) {
                continue;
            }
            let provider = facts
                .projects
                .get(m.member_id.as_str())
                .map(|p| p.organization_id.to_string())
                .unwrap_or_default();
            let instead = if provider.is_empty() {
                "its provider".to_string()
            } else {
                format!("provider {provider}")
            };
            out.push(Finding {
                organization_id: provider,
                record_id: format!("{group}:{}", m.member_id),
                message: format!(
                    "Visibility group {group}, used by a locked record, lists project {} as a member: add {instead} as an Organization member instead.",
                    m.member_id
                ),
                ..Finding::default()
            });
        }
    }
    out
}

/// VIS-003: an Organization member of a locked client's groups with no
/// enrollment of the client that is not the owner.
pub fn vis_003(facts: &Facts<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for p in audited_clients(facts).filter(|p| p.locked()) {
        let owner = p.owner();
        let providers = facts.providers_of(p);
        let kinds = p.kinds_in_effect();
        for member in facts.member_organizations(p) {
            if Some(member) == owner || providers.contains(member) {
                continue;
            }
            out.push(Finding {
                personal_id: p.personal_id.to_string(),
                organization_id: member.to_string(),
                triggers: kinds.clone(),
                message: format!(
                    "The record is locked and organization {member} is on its visibility group without an enrollment of the client: review whether it should see the record."
                ),
                ..Finding::default()
            });
        }
    }
    out
}
