internal import CCmark
import DossierCore
import Foundation

/// Callouts: GitHub's `> [!NOTE]` alerts and a briefing's own kinds, as `<aside>`.
enum Callouts {
    /// Marker (upper case) → the name readers see and the class suffix.
    static let kinds: [String: (label: String, cls: String)] = [
        "NOTE": ("Note", "note"), "TIP": ("Tip", "tip"), "IMPORTANT": ("Important", "important"),
        "WARNING": ("Warning", "warning"), "CAUTION": ("Caution", "caution"),
        "KEY FINDING": ("Key finding", "key-finding"), "METHOD": ("Method", "method"),
    ]

    /// `[!KIND] optional title` at the start of a line: the kind as written and the title.
    static func marker(_ line: Substring) -> (kind: String, title: String)? {
        guard line.hasPrefix("[!"), let close = line.firstIndex(of: "]") else { return nil }
        let kind = line[line.index(line.startIndex, offsetBy: 2)..<close]
        guard !kind.isEmpty, kind.allSatisfy({ $0.isLetter || $0 == " " || $0 == "-" }) else { return nil }
        return (String(kind), line[line.index(after: close)...].trimmingCharacters(in: .whitespaces))
    }

    /// Every kind's class.
    static var classes: [String] { kinds.values.map(\.cls).sorted() }

    /// `labels`: the names readers see in the page's language, by class (English otherwise).
    static func apply(_ root: OpaquePointer, source: MarkdownSource, path: String, lineOffset: Int, labels: [String: String] = [:],
                      warnings: inout [Diagnostic]) {
        var quotes: [OpaquePointer] = []
        MarkdownTree.forEach(root) { node, type in if type == CMARK_NODE_BLOCK_QUOTE { quotes.append(node) } }
        for quote in quotes {
            guard let paragraph = cmark_node_first_child(quote), cmark_node_get_type(paragraph) == CMARK_NODE_PARAGRAPH,
                  let first = source.lines(of: paragraph).first, let (written, title) = marker(first.text) else { continue }
            guard var kind = kinds[written.uppercased()] else {
                let known = kinds.keys.sorted().map { "[!\($0)]" }.joined(separator: ", ")
                warnings.append(.warning("unknown callout '[!\(written)]'\(SourceText.didYouMean(written.uppercased(), in: kinds.keys)): it is shown as a plain quote; callouts: \(known)",
                                         at: SourceLocation(path: path, line: first.line + lineOffset, column: first.column)))
                continue
            }
            kind.label = labels[kind.cls] ?? kind.label
            // The marker's line leaves the paragraph (all of it, if it was the only line).
            var child = cmark_node_first_child(paragraph)
            while let c = child {
                child = cmark_node_next(c)
                let type = cmark_node_get_type(c)
                cmark_node_free(c)
                if type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK { break }
            }
            if cmark_node_first_child(paragraph) == nil { cmark_node_free(paragraph) }
            // A title of its own follows the kind's name, which stays visible.
            let shown = title.isEmpty ? HTML.escape(kind.label) : "<span class=\"callout-kind\">\(HTML.escape(kind.label))</span> " + HTML.escape(title)
            let name = title.isEmpty ? kind.label : kind.label + ": " + title
            guard let aside = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK) else { continue }
            cmark_node_set_on_enter(aside, "<aside class=\"callout callout-\(kind.cls)\" aria-label=\"\(HTML.escape(name))\">\n"
                                    + "<p class=\"callout-title\">\(shown)</p>\n")
            cmark_node_set_on_exit(aside, "</aside>\n")
            for c in MarkdownTree.children(quote) { cmark_node_append_child(aside, c) }
            cmark_node_replace(quote, aside)
            cmark_node_free(quote)
        }
    }
}

/// `## Title {#custom-id .class}`: the id and classes a heading asks for, taken out of its text.
struct HeadingAttributes {
    var id: String?
    var classes: [String]
    var location: SourceLocation

