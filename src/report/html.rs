//! report.html: one self-contained page for an HMIS lead, rendered with a
//! template (minijinja, HTML auto-escaping on): headline counts, by rule,
//! by agency with an inline SVG chart, changes since the last run with a
//! trend, and the exceptions, filterable and sortable in the browser.

use serde::Serialize;

use super::csv::triggers_cell;
use super::ReportInput;
use crate::error::AuditError;
use crate::rules::{registry, Severity};

const TEMPLATE: &str = include_str!("report.html");

/// More rows than this make a page browsers struggle with; the page says
/// so and the CSV and workbook hold them all.
pub const MAX_ROWS: usize = 20_000;

fn color(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "#8b1a1a",
        Severity::High => "#c2410c",
        Severity::Medium => "#b7791f",
        Severity::Low => "#2b6cb0",
        Severity::Info => "#4a5568",
    }
}

#[derive(Serialize)]
struct SeverityCount {
    name: &'static str,
    count: usize,
    color: &'static str,
}

#[derive(Serialize)]
struct RuleRow {
    id: &'static str,
    severity: &'static str,
    title: &'static str,
    fix: &'static str,
    count: usize,
}

#[derive(Serialize)]
struct AgencyRow {
    id: String,
    name: String,
    counts: Vec<usize>,
    total: usize,
}

#[derive(Serialize)]
struct Segment {
    x: u32,
    w: u32,
    severity: &'static str,
    color: &'static str,
    count: usize,
}

#[derive(Serialize)]
struct Bar {
    label: String,
    y: u32,
    end: u32,
    total: usize,
    segments: Vec<Segment>,
}

#[derive(Serialize)]
struct Chart {
    width: u32,
    height: u32,
    bars: Vec<Bar>,
}

#[derive(Serialize)]
struct TrendLabel {
    x: u32,
    y: u32,
    as_of: String,
    total: usize,
}

#[derive(Serialize)]
struct Trend {
    width: u32,
    height: u32,
    max: usize,
    total_points: String,
    critical_points: String,
    labels: Vec<TrendLabel>,
}

#[derive(Serialize)]
struct Changes {
    previous_as_of: Option<String>,
    new: usize,
    persisting: usize,
    resolved: usize,
}

#[derive(Serialize)]
struct ExceptionRow {
    rank: usize,
    severity: &'static str,
    rule: &'static str,
    personal_id: String,
    organization_id: String,
    enrollment_id: String,
    record_id: String,
    triggers: String,
    trigger_date: String,
    status: String,
    first_seen: String,
    message: String,
}

#[derive(Serialize)]
struct Skip {
    rule: &'static str,
    reason: String,
}

#[derive(Serialize)]
struct Page {
    as_of: String,
    export_dir: String,
    csv_version: String,
    version: &'static str,
    redacted: bool,
    total: usize,
    shown: usize,
    waived: usize,
    severities: Vec<SeverityCount>,
    skipped: Vec<Skip>,
    rules: Vec<RuleRow>,
    agencies: Vec<AgencyRow>,
    chart: Chart,
    history: Option<Changes>,
    trend: Option<Trend>,
    exceptions: Vec<ExceptionRow>,
}

fn agency_chart(agencies: &[AgencyRow]) -> Chart {
    const LABEL: u32 = 140;
    const BAR: u32 = 520;
    let top: Vec<&AgencyRow> = agencies.iter().take(15).collect();
    let max = top.iter().map(|a| a.total).max().unwrap_or(0).max(1);
    let bars = top
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let y = i as u32 * 22;
            let mut x = LABEL;
            let mut segments = Vec::new();
            for (s, &n) in Severity::ALL.iter().zip(&a.counts) {
                if n == 0 {
                    continue;
                }
                let w = ((n as f64 / max as f64) * BAR as f64).round().max(1.0) as u32;
                segments.push(Segment {
                    x,
                    w,
                    severity: s.as_str(),
                    color: color(*s),
                    count: n,
                });
                x += w;
            }
            Bar {
                label: if a.id.is_empty() {
                    "(no agency)".into()
                } else {
                    a.id.clone()
                },
                y,
                end: x,
                total: a.total,
                segments,
            }
        })
        .collect::<Vec<_>>();
    Chart {
        width: LABEL + BAR + 60,
        height: bars.len() as u32 * 22 + 4,
        bars,
    }
}

