internal import CCmark
import DossierCite
import DossierCore
import Foundation

/// Dossier's Markdown beyond CommonMark, built on cmark's tree: after cmark has parsed a
/// document, these passes find what it read as plain paragraphs and text — pipe tables,
/// `~~strikethrough~~`, bare `www.` links, task-list markers — and rewrite those nodes.
/// A document without the syntax comes out of them untouched.
///
/// Where the tree has lost what an extension needs (a table's `\|` escapes and the raw text
/// of its delimiter row, which smart punctuation would turn into dashes), the pass reads the
/// paragraph's own source lines again.
struct ExtensionPass {
    let source: MarkdownSource
    let options: MarkdownOptions
    let flags: Int32
    let path: String
    let lineOffset: Int
    /// Links inside what the passes rendered themselves (table cells), located in the file.
    var links: [LinkReference] = []
    /// Words inside what the passes rendered themselves.
    var words = 0
    /// What the passes found but could not use (a footnote without a definition…).
    var warnings: [Diagnostic] = []
    private var footnotes: FootnoteRegistry
    /// Headings that asked for an id or classes (`## Title {#id}`).
    var headingAttributes: [OpaquePointer: HeadingAttributes] = [:]
    /// Ids the passes gave elements of their own (the notes' heading).
    var reservedIDs: Set<String> = []
    /// The page's citations and reference list, when the site has a bibliography.
    let citations: CitationProcessor?
    let relativeLinks: RelativeLinks?
    /// `@fig-…`, `@tbl-…`, `@sec-…` found, set once the page's figures and headings are known.
    var crossReferences = CrossReferences()
    /// The text or its notes (taken out of it) may hold cross-references.
    private let mayHoldCrossReference: Bool
    /// The notes' section, once made (the reference list goes before it).
    private var notesSection: OpaquePointer?

    init(source: MarkdownSource, options: MarkdownOptions, flags: Int32, path: String, lineOffset: Int,
         footnotes definitions: [FootnoteDefinition] = [], citations: CitationProcessor? = nil, relativeLinks: RelativeLinks? = nil) {
        self.citations = citations
        self.relativeLinks = relativeLinks
        mayHoldCrossReference = source.mayHoldCrossReference || definitions.contains { d in CrossReferences.prefixes.contains { d.text.contains("@" + $0) } }
        self.source = source
        self.options = options
        self.flags = flags
        self.path = path
        self.lineOffset = lineOffset
        var warnings: [Diagnostic] = []
        footnotes = FootnoteRegistry(definitions, path: path, lineOffset: lineOffset, warnings: &warnings)
        self.warnings = warnings
    }

    mutating func run(_ root: OpaquePointer) {
        // Most documents hold none of the syntax: each pass runs only where the text could.
        if source.mayHoldForeign {
            UnsupportedSyntax.check(root, source: source, rawHTML: options.allowRawHTML, path: path, lineOffset: lineOffset, warnings: &warnings)
        }
        if options.extensions.contains(.tables) { pipeTables(root) }
        if options.extensions.contains(.definitionLists), source.mayHoldDefinition { definitionLists(root) }
        if options.extensions.contains(.callouts), source.mayHoldCallout {
            Callouts.apply(root, source: source, path: path, lineOffset: lineOffset, labels: options.text.calloutLabels, warnings: &warnings)
        }
        if options.extensions.contains(.headingAttributes), source.mayHoldHeadingAttributes {
            headingAttributes = HeadingAttributes.take(from: root, path: path, lineOffset: lineOffset, warnings: &warnings)
        }
        if options.extensions.contains(.taskLists), source.mayHoldTask { TaskLists.mark(root) }
        var inline = options.extensions
        if !source.mayHoldTilde { inline.remove(.strikethrough) }
        if !source.mayHoldAutolink { inline.remove(.autolinks) }
        InlineExtensions(extensions: inline).apply(to: root)
        if options.allowRawHTML, options.extensions.contains(.tagFilter) { TagFilter.apply(to: root) }
        if source.mayHoldCitation { cite(under: root, lineOffset: lineOffset) }
        if options.extensions.contains(.footnotes) { notes(root) }
        referenceList(root)
    }

