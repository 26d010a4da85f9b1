//! The command line: parse, call the library, map the outcome to an exit
//! code (0 ran, 2 usage error or unusable input).

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

use hmis_audit::rules::{registry, Severity, RULES};
use hmis_audit::{audit, AuditError, Config, Options};

#[global_allocator]
static ALLOCATOR: hmis_audit::memory::HugePages = hmis_audit::memory::HugePages;

const ABOUT: &str =
    "Audit an HMIS CSV export for record locks, ROI documentation and visibility groups.";

const LONG_ABOUT: &str = "\
Audit an HMIS CSV export (HUD FY2022/FY2024/FY2026, plus the vendor files
ReleaseOfInformation.csv, ClientVisibility.csv, VisibilityGroup.csv and
ClientVisibilityGroup.csv) and report every record that should be locked and
is not, every ROI that disagrees with the lock, every provider missing from a
locked record's visibility group, and everything structurally wrong with the
export itself.";

const AFTER_HELP: &str = "\
Examples:
  hmis-audit audit /data/hmis-export
  hmis-audit audit /data/hmis-export --as-of 2024-09-30 --out /srv/audits/today
  hmis-audit audit /data/hmis-export --history /srv/audits/history --fail-on high
  hmis-audit rules
  hmis-audit explain LOCK-001
  hmis-audit config > audit.toml

Exit codes:
  0  the audit ran (whatever it found)
  1  --fail-on SEVERITY was given and a non-waived exception at or above it exists
  2  usage error or unusable input (a required file or column missing,
     an unreadable folder, a bad configuration)";

#[derive(Parser)]
#[command(name = "hmis-audit", version, about = ABOUT, long_about = LONG_ABOUT, after_help = AFTER_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Audit an export folder and write exceptions.csv and summary.json.
    #[command(after_help = "\
Outputs (in --out, default reports/<as-of date>/, written to a temporary
folder and moved into place at the end; readable by their owner only):
  exceptions.csv    one row per exception: fingerprint, status, rule, severity,
                    personal_id, organization_id, enrollment_id, record_id,
                    triggers, trigger_date, message
  summary.json      tool version, as-of date, every input file with its row
                    counts (read = live + deleted + rejected) and SHA-256,
                    rules run and skipped, counts by rule, severity and
                    organization, waivers, history, phase timings
  report.html       one self-contained page for the HMIS lead
  exceptions.xlsx   a summary sheet and a sheet per rule
  agencies/ID.csv   each agency's own exceptions, to send out; DV, HIV and
                    TRAFFICKING are written as CONFIDENTIAL
  waived.csv        with --waivers: the exceptions waived
  resolved.csv      with --history: exceptions of the previous run now gone

Examples:
  hmis-audit audit sample_data --as-of 2024-09-30 --out reports/demo
  hmis-audit audit /data/export --history /var/lib/hmis-audit/history \\
      --waivers /etc/hmis-audit/waivers.csv --fail-on critical")]
    Audit {
        /// The export folder (HUD CSV files plus the vendor extension files).
        export_dir: PathBuf,
        /// Output folder [default: reports/<as-of date>/].
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// The date every "active", "age" and "expired" is judged on
        /// [default: the latest ExportEndDate of Export.csv, else today].
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_as_of)]
        as_of: Option<NaiveDate>,
        /// A TOML configuration (see `hmis-audit config`).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Keep a history of runs in DIR: exceptions get status new or
        /// persisting and a first-seen date, resolved.csv lists those gone
        /// since the previous run, and report.html shows the trend.
        #[arg(long, value_name = "DIR")]
        history: Option<PathBuf>,
        /// A CSV of fingerprint, reason, expires (yyyy-mm-dd, empty = never):
        /// matching exceptions go to waived.csv, out of the counts and the
        /// exit code, until they expire.
        #[arg(long, value_name = "FILE")]
        waivers: Option<PathBuf>,
        /// Write DV, HIV and TRAFFICKING as CONFIDENTIAL in every output, as
        /// the agency files always do.
        #[arg(long)]
        redact: bool,
        /// Exit 1 when a non-waived exception at or above this severity exists.
        #[arg(long, value_name = "SEVERITY")]
        fail_on: Option<FailOn>,
        /// Print nothing but errors (no progress, no summary line).
        #[arg(long, short)]
        quiet: bool,
    },
    /// List every rule: ID, severity and title.
    Rules {
        /// Print the full rules page in Markdown (docs/rules.md).
        #[arg(long)]
        markdown: bool,
    },
    /// Print one rule's documentation: what it finds, why it matters, how to fix it.
    Explain {
        /// A rule ID, e.g. LOCK-001.
        rule: String,
    },
    /// Print the default configuration, with comments.
    Config,
    /// Write a deterministic synthetic export (demo data, tests, benchmarks).
    #[command(after_help = "\