fn trend_chart(input: &ReportInput<'_>) -> Option<Trend> {
    let trend = &input.ledger.trend;
    if trend.is_empty() {
        return None;
    }
    let (width, height, pad) = (640u32, 160u32, 40u32);
    let max = trend.iter().map(|p| p.total).max().unwrap_or(0).max(1);
    let step = if trend.len() > 1 {
        (width - 2 * pad) as f64 / (trend.len() - 1) as f64
    } else {
        0.0
    };
    let xy = |i: usize, v: usize| {
        let x = pad as f64 + step * i as f64;
        let y = (height - pad) as f64 - (v as f64 / max as f64) * (height - 2 * pad) as f64;
        (x.round() as u32, y.round() as u32)
    };
    let points = |f: &dyn Fn(usize) -> usize| {
        (0..trend.len())
            .map(|i| {
                let (x, y) = xy(i, f(i));
                format!("{x},{y}")
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    Some(Trend {
        width,
        height,
        max,
        total_points: points(&|i| trend[i].total),
        critical_points: points(&|i| trend[i].by_severity.get("critical").copied().unwrap_or(0)),
        labels: trend
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let (x, y) = xy(i, p.total);
                TrendLabel {
                    x,
                    y,
                    as_of: p.as_of.clone(),
                    total: p.total,
                }
            })
            .collect(),
    })
}

pub fn render(input: &ReportInput<'_>) -> Result<String, AuditError> {
    let ledger = input.ledger;
    let entries = &ledger.entries;
    let counts = crate::ledger::severity_counts(entries.iter());
    let severities = Severity::ALL
        .iter()
        .map(|s| SeverityCount {
            name: s.as_str(),
            count: counts.get(s.as_str()).copied().unwrap_or(0),
            color: color(*s),
        })
        .collect();

    let rules = input
        .runs
        .iter()
        .filter(|r| r.skipped.is_none())
        .filter_map(|run| {
            let rule = registry::find(run.rule)?;
            Some(RuleRow {
                id: rule.id,
                severity: run.severity.as_str(),
                title: rule.title,
                fix: rule.fix,
                count: entries
                    .iter()
                    .filter(|e| e.exception.rule == rule.id)
                    .count(),
            })
        })
        .collect();
    let skipped = input
        .runs
        .iter()
        .filter_map(|r| {
            r.skipped.as_ref().map(|reason| Skip {
                rule: r.rule,
                reason: reason.clone(),
            })
        })
        .collect();

    let mut by_agency: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
    for e in entries {
        let counts = by_agency
            .entry(e.exception.finding.organization_id.as_str())
            .or_insert_with(|| vec![0; Severity::ALL.len()]);
        counts[e.exception.severity as usize] += 1;
    }
    let mut agencies: Vec<AgencyRow> = by_agency
        .into_iter()
        .map(|(id, counts)| AgencyRow {
            id: id.to_string(),
            name: input
                .organization_names
                .get(id)
                .cloned()
                .unwrap_or_default(),
            total: counts.iter().sum(),
            counts,
        })
        .collect();
    agencies.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.id.cmp(&b.id)));

    let history = ledger.history_kept.then(|| Changes {
        previous_as_of: ledger.previous_as_of.map(|d| d.to_string()),
        new: entries.iter().filter(|e| e.status == "new").count(),
        persisting: entries.iter().filter(|e| e.status == "persisting").count(),
        resolved: ledger.resolved.len(),
    });

    let exceptions = entries
        .iter()
        .take(MAX_ROWS)
        .enumerate()
        .map(|(rank, e)| {
            let f = &e.exception.finding;
            ExceptionRow {
                rank,
                severity: e.exception.severity.as_str(),
                rule: e.exception.rule,
                personal_id: f.personal_id.clone(),
                organization_id: f.organization_id.clone(),
                enrollment_id: f.enrollment_id.clone(),
                record_id: f.record_id.clone(),
                triggers: triggers_cell(e, input.redact),
                trigger_date: f.trigger_date.map(|d| d.to_string()).unwrap_or_default(),
                status: e.status.clone(),
                first_seen: e.first_seen.clone().unwrap_or_default(),
                message: f.message.clone(),
            }
        })
        .collect::<Vec<_>>();

    let page = Page {
        as_of: input.as_of.to_string(),
        export_dir: input.export_dir.to_string(),
        csv_version: input.csv_version.to_string(),
        version: crate::VERSION,
        redacted: input.redact,
        total: entries.len(),
        shown: exceptions.len(),
        waived: ledger.waived.len(),
        severities,
        skipped,
        rules,
        chart: agency_chart(&agencies),
        agencies,
        history,
        trend: trend_chart(input),
        exceptions,
    };
    let mut env = minijinja::Environment::new();
    env.add_template("report.html", TEMPLATE)
        .map_err(|e| AuditError::Output(format!("report.html template: {e}")))?;
    env.get_template("report.html")
        .and_then(|t| t.render(&page))
        .map_err(|e| AuditError::Output(format!("cannot render report.html: {e}")))
}
