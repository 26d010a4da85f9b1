#!/usr/bin/env bash
# Opens a report.html in headless Chromium, checks that the rendered page
# shows the headline counts of summary.json, and saves a screenshot.
#
#   scripts/render-report.sh REPORT_DIR [SCREENSHOT.png]
#
# Needs Debian's chromium (apt-get install chromium). The screenshot is
# written next to the report by default; *.png is git-ignored.
set -euo pipefail
report_dir=${1:?usage: scripts/render-report.sh REPORT_DIR [SCREENSHOT.png]}
shot=${2:-$report_dir/report.png}
chromium_bin=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium_bin" ]; then
  echo "render-report: chromium is not installed (apt-get install chromium)" >&2
  exit 2
fi
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
       --disable-background-networking --disable-component-update --disable-sync
       --user-data-dir="$profile" --window-size=1400,2000)
url="file://$(cd "$report_dir" && pwd)/report.html"

dom=$("$chromium_bin" "${flags[@]}" --dump-dom "$url" 2>/dev/null)
"$chromium_bin" "${flags[@]}" --screenshot="$shot" "$url" >/dev/null 2>&1

python3 - "$report_dir/summary.json" <<PY
import json, re, sys
summary = json.load(open(sys.argv[1]))
dom = """$(printf '%s' "$dom" | base64 -w0)"""
import base64
dom = base64.b64decode(dom).decode()
def count(id_):
    m = re.search(r'id="%s">(\d+)<' % id_, dom)
    return int(m.group(1)) if m else None
want = {"count-total": summary["counts"]["total"]}
want.update({"count-" + k: v for k, v in summary["counts"]["by_severity"].items()})
bad = {k: (count(k), v) for k, v in want.items() if count(k) != v}
shown = re.search(r'id="shown-count">(\d+) shown<', dom)
if bad or not shown:
    print("render-report: the rendered page disagrees with summary.json:", bad, "shown:", shown and shown.group(1))
    sys.exit(1)
print("render-report: rendered %d exceptions (%s), filter script ran (%s shown)" % (
    want["count-total"], ", ".join("%s %d" % (k[6:], v) for k, v in want.items() if k != "count-total"), shown.group(1)))
PY
echo "render-report: screenshot $shot"
