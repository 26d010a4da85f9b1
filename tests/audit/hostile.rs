//! Hostile and broken exports (issue: hardening): every class of the spec's
//! section 7 and more. Each gives a clear message or the exact INT-003 row,
//! the exit code the spec gives, no panic, and read = live + deleted +
//! rejected for every file.

use crate::helpers::*;

fn export(changes: &[(&str, &[u8])]) -> tempfile::TempDir {
    let replaced: Vec<(&str, Option<&[u8]>)> =
        changes.iter().map(|(n, b)| (*n, Some(*b))).collect();
    minimal_export(&replaced)
}

fn run(changes: &[(&str, &[u8])]) -> Run {
    let dir = export(changes);
    let run = audit(dir.path(), &["--as-of", "2024-06-30"]);
    if run.code == 0 {
        assert_accounted(&run);
    }
    run
}

fn keys(run: &Run) -> Vec<Vec<String>> {
    let mut k: Vec<_> = run.exceptions().iter().map(key).collect();
    k.sort();
    k
}

fn int003(pid: &str, org: &str, enrollment: &str, record: &str) -> Vec<String> {
    ["INT-003", pid, org, enrollment, record, "", ""]
        .iter()
        .map(|s| s.to_string())
        .collect()
}

#[test]
fn bare_cr_line_ends_number_lines_too() {
    let r = run(&[(
        "Client.csv",
        b"PersonalID,DOB,DOBDataQuality\rC1,1980-01-01,1\rC2,1980-13-01,1\r",
    )]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(keys(&r), [int003("C2", "", "", "Client.csv:3:DOB")]);
}

#[test]
fn an_unterminated_quote_at_the_end_is_one_ragged_row() {
    let r = run(&[(
        "Client.csv",
        b"PersonalID,DOB,DOBDataQuality\nC1,1980-01-01,1\nC2,\"1980-01-01,1\nC3,1980-01-01,1\n",
    )]);
    assert_eq!(r.code, 0);
    assert_eq!(keys(&r), [int003("", "", "", "Client.csv:3")]);
    assert_eq!(r.file_rows("Client.csv")["rejected"], 1);
}

#[test]
fn a_ten_megabyte_field() {
    let mut unused = b"PersonalID,Notes,DOB,DOBDataQuality\nC1,".to_vec();
    unused.extend(std::iter::repeat_n(b'x', 10 << 20));
    unused.extend_from_slice(b",1980-01-01,1\n");
    let r = run(&[("Client.csv", &unused)]);
    assert_eq!(r.code, 0);
    assert!(r.exceptions().is_empty());

    let mut used = b"PersonalID,DOB,DOBDataQuality\nC1,".to_vec();
    used.extend(std::iter::repeat_n(b'9', 10 << 20));
    used.extend_from_slice(b",1\n");
    let r = run(&[("Client.csv", &used)]);
    assert_eq!(keys(&r), [int003("C1", "", "", "Client.csv:2:DOB")]);
    assert!(
        r.exceptions_text().len() < 10_000,
        "the value is not copied into the report"
    );
}

#[test]
fn ten_thousand_columns() {
    let mut header: Vec<String> = (0..10_000).map(|i| format!("Extra{i}")).collect();
    header[4_321] = "PersonalID".into();
    header[9_999] = "DOB".into();
    header[17] = "DOBDataQuality".into();
    let mut row = vec!["v".to_string(); 10_000];
    row[4_321] = "C1".into();
    row[9_999] = "1980-01-01".into();
    row[17] = "1".into();
    let body = format!("{}\n{}\n", header.join(","), row.join(","));
    let r = run(&[("Client.csv", body.as_bytes())]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.exceptions().is_empty(), "{}", r.exceptions_text());
}

#[test]
fn latin1_text_is_replaced_in_names_and_reported_in_identifiers() {
    let r = run(&[
        (
            "Organization.csv",
            b"OrganizationID,OrganizationName,VictimServiceProvider\nO1,Caf\xe9 Espa\xf1a,0\n",
        ),
        (
            "Client.csv",
            // Latin-1 (line 3) is not UTF-8; UTF-8 beyond ASCII (line 4) is.
            b"PersonalID,DOB,DOBDataQuality\nC1,1980-01-01,1\nJos\xe9,1980-01-01,1\nZo\xc3\xab,1980-01-01,1\n",
        ),
    ]);
    assert_eq!(r.code, 0);
    assert_eq!(keys(&r), [int003("", "", "", "Client.csv:3:PersonalID")]);
}

#[test]
fn negative_and_huge_numbers_in_code_columns() {
    let r = run(&[(
        "Client.csv",
        b"PersonalID,DOB,DOBDataQuality\nC1,1980-01-01,-1\nC2,1980-01-01,99999999999999999999999999\nC3,1980-01-01,+1\n",
    )]);
    assert_eq!(r.code, 0);
    // A huge integer is well formed (it just matches no code); signs are not digits.
    assert_eq!(
        keys(&r),
        [
            int003("C1", "", "", "Client.csv:2:DOBDataQuality"),
            int003("C3", "", "", "Client.csv:4:DOBDataQuality")
        ]
    );
}

#[test]
fn a_folder_with_the_wrong_files() {
    let dir = export_with(&[
        ("Services.csv", b"ServicesID\n1\n"),
        ("notes.txt", b"hello"),
    ]);
    let r = audit(dir.path(), &[]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("Organization.csv"), "{}", r.stderr);
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_exits_2_naming_it() {
    use std::os::unix::fs::PermissionsExt;
    let dir = export(&[]);
    let path = dir.path().join("Client.csv");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&path).is_ok() {
        // Running as root: permissions do not stop reading. A dangling
        // symbolic link is a file that cannot be opened all the same.
        std::fs::remove_file(&path).unwrap();
        std::os::unix::fs::symlink("/nonexistent/Client.csv", &path).unwrap();
    }
    let r = audit(dir.path(), &[]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("Client.csv"), "{}", r.stderr);
}

#[test]
fn spreadsheet_formulas_are_neutralised() {
    let r = run(&[
        ("Client.csv", b"PersonalID,DOB,DOBDataQuality\n=HYPERLINK(\"http://x\"),1980-13-01,1\n@SUM(A1),1980-13-01,1\n"),
    ]);
    assert_eq!(r.code, 0);
    let text = r.exceptions_text();
    for line in text.lines().skip(1) {
        for cell in line.split(',') {
            let cell = cell.trim_start_matches('"');
            assert!(!cell.starts_with(['=', '+', '@', '-']), "{line}");
        }
    }
    let ids: Vec<String> = r
        .exceptions()
        .iter()
        .map(|x| x.get("personal_id").to_string())
        .collect();
    assert!(
        ids.contains(&"'=HYPERLINK(\"http://x\")".to_string()),
        "{ids:?}"
    );
}

#[test]
fn hostile_organization_ids_stay_inside_the_report_folder() {
    let r = run(&[
        ("Organization.csv", b"OrganizationID,OrganizationName,VictimServiceProvider\n../../escape,A,1\n/etc/x,B,1\n"),
        ("Project.csv", b"ProjectID,OrganizationID,ProjectName,ProjectType\nP1,../../escape,S,0\nP2,/etc/x,T,0\n"),
        ("Enrollment.csv", b"EnrollmentID,PersonalID,ProjectID,EntryDate,HouseholdID,RelationshipToHoH\nE1,C1,P1,2024-01-01,H1,1\nE2,C1,P2,2024-01-01,H2,1\n"),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let agencies = r.out.join("agencies");
    let names: Vec<String> = std::fs::read_dir(&agencies)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(
        names
            .iter()
            .all(|n| !n.contains('/') && !n.starts_with('.')),
        "{names:?}"
    );
    assert!(!r.out.parent().unwrap().join("escape.csv").exists());
}

#[test]
fn errors_and_reports_never_hold_names_ssns_or_birth_dates() {
    let client = b"PersonalID,FirstName,LastName,SSN,DOB,DOBDataQuality\nC1,Marisol,Quintanilla,123456789,07/04/1976,1\nC2,Tobias,Lindqvist,987654321,1980-02-30,1\n";
    let dir = export(&[("Client.csv", client)]);
    let r = audit(dir.path(), &["--as-of", "2024-06-30"]);
    assert_eq!(r.code, 0);
    let mut everything = r.stderr.clone();
    for f in std::fs::read_dir(&r.out).unwrap() {
        let p = f.unwrap().path();
        if p.is_file() && p.extension().is_some_and(|x| x != "xlsx") {
            everything.push_str(&std::fs::read_to_string(&p).unwrap());
        }
    }
    for secret in [
        "Marisol",
        "Quintanilla",
        "123456789",
        "07/04/1976",
        "Tobias",
        "987654321",
        "1980-02-30",
    ] {
        assert!(!everything.contains(secret), "{secret} leaked");
    }
    // A usage error names the file and column, not the data.
    let dir = export(&[("Client.csv", b"PersonalID,FirstName\nC1,Marisol\n")]);
    let r = audit(dir.path(), &[]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("DOB") && !r.stderr.contains("Marisol"),
        "{}",
        r.stderr
    );
}
