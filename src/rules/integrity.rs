//! INT-001..005: the export's own integrity: dangling references, duplicate
//! keys, unreadable values, undecidable households, victim service
//! providers with client data.

use std::collections::BTreeSet;

use rayon::prelude::*;

use super::Finding;
use crate::facts::Facts;
use crate::ingest::*;

/// Who a row is about: its client, acting agency and enrollment.
#[derive(Debug, Clone, Default)]
struct RowContext {
    personal_id: String,
    organization_id: String,
    enrollment_id: String,
}

/// What the integrity rules need to know of every record type.
trait RowFacts: Record {
    fn line(&self) -> u64;
    fn context(&self, f: &Facts<'_>) -> RowContext;
    /// The references of the row that point to no live row, described.
    fn dangling(&self, _f: &Facts<'_>) -> Vec<String> {
        Vec::new()
    }
    /// The PersonalID and EnrollmentID that `dangling` looks up ("" for
    /// none), so that INT-001 can prefetch them.
    fn refs(&self) -> (&str, &str) {
        ("", "")
    }
}

fn ctx(personal_id: &str, organization_id: &str, enrollment_id: &str) -> RowContext {
    RowContext {
        personal_id: personal_id.to_string(),
        organization_id: organization_id.to_string(),
        enrollment_id: enrollment_id.to_string(),
    }
}

/// The provider of an enrollment given by ID, where it resolves.
fn provider_by_enrollment<'a>(f: &Facts<'a>, enrollment_id: &str) -> &'a str {
    f.enrollments
        .get(enrollment_id)
        .and_then(|e| f.provider(e))
        .unwrap_or_default()
}

/// A dangling reference: non-empty and not found.
fn check(out: &mut Vec<String>, column: &str, value: &str, found: bool, target: &str) {
    if !value.is_empty() && !found {
        out.push(format!("{column} {value} has no live {target} row"));
    }
}

fn client_ref(out: &mut Vec<String>, f: &Facts<'_>, pid: &str) {
    check(
        out,
        "PersonalID",
        pid,
        f.clients.contains_key(pid),
        "Client.csv",
    );
}

fn enrollment_ref(out: &mut Vec<String>, f: &Facts<'_>, eid: &str) {
    check(
        out,
        "EnrollmentID",
        eid,
        f.enrollments.contains_key(eid),
        "Enrollment.csv",
    );
}

fn organization_ref(out: &mut Vec<String>, f: &Facts<'_>, column: &str, oid: &str) {
    check(
        out,
        column,
        oid,
        f.organizations.contains_key(oid),
        "Organization.csv",
    );
}

impl RowFacts for ExportRow {
    fn line(&self) -> u64 {
        self.line
    }
    fn context(&self, _f: &Facts<'_>) -> RowContext {
        RowContext::default()
    }
}

impl RowFacts for Organization {
    fn line(&self) -> u64 {
        self.line
    }
    fn context(&self, _f: &Facts<'_>) -> RowContext {
        ctx("", &self.id, "")
    }
}

impl RowFacts for Project {
    fn line(&self) -> u64 {
        self.line
    }
    fn context(&self, _f: &Facts<'_>) -> RowContext {
        ctx("", &self.organization_id, "")
    }
    fn dangling(&self, f: &Facts<'_>) -> Vec<String> {
        let mut out = Vec::new();
        organization_ref(&mut out, f, "OrganizationID", &self.organization_id);
        out
    }
}

impl RowFacts for Client {
    fn line(&self) -> u64 {
        self.line
    }
    fn context(&self, _f: &Facts<'_>) -> RowContext {
        ctx(&self.personal_id, "", "")
    }
}