    // MARK: Citations

    private mutating func cite(under root: OpaquePointer, lineOffset: Int) {
        guard citations != nil || mayHoldCrossReference else { return }
        var crossReferences = self.crossReferences
        var problems: [Diagnostic] = []
        let citations = self.citations
        CitationLinker.link(under: root, path: path, lineOffset: lineOffset) { citation in
            let crossing = citation.items.filter { CrossReferences.isCrossReference($0.key) }
            guard !crossing.isEmpty else { return citations?.render(citation) }
            guard crossing.count == citation.items.count else {
                problems.append(.warning("a citation cannot mix cross-references (@fig-, @tbl-, @sec-) with works: write them apart; it is shown as written",
                                         at: citation.location))
                return nil
            }
            return citation.items.map { crossReferences.placeholder($0.key, bare: $0.suppressAuthor, at: citation.location) }
                .joined(separator: ", ")
        }
        self.crossReferences = crossReferences
        warnings += problems
        if let citations { warnings += citations.takeWarnings() }
    }

    /// The works the page cited, after its text and before its notes.
    private mutating func referenceList(_ root: OpaquePointer) {
        let html = citations?.listInContent == false ? "" : citations?.referenceListHTML() ?? ""
        let div = source.mayHoldDiv ? ReferencesDiv.find(in: root, source: source) : nil
        if html.isEmpty, let div {
            let at = SourceLocation(path: path, line: Int(cmark_node_get_start_line(div[0])) + lineOffset, column: 1)
            warnings.append(.warning("'::: references' marks where the reference list goes, but this page cites no work, so it is left out", at: at))
            for node in div { cmark_node_free(node) }
        }
        guard !html.isEmpty, let section = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK) else { return }
        reservedIDs.insert("references-title")
        cmark_node_set_on_enter(section, html)
        cmark_node_set_on_exit(section, "")
        if let div {
            // Where the author put `::: references`.
            cmark_node_insert_before(div[0], section)
            for node in div { cmark_node_free(node) }
        } else if let last = cmark_node_last_child(root), notesSection == last {
            cmark_node_insert_before(last, section)
        } else {
            cmark_node_append_child(root, section)
        }
    }

    // MARK: Footnotes

    /// References linked, then the notes they lead to, in order of first reference, as the
    /// document's last block (a note's own references add notes after it).
    private mutating func notes(_ root: OpaquePointer) {
        guard !footnotes.definitions.isEmpty || source.mayHoldFootnote else { return }
        footnotes.link(under: root, path: path, lineOffset: lineOffset, warnings: &warnings)
        var items: [String] = []
        var k = 0
        while k < footnotes.order.count {
            let key = footnotes.order[k]
            items.append(note(key, footnotes.definitions[key]!))
            k += 1
        }
        warnings += footnotes.unused(path: path, lineOffset: lineOffset)
        guard !items.isEmpty, let section = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK) else { return }
        reservedIDs.insert("footnote-label")
        cmark_node_set_on_enter(section, "<section class=\"footnotes\" aria-labelledby=\"footnote-label\">\n"
            + "<h2 id=\"footnote-label\" class=\"footnotes-title\">\(HTML.escape(options.text.notesTitle))</h2>\n<ol>\n" + items.joined() + "</ol>\n</section>\n")
        cmark_node_set_on_exit(section, "")
        cmark_node_append_child(root, section)
        notesSection = section
    }

    /// One note: its Markdown rendered with the extensions, its links located in the file,
    /// the way back to its references at the end of its last paragraph.
    private mutating func note(_ key: String, _ definition: FootnoteDefinition) -> String {
        guard let root = MarkdownTree.parse(definition.text, flags) else { return "" }
        defer { cmark_node_free(root) }
        if options.extensions.contains(.taskLists) { TaskLists.mark(root) }
        InlineExtensions(extensions: options.extensions).apply(to: root)
        if options.allowRawHTML, options.extensions.contains(.tagFilter) { TagFilter.apply(to: root) }
        footnotes.link(under: root, path: path, lineOffset: lineOffset + definition.line - 1, warnings: &warnings)
        cite(under: root, lineOffset: lineOffset + definition.line - 1)
        record(root) { line, column in
            (definition.line + line - 1, line == 1 ? definition.column + column - 1 : column + 4)
        }
        let back = footnotes.backReferences(key, label: options.text.backToReference)
        if let last = cmark_node_last_child(root), cmark_node_get_type(last) == CMARK_NODE_PARAGRAPH, let links = MarkdownTree.wrapper(" " + back, "") {
            cmark_node_append_child(last, links)
        } else if let block = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK) {
            cmark_node_set_on_enter(block, "<p>" + back + "</p>\n")
            cmark_node_set_on_exit(block, "")
            cmark_node_append_child(root, block)
        }
        return "<li id=\"fn-\(FootnoteRegistry.id(key))\">\n" + MarkdownTree.renderHTML(root, flags) + "</li>\n"
    }

    /// Records the links under `root` (giving root-relative ones the base path) and counts
    /// its words; `locate` turns a line and byte column of the fragment into the file's.
    private mutating func record(_ root: OpaquePointer, locate: (Int, Int) -> (line: Int, column: Int)) {
        MarkdownTree.forEach(root) { node, type in
            switch type {
            case CMARK_NODE_LINK, CMARK_NODE_IMAGE:
                let written = MarkdownTree.string(cmark_node_get_url(node))
                let url = relativeLinks?(written) ?? written
                let published = options.urls.markdownLink(url)
                if published != written { cmark_node_set_url(node, published) }
                let at = locate(max(1, Int(cmark_node_get_start_line(node))), max(1, Int(cmark_node_get_start_column(node))))
                links.append(LinkReference(url: url, isImage: type == CMARK_NODE_IMAGE,
                                           text: type == CMARK_NODE_IMAGE ? MarkdownTree.inlineText(node) : "",
                                           location: SourceLocation(path: path, line: at.line + lineOffset, column: max(1, at.column))))
            case CMARK_NODE_TEXT, CMARK_NODE_CODE:
                words += MarkdownTree.string(cmark_node_get_literal(node)).split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\u{A0}" }).count
            default: break
            }
        }
    }

    // MARK: Pipe tables

    private mutating func pipeTables(_ root: OpaquePointer) {
        // A table needs a delimiter row, and so a `|` and a `-` in the document.
        guard source.mayHoldTable else { return }
        var paragraphs: [OpaquePointer] = []
        MarkdownTree.forEach(root) { node, type in
            if type == CMARK_NODE_PARAGRAPH, cmark_node_get_end_line(node) > cmark_node_get_start_line(node) { paragraphs.append(node) }
        }
        for paragraph in paragraphs {
            guard source.hasDelimiterRow(from: Int(cmark_node_get_start_line(paragraph)) + 1, through: Int(cmark_node_get_end_line(paragraph))) else { continue }
            let lines = source.lines(of: paragraph)
            guard lines.count >= 2, let table = PipeTable.find(in: lines) else { continue }
            var html = ""
            if table.start > 0 {
                // Lines before the header stay a paragraph.
                html += renderSnippet(lines[0..<table.start], as: .paragraph)
            }
            html += tableHTML(table, lines: lines)
            MarkdownTree.replace(paragraph, withHTML: html)
        }
    }

    // MARK: Definition lists

    /// Both forms PHP Markdown Extra and pandoc read: tight (`Term` then `: definition` on
    /// the next line, one paragraph to cmark) and loose (a blank line between, so each
    /// definition is a paragraph, and further paragraphs of one are indented four spaces,
    /// which cmark reads as code). Consecutive terms make one list.
    private mutating func definitionLists(_ root: OpaquePointer) {
        var paragraphs: [OpaquePointer] = []
        MarkdownTree.forEach(root) { node, type in
            if type == CMARK_NODE_PARAGRAPH { paragraphs.append(node) }
        }
        var consumed: Set<OpaquePointer> = []
        for paragraph in paragraphs where !consumed.contains(paragraph) {
            let lines = source.lines(of: paragraph)
            if let first = DefinitionLists.find(lines) {
                var html = "<dl>\n"
                for term in lines[0..<first] { html += "<dt>" + renderSnippet([term], as: .inline) + "</dt>\n" }
                for definition in DefinitionLists.definitions(lines[first...]) {
                    html += "<dd>" + renderSnippet(definition[...], as: .inline) + "</dd>\n"
                }
                MarkdownTree.replace(paragraph, withHTML: html + "</dl>\n")
            } else if let html = looseDefinitionList(from: paragraph, terms: lines, consumed: &consumed) {
                MarkdownTree.replace(paragraph, withHTML: html)
            }
        }
    }

    /// The loose list that starts at `paragraph` (its lines the terms), or nil when no
    /// `: ` paragraph follows it; the blocks it takes in are freed and added to `consumed`.
    private mutating func looseDefinitionList(from paragraph: OpaquePointer, terms: [SourceLine],
                                              consumed: inout Set<OpaquePointer>) -> String? {
        func isDefinition(_ node: OpaquePointer?) -> [SourceLine]? {
            guard let node, cmark_node_get_type(node) == CMARK_NODE_PARAGRAPH else { return nil }
            let lines = source.lines(of: node)
            guard let first = lines.first, DefinitionLists.isMarker(first.text) else { return nil }
            return lines
        }
        guard !terms.isEmpty, !terms.contains(where: { DefinitionLists.isMarker($0.text) }),
              isDefinition(cmark_node_next(paragraph)) != nil else { return nil }
        let column = Int(cmark_node_get_start_column(paragraph))
        var html = "<dl>\n"
        var termNode: OpaquePointer? = paragraph, termLines = terms
        var taken: [OpaquePointer] = []
        while let current = termNode {
            for term in termLines { html += "<dt>" + renderSnippet([term], as: .inline) + "</dt>\n" }
            var next = cmark_node_next(current)
            while let lines = isDefinition(next), let node = next {
                taken.append(node)
                let definitions = DefinitionLists.definitions(lines[...])
                for (k, definition) in definitions.enumerated() {
                    html += "<dd>\n" + renderSnippet(definition[...], as: .paragraph)
                    if k == definitions.count - 1 {
                        // Blocks indented four spaces under it: its further paragraphs.
                        next = cmark_node_next(node)
                        while let more = next, cmark_node_get_type(more) == CMARK_NODE_CODE_BLOCK,
                              Int(cmark_node_get_start_column(more)) >= column + 4 {
                            taken.append(more)
                            let start = Int(cmark_node_get_start_line(more)), indent = Int(cmark_node_get_start_column(more))
                            var literal = MarkdownTree.string(cmark_node_get_literal(more))
                            if literal.hasSuffix("\n") { literal.removeLast() }
                            let blockLines = literal.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map {
                                SourceLine(text: $0.element, line: start + $0.offset, column: indent)
                            }
                            html += renderSnippet(blockLines[...], as: .blocks)
                            next = cmark_node_next(more)
                        }
                    }
                    html += "</dd>\n"
                }
                if definitions.isEmpty { next = cmark_node_next(node) }
            }
            // Another term and its definitions continue the same list.
            termNode = nil
            if let candidate = next, cmark_node_get_type(candidate) == CMARK_NODE_PARAGRAPH, isDefinition(cmark_node_next(candidate)) != nil {
                let lines = source.lines(of: candidate)
                if !lines.contains(where: { DefinitionLists.isMarker($0.text) }) {
                    taken.append(candidate)
                    termNode = candidate
                    termLines = lines
                }
            }
        }
        for node in taken {
            consumed.insert(node)
            cmark_node_free(node)
        }
        return html + "</dl>\n"
    }

    private mutating func tableHTML(_ table: PipeTable, lines: [SourceLine]) -> String {
        func style(_ column: Int) -> String {
            guard column < table.alignments.count, let a = table.alignments[column] else { return "" }
            return " style=\"text-align: \(a.rawValue)\""
        }
        let cells = renderCells(table.header + table.rows.flatMap { $0.prefix(table.header.count) })
        var next = cells.makeIterator()
        var html = "<table>\n<thead>\n<tr>\n"
        for k in table.header.indices { html += "<th\(style(k))>" + (next.next() ?? "") + "</th>\n" }
        html += "</tr>\n</thead>\n"
        if !table.rows.isEmpty {
            html += "<tbody>\n"
            for row in table.rows {
                html += "<tr>\n"
                for k in 0..<table.header.count {
                    html += "<td\(style(k))>" + (k < row.count ? next.next() ?? "" : "") + "</td>\n"
                }
                html += "</tr>\n"
            }
            html += "</tbody>\n"
        }
        return html + "</table>\n"
    }

    /// Every cell's inline HTML, from one cmark parse of them all: each a paragraph of its
    /// own, after a no-break space (which keeps a cell's `# x`, `- x`, fence or `<div>` from
    /// opening a block; being whitespace, it changes no emphasis or quote), with a blank
    /// line between them. One parse per table, not per cell: a tenth of the time.
    private mutating func renderCells(_ cells: [PipeTable.Cell]) -> [String] {
        guard !cells.isEmpty else { return [] }
        let text = cells.map { "\u{A0}" + $0.text }.joined(separator: "\n\n")
        guard let root = MarkdownTree.parse(text, flags) else { return [] }
        defer { cmark_node_free(root) }
        let paragraphs = MarkdownTree.children(root)
        guard paragraphs.count == cells.count, paragraphs.allSatisfy({ cmark_node_get_type($0) == CMARK_NODE_PARAGRAPH }) else {
            // Not one paragraph a cell (cannot happen after the no-break space): cell by cell.
            return cells.map { renderSnippet([SourceLine(text: Substring($0.text), line: $0.line, column: $0.column)], as: .inline) }
        }
        for paragraph in paragraphs { Self.dropLeadingNoBreakSpace(paragraph) }
        InlineExtensions(extensions: options.extensions).apply(to: root)
        if options.extensions.contains(.footnotes) { footnotes.link(under: root, path: path, lineOffset: lineOffset, warnings: &warnings) }
        cite(under: root, lineOffset: lineOffset)
        // Cell k is on line 2k + 1 of the text, its first two bytes the no-break space.
        record(root) { line, column in
            let cell = cells[min(cells.count - 1, (line - 1) / 2)]
            return (cell.line, cell.column + column - 3)
        }
        return paragraphs.map { paragraph in
            let html = MarkdownTree.renderHTML(paragraph, flags)
            return html.hasPrefix("<p>") && html.hasSuffix("</p>\n") ? String(html.dropFirst(3).dropLast(5)) : html
        }
    }

    static func dropLeadingNoBreakSpace(_ paragraph: OpaquePointer) {
        guard let lead = cmark_node_first_child(paragraph), cmark_node_get_type(lead) == CMARK_NODE_TEXT else { return }
        let literal = MarkdownTree.string(cmark_node_get_literal(lead))
        if literal == "\u{A0}" {
            cmark_node_free(lead)
        } else if literal.hasPrefix("\u{A0}") {
            cmark_node_set_literal(lead, String(literal.dropFirst()))
        }
    }

    enum Snippet {
        /// One paragraph's inline content, unwrapped (a cell, a term).
        case inline
        /// One paragraph, in `<p>`.
        case paragraph
        /// Markdown blocks (a definition's further paragraphs, lists, quotes).
        case blocks
    }

    /// Renders source lines with every extension and the site's link handling.
    private mutating func renderSnippet(_ lines: ArraySlice<SourceLine>, as kind: Snippet) -> String {
        guard let first = lines.first else { return "" }
        // For one paragraph, a no-break space first keeps cmark from reading a block marker
        // (`# x`, `- x`, `1.`) at the start, and, being whitespace, changes no emphasis or quote.
        let lead = kind == .blocks ? "" : "\u{A0}"
        let text = lead + lines.map { String($0.text) }.joined(separator: "\n")
        guard let root = MarkdownTree.parse(text, flags) else { return "" }
        defer { cmark_node_free(root) }
        if kind != .blocks, let paragraph = cmark_node_first_child(root) { Self.dropLeadingNoBreakSpace(paragraph) }
        if kind == .blocks, options.extensions.contains(.taskLists) { TaskLists.mark(root) }
        InlineExtensions(extensions: options.extensions).apply(to: root)
        if options.extensions.contains(.footnotes) { footnotes.link(under: root, path: path, lineOffset: lineOffset + first.line - 1, warnings: &warnings) }
        cite(under: root, lineOffset: lineOffset + first.line - 1)
        // Line k of the snippet is `lines[k]`; on the first line the two bytes of the
        // no-break space come before the text.
        record(root) { line, column in
            let source = lines[lines.startIndex + min(line - 1, lines.count - 1)]
            return (source.line, source.column + column - 1 - (line == 1 ? lead.utf8.count : 0))
        }
        var html = MarkdownTree.renderHTML(root, flags)
        if kind == .inline, html.hasPrefix("<p>"), html.hasSuffix("</p>\n") { html = String(html.dropFirst(3).dropLast(5)) }
        return html
    }
}

