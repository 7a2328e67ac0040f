/* SPDX-License-Identifier: GPL-3.0-or-later

   SalesMotion: the allocation model in GNU MathProg.

   The reference formulation of the product specification (shared spec, model.md),
   written as plainly as the mathematics, for an independent check of the Swift solver:

     salesmotion export --format gmpl --output sample.dat
     glpsol -m models/allocation.mod -d sample.dat

   Everything derived (saturation scales, eligibility, response segments) is computed here
   from the raw inputs, not taken from the Swift code. */

/* ---------- sets ---------- */
set A;                                   # accounts
set R;                                   # regions
set T;                                   # coverage tiers
set FP within A cross R;                 # footprint: (account, region) with share > 0
set PIN within A cross T;                # pins: account forced into tier
set CUR within A cross T;                # current tier of the accounts that have one
param nK integer > 0;                    # number of response breakpoints K
param b{0..nK};                          # breakpoints, b[0] = 0

/* ---------- account inputs (accounts.csv, footprint.csv) ---------- */
param revenue{A} >= 0;
param margin{A} >= 0, <= 1;
param growth{A} >= 0;                    # growth_potential
param central_share{A} >= 0, <= 1;
param competition{A} >= 0, <= 1;
param fit{A} >= 0, <= 1;
param sigma{FP} > 0, <= 1;               # footprint share

/* ---------- regions (regions.csv) ---------- */
param capacity{R} >= 0;                  # local_capacity_fte
param fte_cost{R} > 0;                   # local_fte_cost
param productivity{R} > 0;

/* ---------- tiers and costs (model file) ---------- */
param gam{T} >= 0;                       # GAM FTE per account
param cfte{T} >= 0;                      # central FTE per account
param hours{T} >= 0;                     # executive hours per account
param protection{T} >= 0, <= 1;
param reach{T} >= 0, <= 1;               # central_reach
param mincov{T} >= 0;                    # min_local_coverage
param min_revenue{T} >= 0;
param min_regions{T} >= 0;
param min_fit{T} >= 0;
param gam_cost >= 0;
param central_cost >= 0;
param hour_cost >= 0;
param program_cost >= 0;
param change_cost >= 0, default 0;

/* ---------- named GAMs (gams.csv, portfolios.md): all optional ---------- */
set G default {};                        # global account managers
param home{G} symbolic;                  # home_region
param gcap{G} > 0, default 1;            # capacity_fte
param gmax{G} >= 0, default 0;           # max_accounts (0: no limit)
param hq{A} symbolic, default '';        # hq_region (needed with GAMs)
set CURG within A cross G default setof{a in A, g in G: 0 = 1} (a, g);   # current_gam
set PING within A cross G default setof{a in A, g in G: 0 = 1} (a, g);   # pins naming a GAM
param continuity_value >= 0, default 0;
param away_cost >= 0, default 0;

/* ---------- optional limits: a flag says whether each is in force ---------- */
param use_budget binary, default 0;        param budget default 0;
param use_gam binary, default 0;           param gam_headcount default 0;
param use_central binary, default 0;       param central_fte default 0;
param use_hours binary, default 0;         param exec_hours default 0;
param use_cos binary, default 0;           param max_cost_of_sales default 0;
param use_share binary, default 0;         param share_lo default 0; param share_hi default 1;
param use_max_global binary, default 0;    param max_global_accounts default 0;
param use_max_changes binary, default 0;   param max_changes default 0;

/* ---------- derived quantities (spec §3) ---------- */
param nreg{a in A} := card({r in R: (a, r) in FP});
# saturation scale s[a,r], FTE
param s{(a, r) in FP} := sigma[a, r] * (revenue[a] + growth[a]) / productivity[r];
set FPS := {(a, r) in FP: s[a, r] > 0};  # pairs that can take local effort
# response f(u) = 1 - exp(-u) at the breakpoints
param f{k in 0..nK} := 1 - exp(-b[k]);
# eligibility, overridden by a pin
param pinned{a in A} := card({(a2, t) in PIN: a2 = a});
param open{a in A, t in T} binary :=
    if pinned[a] > 0 then (if (a, t) in PIN then 1 else 0)
    else (if revenue[a] >= min_revenue[t] and nreg[a] >= min_regions[t] and fit[a] >= min_fit[t]
          then 1 else 0);
param tier_cost{t in T} := gam[t] * gam_cost + cfte[t] * central_cost + hours[t] * hour_cost;
param is_global{t in T} := if gam[t] > 0 then 1 else 0;
set HASCUR := setof{(a, t) in CUR} a;

/* ---------- decisions (spec §4) ---------- */
var y{a in A, t in T} binary;            # account a gets tier t
var z{(a, r) in FPS, k in 1..nK} >= 0, <= (b[k] - b[k-1]) * s[a, r];  # effort on segment k
var p binary;                            # the global programme runs

/* local FTE of region r on account a */
var x{(a, r) in FPS} >= 0;
s.t. effort_sum{(a, r) in FPS}: x[a, r] = sum{k in 1..nK} z[a, r, k];

