//! The rule registry: one entry per rule of the spec, holding its ID,
//! default severity, documentation and check. `hmis-audit rules`,
//! `hmis-audit explain` and docs/rules.md are all read from here.

use super::{integrity, lock, roi, visibility, Finding, Severity};
use crate::facts::Facts;

/// An input a rule cannot run without.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    Roi,
    ClientVisibility,
    /// VisibilityGroup.csv and ClientVisibilityGroup.csv.
    Groups,
    /// Policy `require_roi_end_date`.
    RoiEndDatePolicy,
}

pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    pub title: &'static str,
    /// One exception is reported per ...
    pub per: &'static str,
    pub why: &'static str,
    pub fix: &'static str,
    pub needs: &'static [Needs],
    pub check: fn(&Facts<'_>) -> Vec<Finding>,
}

impl Rule {
    pub fn skip_reason(&self, facts: &Facts<'_>) -> Option<String> {
        if !facts.config.rule_enabled(self.id) {
            return Some("disabled in the configuration".into());
        }
        let export = facts.export;
        for need in self.needs {
            let missing = match need {
                Needs::Roi => (!export.rois.present()).then_some(export.rois.spec.name),
                Needs::ClientVisibility => (!export.client_visibility.present())
                    .then_some(export.client_visibility.spec.name),
                Needs::Groups => {
                    if !export.visibility_groups.present() {
                        Some(export.visibility_groups.spec.name)
                    } else if !export.client_visibility_groups.present() {
                        Some(export.client_visibility_groups.spec.name)
                    } else {
                        None
                    }
                }
                Needs::RoiEndDatePolicy => {
                    if !facts.config.policy.require_roi_end_date {
                        return Some("policy require_roi_end_date is false".into());
                    }
                    None
                }
            };
            if let Some(file) = missing {
                return Some(format!("{file} is not in the export"));
            }
        }
        None
    }

    /// The full documentation, as `hmis-audit explain` prints it.
    pub fn explain(&self) -> String {
        let needs: Vec<&str> = self
            .needs
            .iter()
            .filter_map(|n| match n {
                Needs::Roi => Some("ReleaseOfInformation.csv"),
                Needs::ClientVisibility => Some("ClientVisibility.csv"),
                Needs::Groups => Some("VisibilityGroup.csv and ClientVisibilityGroup.csv"),
                Needs::RoiEndDatePolicy => None,
            })
            .collect();
        let mut s = format!(
            "{} ({}): {}\n\nOne exception per {}.\n\nWhy it matters:\n  {}\n\nHow to fix:\n  {}\n",
            self.id,
            self.severity.as_str(),
            self.title,
            self.per,
            self.why,
            self.fix
        );
        if !needs.is_empty() {
            s.push_str(&format!(
                "\nRuns only when the export has {}.\n",
                needs.join(", ")
            ));
        }
        s
    }
}

pub fn find(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id.eq_ignore_ascii_case(id))
}

use Needs::*;
use Severity::*;

