# SPDX-License-Identifier: GPL-3.0-or-later
"""Every generator profile at several sizes: SalesMotion against SCIP and HiGHS on the exported MPS.

Usage: python3 benchmarks/profiles.py [--sizes 10000,100000] [--peers-at 10000] [--peer-timeout 120]
                                      [--gap 1e-6] [--time-limit 600] [--profiles a,b] [--peers scip,highs] [--seeds 1,2]
                                      [--out docs/benchmarks-profiles.md]

Instances: `salesmotion generate --profile P --accounts N --seed S` (S from --seeds, default 1) for the
standard family and every profile of the independent family (ProfileDataset); other seeds show whether a
profile's time holds on instances the method was not tuned on. SalesMotion runs `solve` at the given gap with a time
limit (default 600 s); SCIP (pyscipopt) and HiGHS (highspy) solve the exported MPS (a minimisation of minus the
objective, without its constant) at the same relative gap, each in a fresh process with a timeout. Their
net contribution is minus their objective plus the fixed part SalesMotion reports; Δ is the difference to
SalesMotion's, relative to the decision-dependent part. Peers' gap is relative to their whole objective.
Times are wall-clock of the whole command (reading, building, solving, writing), peak memory from
/usr/bin/time.
"""
import argparse, json, os, platform, re, shutil, signal, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROFILES = ['standard', 'market', 'broad', 'heavy-tail', 'near-ties', 'cost-of-sales', 'global-share',
            'gam-headcount', 'max-changes', 'pins']

PEER = r'''
import sys, time, collections
kind, path, gap, limit = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
start = time.time()
if kind == 'scip':
    import pyscipopt
    m = pyscipopt.Model(); m.hideOutput(True); m.readProblem(path)
    m.setParam('limits/gap', gap); m.setParam('limits/time', limit); m.optimize()
    status, value = m.getStatus(), (m.getObjVal() if m.getNSols() > 0 else None)
    values = {v.name: m.getVal(v) for v in m.getVars()} if value is not None else {}
else:
    import highspy
    h = highspy.Highs(); h.setOptionValue('output_flag', False); h.readModel(path)
    h.setOptionValue('mip_rel_gap', gap); h.setOptionValue('time_limit', limit); h.run()
    status = h.modelStatusToString(h.getModelStatus())
    value = h.getInfo().objective_function_value if h.getInfo().primal_solution_status == 2 else None
    values = dict(zip(h.getLp().col_names_, h.getSolution().col_value)) if value is not None else {}
seconds = time.time() - start
# The plan's worst row, in the MPS's own units: a solver's feasibility tolerance is relative for
# large rows (SCIP's 1e-6 lets a budget of 26 billion be overspent by 26,000), so a peer's plan
# can look better than an optimum it breaks a limit to beat.
worst, row = 0.0, '-'
if values:
    sense, activity, rhs, section = {}, collections.defaultdict(float), collections.defaultdict(float), None
    for line in open(path):
        if not line.strip() or line.startswith('*'): continue
        if not line[0].isspace():
            section = line.split()[0]; continue
        f = line.split()
        if section == 'ROWS' and f[0] != 'N': sense[f[1]] = f[0]
        elif section == 'COLUMNS' and "'MARKER'" not in f:
            for r, c in zip(f[1::2], f[2::2]):
                if r in sense: activity[r] += float(c) * values.get(f[0], 0.0)
        elif section == 'RHS':
            for r, c in zip(f[1::2], f[2::2]): rhs[r] = float(c)
        elif section == 'RANGES':
            raise SystemExit('RANGES are not read by this check')
    for r, s in sense.items():
        over = {'L': activity[r] - rhs[r], 'G': rhs[r] - activity[r], 'E': abs(activity[r] - rhs[r])}[s]
        if over > worst: worst, row = over, r
print(str(status).replace(' ', '_'), value, seconds, worst, row, time.time() - start - seconds)
'''


