import DossierCore
import DossierSite
import Foundation

/// Prints diagnostics compiler-style to standard error, and summaries for people or, as
/// JSON, for CI. Colour and progress only on a terminal, and never with NO_COLOR.
enum Reporter {
    static var decorated: Bool {
        isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
            && ProcessInfo.processInfo.environment["TERM"] != "dumb"
    }

    static func errorLine(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func print(_ diagnostics: [Diagnostic]) {
        for d in diagnostics {
            var text = d.description
            if decorated {
                let colour = d.severity == .error ? "\u{1B}[1;31m" : "\u{1B}[1;35m"
                text = text.replacingOccurrences(of: "\(d.severity.rawValue): ", with: "\(colour)\(d.severity.rawValue):\u{1B}[0m ", options: [], range: text.range(of: "\(d.severity.rawValue): "))
            }
            errorLine(text)
        }
    }

    /// The JSON form of a diagnostic, for `--format json`.
    static func value(_ d: Diagnostic) -> Value {
        var v: [String: Value] = ["severity": .string(d.severity.rawValue), "message": .string(d.message)]
        if let l = d.location {
            v["file"] = .string(l.path)
            v["line"] = .number(Double(l.line))
            v["column"] = .number(Double(l.column))
        }
        if let s = d.sourceLine { v["source"] = .string(s) }
        if !d.notes.isEmpty { v["notes"] = .array(d.notes.map(Value.string)) }
        return .dictionary(v)
    }

    static func milliseconds(_ d: Duration) -> Int {
        Int(d.components.seconds * 1000) + Int(d.components.attoseconds / 1_000_000_000_000_000)
    }
}

/// "[120/1000] rendering pages" on one terminal line, only once a build has run for a
/// second, so quick builds stay quiet.
final class Progress: @unchecked Sendable {
    private let lock = NSLock()
    private let start = ContinuousClock.now
    private var shown = false
    private let enabled: Bool

    init(enabled: Bool) { self.enabled = enabled }

    func update(_ done: Int, _ total: Int) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        guard ContinuousClock.now - start > .seconds(1), done == total || done % 50 == 0 else { return }
        shown = true
        FileHandle.standardError.write(Data("\r\u{1B}[2K[\(done)/\(total)] rendering pages".utf8))
    }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
    }
}
