// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation

/// Writes a run's files into a folder all or nothing: every file is first written in full to a
/// temporary file beside its target, and only when all of them are complete are they renamed
/// into place. A failure leaves the folder as it was.
public enum OutputFolder {
    /// Writes `files` (name, contents) into `folder`, creating it if needed, then removes
    /// `stale` names (files an earlier run wrote that this run does not replace).
    /// `beforeWriting` is a test hook called with each name before it is written.
    static func write(_ files: [(name: String, contents: Data)], to folder: String, removing stale: [String] = [],
                      beforeWriting: ((String) throws -> Void)? = nil) throws {
        let manager = FileManager.default
        try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let base = URL(fileURLWithPath: folder)
        var staged: [(temporary: URL, target: URL)] = []
        do {
            for (name, contents) in files {
                try beforeWriting?(name)
                let temporary = base.appendingPathComponent(".\(name).partial-\(getpid())")
                staged.append((temporary, base.appendingPathComponent(name)))
                try contents.write(to: temporary)
            }
        } catch {
            for file in staged { try? manager.removeItem(at: file.temporary) }
            throw error
        }
        for file in staged {
            if rename(file.temporary.path, file.target.path) != 0 {
                let code = errno
                for rest in staged { try? manager.removeItem(at: rest.temporary) }
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.target.path,
                                                               NSLocalizedDescriptionKey: String(cString: strerror(code))])
            }
        }
        for name in stale {
            let path = base.appendingPathComponent(name).path
            if manager.fileExists(atPath: path) { try manager.removeItem(atPath: path) }
        }
    }

    /// Refuses an output folder that is the data folder or holds an input file, so a run can
    /// never overwrite what it reads. Throws ``InputError`` naming the clash.
    public static func check(_ folder: String, dataFolder: String, modelFile: String) throws {
        func canonical(_ path: String) -> String {
            URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        }
        let out = canonical(folder)
        let at = SourceLocation(file: "--out")
        if out == canonical(dataFolder) {
            throw InputError([InputDiagnostic(at, "\(folder) is the data folder; write the plan to another folder")])
        }
        if out == canonical((modelFile as NSString).deletingLastPathComponent.isEmpty ? "." : (modelFile as NSString).deletingLastPathComponent) {
            throw InputError([InputDiagnostic(at, "\(folder) holds the model file \(modelFile); write the plan to another folder")])
        }
        for name in ["accounts.csv", "regions.csv", "footprint.csv"]
        where FileManager.default.fileExists(atPath: (out as NSString).appendingPathComponent(name)) {
            throw InputError([InputDiagnostic(at, "\(folder) holds input files (\(name)); write the plan to another folder")])
        }
    }
}