    /// Every heading with attributes, its text stripped of them; a malformed `{…}` is a warning.
    static func take(from root: OpaquePointer, path: String, lineOffset: Int, warnings: inout [Diagnostic]) -> [OpaquePointer: HeadingAttributes] {
        var found: [OpaquePointer: HeadingAttributes] = [:]
        var headings: [OpaquePointer] = []
        MarkdownTree.forEach(root) { node, type in if type == CMARK_NODE_HEADING { headings.append(node) } }
        for heading in headings {
            guard let last = cmark_node_last_child(heading), cmark_node_get_type(last) == CMARK_NODE_TEXT else { continue }
            let literal = MarkdownTree.string(cmark_node_get_literal(last))
            guard literal.hasSuffix("}"), let open = literal.range(of: "{", options: .backwards) else { continue }
            let inside = literal[open.upperBound..<literal.index(before: literal.endIndex)]
            let parts = inside.split(separator: " ")
            guard !parts.isEmpty, parts.allSatisfy({ $0.hasPrefix("#") || $0.hasPrefix(".") }) else {
                if inside.hasPrefix("#") || inside.hasPrefix(".") {
                    warnings.append(.warning("heading attributes take only '#id' and '.class', e.g. {#overview .wide}: '{\(inside)}' is left in the text",
                                             at: SourceLocation(path: path, line: Int(cmark_node_get_start_line(heading)) + lineOffset, column: 1)))
                }
                continue
            }
            var attributes = HeadingAttributes(id: nil, classes: [], location: SourceLocation(
                path: path, line: Int(cmark_node_get_start_line(heading)) + lineOffset, column: 1))
            for part in parts {
                let value = String(part.dropFirst())
                guard !value.isEmpty, value.allSatisfy({ $0.isLetter || $0.isNumber || "-_:.".contains($0) }) else {
                    warnings.append(.warning("'\(part)' is not a usable id or class (letters, digits, '-', '_')", at: attributes.location))
                    continue
                }
                if part.hasPrefix("#") { attributes.id = value } else { attributes.classes.append(value) }
            }
            let kept = literal[..<open.lowerBound].trimmingCharacters(in: .whitespaces)
            if kept.isEmpty, cmark_node_previous(last) != nil { cmark_node_free(last) } else { cmark_node_set_literal(last, kept) }
            found[heading] = attributes
        }
        return found
    }
}

/// Definition lists: a term's line, then `: definition` lines (PHP Markdown Extra, pandoc).
enum DefinitionLists {
    /// `: ` (or a lone `:`) starting a line: a definition.
    static func isMarker(_ text: Substring) -> Bool { text.hasPrefix(": ") || text == ":" || text.hasPrefix(":\t") }

    /// Where in a paragraph's lines the first `: ` line comes after at least one term.
    static func find(_ lines: [SourceLine]) -> Int? {
        guard lines.count >= 2, !isMarker(lines[0].text) else { return nil }
        return lines.firstIndex { isMarker($0.text) }
    }

    /// Lines from a `: ` line on, as definitions: each `: ` line starts one (its marker
    /// dropped), and the lines after it that do not start one continue it.
    static func definitions(_ lines: ArraySlice<SourceLine>) -> [[SourceLine]] {
        var out: [[SourceLine]] = []
        for line in lines {
            if isMarker(line.text) {
                let skip = line.text.count > 1 ? 2 : 1
                out.append([SourceLine(text: line.text.dropFirst(skip), line: line.line, column: line.column + skip)])
            } else if !out.isEmpty {
                out[out.count - 1].append(line)
            }
        }
        return out
    }
}

