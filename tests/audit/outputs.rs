//! The outputs HMIS leads and agencies read (report.html, exceptions.xlsx,
//! agency files), redaction, history, waivers, --fail-on, and a run that
//! fails while writing.

use std::path::{Path, PathBuf};

use calamine::{open_workbook, Reader, Xlsx};
use scraper::{Html, Selector};

use crate::helpers::*;

fn sample() -> PathBuf {
    repo().join("sample_data")
}

fn text_of(doc: &Html, css: &str) -> String {
    let sel = Selector::parse(css).unwrap();
    doc.select(&sel)
        .next()
        .unwrap_or_else(|| panic!("{css} in report.html"))
        .text()
        .collect::<String>()
        .trim()
        .to_string()
}

fn html(run: &Run) -> Html {
    Html::parse_document(&std::fs::read_to_string(run.out.join("report.html")).unwrap())
}

#[test]
fn report_html_is_self_contained_and_shows_the_counts() {
    let run = audit(&sample(), &[]);
    let raw = std::fs::read_to_string(run.out.join("report.html")).unwrap();
    for external in ["http://", "https://", "<link", "src="] {
        assert!(
            !raw.contains(external),
            "report.html must not load {external}"
        );
    }
    let doc = html(&run);
    assert_eq!(text_of(&doc, "#count-total"), "24");
    assert_eq!(text_of(&doc, "#count-critical"), "3");
    assert_eq!(text_of(&doc, "#count-high"), "8");
    let rows = Selector::parse("#exception-table tbody tr").unwrap();
    assert_eq!(doc.select(&rows).count(), 24);
    let rule_rows = Selector::parse("#by-rule tbody tr").unwrap();
    assert_eq!(doc.select(&rule_rows).count(), 21);
    let bars = Selector::parse("#by-agency svg rect").unwrap();
    assert!(
        doc.select(&bars).count() >= 4,
        "a bar segment per agency and severity"
    );
    // No history: no changes section.
    assert!(doc
        .select(&Selector::parse("#changes").unwrap())
        .next()
        .is_none());
}

#[test]
fn everything_in_report_html_is_escaped() {
    let tmp = tempfile::TempDir::new().unwrap();
    for f in std::fs::read_dir(sample()).unwrap() {
        let f = f.unwrap();
        std::fs::copy(f.path(), tmp.path().join(f.file_name())).unwrap();
    }
    let hostile = "<script>alert(1)</script>";
    let enrollment = std::fs::read_to_string(tmp.path().join("Enrollment.csv")).unwrap();
    std::fs::write(
        tmp.path().join("Enrollment.csv"),
        format!("{enrollment}E-x,\"{hostile}\",P101,2024-01-01,HHX,1,\n"),
    )
    .unwrap();
    let run = audit(tmp.path(), &[]);
    let raw = std::fs::read_to_string(run.out.join("report.html")).unwrap();
    assert_eq!(
        raw.matches("<script>").count(),
        1,
        "only the page's own script"
    );
    let doc = html(&run);
    let cells = Selector::parse("#exception-table td").unwrap();
    assert!(doc
        .select(&cells)
        .any(|td| td.text().collect::<String>() == hostile));
}

#[test]
fn exceptions_xlsx_has_a_summary_and_a_sheet_per_rule() {
    let run = audit(&sample(), &[]);
    let mut book: Xlsx<_> = open_workbook(run.out.join("exceptions.xlsx")).unwrap();
    let names = book.sheet_names();
    assert_eq!(names[0], "Summary");
    assert_eq!(names.len(), 1 + 21, "{names:?}");
    let lock = book.worksheet_range("LOCK-001").unwrap();
    assert_eq!(lock.height(), 1 + 3);
    assert_eq!(lock.get_value((0, 0)).unwrap().to_string(), "fingerprint");
    let vis = book.worksheet_range("VIS-003").unwrap();
    assert_eq!(vis.height(), 2);
    let summary = book.worksheet_range("Summary").unwrap();
    assert_eq!(summary.get_value((1, 1)).unwrap().to_string(), "24");
}