impl RowFacts for Enrollment {
    fn line(&self) -> u64 {
        self.line
    }
    fn context(&self, f: &Facts<'_>) -> RowContext {
        ctx(
            &self.personal_id,
            f.provider(self).unwrap_or_default(),
            &self.id,
        )
    }
    fn refs(&self) -> (&str, &str) {
        (&self.personal_id, "")
    }
    fn dangling(&self, f: &Facts<'_>) -> Vec<String> {
        let mut out = Vec::new();
        client_ref(&mut out, f, &self.personal_id);
        check(
            &mut out,
            "ProjectID",
            &self.project_id,
            f.projects.contains_key(self.project_id.as_str()),
            "Project.csv",
        );
        out
    }
}

/// Child rows of an enrollment: Exit, HealthAndDV, Disabilities,
/// Assessment, AssessmentQuestions.
macro_rules! enrollment_child {
    ($t:ty) => {
        impl RowFacts for $t {
            fn line(&self) -> u64 {
                self.line
            }
            fn context(&self, f: &Facts<'_>) -> RowContext {
                ctx(
                    &self.personal_id,
                    provider_by_enrollment(f, &self.enrollment_id),
                    &self.enrollment_id,
                )
            }
            fn refs(&self) -> (&str, &str) {
                (&self.personal_id, &self.enrollment_id)
            }
            fn dangling(&self, f: &Facts<'_>) -> Vec<String> {
                let mut out = Vec::new();
                enrollment_ref(&mut out, f, &self.enrollment_id);
                client_ref(&mut out, f, &self.personal_id);
                out
            }
        }
    };
}

enrollment_child!(Exit);
enrollment_child!(HealthAndDv);
enrollment_child!(Disability);
enrollment_child!(Assessment);
enrollment_child!(AssessmentQuestion);

impl RowFacts for Roi {
    fn line(&self) -> u64 {
        self.line
    }
    fn context(&self, _f: &Facts<'_>) -> RowContext {
        ctx(&self.personal_id, &self.organization_id, "")
    }
    fn refs(&self) -> (&str, &str) {
        (&self.personal_id, "")
    }
    fn dangling(&self, f: &Facts<'_>) -> Vec<String> {
        let mut out = Vec::new();
        client_ref(&mut out, f, &self.personal_id);
        organization_ref(&mut out, f, "OrganizationID", &self.organization_id);
        out
    }
}

impl RowFacts for ClientVisibility {
    fn line(&self) -> u64 {
        self.line
    }
    fn context(&self, _f: &Facts<'_>) -> RowContext {
        ctx(&self.personal_id, &self.owner_organization_id, "")
    }
    fn refs(&self) -> (&str, &str) {
        (&self.personal_id, "")
    }
    fn dangling(&self, f: &Facts<'_>) -> Vec<String> {
        let mut out = Vec::new();
        client_ref(&mut out, f, &self.personal_id);
        organization_ref(
            &mut out,
            f,
            "OwnerOrganizationID",
            &self.owner_organization_id,
        );
        out
    }
}

impl RowFacts for VisibilityGroupMember {
    fn line(&self) -> u64 {
        self.line
    }
    fn context(&self, f: &Facts<'_>) -> RowContext {
        let organization = match self.member_type {
            MemberType::Organization => self.member_id.as_str(),
            MemberType::Project => f
                .projects
                .get(self.member_id.as_str())
                .map(|p| p.organization_id.as_str())
                .unwrap_or_default(),
            MemberType::Other => "",
        };
        ctx("", organization, "")
    }
    fn dangling(&self, f: &Facts<'_>) -> Vec<String> {
        let mut out = Vec::new();
        match self.member_type {
            MemberType::Organization => organization_ref(&mut out, f, "MemberID", &self.member_id),
            MemberType::Project => check(
                &mut out,
                "MemberID",
                &self.member_id,
                f.projects.contains_key(self.member_id.as_str()),
                "Project.csv",
            ),
            MemberType::Other => {}
        }
        out
    }
}

