// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import GLPK
@testable import SalesMotion
import InputFiles

/// A temporary folder with files written into it, removed when the value is released.
final class TemporaryFolder {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "salesmotion-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        let file = (path as NSString).appendingPathComponent(name)
        try! Data(text.utf8).write(to: URL(fileURLWithPath: file))
        return file
    }

    @discardableResult
    func write(_ name: String, bytes: [UInt8]) -> String {
        let file = (path as NSString).appendingPathComponent(name)
        try! Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }
}

/// The messages of an input error, or an empty list when `body` does not throw one.
func inputMessages(_ body: () throws -> Void) -> [String] {
    do {
        try body()
        return []
    } catch let error as InputError {
        return error.diagnostics.map(\.description)
    } catch {
        return ["unexpected error: \(error)"]
    }
}

/// The smallest model file the reader accepts, with `extra` appended.
func minimalModelText(_ extra: String = "") -> String {
    """
    [[tier]]
    id = "local"
    gam_fte = 0
    central_fte = 0
    exec_hours = 0
    protection = 0.5
    central_reach = 0.1
    min_local_coverage = 0.2

    """ + extra
}

/// The package root, found from this file's path.
let packageRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
    }
    fatalError("package root not found")
}()

func isApproximatelyEqual(_ a: Double, _ b: Double, relative: Double = 1e-9, absolute: Double = 1e-6) -> Bool {
    abs(a - b) <= max(absolute, relative * max(abs(a), abs(b)))
}

extension PlanningOptions {
    /// Planning with GLPK, as the command-line tool does.
    static var glpk: PlanningOptions { PlanningOptions(backend: GLPKSolver()) }
}

/// Runs the built `salesmotion` binary and returns its exit code and output.
struct CommandRun {
    var status: Int32
    var output: String
    var errors: String

    static let binary: String = {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for folder in [beside.path, beside.deletingLastPathComponent().path, packageRoot + "/.build/debug"] {
            let candidate = folder + "/salesmotion"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return packageRoot + "/.build/debug/salesmotion"
    }()

    static func run(_ arguments: [String], executable: String = binary) throws -> CommandRun {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: packageRoot)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CommandRun(status: process.terminationStatus, output: String(decoding: outData, as: UTF8.self),
                          errors: String(decoding: errData, as: UTF8.self))
    }
}

/// A CSV output file as header + rows of named cells (the outputs quote nothing in the sample).
struct PlanTable {
    let header: [String]
    let rows: [[String: String]]

    init(_ path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        let names = lines[0].components(separatedBy: ",")
        header = names
        rows = lines.dropFirst().map { line in
            Dictionary(uniqueKeysWithValues: zip(names, line.components(separatedBy: ",")))
        }
    }

    func number(_ row: [String: String], _ column: String) -> Double { Double(row[column]!)! }
    func sum(_ column: String) -> Double { rows.reduce(0) { $0 + number($1, column) } }
}

let glpsolPath: String? = ["/usr/bin/glpsol", "/usr/local/bin/glpsol"].first {
    FileManager.default.isExecutableFile(atPath: $0)
}

let chromiumPath: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
    FileManager.default.isExecutableFile(atPath: $0)
}

/// Checks a plan against the inputs with the specification's formulas, independently of the
/// figures the planner reports.
enum LimitCheck {
    /// f interpolated at the breakpoints, computed here from e^(−u).
    static func response(_ u: Double, breakpoints: [Double]) -> Double {
        let points = [0] + breakpoints
        guard u > 0 else { return 0 }
        for k in 1..<points.count where u <= points[k] {
            let f0 = 1 - exp(-points[k - 1]), f1 = 1 - exp(-points[k])
            return f0 + (f1 - f0) * (u - points[k - 1]) / (points[k] - points[k - 1])
        }
        return 1 - exp(-points.last!)
    }

