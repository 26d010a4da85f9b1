//! HUD FY2024 column lists of the files the generator writes, and the
//! vendor extension files of the spec's section 2.2.

pub const EXPORT: &[&str] = &[
    "ExportID", "SourceType", "SourceID", "SourceName", "SourceContactFirst", "SourceContactLast",
    "SourceContactPhone", "SourceContactExtension", "SourceContactEmail", "ExportDate",
    "ExportStartDate", "ExportEndDate", "SoftwareName", "SoftwareVersion", "CSVVersion",
    "ExportPeriodType", "ExportDirective", "HashStatus", "ImplementationID",
];

pub const ORGANIZATION: &[&str] = &[
    "OrganizationID", "OrganizationName", "VictimServiceProvider", "OrganizationCommonName",
    "DateCreated", "DateUpdated", "UserID", "DateDeleted", "ExportID",
];

pub const PROJECT: &[&str] = &[
    "ProjectID", "OrganizationID", "ProjectName", "ProjectCommonName", "OperatingStartDate",
    "OperatingEndDate", "ContinuumProject", "ProjectType", "HousingType", "RRHSubType",
    "ResidentialAffiliation", "TargetPopulation", "HOPWAMedAssistedLivingFac", "PITCount",
    "DateCreated", "DateUpdated", "UserID", "DateDeleted", "ExportID",
];

pub const CLIENT: &[&str] = &[
    "PersonalID", "FirstName", "MiddleName", "LastName", "NameSuffix", "NameDataQuality", "SSN",
    "SSNDataQuality", "DOB", "DOBDataQuality", "AmIndAKNative", "Asian", "BlackAfAmerican",
    "HispanicLatinaeo", "MidEastNAfrican", "NativeHIPacific", "White", "RaceNone",
    "AdditionalRaceEthnicity", "Woman", "Man", "NonBinary", "CulturallySpecific", "Transgender",
    "Questioning", "DifferentIdentity", "GenderNone", "DifferentIdentityText", "VeteranStatus",
    "YearEnteredService", "YearSeparated", "WorldWarII", "KoreanWar", "VietnamWar", "DesertStorm",
    "AfghanistanOEF", "IraqOIF", "IraqOND", "OtherTheater", "MilitaryBranch", "DischargeStatus",
    "DateCreated", "DateUpdated", "UserID", "DateDeleted", "ExportID",
];

pub const ENROLLMENT: &[&str] = &[
    "EnrollmentID", "PersonalID", "ProjectID", "EntryDate", "HouseholdID", "RelationshipToHoH",
    "EnrollmentCoC", "LivingSituation", "RentalSubsidyType", "LengthOfStay", "LOSUnderThreshold",
    "PreviousStreetESSH", "DateToStreetESSH", "TimesHomelessPastThreeYears",
    "MonthsHomelessPastThreeYears", "DisablingCondition", "DateOfEngagement", "MoveInDate",
    "DateOfPATHStatus", "ClientEnrolledInPATH", "ReasonNotEnrolled", "PercentAMI",
    "ReferralSource", "CountOutreachReferralApproaches", "DateOfBCPStatus", "EligibleForRHY",
    "ReasonNoServices", "RunawayYouth", "SexualOrientation", "SexualOrientationOther",
    "FormerWardChildWelfare", "ChildWelfareYears", "ChildWelfareMonths",
    "FormerWardJuvenileJustice", "JuvenileJusticeYears", "JuvenileJusticeMonths",
    "UnemploymentFam", "MentalHealthDisorderFam", "PhysicalDisabilityFam",
    "AlcoholDrugUseDisorderFam", "InsufficientIncome", "IncarceratedParent", "VAMCStation",
    "TargetScreenReqd", "TimeToHousingLoss", "AnnualPercentAMI", "LiteralHomelessHistory",
    "ClientLeaseholder", "HOHLeaseholder", "SubsidyAtRisk", "EvictionHistory", "CriminalRecord",
    "IncarceratedAdult", "PrisonDischarge", "SexOffender", "DisabledHoH", "CurrentPregnant",
    "SingleParent", "DependentUnder6", "HH5Plus", "CoCPrioritized", "HPScreeningScore",
    "ThresholdScore", "TranslationNeeded", "PreferredLanguage", "PreferredLanguageDifferent",
    "DateCreated", "DateUpdated", "UserID", "DateDeleted", "ExportID",
];