/* expected revenue (spec §5) */
var rev{a in A};
s.t. revenue_def{a in A}: rev[a] =
      sum{t in T} y[a, t] * revenue[a] * (1 - competition[a] * (1 - protection[t]))     # kept base
    + sum{t in T} y[a, t] * growth[a] * central_share[a] * reach[t] * fit[a]             # central won
    + sum{r in R, k in 1..nK: (a, r) in FPS}                                             # local won
        growth[a] * (1 - central_share[a]) * sigma[a, r]
        * (f[k] - f[k-1]) / ((b[k] - b[k-1]) * s[a, r]) * z[a, r, k];

/* sales expense of each account, tier changes, total and global expense */
var cost{a in A};
s.t. cost_def{a in A}: cost[a] = sum{t in T} tier_cost[t] * y[a, t]
                               + sum{r in R: (a, r) in FPS} fte_cost[r] * x[a, r];
/* named GAMs: a global account has one lead, who carries its tier's GAM FTE */
var lead{a in A, t in T, g in G: gam[t] > 0} binary;
s.t. one_lead{a in A, t in T: gam[t] > 0 and card(G) > 0}: sum{g in G} lead[a, t, g] = y[a, t];
var kept_gam;                            # global accounts led by their current GAM
s.t. kept_def: kept_gam = sum{(a, g) in CURG, t in T: gam[t] > 0} lead[a, t, g];
var away_gam;                            # global accounts led from another region
s.t. away_def: away_gam = sum{a in A, t in T, g in G: gam[t] > 0 and home[g] != hq[a]} lead[a, t, g];

var chg{a in HASCUR};
s.t. change_def{a in HASCUR}: chg[a] = 1 - sum{t in T: (a, t) in CUR} y[a, t];
var E;
s.t. expense_def: E = sum{a in A} cost[a] + program_cost * p + change_cost * sum{a in HASCUR} chg[a]
                     + away_cost * away_gam;
var GE;
s.t. global_def: GE = sum{a in A, t in T} tier_cost[t] * y[a, t] + program_cost * p + away_cost * away_gam;

/* objective: group net contribution */
maximize net: sum{a in A} (margin[a] * rev[a] - cost[a])
              - program_cost * p - change_cost * sum{a in HASCUR} chg[a]
              + continuity_value * kept_gam - away_cost * away_gam;

/* ---------- constraints (spec §6) ---------- */
# 1. one tier per account; closed tiers are not allowed
s.t. one_tier{a in A}: sum{t in T} y[a, t] = 1;
s.t. closed{a in A, t in T: open[a, t] = 0}: y[a, t] = 0;
# 2. synchronisation: minimum local coverage of the chosen tier in every footprint region
s.t. coverage{(a, r) in FPS}: x[a, r] >= sum{t in T} mincov[t] * s[a, r] * y[a, t];
# 3. regional capacity
s.t. capacity_cap{r in R}: sum{a in A: (a, r) in FPS} x[a, r] <= capacity[r];
# 4. GAM headcount, central FTE, executive hours
s.t. gam_cap{i in 1..use_gam}: sum{a in A, t in T} gam[t] * y[a, t] <= gam_headcount;
s.t. central_cap{i in 1..use_central}: sum{a in A, t in T} cfte[t] * y[a, t] <= central_fte;
s.t. hours_cap{i in 1..use_hours}: sum{a in A, t in T} hours[t] * y[a, t] <= exec_hours;
# 5. budget
s.t. budget_cap{i in 1..use_budget}: E <= budget;
# 6. cost of sales
s.t. cost_of_sales{i in 1..use_cos}: E <= max_cost_of_sales * sum{a in A} rev[a];
# 7. global share of expense
s.t. share_low{i in 1..use_share}: share_lo * E <= GE;
s.t. share_high{i in 1..use_share}: GE <= share_hi * E;
# 8. number of global accounts
s.t. global_count{i in 1..use_max_global}:
    sum{a in A, t in T: is_global[t] = 1} y[a, t] <= max_global_accounts;
# 9. the programme runs when any account is in a global tier
s.t. programme{a in A, t in T: is_global[t] = 1}: y[a, t] <= p;
# named GAMs: capacity, number of accounts, pins naming the lead
s.t. gam_load{g in G}: sum{a in A, t in T: gam[t] > 0} gam[t] * lead[a, t, g] <= gcap[g];
s.t. gam_count{g in G: gmax[g] > 0}: sum{a in A, t in T: gam[t] > 0} lead[a, t, g] <= gmax[g];
s.t. pinned_lead{(a, g) in PING}: sum{t in T: gam[t] > 0} lead[a, t, g] = 1;
# 10. stability
s.t. change_cap{i in 1..use_max_changes}: sum{a in HASCUR} chg[a] <= max_changes;

solve;

printf "NET_CONTRIBUTION %.17g\n", net;
printf "SALES_EXPENSE %.17g\n", E;
printf{t in T} "TIER %s %d\n", t, sum{a in A} y[a, t];
end;
