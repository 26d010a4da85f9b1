//! Faults: a run killed at any point, a full disk, and two runs writing the
//! same report folder at once.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::helpers::*;

fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(snapshot(&p));
        } else {
            out.push((p.clone(), std::fs::read(&p).unwrap()));
        }
    }
    out.sort();
    out
}

fn generated(clients: usize) -> tempfile::TempDir {
    let dir = tempfile::TempDir::new().unwrap();
    let out = bin()
        .args([
            "generate",
            "--clients",
            &clients.to_string(),
            "--seed",
            "3",
            "--out",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    dir
}

/// A complete report: its summary parses and counts every row of exceptions.csv.
fn assert_whole(out: &Path) {
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let rows = read_rows(&out.join("exceptions.csv")).len();
    assert_eq!(summary["counts"]["total"].as_u64().unwrap() as usize, rows);
}

#[test]
fn a_run_killed_at_any_point_leaves_the_previous_report_whole() {
    let export = generated(30_000);
    let tmp = tempfile::TempDir::new().unwrap();
    let out = tmp.path().join("nightly");
    let first = bin()
        .args(["audit", "-q", "--out"])
        .arg(&out)
        .arg(repo().join("sample_data"))
        .output()
        .unwrap();
    assert!(first.status.success());
    let before = snapshot(&out);

    for delay_ms in [5, 50, 200, 500, 1000, 2000] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_hmis-audit"))
            .args(["audit", "-q", "--out"])
            .arg(&out)
            .arg(export.path())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();
        if status.success() {
            // It finished first: the new report is whole; keep it as the baseline.
            assert_whole(&out);
            continue;
        }
        // Killed before publishing: the previous report, byte for byte.
        // Killed after (while recording history or exiting): the new one,
        // whole. Never a missing or half-written folder.
        assert!(out.is_dir(), "killed after {delay_ms} ms: no report folder");
        if snapshot(&out) != before {
            assert_whole(&out);
        }
    }
    // The next run that completes clears what killed runs left beside it.
    let done = bin()
        .args(["audit", "-q", "--out"])
        .arg(&out)
        .arg(repo().join("sample_data"))
        .output()
        .unwrap();
    assert!(done.status.success());
    assert_whole(&out);
    let leftovers: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "nightly" && n != ".nightly.lock")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_a_clear_error_not_a_panic() {
    let tmp = tempfile::TempDir::new().unwrap();
    let disk = tmp.path().join("disk");
    std::fs::create_dir(&disk).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
        .arg(&disk)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let out = disk.join("report");
    let run = if mounted {
        bin()
            .args(["audit", "--out"])
            .arg(&out)
            .arg(repo().join("sample_data"))
            .output()
            .unwrap()
    } else {
        // Without the right to mount, a file-size limit fails writes the same way.
        Command::new("sh")
            .arg("-c")
            .arg("ulimit -f 64; trap '' XFSZ; exec \"$0\" audit --out \"$1\" \"$2\"")
            .arg(env!("CARGO_BIN_EXE_hmis-audit"))
            .arg(&out)
            .arg(repo().join("sample_data"))
            .output()
            .unwrap()
    };
    if mounted {
        let _ = Command::new("umount").arg(&disk).status();
    }
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains("cannot write"), "{stderr}");
}

#[test]
fn two_runs_into_the_same_folder_at_once_each_leave_a_whole_report() {
    let tmp = tempfile::TempDir::new().unwrap();
    let out = tmp.path().join("shared");
    for _ in 0..3 {
        let spawn = |as_of: &str| {
            Command::new(env!("CARGO_BIN_EXE_hmis-audit"))
                .args(["audit", "-q", "--as-of", as_of, "--out"])
                .arg(&out)
                .arg(repo().join("sample_data"))
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn("2024-09-30"), spawn("2024-11-30"));
        let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
        assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
        assert!(b.status.success(), "{}", String::from_utf8_lossy(&b.stderr));
        assert_whole(&out);
        let as_of = read_summary_as_of(&out);
        let reference = audit(&repo().join("sample_data"), &["--as-of", &as_of]);
        assert_eq!(
            std::fs::read_to_string(out.join("exceptions.csv")).unwrap(),
            reference.exceptions_text()
        );
    }
}

fn read_summary_as_of(out: &Path) -> String {
    let s: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    s["as_of"].as_str().unwrap().to_string()
}
