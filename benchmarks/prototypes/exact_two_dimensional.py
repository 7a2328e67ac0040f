#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The two-row remainder bound searched exactly, as an independent route for the Swift version
(`DecompositionSolver+TwoRowRemainder.swift`; docs/benchmarks.md, thirteenth session).

    python3 exact_two_dimensional.py CASE.json [CAP]

CASE.json as `two_dimensional_bound.py` describes. States (n, A, loss) — the combination's
multiple of its common step and the budget's sum, both exact — in the accounts' given order,
dropped when their loss plus the least the accounts after them can add in the combination alone
(a backward table over n, the combination bound's programme) reaches CAP (default: the case's
Δ). No dominance, no growing cap: the Swift version has both, this one checks them. Prints the
least (the case's least loss when under CAP) and the state that reaches it.
"""
import sys, math, time
from remainder_case import *  # d, pi, ka, R, cap, w, sig, rho, phi, penalty, sets, g, Rc
limit = float(sys.argv[2]) if len(sys.argv) > 2 else cap
v = [w[i] * sig[i] for i in range(2)]; a = [abs(p) for p in pi]
def penw(C):
    """The combination alone: the cheapest way to leave C."""
    if C == 0: return 0.0
    best = math.inf
    for i in range(2):
        if C * v[i] >= 0: best = min(best, a[i] * abs(C) / abs(v[i]))
    return best
steps = [[(l, s1, round(c / g)) for l, s1, c in S] for S in sets]
K = len(steps)
lo = sum(min(c for _, _, c in st) for st in steps); hi = sum(max(c for _, _, c in st) for st in steps)
span = hi - lo + 1
start = time.time()
U = [None] * (K + 1)
U[K] = [penw(Rc - g * n) for n in range(lo, hi + 1)]
for k in range(K - 1, -1, -1):
    nxt = U[k + 1]; cur = [math.inf] * span
    for l, s1, c in steps[k]:
        if l >= limit: continue
        for i in range(max(0, -c), min(span, span - c)):
            x = l + nxt[i + c]
            if x < cur[i]: cur[i] = x
    U[k] = cur
print('table', round(time.time() - start, 1), 's; the combination alone:', U[0][-lo])
states = {0: [(0.0, 0.0)]}
peak = 0
for k in range(K):
    nxt = {}
    for n, lst in states.items():
        for l, s1, c in steps[k]:
            u = U[k + 1][n + c - lo]
            for A, L in lst:
                if L + l + u < limit: nxt.setdefault(n + c, []).append((A + s1, L + l))
    states = nxt
    peak = max(peak, sum(len(x) for x in states.values()))
least, arg = math.inf, None
for n, lst in states.items():
    for A, L in lst:
        value = L + penalty(Rc - g * n, A)
        if value < least: least, arg = value, (Rc - g * n, A, L)
print('states at most', peak, 'in', round(time.time() - start, 1), 's')
if least < limit:
    print('least', least, 'at C', arg[0], 'A', arg[1], 'loss', arg[2])
    print('bound', d['bound'] - min(least, d['excluded']) + d['margin'])
else:
    print('no state under', limit, '(the least is at least that)')