fn all_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(all_files(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// DV, HIV or TRAFFICKING anywhere in a text, as whole words.
fn reveals_circumstance(text: &str) -> bool {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| ["DV", "HIV", "TRAFFICKING"].contains(&w))
}

#[test]
fn agency_files_never_name_the_circumstance() {
    let run = audit(&sample(), &[]);
    let agencies = run.out.join("agencies");
    let files = all_files(&agencies);
    let mut names: Vec<String> = files
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "O100.csv",
            "O200.csv",
            "O300.csv",
            "O400.csv",
            "_no_agency.csv"
        ]
    );
    let mut rows = 0;
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        assert!(!reveals_circumstance(&text), "{}: {text}", f.display());
        rows += read_rows(f).len();
    }
    assert_eq!(rows, 24, "every exception goes to exactly one agency file");
    let o100 = read_rows(&agencies.join("O100.csv"));
    let lock = o100
        .iter()
        .find(|r| r.get("personal_id") == "1001")
        .unwrap();
    assert_eq!(lock.get("triggers"), "CONFIDENTIAL;LIMITED_ROI");
    // exceptions.csv itself keeps the kinds for the HMIS lead.
    assert!(run.exceptions_text().contains("DV;LIMITED_ROI"));
}

#[test]
fn redact_hides_the_circumstance_everywhere() {
    let run = audit(&sample(), &["--redact"]);
    for f in all_files(&run.out) {
        if f.extension().is_some_and(|x| x == "xlsx") {
            let mut book: Xlsx<_> = open_workbook(&f).unwrap();
            for name in book.sheet_names() {
                let range = book.worksheet_range(&name).unwrap();
                for cell in range.used_cells() {
                    assert!(
                        !reveals_circumstance(&cell.2.to_string()),
                        "{name}: {}",
                        cell.2
                    );
                }
            }
        } else if f.extension().is_some_and(|x| x == "html") {
            // Agency names may say "DV"; the exceptions may not.
            let doc = Html::parse_document(&std::fs::read_to_string(&f).unwrap());
            let cells = Selector::parse("#exception-table td").unwrap();
            for td in doc.select(&cells) {
                let text = td.text().collect::<String>();
                assert!(!reveals_circumstance(&text), "report.html: {text}");
            }
        } else if f.file_name().unwrap() != "summary.json" {
            let text = std::fs::read_to_string(&f).unwrap();
            assert!(!reveals_circumstance(&text), "{}", f.display());
        }
    }
    assert!(run.exceptions_text().contains("CONFIDENTIAL"));
    assert_eq!(run.summary()["redacted"], true);
}

#[cfg(unix)]
#[test]
fn every_report_file_and_folder_is_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::TempDir::new().unwrap();
    let history = tmp.path().join("history");
    let run = audit(&sample(), &["--history", history.to_str().unwrap()]);
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&run.out), 0o700);
    assert_eq!(mode(&run.out.join("agencies")), 0o700);
    for f in all_files(&run.out).into_iter().chain(all_files(&history)) {
        assert_eq!(mode(&f), 0o600, "{}", f.display());
    }
    assert_eq!(mode(&history), 0o700);
}

fn copy_sample(to: &Path) {
    for f in std::fs::read_dir(sample()).unwrap() {
        let f = f.unwrap();
        std::fs::copy(f.path(), to.join(f.file_name())).unwrap();
    }
}

