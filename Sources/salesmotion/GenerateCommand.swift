// SPDX-License-Identifier: GPL-3.0-or-later

import ArgumentParser
import Foundation
import OutputFiles
import SalesMotion
import SyntheticData

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a synthetic dataset (accounts, footprint, regions) and a matching model.toml.",
        discussion: "The same --seed gives the same bytes.")

    @Option(help: "Number of accounts.")
    var accounts: Int

    @Option(help: "Number of regions.")
    var regions = 8

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Generator family and profile: standard (the default), or the independent family's \(ProfileDataset.Profile.allCases.map(\.rawValue).joined(separator: ", ")).",
                               valueName: "name"))
    var profile = "standard"

    @Option(help: "Folder to write the files into.")
    var out: String

    func validate() throws {
        guard accounts >= 1, accounts <= 10_000_000 else { throw ValidationError("--accounts must be between 1 and 10,000,000") }
        guard profile == "standard" || ProfileDataset.Profile(rawValue: profile) != nil else {
            throw ValidationError("--profile must be standard or one of \(ProfileDataset.Profile.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard regions >= 1, regions <= 1000 else { throw ValidationError("--regions must be between 1 and 1000") }
    }

    func run() throws {
        let stage = try openOutput(out)
        watchForInterrupt()
        try commit(stage) {
            if let family = ProfileDataset.Profile(rawValue: profile) {
                return try ProfileDataset(accounts: accounts, regions: regions, seed: seed, profile: family).files()
            }
            return try SyntheticDataset(accounts: accounts, regions: regions, seed: seed).files()
        }
        printOut("Wrote \(Words.count(accounts, "account")) in \(Words.count(regions, "region")) to \(out)/ (model: \(out)/model.toml)")
    }
}
