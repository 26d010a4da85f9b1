#!/usr/bin/env bash
# Benchmarks: for 10k, 100k and 1M generated clients (or the sizes given),
# the whole-process wall time, CPU time and peak RSS of the release binary
# (/usr/bin/time -v), input size and MB/s, the per-phase timings from
# summary.json, and a DuckDB baseline computing LOCK-001 and VIS-001 on the
# same export. Prints a Markdown table.
#
#   scripts/bench.sh [CLIENTS...]        e.g. scripts/bench.sh 10000 100000
#
# Each size is audited $BENCH_RUNS times (default 3), and so is the DuckDB
# baseline; the row shows the run with the median wall time (every number
# of a row from that one run) and the median DuckDB time. Exports are
# generated once into $BENCH_DIR (default /var/tmp/hmis-bench) and kept.
# Needs /usr/bin/time (apt-get install time) and, for the baseline,
# Python's duckdb (pip install duckdb; skipped when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/hmis-audit-target}"
bench_dir=${BENCH_DIR:-/var/tmp/hmis-bench}
runs=${BENCH_RUNS:-3}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000 1000000)
mkdir -p "$bench_dir"
cargo build --release --locked -q
bin="$CARGO_TARGET_DIR/release/hmis-audit"
have_duckdb=$(python3 -c 'import duckdb' 2>/dev/null && echo yes || echo no)

echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(date -u +%Y-%m-%d)"
echo
echo "| clients | input MB | wall s | CPU s | peak RSS MiB | ingest MB/s | ingest s | facts s | rules s | ledger s | report s | exceptions | DuckDB s (LOCK-001, VIS-001 only) |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for n in "${sizes[@]}"; do
  export_dir="$bench_dir/export-$n"
  if [ ! -f "$export_dir/Export.csv" ]; then
    "$bin" generate --clients "$n" --seed 1 --out "$export_dir" >/dev/null 2>&1
  fi
  out="$bench_dir/report-$n"
  duck=()
  for r in $(seq 1 "$runs"); do
    /usr/bin/time -v "$bin" audit "$export_dir" --out "$out" --quiet 2>"$bench_dir/time-$n-$r.txt"
    cp "$out/summary.json" "$bench_dir/summary-$n-$r.json"
    if [ "$have_duckdb" = yes ]; then
      duck+=("$(python3 scripts/duckdb_baseline.py "$export_dir" 2024-12-31 | python3 -c 'import json,sys; print(json.load(sys.stdin)["seconds"])')")
    fi
  done
  python3 - "$export_dir" "$bench_dir" "$n" "$runs" "${duck[@]}" <<'PY'
import json, os, re, statistics, sys
export, bench_dir, n, runs = sys.argv[1:5]
duck = [float(d) for d in sys.argv[5:]]
def field(t, name):
    return re.search(re.escape(name) + r":\s*(.+)", t).group(1).strip()
def measured(r):
    t = open(os.path.join(bench_dir, f"time-{n}-{r}.txt")).read()
    wall = field(t, "Elapsed (wall clock) time (h:mm:ss or m:ss)")
    parts = [float(p) for p in wall.split(":")]
    return {
        "wall": sum(p * 60 ** i for i, p in enumerate(reversed(parts))),
        "cpu": float(field(t, "User time (seconds)")) + float(field(t, "System time (seconds)")),
        "rss": int(field(t, "Maximum resident set size (kbytes)")) / 1024,
        "summary": json.load(open(os.path.join(bench_dir, f"summary-{n}-{r}.json"))),
    }
all_runs = sorted((measured(r) for r in range(1, int(runs) + 1)), key=lambda m: m["wall"])
m = all_runs[len(all_runs) // 2]
s = m["summary"]
size = sum(os.path.getsize(os.path.join(export, f)) for f in os.listdir(export)) / 1e6
ms = s["timings_ms"]
print("| {:,} | {:,.0f} | {:.2f} | {:.2f} | {:,.0f} | {:,.0f} | {:.2f} | {:.2f} | {:.2f} | {:.2f} | {:.2f} | {:,} | {} |".format(
    int(n), size, m["wall"], m["cpu"], m["rss"], size / max(ms["ingest"] / 1000, 1e-9), ms["ingest"] / 1000,
    ms["facts"] / 1000, ms["rules"] / 1000, ms["ledger"] / 1000, ms["report"] / 1000,
    s["counts"]["total"], "{:.2f}".format(statistics.median(duck)) if duck else "-"))
PY
done
