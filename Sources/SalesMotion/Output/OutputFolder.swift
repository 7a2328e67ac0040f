// SPDX-License-Identifier: GPL-3.0-or-later

internal import CPOSIX
public import Foundation
public import LinearProgramming

/// The output folder could not be prepared or written (not a folder, no permission, disk
/// full, …): exit code 4. Nothing of the run was written.
public struct OutputError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A run's output folder, written as one unit.
///
/// The folder is replaced whole: the run's files are written into a fresh sibling folder
/// (`.NAME.salesmotion-XXXXXX`, created by `mkdtemp` with mode 0700, files created with
/// `O_EXCL | O_NOFOLLOW`, every file and the folder fsynced), which is then exchanged with the
/// old folder in one step (`renameat2(RENAME_EXCHANGE)`; `RENAME_NOREPLACE` when there was
/// none) and the old folder removed. Readers therefore see either the previous run's files or
/// this run's, never a mixture, never a half-written file.
///
/// - The staging folder is created when the stage is opened, before any solving, so a folder
///   that cannot be written is reported at once (``OutputError``).
/// - Every live staging folder holds an `flock`; a later run removes siblings whose lock it can
///   take (their run was killed), so leftovers never pile up.
/// - The commit holds an `flock` on the parent folder, so concurrent runs into one folder
///   replace it one after the other, each whole.
/// - A symbolic link as the folder, a file in its place, or a folder holding files SalesMotion
///   did not write is refused: the run never follows a planted link and never deletes a
///   user's files.
public final class OutputStage {
    /// The folder as the user named it.
    public let folder: String
    private let parentPath: String
    private let name: String
    private var stagingPath: String?
    private var stagingDescriptor: Int32 = -1
    private var written: Set<String> = []

