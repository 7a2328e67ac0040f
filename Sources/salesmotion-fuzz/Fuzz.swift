// SPDX-License-Identifier: GPL-3.0-or-later

// The fuzz target for the input readers: the model file (our TOML reader and the model's
// rules) and the three CSV files (CSV.swift and the dataset's rules). The first byte of an
// input picks the file it stands for; the rest are its bytes. Every input must end in a
// model or dataset, or in an InputError: never a crash, a trap or a hang.
//
// Built with libFuzzer (scripts/fuzz.sh):
//   swift build --product salesmotion-fuzz -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING \
//       --scratch-path .build-fuzz
// Built normally it replays files: `salesmotion-fuzz FILE…` (what `make test` does with the
// seed corpus, so the target cannot rot).

import Foundation
import SalesMotion
import InputFiles

enum FuzzInput {
    /// Files the fuzzed file is read with, taken from the sample so that cross-file rules run.
    static let accounts = Data("""
        account_id,name,hq_region,revenue,margin,growth_potential,central_share,competition,fit,current_tier
        A1,Aurora,EMEA,12000000,0.3,4000000,0.5,0.2,0.9,local
        A2,Borealis,APAC,8000000,0.25,2000000,0.3,0.1,0.6,
        """.utf8)
    static let regions = Data("""
        region,local_capacity_fte,local_fte_cost,productivity
        EMEA,10,150000,1
        APAC,5,120000,0.9
        """.utf8)
    static let footprint = Data("""
        account_id,region,share
        A1,EMEA,0.7
        A1,APAC,0.3
        A2,APAC,1
        """.utf8)
    static let model = """
        [[tier]]
        id = "local"
        gam_fte = 0
        central_fte = 0
        exec_hours = 0
        protection = 0.5
        central_reach = 0.1
        min_local_coverage = 0.2

        [response]
        breakpoints = [0.5, 1, 2]
        """

    /// Reads `bytes` as the file its first byte names; returns what happened, for replays.
    @discardableResult
    static func run(_ bytes: [UInt8]) -> String {
        guard let selector = bytes.first else { return "empty" }
        let body = Data(bytes.dropFirst())
        do {
            switch selector % 4 {
            case 0:
                let model = try AllocationModel.parse(String(decoding: body, as: UTF8.self), file: "model.toml")
                let dataset = try Dataset.parse(accounts: accounts, regions: regions, footprint: footprint)
                _ = try AllocationInstance(dataset: dataset, model: model)
            case 1:
                let dataset = try Dataset.parse(accounts: body, regions: regions, footprint: footprint)
                _ = try AllocationInstance(dataset: dataset, model: try AllocationModel.parse(model))
            case 2:
                let dataset = try Dataset.parse(accounts: accounts, regions: body, footprint: footprint)
                _ = try AllocationInstance(dataset: dataset, model: try AllocationModel.parse(model))
            default:
                let dataset = try Dataset.parse(accounts: accounts, regions: regions, footprint: body)
                _ = try AllocationInstance(dataset: dataset, model: try AllocationModel.parse(model))
            }
            return "accepted"
        } catch let error as InputError {
            return error.diagnostics.isEmpty ? "InputError without a message" : "refused"
        } catch {
            return "unexpected error: \(error)"
        }
    }
}

/// Whether an outcome is a defect (a crash is one by itself).
func isDefect(_ outcome: String) -> Bool {
    outcome.hasPrefix("unexpected") || outcome.hasPrefix("InputError without")
}

#if FUZZING
/// libFuzzer's entry point for programs that keep their own `main`.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32
#endif

@main
struct FuzzMain {
    static func main() {
        #if FUZZING
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
            let outcome = FuzzInput.run(bytes)
            if isDefect(outcome) { fatalError(outcome) }
            return 0
        })
        #else
        var failures = 0
        var outcomes: [String: Int] = [:]
        for path in CommandLine.arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else {
                print("\(path): cannot be read")
                failures += 1
                continue
            }
            let outcome = FuzzInput.run([UInt8](data))
            outcomes[outcome, default: 0] += 1
            if isDefect(outcome) {
                print("\(path): \(outcome)")
                failures += 1
            }
        }
        print("accepted \(outcomes["accepted", default: 0]), refused \(outcomes["refused", default: 0])")
        print("\(CommandLine.arguments.count - 1 - failures) passed, \(failures) failed")
        exit(failures == 0 ? 0 : 1)
        #endif
    }
}
