//! hmis-audit: audits an HMIS CSV export for record locks, Release of
//! Information documentation and visibility groups.
//!
//! The data flows one way: ingest (read and type each file), facts (derived
//! once per client), rules (the registry), ledger (fingerprints, order),
//! report (writers and one atomic publish).

pub mod config;
pub mod error;
pub mod facts;
pub mod ingest;
pub mod ledger;
pub mod report;
pub mod rules;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::NaiveDate;

pub use config::Config;
pub use error::AuditError;
use ingest::Export;

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// What to audit and where to write the report.
#[derive(Debug, Clone)]
pub struct Options {
    pub export_dir: PathBuf,
    /// Default: `reports/<as-of date>/`.
    pub out: Option<PathBuf>,
    pub as_of: Option<NaiveDate>,
    pub config: Config,
    pub quiet: bool,
}

/// What a finished run reports back to the command line.
#[derive(Debug)]
pub struct Outcome {
    pub out_dir: PathBuf,
    pub as_of: NaiveDate,
    pub exceptions: usize,
    pub by_severity: BTreeMap<&'static str, usize>,
    pub warnings: Vec<String>,
}

/// Phase progress on standard error (hidden when it is not a terminal or
/// with --quiet).
struct Progress(indicatif::ProgressBar);

impl Progress {
    fn new(quiet: bool) -> Progress {
        let bar = if quiet {
            indicatif::ProgressBar::hidden()
        } else {
            let b = indicatif::ProgressBar::new_spinner();
            b.enable_steady_tick(std::time::Duration::from_millis(120));
            b
        };
        Progress(bar)
    }
    fn phase(&self, name: &str) {
        self.0.set_message(name.to_string());
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}

/// Runs the whole audit: ingest, facts, rules, ledger, report.
pub fn audit(opts: &Options) -> Result<Outcome, AuditError> {
    let started = Instant::now();
    let mut timings: BTreeMap<&'static str, u128> = BTreeMap::new();
    let progress = Progress::new(opts.quiet);

    progress.phase("ingest: reading the export");
    let t = Instant::now();
    let export = Export::load(&opts.export_dir, &opts.config)?;
    timings.insert("ingest", t.elapsed().as_millis());

    let (as_of, as_of_source) = match (opts.as_of, export.export_end_date()) {
        (Some(d), _) => (d, "--as-of"),
        (None, Some(d)) => (d, "ExportEndDate"),
        (None, None) => (chrono::Local::now().date_naive(), "today"),
    };

    progress.phase("facts: joining clients, enrollments, ROIs and visibility");
    let t = Instant::now();
    let facts = facts::Facts::build(&export, &opts.config, as_of);
    timings.insert("facts", t.elapsed().as_millis());

    progress.phase("rules: checking every rule");
    let t = Instant::now();
    let (exceptions, runs) = rules::run_all(&facts);
    timings.insert("rules", t.elapsed().as_millis());

    progress.phase("ledger: fingerprints and order");
    let t = Instant::now();
    let entries = ledger::build(exceptions);
    timings.insert("ledger", t.elapsed().as_millis());

    progress.phase("report: writing");
    let t = Instant::now();
    let out_dir = opts
        .out
        .clone()
        .unwrap_or_else(|| Path::new("reports").join(as_of.to_string()));
    let staging = report::publish::Staging::new(&out_dir)?;
    let csv_path = staging.dir().join("exceptions.csv");
    let mut w = staging.create("exceptions.csv")?;
    report::csv::write_exceptions(&mut w, &entries)
        .map_err(|e| AuditError::Output(format!("cannot write {}: {e}", csv_path.display())))?;
    report::publish::finish(w, &csv_path)?;

    let counts = report::json::counts(&entries);
    let by_severity = counts.by_severity.clone();
    timings.insert("report", t.elapsed().as_millis());
    timings.insert("total", started.elapsed().as_millis());
    let summary = report::json::Summary {
        tool: report::json::Tool {
            name: "hmis-audit",
            version: VERSION,
        },
        export_dir: opts.export_dir.display().to_string(),
        as_of: as_of.to_string(),
        as_of_source,
        csv_version: export.csv_version(),
        export_csv_version: export
            .export
            .rows
            .iter()
            .map(|r| r.csv_version.trim().to_string())
            .find(|v| !v.is_empty()),
        files: report::json::files(&export),
        rules_run: runs
            .iter()
            .filter(|r| r.skipped.is_none())
            .map(|r| r.rule)
            .collect(),
        rules_skipped: runs
            .iter()
            .filter_map(|r| {
                r.skipped.as_ref().map(|reason| report::json::Skipped {
                    rule: r.rule,
                    reason: reason.clone(),
                })
            })
            .collect(),
        rules: runs,
        counts,
        clients: report::json::client_counts(&facts),
        warnings: export.warnings.clone(),
        timings_ms: timings,
    };
    let json = serde_json::to_vec_pretty(&summary)
        .map_err(|e| AuditError::Output(format!("cannot write summary.json: {e}")))?;
    staging.write("summary.json", &json)?;
    let out_dir = staging.publish()?;
    drop(progress);

    Ok(Outcome {
        out_dir,
        as_of,
        exceptions: entries.len(),
        by_severity,
        warnings: export.warnings,
    })
}
