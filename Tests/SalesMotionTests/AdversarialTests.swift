// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import OutputFiles
@testable import SalesMotion
import TOML
import Testing
import InputFiles

/// Each attack of issue 8, tried on the built binary (or the library where the attack is on
/// one function): inputs destroyed, crashes, links followed, script and formulas injected, runs
/// mixed, signals and the time limit ignored, terminal escapes passed on, misleading messages,
/// slow inputs, I/O errors reported late.
@Suite struct AdversarialTests {
    /// A copy of the sample (data and model) in a temporary folder, so an attack that
    /// succeeds destroys a copy, never the repository's files.
    final class SampleCopy {
        let root = TemporaryFolder()
        var data: String { root.path + "/data" }
        var model: String { root.path + "/model.toml" }

        init() throws {
            try FileManager.default.copyItem(atPath: packageRoot + "/data/sample", toPath: data)
            try FileManager.default.copyItem(atPath: packageRoot + "/models/standard.toml", toPath: model)
        }

        func bytes() -> [String: Data] {
            var result: [String: Data] = [:]
            for name in ["accounts.csv", "regions.csv", "footprint.csv"] {
                result[name] = FileManager.default.contents(atPath: data + "/" + name)
            }
            result["model.toml"] = FileManager.default.contents(atPath: model)
            return result
        }

        func run(_ arguments: [String]) throws -> CommandRun {
            try CommandRun.run(arguments + ["--data", data, "--model", model])
        }
    }

    // MARK: 1. Inputs destroyed

    @Test(arguments: ["lp", "mps", "gmpl"])
    func exportNeverOverwritesAnInput(format: String) throws {
        let sample = try SampleCopy()
        let before = sample.bytes()
        link(sample.data + "/accounts.csv", sample.root.path + "/hard-link.csv")
        try FileManager.default.createSymbolicLink(atPath: sample.root.path + "/soft-link.csv", withDestinationPath: sample.data + "/regions.csv")
        for target in [sample.data + "/accounts.csv", sample.model, sample.data + "/../data/footprint.csv",
                       sample.root.path + "/soft-link.csv", sample.data] {
            let run = try sample.run(["export", "--format", format, "--output", target])
            #expect(run.status == 2, "\(target): \(run.errors)")
            #expect(run.errors.contains("--output"), "\(run.errors)")
        }
        #expect(sample.bytes() == before)
        // An ordinary target works and leaves no temporary file behind.
        let out = TemporaryFolder()
        #expect(try sample.run(["export", "--format", format, "--output", out.file("model." + format)]).status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["model." + format])
    }

    @Test func solveNeverWritesIntoTheDataOrModelFolder() throws {
        let sample = try SampleCopy()
        let before = sample.bytes()
        for out in [sample.data, sample.data + "/.", sample.data + "/accounts.csv"] {
            let run = try sample.run(["solve", "--quiet", "--out", out])
            #expect(run.status == 2, "\(out): \(run.errors)")
        }
        // The folder holding the data folder may hold runs too: each in a folder of its own.
        let beside = try sample.run(["solve", "--quiet", "--out", sample.root.path])
        #expect(beside.status == 0, "\(beside.errors)")
        #expect(FileManager.default.fileExists(atPath: sample.root.path + "/base/summary.json"))
        #expect(sample.bytes() == before)
    }

    // MARK: 2. Crashes

    /// Deep documents, named by a short label so that the test log stays short.
    static let deepDocuments: [String: (text: String, expected: String)] = [
        "50,000 nested arrays": ("x = " + String(repeating: "[", count: 50_000), "nest at most 32 deep"),
        "a 50,000-part dotted key": (String(repeating: "a.", count: 50_000) + "a = 1", "at most 32 parts"),
        "a 50,000-part table header": ("[" + String(repeating: "a.", count: 50_000) + "a]", "at most 32 parts"),
        "100,000 nested inline tables": ("x = " + String(repeating: "{a = ", count: 100_000), "nest at most 32 deep"),
        "40,000 arrays of inline tables": ("x = " + String(repeating: "[{a = ", count: 40_000), "nest at most 32 deep"),
    ]