/// A line of the Markdown source as a block sees it: its text after the markers of the
/// block quotes and list items around it, and where that text starts.
struct SourceLine {
    var text: Substring
    /// The body line (from 1) and byte column (from 1) where `text` starts.
    var line: Int
    var column: Int
}

/// The Markdown body's lines, for passes that read a block's source again. Split only
/// when the text could hold a table at all.
struct MarkdownSource {
    private let lines: [Substring]
    /// The text has a `|` and a `-`.
    let mayHoldTable: Bool

    /// The text has a `~`; a `www.`, `://` or `@`; a `[ ]` or `[x]`; a `[^`; a `[!`; a line
    /// starting `:`; syntax of other tools (`{{<`, `{{%`, `$$`, `:::`) or a `<`.
    let mayHoldTilde: Bool
    let mayHoldFootnote: Bool
    let mayHoldCallout: Bool
    let mayHoldDefinition: Bool
    let mayHoldForeign: Bool
    /// A `{#` or `{.`.
    let mayHoldHeadingAttributes: Bool
    let mayHoldAutolink: Bool
    let mayHoldTask: Bool
    /// An `@` could be there (the autolink test's, which also looks for one).
    var mayHoldCitation: Bool { mayHoldAutolink }
    /// `@fig-`, `@tbl-` or `@sec-`.
    let mayHoldCrossReference: Bool
    /// `:::` (a `::: references` div).
    let mayHoldDiv: Bool

