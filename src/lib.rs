//! hmis-audit: audits an HMIS CSV export for record locks, Release of
//! Information documentation and visibility groups.
//!
//! The data flows one way: ingest (read and type each file), facts (derived
//! once per client), rules (the registry), ledger (fingerprints, order),
//! report (writers and one atomic publish).

pub mod config;
pub mod error;
pub mod facts;
pub mod generate;
pub mod ids;
pub mod ingest;
pub mod ledger;
pub mod memory;
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
    /// Keep a history of runs here: statuses, first-seen dates, resolved.csv.
    pub history: Option<PathBuf>,
    /// A CSV of fingerprint, reason, expires.
    pub waivers: Option<PathBuf>,
    /// DV, HIV and TRAFFICKING as CONFIDENTIAL in every output.
    pub redact: bool,
}

impl Options {
    pub fn new(export_dir: impl Into<PathBuf>) -> Options {
        Options {
            export_dir: export_dir.into(),
            out: None,
            as_of: None,
            config: Config::default(),
            quiet: true,
            history: None,
            waivers: None,
            redact: false,
        }
    }
}

/// What a finished run reports back to the command line.
#[derive(Debug)]
pub struct Outcome {
    pub out_dir: PathBuf,
    pub as_of: NaiveDate,
    /// Exceptions reported (waived ones excluded).
    pub exceptions: usize,
    pub waived: usize,
    pub by_severity: BTreeMap<&'static str, usize>,
    /// The most severe exception reported, for `--fail-on`.
    pub worst: Option<rules::Severity>,
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

/// Frees a large value on a thread of its own, so that the caller goes on
/// meanwhile; should no thread start, it is freed here and now.
pub(crate) fn free_on_thread<T: Send + 'static>(value: T) -> Option<std::thread::JoinHandle<()>> {
    std::thread::Builder::new().spawn(move || drop(value)).ok()
}

/// Runs the whole audit: ingest, facts, rules, ledger, report.
pub fn audit(opts: &Options) -> Result<Outcome, AuditError> {
    let started = Instant::now();
    let mut timings: BTreeMap<&'static str, u128> = BTreeMap::new();
    let waivers = match &opts.waivers {
        Some(path) => ledger::waivers::load(path)?,
        None => Vec::new(),
    };
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

    // What the reports need of the export and the facts. Both are freed
    // before the report is written: the facts while the ledger is built,
    // the export on a thread of its own while the report is written.
    let client_counts = report::json::client_counts(&facts);
    let csv_version = export.csv_version();
    let export_csv_version = export
        .export
        .rows
        .iter()
        .map(|r| r.csv_version.trim().to_string())
        .find(|v| !v.is_empty());
    let files = report::json::files(&export);
    let organization_names: BTreeMap<String, String> = export
        .organizations
        .rows
        .iter()
        .map(|o| (o.id.to_string(), o.name.clone()))
        .collect();
    let warnings = export.warnings.clone();

    progress.phase("ledger: fingerprints, history and waivers");
    let t = Instant::now();
    let history = match &opts.history {
        Some(dir) => Some(ledger::history::History::open(dir, as_of)?),
        None => None,
    };
    let ((), ledger) = rayon::join(
        move || drop(facts),
        || ledger::build(exceptions, as_of, history.as_ref(), &waivers),
    );
    timings.insert("ledger", t.elapsed().as_millis());
    let freeing_export = free_on_thread(export);

    progress.phase("report: writing");
    let t = Instant::now();
    let out_dir = opts
        .out
        .clone()
        .unwrap_or_else(|| Path::new("reports").join(as_of.to_string()));
    let export_dir = opts.export_dir.display().to_string();
    let input = report::ReportInput {
        as_of,
        export_dir: &export_dir,
        csv_version,
        ledger: &ledger,
        runs: &runs,
        organization_names,
        redact: opts.redact,
    };
    let staging = report::publish::Staging::new(&out_dir)?;
    let outputs = write_reports(&staging, &input, opts)?;

    let counts = report::json::counts(&ledger.entries);
    let by_severity = counts.by_severity.clone();
    timings.insert("report", t.elapsed().as_millis());
    timings.insert("total", started.elapsed().as_millis());
    let summary = report::json::Summary {
        tool: report::json::Tool {
            name: "hmis-audit",
            version: VERSION,
        },
        export_dir,
        as_of: as_of.to_string(),
        as_of_source,
        csv_version,
        export_csv_version,
        files,
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
        rules: runs.clone(),
        counts,
        clients: client_counts,
        warnings: warnings.clone(),
        waivers: opts
            .waivers
            .as_ref()
            .map(|path| report::json::WaiverSummary {
                file: path.display().to_string(),
                waived: ledger.waived.len(),
                expired: ledger.expired_waivers.clone(),
                unknown: ledger.unknown_waivers.clone(),
            }),
        history: opts
            .history
            .as_ref()
            .map(|dir| report::json::HistorySummary {
                dir: dir.display().to_string(),
                previous_as_of: ledger.previous_as_of.map(|d| d.to_string()),
                new: ledger.entries.iter().filter(|e| e.status == "new").count(),
                persisting: ledger
                    .entries
                    .iter()
                    .filter(|e| e.status == "persisting")
                    .count(),
                resolved: ledger.resolved.len(),
            }),
        redacted: opts.redact,
        outputs,
        timings_ms: timings,
    };
    let json = serde_json::to_vec_pretty(&summary)
        .map_err(|e| AuditError::Output(format!("cannot write summary.json: {e}")))?;
    staging.write("summary.json", &json)?;
    let out_dir = staging.publish()?;
    if let Some(h) = &history {
        h.record(as_of, &ledger.recorded(as_of), &ledger.trend)?;
    }
    drop(progress);
    // Freeing memory cannot fail; a panic there would be a bug worth seeing.
    if let Some(Err(panic)) = freeing_export.map(|t| t.join()) {
        std::panic::resume_unwind(panic);
    }

    Ok(Outcome {
        out_dir,
        as_of,
        exceptions: ledger.entries.len(),
        waived: ledger.waived.len(),
        by_severity,
        worst: ledger.worst(),
        warnings,
    })
}

