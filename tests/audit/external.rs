//! The real public exports in ../shared/fixtures/external load, with the
//! row counts and triggers their SOURCE.md files describe.

use crate::helpers::*;

fn rows(run: &Run, file: &str) -> u64 {
    run.file_rows(file)["live"].as_u64().unwrap()
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

/// What SOURCE.md says of an export, checked against a run over it.
struct Expected<'a> {
    dir: &'a str,
    csv_version: &'a str,
    live_rows: &'a [(&'a str, u64)],
    /// Clients with DV, HIV and TRAFFICKING in effect.
    dv_hiv_trafficking: (u64, u64, u64),
    /// Clients ever an unaccompanied minor (MINOR kept in effect for life).
    minors: u64,
}

fn check_export(e: &Expected<'_>) -> Run {
    let run = audit(&external(e.dir), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.summary()["csv_version"], e.csv_version);
    for (file, n) in e.live_rows {
        assert_eq!(rows(&run, file), *n, "{file}");
    }
    let t = triggers(&run);
    let n = |k: &str| t[k].as_u64().unwrap();
    assert_eq!((n("DV"), n("HIV"), n("TRAFFICKING")), e.dv_hiv_trafficking);
    let all = audit_with(&external(e.dir), ALWAYS_MINOR);
    assert_eq!(triggers(&all)["MINOR"], e.minors);
    // No dangling references, duplicates, unreadable values or undecidable households.
    for rule in ["INT-001", "INT-002", "INT-003", "INT-004"] {
        assert!(run.of_rule(rule).is_empty(), "{rule}");
    }
    run
}

#[test]
fn fy2024_datalab_export() {
    let run = check_export(&Expected {
        dir: "greenriver-datalab-fy2024",
        csv_version: "FY2024",
        live_rows: &[
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
        ],
        dv_hiv_trafficking: (37, 1, 0),
        minors: 23,
    });
    assert_eq!(run.summary()["as_of"], "2022-09-30");
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
    check_export(&Expected {
        dir: "greenriver-lsa-sample-fy2022",
        csv_version: "FY2022",
        live_rows: &[
            ("Organization.csv", 1),
            ("Project.csv", 24),
            ("Client.csv", 799),
            ("Enrollment.csv", 819),
            ("Exit.csv", 442),
            ("HealthAndDV.csv", 1289),
            ("Disabilities.csv", 7566),
        ],
        dv_hiv_trafficking: (76, 0, 2),
        minors: 4,
    });
}
