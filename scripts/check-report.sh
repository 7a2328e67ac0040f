#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Render the sample report the way a user sees it: a budget sweep and the report into a
# temporary folder, then a headless-Chromium screenshot. Needs chromium (apt-get install chromium).
# Usage: scripts/check-report.sh [PNG]   (default: /tmp/salesmotion-report.png)
set -euo pipefail
cd "$(dirname "$0")/.."
png=${1:-/tmp/salesmotion-report.png}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
swift build --product salesmotion >/dev/null
bin=$(swift build --show-bin-path)/salesmotion
"$bin" sweep --vary limits.budget=10M..40M --out "$out" --quiet
"$bin" report --out "$out"
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$browser" ] || { echo "chromium is not installed: apt-get install chromium"; exit 1; }
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1150,1900 \
  --screenshot="$png" "file://$out/report.html" 2>/dev/null
echo "Screenshot: $png"