    static func violations(of plan: StaffingPlan, in instance: AllocationInstance) -> [String] {
        let model = instance.model, dataset = instance.dataset
        var problems: [String] = []
        func over(_ used: Double, _ cap: Double?, _ name: String) {
            if let cap, used > cap + 1e-6 * max(1, abs(cap)) { problems.append("\(name): \(used) > \(cap)") }
        }
        var expense = 0.0, global = 0.0, revenue = 0.0, gam = 0.0, central = 0.0, hours = 0.0
        var globalAccounts = 0, changes = 0
        var regionFTE = [Double](repeating: 0, count: dataset.regions.count)
        for (a, staffing) in plan.accounts.enumerated() {
            let account = dataset.accounts[a], tier = model.tiers[staffing.tier]
            let pinned = model.pins.first { $0.account == account.id }?.tier
            let eligible = account.revenue >= tier.minRevenue && account.footprint.count >= tier.minRegions
                && account.fit >= tier.minFit
            if pinned.map({ $0 != tier.id }) ?? !eligible { problems.append("\(account.id) in closed tier \(tier.id)") }
            let tierCost = tier.gamFTE * model.costs.gamFTECost + tier.centralFTE * model.costs.centralFTECost
                + tier.execHours * model.costs.execHourCost
            expense += tierCost
            global += tierCost
            gam += tier.gamFTE; central += tier.centralFTE; hours += tier.execHours
            if tier.gamFTE > 0 { globalAccounts += 1 }
            if let current = account.currentTier, current != tier.id { changes += 1 }
            revenue += account.revenue * (1 - account.competition * (1 - tier.protection))
                + account.growthPotential * account.centralShare * tier.centralReach * account.fit
            for (share, local) in zip(account.footprint, staffing.local) {
                let region = dataset.regions[share.region]
                let s = share.share * (account.revenue + account.growthPotential) / region.productivity
                if local.localFTE < tier.minLocalCoverage * s - 1e-6 * max(1, s) {
                    problems.append("\(account.id) in \(region.id): \(local.localFTE) FTE below the minimum coverage")
                }
                if local.localFTE > model.breakpoints.last! * s + 1e-6 * max(1, s) {
                    problems.append("\(account.id) in \(region.id): effort beyond the curve")
                }
                expense += local.localFTE * region.localFTECost
                regionFTE[share.region] += local.localFTE
                if s > 0 {
                    revenue += account.growthPotential * (1 - account.centralShare) * share.share
                        * response(local.localFTE / s, breakpoints: model.breakpoints)
                }
            }
        }
        if globalAccounts > 0 && !plan.programmeActive { problems.append("global accounts without the programme") }
        if plan.programmeActive { expense += model.costs.programmeFixedCost; global += model.costs.programmeFixedCost }
        expense += Double(changes) * model.transition.changeCost
        for (r, region) in dataset.regions.enumerated() { over(regionFTE[r], region.localCapacityFTE, "capacity \(region.id)") }
        over(expense, model.limits.budget, "budget")
        over(gam, model.limits.gamHeadcount, "gam_headcount")
        over(central, model.limits.centralFTE, "central_fte")
        over(hours, model.limits.execHours, "exec_hours")
        over(Double(globalAccounts), model.limits.maxGlobalAccounts.map(Double.init), "max_global_accounts")
        over(Double(changes), model.transition.maxChanges.map(Double.init), "max_changes")
        if let ratio = model.limits.maxCostOfSales { over(expense, ratio * revenue, "cost of sales") }
        if let band = model.limits.globalShare {
            over(band.lowerBound * expense, global, "global share minimum")
            over(global, band.upperBound * expense, "global share maximum")
        }
        if abs(plan.salesExpense - expense) > 1e-6 * max(1, expense) { problems.append("expense \(plan.salesExpense) ≠ \(expense)") }
        return problems
    }
}

/// A deterministic pseudo-random sequence (64-bit LCG), so generated instances are the same
/// on every run.
struct SeededNumbers {
    private var state: UInt64
    init(seed: UInt64) { state = seed &* 6364136223846793005 &+ 1442695040888963407 }
    mutating func next() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) / Double(1 << 53)
    }
}

/// The bundled sample with `overrides` (`section.key=value`) applied.
func sampleInstance(_ overrides: [String] = []) throws -> AllocationInstance {
    try AllocationInstance.load(dataFolder: packageRoot + "/data/sample",
                                modelFile: packageRoot + "/models/standard.toml",
                                overrides: overrides.map { ModelOverride($0)! })
}

/// `--out` and `--name` that make a run write exactly into a folder: its parent is the folder
/// of runs, its last part the run's name (tests of the naming itself give `--out` alone).
func parentOf(_ folder: String) -> String { (folder as NSString).deletingLastPathComponent }
func nameOf(_ folder: String) -> String { (folder as NSString).lastPathComponent }
