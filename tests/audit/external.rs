//! The real public exports in ../shared/fixtures/external load, with the
//! row counts and triggers their SOURCE.md files describe.

use crate::helpers::*;

fn rows(run: &Run, file: &str) -> u64 {
    run.summary()["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"] == file)
        .unwrap()["rows"]["live"]
        .as_u64()
        .unwrap()
}

fn triggers(run: &Run) -> serde_json::Value {
    run.summary()["clients"]["with_trigger_in_effect"].clone()
}

const ALWAYS_MINOR: &str = "[policy]\nminor_until_adult = false\n";

fn audit_with(dir: &std::path::Path, toml: &str) -> Run {
    let tmp = tempfile::TempDir::new().unwrap();
    let path = tmp.path().join("c.toml");
    std::fs::write(&path, toml).unwrap();
    audit(dir, &["--config", path.to_str().unwrap()])
}

#[test]
fn fy2024_datalab_export() {
    let run = audit(&external("greenriver-datalab-fy2024"), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let s = run.summary();
    assert_eq!(s["csv_version"], "FY2024");
    assert_eq!(s["as_of"], "2022-09-30");
    for (file, n) in [
        ("Export.csv", 1),
        ("Organization.csv", 10),
        ("Project.csv", 10),
        ("Client.csv", 514),
        ("Enrollment.csv", 574),
        ("Exit.csv", 447),
        ("HealthAndDV.csv", 1181),
        ("Disabilities.csv", 6942),
        ("Assessment.csv", 8),
        ("AssessmentQuestions.csv", 0),
    ] {
        assert_eq!(rows(&run, file), n, "{file}");
    }
    let t = triggers(&run);
    assert_eq!(
        (
            t["DV"].as_u64(),
            t["HIV"].as_u64(),
            t["TRAFFICKING"].as_u64()
        ),
        (Some(37), Some(1), Some(0))
    );
    let all = audit_with(&external("greenriver-datalab-fy2024"), ALWAYS_MINOR);
    assert_eq!(triggers(&all)["MINOR"], 23);
    // No dangling references, duplicates or unreadable values.
    for rule in ["INT-001", "INT-002", "INT-003", "INT-004"] {
        assert!(run.of_rule(rule).is_empty(), "{rule}");
    }
}

#[test]
fn fy2026_copy_gives_the_same_findings_as_fy2024() {
    let a = audit(&external("greenriver-datalab-fy2024"), &[]);
    let b = audit(&external("greenriver-datalab-fy2026"), &[]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    assert_eq!(b.summary()["csv_version"], "FY2026");
    assert_eq!(rows(&b, "Client.csv"), 514);
    assert_eq!(a.exceptions_text(), b.exceptions_text());
    assert_eq!(triggers(&a), triggers(&b));
    let (a, b) = (
        audit_with(&external("greenriver-datalab-fy2024"), ALWAYS_MINOR),
        audit_with(&external("greenriver-datalab-fy2026"), ALWAYS_MINOR),
    );
    assert_eq!(a.exceptions_text(), b.exceptions_text());
}

#[test]
fn fy2022_lsa_sample_export() {
    let run = audit(&external("greenriver-lsa-sample-fy2022"), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let s = run.summary();
    assert_eq!(s["csv_version"], "FY2022");
    for (file, n) in [
        ("Organization.csv", 1),
        ("Project.csv", 24),
        ("Client.csv", 799),
        ("Enrollment.csv", 819),
        ("Exit.csv", 442),
        ("HealthAndDV.csv", 1289),
        ("Disabilities.csv", 7566),
    ] {
        assert_eq!(rows(&run, file), n, "{file}");
    }
    let t = triggers(&run);
    assert_eq!(
        (
            t["DV"].as_u64(),
            t["HIV"].as_u64(),
            t["TRAFFICKING"].as_u64()
        ),
        (Some(76), Some(0), Some(2))
    );
    assert_eq!(
        triggers(&audit_with(
            &external("greenriver-lsa-sample-fy2022"),
            ALWAYS_MINOR
        ))["MINOR"],
        4
    );
    for rule in ["INT-001", "INT-002", "INT-003", "INT-004"] {
        assert!(run.of_rule(rule).is_empty(), "{rule}");
    }
}