    init(_ text: String) {
        mayHoldDiv = ByteSearch.contains(text, ":::")
        mayHoldCrossReference = ByteSearch.contains(text, "@fig-") || ByteSearch.contains(text, "@tbl-") || ByteSearch.contains(text, "@sec-")
        var flags = (false, false, false, false)
        (mayHoldTable, mayHoldTilde, mayHoldAutolink, mayHoldTask, mayHoldFootnote) = (
            ByteSearch.contains(text, "|") && ByteSearch.contains(text, "-"), ByteSearch.contains(text, "~"),
            ByteSearch.contains(text, "www.") || ByteSearch.contains(text, "://") || ByteSearch.contains(text, "@"),
            ByteSearch.contains(text, "[ ]") || ByteSearch.contains(text, "[x]") || ByteSearch.contains(text, "[X]"), ByteSearch.contains(text, "[^"))
        flags = (ByteSearch.contains(text, "[!"), ByteSearch.contains(text, "\n: "),
                 ["{{<", "{{%", "$$", ":::", "<"].contains { ByteSearch.contains(text, $0) },
                 ByteSearch.contains(text, "{#") || ByteSearch.contains(text, "{."))
        (mayHoldCallout, mayHoldDefinition, mayHoldForeign, mayHoldHeadingAttributes) = flags
        lines = mayHoldTable || mayHoldCallout || mayHoldDefinition || mayHoldForeign
            ? Self.split(text).map { $0.utf8.last == 0x0D ? $0.dropLast() : $0 } : []
    }

