//! The typed record of each input file, read from the columns of its schema
//! (the column indexes below follow the order of `schema.rs`).

use std::borrow::Cow;

use chrono::NaiveDate;

use super::schema::{self, FileSpec};
use super::values::Documentation;
use super::{Cells, Id, Record};

#[derive(Debug, Clone)]
pub struct ExportRow {
    pub export_id: Id,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub software_name: String,
    pub csv_version: String,
    pub line: u64,
}

impl Record for ExportRow {
    const SPEC: &'static FileSpec = &schema::EXPORT;
    fn read(c: &mut Cells<'_>) -> Self {
        ExportRow {
            export_id: c.id(0),
            start_date: c.date(1),
            end_date: c.date(2),
            software_name: c.text(3),
            csv_version: c.text(4),
            line: c.line(),
        }
    }
    fn key(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.export_id)
    }
}

#[derive(Debug, Clone)]
pub struct Organization {
    pub id: Id,
    pub name: String,
    pub victim_service_provider: Option<i32>,
    pub line: u64,
}

impl Record for Organization {
    const SPEC: &'static FileSpec = &schema::ORGANIZATION;
    fn read(c: &mut Cells<'_>) -> Self {
        Organization {
            id: c.id(0),
            name: c.text(1),
            victim_service_provider: c.code(2),
            line: c.line(),
        }
    }
    fn key(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.id)
    }
}

#[derive(Debug, Clone)]
pub struct Project {
    pub id: Id,
    pub organization_id: Id,
    pub name: String,
    pub project_type: Option<i32>,
    pub line: u64,
}

impl Record for Project {
    const SPEC: &'static FileSpec = &schema::PROJECT;
    fn read(c: &mut Cells<'_>) -> Self {
        Project {
            id: c.id(0),
            organization_id: c.id(1),
            name: c.text(2),
            project_type: c.code(3),
            line: c.line(),
        }
    }
    fn key(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.id)
    }
}

#[derive(Debug, Clone)]
pub struct Client {
    pub personal_id: Id,
    pub dob: Option<NaiveDate>,
    pub dob_data_quality: Option<i32>,
    pub line: u64,
}

impl Record for Client {
    const SPEC: &'static FileSpec = &schema::CLIENT;
    fn read(c: &mut Cells<'_>) -> Self {
        Client {
            personal_id: c.id(0),
            dob: c.date(1),
            dob_data_quality: c.code(2),
            line: c.line(),
        }
    }
    fn key(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.personal_id)
    }
}

#[derive(Debug, Clone)]
pub struct Enrollment {
    pub id: Id,
    pub personal_id: Id,
    pub project_id: Id,
    pub entry_date: Option<NaiveDate>,
    pub household_id: Id,
    pub relationship_to_hoh: Option<i32>,
    pub line: u64,
}

impl Record for Enrollment {
    const SPEC: &'static FileSpec = &schema::ENROLLMENT;
    fn read(c: &mut Cells<'_>) -> Self {
        Enrollment {
            id: c.id(0),
            personal_id: c.id(1),
            project_id: c.id(2),
            entry_date: c.date(3),
            household_id: c.id(4),
            relationship_to_hoh: c.code(5),
            line: c.line(),
        }
    }
    fn key(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.id)
    }
}

#[derive(Debug, Clone)]
pub struct Exit {
    pub id: Id,
    pub enrollment_id: Id,
    pub personal_id: Id,
    pub exit_date: Option<NaiveDate>,
    /// AskedOrForcedToExchangeForSex, CoercedToContinueWork,
    /// WorkplaceViolenceThreats, WorkplacePromiseDifference.
    pub trafficking_answers: [Option<i32>; 4],
    pub line: u64,
}

impl Record for Exit {
    const SPEC: &'static FileSpec = &schema::EXIT;
    fn read(c: &mut Cells<'_>) -> Self {
        Exit {
            id: c.id(0),
            enrollment_id: c.id(1),
            personal_id: c.id(2),
            exit_date: c.date(3),
            trafficking_answers: [c.code(4), c.code(5), c.code(6), c.code(7)],
            line: c.line(),
        }
    }
    fn key(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.id)
    }
}

