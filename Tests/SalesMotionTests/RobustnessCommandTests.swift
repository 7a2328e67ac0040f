// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
@testable import SalesMotion
import Testing

/// `salesmotion robustness` end to end: kept samples re-solved, same bytes on any number of
/// threads, bad arguments.
@Suite struct RobustnessCommandTests {
    static func rows(_ path: String) throws -> [[String]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    /// Three kept samples solved with `solve` give the optima the run reported (to 1e-6 of the
    /// decision-dependent part: both are solves within the default gap; the same solve here).
    @Test func keptSamplesSolveToTheReportedOptima() throws {
        let folder = TemporaryFolder()
        let run = try CommandRun.run(["robustness", "--quiet", "--samples", "3", "--seed", "7", "--keep-samples", "--out", folder.path, "--name", "r"])
        #expect(run.status == 0, "\(run.errors)")
        let samples = try Self.rows(folder.path + "/r/robustness_samples.csv")
        #expect(samples.first == ["sample", "status", "optimal", "committed", "regret", "broken_limits"])
        for index in 1...3 {
            let data = folder.path + "/r/samples/000\(index)"
            #expect(FileManager.default.fileExists(atPath: data + "/accounts.csv"))
            let solve = try CommandRun.run(["solve", "--quiet", "--data", data, "--out", folder.path, "--name", "s\(index)"])
            #expect(solve.status == 0, "\(solve.errors)")
            let summary = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.path + "/s\(index)/summary.json"))) as? [String: Any])
            let objective = try #require(summary["objective"] as? Double)
            let fixed = try #require((summary["mip_gap"] as? [String: Any])?["fixed_part"] as? Double)
            let reported = try #require(Double(samples[index][2]))
            #expect(abs(objective - reported) <= 1e-6 * abs(objective - fixed), "sample \(index): solve \(objective), robustness \(reported)")
        }
    }

    /// The same seed writes the same bytes on one thread and on three; another seed does not.
    @Test func sameSeedSameBytesOnAnyThreads() throws {
        let folder = TemporaryFolder()
        var contents: [String: [String: Data]] = [:]
        for (name, threads, seed) in [("one", "1", "5"), ("three", "3", "5"), ("other", "2", "6")] {
            let run = try CommandRun.run(["robustness", "--quiet", "--samples", "6", "--seed", seed, "--threads", threads,
                                          "--out", folder.path, "--name", name])
            #expect(run.status == 0, "\(run.errors)")
            for file in [RobustnessReport.accountsFile, RobustnessReport.samplesFile, RobustnessReport.summaryFile, RobustnessReport.htmlFile] {
                contents[name, default: [:]][file] = FileManager.default.contents(atPath: folder.path + "/\(name)/\(file)")
            }
        }
        #expect(contents["one"] == contents["three"])
        #expect(contents["one"]?[RobustnessReport.samplesFile] != contents["other"]?[RobustnessReport.samplesFile])
    }

    /// Bad arguments: exit 64 for counts, exit 2 for a spread, nothing written.
    @Test func badArguments() throws {
        let folder = TemporaryFolder()
        #expect(try CommandRun.run(["robustness", "--samples", "0", "--out", folder.path]).status == 64)
        let spread = try CommandRun.run(["robustness", "--spread", "fitt=0.2", "--out", folder.path, "--name", "x"])
        #expect(spread.status == 2)
        #expect(spread.errors.contains("--spread: 'fitt' is not a soft input (did you mean 'fit'?)"))
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/x"))
        // The sample has 60 accounts: 40,000 kept samples would be 2,400,000 rows.
        let kept = try CommandRun.run(["robustness", "--samples", "40000", "--keep-samples", "--out", folder.path, "--name", "k"])
        #expect(kept.status == 64 && kept.errors.contains("40,000 samples of 60 accounts would write 2,400,000 account rows"), "\(kept.errors)")
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/k"))
    }

    /// The report page: the two charts, names escaped.
    @Test func thePage() throws {
        let folder = TemporaryFolder()
        let run = try CommandRun.run(["robustness", "--quiet", "--samples", "8", "--out", folder.path, "--name", "r"])
        #expect(run.status == 0, "\(run.errors)")
        let html = try String(contentsOfFile: folder.path + "/r/robustness.html", encoding: .utf8)
        #expect(html.contains("id=\"robust-share-chart\"") && html.contains("Regret of the committed plan"))
        #expect(html.contains("id=\"regret-chart\"") || html.contains("no regret"))
    }

    /// Ctrl-C in the middle of a long run (5,000 samples of the sample, about a minute) stops it
    /// with 130 and writes nothing; so does reaching `--time-limit` (exit 3, said why).
    @Test func aStoppedRunWritesNothing() throws {
        let folder = TemporaryFolder()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandRun.binary)
        process.arguments = ["robustness", "--quiet", "--samples", "5000", "--out", folder.path, "--name", "stopped"]
        process.currentDirectoryURL = URL(fileURLWithPath: packageRoot)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: 1.5)
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 130, "\(process.terminationStatus)")
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/stopped"))

        let start = Date()
        let timed = try CommandRun.run(["robustness", "--samples", "5000", "--time-limit", "1", "--out", folder.path, "--name", "timed"])
        #expect(timed.status == 3, "\(timed.errors)")
        #expect(timed.errors.contains("reached its time limit"), "\(timed.errors)")
        #expect(Date().timeIntervalSince(start) < 15)
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/timed"))
    }
}

