#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Time a 20-point budget sweep against 20 cold `salesmotion solve` runs on the same budgets,
# in one run, on the bundled sample (release build).
# Usage: scripts/measure-sweep.sh [FROM] [TO]   (default 10M 40M)
set -euo pipefail
cd "$(dirname "$0")/.."
from=${1:-10M}; to=${2:-40M}
swift build -c release --product salesmotion >/dev/null
bin=$(swift build -c release --show-bin-path)/salesmotion
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
budgets=$(python3 -c "
import sys
def amount(t):
    t=t.strip(); s={'k':1e3,'M':1e6}.get(t[-1],1); return float(t[:-1] if s!=1 else t)*s
a,b=amount('$from'),amount('$to')
print(' '.join(repr(a+(b-a)*i/19) for i in range(20)))")
start=$(date +%s.%N)
for b in $budgets; do "$bin" solve --quiet --budget "$b" --out "$out" --name cold; done
cold=$(echo "$(date +%s.%N) - $start" | bc)
start=$(date +%s.%N)
"$bin" sweep --vary "limits.budget=$from..$to" --steps 20 --quiet --out "$out" --name warm
warm=$(echo "$(date +%s.%N) - $start" | bc)
echo "20 cold solve runs: ${cold} s; one 20-point sweep: ${warm} s; ratio $(echo "scale=3; $warm / $cold" | bc)"
"$bin" sweep --vary "limits.budget=$from..$to" --steps 20 --quiet --out "$out" --name warm --measure
