#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Decomposition against the whole program (GLPK, gap 1e-9) on every generator profile.

Usage: python3 scripts/agree.py [--seeds 11,12,13] [--sizes 300,700] [--profiles market,...] [--time-limit 50]

For each instance both methods must end with the same net contribution to 1e-6 of the
decision-dependent part; where the whole program stops at its time limit, the decomposition must
prove a plan at least as good. Exits 1 on any disagreement. Needs a release build.
"""
import argparse, json, os, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, '.build/release/salesmotion')
PROFILES = ['standard', 'market', 'broad', 'heavy-tail', 'near-ties', 'cost-of-sales', 'global-share',
            'gam-headcount', 'max-changes', 'pins']


def solve(data, method, limit, work):
    out = os.path.join(work, method)
    subprocess.run([BINARY, 'solve', '--data', data, '--model', os.path.join(data, 'model.toml'), '--out', out,
                    '--name', 'run', '--quiet', '--method', method, '--set', 'solver.mip_gap=1e-9',
                    '--set', f'solver.time_limit={limit}'], check=False, timeout=limit + 60)
    summary = json.load(open(os.path.join(out, 'run', 'summary.json')))
    return summary['status'], summary['objective'], summary['mip_gap']['fixed_part']


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--seeds', default='11,12,13')
    parser.add_argument('--sizes', default='300,700')
    parser.add_argument('--profiles', default=','.join(PROFILES))
    parser.add_argument('--time-limit', type=int, default=50)
    args = parser.parse_args()
    failures = 0
    for profile in args.profiles.split(','):
        for seed in args.seeds.split(','):
            for size in args.sizes.split(','):
                with tempfile.TemporaryDirectory() as work:
                    data = os.path.join(work, 'data')
                    extra = [] if profile == 'standard' else ['--profile', profile]
                    subprocess.run([BINARY, 'generate', '--accounts', size, '--seed', seed, '--out', data] + extra,
                                   check=True, stdout=subprocess.DEVNULL)
                    whole = solve(data, 'monolithic', args.time_limit, work)
                    parts = solve(data, 'decomposition', args.time_limit, work)
                if whole[1] is None:
                    # The whole program found no plan in its time: nothing to compare but a plan.
                    ok = parts[1] is not None
                    failures += not ok
                    print(f'{profile:14} seed {seed:>3} {size:>6} accounts: whole {whole[0]:10} no plan  '
                          f'decomposition {parts[0]:10} {parts[1] or 0:,.2f}  {"ok" if ok else "NO PLAN"}', flush=True)
                    continue
                scale = max(1.0, abs(whole[1] - whole[2]))
                if whole[0] == 'optimal':
                    ok = parts[0] == 'optimal' and abs(parts[1] - whole[1]) <= 1e-6 * scale
                else:
                    ok = parts[1] >= whole[1] - 1e-6 * scale
                failures += not ok
                print(f'{profile:14} seed {seed:>3} {size:>6} accounts: whole {whole[0]:10} {whole[1]:,.2f}  '
                      f'decomposition {parts[0]:10} {parts[1]:,.2f}  {"ok" if ok else "DIFFERENT"}', flush=True)
    sys.exit(1 if failures else 0)


if __name__ == '__main__':
    main()
