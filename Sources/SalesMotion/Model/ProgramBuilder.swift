// SPDX-License-Identifier: GPL-3.0-or-later

internal import LinearProgramming

/// Builds linear programs from the ``Formulation``, account by account.
///
/// The same builder makes the monolithic program (every account free, the programme a binary)
/// and the decomposition's restricted programs (the programme decided, most accounts fixed):
/// a fixed decision adds no variable, and its use of every row is taken off that row's
/// right-hand side with the formulation's own coefficients.
struct ProgramBuilder {
    let formulation: Formulation
    private(set) var lp = LinearProgram(sense: .maximize)
    /// Terms of each limit row, one list per quantity of the row, gathered account by account.
    /// A row is the concatenation of its lists (a variable in several lists is merged into
    /// its first place), as the row `Σ weight·quantity` is written.
    private var rowTerms: [[[(VariableIndex, Double)]]]
    /// Each limit row's right-hand side less the use of the fixed decisions.
    private var bounds: [Double]
    private let names: Bool
    /// The programme binary, when the programme is a decision of this program.
    private(set) var programme: VariableIndex?
    /// The coverage rows (effort at least the chosen tier's minimum), in the order added.
    private(set) var coverageRows: [ConstraintIndex] = []
    /// Per region, the coefficient of one FTE that wins nothing in each of its effort rows, and
    /// every row's revenue weight: what fixing effort takes off the right-hand sides.
    private let effortBase: [[Double]]
    private let revenueWeights: [Double]
    /// The weight of this program's money in the objective (a roadmap's discount factor).
    private let scale: Double
    /// Appended to every name (a roadmap's year), so several years share one program.
    private let suffix: String

    /// Starts a program. `programmeActive` nil makes the programme a binary; true or false
    /// decides it (global tiers must then be left out of the choices when it is off).
    /// `program` is where the variables and rows go (a new program when nil); `scale` weighs
    /// every objective coefficient and constant, `suffix` ends every name.
    init(formulation: Formulation, programmeActive: Bool?, names: Bool = false, into program: LinearProgram? = nil,
         scale: Double = 1, suffix: String = "") {
        self.formulation = formulation
        self.names = names
        self.scale = scale
        self.suffix = suffix
        if let program { lp = program }
        rowTerms = formulation.rows.map { Array(repeating: [], count: $0.terms.count) }
        effortBase = formulation.instance.dataset.regions.indices.map { r in
            formulation.effortRows[r].map { formulation.effortCoefficient(in: formulation.rows[$0], region: r, revenuePerFTE: 0) }
        }
        revenueWeights = formulation.rows.map { formulation.revenueWeight(in: $0) }
        bounds = formulation.rows.map { formulation.bound(of: $0, programmeActive: programmeActive ?? false) }
        lp.objectiveConstant += programmeActive == true ? -formulation.instance.model.costs.programmeFixedCost * scale : 0
        if programmeActive == nil {
            let cost = formulation.instance.model.costs.programmeFixedCost
            let variable = lp.addBinaryVariable(name: names ? "program" + suffix : "", objective: -cost * scale)
            programme = variable
            let formulation = self.formulation
            add(variable) { formulation.amountOfProgramme($0) }
        }
    }

    private func label(_ text: @autoclosure () -> String) -> String { names ? text() + suffix : "" }

    /// Enters `variable` in the rows, with `amount` of each quantity, at `places` (the (row,
    /// term) places where its amount can be nonzero; every place when nil).
    private mutating func add(_ variable: VariableIndex, at places: [(row: Int, term: Int)]? = nil,
                              _ amount: (Formulation.Quantity) -> Double) {
        let rows = formulation.rows
        for (i, j) in places ?? rows.indices.flatMap({ i in rows[i].terms.indices.map { (i, $0) } }) {
            let term = rows[i].terms[j]
            let value = amount(term.quantity)
            if value != 0 { rowTerms[i][j].append((variable, term.weight * value)) }
        }
    }

