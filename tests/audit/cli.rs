//! The command line: subcommands, exit codes, determinism, the as-of date,
//! and how reports are written.

use crate::helpers::*;

#[test]
fn rules_lists_all_21_and_explain_prints_one() {
    let out = bin().arg("rules").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 21);
    assert!(text
        .lines()
        .next()
        .unwrap()
        .starts_with("LOCK-001  critical"));

    let out = bin().args(["explain", "roi-001"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("ROI-001 (high)"), "{text}");
    assert!(
        text.contains("How to fix") && text.contains("end-date the old ROI"),
        "{text}"
    );

    let out = bin().args(["explain", "ROI-011"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ROI-011"));
}

#[test]
fn docs_rules_md_is_generated_from_the_registry() {
    let out = bin().args(["rules", "--markdown"]).output().unwrap();
    let generated = String::from_utf8(out.stdout).unwrap();
    let committed = std::fs::read_to_string(repo().join("docs/rules.md")).unwrap();
    assert!(
        generated == committed,
        "docs/rules.md is out of date: run `cargo run -- rules --markdown > docs/rules.md`"
    );
}

#[test]
fn config_prints_the_defaults() {
    let out = bin().arg("config").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("minor_until_adult = true"));
    // What it prints is itself a valid configuration.
    let tmp = tempfile::TempDir::new().unwrap();
    let path = tmp.path().join("defaults.toml");
    std::fs::write(&path, &text).unwrap();
    let run = audit(
        &repo().join("sample_data"),
        &["--config", path.to_str().unwrap()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.exceptions().len(), 24);
}

#[test]
fn help_reads_like_a_manual_and_usage_errors_exit_2() {
    let out = bin().args(["audit", "--help"]).output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(
        help.contains("--as-of") && help.contains("Example"),
        "{help}"
    );

    let out = bin()
        .args(["audit", "sample_data", "--as-of", "2024-13-01"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("2024-13-01"));

    let out = bin().args(["audit"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = bin().args(["frobnicate"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn two_runs_write_byte_identical_exceptions() {
    let a = audit(&repo().join("sample_data"), &[]);
    let b = audit(&repo().join("sample_data"), &[]);
    assert_eq!(a.exceptions_text(), b.exceptions_text());
    let fingerprints: std::collections::HashSet<String> = a
        .exceptions()
        .iter()
        .map(|r| r.get("fingerprint").to_string())
        .collect();
    assert_eq!(
        fingerprints.len(),
        a.exceptions().len(),
        "fingerprints are unique"
    );
}

#[test]
fn exceptions_csv_has_exactly_the_spec_columns() {
    let run = audit(&repo().join("sample_data"), &[]);
    let first = run.exceptions_text().lines().next().unwrap().to_string();
    assert_eq!(
        first,
        "fingerprint,status,rule,severity,personal_id,organization_id,enrollment_id,record_id,triggers,trigger_date,message"
    );
}

#[test]
fn the_as_of_date_comes_from_the_flag_else_the_export_else_today() {
    let run = audit(&repo().join("sample_data"), &[]);
    assert_eq!(run.summary()["as_of"], "2024-09-30");
    assert_eq!(run.summary()["as_of_source"], "ExportEndDate");

    // Two months later R1014 has lapsed: ROI-010 gives way to ROI-006.
    let run = audit(&repo().join("sample_data"), &["--as-of", "2024-11-30"]);
    assert_eq!(run.summary()["as_of"], "2024-11-30");
    assert!(run
        .of_rule("ROI-010")
        .iter()
        .all(|r| r.get("record_id") != "R1014"));
    assert!(run
        .of_rule("ROI-006")
        .iter()
        .any(|r| r.get("personal_id") == "1014"));

    let tmp = tempfile::TempDir::new().unwrap();
    for f in std::fs::read_dir(repo().join("sample_data")).unwrap() {
        let f = f.unwrap();
        if f.file_name() != "Export.csv" {
            std::fs::copy(f.path(), tmp.path().join(f.file_name())).unwrap();
        }
    }
    let run = audit(tmp.path(), &[]);
    assert_eq!(run.summary()["as_of_source"], "today");
}

#[cfg(unix)]
#[test]
fn reports_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let run = audit(&repo().join("sample_data"), &[]);
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&run.out), 0o700);
    for f in ["exceptions.csv", "summary.json"] {
        assert_eq!(mode(&run.out.join(f)), 0o600, "{f}");
    }
}

#[test]
fn a_failed_run_leaves_the_previous_report_whole() {
    let tmp = tempfile::TempDir::new().unwrap();
    let out = tmp.path().join("nightly");
    let ok = bin()
        .args(["audit", "sample_data", "-q", "--out"])
        .arg(&out)
        .current_dir(repo())
        .output()
        .unwrap();
    assert!(ok.status.success());
    let before = std::fs::read(out.join("exceptions.csv")).unwrap();

    // The next night's export has lost Client.csv.
    let broken = tempfile::TempDir::new().unwrap();
    for name in ["Organization.csv", "Project.csv", "Enrollment.csv"] {
        std::fs::copy(
            repo().join("sample_data").join(name),
            broken.path().join(name),
        )
        .unwrap();
    }
    let failed = bin()
        .args(["audit", "-q", "--out"])
        .arg(&out)
        .arg(broken.path())
        .output()
        .unwrap();
    assert_eq!(failed.status.code(), Some(2));
    assert_eq!(std::fs::read(out.join("exceptions.csv")).unwrap(), before);
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != ".nightly.lock")
        .collect();
    assert_eq!(leftovers, ["nightly"], "no temporary folder is left behind");
}

#[test]
fn the_default_output_folder_is_reports_as_of() {
    let tmp = tempfile::TempDir::new().unwrap();
    let out = bin()
        .args(["audit", "-q"])
        .arg(repo().join("sample_data"))
        .current_dir(tmp.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(tmp
        .path()
        .join("reports/2024-09-30/exceptions.csv")
        .exists());
    assert!(out.stdout.is_empty());
}
