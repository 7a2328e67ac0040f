#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A newcomer's walk through the README's questions on the sample: every command and its answer.
#   scripts/walkthrough.sh > docs/walkthrough.txt
# The recorded answers are checked by a test (WalkthroughTests), so they stay current. Timings
# and temporary paths are left out of the output; everything else is as the tool prints it.
# SALESMOTION names the binary (default: the debug build).
set -uo pipefail
cd "$(dirname "$0")/.."
bin="${SALESMOTION:-$(swift build --show-bin-path 2>/dev/null)/salesmotion}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

ask() {
  local question="$1"; shift
  echo "## $question"
  echo "\$ salesmotion $*" | sed -e "s|$work|OUT|g"
  "$bin" "$@" 2>&1 | sed -e "s|$work|OUT|g" | grep -v -E '^Solved in |points in [0-9.]+ s;'
  echo "(exit ${PIPESTATUS[0]})"
  echo
}

ask "Are the inputs sound?" validate
ask "What is the best plan under the 28M budget?" solve --out "$work"
ask "What if the budget is cut to 24M?" compare --budget 24M --out "$work"
ask "What is one more global account manager worth?" compare --set limits.gam_headcount=7 --name one-more-gam --out "$work"
ask "How far is today's handling from the plan?" compare --today --out "$work"
ask "Why does A017 stay local?" explain A017
ask "Why does A010 leave coordinated?" explain A010
ask "How does the plan move with the budget?" sweep --vary limits.budget=20M..32M --steps 4 --threads 1 --out "$work"
ask "What if the budget is cut by 15 %? (a scenario file)" solve --scenario models/scenarios/budget-cut.toml --out "$work"
ask "How do the example scenarios compare with the base?" scenarios run models/scenarios/0-base.toml models/scenarios/apac-capacity-loss.toml models/scenarios/budget-cut.toml models/scenarios/competitor-attack.toml models/scenarios/two-more-gams.toml --threads 1 --out "$work"
ask "What if the budget cannot cover the minimum?" solve --budget 4.7M --out "$work"
ask "In which order do we get there over three years?" roadmap --model models/roadmap.toml --out "$work"
