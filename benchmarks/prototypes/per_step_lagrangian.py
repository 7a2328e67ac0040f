#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The remainder bound with the budget's money priced per combination step, as a prototype (a
negative result: docs/benchmarks.md, twelfth session).

    python3 per_step_lagrangian.py CASE.json [MU,MU,...]

CASE.json is the data `two_dimensional_bound.py` reads. For each multiplier mu on the budget's
money A (the sum of the options' s1), a dynamic programme over the share combination's steps n
gives DP_mu(n) = min over the options summing to n of sum(loss + mu * s1); the least penalty at
n is at least DP_mu(n) + min over A of (F_n(A) - mu * A), whatever mu, so the best mu per step
bounds the least from below. mu = 0 is the combination bound. On `global-share` 10,000 (seed 1)
no mu in -0.05 ... 0.05 raised any step's value above mu = 0's at the least step: what the
two-dimensional programme gains is the money's integrality, not a better price.
"""
import sys, math
import numpy as np
from remainder_case import *  # d, pi, ka, atMost, R, cap, w, sig, rho, phi, minpsi, penalty, sets, g, Rc
lo_n = sum(min(round(c/g) for _,_,c in S) for S in sets)
hi_n = sum(max(round(c/g) for _,_,c in S) for S in sets)
print('g', g, 'n range', lo_n, hi_n, 'accounts', len(sets))
N = hi_n - lo_n + 1
def F(n, A):
    return penalty(Rc - g * n, A)
def dp(mu):
    # min sum(l + mu s1) by step n (index n - lo_n), and the A of that minimum
    cur = np.full(N, np.inf); curA = np.zeros(N)
    # start: n = 0 maps to index -lo_n
    cur[-lo_n] = 0.0
    for S in sets:
        nxt = np.full(N, np.inf); nxtA = np.zeros(N)
        for l, s1, c in S:
            k = round(c / g)
            v = np.full(N, np.inf); a = np.zeros(N)
            if k >= 0:
                v[k:] = cur[:N-k] + l + mu * s1; a[k:] = curA[:N-k] + s1
            else:
                v[:N+k] = cur[-k:] + l + mu * s1; a[:N+k] = curA[-k:] + s1
            better = v < nxt
            nxt[better] = v[better]; nxtA[better] = a[better]
        cur, curA = nxt, nxtA
    return cur, curA
def conj(n, mu, Alo=-2e7, Ahi=2e7):
    # min_A F(n,A) - mu A, F convex piecewise linear; ternary
    lo, hi = Alo, Ahi
    f = lambda A: F(n, A) - mu * A
    for _ in range(100):
        m1 = lo + (hi - lo) / 3; m2 = hi - (hi - lo) / 3
        if f(m1) <= f(m2): hi = m2
        else: lo = m1
    return f((lo + hi) / 2)
mus = [float(x) for x in (sys.argv[2] if len(sys.argv) > 2 else '0,-0.003,-0.002,-0.001,0.001,0.002,0.003,0.004').split(',')]
best = np.full(N, -np.inf)
for mu in mus:
    v, A = dp(mu)
    val = np.full(N, np.inf)
    # only the steps still below the cap can decide the least
    idx = np.where(np.isfinite(v) & (best < cap))[0]
    for i in idx:
        n = i + lo_n
        val[i] = v[i] + conj(n, mu)
    best = np.maximum(best, val)
    print('mu', mu, 'min_n', np.min(val), 'perN-so-far', np.min(best))
    sys.stdout.flush()
least = min(np.min(best), d['excluded'])
print('least', least, 'bound', d['bound'] - least + d['margin'])