pub static RULES: [Rule; 21] = [
    Rule {
        id: "LOCK-001",
        severity: Critical,
        title: "Record needs a lock and is shared",
        per: "client",
        why: "The client has a circumstance in effect that requires a locked record (fleeing domestic violence or trafficking, HIV/AIDS, an unaccompanied minor, or a Limited Sharing ROI), but the record is shared with every agency in the CoC.",
        fix: "Lock the record. Before locking, add every provider the client is enrolled with (the message lists them) to the record's visibility group as an Organization, so that no agency loses its own client.",
        needs: &[],
        check: lock::lock_001,
    },
    Rule {
        id: "LOCK-002",
        severity: High,
        title: "Restricted record needs a lock: Helpdesk",
        per: "client",
        why: "As LOCK-001, but the record is Restricted: agency users cannot lock it, so it stays shared until the HMIS Helpdesk acts.",
        fix: "Send the record to the Helpdesk queue. The Helpdesk locks it once the ROI says Limited Sharing; the message says whether the ROI is ready.",
        needs: &[],
        check: lock::lock_002,
    },
    Rule {
        id: "LOCK-003",
        severity: Info,
        title: "Locked record with no reason to lock",
        per: "client",
        why: "The record is locked but no circumstance requiring a lock is in effect. Over-locking hides the record from coordinated entry and from other agencies serving the client.",
        fix: "Review the record. If no lock is needed any more, unlock it; if one is, record the circumstance or the Limited Sharing ROI that requires it.",
        needs: &[ClientVisibility],
        check: lock::lock_003,
    },
    Rule {
        id: "ROI-001",
        severity: High,
        title: "Circumstance not covered by a restrictive ROI",
        per: "client",
        why: "A circumstance that requires a lock is in effect, but no Limited Sharing (or No Sharing, or not granted) ROI covers the date it was reported. The ROI documentation must agree with the lock.",
        fix: "Reported at project start: change the ROI documentation to Limited Sharing. Reported at an update: end-date the old ROI and add a new Limited Sharing ROI.",
        needs: &[Roi],
        check: roi::roi_001,
    },
    Rule {
        id: "ROI-002",
        severity: Medium,
        title: "Sharing ROI overlaps a restrictive ROI",
        per: "non-restrictive ROI",
        why: "A Full Sharing ROI is still in force while a Limited Sharing ROI of the same client is: the documentation contradicts itself about what may be shared.",
        fix: "End-date the old Full Sharing ROI on or before the day the restrictive ROI starts.",
        needs: &[Roi],
        check: roi::roi_002,
    },
    Rule {
        id: "ROI-003",
        severity: Medium,
        title: "Superseded ROI never end-dated",
        per: "ROI",
        why: "The ROI has no end date although a later ROI of the same client replaced it.",
        fix: "Give the old ROI an end date on or before the day the later ROI starts.",
        needs: &[Roi],
        check: roi::roi_003,
    },
    Rule {
        id: "ROI-004",
        severity: Low,
        title: "ROI without an end date",
        per: "ROI",
        why: "Consent is given for a period; an open-ended ROI is never renewed or reviewed (policy require_roi_end_date).",
        fix: "Enter the ROI's end date as written on the signed release.",
        needs: &[Roi, RoiEndDatePolicy],
        check: roi::roi_004,
    },
    Rule {
        id: "ROI-005",
        severity: Medium,
        title: "ROI dates are invalid",
        per: "ROI",
        why: "The ROI's StartDate is empty or unreadable, its EndDate is before its StartDate, or it starts after the as-of date: it cannot be judged active and covers nothing.",
        fix: "Correct the ROI's StartDate and EndDate from the signed release.",
        needs: &[Roi],
        check: roi::roi_005,
    },
    Rule {
        id: "ROI-006",
        severity: Low,
        title: "Shared record whose consent has expired",
        per: "client",
        why: "The record is shared, but none of the client's ROIs is active on the as-of date: there is no current consent to share.",
        fix: "Obtain a new ROI from the client, or lock the record until one is signed.",
        needs: &[Roi],
        check: roi::roi_006,
    },
    Rule {
        id: "ROI-007",
        severity: High,
        title: "Client declined all sharing",
        per: "client",
        why: "The client's current ROI says No Sharing: the client's data should not be in the shared HMIS at all.",
        fix: "Follow the CoC's No Sharing procedure (remove or de-identify the record).",
        needs: &[Roi],
        check: roi::roi_007,
    },
    Rule {
        id: "ROI-008",
        severity: Medium,
        title: "ROI documentation missing or contradictory",
        per: "ROI",
        why: "The ROI's Documentation is empty or not one of Full Sharing, Limited Sharing, No Sharing, or it disagrees with ReleaseGranted (Full or Limited Sharing need a granted release; No Sharing needs a refused one).",
        fix: "Correct Documentation or ReleaseGranted from the signed release.",
        needs: &[Roi],
        check: roi::roi_008,
    },
    Rule {
        id: "ROI-009",
        severity: Low,
        title: "Open enrollment without the provider's own ROI",
        per: "enrollment",
        why: "Each agency needs its own consent: the enrollment is open, but its provider has no ROI for the client active on the EntryDate or on the as-of date.",
        fix: "The provider records its own ROI for the client.",
        needs: &[Roi],
        check: roi::roi_009,
    },
    Rule {
        id: "ROI-010",
        severity: Info,
        title: "ROI expires soon",
        per: "ROI",
        why: "The ROI is active and ends within roi_expiry_warning_days of the as-of date.",
        fix: "Renew the ROI with the client before it ends.",
        needs: &[Roi],
        check: roi::roi_010,
    },
    Rule {
        id: "VIS-001",
        severity: High,
        title: "Provider missing from a locked record's visibility group",
        per: "(client, provider)",
        why: "The record is locked, and a provider the client is enrolled with is neither the owner nor an Organization member of the record's visibility groups: that provider has lost access to its own client. A Project member does not count.",
        fix: "Add the provider to the record's visibility group as an Organization (agency), not a project.",
        needs: &[ClientVisibility],
        check: visibility::vis_001,
    },
    Rule {
        id: "VIS-002",
        severity: Medium,
        title: "Visibility group has a Project member",
        per: "(group, project member)",
        why: "A visibility group used by a locked record lists a project: visibility is granted to agencies, so the project's agency does not see the record.",
        fix: "Replace the Project member with its provider (the project's organization) as an Organization member.",
        needs: &[ClientVisibility, Groups],
        check: visibility::vis_002,
    },
    Rule {
        id: "VIS-003",
        severity: Info,
        title: "Visibility group grants an agency with no enrollment",
        per: "(client, organization)",
        why: "A locked record is visible to an agency that has no enrollment of the client and does not own it: more agencies see the record than serve the client.",
        fix: "Review the visibility group; remove the agency if it has no reason to see the record.",
        needs: &[ClientVisibility, Groups],
        check: visibility::vis_003,
    },
    Rule {
        id: "INT-001",
        severity: High,
        title: "Reference points to no live row",
        per: "row",
        why: "A PersonalID, EnrollmentID, ProjectID, OrganizationID or VisibilityGroupID points to no live row: the row is orphaned and rules that join through it cannot see it.",
        fix: "Correct the reference, or restore the row it points to, in the source HMIS.",
        needs: &[],
        check: integrity::int_001,
    },
    Rule {
        id: "INT-002",
        severity: High,
        title: "Duplicate primary key",
        per: "duplicate row",
        why: "A primary key repeats among live rows. The first row is kept and used by every other rule; the later ones are ignored.",
        fix: "Remove or re-key the duplicate rows in the source HMIS.",
        needs: &[],
        check: integrity::int_002,
    },
    Rule {
        id: "INT-003",
        severity: Medium,
        title: "Value cannot be read",
        per: "cell or row",
        why: "A date, code or yes/no value that a rule uses is malformed (or not UTF-8), or a row has the wrong number of fields. The value is read as empty; a ragged row is left out of every other rule.",
        fix: "Correct the value (dates yyyy-mm-dd, codes as whole numbers) or the row's quoting in the export.",
        needs: &[],
        check: integrity::int_003,
    },
    Rule {
        id: "INT-004",
        severity: Low,
        title: "Household cannot be judged for an unaccompanied minor",
        per: "household",
        why: "A member is under 18 on their EntryDate, another member's age is unknown, and no member is known to be an adult: whether the minor is unaccompanied cannot be decided.",
        fix: "Complete the DOB and DOBDataQuality of the household's members.",
        needs: &[],
        check: integrity::int_004,
    },
    Rule {
        id: "INT-005",
        severity: High,
        title: "Victim service provider enters client data",
        per: "organization",
        why: "The organization is a victim service provider (VictimServiceProvider = 1) and has enrollments: victim service providers must not enter client data into HMIS.",
        fix: "Move the provider's client data to a comparable database and remove it from HMIS, or correct VictimServiceProvider.",
        needs: &[],
        check: integrity::int_005,
    },
];

/// The rules as a Markdown page (docs/rules.md).
pub fn markdown() -> String {
    let mut s = String::from(
        "# hmis-audit rules\n\nGenerated from the rule registry (`src/rules/registry.rs`) by `hmis-audit rules --markdown`; a test keeps it in sync.\n\n| rule | severity | title |\n|---|---|---|\n",
    );
    for r in &RULES {
        s.push_str(&format!(
            "| {} | {} | {} |\n",
            r.id,
            r.severity.as_str(),
            r.title
        ));
    }
    for r in &RULES {
        s.push_str(&format!("\n## {}\n\n```text\n{}```\n", r.id, r.explain()));
    }
    s
}
