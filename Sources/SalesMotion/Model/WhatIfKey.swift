// SPDX-License-Identifier: GPL-3.0-or-later

internal import InputFiles

/// A numeric input a what-if can vary: any numeric model key (`limits.budget`,
/// `costs.gam_fte_cost`, `tier.total.gam_fte`, …), a region's column
/// (`regions.EMEA.local_capacity_fte`) or an account's column (`accounts.A017.growth_potential`),
/// all as ``KeySchema`` lists them.
public struct WhatIfKey: Hashable, Sendable, CustomStringConvertible {
    enum Target: Hashable, Sendable {
        case model(section: String, key: String)
        case tier(id: String, key: String)
        case region(id: String, column: String)
        case account(id: String, column: String)
    }

    /// The numeric keys of each section, and of a tier.
    static let modelKeys: [String: [String]] = Dictionary(
        grouping: KeySchema.keys.filter { $0.isNumeric && $0.section != "tier" }, by: \.section).mapValues { $0.map(\.name) }
    static let tierKeys = KeySchema.keys.filter { $0.isNumeric && $0.section == "tier" }.map(\.name)

    let target: Target
    public let description: String

    /// Parses a key; throws ``InputError`` (source `--vary`) naming what is wrong.
    public init(_ text: String, source: String = "--vary") throws {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        func fail(_ message: String) -> InputError {
            InputError([InputDiagnostic(SourceLocation(file: source), "\(text): \(message)")])
        }
        description = text
        switch parts.count {
        case 2:
            guard let keys = Self.modelKeys[parts[0]] else {
                throw fail("unknown section; numeric keys live in \(Self.modelKeys.keys.sorted().joined(separator: ", ")), tier.ID.key, regions.ID.column or accounts.ID.column")
            }
            guard keys.contains(parts[1]) else {
                throw fail("not a numeric key of [\(parts[0])]\(suggestion(for: parts[1], in: keys))")
            }
            target = .model(section: parts[0], key: parts[1])
        case 3 where parts[0] == "tier":
            guard Self.tierKeys.contains(parts[2]) else {
                throw fail("not a numeric tier key\(suggestion(for: parts[2], in: Self.tierKeys))")
            }
            target = .tier(id: parts[1], key: parts[2])
        case 3 where parts[0] == "regions":
            let columns = KeySchema.regionColumns.map(\.name)
            guard columns.contains(parts[2]) else { throw fail("not a region column\(suggestion(for: parts[2], in: columns))") }
            target = .region(id: parts[1], column: parts[2])
        case 3 where parts[0] == "accounts":
            let columns = KeySchema.accountColumns.map(\.name)
            guard columns.contains(parts[2]) else { throw fail("not an account column\(suggestion(for: parts[2], in: columns))") }
            target = .account(id: parts[1], column: parts[2])
        default:
            throw fail("expected section.key, tier.ID.key, regions.ID.column or accounts.ID.column")
        }
    }

    /// The model key this is (section keys and tier keys).
    private var schemaKey: KeySchema.Key? {
        switch target {
        case .model(let section, let key): return KeySchema.key(section, key)
        case .tier(_, let key): return KeySchema.key("tier", key)
        default: return nil
        }
    }

    /// The key's value in `instance`; nil when the key is an absent optional limit.
    public func value(in instance: AllocationInstance) throws -> Double? {
        switch target {
        case .model: return schemaKey?.get(instance.model, 0)
        case .tier(let id, _): return schemaKey?.get(instance.model, try tierIndex(id, in: instance.model))
        case .region(let id, let column):
            let region = instance.dataset.regions[try regionIndex(id, in: instance.dataset)]
            return KeySchema.regionColumns.first { $0.name == column }.map { region[keyPath: $0.path] }
        case .account(let id, let column):
            let account = instance.dataset.accounts[try accountIndex(id, in: instance.dataset)]
            return KeySchema.accountColumns.first { $0.name == column }.map { account[keyPath: $0.path] }
        }
    }