#[derive(Debug, Clone)]
pub struct HealthAndDv {
    pub id: Id,
    pub enrollment_id: Id,
    pub personal_id: Id,
    pub information_date: Option<NaiveDate>,
    pub domestic_violence_survivor: Option<i32>,
    pub currently_fleeing: Option<i32>,
    pub data_collection_stage: Option<i32>,
    pub line: u64,
}

impl HealthAndDv {
    /// CurrentlyFleeing 1: a DV trigger.
    pub fn reports_fleeing(&self) -> bool {
        self.currently_fleeing == Some(1)
    }
}

impl Record for HealthAndDv {
    const SPEC: &'static FileSpec = &schema::HEALTH_AND_DV;
    fn read(c: &mut Cells<'_>) -> Self {
        HealthAndDv {
            id: c.id(0),
            enrollment_id: c.id(1),
            personal_id: c.id(2),
            information_date: c.date(3),
            domestic_violence_survivor: c.code(4),
            currently_fleeing: c.code(5),
            data_collection_stage: c.code(6),
            line: c.line(),
        }
    }
    fn key(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.id)
    }
}

#[derive(Debug, Clone)]
pub struct Disability {
    pub id: Id,
    pub enrollment_id: Id,
    pub personal_id: Id,
    pub information_date: Option<NaiveDate>,
    pub disability_type: Option<i32>,
    pub disability_response: Option<i32>,
    pub data_collection_stage: Option<i32>,
    pub line: u64,
}

impl Disability {
    /// DisabilityType 8 (HIV/AIDS) with DisabilityResponse 1: an HIV trigger.
    pub fn reports_hiv(&self) -> bool {
        self.disability_type == Some(8) && self.disability_response == Some(1)
    }
}

impl Record for Disability {
    const SPEC: &'static FileSpec = &schema::DISABILITIES;
    fn read(c: &mut Cells<'_>) -> Self {
        Disability {
            id: c.id(0),
            enrollment_id: c.id(1),
            personal_id: c.id(2),
            information_date: c.date(3),
            disability_type: c.code(4),
            disability_response: c.code(5),
            data_collection_stage: c.code(6),
            line: c.line(),
        }
    }
    fn key(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.id)
    }
}

#[derive(Debug, Clone)]
pub struct Assessment {
    pub id: Id,
    pub enrollment_id: Id,
    pub personal_id: Id,
    pub assessment_date: Option<NaiveDate>,
    pub line: u64,
}

impl Record for Assessment {
    const SPEC: &'static FileSpec = &schema::ASSESSMENT;
    fn read(c: &mut Cells<'_>) -> Self {
        Assessment {
            id: c.id(0),
            enrollment_id: c.id(1),
            personal_id: c.id(2),
            assessment_date: c.date(3),
            line: c.line(),
        }
    }
    fn key(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.id)
    }
}

#[derive(Debug, Clone)]
pub struct AssessmentQuestion {
    pub id: Id,
    pub assessment_id: Id,
    pub enrollment_id: Id,
    pub personal_id: Id,
    pub question: String,
    pub answer: String,
    pub line: u64,
}

impl Record for AssessmentQuestion {
    const SPEC: &'static FileSpec = &schema::ASSESSMENT_QUESTIONS;
    fn read(c: &mut Cells<'_>) -> Self {
        AssessmentQuestion {
            id: c.id(0),
            assessment_id: c.id(1),
            enrollment_id: c.id(2),
            personal_id: c.id(3),
            question: c.text(4),
            answer: c.text(5),
            line: c.line(),
        }
    }
    fn key(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.id)
    }
}

/// One Release of Information entry (vendor extension file).
#[derive(Debug, Clone)]
pub struct Roi {
    pub id: Id,
    pub personal_id: Id,
    pub organization_id: Id,
    pub release_granted: Option<bool>,
    pub documentation: Documentation,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub line: u64,
}

