/// One problem found in the user's input, reported like a compiler would.
public struct Diagnostic: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable, Comparable {
        case warning, error

        public static func < (a: Severity, b: Severity) -> Bool { a == .warning && b == .error }
    }

    public var severity: Severity
    public var location: SourceLocation?
    public var message: String
    /// The text of the offending line, shown under the message with a caret.
    public var sourceLine: String?
    /// Extra lines such as an include chain ("in Templates/base.html:3:4, included from …").
    public var notes: [String]

    public init(
        _ severity: Severity = .error, _ message: String, at location: SourceLocation? = nil,
        sourceLine: String? = nil, notes: [String] = []
    ) {
        self.severity = severity
        self.message = message
        self.location = location
        self.sourceLine = sourceLine
        self.notes = notes
    }

    public static func error(_ message: String, at location: SourceLocation? = nil, sourceLine: String? = nil) -> Diagnostic {
        Diagnostic(.error, message, at: location, sourceLine: sourceLine)
    }

    public static func warning(_ message: String, at location: SourceLocation? = nil, sourceLine: String? = nil) -> Diagnostic {
        Diagnostic(.warning, message, at: location, sourceLine: sourceLine)
    }

    /// `path:line:col: error: message`, without the source excerpt.
    public var headline: String {
        let prefix = location.map { TerminalText.safe("\($0)") + ": " } ?? ""
        return "\(prefix)\(severity.rawValue): \(TerminalText.safe(message))"
    }

    /// The full compiler-style report: headline, source line, caret, notes.
    public var description: String {
        var lines = [headline]
        if let sourceLine, let location {
            let shown = TerminalText.safe(sourceLine.replacingOccurrences(of: "\t", with: " "))
            lines.append("    " + shown)
            let pad = String(repeating: " ", count: max(0, min(location.column - 1, shown.count)))
            lines.append("    " + pad + "^")
        }
        lines.append(contentsOf: notes.map { "    note: " + TerminalText.safe($0) })
        return lines.joined(separator: "\n")
    }

    /// Fills in `sourceLine` from the file's text when the reporter did not.
    public func withSource(_ text: String) -> Diagnostic {
        guard sourceLine == nil, let location else { return self }
        var copy = self
        copy.sourceLine = SourceText.line(location.line, of: text)
        return copy
    }
}

/// The error thrown when a step found one or more diagnostics.
public struct DiagnosticError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public init(_ diagnostic: Diagnostic) { self.diagnostics = [diagnostic] }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// Helpers for the raw text diagnostics quote from.
public enum SourceText {
    /// Line `n` (1-based) of `text`, without its line ending, or nil past the end.
    public static func line(_ n: Int, of text: String) -> String? {
        guard n >= 1 else { return nil }
        var current = 1
        var start = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            if text[index] == "\n" || text[index] == "\r\n" {
                if current == n { return String(text[start..<index]) }
                current += 1
                start = text.index(after: index)
            }
            index = text.index(after: index)
        }
        return current == n ? String(text[start..<text.endIndex]) : nil
    }

    /// Suggests the closest of `candidates` to a misspelt `name` (Levenshtein ≤ 2, or a
    /// case-insensitive match) for "did you mean …?" hints.
    /// ` (did you mean 'x'?)` for the closest of `candidates` to `name`, or `` — the one
    /// way every message offers a correction. `quote` false leaves the name bare.
    public static func didYouMean(_ name: String, in candidates: some Sequence<String>, quote: Bool = true) -> String {
        guard let best = suggestion(for: name, in: candidates) else { return "" }
        return quote ? " (did you mean '\(best)'?)" : " (did you mean \(best)?)"
    }

    public static func suggestion(for name: String, in candidates: some Sequence<String>) -> String? {
        var best: (String, Int)?
        let lowered = name.lowercased()
        for candidate in candidates.sorted() {
            if candidate.lowercased() == lowered { return candidate }
            let d = editDistance(lowered, candidate.lowercased())
            let limit = max(1, min(2, name.count / 3))
            if d <= limit, best == nil || d < best!.1 { best = (candidate, d) }
        }
        return best?.0
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