    /// Opens a stage for `folder`: checks what is there and creates the staging folder.
    /// Throws ``InputError`` for a folder that must not be replaced, ``OutputError`` when
    /// the place cannot be written, and ``PlanningInterrupted`` when `stop` is raised while it
    /// waits for another run's swap.
    public init(folder: String, stop: StopSignal? = nil) throws {
        self.folder = folder
        var trimmed = folder
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        let absolute = trimmed.hasPrefix("/") ? trimmed : FileManager.default.currentDirectoryPath + "/" + trimmed
        let url = URL(fileURLWithPath: absolute).standardizedFileURL
        name = url.lastPathComponent
        parentPath = url.deletingLastPathComponent().path
        let location = SourceLocation(file: "--out")
        guard !trimmed.isEmpty, !["", ".", "..", "/"].contains(name), !["", ".", ".."].contains((trimmed as NSString).lastPathComponent) else {
            throw InputError([InputDiagnostic(location, "'\(folder)' does not name a folder of its own; SalesMotion replaces its output folder whole, so give a new or SalesMotion-written folder such as out")])
        }
        do {
            try FileManager.default.createDirectory(atPath: parentPath, withIntermediateDirectories: true)
        } catch {
            throw OutputError("cannot create \(parentPath): \(Self.reason(error))")
        }
        try Self.checkTarget(parent: parentPath, name: name, shown: folder)
        // The staging folder is created and locked under the parent's lock, so a run cleaning
        // up leftovers never sees it between its creation and its lock.
        let parentLock = try Self.lockParent(parentPath, stop: stop)
        defer { Self.unlock(parentLock) }
        var template = Array("\(parentPath)/.\(name).salesmotion-XXXXXX".utf8CString)
        guard let created = mkdtemp(&template) else {
            throw OutputError("cannot create a folder in \(parentPath.isEmpty ? "/" : parentPath): \(String(cString: strerror(errno)))")
        }
        let path = String(cString: created)
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0, flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            if descriptor >= 0 { close(descriptor) }
            rmdir(path)
            throw OutputError("cannot prepare \(folder): \(String(cString: strerror(code)))")
        }
        stagingPath = path
        stagingDescriptor = descriptor
    }

    deinit { discard() }

    /// Removes the staging folder unless it was committed.
    public func discard() {
        if let path = stagingPath { Self.removeTree(path) }
        stagingPath = nil
        if stagingDescriptor >= 0 { close(stagingDescriptor) }
        stagingDescriptor = -1
    }

    /// Writes `files` into the staging folder, then, unless `stop` was raised, replaces the
    /// folder with it in one step. Throws ``PlanningInterrupted`` when `stop` was raised (the
    /// old folder is then untouched) and ``OutputError`` on any I/O failure (likewise).
    /// `beforeWriting` is a test hook called with each name before it is written.
    public func commit(_ files: [(name: String, contents: Data)], stop: StopSignal? = nil,
                       beforeWriting: ((String) throws -> Void)? = nil) throws {
        guard let staging = stagingPath else { throw OutputError("the output stage for \(folder) was already used") }
        for (fileName, contents) in files {
            try beforeWriting?(fileName)
            try writeFile(fileName, contents)
        }
        let mode = mode_t(0o777) & ~Self.umaskValue
        guard fchmod(stagingDescriptor, mode) == 0, fsync(stagingDescriptor) == 0 else {
            throw OutputError("cannot write \(folder): \(String(cString: strerror(errno)))")
        }
        let parent = try Self.lockParent(parentPath, stop: stop)
        defer { Self.unlock(parent) }
        Self.removeLeftovers(parent: parentPath, name: name, except: staging)
        try Self.checkTarget(parent: parentPath, name: name, shown: folder)
        if stop?.isRequested == true { throw PlanningInterrupted() }
        let target = parentPath + "/" + name
        var status = stat()
        let exists = lstat(target, &status) == 0
        let flags = exists ? cposix_rename_exchange() : cposix_rename_noreplace()
        guard cposix_renameat2(AT_FDCWD, staging, AT_FDCWD, target, flags) == 0 else {
            throw OutputError("cannot replace \(folder): \(String(cString: strerror(errno)))")
        }
        // From here on the run's files are in place; what is left is housekeeping.
        fsync(parent)
        if exists { Self.removeTree(staging) }
        stagingPath = nil
        close(stagingDescriptor)
        stagingDescriptor = -1
    }

    private func writeFile(_ fileName: String, _ contents: Data) throws {
        guard !fileName.isEmpty, !fileName.contains("/"), fileName != ".", fileName != "..", !written.contains(fileName) else {
            throw OutputError("invalid output file name '\(fileName)'")
        }
        written.insert(fileName)
        let descriptor = openat(stagingDescriptor, fileName, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else {
            throw OutputError("cannot write \(folder)/\(fileName): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        try contents.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buffer.count {
                let count = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    throw OutputError("cannot write \(folder)/\(fileName): \(String(cString: strerror(errno)))")
                }
                offset += count
            }
        }
        guard fsync(descriptor) == 0 else {
            throw OutputError("cannot write \(folder)/\(fileName): \(String(cString: strerror(errno)))")
        }
    }

    /// Opens and locks (`flock`, waiting) the folder that holds the output folder.
    private static func lockParent(_ path: String, stop: StopSignal?) throws -> Int32 {
        let parent = open(path.isEmpty ? "/" : path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard parent >= 0 else { throw OutputError("cannot open \(path): \(String(cString: strerror(errno)))") }
        while flock(parent, LOCK_EX) != 0 {
            let code = errno
            guard code == EINTR, stop?.isRequested != true else {
                close(parent)
                if code == EINTR { throw PlanningInterrupted() }
                throw OutputError("cannot lock \(path): \(String(cString: strerror(code)))")
            }
        }
        return parent
    }

    private static func unlock(_ descriptor: Int32) {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    private static let umaskValue: mode_t = {
        let value = umask(0o022)
        umask(value)
        return value
    }()

    /// The folder at `parent/name` may be replaced: absent, or a real folder (not a link)
    /// holding only files a SalesMotion run writes.
    private static func checkTarget(parent: String, name: String, shown: String) throws {
        let target = parent + "/" + name
        var status = stat()
        guard lstat(target, &status) == 0 else {
            if errno == ENOENT { return }
            throw OutputError("cannot inspect \(shown): \(String(cString: strerror(errno)))")
        }
        let location = SourceLocation(file: "--out")
        switch status.st_mode & S_IFMT {
        case S_IFDIR: break
        case S_IFLNK:
            throw InputError([InputDiagnostic(location, "\(shown) is a symbolic link; SalesMotion does not write through links: give the folder itself")])
        default:
            throw OutputError("\(shown) is a file, not a folder")
        }
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: target)
        } catch {
            throw OutputError("cannot read \(shown): \(reason(error))")
        }
        let foreign = entries.filter { !OutputFolder.isReplaceable($0) }.sorted()
        if let first = foreign.first {
            let more = foreign.count > 1 ? " and \(foreign.count - 1) more" : ""
            throw InputError([InputDiagnostic(location, "\(shown) holds \(TerminalText.escaped(first))\(more), which SalesMotion did not write; a run replaces its output folder whole, so give a new folder or one only SalesMotion writes to")])
        }
    }

    /// Removes staging folders of runs that died (their lock is free).
    private static func removeLeftovers(parent: String, name: String, except own: String) {
        let prefix = ".\(name).salesmotion-"
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: parent.isEmpty ? "/" : parent) else { return }
        for entry in entries where entry.hasPrefix(prefix) {
            let path = parent + "/" + entry
            guard path != own else { continue }
            let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard descriptor >= 0 else { continue }
            if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { removeTree(path) }
            close(descriptor)
        }
    }

    private static func removeTree(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    private static func reason(_ error: any Error) -> String {
        if let cocoa = error as? CocoaError, let underlying = cocoa.userInfo[NSUnderlyingErrorKey] as? NSError,
           underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return error.localizedDescription
    }
}

public enum OutputFolder {
    /// Every file name a SalesMotion run writes into an output folder (all commands): a folder
    /// holding only these may be replaced by the next run.
    public static let runFiles: Set<String> = [
        PlanReport.accountsFile, PlanReport.localFile, PlanReport.regionsFile, PlanReport.summaryFile,
        SweepReport.csvFile, SweepReport.chartFile, HTMLReport.file,
        PlanComparison.accountsFile, PlanComparison.regionsFile, PlanComparison.summaryFile,
        "accounts.csv", "regions.csv", "footprint.csv", "model.toml",
    ]

    /// A name that may be replaced: a run's file, or a temporary file of an earlier version.
    static func isReplaceable(_ entry: String) -> Bool {
        runFiles.contains(entry) || (entry.hasPrefix(".") && entry.contains(".partial-"))
    }

    /// Writes `files` as the whole contents of `folder` in one step (see ``OutputStage``).
    static func write(_ files: [(name: String, contents: Data)], to folder: String,
                      beforeWriting: ((String) throws -> Void)? = nil) throws {
        try OutputStage(folder: folder).commit(files, beforeWriting: beforeWriting)
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

    /// The path with `.`/`..` removed and every link resolved (as far as the path exists).
    static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }
}
