// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import OutputFiles
@testable import SalesMotion
import Testing

@Suite struct OutputSafetyTests {
    struct InjectedFailure: Error {}

    static func tinyReport(budget: Double?) throws -> PlanReport {
        let accounts = [TinyInstanceTests.account("X", revenue: 10e6), TinyInstanceTests.account("=cmd|' /C calc'!A0", revenue: 5e6)]
        let model = AllocationModel(tiers: [TinyInstanceTests.local, TinyInstanceTests.premium],
                                    costs: CostRates(gamFTECost: 200_000), limits: Limits(budget: budget),
                                    solver: SolverSettings(mipGap: 0))
        let (result, instance) = try TinyInstanceTests.solve(accounts, model: model)
        return PlanReport(instance: instance, result: result)
    }

    static func contents(_ folder: TemporaryFolder) -> [String: Data] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return Dictionary(uniqueKeysWithValues: names.map { ($0, FileManager.default.contents(atPath: folder.file($0))!) })
    }

    /// A failure while the third file is being written leaves the folder exactly as the
    /// previous run left it: no new file, no half file, no temporary file.
    @Test func aFailureMidWriteChangesNothing() throws {
        let folder = TemporaryFolder()
        try Self.tinyReport(budget: nil).write(to: folder.path)
        let before = Self.contents(folder)
        #expect(before.count == 4)
        var written: [String] = []
        #expect(throws: InjectedFailure.self) {
            try Self.tinyReport(budget: 200_000).write(to: folder.path) { name in
                written.append(name)
                if written.count == 3 { throw InjectedFailure() }
            }
        }
        #expect(written.count == 3)
        #expect(Self.contents(folder) == before)
    }

    /// The folder is replaced whole: an infeasible run leaves its summary alone, never the
    /// previous run's plan files beside it.
    @Test func anInfeasibleRunLeavesNoPlanFilesOfTheRunBefore() throws {
        let folder = TemporaryFolder()
        try Self.tinyReport(budget: nil).write(to: folder.path)
        try Self.tinyReport(budget: -1).write(to: folder.path)
        #expect(Set(Self.contents(folder).keys) == ["summary.json"])
    }

    /// A folder holding a file SalesMotion did not write is never replaced: the user's file
    /// would go with it.
    @Test func aFolderWithForeignFilesIsRefusedAndKept() throws {
        let folder = TemporaryFolder()
        try Self.tinyReport(budget: nil).write(to: folder.path)
        folder.write("notes.txt", "mine")
        let before = Self.contents(folder)
        let messages = inputMessages { try Self.tinyReport(budget: -1).write(to: folder.path) }
        #expect(messages.count == 1 && messages[0].contains("holds notes.txt, which SalesMotion did not write"), "\(messages)")
        #expect(Self.contents(folder) == before)
    }

    /// Text cells that a spreadsheet would run as a formula start with a quote.
    @Test func formulaLikeTextIsEscaped() throws {
        let folder = TemporaryFolder()
        try Self.tinyReport(budget: nil).write(to: folder.path)
        let accounts = try String(contentsOfFile: folder.file("plan_accounts.csv"), encoding: .utf8)
        #expect(accounts.contains("\n'=cmd|' /C calc'!A0,'=cmd|' /C calc'!A0,R,premium,"))
        #expect(CSVCell.text("+1").rendered == "'+1")
        #expect(CSVCell.text("-x").rendered == "'-x")
        #expect(CSVCell.text("@sum").rendered == "'@sum")
        #expect(CSVCell.text("\tx").rendered == "'\tx")
        #expect(CSVCell.text("plain").rendered == "plain")
        #expect(CSVCell.number(-3.5).rendered == "-3.5")
    }

    @Test func outputFolderMayNotHoldInputs() throws {
        let data = TemporaryFolder()
        data.write("accounts.csv", "x")
        let models = TemporaryFolder()
        let model = models.write("m.toml", "")
        for (out, expected) in [(data.path, "is the data folder"), (models.path, "holds an input file"), (model, "is an input file"),
                                (data.path + "/.", "is the data folder")] {
            let messages = inputMessages { try OutputFolder.check(out, dataFolder: data.path, modelFile: model) }
            #expect(messages.count == 1 && messages[0].contains(expected), "\(messages)")
        }
        let other = TemporaryFolder()
        other.write("regions.csv", "x")
        let holding = inputMessages { try OutputFolder.check(other.path, dataFolder: data.path, modelFile: model) }
        #expect(holding.first?.contains("holds input files (regions.csv)") == true)
        #expect(inputMessages { try OutputFolder.check(TemporaryFolder().path + "/new", dataFolder: data.path,
                                                       modelFile: model) }.isEmpty)
    }

    @Test func outIsCreatedWhenMissing() throws {
        let parent = TemporaryFolder()
        let run = try CommandRun.run(["solve", "--quiet", "--out", parentOf(parent.path + "/a/b"), "--name", nameOf(parent.path + "/a/b")])
        #expect(run.status == 0)
        #expect(FileManager.default.fileExists(atPath: parent.path + "/a/b/summary.json"))
    }
}

@Suite struct InterruptTests {
    /// Ctrl-C during a long sweep: exit code 130, a message, and no file in the output folder.
    @Test func ctrlCStopsCleanly() throws {
        let out = TemporaryFolder()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandRun.binary)
        process.arguments = ["sweep", "--vary", "limits.budget=10M..40M", "--steps", "5000", "--out", parentOf(out.path + "/sweep"), "--name", nameOf(out.path + "/sweep")]
        process.currentDirectoryURL = URL(fileURLWithPath: packageRoot)
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = Pipe()
        try process.run()
        Thread.sleep(forTimeInterval: 1.0)
        process.interrupt()
        let deadline = Date().addingTimeInterval(30)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            process.terminate()
            Issue.record("the sweep did not stop within 30 s of Ctrl-C")
        }
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        #expect(text.contains("Interrupted: nothing was written."))
        #expect(!FileManager.default.fileExists(atPath: out.path + "/sweep/sweep.csv"))
    }
}
