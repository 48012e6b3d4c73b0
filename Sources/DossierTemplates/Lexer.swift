import DossierCore

/// One piece of a template's source: literal text, `{{ output }}` or `{% tag %}`.
enum Segment {
    /// Literal text and the UTF-8 offset in the source of its first byte (nil for `raw`
    /// text, whose trimming is by character).
    case text(String, from: Int?)
    /// The expression source and where its first character is.
    case output(String, SourceLocation)
    /// The tag's inner source (name and arguments) and where the tag starts.
    case tag(String, SourceLocation, contentStart: SourceLocation)
}

/// Splits template source into segments, honouring `{{- -}}` whitespace control,
/// `{# comments #}` and `{% raw %}…{% endraw %}`.
struct Lexer {
    let path: String
    let bytes: [UInt8]
    private var position = 0
    private var line = 1
    private var lineStart = 0

    init(source: String, path: String) {
        self.path = path
        self.bytes = Array(source.utf8)
    }

    mutating func tokenize() throws(DiagnosticError) -> [Segment] {
        var segments: [Segment] = []
        var text: [UInt8] = []
        var trimNextText = false

        func flushText(trimTrailing: Bool) {
            var slice = text[...]
            if trimNextText { slice = slice.drop(while: Lexer.isSpace) }
            if trimTrailing { while let last = slice.last, Lexer.isSpace(last) { slice = slice.dropLast() } }
            let from = position - text.count + slice.startIndex
            if !slice.isEmpty { segments.append(.text(String(decoding: slice, as: UTF8.self), from: from)) }
            text.removeAll(keepingCapacity: true)
            trimNextText = false
        }

        while position < bytes.count {
            let b = bytes[position]
            guard b == UInt8(ascii: "{"), position + 1 < bytes.count else {
                advance(into: &text)
                continue
            }
            let next = bytes[position + 1]
            guard next == UInt8(ascii: "{") || next == UInt8(ascii: "%") || next == UInt8(ascii: "#") else {
                advance(into: &text)
                continue
            }
            let start = location()
            let trimBefore = position + 2 < bytes.count && bytes[position + 2] == UInt8(ascii: "-")
            flushText(trimTrailing: trimBefore)
            skip(trimBefore ? 3 : 2)
            let contentStart = location()
            let close: UInt8 = next == UInt8(ascii: "{") ? UInt8(ascii: "}") : next
            let (inner, trimAfter) = try readUntilClose(close, opener: start, kind: next)
            trimNextText = trimAfter
            switch next {
            case UInt8(ascii: "{"):
                segments.append(.output(inner, contentStart))
            case UInt8(ascii: "%"):
                let trimmed = inner.trimmingCharacters(in: .whitespacesAndNewlines)
                if trimmed == "raw" {
                    let (rawText, trimAfterRaw) = try readRaw(opener: start)
                    var raw = rawText[...]
                    if trimAfter { raw = raw.drop(while: { $0.isWhitespace }) }
                    segments.append(.text(String(raw), from: nil))
                    trimNextText = trimAfterRaw
                } else {
                    segments.append(.tag(inner, start, contentStart: contentStart))
                }
            default:
                break  // comment
            }
        }
        flushText(trimTrailing: false)
        return segments
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 32 || b == 9 || b == 10 || b == 13 }

    private func location() -> SourceLocation {
        let column = String(decoding: bytes[lineStart..<position], as: UTF8.self).count + 1
        return SourceLocation(path: path, line: line, column: column)
    }

    private mutating func advance(into text: inout [UInt8]) {
        let b = bytes[position]
        text.append(b)
        position += 1
        if b == 10 { line += 1; lineStart = position }
    }

    private mutating func skip(_ n: Int) {
        for _ in 0..<n where position < bytes.count {
            if bytes[position] == 10 { line += 1; lineStart = position + 1 }
            position += 1
        }
    }

    /// Reads up to the closing `}}`, `%}` or `#}`, skipping quoted strings in code.
    /// Returns the inner text and whether it ended with `-` (trim what follows).
    private mutating func readUntilClose(_ close: UInt8, opener: SourceLocation, kind: UInt8) throws(DiagnosticError) -> (String, Bool) {
        var inner: [UInt8] = []
        var quote: UInt8? = nil
        while position < bytes.count {
            let b = bytes[position]
            if let q = quote {
                if b == UInt8(ascii: "\\"), position + 1 < bytes.count {
                    advance(into: &inner)
                } else if b == q {
                    quote = nil
                }
                advance(into: &inner)
                continue
            }
            if kind != UInt8(ascii: "#") && (b == UInt8(ascii: "\"") || b == UInt8(ascii: "'")) {
                quote = b
                advance(into: &inner)
                continue
            }
            if b == close, position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "}") {
                var trimAfter = false
                if inner.last == UInt8(ascii: "-") {
                    inner.removeLast()
                    trimAfter = true
                }
                skip(2)
                return (String(decoding: inner, as: UTF8.self), trimAfter)
            }
            advance(into: &inner)
        }
        let what = kind == UInt8(ascii: "{") ? "'{{' is never closed with '}}'"
            : kind == UInt8(ascii: "%") ? "'{%' is never closed with '%}'" : "comment '{#' is never closed with '#}'"
        throw DiagnosticError(.error(what, at: opener))
    }

    /// Reads verbatim text up to `{% endraw %}` (with optional `-` markers).
    private mutating func readRaw(opener: SourceLocation) throws(DiagnosticError) -> (String, Bool) {
        var raw: [UInt8] = []
        while position < bytes.count {
            if bytes[position] == UInt8(ascii: "{"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "%") {
                var probe = position + 2
                let trimBefore = probe < bytes.count && bytes[probe] == UInt8(ascii: "-")
                if trimBefore { probe += 1 }
                while probe < bytes.count, Lexer.isSpace(bytes[probe]) { probe += 1 }
                let word = Array("endraw".utf8)
                if probe + word.count <= bytes.count, Array(bytes[probe..<probe + word.count]) == word {
                    var end = probe + word.count
                    while end < bytes.count, Lexer.isSpace(bytes[end]) { end += 1 }
                    var trimAfter = false
                    if end < bytes.count, bytes[end] == UInt8(ascii: "-") { trimAfter = true; end += 1 }
                    if end + 1 < bytes.count, bytes[end] == UInt8(ascii: "%"), bytes[end + 1] == UInt8(ascii: "}") {
                        if trimBefore { while let last = raw.last, Lexer.isSpace(last) { raw.removeLast() } }
                        skip(end + 2 - position)
                        return (String(decoding: raw, as: UTF8.self), trimAfter)
                    }
                }
            }
            advance(into: &raw)
        }
        throw DiagnosticError(.error("'{% raw %}' is never closed with '{% endraw %}'", at: opener))
    }
}
