// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
internal import GLPK

/// File formats `salesmotion export` writes.
public enum ExportFormat: String, CaseIterable, Sendable {
    /// CPLEX LP, written by GLPK: keeps the objective sense and 15 digits.
    case lp
    /// Free MPS, written by GLPK: the objective sense is not stored (read it as a maximisation).
    case mps
    /// A GNU MathProg data file for `models/allocation.mod`.
    case gmpl
}

extension AllocationInstance {
    /// Writes the instance in `format` to `path` (through a temporary file and a rename).
    /// LP and MPS carry the solver's formulation, with the constant part of the objective
    /// left out; GMPL carries the data for the reference model in `models/allocation.mod`.
    public func export(_ format: ExportFormat, to path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = (directory.isEmpty ? "." : directory) + "/.\((path as NSString).lastPathComponent).tmp-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        switch format {
        case .lp, .mps:
            let problem = try GLPKProblem(AllocationProgram(instance: self, names: true).program)
            if format == .lp { try problem.writeCPLEXLP(to: temporary) } else { try problem.writeMPS(to: temporary) }
        case .gmpl:
            try Data(GMPLDataWriter(instance: self).text.utf8).write(to: URL(fileURLWithPath: temporary))
        }
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        try FileManager.default.moveItem(atPath: temporary, toPath: path)
    }
}
