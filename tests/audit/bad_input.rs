//! Bad input (spec section 7): a clear message naming file, line and
//! column, or the exact INT-003 row; never a panic; no row lost silently.

use crate::helpers::*;

#[test]
fn the_minimal_export_is_clean() {
    let dir = minimal_export(&[]);
    let run = audit(dir.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.exceptions().is_empty(), "{}", run.exceptions_text());
    assert_accounted(&run);
}

#[test]
fn a_missing_required_file_exits_2_naming_it() {
    for file in [
        "Organization.csv",
        "Project.csv",
        "Client.csv",
        "Enrollment.csv",
    ] {
        let dir = minimal_export(&[(file, None)]);
        let run = audit(dir.path(), &[]);
        assert_eq!(run.code, 2, "{file}");
        assert!(run.stderr.contains(file), "{file}: {}", run.stderr);
        assert!(!run.out.exists());
    }
}

#[test]
fn a_missing_required_column_exits_2_naming_file_and_column() {
    let dir = minimal_export(&[(
        "Client.csv",
        Some(b"PersonalID,DOBDataQuality\nC1,1\n".as_slice()),
    )]);
    let run = audit(dir.path(), &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("Client.csv") && run.stderr.contains("DOB"),
        "{}",
        run.stderr
    );

    // An optional file that is present must have its columns too.
    let dir = minimal_export(&[(
        "HealthAndDV.csv",
        Some(b"HealthAndDVID,EnrollmentID,PersonalID,InformationDate,CurrentlyFleeing,DataCollectionStage\n".as_slice()),
    )]);
    let run = audit(dir.path(), &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("HealthAndDV.csv") && run.stderr.contains("DomesticViolenceSurvivor"),
        "{}",
        run.stderr
    );
}

