//! One schema table per input file: the columns the rules use (spec sections
//! 2.1 and 2.2), which are required, and the version aliases.

/// One column the auditor reads.
#[derive(Debug)]
pub struct ColumnSpec {
    /// The name in the spec (and in HUD's FY2024 format).
    pub name: &'static str,
    /// Other names that stand in for it (older or newer HUD versions).
    pub aliases: &'static [&'static str],
    /// A present file without this column is a usage error (exit 2).
    pub required: bool,
}

const fn req(name: &'static str) -> ColumnSpec {
    ColumnSpec {
        name,
        aliases: &[],
        required: true,
    }
}

const fn opt(name: &'static str) -> ColumnSpec {
    ColumnSpec {
        name,
        aliases: &[],
        required: false,
    }
}

/// One input file of the export.
#[derive(Debug)]
pub struct FileSpec {
    /// The file name in the spec; found on disk case-insensitively.
    pub name: &'static str,
    /// Missing required file: exit 2.
    pub required: bool,
    /// A vendor extension file (section 2.2): its columns and values can be
    /// renamed in the configuration.
    pub extension: bool,
    /// Columns read, in the order the record types index them. The last one
    /// is always DateDeleted.
    pub columns: &'static [ColumnSpec],
}

impl FileSpec {
    pub fn stem(&self) -> &'static str {
        self.name.trim_end_matches(".csv")
    }
}

const DATE_DELETED: ColumnSpec = opt("DateDeleted");

pub const EXPORT: FileSpec = FileSpec {
    name: "Export.csv",
    required: false,
    extension: false,
    columns: &[
        req("ExportID"),
        req("ExportStartDate"),
        req("ExportEndDate"),
        opt("SoftwareName"),
        opt("CSVVersion"),
        DATE_DELETED,
    ],
};

pub const ORGANIZATION: FileSpec = FileSpec {
    name: "Organization.csv",
    required: true,
    extension: false,
    columns: &[
        req("OrganizationID"),
        req("OrganizationName"),
        req("VictimServiceProvider"),
        DATE_DELETED,
    ],
};

pub const PROJECT: FileSpec = FileSpec {
    name: "Project.csv",
    required: true,
    extension: false,
    columns: &[
        req("ProjectID"),
        req("OrganizationID"),
        req("ProjectName"),
        req("ProjectType"),
        DATE_DELETED,
    ],
};

pub const CLIENT: FileSpec = FileSpec {
    name: "Client.csv",
    required: true,
    extension: false,
    columns: &[
        req("PersonalID"),
        req("DOB"),
        req("DOBDataQuality"),
        DATE_DELETED,
    ],
};

pub const ENROLLMENT: FileSpec = FileSpec {
    name: "Enrollment.csv",
    required: true,
    extension: false,
    columns: &[
        req("EnrollmentID"),
        req("PersonalID"),
        req("ProjectID"),
        req("EntryDate"),
        req("HouseholdID"),
        req("RelationshipToHoH"),
        DATE_DELETED,
    ],
};

pub const EXIT: FileSpec = FileSpec {
    name: "Exit.csv",
    required: false,
    extension: false,
    columns: &[
        req("ExitID"),
        req("EnrollmentID"),
        req("PersonalID"),
        req("ExitDate"),
        req("AskedOrForcedToExchangeForSex"),
        req("CoercedToContinueWork"),
        req("WorkplaceViolenceThreats"),
        req("WorkplacePromiseDifference"),
        DATE_DELETED,
    ],
};

pub const HEALTH_AND_DV: FileSpec = FileSpec {
    name: "HealthAndDV.csv",
    required: false,
    extension: false,
    columns: &[
        req("HealthAndDVID"),
        req("EnrollmentID"),
        req("PersonalID"),
        req("InformationDate"),
        ColumnSpec {
            name: "DomesticViolenceSurvivor",
            aliases: &["DomesticViolenceVictim"],
            required: true,
        },
        req("CurrentlyFleeing"),
        req("DataCollectionStage"),
        DATE_DELETED,
    ],
};

pub const DISABILITIES: FileSpec = FileSpec {
    name: "Disabilities.csv",
    required: false,
    extension: false,
    columns: &[
        req("DisabilitiesID"),
        req("EnrollmentID"),
        req("PersonalID"),
        req("InformationDate"),
        req("DisabilityType"),
        req("DisabilityResponse"),
        req("DataCollectionStage"),
        DATE_DELETED,
    ],
};

pub const ASSESSMENT: FileSpec = FileSpec {
    name: "Assessment.csv",
    required: false,
    extension: false,
    columns: &[
        req("AssessmentID"),
        req("EnrollmentID"),
        req("PersonalID"),
        req("AssessmentDate"),
        DATE_DELETED,
    ],
};

pub const ASSESSMENT_QUESTIONS: FileSpec = FileSpec {
    name: "AssessmentQuestions.csv",
    required: false,
    extension: false,
    columns: &[
        req("AssessmentQuestionID"),
        req("AssessmentID"),
        req("EnrollmentID"),
        req("PersonalID"),
        req("AssessmentQuestion"),
        req("AssessmentAnswer"),
        DATE_DELETED,
    ],
};

pub const RELEASE_OF_INFORMATION: FileSpec = FileSpec {
    name: "ReleaseOfInformation.csv",
    required: false,
    extension: true,
    columns: &[
        req("ROIID"),
        req("PersonalID"),
        req("OrganizationID"),
        req("ReleaseGranted"),
        req("Documentation"),
        req("StartDate"),
        req("EndDate"),
        opt("Witness"),
        DATE_DELETED,
    ],
};

pub const CLIENT_VISIBILITY: FileSpec = FileSpec {
    name: "ClientVisibility.csv",
    required: false,
    extension: true,
    columns: &[
        req("PersonalID"),
        req("OwnerOrganizationID"),
        req("Locked"),
        req("Restricted"),
        DATE_DELETED,
    ],
};

pub const VISIBILITY_GROUP: FileSpec = FileSpec {
    name: "VisibilityGroup.csv",
    required: false,
    extension: true,
    columns: &[
        req("VisibilityGroupID"),
        req("VisibilityGroupName"),
        req("MemberType"),
        req("MemberID"),
        DATE_DELETED,
    ],
};

pub const CLIENT_VISIBILITY_GROUP: FileSpec = FileSpec {
    name: "ClientVisibilityGroup.csv",
    required: false,
    extension: true,
    columns: &[req("PersonalID"), req("VisibilityGroupID"), DATE_DELETED],
};

pub const EXTENSION_FILES: [&FileSpec; 4] = [
    &RELEASE_OF_INFORMATION,
    &CLIENT_VISIBILITY,
    &VISIBILITY_GROUP,
    &CLIENT_VISIBILITY_GROUP,
];

pub fn extension_by_stem(stem: &str) -> Option<&'static FileSpec> {
    EXTENSION_FILES.iter().copied().find(|f| f.stem() == stem)
}