    /// Adds account `a` with a binary for each of `choices`; with `shiftToFloor` the least
    /// valuable choice's value goes into the objective constant (so the solver's gap speaks
    /// of money the decisions move). Returns the binaries.
    ///
    /// With `copies` above one the variables are integers that count how many of that many
    /// interchangeable copies of account `a` take each choice (a core's aggregate).
    mutating func addTierChoices(account a: Int, _ choices: [Formulation.TierChoice],
                                 shiftToFloor: Bool, copies: Int = 1) -> [VariableIndex] {
        let instance = formulation.instance
        let account = instance.dataset.accounts[a]
        let floor = shiftToFloor ? (choices.map(\.value).min() ?? 0) : 0
        lp.objectiveConstant += floor * scale
        var variables: [VariableIndex] = []
        for choice in choices {
            // "Some GAM" of a pool (the decomposition's pooled model) is named by the pool's first.
            let lead = choice.gam.map { "," + instance.dataset.gams[$0].id }
                ?? choice.pool.map { ",pool:" + instance.dataset.gams[instance.leadPools!.members[$0][0]].id } ?? ""
            let y = lp.addVariable(name: label("tier[\(account.id),\(instance.model.tiers[choice.tier].id)\(lead)]"),
                                   lower: 0, upper: Double(copies), kind: .integer, objective: (choice.value - floor) * scale)
            variables.append(y)
            let formulation = self.formulation
            add(y, at: formulation.tierTerms) { formulation.amount(of: $0, in: choice) }
        }
        // A pinned account has one choice, unless several GAMs may lead it in the pinned tier.
        let count = Double(copies)
        if instance.pinnedTier[a] != nil, variables.count == 1, let y = variables.first {
            lp.setBounds(of: y, lower: count, upper: count)
        }
        lp.addConstraint(name: label("one_tier[\(account.id)]"), terms: variables.map { ($0, 1) }, lower: count, upper: count)
        if let programme {
            let global = zip(choices, variables).filter { $0.0.isGlobal }.map { ($0.1, 1.0) }
            if !global.isEmpty {
                lp.addConstraint(name: label("programme[\(account.id)]"), terms: global + [(programme, -count)], upper: 0)
            }
        }
        return variables
    }

    /// The coverage row added since there were `count` of them (by one ``addEffort``), if any.
    func coverageRow(addedSince count: Int) -> ConstraintIndex? {
        coverageRows.count > count ? coverageRows.last : nil
    }

    /// Adds the effort segments of footprint pair `e` of account `a` and its coverage row:
    /// effort at least each tier's minimum coverage when that tier is chosen (`choices` and
    /// their binaries), or at least `fixedMinimum` when the tier is decided.
    ///
    /// With `copies` above one, `choices` is one choice and its variable counts the copies of
    /// account `a` that take it (``addTierChoices(account:_:shiftToFloor:copies:)``): the
    /// segments hold the effort of all those copies, each at most its width per copy counted.
    mutating func addEffort(account a: Int, pair e: Int, choices: [(Formulation.TierChoice, VariableIndex)],
                            fixedMinimum: Double = 0, copies: Int = 1) -> [VariableIndex] {
        precondition(copies == 1 || choices.count == 1, "copies of an account's effort belong to one choice")
        let instance = formulation.instance
        let account = instance.dataset.accounts[a], pair = instance.pairs[a][e]
        let region = instance.dataset.regions[pair.region]
        var segments: [VariableIndex] = []
        for (k, segment) in formulation.segments(of: pair).enumerated() {
            let x = lp.addVariable(name: label("effort[\(account.id),\(region.id),\(k + 1)]"), lower: 0,
                                   upper: segment.width * Double(copies),
                                   objective: formulation.effortValue(margin: account.margin, region: pair.region,
                                                                      revenuePerFTE: segment.revenuePerFTE) * scale)
            segments.append(x)
            if copies > 1 { lp.addConstraint(terms: [(x, 1), (choices[0].1, -segment.width)], upper: 0) }
            let formulation = self.formulation
            add(x, at: formulation.effortTerms[pair.region]) {
                formulation.amount(of: $0, inEffortOf: pair.region, revenuePerFTE: segment.revenuePerFTE)
            }
        }
        guard !segments.isEmpty else { return [] }
        let coverage = choices.compactMap { choice, y -> (VariableIndex, Double)? in
            let minimum = choice.minimumCoverage * pair.saturation
            return minimum > 0 ? (y, -minimum) : nil
        }
        if !coverage.isEmpty {
            coverageRows.append(lp.addConstraint(name: label("coverage[\(account.id),\(region.id)]"),
                                                 terms: segments.map { ($0, 1) } + coverage, lower: 0))
        } else if fixedMinimum > 0 {
            coverageRows.append(lp.addConstraint(terms: segments.map { ($0, 1) }, lower: fixedMinimum))
        }
        return segments
    }

    /// Adds the effort of pair `e` of account `a` within `window` (FTE, in the pair's own
    /// range): the effort below its start fixed, filled into the segments in order; a variable
    /// for each segment's part inside it; none above. Returns the variables and their widths.
    mutating func addEffort(account a: Int, pair e: Int, within window: ClosedRange<Double>)
        -> (variables: [VariableIndex], widths: [Double]) {
        fixEffort(account: a, pair: e, fte: window.lowerBound)
        let instance = formulation.instance
        let account = instance.dataset.accounts[a], pair = instance.pairs[a][e]
        let region = instance.dataset.regions[pair.region]
        var variables: [VariableIndex] = [], widths: [Double] = []
        var start = 0.0
        for (k, segment) in formulation.segments(of: pair).enumerated() {
            let end = start + segment.width
            defer { start = end }
            let width = min(end, window.upperBound) - max(start, window.lowerBound)
            guard width > 0 else { continue }
            let x = lp.addVariable(name: label("effort[\(account.id),\(region.id),\(k + 1)]"), lower: 0, upper: width,
                                   objective: formulation.effortValue(margin: account.margin, region: pair.region,
                                                                      revenuePerFTE: segment.revenuePerFTE) * scale)
            let formulation = self.formulation
            add(x, at: formulation.effortTerms[pair.region]) {
                formulation.amount(of: $0, inEffortOf: pair.region, revenuePerFTE: segment.revenuePerFTE)
            }
            variables.append(x)
            widths.append(width)
        }
        return (variables, widths)
    }