Every HUD FY2024 column of the files the auditor reads, plus the four vendor
extension files, with about 2.5 enrollments per client, families and
unaccompanied minors, health, DV and disability rows at entry, update and
exit, CE assessments, ROIs of every shape, locked, shared and restricted
records and visibility groups; every rule fires at a small rate. The as-of
date (ExportEndDate) is 2024-12-31. The same seed writes the same bytes.

Example:
  hmis-audit generate --clients 10000 --seed 7 --out /tmp/export --messy")]
    Generate {
        /// How many clients.
        #[arg(long, default_value_t = 10_000)]
        clients: usize,
        /// The random seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The folder to write (created if needed; files are overwritten).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Add BOMs, CRLF line ends, shuffled and extra columns, quoted
        /// commas, quotes and newlines, and a few malformed rows.
        #[arg(long)]
        messy: bool,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions { shell: clap_complete::Shell },
    /// Print the man page (roff) to standard output.
    Man,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    Critical,
    High,
    Medium,
    Low,
    Info,
}

impl From<FailOn> for Severity {
    fn from(f: FailOn) -> Severity {
        match f {
            FailOn::Critical => Severity::Critical,
            FailOn::High => Severity::High,
            FailOn::Medium => Severity::Medium,
            FailOn::Low => Severity::Low,
            FailOn::Info => Severity::Info,
        }
    }
}

fn parse_as_of(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .filter(|_| s.len() == 10)
        .ok_or_else(|| format!("`{s}` is not a date in the form YYYY-MM-DD"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("hmis-audit: error: {e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

/// Runs a subcommand; returns the exit code of a run that worked.
fn run(command: Command) -> Result<u8, AuditError> {
    match command {
        Command::Audit {
            export_dir,
            out,
            as_of,
            config,
            history,
            waivers,
            redact,
            fail_on,
            quiet,
        } => {
            let config = match config {
                Some(path) => Config::load(&path)?,
                None => Config::default(),
            };
            let outcome = audit(&Options {
                export_dir,
                out,
                as_of,
                config,
                quiet,
                history,
                waivers,
                redact,
            })?;
            if !quiet {
                for w in &outcome.warnings {
                    eprintln!("hmis-audit: warning: {w}");
                }
                let counts: Vec<String> = Severity::ALL
                    .iter()
                    .filter_map(|s| {
                        let n = outcome.by_severity.get(s.as_str()).copied().unwrap_or(0);
                        (n > 0).then(|| format!("{n} {}", s.as_str()))
                    })
                    .collect();
                eprintln!(
                    "hmis-audit: as of {}: {} exceptions{}{}; report in {}",
                    outcome.as_of,
                    outcome.exceptions,
                    if counts.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", counts.join(", "))
                    },
                    if outcome.waived > 0 {
                        format!(", {} waived", outcome.waived)
                    } else {
                        String::new()
                    },
                    outcome.out_dir.display()
                );
            }
            let failed = match (fail_on, outcome.worst) {
                (Some(threshold), Some(worst)) => worst <= Severity::from(threshold),
                _ => false,
            };
            Ok(if failed { 1 } else { 0 })
        }
        Command::Rules { markdown } => {
            if markdown {
                print!("{}", registry::markdown());
            } else {
                for r in &RULES {
                    println!("{:<9} {:<9} {}", r.id, r.severity.as_str(), r.title);
                }
            }
            Ok(0)
        }
        Command::Explain { rule } => match registry::find(&rule) {
            Some(r) => {
                print!("{}", r.explain());
                Ok(0)
            }
            None => Err(AuditError::Usage(format!(
                "unknown rule `{rule}`; `hmis-audit rules` lists them"
            ))),
        },
        Command::Config => {
            print!("{}", hmis_audit::config::DEFAULT_CONFIG_TOML);
            Ok(0)
        }
        Command::Generate {
            clients,
            seed,
            out,
            messy,
        } => {
            let g = hmis_audit::generate::generate(&hmis_audit::generate::GenerateOptions {
                clients,
                seed,
                out: out.clone(),
                messy,
            })?;
            eprintln!(
                "hmis-audit: wrote {} clients, {} enrollments, {} bytes to {}",
                g.clients,
                g.enrollments,
                g.bytes,
                out.display()
            );
            Ok(0)
        }
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "hmis-audit",
                &mut std::io::stdout(),
            );
            Ok(0)
        }
        Command::Man => {
            clap_mangen::Man::new(Cli::command())
                .render(&mut std::io::stdout())
                .map_err(|e| AuditError::Output(format!("cannot write the man page: {e}")))?;
            Ok(0)
        }
    }
}
