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

    @Option(help: "Also plan a roadmap: model.toml gets [roadmap] with this many years and year-by-year budget and GAM headcount.")
    var years: Int?

    @Flag(help: "Also name the GAM team: gams.csv with one GAM per about \(GAMTeam.accountsPerGAM) accounts open to a global tier, and today's leads in accounts.csv (current_gam).")
    var gams = false

    @Option(help: "With --gams: the team's size instead of one GAM per about \(GAMTeam.accountsPerGAM) eligible accounts.")
    var gamCount: Int?

    func validate() throws {
        guard accounts >= 1, accounts <= 10_000_000 else { throw ValidationError("--accounts must be between 1 and 10,000,000") }
        guard profile == "standard" || ProfileDataset.Profile(rawValue: profile) != nil else {
            throw ValidationError("--profile must be standard or one of \(ProfileDataset.Profile.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard regions >= 1, regions <= 1000 else { throw ValidationError("--regions must be between 1 and 1000") }
        if let gamCount, !(1...100_000).contains(gamCount) { throw ValidationError("--gam-count must be between 1 and 100,000") }
        if let years, !(1...RoadmapSettings.maximumYears).contains(years) {
            throw ValidationError("--years must be between 1 and \(RoadmapSettings.maximumYears)")
        }
    }

    func run() throws {
        let stage = try openOutput(out)
        watchForInterrupt()
        try commit(stage) {
            var files = try ProfileDataset.Profile(rawValue: profile).map {
                try ProfileDataset(accounts: accounts, regions: regions, seed: seed, profile: $0).files()
            } ?? SyntheticDataset(accounts: accounts, regions: regions, seed: seed).files()
            if let years, let index = files.firstIndex(where: { $0.name == "model.toml" }) {
                let model = RoadmapSection.adding(years: years, accounts: accounts, to: String(decoding: files[index].contents, as: UTF8.self))
                files[index].contents = Data(model.utf8)
            }
            return gams || gamCount != nil ? try GAMTeam.adding(to: files, count: gamCount) : files
        }
        printOut("Wrote \(Words.count(accounts, "account")) in \(Words.count(regions, "region")) to \(out)/ (model: \(out)/model.toml)")
    }
}