#[test]
fn empty_and_header_only_files() {
    // A zero-byte optional file: a warning, read as no rows.
    let dir = minimal_export(&[("Exit.csv", Some(b"".as_slice()))]);
    let run = audit(dir.path(), &["--as-of", "2024-06-30"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let warnings = run.summary()["warnings"].to_string();
    assert!(warnings.contains("Exit.csv"), "{warnings}");

    // A zero-byte required file: unusable.
    let dir = minimal_export(&[("Client.csv", Some(b"".as_slice()))]);
    let run = audit(dir.path(), &[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("Client.csv"), "{}", run.stderr);

    // Header only: no rows, no problem.
    let dir = minimal_export(&[(
        "Exit.csv",
        Some(b"ExitID,EnrollmentID,PersonalID,ExitDate,AskedOrForcedToExchangeForSex,CoercedToContinueWork,WorkplaceViolenceThreats,WorkplacePromiseDifference\n".as_slice()),
    )]);
    let run = audit(dir.path(), &[]);
    assert_eq!(run.code, 0);
    assert_eq!(run.file_rows("Exit.csv")["read"], 0);
}

#[test]
fn bom_crlf_and_reordered_extra_columns_read_the_same() {
    let dir = minimal_export(&[
        (
            "Client.csv",
            Some(b"\xEF\xBB\xBF DOBDataQuality ,Extra,dob,\"PERSONALID\"\r\n1,x,1980-01-01,C1\r\n1,y,1990-02-30,C2\r\n".as_slice()),
        ),
    ]);
    let run = audit(dir.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = run.exceptions();
    assert_eq!(rows.len(), 1, "{}", run.exceptions_text());
    assert_eq!(
        key(&rows[0]),
        ["INT-003", "C2", "", "", "Client.csv:3:dob", "", ""]
    );
    assert_eq!(run.file_rows("Client.csv")["live"], 2);
}

#[test]
fn quoted_commas_quotes_and_newlines_keep_line_numbers() {
    let dir = minimal_export(&[(
        "Project.csv",
        Some(b"ProjectID,OrganizationID,ProjectName,ProjectType\nP1,O1,\"Shelter, \"\"North\"\"\nsecond line\",0\nP2,O1,Outreach,1.0\n".as_slice()),
    )]);
    let run = audit(dir.path(), &[]);
    assert_eq!(run.code, 0);
    let rows = run.exceptions();
    assert_eq!(rows.len(), 1, "{}", run.exceptions_text());
    assert_eq!(
        key(&rows[0]),
        ["INT-003", "", "O1", "", "Project.csv:4:ProjectType", "", ""]
    );
}

#[test]
fn ragged_rows_are_reported_and_set_aside() {
    let dir = minimal_export(&[(
        "Enrollment.csv",
        Some(b"EnrollmentID,PersonalID,ProjectID,EntryDate,HouseholdID,RelationshipToHoH\nE1,C1,P1,2024-01-01,H1,1\nE2,C2,P1\nE3,C2,P1,2024-01-01,H3,1,extra\n".as_slice()),
    )]);
    let run = audit(dir.path(), &[]);
    assert_eq!(run.code, 0);
    let mut got: Vec<_> = run.exceptions().iter().map(key).collect();
    got.sort();
    assert_eq!(
        got,
        [
            ["INT-003", "", "", "", "Enrollment.csv:3", "", ""],
            ["INT-003", "", "", "", "Enrollment.csv:4", "", ""],
        ]
    );
    let rows = run.file_rows("Enrollment.csv");
    assert_eq!(
        (rows["read"].as_u64(), rows["rejected"].as_u64()),
        (Some(3), Some(2))
    );
    assert_accounted(&run);
}

#[test]
fn invalid_utf8_is_int_003_only_in_used_columns() {
    let dir = minimal_export(&[
        (
            "Organization.csv",
            Some(
                b"OrganizationID,OrganizationName,VictimServiceProvider\nO1,Caf\xe9,0\n".as_slice(),
            ),
        ),
        (
            "Client.csv",
            Some(
                b"PersonalID,DOB,DOBDataQuality\nC1,1980-01-01,1\nC2,19\xff0-01-01,1\n".as_slice(),
            ),
        ),
    ]);
    let run = audit(dir.path(), &[]);
    assert_eq!(run.code, 0);
    let got: Vec<_> = run.exceptions().iter().map(key).collect();
    assert_eq!(got, [["INT-003", "C2", "", "", "Client.csv:3:DOB", "", ""]]);
}

#[test]
fn deleted_rows_are_counted_not_validated() {
    let dir = minimal_export(&[(
        "Client.csv",
        Some(b"PersonalID,DOB,DOBDataQuality,DateDeleted\nC1,1980-01-01,1,\nC2,1990-01-01,1,  \nC3,not a date,x,garbage\nC1,1980-01-01,1,2024-01-01\n".as_slice()),
    )]);
    let run = audit(dir.path(), &[]);
    assert_eq!(run.code, 0);
    assert!(run.exceptions().is_empty(), "{}", run.exceptions_text());
    let rows = run.file_rows("Client.csv");
    assert_eq!(
        (rows["live"].as_u64(), rows["deleted"].as_u64()),
        (Some(2), Some(2))
    );
}

#[test]
fn files_and_headers_are_found_case_insensitively_first_header_wins() {
    let dir = minimal_export(&[
        ("Client.csv", None),
        (
            "CLIENT.CSV",
            Some(
                b"personalid,DOB,dobdataquality,DOB\nC1,1980-01-01,1,garbage\nC2,1990-01-01,1,x\n"
                    .as_slice(),
            ),
        ),
    ]);
    let run = audit(dir.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.exceptions().is_empty(), "{}", run.exceptions_text());
    let s = run.summary();
    let client = s["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"] == "Client.csv")
        .unwrap()
        .clone();
    assert_eq!(client["name_on_disk"], "CLIENT.CSV");
}

#[test]
fn unusable_folders_exit_2() {
    let run = audit(std::path::Path::new("/nonexistent/export"), &[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("/nonexistent/export"), "{}", run.stderr);

    let dir = minimal_export(&[]);
    let file = dir.path().join("Client.csv");
    let run = audit(&file, &[]);
    assert_eq!(run.code, 2);

    let dir = minimal_export(&[("Client.csv", None)]);
    std::fs::create_dir(dir.path().join("Client.csv")).unwrap();
    let run = audit(dir.path(), &[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("Client.csv"), "{}", run.stderr);
}

#[test]
fn errors_never_print_client_data() {
    // A malformed DOB is reported by position, not by value.
    let dir = minimal_export(&[(
        "Client.csv",
        Some(b"PersonalID,DOB,DOBDataQuality\nC1,07/04/1976,1\n".as_slice()),
    )]);
    let run = audit(dir.path(), &[]);
    assert!(!run.exceptions_text().contains("07/04/1976"));
    assert!(!run.stderr.contains("07/04/1976"));
}