    /// `text`'s lines, split on its bytes (splitting on characters was most of the cost).
    static func split(_ text: String) -> [Substring] {
        var copy = text
        // Newline offsets by memchr on the text's bytes, then slices at them.
        let offsets: [Int] = copy.withUTF8 { b in
            guard let base = b.baseAddress else { return [] }
            var found: [Int] = []
            var at = 0
            while at < b.count, let hit = memchr(base + at, 0x0A, b.count - at) {
                let k = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
                found.append(k)
                at = k + 1
            }
            return found
        }
        var out: [Substring] = []
        out.reserveCapacity(offsets.count + 1)
        let u = text.utf8
        var start = u.startIndex, previous = 0
        for k in offsets {
            let newline = u.index(start, offsetBy: k - previous)
            out.append(text[start..<newline])
            start = u.index(after: newline)
            previous = k + 1
        }
        out.append(text[start...])
        return out
    }

    /// Whether one of the lines `first...last` could be a delimiter row: only spaces, tabs,
    /// `|`, `:`, `-` and `>` (a block quote's marker), with a `-`.
    func hasDelimiterRow(from first: Int, through last: Int) -> Bool {
        guard first >= 1, first <= last, last <= lines.count else { return false }
        return (first...last).contains { Self.couldBeDelimiterRow(lines[$0 - 1]) }
    }

