internal import CCmark
internal import CBytes
import DossierCite
import DossierCore
import Foundation

/// The one place that touches cmark's C API: parse, walk, rewrite headings and directive
/// blocks, render, free. Nothing of cmark leaves this file.
public enum MarkdownRenderer {
    /// Renders `text` (the Markdown body of the file at `path`, starting at file line
    /// `firstLine`). Directive blocks are handed to `resolveDirective`, whose HTML is
    /// inserted as is; every directive's errors are collected before throwing.
    public static func render(
        _ text: String, path: String, firstLine: Int = 1, options: MarkdownOptions = MarkdownOptions(),
        citations: CitationProcessor? = nil, relativeLinks: RelativeLinks? = nil,
        resolveDirective: (Directive) throws -> DirectiveOutput = { d in
            throw DiagnosticError(.error("'\(d.kind)' blocks are not available here", at: d.location))
        }
    ) throws(DiagnosticError) -> RenderedMarkdown {
        let flags = flags(for: options)
        var text = text, definitions: [FootnoteDefinition] = []
        if options.extensions.contains(.footnotes) { (text, definitions) = FootnoteDefinition.extract(from: text) }
        guard let root = parse(text, flags) else {
            throw DiagnosticError(.error("cmark could not parse this file", at: SourceLocation(path: path, line: firstLine)))
        }
        defer { cmark_node_free(root) }

        let lineOffset = firstLine - 1
        var extensions = ExtensionPass(source: MarkdownSource(text), options: options, flags: flags, path: path, lineOffset: lineOffset,
                                       footnotes: definitions, citations: citations, relativeLinks: relativeLinks)
        extensions.run(root)
        var facts = TreeFacts(path: path, lineOffset: lineOffset, urls: options.urls, relativeLinks: relativeLinks)
        facts.walk(root)
        facts.links += extensions.links
        facts.wordCount += extensions.words
        let figures = try resolveDirectives(facts.directiveNodes, path: path, lineOffset: lineOffset, resolve: resolveDirective)
        let headings = try identifyHeadings(facts.headingNodes, attributes: extensions.headingAttributes, reserved: extensions.reservedIDs,
                                            lineOffset: lineOffset, flags: flags)
        let html = try extensions.crossReferences.resolve(renderHTML(root, flags), figures: figures, headings: headings)
        facts.endBlock(summarise: true)
        var rendered = RenderedMarkdown(html: html, headings: headings, links: facts.links, firstParagraph: facts.firstParagraph ?? "",
                                        wordCount: facts.wordCount)
        rendered.warnings = extensions.warnings
        rendered.cited = citations?.cited ?? []
        return rendered
    }

    /// What one walk over the tree gathers: the headings and directive blocks to rewrite,
    /// the links (their URLs given the base path as it goes), the word count, and the
    /// first paragraph long enough to summarise the page.
    private struct TreeFacts {
        let path: String
        let lineOffset: Int
        let urls: SiteURLs
        let relativeLinks: RelativeLinks?
        var headingNodes: [OpaquePointer] = []
        var directiveNodes: [OpaquePointer] = []
        var links: [LinkReference] = []
        var wordCount = 0
        var firstParagraph: String?
        // Plain text, a block at a time: words are counted on cmark's own bytes, and the
        // text is kept only until the first paragraph long enough to summarise the page.
        private var words = WordCounter()
        private var block: [UInt8] = []

        init(path: String, lineOffset: Int, urls: SiteURLs, relativeLinks: RelativeLinks?) {
            self.path = path
            self.lineOffset = lineOffset
            self.urls = urls
            self.relativeLinks = relativeLinks
        }

        mutating func walk(_ root: OpaquePointer) {
            let iterator = cmark_iter_new(root)
            defer { cmark_iter_free(iterator) }
            while true {
                let event = cmark_iter_next(iterator)
                if event == CMARK_EVENT_DONE { break }
                guard let node = cmark_iter_get_node(iterator) else { continue }
                let type = cmark_node_get_type(node)
                if event == CMARK_EVENT_ENTER {
                    enter(node, type)
                } else if type == CMARK_NODE_PARAGRAPH || type == CMARK_NODE_HEADING || type == CMARK_NODE_ITEM {
                    endBlock(summarise: true)
                }
            }
        }