/// Writes every output but summary.json into the staging folder; returns
/// their names.
fn write_reports(
    staging: &report::publish::Staging,
    input: &report::ReportInput<'_>,
    opts: &Options,
) -> Result<Vec<String>, AuditError> {
    let ledger = input.ledger;
    let mut outputs = Vec::new();
    let csv_file = |name: &str, write: &dyn Fn(&mut dyn std::io::Write) -> csv::Result<()>| {
        let path = staging.dir().join(name);
        let mut w = staging.create(name)?;
        write(&mut w)
            .map_err(|e| AuditError::Output(format!("cannot write {}: {e}", path.display())))?;
        report::publish::finish(w, &path)
    };
    // The CSV files are written while the HTML and the workbook render.
    let (csv_outputs, (html, xlsx)) = rayon::join(
        || -> Result<Vec<String>, AuditError> {
            let mut outputs = Vec::new();
            csv_file("exceptions.csv", &|w| {
                report::csv::write_exceptions(w, &ledger.entries, input.redact)
            })?;
            outputs.push("exceptions.csv".to_string());
            if opts.waivers.is_some() {
                csv_file("waived.csv", &|w| {
                    report::csv::write_waived(w, &ledger.waived, input.redact)
                })?;
                outputs.push("waived.csv".to_string());
            }
            if opts.history.is_some() {
                csv_file("resolved.csv", &|w| {
                    report::csv::write_resolved(w, &ledger.resolved)
                })?;
                outputs.push("resolved.csv".to_string());
            }
            for (name, entries) in report::agencies::by_agency(&ledger.entries) {
                let relative = format!("agencies/{name}");
                csv_file(&relative, &|w| {
                    report::csv::write_agency(w, entries.iter().copied())
                })?;
                outputs.push(relative);
            }
            Ok(outputs)
        },
        || {
            rayon::join(
                || report::html::render(input),
                || report::xlsx::render(input),
            )
        },
    );
    outputs.extend(csv_outputs?);
    staging.write("report.html", html?.as_bytes())?;
    outputs.push("report.html".to_string());
    staging.write("exceptions.xlsx", &xlsx?)?;
    outputs.push("exceptions.xlsx".to_string());
    outputs.push("summary.json".to_string());
    Ok(outputs)
}