#[test]
fn history_marks_new_persisting_and_resolved() {
    let tmp = tempfile::TempDir::new().unwrap();
    let history = tmp.path().join("history");
    let h = history.to_str().unwrap();
    let first = audit(&sample(), &["--history", h]);
    assert!(first.exceptions().iter().all(|r| r.get("status") == "new"));

    // The next night: Harbor House fixed R1018's documentation.
    let export = tmp.path().join("export");
    std::fs::create_dir(&export).unwrap();
    copy_sample(&export);
    let roi = std::fs::read_to_string(export.join("ReleaseOfInformation.csv")).unwrap();
    std::fs::write(
        export.join("ReleaseOfInformation.csv"),
        roi.replace("Share basic info", "Full Sharing"),
    )
    .unwrap();
    let second = audit(&export, &["--history", h, "--as-of", "2024-10-01"]);
    let status = |run: &Run, rule: &str, pid: &str| {
        let rows = run.of_rule(rule);
        let row = rows
            .iter()
            .find(|r| r.get("personal_id") == pid)
            .unwrap_or_else(|| panic!("{rule} {pid}"));
        row.get("status").to_string()
    };
    assert_eq!(status(&second, "LOCK-001", "1001"), "persisting");
    assert_eq!(
        status(&second, "ROI-006", "1014"),
        "new",
        "R1014 lapsed on 2024-09-30"
    );
    let resolved = read_rows(&second.out.join("resolved.csv"));
    let resolved_rules: Vec<(&str, &str)> = resolved
        .iter()
        .map(|r| (r.get("rule"), r.get("record_id")))
        .collect();
    assert!(
        resolved_rules.contains(&("ROI-008", "R1018")),
        "{resolved_rules:?}"
    );
    assert!(
        resolved_rules.contains(&("ROI-010", "R1014")),
        "{resolved_rules:?}"
    );
    assert_eq!(resolved.len(), 2);
    let agency = read_rows(&second.out.join("agencies/O100.csv"));
    let lock = agency
        .iter()
        .find(|r| r.get("personal_id") == "1001")
        .unwrap();
    assert_eq!(lock.get("first_seen"), "2024-09-30");

    // Re-running the same export and date keeps the same statuses.
    let again = audit(&export, &["--history", h, "--as-of", "2024-10-01"]);
    assert_eq!(again.exceptions_text(), second.exceptions_text());
    assert_eq!(read_rows(&again.out.join("resolved.csv")).len(), 2);

    let doc = html(&again);
    assert_eq!(text_of(&doc, "#count-resolved"), "2");
    // New on 2024-10-01: ROI-006 for 1014 and ROI-010 for R1015 (ends 10-31).
    assert_eq!(text_of(&doc, "#count-new"), "2");
    let points = Selector::parse("#changes svg circle").unwrap();
    assert_eq!(doc.select(&points).count(), 2, "two runs in the trend");
    let s = again.summary();
    assert_eq!(s["history"]["previous_as_of"], "2024-09-30");
    assert_eq!(s["history"]["resolved"], 2);
}

fn fingerprint_of(run: &Run, rule: &str, pid: &str) -> String {
    run.of_rule(rule)
        .iter()
        .find(|r| r.get("personal_id") == pid)
        .unwrap()
        .get("fingerprint")
        .to_string()
}

#[test]
fn waivers_move_exceptions_out_until_they_expire() {
    let base = audit(&sample(), &[]);
    let (a, b) = (
        fingerprint_of(&base, "LOCK-001", "1001"),
        fingerprint_of(&base, "LOCK-001", "1006"),
    );
    let tmp = tempfile::TempDir::new().unwrap();
    let waivers = tmp.path().join("waivers.csv");
    std::fs::write(
        &waivers,
        format!(
            "fingerprint,reason,expires\n{a},Helpdesk ticket 118,2025-01-31\n{b},old ticket,2024-09-01\nfeedfacefeedface,fixed long ago,\n"
        ),
    )
    .unwrap();
    let run = audit(&sample(), &["--waivers", waivers.to_str().unwrap()]);
    assert_eq!(run.code, 0);
    assert_eq!(run.exceptions().len(), 23);
    assert!(run.exceptions().iter().all(|r| r.get("fingerprint") != a));
    let waived = read_rows(&run.out.join("waived.csv"));
    assert_eq!(waived.len(), 1);
    assert_eq!(waived[0].get("fingerprint"), a);
    assert_eq!(waived[0].get("waiver_reason"), "Helpdesk ticket 118");
    let s = run.summary();
    assert_eq!(s["counts"]["total"], 23);
    assert_eq!(s["counts"]["by_severity"]["critical"], 2);
    assert_eq!(s["waivers"]["expired"][0]["fingerprint"], b.as_str());
    assert_eq!(
        s["waivers"]["unknown"][0]["fingerprint"],
        "feedfacefeedface"
    );
}

