internal import CCmark
import DossierCore
import Foundation

/// Footnote definitions (`[^label]: text`, further paragraphs indented four spaces), taken
/// out of the source before cmark reads it — cmark would take `[^1]: Source.` for a link
/// reference definition and an indented second paragraph for code. Their lines are left
/// blank, so everything else keeps its line numbers.
struct FootnoteDefinition {
    var label: String
    /// The definition's Markdown, continuation lines dedented.
    var text: String
    /// The body line of `[^label]:` and the byte column where its text starts.
    var line: Int
    var column: Int

    /// `text` without its definitions, and the definitions in the order written. A
    /// definition may be inside block quotes (`> [^1]: …`, its further lines quoted as
    /// deeply); its lines keep their `>` markers, so the quote around it stays whole.
    static func extract(from text: String) -> (text: String, definitions: [FootnoteDefinition]) {
        guard ByteSearch.contains(text, "[^") else { return (text, []) }
        let lines = MarkdownSource.split(text)
        var blanked: [(line: Int, keep: Int)] = []
        var definitions: [FootnoteDefinition] = []
        var fence: (marker: Character, count: Int)?
        var previousBlank = true
        var i = 0
        while i < lines.count {
            let (depth, prefix) = quotes(lines[i])
            let line = lines[i].utf8.dropFirst(prefix)
            let body = Substring(line)
            if let open = fence {
                if Self.fence(body).map({ $0.marker == open.marker && $0.count >= open.count }) == true { fence = nil }
                i += 1
                continue
            }
            if let f = Self.fence(body) {
                fence = f
                previousBlank = false
                i += 1
                continue
            }
            if previousBlank, let (label, start) = Self.start(body) {
                var content = [String(body[body.utf8.index(body.utf8.startIndex, offsetBy: start)...])]
                var last = i, sawBlank = false
                var j = i + 1
                while j < lines.count {
                    let (d, p) = quotes(lines[j])
                    let l = Substring(lines[j].utf8.dropFirst(p))
                    if isBlank(l), d <= depth {
                        sawBlank = true
                    } else if d == depth, l.hasPrefix("    ") {
                        last = j
                        sawBlank = false
                    } else if !sawBlank, d == depth || d == 0, Self.start(l) == nil, !Self.startsBlock(l) {
                        last = j  // a lazy continuation of the first paragraph
                    } else {
                        break
                    }
                    j += 1
                }
                if last > i {
                    for l in lines[(i + 1)...last] {
                        let t = Substring(l.utf8.dropFirst(quotes(l).prefix))
                        content.append(t.hasPrefix("    ") ? String(t.dropFirst(4)) : String(t))
                    }
                }
                definitions.append(FootnoteDefinition(label: label, text: content.joined(separator: "\n"), line: i + 1, column: prefix + start + 1))
                for k in i...last { blanked.append((k, quotes(lines[k]).prefix)) }
                i = last + 1
                previousBlank = true
                continue
            }
            previousBlank = isBlank(body)
            i += 1
        }
        guard !definitions.isEmpty else { return (text, []) }
        var out = lines
        for (k, keep) in blanked { out[k] = Substring(out[k].utf8.prefix(keep)) }
        return (out.joined(separator: "\n"), definitions)
    }

    /// How many `>` markers start the line, and the bytes they take with the spaces
    /// around them (a `>` then at most one space each, as CommonMark reads them).
    static func quotes(_ line: Substring) -> (depth: Int, prefix: Int) {
        // Most lines start with neither: no copy of their bytes.
        guard let first = line.utf8.first, first == 0x20 || first == UInt8(ascii: ">") else { return (0, 0) }
        let u = Array(line.utf8.prefix(64))
        var depth = 0, at = 0, prefix = 0
        while true {
            var k = at, spaces = 0
            while k < u.count, u[k] == 0x20, spaces < 3 { k += 1; spaces += 1 }
            guard k < u.count, u[k] == UInt8(ascii: ">") else { break }
            k += 1
            if k < u.count, u[k] == 0x20 { k += 1 }
            depth += 1
            at = k
            prefix = k
        }
        return (depth, prefix)
    }

    static func isBlank(_ line: Substring) -> Bool {
        line.utf8.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }

    /// `[^label]:` at the start of a line (after up to three spaces): the label and the
    /// byte offset where the text after it starts.
    static func start(_ line: Substring) -> (String, Int)? {
        // Most lines fail at once: no `[` within the first four bytes.
        guard line.utf8.prefix(4).contains(UInt8(ascii: "[")) else { return nil }
        let u = Array(line.utf8)
        var i = 0
        while i < u.count, i < 3, u[i] == 0x20 { i += 1 }
        guard i + 2 < u.count, u[i] == UInt8(ascii: "["), u[i + 1] == UInt8(ascii: "^") else { return nil }
        var j = i + 2
        while j < u.count, u[j] != UInt8(ascii: "]"), u[j] != 0x20, u[j] != 0x09 { j += 1 }
        guard j > i + 2, j + 1 < u.count, u[j] == UInt8(ascii: "]"), u[j + 1] == UInt8(ascii: ":") else { return nil }
        var k = j + 2
        while k < u.count, u[k] == 0x20 || u[k] == 0x09 { k += 1 }
        return (String(decoding: u[(i + 2)..<j], as: UTF8.self), k)
    }

    /// A fence opening or closing a code block: its character and length.
    static func fence(_ line: Substring) -> (marker: Character, count: Int)? {
        let u = line.utf8
        var i = u.startIndex, spaces = 0
        while i < u.endIndex, u[i] == 0x20, spaces < 4 { i = u.index(after: i); spaces += 1 }
        guard spaces <= 3, i < u.endIndex, u[i] == UInt8(ascii: "`") || u[i] == UInt8(ascii: "~") else { return nil }
        let c = u[i]
        var run = 0
        while i < u.endIndex, u[i] == c { i = u.index(after: i); run += 1 }
        return run >= 3 ? (Character(UnicodeScalar(c)), run) : nil
    }