    /// An unsigned percentage is the value itself for this key (a fraction).
    var percentIsFraction: Bool {
        switch target {
        case .model, .tier: return schemaKey?.percentIsFraction == true
        case .region(_, let column): return KeySchema.regionColumn(column)?.rule == .fraction
        case .account(_, let column): return KeySchema.accountColumn(column)?.rule == .fraction
        }
    }

    /// The number `text` gives this key in `instance`: an amount, or a change of the key's
    /// value there (`+2`, `-15%`, ``ChangeValue``). Throws ``InputError`` from `source`.
    public func resolve(_ text: String, in instance: AllocationInstance, source: String = "--vary") throws -> Double {
        func fail(_ message: String) -> InputError { InputError([InputDiagnostic(SourceLocation(file: source), message)]) }
        do {
            let change = try ChangeValue(text, key: description, percentIsFraction: percentIsFraction)
            if case .remove = change { throw fail("\(description): none is not a point of a range; give a number") }
            if case .other(let other) = change {
                throw fail("\(description): expected an amount (20M), a change (+2, -1.5M) or a percentage change (-20%), found \"\(other)\"")
            }
            guard let value = try change.resolved(from: try value(in: instance), key: description) else {
                throw fail("\(description): no value")
            }
            if let problem = NumberSyntax.rangeProblem(value) { throw fail("\(description): \(problem)") }
            return value
        } catch let problem as ChangeValueProblem {
            throw fail(problem.message)
        }
    }

    /// The limit this key sets, when it is one, so its shadow price can be reported.
    public func limitKind(in instance: AllocationInstance) -> LimitKind? {
        switch target {
        case .model: return schemaKey?.limit
        case .region(let id, let column) where KeySchema.regionColumns.first(where: { $0.name == column })?.isCapacity == true:
            return (try? regionIndex(id, in: instance.dataset)).map { .regionalCapacity(region: $0) }
        default: return nil
        }
    }

    /// Sets the key to `value` in copies of the inputs. Counts (accounts, changes, regions) are
    /// rounded down to whole numbers.
    func apply(_ value: Double, dataset: inout Dataset, model: inout AllocationModel) throws {
        if let problem = NumberSyntax.rangeProblem(value) {
            throw InputError([InputDiagnostic(SourceLocation(file: "--vary"), "\(description): \(problem)")])
        }
        switch target {
        case .model: schemaKey?.set(&model, 0, value)
        case .tier(let id, _): schemaKey?.set(&model, try tierIndex(id, in: model), value)
        case .region(let id, let column):
            let r = try regionIndex(id, in: dataset)
            if let path = KeySchema.regionColumns.first(where: { $0.name == column })?.path { dataset.regions[r][keyPath: path] = value }
        case .account(let id, let column):
            let a = try accountIndex(id, in: dataset)
            if let path = KeySchema.accountColumns.first(where: { $0.name == column })?.path { dataset.accounts[a][keyPath: path] = value }
        }
    }

    /// Whether setting the key changes only the bound of one constraint that already exists.
    func changesOnlyABound(in instance: AllocationInstance) -> Bool {
        switch target {
        case .model: return schemaKey?.isBound == true && (try? value(in: instance)) != nil
        case .region: return limitKind(in: instance) != nil
        default: return false
        }
    }

    private func tierIndex(_ id: String, in model: AllocationModel) throws -> Int {
        try index(of: id, in: model.tiers.map(\.id), "tier")
    }

    private func regionIndex(_ id: String, in dataset: Dataset) throws -> Int {
        try index(of: id, in: dataset.regions.map(\.id), "region")
    }

    private func accountIndex(_ id: String, in dataset: Dataset) throws -> Int {
        try index(of: id, in: dataset.accounts.map(\.id), "account")
    }

    private func index(of id: String, in ids: [String], _ what: String) throws -> Int {
        guard let position = ids.firstIndex(of: id) else {
            throw InputError([InputDiagnostic(SourceLocation(file: "--vary"),
                                              "\(description): no \(what) '\(id)'\(suggestion(for: id, in: ids))")])
        }
        return position
    }
}
