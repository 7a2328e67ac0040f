#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The SalesMotion allocation model built with PuLP and solved by GLPK (glpsol), the usual
Python alternative, for the benchmark. It reads the same dataset folder and model file and
prints the optimal net contribution, so the benchmark can check it against SalesMotion.

Usage: pulp_allocation.py DATA_FOLDER MODEL.toml [--mipgap G] [--timelimit S]
Prints: BUILD_SECONDS, SOLVE_SECONDS, STATUS, NET_CONTRIBUTION.
"""
import argparse, csv, math, os, sys, time, tomllib

import pulp


def fraction(text):
    text = text.strip()
    return float(text[:-1]) / 100 if text.endswith('%') else float(text)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('data')
    parser.add_argument('model')
    parser.add_argument('--mipgap', type=float, default=1e-8)
    parser.add_argument('--timelimit', type=int, default=3600)
    args = parser.parse_args()
    start = time.time()

    with open(args.model, 'rb') as f:
        model = tomllib.load(f)
    costs = model.get('costs', {})
    limits = model.get('limits', {})
    breakpoints = [0.0] + list(model.get('response', {}).get('breakpoints', [0.25, 0.5, 1.0, 2.0, 3.0]))
    tiers = model['tier']
    transition = model.get('transition', {})
    pins = {p['account']: p['tier'] for p in model.get('pin', [])}

    with open(os.path.join(args.data, 'regions.csv'), encoding='utf-8-sig') as f:
        regions = {r['region']: r for r in csv.DictReader(f)}
    with open(os.path.join(args.data, 'accounts.csv'), encoding='utf-8-sig') as f:
        accounts = list(csv.DictReader(f))
    footprint = {}
    path = os.path.join(args.data, 'footprint.csv')
    if os.path.exists(path):
        with open(path, encoding='utf-8-sig') as f:
            for row in csv.DictReader(f):
                share = fraction(row['share'])
                if share > 0:
                    footprint.setdefault(row['account_id'], []).append((row['region'], share))

    f_at = [1 - math.exp(-b) for b in breakpoints]
    tier_cost = {t['id']: t['gam_fte'] * costs.get('gam_fte_cost', 0) + t['central_fte'] * costs.get('central_fte_cost', 0)
                 + t['exec_hours'] * costs.get('exec_hour_cost', 0) for t in tiers}
    change_cost = transition.get('change_cost', 0)
    program_cost = costs.get('program_fixed_cost', 0)

    prob = pulp.LpProblem('allocation', pulp.LpMaximize)
    p = pulp.LpVariable('program', cat='Binary')
    objective, expense, glob, revenue = [], [], [], []
    gam, central, hours, n_global, changes = [], [], [], [], []
    capacity = {r: [] for r in regions}
    for a in accounts:
        aid = a['account_id']
        rev = float(a['revenue']); margin = fraction(a['margin']); growth = float(a['growth_potential'])
        cs = fraction(a.get('central_share') or '0'); comp = fraction(a.get('competition') or '0')
        fit = fraction(a.get('fit') or '1'); current = (a.get('current_tier') or '').strip()
        fp = footprint.get(aid, [(a['hq_region'], 1.0)])
        if aid in pins:
            open_tiers = [t for t in tiers if t['id'] == pins[aid]]
        else:
            open_tiers = [t for t in tiers if rev >= t.get('min_revenue', 0) and len(fp) >= t.get('min_regions', 1)
                          and fit >= t.get('min_fit', 0)]
        ys = {}
        for t in open_tiers:
            y = pulp.LpVariable(f'y_{aid}_{t["id"]}', cat='Binary')
            ys[t['id']] = y
            kept = rev * (1 - comp * (1 - t['protection']))
            won = growth * cs * t['central_reach'] * fit
            chg = 1 if current and current != t['id'] else 0
            objective.append((margin * (kept + won) - tier_cost[t['id']] - change_cost * chg) * y)
            expense.append((tier_cost[t['id']] + change_cost * chg) * y)
            glob.append(tier_cost[t['id']] * y)
            revenue.append((kept + won) * y)
            gam.append(t['gam_fte'] * y); central.append(t['central_fte'] * y); hours.append(t['exec_hours'] * y)
            if t['gam_fte'] > 0:
                n_global.append(y)
                prob += y <= p
            if chg:
                changes.append(y)
        prob += pulp.lpSum(ys.values()) == 1
        for region, share in fp:
            reg = regions[region]
            s = share * (rev + growth) / float(reg['productivity'])
            if s <= 0:
                continue
            local_pot = growth * (1 - cs) * share
            segs = []
            for k in range(1, len(breakpoints)):
                width = (breakpoints[k] - breakpoints[k - 1]) * s
                gain = (f_at[k] - f_at[k - 1]) / width * local_pot
                x = pulp.LpVariable(f'x_{aid}_{region}_{k}', lowBound=0, upBound=width)
                segs.append(x)
                cost = float(reg['local_fte_cost'])
                objective.append((margin * gain - cost) * x)
                expense.append(cost * x)
                revenue.append(gain * x)
                capacity[region].append(x)
            prob += pulp.lpSum(segs) >= pulp.lpSum(t['min_local_coverage'] * s * ys[t['id']] for t in open_tiers)
    objective.append(-program_cost * p)
    expense.append(program_cost * p)
    glob.append(program_cost * p)
    prob += pulp.lpSum(objective)
    E, G, REV = pulp.lpSum(expense), pulp.lpSum(glob), pulp.lpSum(revenue)
    for region, xs in capacity.items():
        prob += pulp.lpSum(xs) <= float(regions[region]['local_capacity_fte'])
    if 'budget' in limits: prob += E <= limits['budget']
    if 'gam_headcount' in limits: prob += pulp.lpSum(gam) <= limits['gam_headcount']
    if 'central_fte' in limits: prob += pulp.lpSum(central) <= limits['central_fte']
    if 'exec_hours' in limits: prob += pulp.lpSum(hours) <= limits['exec_hours']
    if 'max_cost_of_sales' in limits: prob += E <= limits['max_cost_of_sales'] * REV
    if 'global_share' in limits:
        lo, hi = limits['global_share']
        prob += G >= lo * E
        prob += G <= hi * E
    if 'max_global_accounts' in limits: prob += pulp.lpSum(n_global) <= limits['max_global_accounts']
    if 'max_changes' in transition: prob += pulp.lpSum(changes) <= transition['max_changes']
    built = time.time()
    solver = pulp.GLPK_CMD(msg=False, timeLimit=args.timelimit, options=['--mipgap', str(args.mipgap)])
    status = prob.solve(solver)
    solved = time.time()
    print(f'BUILD_SECONDS {built - start:.3f}')
    print(f'SOLVE_SECONDS {solved - built:.3f}')
    print(f'STATUS {pulp.LpStatus[status]}')
    value = pulp.value(prob.objective)
    print(f'NET_CONTRIBUTION {value!r}')


if __name__ == '__main__':
    sys.exit(main())