    /// Only spaces, tabs, `|`, `:`, `-` and `>`, with a `-`.
    static func couldBeDelimiterRow(_ line: Substring) -> Bool {
        var dash = false
        for b in line.utf8 {
            switch b {
            case UInt8(ascii: "-"): dash = true
            case UInt8(ascii: "|"), UInt8(ascii: ":"), UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: ">"): break
            default: return false
            }
        }
        return dash
    }

    /// The lines of a paragraph, container markers removed: the first from cmark's start
    /// column, the others after one `>` for each block quote around it and any indent.
    func lines(of node: OpaquePointer) -> [SourceLine] {
        let first = Int(cmark_node_get_start_line(node)), last = Int(cmark_node_get_end_line(node))
        guard first >= 1, last >= first, last <= lines.count else { return [] }
        var quotes = 0
        var parent = cmark_node_parent(node)
        while let p = parent {
            if cmark_node_get_type(p) == CMARK_NODE_BLOCK_QUOTE { quotes += 1 }
            parent = cmark_node_parent(p)
        }
        var out: [SourceLine] = []
        for n in first...last {
            let line = lines[n - 1]
            var start = line.utf8.startIndex
            if n == first {
                start = line.utf8.index(start, offsetBy: min(line.utf8.count, max(0, Int(cmark_node_get_start_column(node)) - 1)))
            } else {
                let u = line.utf8
                for _ in 0..<quotes {
                    while start < u.endIndex, u[start] == 0x20 || u[start] == 0x09 { start = u.index(after: start) }
                    guard start < u.endIndex, u[start] == UInt8(ascii: ">") else { break }
                    start = u.index(after: start)
                    if start < u.endIndex, u[start] == 0x20 { start = u.index(after: start) }
                }
                while start < u.endIndex, u[start] == 0x20 || u[start] == 0x09 { start = u.index(after: start) }
            }
            let column = line.utf8.distance(from: line.utf8.startIndex, to: start) + 1
            out.append(SourceLine(text: line[start...], line: n, column: column))
        }
        return out
    }
}

