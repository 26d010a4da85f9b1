#!/usr/bin/env bash
# Benchmarks: for 10k, 100k and 1M generated clients (or the sizes given),
# the whole-process wall time, CPU time and peak RSS of the release binary
# (/usr/bin/time -v), input size and MB/s, the per-phase timings from
# summary.json, and a DuckDB baseline computing LOCK-001 and VIS-001 on the
# same export. Prints a Markdown table.
#
#   scripts/bench.sh [CLIENTS...]        e.g. scripts/bench.sh 10000 100000
#
# Exports are generated once into $BENCH_DIR (default /var/tmp/hmis-bench)
# and kept. Needs /usr/bin/time (apt-get install time) and, for the baseline,
# Python's duckdb (pip install duckdb; skipped when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/hmis-audit-target}"
bench_dir=${BENCH_DIR:-/var/tmp/hmis-bench}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000 1000000)
mkdir -p "$bench_dir"
cargo build --release --locked -q
bin="$CARGO_TARGET_DIR/release/hmis-audit"
have_duckdb=$(python3 -c 'import duckdb' 2>/dev/null && echo yes || echo no)

echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(date -u +%Y-%m-%d)"
echo
echo "| clients | input MB | wall s | CPU s | peak RSS MB | ingest MB/s | ingest s | facts s | rules s | ledger s | report s | exceptions | DuckDB s (LOCK-001, VIS-001 only) |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for n in "${sizes[@]}"; do
  export_dir="$bench_dir/export-$n"
  if [ ! -f "$export_dir/Export.csv" ]; then
    "$bin" generate --clients "$n" --seed 1 --out "$export_dir" >/dev/null 2>&1
  fi
  out="$bench_dir/report-$n"
  timing="$bench_dir/time-$n.txt"
  /usr/bin/time -v "$bin" audit "$export_dir" --out "$out" --quiet 2>"$timing"
  duck="-"
  if [ "$have_duckdb" = yes ]; then
    duck=$(python3 scripts/duckdb_baseline.py "$export_dir" 2024-12-31 | python3 -c 'import json,sys; print(json.load(sys.stdin)["seconds"])')
  fi
  python3 - "$export_dir" "$out/summary.json" "$timing" "$n" "$duck" <<'PY'
import json, os, re, sys
export, summary, timing, n, duck = sys.argv[1:]
s = json.load(open(summary))
t = open(timing).read()
def field(name):
    return re.search(re.escape(name) + r":\s*(.+)", t).group(1).strip()
wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss)")
parts = [float(p) for p in wall.split(":")]
wall_s = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
rss = int(field("Maximum resident set size (kbytes)")) / 1024
size = sum(os.path.getsize(os.path.join(export, f)) for f in os.listdir(export)) / 1e6
ms = s["timings_ms"]
print("| {:,} | {:,.0f} | {:.2f} | {:.2f} | {:,.0f} | {:,.0f} | {:.2f} | {:.2f} | {:.2f} | {:.2f} | {:.2f} | {:,} | {} |".format(
    int(n), size, wall_s, cpu, rss, size / max(ms["ingest"] / 1000, 1e-9), ms["ingest"] / 1000,
    ms["facts"] / 1000, ms["rules"] / 1000, ms["ledger"] / 1000, ms["report"] / 1000,
    s["counts"]["total"], duck))
PY
done
