/* SPDX-License-Identifier: GPL-3.0-or-later

   SalesMotion: the multi-year roadmap in GNU MathProg.

   The reference formulation of the roadmap (shared spec, roadmap.md) on top of the
   single-year model (models/allocation.mod), written as plainly as the mathematics, for an
   independent check of the Swift solver:

     salesmotion export --format gmpl-roadmap --model models/roadmap.toml --output roadmap.dat
     glpsol -m models/roadmap.mod -d roadmap.dat

   Everything derived (each year's revenues and saturation scales, eligibility on today's
   values, response segments, discount factors) is computed here from the raw inputs. */

/* ---------- sets ---------- */
set A;                                   # accounts
set R;                                   # regions
set T;                                   # coverage tiers
set FP within A cross R;                 # footprint: (account, region) with share > 0
set PIN within A cross T;                # pins: account forced into tier (every year)
set CUR within A cross T;                # today's tier of the accounts that have one
param nK integer > 0;                    # number of response breakpoints K
param b{0..nK};                          # breakpoints, b[0] = 0
param nY integer > 0;                    # years planned
set Y := 1..nY;

/* ---------- account inputs (accounts.csv, footprint.csv): today's values ---------- */
param revenue{A} >= 0;
param margin{A} >= 0, <= 1;
param growth{A} >= 0;                    # growth_potential
param central_share{A} >= 0, <= 1;
param competition{A} >= 0, <= 1;
param fit{A} >= 0, <= 1;
param sigma{FP} > 0, <= 1;               # footprint share

/* ---------- regions: capacity year by year ---------- */
param capacity{R, Y} >= 0;
param fte_cost{R} > 0;
param productivity{R} > 0;

/* ---------- tiers and costs ---------- */
param gam{T} >= 0;
param cfte{T} >= 0;
param hours{T} >= 0;
param protection{T} >= 0, <= 1;
param reach{T} >= 0, <= 1;
param mincov{T} >= 0;
param min_revenue{T} >= 0;
param min_regions{T} >= 0;
param min_fit{T} >= 0;
param gam_cost >= 0;
param central_cost >= 0;
param hour_cost >= 0;
param program_cost >= 0;
param change_cost >= 0, default 0;

/* ---------- the roadmap ---------- */
param discount_rate >= 0, default 0;
param market_growth > -1, default 0;
param use_per_account binary, default 0; param max_changes_per_account default 0;

/* ---------- optional limits, year by year ---------- */
param use_budget binary, default 0;        param budget{Y} default 0;
param use_gam binary, default 0;           param gam_headcount{Y} default 0;
param use_central binary, default 0;       param central_fte{Y} default 0;
param use_hours binary, default 0;         param exec_hours{Y} default 0;
param use_cos binary, default 0;           param max_cost_of_sales{Y} default 0;
param use_share binary, default 0;         param share_lo{Y} default 0; param share_hi{Y} default 1;
param use_max_global binary, default 0;    param max_global_accounts{Y} default 0;
param use_max_changes binary, default 0;   param max_changes{Y} default 0;

/* ---------- derived quantities ---------- */
param disc{k in Y} := (1 + discount_rate) ^ (-(k - 1));
param gf{k in Y} := (1 + market_growth) ^ (k - 1);
param rev_k{a in A, k in Y} := revenue[a] * gf[k];
param growth_k{a in A, k in Y} := growth[a] * gf[k];
param nreg{a in A} := card({r in R: (a, r) in FP});
param s{(a, r) in FP, k in Y} := sigma[a, r] * (rev_k[a, k] + growth_k[a, k]) / productivity[r];
set FPS := {(a, r) in FP, k in Y: s[a, r, k] > 0};
param f{k in 0..nK} := 1 - exp(-b[k]);
param pinned{a in A} := card({(a2, t) in PIN: a2 = a});
# eligibility on today's values, the same every year; a pin overrides it
param open{a in A, t in T} binary :=
    if pinned[a] > 0 then (if (a, t) in PIN then 1 else 0)
    else (if revenue[a] >= min_revenue[t] and nreg[a] >= min_regions[t] and fit[a] >= min_fit[t]
          then 1 else 0);
param tier_cost{t in T} := gam[t] * gam_cost + cfte[t] * central_cost + hours[t] * hour_cost;
param is_global{t in T} := if gam[t] > 0 then 1 else 0;
set HASCUR := setof{(a, t) in CUR} a;
# (account, year) pairs that have a year before: today counts for accounts with a current tier
set CH := {a in A, k in Y: k > 1 or a in HASCUR};

