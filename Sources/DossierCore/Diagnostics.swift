import Foundation

/// A thread-safe collector: every step of a build adds what it finds, and the build
/// reports them all at the end, errors first, then by place.
public final class Diagnostics: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Diagnostic] = []
    /// The same diagnostic twice is reported once: `items` indices by hash (a set of the
    /// diagnostics themselves held a second copy of each of a large site's warnings).
    private var seen: [Int: Int] = [:]
    /// Further diagnostics with a hash already in `seen` (rare).
    private var sameHash: [Int: [Int]] = [:]
    private var errorCount = 0

    public init() {}

    public func add(_ diagnostic: Diagnostic) {
        let hash = diagnostic.hashValue
        lock.lock()
        defer { lock.unlock() }
        if let first = seen[hash] {
            if items[first] == diagnostic || sameHash[hash, default: []].contains(where: { items[$0] == diagnostic }) { return }
            sameHash[hash, default: []].append(items.count)
        } else {
            seen[hash] = items.count
        }
        items.append(diagnostic)
        if diagnostic.severity == .error { errorCount += 1 }
    }

    public func add(contentsOf diagnostics: [Diagnostic]) {
        for d in diagnostics { add(d) }
    }

    /// Records what `body` throws (a `Diagnostic` or a `DiagnosticError`) and returns nil.
    @discardableResult
    public func capture<T>(_ body: () throws -> T) -> T? {
        do {
            return try body()
        } catch let error as DiagnosticError {
            add(contentsOf: error.diagnostics)
        } catch let error as Diagnostic {
            add(error)
        } catch {
            add(.error("\(error)"))
        }
        return nil
    }

    public var all: [Diagnostic] {
        lock.lock()
        defer { lock.unlock() }
        return items.sorted { a, b in
            if a.severity != b.severity { return a.severity > b.severity }
            switch (a.location, b.location) {
            case let (l?, r?): return l < r
            case (nil, _?): return true
            default: return false
            }
        }
    }

    public var errors: [Diagnostic] { all.filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { all.filter { $0.severity == .warning } }
    public var hasErrors: Bool {
        lock.lock()
        defer { lock.unlock() }
        return errorCount > 0
    }
}
