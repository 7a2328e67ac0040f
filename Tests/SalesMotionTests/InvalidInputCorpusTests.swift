// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
@testable import SalesMotion
import Testing

/// `Tests/Fixtures/invalid/<case>/` holds the files that differ from `Tests/Fixtures/valid/`
/// (a `NAME.delete` file removes NAME) and `expected.txt`, the exact messages, one per line,
/// with paths relative to the case folder.
@Suite struct InvalidInputCorpusTests {
    static let fixtures = packageRoot + "/Tests/Fixtures"

    static var cases: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: fixtures + "/invalid")) ?? []).sorted()
    }

    /// The case's files laid over the valid ones in a fresh folder.
    static func assemble(_ name: String) throws -> TemporaryFolder {
        let folder = TemporaryFolder()
        let manager = FileManager.default
        for file in try manager.contentsOfDirectory(atPath: fixtures + "/valid") {
            try manager.copyItem(atPath: fixtures + "/valid/" + file, toPath: folder.file(file))
        }
        let caseFolder = fixtures + "/invalid/" + name
        for file in try manager.contentsOfDirectory(atPath: caseFolder) where file != "expected.txt" {
            if file.hasSuffix(".delete") {
                try manager.removeItem(atPath: folder.file(String(file.dropLast(".delete".count))))
            } else {
                // A file the valid fixture lacks (gams.csv) is added.
                if manager.fileExists(atPath: folder.file(file)) { try manager.removeItem(atPath: folder.file(file)) }
                try manager.copyItem(atPath: caseFolder + "/" + file, toPath: folder.file(file))
            }
        }
        return folder
    }

    @Test func theCorpusHasAtLeastFortyCases() {
        #expect(Self.cases.count >= 40)
    }

    @Test func theValidFixtureIsValid() throws {
        let instance = try AllocationInstance.load(dataFolder: Self.fixtures + "/valid", modelFile: Self.fixtures + "/valid/model.toml")
        #expect(instance.dataset.accounts.count == 3)
        #expect(try AllocationPlanner.solve(instance, options: .glpk).status == .optimal)
    }

    @Test(arguments: cases)
    func everyMalformedInputGetsItsExactMessage(_ name: String) throws {
        let folder = try Self.assemble(name)
        let expected = try String(contentsOfFile: Self.fixtures + "/invalid/\(name)/expected.txt", encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let messages = inputMessages {
            _ = try AllocationInstance.load(dataFolder: folder.path, modelFile: folder.file("model.toml"))
        }.map { $0.replacingOccurrences(of: folder.path + "/", with: "") }
        #expect(messages.sorted() == expected.sorted(), "\(name)")
    }
}
