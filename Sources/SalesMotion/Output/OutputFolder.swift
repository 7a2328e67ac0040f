// SPDX-License-Identifier: GPL-3.0-or-later

public import Foundation
public import LinearProgramming
public import OutputFiles
internal import InputFiles

public enum OutputFolder {
    /// Every file name a SalesMotion run writes into an output folder (all commands): a folder
    /// holding only these may be replaced by the next run.
    public static let runFiles: Set<String> = [
        PlanReport.accountsFile, PlanReport.localFile, PlanReport.regionsFile, PlanReport.summaryFile, PlanReport.gamsFile,
        SweepReport.csvFile, SweepReport.chartFile, HTMLReport.file,
        PlanComparison.accountsFile, PlanComparison.regionsFile, PlanComparison.summaryFile,
        RoadmapReport.tiersFile, RoadmapReport.planFile, RoadmapReport.localFile, RoadmapReport.yearsFile, RoadmapReport.summaryFile,
        RobustnessReport.accountsFile, RobustnessReport.samplesFile, RobustnessReport.summaryFile, RobustnessReport.htmlFile,
        RobustnessReport.samplesFolder,
        "accounts.csv", "regions.csv", "footprint.csv", "model.toml",
    ]

    /// A name that may be replaced: a run's file, or a temporary file of an earlier version.
    static func isReplaceable(_ entry: String) -> Bool {
        runFiles.contains(entry) || (entry.hasPrefix(".") && entry.contains(".partial-"))
    }

    /// Opens a stage for a run's output folder: a folder holding only ``runFiles`` may be
    /// replaced. A refusal is an ``InputError`` at `--out`; a stop raised while waiting is
    /// ``PlanningInterrupted``.
    public static func stage(_ folder: String, stop: StopSignal? = nil) throws -> OutputStage {
        try translatingErrors { try OutputStage(folder: folder, isReplaceable: isReplaceable, shouldStop: { stop?.isRequested == true }) }
    }

    /// Commits `files` through `stage`, with the errors of this library.
    public static func commit(_ files: [(name: String, contents: Data)], through stage: OutputStage,
                              beforeWriting: ((String) throws -> Void)? = nil) throws {
        try translatingErrors { try stage.commit(files, beforeWriting: beforeWriting) }
    }

    /// Writes `files` as the whole contents of `folder` in one step (see ``OutputStage``).
    static func write(_ files: [(name: String, contents: Data)], to folder: String,
                      beforeWriting: ((String) throws -> Void)? = nil) throws {
        try commit(files, through: try stage(folder), beforeWriting: beforeWriting)
    }

    private static func translatingErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let refusal as OutputError where refusal.isRefusal {
            throw InputError([InputDiagnostic(SourceLocation(file: "--out"), refusal.description)])
        } catch is OutputInterrupted {
            throw PlanningInterrupted()
        }
    }

    /// Refuses an output path that is, or holds, one of the run's inputs, so a run can never
    /// overwrite what it reads. Paths are compared after resolving links. Throws
    /// ``InputError`` naming the clash.
    public static func check(_ output: String, dataFolder: String, modelFile: String, option: String = "--out",
                             extraInputs: [String] = []) throws {
        let out = canonical(output)
        let at = SourceLocation(file: option)
        let inputFiles = ["accounts.csv", "regions.csv", "footprint.csv"].map { canonical((dataFolder as NSString).appendingPathComponent($0)) }
            + ([modelFile] + extraInputs).map(canonical)
        if out == canonical(dataFolder) {
            throw InputError([InputDiagnostic(at, "\(output) is the data folder; write to another place")])
        }
        if let clash = inputFiles.first(where: { $0 == out }) {
            throw InputError([InputDiagnostic(at, "\(output) is an input file (\(clash)); write to another place")])
        }
        if let clash = inputFiles.first(where: { $0.hasPrefix(out + "/") }) {
            throw InputError([InputDiagnostic(at, "\(output) holds an input file (\(clash)); write to another place")])
        }
        for name in ["accounts.csv", "regions.csv", "footprint.csv"]
        where FileManager.default.fileExists(atPath: (out as NSString).appendingPathComponent(name)) {
            throw InputError([InputDiagnostic(at, "\(output) holds input files (\(name)); write to another place")])
        }
    }

    /// Replaces the file at `path` with `contents` whole, or leaves it as it was (see
    /// ``replaceFile(_:option:writing:)``); the folder is created when missing.
    public static func replaceFile(_ path: String, with contents: Data) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw OutputError("cannot create \(directory): \(error.localizedDescription)")
            }
        }
        try replaceFile(path, option: "--out") { temporary in
            let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else { throw OutputError("cannot write \(path): \(String(cString: strerror(errno)))") }
            defer { close(descriptor) }
            let written = contents.withUnsafeBytes { buffer in
                buffer.baseAddress.map { Glibc.write(descriptor, $0, buffer.count) } ?? 0
            }
            guard written == contents.count, fsync(descriptor) == 0 else {
                throw OutputError("cannot write \(path): \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Writes the file at `path` whole or not at all: `writing` makes it at a temporary path
    /// in a fresh private folder beside `path` (`mkdtemp`), which is then renamed into place,
    /// so a planted link is replaced, never followed. A link at `path` is refused as input
    /// (named by `option`), anything else but a regular file as a place that cannot be written.
    static func replaceFile(_ path: String, option: String, writing: (String) throws -> Void) throws {
        var status = stat()
        if lstat(path, &status) == 0 {
            switch status.st_mode & S_IFMT {
            case S_IFREG: break
            case S_IFLNK:
                throw InputError([InputDiagnostic(SourceLocation(file: option), "\(path) is a symbolic link; SalesMotion does not write through links: give the file itself")])
            default:
                throw OutputError("\(path) is not a regular file")
            }
        }
        let directory = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        var template = Array("\(directory)/.salesmotion-file-XXXXXX".utf8CString)
        guard let created = mkdtemp(&template) else {
            throw OutputError("cannot write to \(directory): \(String(cString: strerror(errno)))")
        }
        let folder = String(cString: created)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let temporary = folder + "/file"
        do {
            try writing(temporary)
        } catch let error as OutputError {
            throw error
        } catch {
            throw OutputError("cannot write \(path): \(error)")
        }
        guard chmod(temporary, mode_t(0o666) & ~currentUmask) == 0, rename(temporary, path) == 0 else {
            throw OutputError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    private static var currentUmask: mode_t {
        let value = umask(0o022)
        umask(value)
        return value
    }

    /// Refuses a folder of runs (`--out`, which holds each run's folder) that is the data folder
    /// or an input file: runs must not write among the inputs. Holding the data folder further
    /// down is fine (`project/` with `project/data/`): each run's own folder is checked too.
    public static func checkRoot(_ root: String, dataFolder: String, inputs: [String]) throws {
        let at = SourceLocation(file: "--out")
        if canonical(root) == canonical(dataFolder) {
            throw InputError([InputDiagnostic(at, "\(root) is the data folder; write to another place")])
        }
        let dataFiles = ["accounts.csv", "regions.csv", "footprint.csv"].map { (dataFolder as NSString).appendingPathComponent($0) }
        if (dataFiles + inputs).map(canonical).contains(canonical(root)) {
            throw InputError([InputDiagnostic(at, "\(root) is an input file; write to another place")])
        }
    }

    /// The path with `.`/`..` removed and every link resolved (as far as the path exists).
    static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }
}
