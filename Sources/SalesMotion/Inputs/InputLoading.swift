// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
internal import InputFiles

extension AllocationInstance {
    /// Reads the dataset folder and the model file, applies command-line overrides and pins,
    /// and cross-checks them. Problems from every file are reported together.
    public static func load(dataFolder: String, modelFile: String, overrides: [ModelOverride] = [],
                            pins: [TierPin] = []) throws -> AllocationInstance {
        var timings = PhaseTimings()
        return try load(dataFolder: dataFolder, modelFile: modelFile, overrides: overrides, pins: pins, timings: &timings)
    }

    /// As ``load(dataFolder:modelFile:overrides:pins:)``, recording the read and validate phases.
    public static func load(dataFolder: String, modelFile: String, overrides: [ModelOverride] = [],
                            pins: [TierPin] = [], timings: inout PhaseTimings) throws -> AllocationInstance {
        try load(dataFolder: dataFolder, read: nil, modelFile: modelFile, overrides: overrides, pins: pins, timings: &timings)
    }

    /// As ``load(dataFolder:modelFile:overrides:pins:timings:)``, with the dataset already
    /// `read` from `dataFolder` when given (several scenarios of one dataset read it once).
    /// The model file is read first and handed to `modelRead` before the dataset is read (a
    /// command's time limit is in it); its problems are still listed after the dataset's.
    public static func load(dataFolder: String, read: Dataset?, modelFile: String, overrides: [ModelOverride] = [],
                            pins: [TierPin] = [], timings: inout PhaseTimings,
                            modelRead: (AllocationModel) -> Void = { _ in }) throws -> AllocationInstance {
        let start = Date()
        var problems = DiagnosticCollector()
        var dataset: Dataset?
        var model: AllocationModel?
        var modelProblems: InputError?
        let dataChanges = overrides.filter(\.isDataChange), modelChanges = overrides.filter { !$0.isDataChange }
        do {
            let file = try AllocationModel.read(from: modelFile, overrides: modelChanges, pins: pins)
            modelRead(file)
            model = file
        } catch let error as InputError {
            modelProblems = error
        }
        do {
            dataset = try (read ?? Dataset.read(from: dataFolder)).applying(dataChanges)
        } catch let error as InputError {
            problems.absorb(error)
        }
        if let modelProblems { problems.absorb(modelProblems) }
        try problems.throwIfAny()
        let validateStart = Date()
        timings.read = validateStart.timeIntervalSince(start)
        let instance = try AllocationInstance(dataset: dataset!, model: model!, modelFile: modelFile)
        timings.validate = Date().timeIntervalSince(validateStart)
        return instance
    }
}

extension AllocationInstance {
    /// Today's local FTE of every footprint pair, when the data gives them all
    /// (`current_local_fte` in footprint.csv); nil otherwise.
    public var currentLocalFTE: [[Double]]? {
        var result: [[Double]] = []
        for account in dataset.accounts {
            var fte: [Double] = []
            for entry in account.footprint {
                guard let value = entry.currentLocalFTE else { return nil }
                fte.append(value)
            }
            result.append(fte)
        }
        return result
    }

    /// Today's handling: every account with a current tier pinned to it (pins override
    /// eligibility, since today's handling is a fact) and the group limits lifted, since
    /// today's plan was not made under them; regional capacities still hold and local effort
    /// is still optimised.
    public func pinnedToCurrentTiers() throws -> AllocationInstance {
        var model = self.model
        model.limits = Limits()
        model.transition.maxChanges = nil
        let pinned = Set(model.pins.map(\.account))
        for account in dataset.accounts where !pinned.contains(account.id) {
            if let tier = account.currentTier { model.pins.append(TierPin(account: account.id, tier: tier)) }
        }
        return try AllocationInstance(dataset: dataset, model: model)
    }
}