impl Record for Roi {
    const SPEC: &'static FileSpec = &schema::RELEASE_OF_INFORMATION;
    fn read(c: &mut Cells<'_>) -> Self {
        Roi {
            id: c.id(0),
            personal_id: c.id(1),
            organization_id: c.id(2),
            release_granted: c.yes_no(3),
            documentation: Documentation::parse(&c.id(4)),
            start_date: c.date(5),
            end_date: c.date(6),
            line: c.line(),
        }
    }
    fn key(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.id)
    }
}

impl Roi {
    /// Limited Sharing, No Sharing, or ReleaseGranted 0.
    pub fn is_restrictive(&self) -> bool {
        matches!(
            self.documentation,
            Documentation::Limited | Documentation::NoSharing
        ) || self.release_granted == Some(false)
    }

    /// StartDate <= d and (EndDate empty or EndDate >= d). An ROI without a
    /// readable StartDate is never active.
    pub fn is_active_on(&self, d: NaiveDate) -> bool {
        match self.start_date {
            Some(s) => s <= d && self.end_date.is_none_or(|e| e >= d),
            None => false,
        }
    }
}

/// The record's current lock state (vendor extension file).
#[derive(Debug, Clone)]
pub struct ClientVisibility {
    pub personal_id: Id,
    pub owner_organization_id: Id,
    /// Yes only for `1` or `Yes`.
    pub locked: bool,
    pub restricted: bool,
    pub line: u64,
}

impl Record for ClientVisibility {
    const SPEC: &'static FileSpec = &schema::CLIENT_VISIBILITY;
    fn read(c: &mut Cells<'_>) -> Self {
        ClientVisibility {
            personal_id: c.id(0),
            owner_organization_id: c.id(1),
            locked: c.yes_no(2) == Some(true),
            restricted: c.yes_no(3) == Some(true),
            line: c.line(),
        }
    }
    fn key(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.personal_id)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MemberType {
    Organization,
    Project,
    Other,
}

/// One member of a visibility group (vendor extension file).
#[derive(Debug, Clone)]
pub struct VisibilityGroupMember {
    pub group_id: Id,
    pub group_name: String,
    pub member_type: MemberType,
    pub member_type_raw: Id,
    pub member_id: Id,
    pub line: u64,
}

impl Record for VisibilityGroupMember {
    const SPEC: &'static FileSpec = &schema::VISIBILITY_GROUP;
    fn read(c: &mut Cells<'_>) -> Self {
        let member_type_raw = c.id(2);
        let member_type = if member_type_raw.eq_ignore_ascii_case("organization") {
            MemberType::Organization
        } else if member_type_raw.eq_ignore_ascii_case("project") {
            MemberType::Project
        } else {
            MemberType::Other
        };
        VisibilityGroupMember {
            group_id: c.id(0),
            group_name: c.text(1),
            member_type,
            member_type_raw,
            member_id: c.id(3),
            line: c.line(),
        }
    }
    fn key(&self) -> Cow<'_, str> {
        Cow::Owned(format!(
            "{}\u{1f}{}\u{1f}{}",
            self.group_id,
            self.member_type_raw.to_lowercase(),
            self.member_id
        ))
    }
}

/// One group on a client's visibility list (vendor extension file).
#[derive(Debug, Clone)]
pub struct ClientVisibilityGroup {
    pub personal_id: Id,
    pub group_id: Id,
    pub line: u64,
}

impl Record for ClientVisibilityGroup {
    const SPEC: &'static FileSpec = &schema::CLIENT_VISIBILITY_GROUP;
    fn read(c: &mut Cells<'_>) -> Self {
        ClientVisibilityGroup {
            personal_id: c.id(0),
            group_id: c.id(1),
            line: c.line(),
        }
    }
    fn key(&self) -> Cow<'_, str> {
        Cow::Owned(format!("{}\u{1f}{}", self.personal_id, self.group_id))
    }
}