def timed(command, timeout):
    """Runs command under /usr/bin/time; returns (seconds, peak MB, stdout, finished)."""
    start = time.time()
    # Its own session, so that a timeout stops the solver too, not only /usr/bin/time: a peer
    # left running would take a core from every later measurement.
    process = subprocess.Popen(['/usr/bin/time', '-f', 'PEAK %M'] + command, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return time.time() - start, None, '', False
    peak = re.search(r'PEAK (\d+)', stderr)
    return time.time() - start, (int(peak.group(1)) / 1024 if peak else None), stdout, process.returncode == 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--sizes', default='10000,100000')
    parser.add_argument('--peers-at', default='10000')
    parser.add_argument('--peer-timeout', type=float, default=120)
    parser.add_argument('--gap', default='1e-6')
    parser.add_argument('--time-limit', type=float, default=600)
    parser.add_argument('--profiles', default=','.join(PROFILES))
    parser.add_argument('--peers', default='scip,highs')
    parser.add_argument('--seeds', default='1')
    parser.add_argument('--out', default=os.path.join(ROOT, 'docs/benchmarks-profiles.md'))
    args = parser.parse_args()
    subprocess.run(['swift', 'build', '-c', 'release', '--product', 'salesmotion'], cwd=ROOT, check=True)
    binary = os.path.join(subprocess.run(['swift', 'build', '-c', 'release', '--show-bin-path'], cwd=ROOT,
                                         capture_output=True, text=True, check=True).stdout.strip(), 'salesmotion')
    sizes = [int(s) for s in args.sizes.split(',')]
    peer_sizes = {int(s) for s in args.peers_at.split(',') if s}
    rows = []
    with tempfile.TemporaryDirectory() as work:
        for n, seed, profile in [(n, int(seed), profile) for n in sizes for seed in args.seeds.split(',')
                                 for profile in args.profiles.split(',')]:
            data = os.path.join(work, f'{profile}-{n}-{seed}')
            generate = [binary, 'generate', '--accounts', str(n), '--seed', str(seed), '--out', data]
            if profile != 'standard':
                generate += ['--profile', profile]
            subprocess.run(generate, check=True, capture_output=True)
            model, out = os.path.join(data, 'model.toml'), os.path.join(work, 'out')
            seconds, peak, _, _ = timed([binary, 'solve', '--data', data, '--model', model, '--quiet', '--out', work, '--name', 'out',
                                         '--set', f'solver.mip_gap={args.gap}', '--set', f'solver.time_limit={args.time_limit:g}'], args.time_limit + 300)
            summary = json.load(open(os.path.join(out, 'summary.json')))
            gap = summary.get('mip_gap', {})
            ours, fixed = summary.get('objective'), gap.get('fixed_part')
            row = {'n': n, 'seed': seed, 'profile': profile, 'seconds': seconds, 'peak': peak, 'status': summary['status'],
                   'gap': gap.get('relative'), 'objective': ours, 'binding': [l['name'] for l in summary.get('limits', []) if l.get('binding')]}
            print(f'{profile} n={n} seed {seed}: {seconds:.2f} s {summary["status"]} gap {row["gap"]}', flush=True)
            if n in peer_sizes and ours is not None:
                mps = os.path.join(work, f'{profile}-{n}-{seed}.mps')
                subprocess.run([binary, 'export', '--data', data, '--model', model, '--format', 'mps',
                                '--output', mps, '--set', f'solver.mip_gap={args.gap}'], check=True)
                for kind in args.peers.split(','):
                    s, p, text, ok = timed([sys.executable, '-c', PEER, kind, mps, args.gap,
                                            str(args.peer_timeout)], args.peer_timeout + 60)
                    # HiGHS prints a banner before its options take effect: the last line is ours.
                    parts = text.strip().splitlines()[-1].split() if text.strip() else []
                    value = None if not ok or len(parts) < 2 or parts[1] == 'None' else -float(parts[1]) + fixed
                    status = parts[0] if parts else 'killed'
                    # The time the check of the plan's rows took is not the peer's.
                    s -= float(parts[5]) if ok and len(parts) == 6 else 0
                    broken = (float(parts[3]), parts[4]) if ok and len(parts) == 6 and float(parts[3]) > 1e-6 else None
                    row[kind] = (s, p, status, value, (value - ours) / max(1, abs(ours - fixed)) if value is not None else None,
                                 broken)
                    print(f'  {kind}: {s:.2f} s {status} {value!r}' + (f' exceeds {broken[1]} by {broken[0]:g}' if broken else ''), flush=True)
                os.remove(mps)
            rows.append(row)
            shutil.rmtree(data)
    write(rows, args)


def write(rows, args):
    swift = subprocess.run(['swift', '--version'], capture_output=True, text=True).stdout.splitlines()[0]
    lines = [f'# Benchmarks by generator profile (`benchmarks/profiles.py`, issue 11)', '',
             f'Measured {time.strftime("%Y-%m-%d")} on {platform.platform()}, {os.cpu_count()} cores; {swift}.',
             f'Gap {args.gap}; SalesMotion time limit {args.time_limit:.0f} s; peers {args.peer_timeout:.0f} s; '
             f'seed{"s" if "," in args.seeds else ""} {args.seeds.replace(",", ", ")}.', '',
             '| profile | accounts | seed | SalesMotion | status | gap | peak | SCIP | HiGHS |',
             '|---|---:|---:|---:|---|---:|---:|---|---|']
    def peer(value):
        if value is None:
            return '—'
        s, p, status, net, delta, broken = value
        if net is None:
            return f'no plan in {s:.0f} s ({status})'
        # Below one unit of the row (the share floor's are fractions) with two significant digits, not rounded to 0.
        by = (f'{broken[0]:,.0f}' if broken[0] >= 1 else f'{broken[0]:.2g}') if broken else ''
        return f'{s:.1f} s {status}, Δ {delta:.1e}' + (f' (exceeds {broken[1]} by {by})' if broken else '')
    for r in rows:
        gap = f'{r["gap"]:.1e}' if isinstance(r['gap'], (int, float)) else '—'
        peak = f'{r["peak"]:.0f} MB' if r['peak'] else '—'
        lines.append(f'| {r["profile"]} | {r["n"]:,} | {r["seed"]} | {r["seconds"]:.2f} s | {r["status"]} | {gap} | {peak} | '
                     f'{peer(r.get("scip"))} | {peer(r.get("highs"))} |')
    lines += ['', 'Δ: the peer\'s net contribution minus SalesMotion\'s, relative to the decision-dependent part '
              '(positive: the peer found a better plan). "Exceeds": the row the peer\'s plan breaks most, by more than '
              '1e-6 in the MPS\'s units, within its solver\'s feasibility tolerance.', '']
    open(args.out, 'w').write('\n'.join(lines))
    print('\n'.join(lines))


if __name__ == '__main__':
    main()