pub const EXIT: &[&str] = &[
    "ExitID", "EnrollmentID", "PersonalID", "ExitDate", "Destination", "DestinationSubsidyType",
    "OtherDestination", "HousingAssessment", "SubsidyInformation", "ProjectCompletionStatus",
    "EarlyExitReason", "ExchangeForSex", "ExchangeForSexPastThreeMonths", "CountOfExchangeForSex",
    "AskedOrForcedToExchangeForSex", "AskedOrForcedToExchangeForSexPastThreeMonths",
    "WorkplaceViolenceThreats", "WorkplacePromiseDifference", "CoercedToContinueWork",
    "LaborExploitPastThreeMonths", "CounselingReceived", "IndividualCounseling",
    "FamilyCounseling", "GroupCounseling", "SessionCountAtExit", "PostExitCounselingPlan",
    "SessionsInPlan", "DestinationSafeClient", "DestinationSafeWorker", "PosAdultConnections",
    "PosPeerConnections", "PosCommunityConnections", "AftercareDate", "AftercareProvided",
    "EmailSocialMedia", "Telephone", "InPersonIndividual", "InPersonGroup", "CMExitReason",
    "DateCreated", "DateUpdated", "UserID", "DateDeleted", "ExportID",
];

pub const HEALTH_AND_DV: &[&str] = &[
    "HealthAndDVID", "EnrollmentID", "PersonalID", "InformationDate", "DomesticViolenceSurvivor",
    "WhenOccurred", "CurrentlyFleeing", "GeneralHealthStatus", "DentalHealthStatus",
    "MentalHealthStatus", "PregnancyStatus", "DueDate", "DataCollectionStage", "DateCreated",
    "DateUpdated", "UserID", "DateDeleted", "ExportID",
];

pub const DISABILITIES: &[&str] = &[
    "DisabilitiesID", "EnrollmentID", "PersonalID", "InformationDate", "DisabilityType",
    "DisabilityResponse", "IndefiniteAndImpairs", "TCellCountAvailable", "TCellCount",
    "TCellSource", "ViralLoadAvailable", "ViralLoad", "ViralLoadSource", "AntiRetroviral",
    "DataCollectionStage", "DateCreated", "DateUpdated", "UserID", "DateDeleted", "ExportID",
];

pub const ASSESSMENT: &[&str] = &[
    "AssessmentID", "EnrollmentID", "PersonalID", "AssessmentDate", "AssessmentLocation",
    "AssessmentType", "AssessmentLevel", "PrioritizationStatus", "DateCreated", "DateUpdated",
    "UserID", "DateDeleted", "ExportID",
];

pub const ASSESSMENT_QUESTIONS: &[&str] = &[
    "AssessmentQuestionID", "AssessmentID", "EnrollmentID", "PersonalID",
    "AssessmentQuestionGroup", "AssessmentQuestionOrder", "AssessmentQuestion",
    "AssessmentAnswer", "DateCreated", "DateUpdated", "UserID", "DateDeleted", "ExportID",
];

pub const ROI: &[&str] = &[
    "ROIID", "PersonalID", "OrganizationID", "ReleaseGranted", "Documentation", "StartDate",
    "EndDate", "Witness", "DateDeleted",
];

pub const CLIENT_VISIBILITY: &[&str] = &["PersonalID", "OwnerOrganizationID", "Locked", "Restricted"];

pub const VISIBILITY_GROUP: &[&str] = &[
    "VisibilityGroupID", "VisibilityGroupName", "MemberType", "MemberID", "DateDeleted",
];

pub const CLIENT_VISIBILITY_GROUP: &[&str] = &["PersonalID", "VisibilityGroupID", "DateDeleted"];