    /// A line that starts another block, so cannot continue a paragraph lazily.
    static func startsBlock(_ line: Substring) -> Bool {
        let t = line.drop { $0 == " " }
        guard let c = t.first else { return false }
        if "#>".contains(c) || fence(line) != nil { return true }
        if "-*+".contains(c), t.dropFirst().first.map({ $0 == " " }) ?? true { return true }
        let digits = t.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty, let after = t.dropFirst(digits.count).first, after == "." || after == ")" { return true }
        return false
    }
}

/// Footnote references in the text, numbered in order of first reference, and the notes
/// they lead to.
struct FootnoteRegistry {
    var definitions: [String: FootnoteDefinition] = [:]
    /// Labels (lowercased) in order of first reference, and each one's number.
    private(set) var order: [String] = []
    private var numbers: [String: Int] = [:]
    /// References so far to each label.
    private(set) var referenceCount: [String: Int] = [:]

    init(_ list: [FootnoteDefinition], path: String, lineOffset: Int, warnings: inout [Diagnostic]) {
        for d in list {
            let key = d.label.lowercased()
            if definitions[key] != nil {
                warnings.append(.warning("footnote '\(d.label)' is defined twice; the first definition is used",
                                         at: SourceLocation(path: path, line: d.line + lineOffset, column: 1)))
                continue
            }
            definitions[key] = d
        }
    }

    static func id(_ key: String) -> String { Slug.make(key).isEmpty ? "x" : Slug.make(key) }

    /// A reference to `label`: its superscript link, or nil when nothing defines it.
    mutating func reference(_ label: String) -> String? {
        let key = label.lowercased()
        guard definitions[key] != nil else { return nil }
        if numbers[key] == nil {
            order.append(key)
            numbers[key] = order.count
        }
        let n = (referenceCount[key] ?? 0) + 1
        referenceCount[key] = n
        let number = numbers[key]!
        let id = Self.id(key)
        let refID = n == 1 ? "fnref-\(id)" : "fnref-\(id)-\(n)"
        return "<sup class=\"footnote-ref\"><a href=\"#fn-\(id)\" id=\"\(refID)\" aria-describedby=\"footnote-label\">\(number)</a></sup>"
    }

    /// The back links from note `key` to each of its references.
    /// `label`: the link's label, `{n}` the reference's number ("Back to reference {n}").
    func backReferences(_ key: String, label pattern: String = "Back to reference {n}") -> String {
        let id = Self.id(key), number = numbers[key] ?? 1
        return (1...max(1, referenceCount[key] ?? 1)).map { n in
            let target = n == 1 ? "fnref-\(id)" : "fnref-\(id)-\(n)"
            let label = HTML.escape(pattern.replacingOccurrences(of: "{n}", with: n == 1 ? "\(number)" : "\(number)-\(n)"))
            return "<a href=\"#\(target)\" class=\"footnote-backref\" aria-label=\"\(label)\">↩\(n == 1 ? "" : "<sup>\(n)</sup>")</a>"
        }.joined(separator: " ")
    }

    /// Replaces `[^label]` in the text under `root` with references; a label that nothing
    /// defines is a warning at its place and stays as text.
    mutating func link(under root: OpaquePointer, path: String, lineOffset: Int, warnings: inout [Diagnostic]) {
        for run in MarkdownTree.textRuns(under: root, holding: 0x5E) {  // `^`
            linkRun(run, path: path, lineOffset: lineOffset, warnings: &warnings)
        }
    }

    private mutating func linkRun(_ run: [OpaquePointer], path: String, lineOffset: Int, warnings: inout [Diagnostic]) {
        guard let first = run.first else { return }
        let text = MarkdownTree.text(of: run)
        guard text.contains("[^") else { return }
        var pieces: [(text: String, html: String?)] = []
        var rest = text[...]
        var changed = false
        while let open = rest.range(of: "[^") {
            let after = rest[open.upperBound...]
            guard let close = after.firstIndex(of: "]") else { break }
            let label = after[..<close]
            guard !label.isEmpty, !label.contains(where: { $0 == " " || $0 == "\t" || $0 == "\n" }) else {
                pieces.append((String(rest[..<open.upperBound]), nil))
                rest = after
                continue
            }
            pieces.append((String(rest[..<open.lowerBound]), nil))
            if let html = reference(String(label)) {
                pieces.append(("", html))
                changed = true
            } else {
                // The run is one line of source: the reference's byte offset in it.
                let line = Int(cmark_node_get_start_line(first)) + lineOffset
                let column = Int(cmark_node_get_start_column(first)) + text.utf8.distance(from: text.startIndex, to: open.lowerBound)
                warnings.append(.warning("footnote '[^\(label)]' has no definition: add '[^\(label)]: …' on a line of its own",
                                         at: SourceLocation(path: path, line: max(1, line), column: max(1, column))))
                pieces.append(("[^" + label + "]", nil))
            }
            rest = after[after.index(after: close)...]
        }
        guard changed else { return }
        pieces.append((String(rest), nil))
        MarkdownTree.replace(run: run, with: pieces)
    }

    /// Definitions nothing referred to: a warning each.
    func unused(path: String, lineOffset: Int) -> [Diagnostic] {
        definitions.filter { referenceCount[$0.key] == nil }.values.sorted { $0.line < $1.line }.map {
            .warning("footnote '\($0.label)' is defined but never referred to with [^\($0.label)]",
                     at: SourceLocation(path: path, line: $0.line + lineOffset, column: 1))
        }
    }
}