        private mutating func enter(_ node: OpaquePointer, _ type: cmark_node_type) {
            switch type {
            case CMARK_NODE_HEADING:
                headingNodes.append(node)
            case CMARK_NODE_CODE_BLOCK:
                let info = string(cmark_node_get_fence_info(node)).trimmingSpaces
                let kind = info.split(separator: " ").first.map(String.init) ?? ""
                if Directive.kinds.contains(kind) { directiveNodes.append(node) } else {
                    endBlock(summarise: true)
                    add(cmark_node_get_literal(node))
                    endBlock(summarise: false)
                }
            case CMARK_NODE_TEXT, CMARK_NODE_CODE:
                add(cmark_node_get_literal(node))
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                withUnsafeBytes(of: UInt8(0x20)) { words.count($0) }
                if firstParagraph == nil { block.append(0x20) }
            case CMARK_NODE_LINK, CMARK_NODE_IMAGE:
                // A relative link to a file or page beside this one: its site path.
                let written = string(cmark_node_get_url(node))
                let url = relativeLinks?(written) ?? written
                let published = urls.markdownLink(url)
                if published != written { cmark_node_set_url(node, published) }
                links.append(LinkReference(
                    url: url, isImage: type == CMARK_NODE_IMAGE,
                    text: type == CMARK_NODE_IMAGE ? inlineText(node) : "",
                    location: SourceLocation(path: path, line: Int(cmark_node_get_start_line(node)) + lineOffset,
                                             column: Int(max(1, cmark_node_get_start_column(node))))))
            default: break
            }
        }

        private mutating func add(_ text: UnsafePointer<CChar>?) {
            guard let text else { return }
            let bytes = UnsafeRawBufferPointer(start: text, count: strlen(text))
            words.count(bytes)
            if firstParagraph == nil { block.append(contentsOf: bytes) }
        }

        /// A block ended: its words count; `summarise`: it may be the summary paragraph.
        mutating func endBlock(summarise: Bool) {
            wordCount += words.words
            if summarise, firstParagraph == nil, words.words > 8 {
                firstParagraph = String(decoding: block, as: UTF8.self).trimmingSpaces
            }
            words = WordCounter()
            block.removeAll(keepingCapacity: true)
        }
    }

    /// Each directive block replaced by what `resolve` makes of it; all their errors together.
    /// Each directive block replaced by its HTML; the labelled ones by label (two blocks
    /// with one label are an error).
    private static func resolveDirectives(_ nodes: [OpaquePointer], path: String, lineOffset: Int,
                                          resolve: (Directive) throws -> DirectiveOutput) throws(DiagnosticError) -> [String: DirectiveOutput] {
        var diagnostics: [Diagnostic] = []
        var labelled: [String: (DirectiveOutput, SourceLocation)] = [:]
        for node in nodes {
            let info = string(cmark_node_get_fence_info(node)).trimmingSpaces
            let line = Int(cmark_node_get_start_line(node)) + lineOffset
            let directive = Directive(
                kind: String(info.split(separator: " ").first ?? ""), body: string(cmark_node_get_literal(node)),
                location: SourceLocation(path: path, line: line, column: Int(max(1, cmark_node_get_start_column(node)))),
                bodyFirstLine: line + 1)
            do {
                let output = try resolve(directive)
                replace(node, withHTML: output.html)
                if let label = output.label {
                    if let first = labelled[label] {
                        diagnostics.append(Diagnostic(.error, "the label '\(label)' is given twice on this page", at: directive.location,
                                                      notes: ["first given at \(first.1)"]))
                    } else {
                        labelled[label] = (output, directive.location)
                    }
                }
            } catch let error as DiagnosticError {
                diagnostics += error.diagnostics
            } catch let error as Diagnostic {
                diagnostics.append(error)
            } catch {
                diagnostics.append(.error("\(error)", at: directive.location))
            }
        }
        guard diagnostics.isEmpty else { throw DiagnosticError(diagnostics) }
        return labelled.mapValues(\.0)
    }