    @Test(arguments: deepDocuments.keys.sorted())
    func deeplyNestedTOMLIsALocatedMessage(label: String) throws {
        let (text, expected) = Self.deepDocuments[label]!
        let folder = TemporaryFolder()
        let model = folder.write("deep.toml", text)
        let run = try CommandRun.run(["validate", "--model", model])
        #expect(run.status == 2, "\(run.status)")
        #expect(run.errors.contains("deep.toml:1:"), "\(run.errors.prefix(300))")
        #expect(run.errors.contains(expected), "\(run.errors.prefix(300))")
    }

    @Test(arguments: ["limits.budget=1e18..1e19", "limits.max_global_accounts=1e18..1e19",
                      "transition.max_changes=0..1e300", "tier.total.min_regions=0..1e16"])
    func sweepValuesFollowTheRangeRule(vary: String) throws {
        let out = TemporaryFolder()
        let run = try CommandRun.run(["sweep", "--vary", vary, "--steps", "3", "--quiet", "--out", parentOf(out.path + "/s"), "--name", nameOf(out.path + "/s")])
        #expect(run.status != 0 && run.status < 128, "\(run.status)")
        #expect(run.errors.contains("too large; values up to 1e15 are accepted"), "\(run.errors)")
    }

    @Test func whatIfCountsNeverTrap() throws {
        let instance = try SweepTests.sample([])
        let session = try AllocationPlanner.session(for: instance, options: .glpk)
        for value in [1e300, -1e300, .infinity, .nan, 9.3e18] {
            let messages = inputMessages { try session.set(try WhatIfKey("limits.max_global_accounts"), to: value) }
            #expect(messages.count == 1, "\(value): \(messages)")
        }
    }

    // MARK: 3. Links

    /// Links planted where earlier versions put their temporary files, and in place of the
    /// plan files, are replaced with the folder: their targets are never written.
    @Test func plantedLinksAreNeverFollowed() throws {
        let root = TemporaryFolder()
        let victim = root.write("victim.txt", "precious")
        let out = root.path + "/out"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let pid = Int(ProcessInfo.processInfo.processIdentifier)
        for next in pid..<(pid + 400) {
            for name in ["summary.json", "plan_accounts.csv"] {
                try FileManager.default.createSymbolicLink(atPath: "\(out)/.\(name).partial-\(next)", withDestinationPath: victim)
            }
        }
        try FileManager.default.createSymbolicLink(atPath: out + "/summary.json", withDestinationPath: victim)
        let run = try CommandRun.run(["solve", "--quiet", "--out", parentOf(out), "--name", nameOf(out)])
        #expect(run.status == 0, "\(run.errors)")
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious")
        let names = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(names == ["plan_accounts.csv", "plan_local.csv", "plan_regions.csv", "summary.json"])
        for name in names {
            let attributes = try FileManager.default.attributesOfItem(atPath: out + "/" + name)
            #expect(attributes[.type] as? FileAttributeType == .typeRegular, "\(name)")
        }
    }

    @Test func anOutputFolderThatIsALinkIsRefused() throws {
        let root = TemporaryFolder()
        let elsewhere = root.path + "/elsewhere"
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        root.write("elsewhere/summary.json", "theirs")
        try FileManager.default.createSymbolicLink(atPath: root.path + "/out", withDestinationPath: elsewhere)
        let run = try CommandRun.run(["solve", "--quiet", "--out", parentOf(root.path + "/out"), "--name", nameOf(root.path + "/out")])
        #expect(run.status == 2)
        #expect(run.errors.contains("is a symbolic link"))
        #expect(try String(contentsOfFile: elsewhere + "/summary.json", encoding: .utf8) == "theirs")
    }

    // MARK: 4. Script in the report