/// A GFM pipe table found in a paragraph's lines.
struct PipeTable {
    enum Alignment: String { case left, center, right }

    struct Cell {
        /// The cell's text, trimmed, `\|` unescaped.
        var text: String
        var line: Int
        var column: Int
    }

    /// The line (of the paragraph) where the header row is; earlier lines are a paragraph.
    var start: Int
    var header: [Cell]
    var alignments: [Alignment?]
    var rows: [[Cell]]

    /// The first header row followed by a delimiter row with as many cells, and the rows after.
    static func find(in lines: [SourceLine]) -> PipeTable? {
        for i in 0..<(lines.count - 1) {
            guard MarkdownSource.couldBeDelimiterRow(lines[i + 1].text), let alignments = delimiterRow(lines[i + 1].text) else { continue }
            let header = cells(lines[i])
            guard header.count == alignments.count, lines[i].text.contains("|") || lines[i + 1].text.contains("|") else { continue }
            let rows = lines[(i + 2)...].map(cells)
            return PipeTable(start: i, header: header, alignments: alignments, rows: rows)
        }
        return nil
    }

    /// `| :--- | ---: |`: each cell dashes with optional colons; nil if it is not one.
    static func delimiterRow(_ text: Substring) -> [Alignment?]? {
        let parts = split(text)
        guard !parts.isEmpty else { return nil }
        var out: [Alignment?] = []
        for part in parts {
            let t = trimmed(part.text)
            let left = t.hasPrefix(":"), right = t.hasSuffix(":") && t.count > 1
            let dashes = t.dropFirst(left ? 1 : 0).dropLast(right ? 1 : 0)
            guard !dashes.isEmpty, dashes.allSatisfy({ $0 == "-" }) else { return nil }
            out.append(left && right ? .center : left ? .left : right ? .right : nil)
        }
        return out
    }

