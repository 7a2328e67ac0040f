// SPDX-License-Identifier: GPL-3.0-or-later

internal import InputFiles
internal import OutputFiles

extension Dataset {
    /// The dataset with `changes` laid over it: `regions.ID.column`, `accounts.ID.column` and
    /// `accounts.*.column` (every account), each value set, added or scaled (``ChangeValue``).
    ///
    /// A value set outside its column's range is an error. A relative change that would leave
    /// the range — `+0.05` on a competition of 0.98 — stops at its edge (0 to 1 for a fraction,
    /// 0 for an amount; a value that must be positive has no edge to stop at, so that is an
    /// error too): the change speaks of the group, and one account at the edge must not
    /// make it impossible to state (`docs/decisions.md`). Every problem is reported, each where
    /// its change was written.
    func applying(_ changes: [ModelOverride]) throws -> Dataset {
        if changes.isEmpty { return self }
        var dataset = self
        var problems = DiagnosticCollector()
        let regionIds = regions.map(\.id), accountIds = accounts.map(\.id)
        let regionIndex = Dictionary(regions.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let accountIndex = Dictionary(accounts.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        for change in changes {
            let path = change.path, key = change.key
            func report(_ message: String) { problems.report(change.source, "\(key): \(message)") }
            if path[0] == "gams" {
                dataset.applyGAMChange(change, report)
                continue
            }
            guard path.count == 3 else {
                report("expected \(path[0]).ID.column")
                continue
            }
            let (id, column) = (path[1], path[2])
            if path[0] == "regions" {
                guard let spec = KeySchema.regionColumn(column) else {
                    report("not a region column that can change\(suggestion(for: column, in: KeySchema.regionColumns.map(\.name)))")
                    continue
                }
                let targets: [Int]
                if id == "*" { targets = Array(regions.indices) } else if let r = regionIndex[id] { targets = [r] } else {
                    report("no region '\(id)'\(suggestion(for: id, in: regionIds)); regions are \(regionIds.joined(separator: ", "))")
                    continue
                }
                for r in targets {
                    if let value = Self.changed(regions[r][keyPath: spec.path], by: change, rule: spec.rule, report) {
                        dataset.regions[r][keyPath: spec.path] = value
                    }
                }
            } else {
                guard let spec = KeySchema.accountColumn(column) else {
                    report("not an account column that can change\(suggestion(for: column, in: KeySchema.accountColumns.map(\.name)))")
                    continue
                }
                let targets: [Int]
                if id == "*" { targets = Array(accounts.indices) } else if let a = accountIndex[id] { targets = [a] } else {
                    report("no account '\(id)'\(suggestion(for: id, in: accountIds))")
                    continue
                }
                for a in targets {
                    if let value = Self.changed(accounts[a][keyPath: spec.path], by: change, rule: spec.rule, report) {
                        dataset.accounts[a][keyPath: spec.path] = value
                    }
                }
                if problems.diagnostics.count > 20 { break }
            }
        }
        try problems.throwIfAny()
        return dataset
    }

    /// A change of the named team: `gams.ID.capacity_fte`, `gams.ID.max_accounts` (`none`: no
    /// limit), or `gams.ID=none`, which removes the GAM (what if Maria leaves?): the accounts she
    /// leads today have no current GAM, and a pin naming her is then an error.
    private mutating func applyGAMChange(_ change: ModelOverride, _ report: (String) -> Void) {
        let path = change.path
        let ids = gams.map(\.id)
        guard path.count >= 2, let g = ids.firstIndex(of: path[1]) else {
            report(gams.isEmpty ? "the dataset has no gams.csv" : "no GAM '\(path.count > 1 ? path[1] : "")'\(suggestion(for: path.count > 1 ? path[1] : "", in: ids))")
            return
        }
        if path.count == 2 {
            guard change.valueText.trimmingCharacters(in: .whitespaces).lowercased() == "none" else {
                report("gams.ID takes none (the GAM leaves the team); change a column with gams.ID.capacity_fte or gams.ID.max_accounts")
                return
            }
            gams.remove(at: g)
            for a in accounts.indices {
                if let current = accounts[a].currentGAM { accounts[a].currentGAM = current == g ? nil : current > g ? current - 1 : current }
            }
            return
        }
        guard path.count == 3 else {
            report("expected gams.ID.column")
            return
        }
        switch path[2] {
        case "capacity_fte":
            if let value = Self.changed(gams[g].capacityFTE, by: change, rule: .positive, report) { gams[g].capacityFTE = value }
        case "max_accounts":
            if change.valueText.trimmingCharacters(in: .whitespaces).lowercased() == "none" {
                gams[g].maxAccounts = nil
                return
            }
            guard let value = Self.changed(Double(gams[g].maxAccounts ?? 0), by: change, rule: .nonNegative, report) else { return }
            guard value >= 1, value == value.rounded(), value < 1e9 else {
                report("expected a whole number ≥ 1 (or none for no limit), found \(formatShort(value))")
                return
            }
            gams[g].maxAccounts = Int(value)
        default:
            report("not a GAM column that can change\(suggestion(for: path[2], in: ["capacity_fte", "max_accounts"]))")
        }
    }

    /// `current` changed by `change` under `rule`; nil (and a report) when it cannot be.
    private static func changed(_ current: Double, by change: ModelOverride, rule: CSVFieldReader.NumberRule,
                                _ report: (String) -> Void) -> Double? {
        let value: ChangeValue
        do {
            value = try ChangeValue(change.valueText, key: change.key, percentIsFraction: rule == .fraction)
        } catch {
            report(String(error.message.dropFirst(change.key.count + 2)))
            return nil
        }
        let result: Double
        switch value {
        case .set(let number): result = number
        case .add(let amount): result = current + amount
        case .scale(let factor): result = current * factor
        case .remove:
            report("a data column cannot be none; give a value")
            return nil
        case .other(let text):
            report("expected a number, an amount to add (+2, -1.5M) or a percentage (-15%), found \"\(text)\"")
            return nil
        }
        if let problem = NumberSyntax.rangeProblem(result) {
            report(problem)
            return nil
        }
        let highest = rule == .fraction ? 1.0 : NumberSyntax.largest
        if value.isRelative && rule != .positive { return min(highest, max(0, result)) }
        guard result >= 0, result <= highest, rule != .positive || result > 0 else {
            report("expected \(rule.expectation), found \(formatShort(result))")
            return nil
        }
        return result
    }
}