#[test]
fn fail_on_sets_the_exit_code_and_waivers_count() {
    let base = audit(&sample(), &[]);
    assert_eq!(audit(&sample(), &["--fail-on", "critical"]).code, 1);
    assert_eq!(audit(&sample(), &["--fail-on", "info"]).code, 1);
    // Waive the three critical exceptions: critical passes, high still fails.
    let tmp = tempfile::TempDir::new().unwrap();
    let waivers = tmp.path().join("w.csv");
    let mut text = String::from("fingerprint,reason,expires\n");
    for r in base
        .exceptions()
        .iter()
        .filter(|r| r.get("severity") == "critical")
    {
        text.push_str(&format!("{},accepted,2030-01-01\n", r.get("fingerprint")));
    }
    std::fs::write(&waivers, text).unwrap();
    let w = waivers.to_str().unwrap();
    assert_eq!(
        audit(&sample(), &["--waivers", w, "--fail-on", "critical"]).code,
        0
    );
    assert_eq!(
        audit(&sample(), &["--waivers", w, "--fail-on", "high"]).code,
        1
    );
    // A clean export passes whatever the threshold.
    assert_eq!(
        audit(
            &case_dir("int-004").join("..").join("lock-003"),
            &["--fail-on", "critical"]
        )
        .code,
        0
    );
    // A bad threshold or waivers file is a usage error.
    assert_eq!(audit(&sample(), &["--fail-on", "urgent"]).code, 2);
    std::fs::write(&waivers, "fingerprint,reason\nabc,x\n").unwrap();
    let run = audit(&sample(), &["--waivers", w]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("expires"), "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn a_run_that_fails_while_writing_leaves_the_previous_report_whole() {
    let tmp = tempfile::TempDir::new().unwrap();
    let out = tmp.path().join("nightly");
    let first = bin()
        .args(["audit", "-q", "--out"])
        .arg(&out)
        .arg(sample())
        .output()
        .unwrap();
    assert!(first.status.success());
    let before: Vec<(PathBuf, Vec<u8>)> = all_files(&out)
        .into_iter()
        .map(|p| (p.clone(), std::fs::read(&p).unwrap()))
        .collect();

    // Files may grow to 16 KiB only: exceptions.csv fits, report.html does
    // not, so the run fails half-way through writing its report.
    let run = std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -f 32; trap '' XFSZ; exec \"$0\" audit -q --as-of 2024-10-01 --out \"$1\" \"$2\"")
        .arg(env!("CARGO_BIN_EXE_hmis-audit"))
        .arg(&out)
        .arg(sample())
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("cannot write"), "{stderr}");
    for (path, bytes) in before {
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "{}", path.display());
    }
    let names: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n != ".nightly.lock")
        .collect();
    assert_eq!(names, ["nightly"], "the temporary folder is removed");
}

#[test]
fn completions_and_man_page() {
    let out = bin().args(["completions", "bash"]).output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("hmis-audit"));
    let out = bin().arg("man").output().unwrap();
    assert!(out.status.success());
    let man = String::from_utf8_lossy(&out.stdout);
    assert!(man.contains(".TH") && man.contains("hmis-audit"), "{man}");
}