/* ---------- decisions ---------- */
var y{a in A, t in T, k in Y} binary;
var z{(a, r, k) in FPS, j in 1..nK} >= 0, <= (b[j] - b[j-1]) * s[a, r, k];
var p{Y} binary;
var chg{(a, k) in CH} binary;            # the account's tier differs from the year before

var x{(a, r, k) in FPS} >= 0;
s.t. effort_sum{(a, r, k) in FPS}: x[a, r, k] = sum{j in 1..nK} z[a, r, k, j];

var rev{a in A, k in Y};
s.t. revenue_def{a in A, k in Y}: rev[a, k] =
      sum{t in T} y[a, t, k] * rev_k[a, k] * (1 - competition[a] * (1 - protection[t]))
    + sum{t in T} y[a, t, k] * growth_k[a, k] * central_share[a] * reach[t] * fit[a]
    + sum{r in R, j in 1..nK: (a, r, k) in FPS}
        growth_k[a, k] * (1 - central_share[a]) * sigma[a, r]
        * (f[j] - f[j-1]) / ((b[j] - b[j-1]) * s[a, r, k]) * z[a, r, k, j];

var cost{a in A, k in Y};
s.t. cost_def{a in A, k in Y}: cost[a, k] = sum{t in T} tier_cost[t] * y[a, t, k]
                                          + sum{r in R: (a, r, k) in FPS} fte_cost[r] * x[a, r, k];
var changes{k in Y};
s.t. changes_def{k in Y}: changes[k] = sum{(a, k2) in CH: k2 = k} chg[a, k];
var E{Y};
s.t. expense_def{k in Y}: E[k] = sum{a in A} cost[a, k] + program_cost * p[k] + change_cost * changes[k];
var G{Y};
s.t. global_def{k in Y}: G[k] = sum{a in A, t in T} tier_cost[t] * y[a, t, k] + program_cost * p[k];
var NC{k in Y};
s.t. nc_def{k in Y}: NC[k] = sum{a in A} (margin[a] * rev[a, k] - cost[a, k])
                             - program_cost * p[k] - change_cost * changes[k];

/* objective: discounted net contribution over the horizon */
maximize net: sum{k in Y} disc[k] * NC[k];

/* ---------- constraints, every year ---------- */
s.t. one_tier{a in A, k in Y}: sum{t in T} y[a, t, k] = 1;
s.t. closed{a in A, t in T, k in Y: open[a, t] = 0}: y[a, t, k] = 0;
s.t. coverage{(a, r, k) in FPS}: x[a, r, k] >= sum{t in T} mincov[t] * s[a, r, k] * y[a, t, k];
s.t. capacity_cap{r in R, k in Y}: sum{a in A: (a, r, k) in FPS} x[a, r, k] <= capacity[r, k];
s.t. gam_cap{k in Y: use_gam}: sum{a in A, t in T} gam[t] * y[a, t, k] <= gam_headcount[k];
s.t. central_cap{k in Y: use_central}: sum{a in A, t in T} cfte[t] * y[a, t, k] <= central_fte[k];
s.t. hours_cap{k in Y: use_hours}: sum{a in A, t in T} hours[t] * y[a, t, k] <= exec_hours[k];
s.t. budget_cap{k in Y: use_budget}: E[k] <= budget[k];
s.t. cost_of_sales{k in Y: use_cos}: E[k] <= max_cost_of_sales[k] * sum{a in A} rev[a, k];
s.t. share_low{k in Y: use_share}: share_lo[k] * E[k] <= G[k];
s.t. share_high{k in Y: use_share}: G[k] <= share_hi[k] * E[k];
s.t. global_count{k in Y: use_max_global}:
    sum{a in A, t in T: is_global[t] = 1} y[a, t, k] <= max_global_accounts[k];
s.t. programme{a in A, t in T, k in Y: is_global[t] = 1}: y[a, t, k] <= p[k];

/* ---------- changes between years ---------- */
# year 1 against today's tier (a current tier no longer open is a change)
s.t. moved_today{(a, c) in CUR}: chg[a, 1] >= 1 - y[a, c, 1];
s.t. moved{(a, k) in CH, t in T: k > 1}: chg[a, k] >= y[a, t, k] - y[a, t, k - 1];
s.t. change_cap{k in Y: use_max_changes}: changes[k] <= max_changes[k];
s.t. per_account{a in A: use_per_account}: sum{(a2, k) in CH: a2 = a} chg[a, k] <= max_changes_per_account;

solve;

printf "ROADMAP_OBJECTIVE %.17g\n", net;
printf{k in Y} "YEAR %d NET_CONTRIBUTION %.17g\n", k, NC[k];
printf{k in Y, t in T} "YEAR %d TIER %s %d\n", k, t, sum{a in A} y[a, t, k];
end;