impl RowFacts for ClientVisibilityGroup {
    fn line(&self) -> u64 {
        self.line
    }
    fn context(&self, _f: &Facts<'_>) -> RowContext {
        ctx(&self.personal_id, "", "")
    }
    fn refs(&self) -> (&str, &str) {
        (&self.personal_id, "")
    }
    fn dangling(&self, f: &Facts<'_>) -> Vec<String> {
        let mut out = Vec::new();
        client_ref(&mut out, f, &self.personal_id);
        if !self.group_id.is_empty() && !f.groups.contains_key(self.group_id.as_str()) {
            out.push(format!(
                "VisibilityGroupID {} is not a visibility group with a live member row",
                self.group_id
            ));
        }
        out
    }
}

/// Calls `$f(facts, table, out)` for every table of the export.
macro_rules! each_table {
    ($facts:expr, $out:expr, $f:ident) => {{
        let x = $facts.export;
        $f($facts, &x.export, $out);
        $f($facts, &x.organizations, $out);
        $f($facts, &x.projects, $out);
        $f($facts, &x.clients, $out);
        $f($facts, &x.enrollments, $out);
        $f($facts, &x.exits, $out);
        $f($facts, &x.health_and_dv, $out);
        $f($facts, &x.disabilities, $out);
        $f($facts, &x.assessments, $out);
        $f($facts, &x.assessment_questions, $out);
        $f($facts, &x.rois, $out);
        $f($facts, &x.client_visibility, $out);
        $f($facts, &x.visibility_groups, $out);
        $f($facts, &x.client_visibility_groups, $out);
    }};
}

fn row_finding<T: RowFacts>(f: &Facts<'_>, table: &Table<T>, row: &T, message: String) -> Finding {
    let c = row.context(f);
    Finding {
        personal_id: c.personal_id,
        organization_id: c.organization_id,
        enrollment_id: c.enrollment_id,
        record_id: format!("{}:{}", table.file_name(), row.line()),
        message,
        ..Finding::default()
    }
}

/// INT-001: a row with references that point to no live row.
pub fn int_001(facts: &Facts<'_>) -> Vec<Finding> {
    fn table<T: RowFacts + Sync>(f: &Facts<'_>, t: &Table<T>, out: &mut Vec<Finding>) {
        // A lookup per reference of every row, at random places of the
        // indexes: the rows are checked in parallel, a few at a time with
        // their lookups prefetched first; the findings kept in file order.
        const FEW: usize = 16;
        out.par_extend(t.rows.par_chunks(FEW).flat_map_iter(|rows| {
            for row in rows {
                let (personal_id, enrollment_id) = row.refs();
                if !personal_id.is_empty() {
                    f.clients.prefetch(personal_id);
                }
                if !enrollment_id.is_empty() {
                    f.enrollments.prefetch(enrollment_id);
                }
            }
            rows.iter().filter_map(|row| {
                let dangling = row.dangling(f);
                (!dangling.is_empty()).then(|| {
                    let message = format!(
                        "{} line {}: {}. Correct the reference or restore the row it points to.",
                        t.file_name(),
                        row.line(),
                        dangling.join("; ")
                    );
                    row_finding(f, t, row, message)
                })
            })
        }));
    }
    let mut out = Vec::new();
    each_table!(facts, &mut out, table);
    out
}

/// INT-002: the 2nd and later live rows with a key already seen.
pub fn int_002(facts: &Facts<'_>) -> Vec<Finding> {
    fn table<T: RowFacts>(f: &Facts<'_>, t: &Table<T>, out: &mut Vec<Finding>) {
        if t.duplicates.is_empty() {
            return;
        }
        for d in &t.duplicates {
            let row = &d.row;
            let message = format!(
                "{} line {}: its primary key repeats the row on line {}; this row is ignored by every other rule. Remove or re-key it.",
                t.file_name(),
                row.line(),
                d.first_line
            );
            out.push(row_finding(f, t, row, message));
        }
    }
    let mut out = Vec::new();
    each_table!(facts, &mut out, table);
    out
}