    /// Fixes account `a` in `choice`: its value goes into the objective constant, its use
    /// off every right-hand side.
    mutating func fix(_ choice: Formulation.TierChoice) {
        lp.objectiveConstant += choice.value * scale
        for i in formulation.tierRows { bounds[i] -= formulation.coefficient(of: choice, in: formulation.rows[i]) }
    }

    /// Fixes a tier choice known by its value and its nonzero coefficients in the rows of
    /// ``Formulation/tierRows`` (a linking structure's pricing table): the same as ``fix(_:)``.
    mutating func fix(value: Double, usage: some Sequence<(row: Int, coefficient: Double)>) {
        lp.objectiveConstant += value * scale
        for (i, coefficient) in usage { bounds[i] -= coefficient }
    }

    /// Fixes `fte` of effort on pair `e` of account `a`, filled into its segments in order.
    mutating func fixEffort(account a: Int, pair e: Int, fte: Double) {
        guard fte > 0 else { return }
        let instance = formulation.instance
        let pair = instance.pairs[a][e]
        let cost = instance.dataset.regions[pair.region].localFTECost
        var left = fte, revenue = 0.0
        for segment in formulation.segments(of: pair) where left > 0 {
            let amount = min(left, segment.width)
            revenue += segment.revenuePerFTE * amount
            left -= amount
        }
        fixEffort(margin: instance.dataset.accounts[a].margin, region: pair.region, cost: cost, fte: fte, revenue: revenue)
    }

    /// Fixes `fte` of effort in `region` (FTE cost `cost`) that wins `revenue` for an account
    /// with `margin`: what ``fixEffort(account:pair:fte:)`` does once the revenue is known.
    mutating func fixEffort(margin: Double, region: Int, cost: Double, fte: Double, revenue: Double) {
        fixEffort(region: region, cost: cost, fte: fte, revenue: revenue, grossProfit: margin * revenue)
    }

    /// Fixes effort in `region` of several accounts at once: their FTE, the revenue it wins and
    /// that revenue's gross profit (each account's margin times its revenue), summed.
    mutating func fixEffort(region: Int, cost: Double, fte: Double, revenue: Double, grossProfit: Double) {
        lp.objectiveConstant += (grossProfit - cost * fte) * scale
        let rows = formulation.effortRows[region], base = effortBase[region]
        for slot in rows.indices {
            let i = rows[slot]
            bounds[i] -= base[slot] * fte + revenueWeights[i] * revenue
        }
    }

    /// Adds a tier change of account `a` as a variable of its own (0..1; rows elsewhere tie it to
    /// the tiers it is between): its cost in the objective and in the rows, its count.
    mutating func addChange(account a: Int) -> VariableIndex {
        let formulation = self.formulation
        let variable = lp.addVariable(name: label("change[\(formulation.instance.dataset.accounts[a].id)]"), lower: 0, upper: 1,
                                      objective: -formulation.instance.model.transition.changeCost * scale)
        add(variable) { formulation.amountOfChange($0) }
        return variable
    }

    /// Fixes a tier change (a roadmap's, between two fixed tiers): its cost into the objective
    /// constant, its use off every right-hand side.
    mutating func fixChange() {
        lp.objectiveConstant -= formulation.instance.model.transition.changeCost * scale
        for i in formulation.rows.indices { bounds[i] -= formulation.changeCoefficient(in: formulation.rows[i]) }
    }

    /// Adds the limit rows and returns the program with each row's constraint and, with
    /// `elastic`, the slack that lets the row give way (in the row's own units).
    mutating func finish(elastic: Bool = false)
        -> (program: LinearProgram, limits: [(kind: LimitKind, constraint: ConstraintIndex)], slacks: [VariableIndex]) {
        var limits: [(kind: LimitKind, constraint: ConstraintIndex)] = []
        var slacks: [VariableIndex] = []
        for (i, row) in formulation.rows.enumerated() {
            var terms = Array(rowTerms[i].joined())
            if elastic {
                let slack = lp.addVariable(name: label("relax[\(row.name)]"))
                terms.append((slack, row.sense == .atLeast ? 1 : -1))
                slacks.append(slack)
            }
            let constraint: ConstraintIndex
            switch row.sense {
            case .atMost: constraint = lp.addConstraint(name: label(row.name), terms: terms, upper: bounds[i])
            case .atLeast: constraint = lp.addConstraint(name: label(row.name), terms: terms, lower: bounds[i])
            }
            limits.append((row.kind, constraint))
        }
        return (lp, limits, slacks)
    }
}
