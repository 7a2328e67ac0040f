// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import GLPK
@testable import SalesMotion

/// A temporary folder with files written into it, removed when the value is released.
final class TemporaryFolder {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "salesmotion-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        let file = (path as NSString).appendingPathComponent(name)
        try! Data(text.utf8).write(to: URL(fileURLWithPath: file))
        return file
    }

    @discardableResult
    func write(_ name: String, bytes: [UInt8]) -> String {
        let file = (path as NSString).appendingPathComponent(name)
        try! Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }
}

/// The messages of an input error, or an empty list when `body` does not throw one.
func inputMessages(_ body: () throws -> Void) -> [String] {
    do {
        try body()
        return []
    } catch let error as InputError {
        return error.diagnostics.map(\.description)
    } catch {
        return ["unexpected error: \(error)"]
    }
}

/// The smallest model file the reader accepts, with `extra` appended.
func minimalModelText(_ extra: String = "") -> String {
    """
    [[tier]]
    id = "local"
    gam_fte = 0
    central_fte = 0
    exec_hours = 0
    protection = 0.5
    central_reach = 0.1
    min_local_coverage = 0.2

    """ + extra
}

/// The package root, found from this file's path.
let packageRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
    }
    fatalError("package root not found")
}()

func isApproximatelyEqual(_ a: Double, _ b: Double, relative: Double = 1e-9, absolute: Double = 1e-6) -> Bool {
    abs(a - b) <= max(absolute, relative * max(abs(a), abs(b)))
}

extension PlanningOptions {
    /// Planning with GLPK, as the command-line tool does.
    static var glpk: PlanningOptions { PlanningOptions(backend: GLPKSolver()) }
}