/// INT-003: one per unreadable cell, and one per ragged row.
pub fn int_003(facts: &Facts<'_>) -> Vec<Finding> {
    fn table<T: RowFacts>(f: &Facts<'_>, t: &Table<T>, out: &mut Vec<Finding>) {
        if !t.cell_problems.is_empty() {
            // Rows and duplicates are each in file order: found by line.
            let at = |rows: &[T], line: u64| -> Option<usize> {
                rows.binary_search_by_key(&line, |r| r.line()).ok()
            };
            let row_on = |line: u64| -> Option<&T> {
                at(&t.rows, line).map(|i| &t.rows[i]).or_else(|| {
                    t.duplicates
                        .binary_search_by_key(&line, |d| d.row.line())
                        .ok()
                        .map(|i| &t.duplicates[i].row)
                })
            };
            for p in &t.cell_problems {
                let c = row_on(p.line).map(|r| r.context(f)).unwrap_or_default();
                out.push(Finding {
                    personal_id: c.personal_id,
                    organization_id: c.organization_id,
                    enrollment_id: c.enrollment_id,
                    record_id: format!("{}:{}:{}", t.file_name(), p.line, p.column),
                    message: format!(
                        "{} line {}, column {}: the value is not {}; it is read as empty.",
                        t.file_name(),
                        p.line,
                        p.column,
                        p.expected
                    ),
                    ..Finding::default()
                });
            }
        }
        for r in &t.ragged {
            out.push(Finding {
                record_id: format!("{}:{}", t.file_name(), r.line),
                message: format!(
                    "{} line {}: the row has {} fields but the header has {}; the row is left out of every other rule. Check its quoting and commas.",
                    t.file_name(),
                    r.line,
                    r.found,
                    r.expected
                ),
                ..Finding::default()
            });
        }
    }
    let mut out = Vec::new();
    each_table!(facts, &mut out, table);
    out
}

/// INT-004: households whose unaccompanied-minor test cannot decide.
pub fn int_004(facts: &Facts<'_>) -> Vec<Finding> {
    facts
        .undecided_households
        .iter()
        .map(|(h, provider)| Finding {
            organization_id: provider.unwrap_or_default().to_string(),
            record_id: h.to_string(),
            message: format!(
                "Household {h} has a member under 18, a member of unknown age and no member known to be an adult: complete the members' DOB and DOBDataQuality so the unaccompanied-minor test can decide."
            ),
            ..Finding::default()
        })
        .collect()
}

/// INT-005: a victim service provider with live enrollments.
pub fn int_005(facts: &Facts<'_>) -> Vec<Finding> {
    let victim_service: Vec<&Organization> = facts
        .export
        .organizations
        .rows
        .iter()
        .filter(|o| o.victim_service_provider == Some(1))
        .collect();
    // Which of them have enrollments: those of an enrollment whose project
    // is theirs (the provider of an enrollment, as `Facts::provider`).
    let wanted: BTreeSet<&str> = victim_service
        .iter()
        .map(|o| o.id.as_str())
        .filter(|id| !id.is_empty())
        .collect();
    let their_projects: BTreeSet<&str> = facts
        .export
        .projects
        .rows
        .iter()
        .filter(|p| wanted.contains(p.organization_id.as_str()))
        .map(|p| p.id.as_str())
        .collect();
    let with_enrollments: BTreeSet<&str> = if their_projects.is_empty() {
        BTreeSet::new()
    } else {
        facts
            .export
            .enrollments
            .rows
            .par_iter()
            .filter(|e| their_projects.contains(e.project_id.as_str()))
            .filter_map(|e| facts.provider(e))
            .collect()
    };
    victim_service
        .into_iter()
        .filter(|o| with_enrollments.contains(o.id.as_str()))
        .map(|o| Finding {
            organization_id: o.id.to_string(),
            message: format!(
                "Organization {} is a victim service provider and has enrollments in HMIS: victim service providers must not enter client data into HMIS.",
                o.id
            ),
            ..Finding::default()
        })
        .collect()
}
