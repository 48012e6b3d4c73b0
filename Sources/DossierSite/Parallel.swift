import Foundation

extension Array where Element: Sendable {
    /// Maps on every core, keeping the order of the input (output is the same whatever
    /// the thread count). `threads: 1` runs serially.
    func parallelMap<T: Sendable>(threads: Int = ProcessInfo.processInfo.activeProcessorCount, _ transform: @Sendable (Element) -> T) -> [T] {
        guard count > 1, threads > 1 else { return map(transform) }
        let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        nonisolated(unsafe) let slots = results
        let items = self
        let chunk = Swift.max(1, count / (threads * 8))
        let chunks = (count + chunk - 1) / chunk
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            for i in (c * chunk)..<Swift.min(count, (c + 1) * chunk) { slots[i] = transform(items[i]) }
        }
        return results.map { $0! }
    }
}

/// A thread-safe counter (progress reports, the preview's generations).
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }

    func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        count += 1
        return count
    }
}