    /// Every heading given a unique id — the one it asked for (`{#id}`), else a slug of its
    /// text — and rendered with it; two headings asking for one id are an error.
    private static func identifyHeadings(_ nodes: [OpaquePointer], attributes: [OpaquePointer: HeadingAttributes], reserved: Set<String>,
                                         lineOffset: Int, flags: Int32) throws(DiagnosticError) -> [Heading] {
        var asked: [String: SourceLocation] = [:]
        var problems: [Diagnostic] = []
        for node in nodes {
            guard let a = attributes[node], let id = a.id else { continue }
            if let earlier = asked[id] {
                problems.append(Diagnostic(.error, "heading id '\(id)' is used twice on this page", at: a.location, notes: ["first used at \(earlier)"]))
            } else if reserved.contains(id) {
                problems.append(.error("heading id '\(id)' is taken by the page's notes", at: a.location))
            }
            asked[id] = asked[id] ?? a.location
        }
        guard problems.isEmpty else { throw DiagnosticError(problems) }
        var ids = UniqueSlugs(taken: Set(asked.keys).union(reserved))
        var headings: [Heading] = []
        for node in nodes {
            let level = Int(cmark_node_get_heading_level(node))
            let title = inlineText(node)
            let id = attributes[node]?.id ?? ids.make(Slug.make(title))
            headings.append(Heading(level: level, id: id, text: title, line: Int(cmark_node_get_start_line(node)) + lineOffset))
            // Render the heading alone, then give its opening tag the id (and classes).
            let rendered = renderHTML(node, flags)
            let open = "<h\(level)>"
            let classes = attributes[node]?.classes ?? []
            let attributesHTML = " id=\"\(HTML.escape(id))\"" + (classes.isEmpty ? "" : " class=\"\(HTML.escape(classes.joined(separator: " ")))\"")
            let html = rendered.hasPrefix(open) ? "<h\(level)\(attributesHTML)>" + rendered.dropFirst(open.count) : rendered
            replace(node, withHTML: html)
        }
        return headings
    }

    /// Renders a Markdown snippet to HTML with no directives or heading ids: the
    /// `markdownify` filter.
    public static func renderFragment(_ text: String, options: MarkdownOptions = MarkdownOptions()) -> String {
        let flags = flags(for: options)
        guard let root = parse(text, flags) else { return "" }
        defer { cmark_node_free(root) }
        var extensions = ExtensionPass(source: MarkdownSource(text), options: options, flags: flags, path: "", lineOffset: 0)
        extensions.run(root)
        return renderHTML(root, flags)
    }

    private static func parse(_ text: String, _ flags: Int32) -> OpaquePointer? { MarkdownTree.parse(text, flags) }
    private static func string(_ pointer: UnsafePointer<CChar>?) -> String { MarkdownTree.string(pointer) }
    private static func renderHTML(_ node: OpaquePointer, _ flags: Int32) -> String { MarkdownTree.renderHTML(node, flags) }
    private static func inlineText(_ node: OpaquePointer) -> String { MarkdownTree.inlineText(node) }
    private static func replace(_ node: OpaquePointer, withHTML html: String) { MarkdownTree.replace(node, withHTML: html) }

    private static func flags(for options: MarkdownOptions) -> Int32 {
        var flags = CMARK_OPT_DEFAULT
        if options.allowRawHTML { flags |= CMARK_OPT_UNSAFE }
        if options.smartPunctuation { flags |= CMARK_OPT_SMART }
        return flags
    }

    /// Counts words (runs of non-space bytes) over text that arrives in pieces: a word
    /// split between two text nodes (`foo*bar*`) counts once. The counting is C (see
    /// Sources/CBytes/words.c): 16 bytes at a time.
    struct WordCounter {
        var words = 0
        /// 1 when the last byte seen was a space (or nothing was seen yet).
        private var afterSpace: Int32 = 1

        mutating func count(_ bytes: UnsafeRawBufferPointer) {
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
            words += dossier_count_words(base.assumingMemoryBound(to: UInt8.self), bytes.count, &afterSpace)
        }
    }
}
