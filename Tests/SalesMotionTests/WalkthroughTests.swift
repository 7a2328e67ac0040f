// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import Testing

/// docs/walkthrough.txt is what a newcomer sees when asking the README's questions of the
/// sample; it must stay what the tool says (same answers, same words). After a deliberate
/// change, run `scripts/walkthrough.sh > docs/walkthrough.txt` and read the difference.
@Suite struct WalkthroughTests {
    @Test func theRecordedWalkthroughIsCurrent() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [packageRoot + "/scripts/walkthrough.sh"]
        process.environment = ProcessInfo.processInfo.environment.merging(["SALESMOTION": CommandRun.binary]) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let recorded = try String(contentsOfFile: packageRoot + "/docs/walkthrough.txt", encoding: .utf8)
        let (now, then) = (text.split(separator: "\n", omittingEmptySubsequences: false),
                           recorded.split(separator: "\n", omittingEmptySubsequences: false))
        for (index, (line, expected)) in zip(now, then).enumerated() where line != expected {
            Issue.record("docs/walkthrough.txt:\(index + 1): now «\(line)», recorded «\(expected)»")
            break
        }
        #expect(now.count == then.count)
    }
}
