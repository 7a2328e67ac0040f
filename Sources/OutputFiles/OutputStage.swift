// SPDX-License-Identifier: GPL-3.0-or-later

internal import CPOSIX
public import Foundation

/// Why a run's output folder was not written (nothing of the run was): the place cannot be
/// written (not a folder, no permission, disk full, …) or, with `isRefusal`, the folder must not
/// be replaced (a symbolic link, files SalesMotion did not write, no folder of its own).
public struct OutputError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public var isRefusal = false

    public init(_ description: String, isRefusal: Bool = false) {
        self.description = description
        self.isRefusal = isRefusal
    }
}

/// A stop was asked for before the folder was replaced; the old folder is as it was.
public struct OutputInterrupted: Error, Sendable {
    public init() {}
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
    private let isReplaceable: @Sendable (String) -> Bool
    private let shouldStop: @Sendable () -> Bool

    /// Opens a stage for `folder`: checks what is there and creates the staging folder.
    /// `isReplaceable` says which names an earlier run may have left in the folder (anything
    /// else makes the folder one that must not be replaced). Throws ``OutputError`` when the folder must
    /// not be replaced or the place cannot be written, and
    /// ``OutputInterrupted`` when `shouldStop` says so while it waits for another run's swap.
    public init(folder: String, isReplaceable: @escaping @Sendable (String) -> Bool,
                shouldStop: @escaping @Sendable () -> Bool = { false }) throws {
        self.folder = folder
        self.isReplaceable = isReplaceable
        self.shouldStop = shouldStop
        var trimmed = folder
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        let absolute = trimmed.hasPrefix("/") ? trimmed : FileManager.default.currentDirectoryPath + "/" + trimmed
        let url = URL(fileURLWithPath: absolute).standardizedFileURL
        name = url.lastPathComponent
        parentPath = url.deletingLastPathComponent().path
        guard !trimmed.isEmpty, !["", ".", "..", "/"].contains(name), !["", ".", ".."].contains((trimmed as NSString).lastPathComponent) else {
            throw OutputError("'\(folder)' does not name a folder of its own; SalesMotion replaces its output folder whole, so give a new or SalesMotion-written folder such as out", isRefusal: true)
        }
        do {
            try FileManager.default.createDirectory(atPath: parentPath, withIntermediateDirectories: true)
        } catch {
            throw OutputError("cannot create \(parentPath): \(Self.reason(error))")
        }
        try Self.checkTarget(parent: parentPath, name: name, shown: folder, isReplaceable: isReplaceable)
        // The staging folder is created and locked under the parent's lock, so a run cleaning
        // up leftovers never sees it between its creation and its lock.
        let parentLock = try Self.lockParent(parentPath, shouldStop: shouldStop)
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

    /// Writes `files` into the staging folder, then, unless `shouldStop` says so, replaces the
    /// folder with it in one step. Throws ``OutputInterrupted`` when it stops (the old folder is
    /// then untouched) and ``OutputError`` on any I/O failure (likewise).
    /// `beforeWriting` is a test hook called with each name before it is written.
    public func commit(_ files: [(name: String, contents: Data)], beforeWriting: ((String) throws -> Void)? = nil) throws {
        guard let staging = stagingPath else { throw OutputError("the output stage for \(folder) was already used") }
        for (fileName, contents) in files {
            try beforeWriting?(fileName)
            try writeFile(fileName, contents)
        }
        let mode = mode_t(0o777) & ~Self.umaskValue
        guard fchmod(stagingDescriptor, mode) == 0, fsync(stagingDescriptor) == 0 else {
            throw OutputError("cannot write \(folder): \(String(cString: strerror(errno)))")
        }
        let parent = try Self.lockParent(parentPath, shouldStop: shouldStop)
        defer { Self.unlock(parent) }
        Self.removeLeftovers(parent: parentPath, name: name, except: staging)
        try Self.checkTarget(parent: parentPath, name: name, shown: folder, isReplaceable: isReplaceable)
        if shouldStop() { throw OutputInterrupted() }
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

    /// Writes `fileName` into the staging folder; a name with `/` (`samples/0001/accounts.csv`)
    /// goes into subfolders the stage creates (never through a link).
    private func writeFile(_ fileName: String, _ contents: Data) throws {
        let parts = fileName.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }), !written.contains(fileName) else {
            throw OutputError("invalid output file name '\(fileName)'")
        }
        written.insert(fileName)
        var directory = stagingDescriptor
        defer { if directory != stagingDescriptor { close(directory) } }
        for part in parts.dropLast() {
            if mkdirat(directory, part, 0o777) != 0 && errno != EEXIST {
                throw OutputError("cannot write \(folder)/\(fileName): \(String(cString: strerror(errno)))")
            }
            let next = openat(directory, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard next >= 0 else { throw OutputError("cannot write \(folder)/\(fileName): \(String(cString: strerror(errno)))") }
            if directory != stagingDescriptor { close(directory) }
            directory = next
        }
        let descriptor = openat(directory, parts.last!, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o666)
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
        guard fsync(descriptor) == 0, directory == stagingDescriptor || fsync(directory) == 0 else {
            throw OutputError("cannot write \(folder)/\(fileName): \(String(cString: strerror(errno)))")
        }
    }

    /// Opens and locks (`flock`, waiting) the folder that holds the output folder.
    private static func lockParent(_ path: String, shouldStop: () -> Bool) throws -> Int32 {
        let parent = open(path.isEmpty ? "/" : path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard parent >= 0 else { throw OutputError("cannot open \(path): \(String(cString: strerror(errno)))") }
        while flock(parent, LOCK_EX) != 0 {
            let code = errno
            guard code == EINTR, !shouldStop() else {
                close(parent)
                if code == EINTR { throw OutputInterrupted() }
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
    private static func checkTarget(parent: String, name: String, shown: String,
                                    isReplaceable: (String) -> Bool) throws {
        let target = parent + "/" + name
        var status = stat()
        guard lstat(target, &status) == 0 else {
            if errno == ENOENT { return }
            throw OutputError("cannot inspect \(shown): \(String(cString: strerror(errno)))")
        }
        switch status.st_mode & S_IFMT {
        case S_IFDIR: break
        case S_IFLNK:
            throw OutputError("\(shown) is a symbolic link; SalesMotion does not write through links: give the folder itself", isRefusal: true)
        default:
            throw OutputError("\(shown) is a file, not a folder")
        }
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: target)
        } catch {
            throw OutputError("cannot read \(shown): \(reason(error))")
        }
        let foreign = entries.filter { !isReplaceable($0) }.sorted()
        if let first = foreign.first {
            let more = foreign.count > 1 ? " and \(foreign.count - 1) more" : ""
            throw OutputError("\(shown) holds \(TerminalText.escaped(first))\(more), which SalesMotion did not write; a run replaces its output folder whole, so give a new folder or one only SalesMotion writes to", isRefusal: true)
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
