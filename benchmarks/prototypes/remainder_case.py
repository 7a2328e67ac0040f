# SPDX-License-Identifier: GPL-3.0-or-later
"""One remainder-bound case (the JSON `two_dimensional_bound.py` describes, path in sys.argv[1]),
read on import, for the prototypes beside this file: the two priced rows, the effort money's
convex cost (phi, and psi = phi - rho m at its least within bounds), and every account's options
as (loss, s1 = the budget's use, c = the share combination's step in money) with the
combination's common step g.
"""
import json, sys, math
d = json.load(open(sys.argv[1]))
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


def penalty(C, A):
    """The priced slacks and the effort money's cost when the combination is C and the budget's
    use A: Z1 the budget's slack, Z2 the share floor's (C = w0 Z1 + Z2); effort money m moves
    them, within the bounds that keep both of their sign. Convex in A."""
    Z1 = R[0] - A; Z2 = C - w[0] * Z1
    x = pi[0] * Z1 + pi[1] * Z2
    mlo, mhi = -math.inf, math.inf
    for i, Z in enumerate((Z1, Z2)):
        k_ = ka[i] * sig[i]
        if k_ > 0: mhi = min(mhi, sig[i] * Z / k_)
        elif k_ < 0: mlo = max(mlo, sig[i] * Z / k_)
    return x + minpsi(mlo, mhi)
