// SPDX-License-Identifier: GPL-3.0-or-later

import Foundation
import Synchronization

/// `body(0)`, …, `body(count − 1)` side by side (one thread per core), each one's value or
/// error at its index: the input files parsed at once, the two long plan files written at once.
func sideBySide<Value: Sendable>(_ count: Int, _ body: @Sendable (Int) throws -> Value) -> [Result<Value, any Error>] {
    let results = Mutex([Result<Value, any Error>?](repeating: nil, count: count))
    DispatchQueue.concurrentPerform(iterations: count) { index in
        let result = Result { try body(index) }
        results.withLock { $0[index] = result }
    }
    return results.withLock { $0.map { $0! } }
}

/// `background()` on another thread while `foreground()` runs on this one; both values, once
/// both are done (the footprint's cells checked while the accounts are read).
func alongside<Background: Sendable, Foreground>(_ background: @escaping @Sendable () -> Background,
                                                  _ foreground: () -> Foreground) -> (Background, Foreground) {
    let result = Mutex<Background?>(nil)
    let done = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
        let value = background()
        result.withLock { $0 = value }
        done.signal()
    }
    let value = foreground()
    done.wait()
    return (result.withLock { $0! }, value)
}
