//! Running the binary and reading what it wrote.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn case_dir(name: &str) -> PathBuf {
    repo().join("tests/cases").join(name)
}

pub fn external(name: &str) -> PathBuf {
    repo().join("../shared/fixtures/external").join(name)
}

pub fn bin() -> Command {
    Command::cargo_bin("hmis-audit").expect("the hmis-audit binary is built")
}

/// One finished run: its exit code, standard error, and output folder.
pub struct Run {
    pub code: i32,
    pub stderr: String,
    pub out: PathBuf,
    _tmp: TempDir,
}

impl Run {
    pub fn exceptions_text(&self) -> String {
        std::fs::read_to_string(self.out.join("exceptions.csv")).expect("exceptions.csv")
    }

    /// exceptions.csv as a header-keyed list of rows.
    pub fn exceptions(&self) -> Vec<Row> {
        read_rows(&self.out.join("exceptions.csv"))
    }

    pub fn summary(&self) -> serde_json::Value {
        let text = std::fs::read_to_string(self.out.join("summary.json")).expect("summary.json");
        serde_json::from_str(&text).expect("summary.json parses")
    }

    /// The row accounting of one input file in summary.json.
    pub fn file_rows(&self, file: &str) -> serde_json::Value {
        self.summary()["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["file"] == file)
            .unwrap_or_else(|| panic!("{file} in summary.json"))["rows"]
            .clone()
    }

    /// The exceptions of one rule.
    pub fn of_rule(&self, rule: &str) -> Vec<Row> {
        self.exceptions()
            .into_iter()
            .filter(|r| r.get("rule") == rule)
            .collect()
    }
}

#[derive(Debug, Clone)]
pub struct Row {
    pub fields: Vec<(String, String)>,
}

impl Row {
    pub fn get(&self, k: &str) -> &str {
        self.fields
            .iter()
            .find(|(name, _)| name == k)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("no column {k}"))
    }
}

pub fn read_rows(path: &Path) -> Vec<Row> {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            Row {
                fields: headers
                    .iter()
                    .cloned()
                    .zip(rec.iter().map(String::from))
                    .collect(),
            }
        })
        .collect()
}

/// Runs `hmis-audit audit DIR --out TMP ARGS...`.
pub fn audit(dir: &Path, args: &[&str]) -> Run {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("report");
    let output = bin()
        .arg("audit")
        .arg(dir)
        .arg("--out")
        .arg(&out)
        .arg("--quiet")
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        !stderr.contains("panicked"),
        "the tool panicked on {}: {stderr}",
        dir.display()
    );
    assert!(
        output.stdout.is_empty(),
        "audit prints its summary on standard error only"
    );
    Run {
        code: output.status.code().unwrap_or(-1),
        stderr,
        out,
        _tmp: tmp,
    }
}

/// The columns an expected.csv pins down.
pub const KEY_COLUMNS: [&str; 7] = [
    "rule",
    "personal_id",
    "organization_id",
    "enrollment_id",
    "record_id",
    "triggers",
    "trigger_date",
];

pub fn key(row: &Row) -> Vec<String> {
    KEY_COLUMNS.iter().map(|c| row.get(c).to_string()).collect()
}

/// Asserts that a run's exceptions are exactly `expected` (compared on the
/// key columns, in any order), and that each expected message_contains is
/// in the message.
pub fn assert_exceptions(run: &Run, expected: &[Row], what: &str) {
    let actual = run.exceptions();
    let mut got: Vec<Vec<String>> = actual.iter().map(key).collect();
    let mut want: Vec<Vec<String>> = expected.iter().map(key).collect();
    got.sort();
    want.sort();
    let missing: Vec<_> = want.iter().filter(|w| !got.contains(w)).collect();
    let extra: Vec<_> = got.iter().filter(|g| !want.contains(g)).collect();
    assert!(
        missing.is_empty() && extra.is_empty() && got.len() == want.len(),
        "{what}: exceptions differ\n  missing: {missing:#?}\n  unexpected: {extra:#?}"
    );
    for e in expected {
        let needle = e.get("message_contains");
        if needle.is_empty() {
            continue;
        }
        let row = actual.iter().find(|a| key(a) == key(e)).unwrap();
        assert!(
            row.get("message").contains(needle),
            "{what}: message of {:?} lacks {needle:?}: {}",
            key(e),
            row.get("message")
        );
    }
}

/// Writes files into a fresh folder: a tiny export made in a test.
pub fn export_with(files: &[(&str, &[u8])]) -> TempDir {
    let tmp = TempDir::new().unwrap();
    for (name, body) in files {
        std::fs::write(tmp.path().join(name), body).unwrap();
    }
    tmp
}

/// read = live + deleted + rejected, for every file of a run's summary.
pub fn assert_accounted(run: &Run) {
    for f in run.summary()["files"].as_array().unwrap() {
        if let Some(r) = f["rows"].as_object() {
            let n = |k: &str| r[k].as_u64().unwrap();
            assert_eq!(
                n("read"),
                n("live") + n("deleted") + n("rejected"),
                "{}",
                f["file"]
            );
        }
    }
}

const ORG: &[u8] = b"OrganizationID,OrganizationName,VictimServiceProvider\nO1,Agency One,0\n";
const PROJECT: &[u8] = b"ProjectID,OrganizationID,ProjectName,ProjectType\nP1,O1,Shelter,0\n";
const CLIENT: &[u8] = b"PersonalID,DOB,DOBDataQuality\nC1,1980-01-01,1\n";
const ENROLLMENT: &[u8] =
    b"EnrollmentID,PersonalID,ProjectID,EntryDate,HouseholdID,RelationshipToHoH\nE1,C1,P1,2024-01-01,H1,1\n";
const EXPORT: &[u8] = b"ExportID,ExportStartDate,ExportEndDate\nX1,2023-07-01,2024-06-30\n";

/// The smallest clean export (one agency, project, client and enrollment;
/// as of 2024-06-30), with files replaced (`Some`) or removed (`None`).
pub fn minimal_export(changes: &[(&str, Option<&[u8]>)]) -> TempDir {
    let mut files: Vec<(&str, &[u8])> = vec![
        ("Export.csv", EXPORT),
        ("Organization.csv", ORG),
        ("Project.csv", PROJECT),
        ("Client.csv", CLIENT),
        ("Enrollment.csv", ENROLLMENT),
    ];
    for (name, body) in changes {
        files.retain(|(n, _)| n != name);
        if let Some(b) = body {
            files.push((name, b));
        }
    }
    export_with(&files)
}
