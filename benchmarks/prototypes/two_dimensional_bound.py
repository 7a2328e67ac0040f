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
import json, sys, math
d = json.load(open(sys.argv[1])); width = float(sys.argv[2]) if len(sys.argv) > 2 else 1000.0
pi = d['prices']; ka = d['kappa']; atMost = d['atMost']; R = d['R']; cap = d['delta']
w = [-ka[1] / ka[0], 1.0]
sig = [1 if m else -1 for m in atMost]
rho = pi[0] * ka[0] + pi[1] * ka[1]
add = sorted(d['add']); rem = sorted(d['remove'])
def pieces(lst):
    out = []; start = 0.0; before = 0.0
    for rate, room in lst:
        if room <= 0: continue
        out.append((rate, start, start + room, before)); before += rate * room; start += room
    return out
addP = pieces(add); remP = pieces(rem)
def phi(m):
    P = addP if m > 0 else remP; x = abs(m)
    if x == 0: return 0.0
    for rate, s, e, b in P:
        if e >= x: return b + rate * (x - s)
    return math.inf
def argmin_psi():
    # psi(m) = phi(m) - rho m: add while rate < rho, remove while rate < -rho
    if rho > 0:
        m = 0.0
        for rate, s, e, b in addP:
            if rate < rho: m = e
        return m
    m = 0.0
    for rate, s, e, b in remP:
        if rate < -rho: m = -e
    return m
mstar = argmin_psi()
def minpsi(lo, hi):
    if lo > hi: return math.inf
    m = min(max(mstar, lo), hi)
    v = phi(m)
    return v - rho * m if v < math.inf else math.inf
# sets
sets = []
for acc in d['accounts']:
    opts = acc['options']; base = next(o for o in opts if o['priced'])
    S = []
    for o in opts:
        dt = [o['t'][i] - base['t'][i] for i in range(2)]; de = o['e'] - base['e']
        s1 = dt[0] + ka[0] * de
        c = w[0] * dt[0] + dt[1]
        S.append((o['loss'], s1, c))
    sets.append(S)
# The combination's common step: the tier costs are whole money, so the steps' greatest common divisor.
g = 0
for S in sets:
    for l, s1, c in S:
        assert abs(c - round(c)) < 1e-6, c
        g = math.gcd(g, abs(round(c)))
g = float(g or 1)
Rc = w[0] * R[0] + R[1]
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
    # linear part over A in [aL, aH]
    def lin(A):
        Z1 = R[0] - A; Z2 = C - w[0] * Z1   # since C = w0 Z1 + Z2
        return pi[0] * Z1 + pi[1] * Z2, Z1, Z2
    def F(A):
        x, Z1, Z2 = lin(A)
        mlo, mhi = -math.inf, math.inf
        for i, Z in enumerate((Z1, Z2)):
            k_ = ka[i] * sig[i]
            if k_ > 0: mhi = min(mhi, sig[i] * Z / k_)
            elif k_ < 0: mlo = max(mlo, sig[i] * Z / k_)
        return x + minpsi(mlo, mhi)
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
