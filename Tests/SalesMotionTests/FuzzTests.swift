// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import PropertyBased
@testable import SalesMotion
import Testing
import InputFiles

/// Random damage to the valid fixture files: whatever happens, the outcome must be a plan
/// that satisfies every limit (checked from the inputs, not from the program's own figures),
/// an infeasible or stopped status, or input diagnostics — never a crash or a solver failure.
@Suite struct FuzzTests {
    static let files = ["accounts.csv", "regions.csv", "footprint.csv", "model.toml"]
    static let tokens = ["", "0", "-1", "1e15", "1e16", "1e-12", "0.5", "50%", "150%", "NaN", "inf", "abc", "\"",
                         "=1+1", "EMEA", "APAC", "local", "global", "A1", "A2", "1,5", " ", "\"x,y\"", "9999999999",
                         "0.0000001", "-0", "1e308", "[0.1, 0.9]", "\"10M\"", "true", "1_000"]
    static let originals: [String: Data] = Dictionary(uniqueKeysWithValues: files.map {
        ($0, FileManager.default.contents(atPath: InvalidInputCorpusTests.fixtures + "/valid/" + $0)!)
    })

    struct Mutation: Sendable, CustomStringConvertible {
        var file: Int
        var kind: Int
        var position: Int
        var token: String
        var description: String { "\(FuzzTests.files[file]) op \(kind) at \(position) with \(token.debugDescription)" }
    }

    static let mutation = zip(Gen.int(in: 0...3), Gen.int(in: 0...7), Gen.int(in: 0...1_000_000),
                              Gen.element(of: tokens))
        .map { Mutation(file: $0, kind: $1, position: $2, token: $3 ?? "") }

    static func apply(_ mutation: Mutation, to data: Data) -> Data {
        var bytes = [UInt8](data)
        var lines = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\n")
        let line = mutation.position % max(1, lines.count)
        let separator = FuzzTests.files[mutation.file].hasSuffix(".toml") ? "=" : ","
        switch mutation.kind {
        case 0:
            var cells = lines[line].components(separatedBy: separator)
            let cell = (mutation.position / 7) % max(1, cells.count)
            if separator == "=" { cells[cells.count - 1] = " " + mutation.token } else { cells[cell] = mutation.token }
            lines[line] = cells.joined(separator: separator)
        case 1: lines.remove(at: line)
        case 2: lines.insert(lines[line], at: line)
        case 3:
            let insert: [UInt8] = [[0xFF], [0xEF, 0xBB, 0xBF], [0x22], [0x0D], [0x2C]][mutation.position % 5]
            let at = mutation.position % (bytes.count + 1)
            bytes.insert(contentsOf: insert, at: at)
            return Data(bytes)
        case 4: return Data(bytes.prefix(mutation.position % (bytes.count + 1)))
        case 5:
            var cells = lines[line].components(separatedBy: separator)
            if cells.count > 1 { cells.swapAt(0, (mutation.position / 3) % cells.count) }
            lines[line] = cells.joined(separator: separator)
        case 6: lines[line] = lines[line].replacingOccurrences(of: ",", with: ";")
        default:
            lines[line] = lines[line].replacingOccurrences(of: "0", with: mutation.position % 2 == 0 ? "000000" : "-0")
        }
        return Data(lines.joined(separator: "\n").utf8)
    }

    @Test func randomDamageNeverCrashes() async {
        await propertyCheck(count: 3000, input: Self.mutation.array(of: 1...3)) { mutations in
            let folder = TemporaryFolder()
            var contents = Self.originals
            for mutation in mutations {
                contents[Self.files[mutation.file]] = Self.apply(mutation, to: contents[Self.files[mutation.file]]!)
            }
            for (name, data) in contents { folder.write(name, bytes: [UInt8](data)) }
            let instance: AllocationInstance
            do {
                instance = try AllocationInstance.load(dataFolder: folder.path, modelFile: folder.file("model.toml"))
            } catch let error as InputError {
                #expect(!error.diagnostics.isEmpty)
                #expect(error.diagnostics.allSatisfy { !$0.message.isEmpty && !$0.location.file.isEmpty })
                return
            } catch {
                Issue.record("unexpected error \(error) for \(mutations)")
                return
            }
            var model = instance.model
            model.solver.timeLimit = min(model.solver.timeLimit, 5)
            let result: PlanningResult
            do {
                result = try AllocationPlanner.solve(try AllocationInstance(dataset: instance.dataset, model: model), options: .glpk)
            } catch {
                Issue.record("solver failure \(error) for \(mutations)")
                return
            }
            if let plan = result.plan {
                let violations = LimitCheck.violations(of: plan, in: instance)
                #expect(violations.isEmpty, "\(violations) for \(mutations)")
            }
        }
    }
}
