//! `cargo bench`: the audit's phases, in process, on generated exports.
//!
//! For each size in `HMIS_BENCH_CLIENTS` (default `10000,100000`), the
//! export is generated once into `$BENCH_DIR/export-N` (default
//! `/var/tmp/hmis-bench`, the folder `scripts/bench.sh` uses too), then
//! audited `HMIS_BENCH_RUNS` times (default 3). Prints, per size, the
//! median of each phase (from summary.json's `timings_ms`) and the ingest
//! throughput. Whole-process wall time, CPU time and peak RSS, and the
//! DuckDB baseline, are `scripts/bench.sh`'s.

use std::path::{Path, PathBuf};

use hmis_audit::generate::{generate, GenerateOptions};
use hmis_audit::{audit, Options};

const PHASES: [&str; 6] = ["ingest", "facts", "rules", "ledger", "report", "total"];

fn main() {
    let sizes: Vec<usize> = std::env::var("HMIS_BENCH_CLIENTS")
        .unwrap_or_else(|_| "10000,100000".to_string())
        .split(',')
        .map(|s| {
            s.trim()
                .parse()
                .expect("HMIS_BENCH_CLIENTS: numbers, comma-separated")
        })
        .collect();
    let runs: usize = std::env::var("HMIS_BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3)
        .max(1);
    let bench_dir =
        PathBuf::from(std::env::var("BENCH_DIR").unwrap_or_else(|_| "/var/tmp/hmis-bench".into()));

    println!("| clients | input MB | runs | ingest MB/s | ingest ms | facts ms | rules ms | ledger ms | report ms | total ms |");
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for n in sizes {
        let export = bench_dir.join(format!("export-{n}"));
        if !export.join("Export.csv").exists() {
            generate(&GenerateOptions {
                clients: n,
                seed: 1,
                out: export.clone(),
                messy: false,
            })
            .expect("generate the export");
        }
        let bytes = folder_bytes(&export);
        let out = bench_dir.join(format!("cargo-bench-report-{n}"));
        let mut samples: Vec<Vec<u64>> = vec![Vec::new(); PHASES.len()];
        for _ in 0..runs {
            let mut opts = Options::new(&export);
            opts.out = Some(out.clone());
            audit(&opts).expect("the audit runs");
            let summary: serde_json::Value = serde_json::from_slice(
                &std::fs::read(out.join("summary.json")).expect("summary.json"),
            )
            .expect("summary.json is JSON");
            for (i, phase) in PHASES.iter().enumerate() {
                samples[i].push(summary["timings_ms"][phase].as_u64().unwrap_or(0));
            }
        }
        let median: Vec<u64> = samples
            .iter_mut()
            .map(|s| {
                s.sort_unstable();
                s[s.len() / 2]
            })
            .collect();
        let mb = bytes as f64 / 1e6;
        println!(
            "| {n} | {mb:.0} | {runs} | {:.0} | {} |",
            mb / (median[0].max(1) as f64 / 1000.0),
            median
                .iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(" | ")
        );
    }
}

fn folder_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .expect("the export folder")
        .filter_map(|e| e.ok()?.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}