    static func cells(_ line: SourceLine) -> [Cell] {
        split(line.text).map { part in
            // Trim, keeping the column of the first character kept.
            let text = part.text
            let leading = text.prefix { $0 == " " || $0 == "\t" }
            let kept = Self.trimmed(text.dropFirst(leading.count))
            let cell = kept.utf8.contains(UInt8(ascii: "\\")) ? kept.replacingOccurrences(of: "\\|", with: "|") : String(kept)
            return Cell(text: cell, line: line.line,
                        column: line.column + part.offset + leading.utf8.count)
        }
    }

    /// `text` without spaces and tabs at either end.
    static func trimmed(_ text: Substring) -> Substring {
        var t = text
        while let f = t.utf8.first, f == 0x20 || f == 0x09 { t = t.dropFirst() }
        while let l = t.utf8.last, l == 0x20 || l == 0x09 { t = t.dropLast() }
        return t
    }

    /// Splits a row on pipes not escaped with `\` (in code spans too, as GFM does),
    /// dropping the optional outer ones; each part with its byte offset in `text`.
    static func split(_ text: Substring) -> [(text: Substring, offset: Int)] {
        var parts: [(Substring, Int)] = []
        let u = text.utf8
        var partStart = u.startIndex
        var i = u.startIndex
        var escaped = false
        while i < u.endIndex {
            let b = u[i]
            if escaped {
                escaped = false
            } else if b == UInt8(ascii: "\\") {
                escaped = true
            } else if b == UInt8(ascii: "|") {
                parts.append((text[partStart..<i], u.distance(from: u.startIndex, to: partStart)))
                partStart = u.index(after: i)
            }
            i = u.index(after: i)
        }
        parts.append((text[partStart..<u.endIndex], u.distance(from: u.startIndex, to: partStart)))
        // A leading pipe leaves an empty first part; a trailing one, an empty last.
        if let first = parts.first, first.0.allSatisfy({ $0 == " " || $0 == "\t" }), parts.count > 1,
           text.drop(while: { $0 == " " || $0 == "\t" }).hasPrefix("|") {
            parts.removeFirst()
        }
        if let last = parts.last, last.0.allSatisfy({ $0 == " " || $0 == "\t" }), parts.count > 1 {
            parts.removeLast()
        }
        return parts
    }
}

/// Whether UTF-8 text holds a byte string, by `memchr` on the text's own storage (Swift's
/// `String.contains` compares characters, a tenth of the speed on a large body).
enum ByteSearch {
    static func contains(_ text: String, _ needle: StaticString) -> Bool {
        var text = text
        return text.withUTF8 { b in
            guard let base = b.baseAddress else { return false }
            let n = needle.utf8CodeUnitCount, first = Int32(needle.utf8Start.pointee)
            var at = 0
            while at + n <= b.count, let hit = memchr(base + at, first, b.count - at - n + 1) {
                let k = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
                if memcmp(base + k, needle.utf8Start, n) == 0 { return true }
                at = k + 1
            }
            return false
        }
    }
}
