// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
internal import OutputFiles
public import LinearProgramming
internal import InputFiles

/// File formats `salesmotion export` writes.
public enum ExportFormat: String, CaseIterable, Sendable {
    /// CPLEX LP, written by the solver backend: keeps the objective sense and 15 digits.
    case lp
    /// Free MPS, written by the solver backend: the objective sense is not stored (read it as a maximisation).
    case mps
    /// A GNU MathProg data file for `models/allocation.mod`.
    case gmpl
    /// A GNU MathProg data file for `models/roadmap.mod` (the model file needs `[roadmap]`).
    case gmplRoadmap = "gmpl-roadmap"
}

extension AllocationInstance {
    /// Writes the instance in `format` to `path`, whole or not at all: the file is made in a
    /// fresh private folder beside `path` (`mkdtemp`) and renamed into place, so a planted
    /// link is replaced, never followed. A link or a folder at `path` is refused.
    /// LP and MPS carry the formulation, written by `backend`, with the constant part of the objective
    /// left out; GMPL carries the data for the reference model in `models/allocation.mod`.
    public func export(_ format: ExportFormat, to path: String, backend: any SolverBackend, modelFile: String = "model.toml") throws {
        let roadmap = format == .gmplRoadmap ? try RoadmapInstance(self, modelFile: modelFile) : nil
        try OutputFolder.replaceFile(path, option: "--output") { temporary in
            switch format {
            case .lp, .mps:
                let problem = try backend.makeSession(AllocationProgram(instance: self, names: true).program)
                if format == .lp { try problem.writeCPLEXLP(to: temporary) } else { try problem.writeMPS(to: temporary) }
            case .gmpl:
                try Data(GMPLDataWriter(instance: self).text.utf8).write(to: URL(fileURLWithPath: temporary))
            case .gmplRoadmap:
                try Data(GMPLDataWriter(instance: self, roadmap: roadmap).text.utf8).write(to: URL(fileURLWithPath: temporary))
            }
        }
    }
}
