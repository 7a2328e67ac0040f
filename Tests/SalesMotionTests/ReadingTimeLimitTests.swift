// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import Testing

/// The time limit bounds the reading of the inputs too (issue 11): a million accounts took 45 s
/// of a 30 s limit while the model file was read. A run whose limit runs out while it reads ends
/// with exit 3, says so, and writes nothing; commands that do not solve are not bounded.
@Suite struct ReadingTimeLimitTests {
    /// A limit of a nanosecond has run out before any input is read, whatever the machine.
    static let gone = "solver.time_limit=1e-9"

    @Test(arguments: [["solve"], ["sweep", "--vary", "limits.budget=20M..30M", "--steps", "2"], ["explain", "A001"]])
    func aLimitThatRunsOutWhileReadingStopsTheRun(command: [String]) throws {
        let sample = try AdversarialTests.SampleCopy()
        let out = TemporaryFolder()
        let run = try sample.run(command + ["--set", Self.gone] + (command[0] == "explain" ? [] : ["--out", out.path + "/runs"]))
        #expect(run.status == 3, "\(run.errors)")
        #expect(run.errors.contains("The time limit of 1e-09 s ran out while reading the inputs; nothing was written"), "\(run.errors)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).isEmpty)
    }

    /// A run in place stays as it was.
    @Test func theRunBeforeStaysWhole() throws {
        let sample = try AdversarialTests.SampleCopy()
        let out = TemporaryFolder()
        #expect(try sample.run(["solve", "--quiet", "--out", out.path]).status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: out.path + "/base/summary.json"))
        let run = try sample.run(["solve", "--set", Self.gone, "--out", out.path, "--name", "base"])
        #expect(run.status == 3, "\(run.errors)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: out.path + "/base/summary.json")) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["base"])
    }

    /// Robustness counts its own limit (`--time-limit`), not the model's.
    @Test func robustnessCountsItsOwnLimit() throws {
        let sample = try AdversarialTests.SampleCopy()
        let out = TemporaryFolder()
        let run = try sample.run(["robustness", "--samples", "2", "--time-limit", "1e-9", "--out", out.path])
        #expect(run.status == 3, "\(run.errors)")
        #expect(run.errors.contains("The time limit of 1e-09 s ran out while reading the inputs"), "\(run.errors)")
    }

    /// `validate` and `export` solve nothing: the solver's limit does not apply to them.
    @Test func validateAndExportAreNotBounded() throws {
        let sample = try AdversarialTests.SampleCopy()
        let out = TemporaryFolder()
        #expect(try sample.run(["validate", "--set", Self.gone]).status == 0)
        #expect(try sample.run(["export", "--format", "lp", "--output", out.file("model.lp"), "--set", Self.gone]).status == 0)
    }
}