    @Test func reportEmbedsNoFileItFinds() throws {
        let out = TemporaryFolder()
        #expect(try CommandRun.run(["sweep", "--vary", "limits.budget=20M..30M", "--steps", "2", "--quiet",
                                    "--out", parentOf(out.path), "--name", nameOf(out.path)]).status == 0)
        try Data("<svg><script>alert(1)</script></svg>".utf8).write(to: URL(fileURLWithPath: out.file("sweep.svg")))
        let run = try CommandRun.run(["report", "--out", parentOf(out.path), "--name", nameOf(out.path)])
        #expect(run.status == 0, "\(run.errors)")
        let html = try String(contentsOfFile: out.file("report.html"), encoding: .utf8)
        #expect(!html.contains("<script"))
        #expect(!html.contains("alert(1)"))
    }

    // MARK: 5. Formulas in CSV headers

    @Test func tierIdsInSweepHeadersAreFormulaEscaped() throws {
        var premium = TinyInstanceTests.premium
        premium.id = "=cmd|calc"
        let model = AllocationModel(tiers: [TinyInstanceTests.local, premium], costs: CostRates(gamFTECost: 200_000),
                                    limits: Limits(budget: 1e6), solver: SolverSettings(mipGap: 0))
        let dataset = Dataset(accounts: [TinyInstanceTests.account("X", revenue: 10e6)],
                              regions: [Region(id: "R", localCapacityFTE: 10, localFTECost: 100_000, productivity: 1)])
        let instance = try AllocationInstance(dataset: dataset, model: model)
        let sweep = try Sweep.run(instance, key: try WhatIfKey("limits.budget"), values: [1e6, 2e6], options: .glpk)
        let text = String(decoding: try SweepReport(sweep: sweep).csv().data(), as: UTF8.self)
        let header = String(text.prefix { $0 != "\n" })
        #expect(header.contains(",'=cmd|calc,"), "\(header)")
        #expect(!header.contains(",=cmd"))
        #expect(CSVCell.text("=A1").rendered == "'=A1")
    }

    // MARK: 6. Mixed runs

    /// Expected bytes of the three plan files and the objective of a sample solve.
    struct Run: Equatable {
        var files: [String: Data]
        var objective: Double?

        init(folder: String) {
            files = [:]
            for name in ["plan_accounts.csv", "plan_local.csv", "plan_regions.csv"] {
                if let data = FileManager.default.contents(atPath: folder + "/" + name) { files[name] = data }
            }
            let summary = FileManager.default.contents(atPath: folder + "/summary.json")
                .flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
            objective = summary?["objective"] as? Double
        }
    }

    static func reference(_ budget: String) throws -> Run {
        let out = TemporaryFolder()
        let run = try CommandRun.run(["solve", "--quiet", "--budget", budget, "--out", parentOf(out.path + "/o"), "--name", nameOf(out.path + "/o")])
        #expect(run.status == 0)
        return Run(folder: out.path + "/o")
    }

    /// Staging folders beside `parent/out` and temporary files inside it (earlier versions
    /// named them `.NAME.partial-PID`).
    static func leftovers(_ parent: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []).filter { $0.contains(".salesmotion-") }
            + ((try? FileManager.default.contentsOfDirectory(atPath: parent + "/out")) ?? []).filter { $0.contains(".partial-") }
    }

    static func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandRun.binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: packageRoot)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// 200 races of two solves into one folder: afterwards the folder is one run's, whole.
    @Test func concurrentRunsNeverMix() throws {
        let a = try Self.reference("28M"), b = try Self.reference("24M")
        #expect(a != b)
        let parent = TemporaryFolder()
        let out = parent.path + "/out"
        var seen: Set<String> = []
        for _ in 0..<200 {
            let first = try Self.start(["solve", "--quiet", "--budget", "28M", "--out", parentOf(out), "--name", nameOf(out)])
            let second = try Self.start(["solve", "--quiet", "--budget", "24M", "--out", parentOf(out), "--name", nameOf(out)])
            first.waitUntilExit()
            second.waitUntilExit()
            #expect(first.terminationStatus == 0 && second.terminationStatus == 0)
            let now = Run(folder: out)
            #expect(now == a || now == b)
            seen.insert(now == a ? "a" : "b")
        }
        #expect(Self.leftovers(parent.path).isEmpty)
    }

    /// A rename that cannot happen (a folder where summary.json goes) used to leave three new
    /// plan files beside an old summary; now the whole folder is replaced in one step.
    @Test func aDirectoryInPlaceOfAFileDoesNotSplitTheRun() throws {
        let b = try Self.reference("24M")
        let parent = TemporaryFolder()
        let out = parent.path + "/out"
        #expect(try CommandRun.run(["solve", "--quiet", "--out", parentOf(out), "--name", nameOf(out)]).status == 0)
        try FileManager.default.removeItem(atPath: out + "/summary.json")
        try FileManager.default.createDirectory(atPath: out + "/summary.json", withIntermediateDirectories: false)
        let run = try CommandRun.run(["solve", "--quiet", "--budget", "24M", "--out", parentOf(out), "--name", nameOf(out)])
        #expect(run.status == 0, "\(run.errors)")
        #expect(Run(folder: out) == b)
    }

    /// SIGKILL at random moments of 200 runs: the folder is always the old run or the new one,
    /// whole; what a killed run leaves is removed by the next run.
    @Test func killedRunsLeaveOneRunWholeAndTheNextRunCleansUp() throws {
        let a = try Self.reference("28M"), b = try Self.reference("24M")
        let parent = TemporaryFolder()
        let out = parent.path + "/out"
        var generator = SystemRandomNumberGenerator()
        var outcomes: [String: Int] = [:]
        #expect(try CommandRun.run(["solve", "--quiet", "--budget", "28M", "--out", parentOf(out), "--name", nameOf(out)]).status == 0)
        for _ in 0..<200 {
            let process = try Self.start(["solve", "--quiet", "--budget", "24M", "--out", parentOf(out), "--name", nameOf(out)])
            usleep(UInt32.random(in: 0...60_000, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let now = Run(folder: out)
            #expect(now == a || now == b)
            outcomes[now == a ? "old" : "new", default: 0] += 1
            if now == b {
                #expect(try CommandRun.run(["solve", "--quiet", "--budget", "28M", "--out", parentOf(out), "--name", nameOf(out)]).status == 0)
            }
        }
        #expect(try CommandRun.run(["solve", "--quiet", "--out", parentOf(out), "--name", nameOf(out)]).status == 0)
        #expect(Self.leftovers(parent.path).isEmpty, "\(Self.leftovers(parent.path))")
        #expect(outcomes["old", default: 0] > 0, "\(outcomes)")
    }

    // MARK: 7. Ctrl-C and SIGTERM

    /// SIGINT and SIGTERM at random moments of 200 runs: exit 0 with the new run in place, or
    /// 130 / 143 with the old run untouched, and no staging folder left behind.
    @Test func signalsStopCleanlyAtAnyMoment() throws {
        let a = try Self.reference("28M"), b = try Self.reference("24M")
        let parent = TemporaryFolder()
        let out = parent.path + "/out"
        var generator = SystemRandomNumberGenerator()
        var outcomes: [Int32: Int] = [:]
        #expect(try CommandRun.run(["solve", "--quiet", "--budget", "28M", "--out", parentOf(out), "--name", nameOf(out)]).status == 0)
        for iteration in 0..<200 {
            let signal = iteration % 2 == 0 ? SIGINT : SIGTERM
            let process = try Self.start(["solve", "--quiet", "--budget", "24M", "--out", parentOf(out), "--name", nameOf(out)])
            usleep(UInt32.random(in: 0...60_000, using: &generator))
            kill(process.processIdentifier, signal)
            process.waitUntilExit()
            let status = process.terminationStatus
            outcomes[status, default: 0] += 1
            let now = Run(folder: out)
            if process.terminationReason == .exit && status == 0 {
                #expect(now == b)
                #expect(try CommandRun.run(["solve", "--quiet", "--budget", "28M", "--out", parentOf(out), "--name", nameOf(out)]).status == 0)
            } else {
                #expect(now == a)
                // A signal that arrives before the process has installed its handlers (while
                // the runtime starts) ends it by the signal itself: a shell sees 128 + signal too.
                let exited = process.terminationReason == .exit && status == 128 + signal
                let killedEarly = process.terminationReason == .uncaughtSignal && status == signal
                #expect(exited || killedEarly, "\(process.terminationReason) \(status)")
            }
            #expect(Self.leftovers(parent.path).isEmpty, "\(Self.leftovers(parent.path))")
        }
        #expect(outcomes[130, default: 0] + outcomes[143, default: 0] > 0, "\(outcomes)")
    }

    /// The attack of the issue, made deterministic: the signal arrives after the MIP, while
    /// the run waits to swap its folder in (the test holds the parent folder's lock). The run
    /// must stop with 130 / 143 and leave the old folder as it was; it used to write the plan
    /// and exit 0.
    @Test(arguments: [SIGINT, SIGTERM])
    func aSignalAfterTheSolveStillStopsTheRun(signal: Int32) throws {
        let a = try Self.reference("28M")
        let parent = TemporaryFolder()
        let out = parent.path + "/out"
        #expect(try CommandRun.run(["solve", "--quiet", "--budget", "28M", "--out", parentOf(out), "--name", nameOf(out)]).status == 0)
        let process = try Self.start(["solve", "--quiet", "--budget", "24M", "--out", parentOf(out), "--name", nameOf(out)])
        // Once the run has made its staging folder, hold the lock its swap needs.
        let deadline = Date().addingTimeInterval(20)
        while Self.leftovers(parent.path).isEmpty && process.isRunning && Date() < deadline { usleep(1_000) }
        let lock = open(parent.path, O_RDONLY | O_DIRECTORY)
        #expect(flock(lock, LOCK_EX) == 0)
        Thread.sleep(forTimeInterval: 1.5)  // the sample solves in well under a second
        kill(process.processIdentifier, signal)
        Thread.sleep(forTimeInterval: 0.3)
        flock(lock, LOCK_UN)
        close(lock)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 128 + signal,
                "\(process.terminationReason) \(process.terminationStatus)")
        #expect(Run(folder: out) == a)
        #expect(Self.leftovers(parent.path).isEmpty, "\(Self.leftovers(parent.path))")
    }

    // MARK: 8. Time limit

    /// An infeasible 5,000-account instance with a 4 s limit (the decomposition proves it
    /// infeasible in well under a second; the monolithic diagnosis needs far longer): the
    /// diagnosis stops with the command's deadline, says what it did not try, and --timings
    /// counts it.
    @Test func theTimeLimitBoundsTheDiagnosis() throws {
        let data = TemporaryFolder()
        #expect(try CommandRun.run(["generate", "--accounts", "5000", "--out", data.path + "/g"]).status == 0)
        let start = Date()
        let run = try CommandRun.run(["solve", "--data", data.path + "/g", "--model", data.path + "/g/model.toml",
                                      "--budget", "40M", "--set", "solver.time_limit=4", "--timings",
                                      "--out", parentOf(data.path + "/o"), "--name", nameOf(data.path + "/o")])
        let elapsed = Date().timeIntervalSince(start)
        #expect(run.status == 1, "\(run.errors)")
        #expect(elapsed < 4 + 10, "\(elapsed)")
        #expect(run.output.contains("The time limit ran out before"), "\(run.output)")
        #expect(run.output.contains("diagnosis"))
        let summary = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: data.path + "/o/summary.json"))) as? [String: Any])
        let seconds = try #require(summary["seconds"] as? [String: Double])
        #expect(seconds["diagnosis"]! > 0)
        #expect(abs(seconds["total"]! - seconds.filter { !["total", "solve"].contains($0.key) }.values.reduce(0, +)) < 1e-6)
        let diagnosis = try #require(summary["diagnosis"] as? [String: Any])
        #expect(diagnosis["complete"] as? Bool == false)
    }

    /// Ctrl-C during a long diagnosis stops it within seconds (the simplex runs in slices).
    @Test func ctrlCStopsTheDiagnosis() throws {
        let data = TemporaryFolder()
        #expect(try CommandRun.run(["generate", "--accounts", "5000", "--out", data.path + "/g"]).status == 0)
        let process = try Self.start(["solve", "--data", data.path + "/g", "--model", data.path + "/g/model.toml",
                                      "--budget", "40M", "--set", "solver.time_limit=120", "--out", parentOf(data.path + "/o"), "--name", nameOf(data.path + "/o")])
        Thread.sleep(forTimeInterval: 3)
        let signalled = Date()
        process.interrupt()
        let deadline = Date().addingTimeInterval(20)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        #expect(Date().timeIntervalSince(signalled) < 20)
        #expect(!FileManager.default.fileExists(atPath: data.path + "/o"))
    }

    // MARK: 9. Terminal escapes and control characters

    @Test func controlCharactersInCellsAreInputErrorsShownEscaped() throws {
        let sample = try SampleCopy()
        var accounts = try String(contentsOfFile: sample.data + "/accounts.csv", encoding: .utf8)
        accounts = accounts.replacingOccurrences(of: "A001,", with: "A\u{1B}]0;pwned\u{07}001,")
        accounts = accounts.replacingOccurrences(of: "A002,", with: "A002\u{0}x,")
        try Data(accounts.utf8).write(to: URL(fileURLWithPath: sample.data + "/accounts.csv"))
        let run = try sample.run(["validate"])
        #expect(run.status == 2)
        #expect(!run.errors.unicodeScalars.contains { TerminalText.isControl($0) && $0 != "\n" })
        #expect(run.errors.contains("accounts.csv:2:1: account_id: control character U+001B in the cell"), "\(run.errors)")
        #expect(run.errors.contains("U+0000"), "\(run.errors)")
        #expect(run.errors.contains("\\u{1B}]0;pwned\\u{7}") || !run.errors.contains("pwned"))
    }

    @Test func controlCharactersAreEscapedForTerminalsAndPages() {
        #expect(TerminalText.escaped("a\u{1B}[2Jb\u{7}\nc") == "a\\u{1B}[2Jb\\u{7}\nc")
        #expect(TerminalText.escaped("\u{9B}x") == "\\u{9B}x")
        #expect(SweepReport.escape("<b>\u{1}") == "&lt;b&gt;\\u{1}")
        #expect(CSVTable.controlCharacterProblem("tab\tis fine") == nil)
    }

    @Test func commandLineValuesAreEscapedInMessages() throws {
        let run = try CommandRun.run(["validate", "--pin", "Z\u{1B}[2JZ=total"])
        #expect(run.status == 2)
        #expect(!run.errors.unicodeScalars.contains { TerminalText.isControl($0) && $0 != "\n" }, "\(run.errors)")
    }

    // MARK: 10. Messages that name the real problem

    @Test func anUnterminatedQuoteIsNamedAsSuch() throws {
        let sample = try SampleCopy()
        var accounts = try String(contentsOfFile: sample.data + "/accounts.csv", encoding: .utf8)
        accounts = accounts.replacingOccurrences(of: "A003,", with: "A003,\"")
        try Data(accounts.utf8).write(to: URL(fileURLWithPath: sample.data + "/accounts.csv"))
        let run = try sample.run(["validate"])
        #expect(run.status == 2)
        #expect(run.errors.contains("accounts.csv:4:6: the quote that opens this field is never closed"), "\(run.errors)")
        #expect(!run.errors.contains("a value is required"))
    }

    @Test func encodingErrorsHaveLineAndColumn() throws {
        let folder = TemporaryFolder()
        folder.write("regions.csv", bytes: Array("region,local_capacity_fte,local_fte_cost,productivity\nEMÉA,1,2,1\nX\u{FF}".utf8) + [0xFF, 0x0A])
        let messages = inputMessages { _ = try CSVTable(path: folder.file("regions.csv"), displayName: "regions.csv") }
        #expect(messages == ["regions.csv:3:3: not valid UTF-8 text; save the file as UTF-8 (CSV UTF-8 in Excel)"])
    }

    @Test(arguments: [
        ("x = nan", "nan is not a number"),
        ("x = inf", "inf is not a finite number"),
        ("x = 1e15", "is too large for a count"),
    ])
    func numberMessagesSayWhatIsWrong(assignment: String, expected: String) throws {
        let text = minimalModelText().replacingOccurrences(of: "min_local_coverage = 0.2",
                                                            with: "min_local_coverage = 0.2\n" + assignment.replacingOccurrences(of: "x", with: "min_regions"))
        let messages = inputMessages { _ = try AllocationModel.parse(text + "\n[response]\nbreakpoints = [1]\n") }
        #expect(messages.contains { $0.contains(expected) && $0.hasPrefix("model.toml:9:") }, "\(messages)")
        #expect(!messages.contains { $0.contains("1000000000000000.0") })
    }

    @Test func invalidTOMLIsRefusedAndDatesAreNamed() throws {
        for text in ["x = 1e_23", "x = \"\"\"\\ x\"\"\"", "x = 1_e5"] {
            #expect(throws: TOMLReader.Failure.self, "\(text)") { _ = try TOMLReader.read(text) }
        }
        #expect(try TOMLReader.read("x = \"\"\"a \\  \n  b\"\"\"") == .table(["x": .string("a b")]))
        let messages = inputMessages { _ = try TOMLValue.parseTOML("when = 1979-05-27", file: "m.toml") }
        #expect(messages == ["m.toml:1:8: '1979-05-27' is a date or time: valid TOML, but model files do not use dates"])
    }

    @Test func pinsOnTheCommandLineAreLocatedThere() throws {
        let unknown = try CommandRun.run(["validate", "--pin", "ZZZ=total"])
        #expect(unknown.status == 2)
        #expect(unknown.errors.contains("--pin: ZZZ=total: unknown account 'ZZZ'"), "\(unknown.errors)")
        let twice = try CommandRun.run(["validate", "--pin", "A001=total", "--pin", "A001=local"])
        #expect(twice.status != 0)
        #expect(twice.errors.contains("A001 is given twice"), "\(twice.errors)")
    }

    @Test func aDatasetChangeInASweepBlamesTheSweep() throws {
        let instance = try SweepTests.sample([])
        let session = try AllocationPlanner.session(for: instance, options: .glpk)
        let messages = inputMessages { try session.set(try WhatIfKey("regions.EMEA.productivity"), to: 0) }
        #expect(!messages.isEmpty)
        #expect(messages.allSatisfy { $0.hasPrefix("--vary: ") }, "\(messages)")
    }

    // MARK: 11. Slow inputs

    @Test func breakpointsAndIdsHaveLimits() throws {
        let many = (1...10_000).map { String($0) }.joined(separator: ", ")
        let messages = inputMessages { _ = try AllocationModel.parse(minimalModelText("[response]\nbreakpoints = [\(many)]\n")) }
        #expect(messages.contains { $0.contains("10000 breakpoints; at most 50 are accepted") }, "\(messages.prefix(3))")
        #expect(messages.count == 1)
        let longID = String(repeating: "x", count: 100_000)
        #expect(closestMatch(to: longID, in: (0..<10_000).map { "A\($0)" }) == nil)
        #expect(closestMatch(to: "A00l", in: ["A001", "B002"]) == "A001")
        #expect(Identifier.lengthProblem(String(repeating: "y", count: 257)) != nil)
        #expect(Identifier.lengthProblem(String(repeating: "y", count: 256)) == nil)
    }

    // MARK: Fuzz target

    /// The fuzz target (built normally, it replays files) reads every seed of
    /// scripts/fuzz.sh and every saved regression without a defect.
    @Test func fuzzTargetReplaysItsCorpus() throws {
        let seeds = TemporaryFolder()
        let seeding = Process()
        seeding.executableURL = URL(fileURLWithPath: "/bin/bash")
        seeding.arguments = [packageRoot + "/scripts/fuzz.sh", "--seed-only", seeds.path]
        seeding.standardOutput = FileHandle.nullDevice
        try seeding.run()
        seeding.waitUntilExit()
        #expect(seeding.terminationStatus == 0)
        let regressions = packageRoot + "/Tests/Fixtures/fuzz"
        let files = try FileManager.default.contentsOfDirectory(atPath: seeds.path).map { seeds.path + "/" + $0 }
            + FileManager.default.contentsOfDirectory(atPath: regressions).filter { $0 != "README.md" }.map { regressions + "/" + $0 }
        #expect(files.count > 60)
        let replay = URL(fileURLWithPath: CommandRun.binary).deletingLastPathComponent().appendingPathComponent("salesmotion-fuzz").path
        let run = try CommandRun.run(files, executable: replay)
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.hasSuffix("\(files.count) passed, 0 failed\n"), "\(run.output)")
        // The valid fixtures and the sample are accepted: the target reaches past the readers.
        let accepted = run.output.split(separator: "\n").first { $0.hasPrefix("accepted ") }
            .flatMap { Int($0.dropFirst("accepted ".count).prefix { $0.isNumber }) } ?? 0
        #expect(accepted >= 4, "\(run.output)")
    }

    // MARK: 12. I/O errors: their own exit code, before any solving

    @Test func unwritableOutputIsExitFourBeforeSolving() throws {
        let root = TemporaryFolder()
        let file = root.write("file", "x")
        for out in [file, file + "/sub", "/proc/salesmotion-out"] {
            let run = try CommandRun.run(["solve", "--quiet", "--out", parentOf(out), "--name", nameOf(out), "--set", "solver.time_limit=5"])
            #expect(run.status == 4, "\(out): \(run.status) \(run.errors)")
            #expect(!run.errors.contains("solver"), "\(run.errors)")
        }
    }

    /// A read-only file system and a full one (tmpfs mounts; skipped where mounting is not
    /// allowed): exit 4, nothing written, the old folder kept.
    @Test(.enabled(if: AdversarialTests.canMount, "mounting a tmpfs needs root"))
    func readOnlyAndFullFileSystemsAreExitFour() throws {
        let root = TemporaryFolder()
        let readOnly = root.path + "/ro", full = root.path + "/full"
        for folder in [readOnly, full] { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        #expect(Self.shell("mount -t tmpfs -o ro,size=64k tmpfs '\(readOnly)'") == 0)
        defer { _ = Self.shell("umount '\(readOnly)'") }
        let run = try CommandRun.run(["solve", "--quiet", "--out", parentOf(readOnly + "/out"), "--name", nameOf(readOnly + "/out")])
        #expect(run.status == 4, "\(run.errors)")
        #expect(run.errors.contains("Read-only file system"), "\(run.errors)")

        #expect(Self.shell("mount -t tmpfs -o size=24k tmpfs '\(full)'") == 0)
        defer { _ = Self.shell("umount '\(full)'") }
        let second = try CommandRun.run(["solve", "--quiet", "--out", parentOf(full + "/out"), "--name", nameOf(full + "/out")])
        #expect(second.status == 4, "\(second.errors)")
        #expect(second.errors.contains("No space left on device"), "\(second.errors)")
        #expect(Self.leftovers(full).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: full + "/out"))
    }

    static let canMount: Bool = {
        guard getuid() == 0 else { return false }
        let probe = TemporaryFolder()
        guard shell("mount -t tmpfs -o size=16k tmpfs '\(probe.path)'") == 0 else { return false }
        _ = shell("umount '\(probe.path)'")
        return true
    }()

    @discardableResult
    static func shell(_ command: String) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command + " 2>/dev/null"]
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
