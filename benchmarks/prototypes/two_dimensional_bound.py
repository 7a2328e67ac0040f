#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The two-dimensional remainder bound for two priced rows (budget and share floor), as a
prototype: an independent route for the Swift version still to be built (docs/benchmarks.md,
ninth session, item 6).

    python3 two_dimensional_bound.py CASE.json [BUCKET_WIDTH]

CASE.json is one remainder-bound call's data, written by a temporary hook in
`DecompositionSolver.remainderBound` (not in the repository): `rows` (the two priced rows),
`prices`, `kappa` (each row's cost weight: effort money enters its use times it), `atMost`
(each row's sense), `R` (right-hand side less the priced plan's use), `delta`, `excluded`,
`margin`, `bound` (the Lagrangian bound), `add` / `remove` ([rate per unit of effort money, room
in money] of every effort segment above its account's least minimum, beyond / within its best
effort), and `accounts` (per account with a choice, its options: `t` the tier's use of the two
rows, `e` its best effort's money, `loss`, `priced`).
"""
import sys, math
from remainder_case import *  # d, pi, ka, atMost, R, cap, w, sig, rho, phi, minpsi, penalty, sets, g, Rc
width = float(sys.argv[2]) if len(sys.argv) > 2 else 1000.0
v = [w[i] * sig[i] for i in range(2)]; a = [abs(p) for p in pi]
def penw(C):
    best = math.inf
    if C == 0: return 0.0
    for i in range(2):
        if C * v[i] >= 0: best = min(best, a[i] * abs(C) / abs(v[i]))
    return best
restLo = [0] * (len(sets) + 1); restHi = [0] * (len(sets) + 1)
for k in range(len(sets) - 1, -1, -1):
    cs = [round(c / g) for _, _, c in sets[k]]
    restLo[k] = restLo[k + 1] + min(cs); restHi[k] = restHi[k + 1] + max(cs)
states = {(0, 0): (0.0, 0.0, 0.0)}
for k, S in enumerate(sets):
    nxt = {}
    for (n, b), (L, aL, aH) in states.items():
        for l, s1, c in S:
            L2 = L + l
            if L2 >= cap: continue
            n2 = n + round(c / g)
            # can the final C reach a window where penw < cap - L2?
            lo = Rc - g * (n2 + restHi[k + 1]); hi = Rc - g * (n2 + restLo[k + 1])
            # min penw over [lo, hi]
            pm = 0.0 if lo <= 0 <= hi else min(penw(lo), penw(hi))
            if L2 + pm >= cap: continue
            A2l, A2h = aL + s1, aH + s1
            key = (n2, math.floor((A2l + A2h) / 2 / width))
            if key in nxt:
                L0, l0, h0 = nxt[key]; nxt[key] = (min(L0, L2), min(l0, A2l), max(h0, A2h))
            else:
                nxt[key] = (L2, A2l, A2h)
    states = nxt
print('states', len(states))
least = cap; least1 = cap
for (n, b), (L, aL, aH) in states.items():
    C = Rc - g * n
    F = lambda A: penalty(C, A)
    lo_, hi_ = aL, aH
    for _ in range(80):
        m1 = lo_ + (hi_ - lo_) / 3; m2 = hi_ - (hi_ - lo_) / 3
        if F(m1) <= F(m2): hi_ = m2
        else: lo_ = m1
    pen = min(F(aL), F(aH), F((lo_ + hi_) / 2))
    least = min(least, L + pen)
    least1 = min(least1, L + penw(C))
print('2-D least', least, ' combination-only least', least1)
print('bound 2-D', d['bound'] - min(least, d['excluded']) + d['margin'])
print('bound comb', d['bound'] - min(least1, d['excluded']) + d['margin'])
