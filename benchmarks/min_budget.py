# SPDX-License-Identifier: GPL-3.0-or-later
"""The least sales expense of any plan: SCIP minimises the budget row of an exported MPS.

Usage: python3 benchmarks/min_budget.py MODEL.mps [SECONDS]
(salesmotion export --format mps writes the file; the budget row must be present.)
Used to find the feasibility edge of a budget independently of SalesMotion (issue 11)."""
import sys, pyscipopt
m = pyscipopt.Model(); m.hideOutput(True); m.readProblem(sys.argv[1])
budget = [c for c in m.getConss() if c.name == 'budget'][0]
coefs = m.getValsLinear(budget)
vars = {v.name: v for v in m.getVars()}
m.setObjective(pyscipopt.quicksum(c * vars[n] for n, c in coefs.items()), 'minimize')
m.setParam('limits/gap', 0); m.setParam('limits/time', float(sys.argv[2]) if len(sys.argv) > 2 else 120)
m.optimize(); print(m.getStatus(), m.getObjVal(), m.getDualbound())
