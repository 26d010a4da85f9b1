//! Each policy and each configuration mapping changes the result it should.

use crate::helpers::*;

fn with_config(case: &str, toml: &str) -> Run {
    let tmp = tempfile::TempDir::new().unwrap();
    let path = tmp.path().join("audit.toml");
    std::fs::write(&path, toml).unwrap();
    let run = audit(&case_dir(case), &["--config", path.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run
}

fn keys(rows: &[Row]) -> Vec<Vec<String>> {
    let mut k: Vec<_> = rows.iter().map(key).collect();
    k.sort();
    k
}

fn k(cols: [&str; 7]) -> Vec<String> {
    cols.iter().map(|s| s.to_string()).collect()
}

#[test]
fn minor_until_adult_false_keeps_minor_in_effect_after_18() {
    let default = audit(&case_dir("lock-001"), &[]);
    let d7 = |r: &Run| {
        r.of_rule("LOCK-001")
            .into_iter()
            .filter(|x| x.get("personal_id") == "D7")
            .count()
    };
    assert_eq!(d7(&default), 0, "D7 turned 18 before the as-of date");
    let run = with_config("lock-001", "[policy]\nminor_until_adult = false\n");
    let rows: Vec<_> = run
        .of_rule("LOCK-001")
        .into_iter()
        .filter(|x| x.get("personal_id") == "D7")
        .collect();
    assert_eq!(
        keys(&rows),
        vec![k([
            "LOCK-001",
            "D7",
            "O3",
            "E7b",
            "",
            "MINOR",
            "2024-01-15"
        ])]
    );
}

#[test]
fn require_roi_end_date_false_turns_off_roi_004() {
    assert_eq!(
        audit(&case_dir("roi-rules"), &[]).of_rule("ROI-004").len(),
        2
    );
    let run = with_config("roi-rules", "[policy]\nrequire_roi_end_date = false\n");
    assert!(run.of_rule("ROI-004").is_empty());
    let skipped = run.summary()["rules_skipped"].clone();
    assert!(
        skipped
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["rule"] == "ROI-004"
                && s["reason"]
                    .as_str()
                    .unwrap()
                    .contains("require_roi_end_date")),
        "{skipped}"
    );
}

#[test]
fn roi_expiry_warning_days_moves_the_horizon() {
    let ids = |r: &Run| {
        let mut v: Vec<String> = r
            .of_rule("ROI-010")
            .iter()
            .map(|x| x.get("record_id").to_string())
            .collect();
        v.sort();
        v
    };
    assert_eq!(ids(&audit(&case_dir("roi-rules"), &[])), ["RB7"]);
    assert_eq!(
        ids(&with_config(
            "roi-rules",
            "[policy]\nroi_expiry_warning_days = 31\n"
        )),
        ["RB7", "RB7b"]
    );
    assert!(ids(&with_config(
        "roi-rules",
        "[policy]\nroi_expiry_warning_days = 29\n"
    ))
    .is_empty());
}

#[test]
fn a_rule_can_be_disabled_and_its_severity_changed() {
    let run = with_config(
        "lock-003",
        "[rules.LOCK-003]\nenabled = false\n[rules.VIS-001]\nseverity = \"critical\"\n",
    );
    assert!(run.of_rule("LOCK-003").is_empty());
    let vis = run.of_rule("VIS-001");
    assert_eq!(vis.len(), 1);
    assert_eq!(vis[0].get("severity"), "critical");
    // Sorted by the configured severity: critical comes first.
    assert_eq!(run.exceptions()[0].get("rule"), "VIS-001");
    let s = run.summary();
    assert!(s["rules_skipped"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["rule"] == "LOCK-003"));
}

#[test]
fn extra_question_patterns_add_triggers() {
    let run = with_config(
        "lock-001",
        "[triggers]\nTRAFFICKING = [\"TRAFFIC STOP\"]\nHIV = [\"trafficked\"]\n",
    );
    let lock: Vec<_> = run
        .of_rule("LOCK-001")
        .into_iter()
        .filter(|x| ["D10", "D11"].contains(&x.get("personal_id")))
        .collect();
    assert_eq!(
        keys(&lock),
        vec![
            k([
                "LOCK-001",
                "D10",
                "O1",
                "E10",
                "",
                "HIV;TRAFFICKING",
                "2024-02-02"
            ]),
            k([
                "LOCK-001",
                "D11",
                "O1",
                "E11",
                "",
                "TRAFFICKING",
                "2024-02-02"
            ]),
        ]
    );
}

#[test]
fn the_vendor_extract_needs_its_config() {
    // Without the column and value maps the ROI and lock files are not found.
    let run = audit(&case_dir("vendor-clarity"), &[]);
    assert_eq!(run.code, 0);
    assert!(run.of_rule("LOCK-002").is_empty());
    assert!(!run.of_rule("LOCK-001").is_empty());
}

#[test]
fn a_bad_config_is_a_usage_error_naming_the_key() {
    for (toml, needle) in [
        ("[policy]\nminor_until_adlt = true\n", "minor_until_adlt"),
        ("[rules.ROI-099]\nenabled = false\n", "ROI-099"),
        ("[rules.ROI-001]\nseverity = \"urgent\"\n", "urgent"),
        (
            "[policy]\nroi_expiry_warning_days = \"soon\"\n",
            "roi_expiry_warning_days",
        ),
        (
            "[extensions.ReleaseOfInformation.columns]\nROI = \"Release ID\"\n",
            "ROI",
        ),
        ("[colours]\nred = 1\n", "colours"),
    ] {
        let tmp = tempfile::TempDir::new().unwrap();
        let path = tmp.path().join("bad.toml");
        std::fs::write(&path, toml).unwrap();
        let run = audit(&case_dir("lock-001"), &["--config", path.to_str().unwrap()]);
        assert_eq!(run.code, 2, "{toml}");
        assert!(run.stderr.contains(needle), "{toml}: {}", run.stderr);
        assert!(!run.out.exists(), "no report on a usage error");
    }
}
