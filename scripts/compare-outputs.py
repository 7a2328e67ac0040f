#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check that a refactoring changed no output byte.

Builds REFERENCE (a git revision, default HEAD) in a worktree under .build-reference/, runs the
same commands with it and with the working tree's build, and compares every file they write,
except the timings in summary.json (`seconds`, `peak_memory_bytes`), which differ run to run.

    scripts/compare-outputs.py [REFERENCE] [--quick]

Cases: the sample with the six variants the glpsol cross-check uses; generated instances of
1,000 and 20,000 accounts (--quick: 1,000 only); for each, solve, and for the sample also
sweep, compare, report and the three exports. Exit 0 when everything is identical.
"""
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VARIANTS = [
    [],
    ["--budget", "20M"],
    ["--set", "limits.gam_headcount=none", "--set", "limits.max_global_accounts=3"],
    ["--set", "limits.global_share=[0.15, 0.2]"],
    ["--set", "limits.max_cost_of_sales=0.011", "--set", "limits.budget=none"],
    ["--set", "transition.max_changes=12", "--set", "costs.program_fixed_cost=5M"],
    ["--pin", "A001=total", "--pin", "A010=local", "--set", "tier.coordinated.min_fit=0.9"],
]


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def build(folder):
    run(["swift", "build", "--product", "salesmotion"], cwd=folder, stdout=subprocess.DEVNULL)
    path = subprocess.run(["swift", "build", "--show-bin-path"], cwd=folder, check=True,
                          capture_output=True, text=True).stdout.strip()
    return os.path.join(path, "salesmotion")


def normalise(name, data):
    if name.endswith("summary.json"):
        summary = json.loads(data)
        summary.pop("seconds", None)
        summary.pop("peak_memory_bytes", None)
        return json.dumps(summary, indent=1, sort_keys=False).encode()
    return data


def commands(work, quick):
    """(label, arguments, output folder or file) for every case."""
    cases = []
    sample = ["--data", os.path.join(ROOT, "data/sample"), "--model", os.path.join(ROOT, "models/standard.toml")]
    for index, variant in enumerate(VARIANTS):
        cases.append((f"sample-{index}", ["solve", "--quiet"] + sample + variant, "out"))
    cases.append(("sweep", ["sweep", "--quiet", "--threads", "1", "--vary", "limits.budget=20M..32M", "--steps", "5"] + sample, "out"))
    cases.append(("compare", ["compare", "--quiet", "--budget", "24M"] + sample, "out"))
    cases.append(("report", ["report"] + sample, "out"))
    for fmt in ["lp", "mps", "gmpl"]:
        cases.append((f"export-{fmt}", ["export", "--format", fmt] + sample, "file"))
    for accounts in ([1000] if quick else [1000, 20000]):
        data = os.path.join(work, f"generated-{accounts}")
        cases.append((f"generated-{accounts}", ["solve", "--quiet", "--data", data, "--model", data + "/model.toml"], "out"))
    return cases


def collect(binary, work, tag, quick):
    results = {}
    for accounts in ([1000] if quick else [1000, 20000]):
        data = os.path.join(work, f"generated-{accounts}")
        if not os.path.isdir(data):
            run([binary, "generate", "--accounts", str(accounts), "--out", data], stdout=subprocess.DEVNULL)
    for label, arguments, kind in commands(work, quick):
        target = os.path.join(work, tag, label)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        extra = ["--output", target] if kind == "file" else ["--out", target]
        completed = subprocess.run([binary] + arguments + extra, cwd=ROOT, capture_output=True)
        results[label + "/exit"] = str(completed.returncode).encode()
        if kind == "file":
            results[label] = open(target, "rb").read() if os.path.exists(target) else b"<missing>"
        elif os.path.isdir(target):
            for name in sorted(os.listdir(target)):
                results[f"{label}/{name}"] = normalise(name, open(os.path.join(target, name), "rb").read())
    return results


def main():
    arguments = [a for a in sys.argv[1:] if not a.startswith("--")]
    quick = "--quick" in sys.argv
    reference = arguments[0] if arguments else "HEAD"
    worktree = os.path.join(ROOT, ".build-reference")
    if os.path.exists(worktree):
        run(["git", "worktree", "remove", "--force", worktree], cwd=ROOT)
    run(["git", "worktree", "add", "--detach", worktree, reference], cwd=ROOT, stdout=subprocess.DEVNULL)
    try:
        old_binary = build(worktree)
        new_binary = build(ROOT)
        with tempfile.TemporaryDirectory() as work:
            old = collect(old_binary, work, "reference", quick)
            new = collect(new_binary, work, "current", quick)
    finally:
        run(["git", "worktree", "remove", "--force", worktree], cwd=ROOT)
    differing = [key for key in sorted(set(old) | set(new)) if old.get(key) != new.get(key)]
    for key in differing:
        print(f"differs: {key}")
    print(f"{len(old)} outputs compared against {reference}: {len(differing)} differ")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