/// Syntax from other tools that Dossier does not render: each a located warning that says
/// what to write instead, never silently published as text.
enum UnsupportedSyntax {
    static func check(_ root: OpaquePointer, source: MarkdownSource, rawHTML: Bool, path: String, lineOffset: Int, warnings: inout [Diagnostic]) {
        var seenLines: Set<Int> = []
        func warn(_ message: String, line: Int, column: Int = 1) {
            guard seenLines.insert(line).inserted else { return }
            warnings.append(.warning(message, at: SourceLocation(path: path, line: line + lineOffset, column: max(1, column))))
        }
        MarkdownTree.forEach(root) { node, type in
            let line = Int(cmark_node_get_start_line(node)), column = Int(cmark_node_get_start_column(node))
            switch type {
            case CMARK_NODE_TEXT:
                guard let literal = cmark_node_get_literal(node) else { return }
                if strstr(literal, "{{<") != nil || strstr(literal, "{{%") != nil {
                    warn("a Hugo shortcode ({{< … >}} or {{% … %}}) is not something Dossier runs; it is shown as text: write it as Markdown (an image as ![alt](src), a chart or table as a ```chart or ```table block)",
                         line: line, column: column)
                }
            case CMARK_NODE_PARAGRAPH:
                guard let first = source.lines(of: node).first?.text else { return }
                if first.hasPrefix("$$") {
                    warn("display math ($$ … $$) is not rendered: Dossier has no math typesetting; write the formula in words, or as an image with alt text", line: line, column: column)
                } else if first.hasPrefix(":::"), !ReferencesDiv.isPart(node, source: source) {
                    warn("a ':::' fenced div (pandoc, Docusaurus) is not supported and is shown as text: for a callout write '> [!NOTE]' and the text in the quote", line: line, column: column)
                }
            case CMARK_NODE_HTML_BLOCK, CMARK_NODE_HTML_INLINE:
                if !rawHTML {
                    warn("raw HTML is left out of the page (markdown: raw_html is off in site.yaml): write it as Markdown, or turn raw_html on if you trust every author",
                         line: line, column: column)
                }
            default: break
            }
        }
    }
}

/// Where the reference list goes when the author says (pandoc's and Quarto's div):
/// `::: references` (or `::: {#refs}`), then `:::`, as one paragraph or two.
enum ReferencesDiv {
    static func isOpening(_ text: Substring) -> Bool {
        let t = text.trimmingCharacters(in: .whitespaces)
        return t == "::: references" || t == "::: {#refs}" || t == "::: {.references}" || t == ":::references"
    }

    static func isClosing(_ text: Substring) -> Bool { text.trimmingCharacters(in: .whitespaces) == ":::" }

    /// The paragraph opens the div (with or without its closing line), or closes one.
    static func isPart(_ node: OpaquePointer, source: MarkdownSource) -> Bool {
        let lines = source.lines(of: node)
        guard let first = lines.first?.text else { return false }
        if isOpening(first) { return lines.count == 1 || (lines.count == 2 && isClosing(lines[1].text)) }
        if isClosing(first), lines.count == 1, let previous = cmark_node_previous(node),
           cmark_node_get_type(previous) == CMARK_NODE_PARAGRAPH, let p = source.lines(of: previous).first?.text {
            return isOpening(p)
        }
        return false
    }

    /// The div's nodes (one paragraph, or the opening and closing ones), if the document has it.
    static func find(in root: OpaquePointer, source: MarkdownSource) -> [OpaquePointer]? {
        for node in MarkdownTree.children(root) where cmark_node_get_type(node) == CMARK_NODE_PARAGRAPH {
            let lines = source.lines(of: node)
            guard let first = lines.first?.text, isOpening(first) else { continue }
            if lines.count == 2, isClosing(lines[1].text) { return [node] }
            if lines.count == 1, let next = cmark_node_next(node), cmark_node_get_type(next) == CMARK_NODE_PARAGRAPH,
               source.lines(of: next).count == 1, let t = source.lines(of: next).first?.text, isClosing(t) {
                return [node, next]
            }
        }
        return nil
    }
}
