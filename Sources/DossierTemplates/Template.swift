import DossierCore

/// A template parsed once, rendered many times. Immutable, so safe to share across threads.
public struct Template: Sendable {
    /// The name templates use to refer to it: `base.html`, `partials/figure.html`.
    public let name: String
    /// The path shown in diagnostics: `Templates/base.html`.
    public let path: String
    let nodes: [Node]
    /// `{% extends "…" %}`, if any, and where it was written.
    let parent: (name: String, location: SourceLocation)?
    /// Every `{% block %}` body in this template, by name.
    let blocks: [String: [Node]]
    let macros: [String: Macro]
    /// Names this template includes, imports or extends when they are string literals:
    /// the dependency graph for incremental rebuilds and cycle checks.
    public let dependencies: [String]
    let sourceLines: [Substring]
    /// The UTF-8 offset where each line starts, for `location(ofByte:)`.
    private let lineStarts: [Int]
    /// SHA-256 of the source, for the build cache.
    public let digest: String

    /// Parses `source`. `knownFilters` lets unknown filters fail at parse time.
    public init(name: String, path: String, source: String, knownFilters: Set<String> = Filters.names) throws(DiagnosticError) {
        self.name = name
        self.path = path
        self.sourceLines = source.split(separator: "\n", omittingEmptySubsequences: false)
        var starts = [0]
        for (i, byte) in source.utf8.enumerated() where byte == 10 { starts.append(i + 1) }
        self.lineStarts = starts
        self.digest = SHA256.hex(source.utf8)
        var lexer = Lexer(source: source, path: path)
        let segments: [Segment]
        do {
            segments = try lexer.tokenize()
        } catch {
            throw Template.attachSource(error, lines: source.split(separator: "\n", omittingEmptySubsequences: false))
        }
        var parser = TemplateParser(segments: segments, knownFilters: knownFilters)
        do {
            let nodes = try parser.parseDocument()
            self.nodes = nodes
            self.parent = parser.parent
            self.blocks = parser.blocks
            self.macros = parser.macros
            self.dependencies = parser.dependencies
        } catch {
            throw Template.attachSource(error, lines: sourceLines)
        }
    }

    /// The line and column (in characters) of the byte at UTF-8 `offset` of the source.
    func location(ofByte offset: Int) -> SourceLocation? {
        guard offset >= 0, let last = lineStarts.last, offset < last + (sourceLines.last?.utf8.count ?? 0) + 1 else { return nil }
        var low = 0, high = lineStarts.count
        while high - low > 1 {
            let mid = (low + high) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid }
        }
        let line = sourceLines[low].utf8
        let prefix = line.prefix(offset - lineStarts[low])
        return SourceLocation(path: path, line: low + 1, column: String(decoding: prefix, as: UTF8.self).count + 1)
    }

    /// Line `n` (from 1) of the source.
    public func line(_ n: Int) -> String? {
        n >= 1 && n <= sourceLines.count ? String(sourceLines[n - 1]) : nil
    }

    static func attachSource(_ error: DiagnosticError, lines: [Substring]) -> DiagnosticError {
        DiagnosticError(error.diagnostics.map { d in
            var d = d
            if d.sourceLine == nil, let l = d.location?.line, l >= 1, l <= lines.count { d.sourceLine = String(lines[l - 1]) }
            return d
        })
    }
}
