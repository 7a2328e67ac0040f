#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Render a report the way a user sees it: the report with a budget sweep it runs itself, into a
# temporary folder, then a headless-Chromium screenshot. Needs chromium (apt-get install chromium).
# Usage: scripts/check-report.sh [PNG] [salesmotion options…]   (default: /tmp/salesmotion-report.png,
# the sample; e.g. scripts/check-report.sh /tmp/big.png --data DIR --model DIR/model.toml)
set -euo pipefail
cd "$(dirname "$0")/.."
png=${1:-/tmp/salesmotion-report.png}
shift || true
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
swift build --product salesmotion >/dev/null
bin=$(swift build --show-bin-path)/salesmotion
budget=$("$bin" solve --quiet --out "$out" --name plan "$@" >/dev/null; python3 -c "import json,sys; d=json.load(open('$out/plan/summary.json')); print([l['value'] for l in d['limits'] if l['name']=='budget'][0])")
"$bin" report --vary "limits.budget=$(python3 -c "print($budget*0.7)")..$(python3 -c "print($budget*1.3)")" --steps 7 --out "$out" --name report "$@"
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$browser" ] || { echo "chromium is not installed: apt-get install chromium"; exit 1; }
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1150,1900 \
  --screenshot="$png" "file://$out/report/report.html" 2>/dev/null
echo "Screenshot: $png"
