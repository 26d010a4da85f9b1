//! History (`--history DIR`): each run's exceptions, kept per as-of date in
//! `runs/<as-of>.csv`, and a trend in `trend.csv`. A run compares itself
//! with the latest earlier as-of date, so re-running the same export and
//! date gives the same statuses.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

use crate::error::AuditError;
use crate::ingest::values::parse_date;
use crate::rules::Severity;

/// An exception as a past run recorded it.
#[derive(Debug, Clone, Serialize)]
pub struct Recorded {
    pub fingerprint: String,
    pub first_seen: String,
    pub rule: String,
    pub severity: String,
    pub personal_id: String,
    pub organization_id: String,
    pub record_id: String,
}

const RUN_COLUMNS: [&str; 7] = [
    "fingerprint",
    "first_seen",
    "rule",
    "severity",
    "personal_id",
    "organization_id",
    "record_id",
];

/// One point of the trend: a run's counts by severity.
#[derive(Debug, Clone, Serialize)]
pub struct TrendPoint {
    pub as_of: String,
    pub total: usize,
    pub by_severity: BTreeMap<String, usize>,
}

pub struct History {
    dir: PathBuf,
    /// The latest run before the as-of date, if any.
    pub previous_as_of: Option<NaiveDate>,
    pub previous: Vec<Recorded>,
    pub trend: Vec<TrendPoint>,
}

fn err(path: &Path, e: impl std::fmt::Display) -> AuditError {
    AuditError::Output(format!("history {}: {e}", path.display()))
}

impl History {
    /// Opens (creating) a history folder and reads the run before `as_of`.
    pub fn open(dir: &Path, as_of: NaiveDate) -> Result<History, AuditError> {
        let runs = dir.join("runs");
        create_private_dir(&runs)?;
        let mut dates: Vec<NaiveDate> = fs::read_dir(&runs)
            .map_err(|e| err(&runs, e))?
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                parse_date(name.strip_suffix(".csv")?)
            })
            .collect();
        dates.sort();
        let previous_as_of = dates.iter().copied().filter(|d| *d < as_of).max();
        let previous = match previous_as_of {
            Some(d) => read_run(&runs.join(format!("{d}.csv")))?,
            None => Vec::new(),
        };
        let trend = read_trend(&dir.join("trend.csv"))?;
        Ok(History {
            dir: dir.to_path_buf(),
            previous_as_of,
            previous,
            trend,
        })
    }

    pub fn first_seen(&self) -> HashMap<&str, &str> {
        self.previous
            .iter()
            .map(|r| (r.fingerprint.as_str(), r.first_seen.as_str()))
            .collect()
    }

    /// Records this run (replacing an earlier run of the same as-of date)
    /// and the trend that includes it.
    pub fn record(
        &self,
        as_of: NaiveDate,
        exceptions: &[Recorded],
        trend: &[TrendPoint],
    ) -> Result<(), AuditError> {
        let path = self.dir.join("runs").join(format!("{as_of}.csv"));
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        w.write_record(RUN_COLUMNS).map_err(|e| err(&path, e))?;
        for r in exceptions {
            w.write_record([
                &r.fingerprint,
                &r.first_seen,
                &r.rule,
                &r.severity,
                &r.personal_id,
                &r.organization_id,
                &r.record_id,
            ])
            .map_err(|e| err(&path, e))?;
        }
        let bytes = w.into_inner().map_err(|e| err(&path, e))?;
        write_atomically(&path, &bytes)?;

        let path = self.dir.join("trend.csv");
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        let mut header = vec!["as_of".to_string(), "total".to_string()];
        header.extend(Severity::ALL.iter().map(|s| s.as_str().to_string()));
        w.write_record(&header).map_err(|e| err(&path, e))?;
        for p in trend {
            let mut row = vec![p.as_of.clone(), p.total.to_string()];
            row.extend(Severity::ALL.iter().map(|s| {
                p.by_severity
                    .get(s.as_str())
                    .copied()
                    .unwrap_or(0)
                    .to_string()
            }));
            w.write_record(&row).map_err(|e| err(&path, e))?;
        }
        let bytes = w.into_inner().map_err(|e| err(&path, e))?;
        write_atomically(&path, &bytes)
    }
}

fn read_run(path: &Path) -> Result<Vec<Recorded>, AuditError> {
    let mut reader = csv::Reader::from_path(path).map_err(|e| err(path, e))?;
    let mut out = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| err(path, e))?;
        let c = |i: usize| rec.get(i).unwrap_or("").to_string();
        out.push(Recorded {
            fingerprint: c(0),
            first_seen: c(1),
            rule: c(2),
            severity: c(3),
            personal_id: c(4),
            organization_id: c(5),
            record_id: c(6),
        });
    }
    Ok(out)
}

fn read_trend(path: &Path) -> Result<Vec<TrendPoint>, AuditError> {
    if !path.exists() {
        return Ok(Vec::new());
    }
    let mut reader = csv::Reader::from_path(path).map_err(|e| err(path, e))?;
    let mut out = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| err(path, e))?;
        let n = |i: usize| rec.get(i).and_then(|v| v.parse().ok()).unwrap_or(0);
        out.push(TrendPoint {
            as_of: rec.get(0).unwrap_or("").to_string(),
            total: n(1),
            by_severity: Severity::ALL
                .iter()
                .enumerate()
                .map(|(i, s)| (s.as_str().to_string(), n(i + 2)))
                .collect(),
        });
    }
    Ok(out)
}

fn create_private_dir(dir: &Path) -> Result<(), AuditError> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir).map_err(|e| err(dir, e))
}

/// Writes a file next to its target and renames it into place, 0600.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), AuditError> {
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    {
        use std::io::Write;
        let mut f = options.open(&tmp).map_err(|e| err(&tmp, e))?;
        f.write_all(bytes).map_err(|e| err(&tmp, e))?;
        f.sync_all().map_err(|e| err(&tmp, e))?;
    }
    fs::rename(&tmp, path).map_err(|e| err(path, e))
}
