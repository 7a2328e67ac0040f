// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation

extension AllocationInstance {
    /// Reads the dataset folder and the model file, applies command-line overrides and pins,
    /// and cross-checks them. Problems from every file are reported together.
    public static func load(dataFolder: String, modelFile: String, overrides: [ModelOverride] = [],
                            pins: [TierPin] = []) throws -> AllocationInstance {
        var problems = DiagnosticCollector()
        var dataset: Dataset?
        var model: AllocationModel?
        do { dataset = try Dataset.read(from: dataFolder) } catch let error as InputError { problems.absorb(error) }
        do {
            model = try AllocationModel.read(from: modelFile, overrides: overrides, pins: pins)
        } catch let error as InputError {
            problems.absorb(error)
        }
        try problems.throwIfAny()
        return try AllocationInstance(dataset: dataset!, model: model!, modelFile: modelFile)
    }
}
