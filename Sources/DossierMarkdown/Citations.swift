internal import CCmark
import DossierCite
import DossierCore
import Foundation

/// Citations in cmark's tree: each `[@key…]` or `@key` in text (never in code, in a link's
/// text or in an autolinked address) replaced by what `render` sets for it (the page's
/// `CitationProcessor`, or a cross-reference); nil leaves it as written.
enum CitationLinker {
    static func link(under root: OpaquePointer, path: String, lineOffset: Int, render: (Citation) -> String?) {
        var containers: [OpaquePointer] = []
        MarkdownTree.forEach(root) { node, type in
            guard type == CMARK_NODE_TEXT, let literal = cmark_node_get_literal(node), strchr(literal, 0x40) != nil,
                  let parent = cmark_node_parent(node), containers.last != parent, !insideLink(node) else { return }
            containers.append(parent)
        }
        for container in containers {
            // cmark splits `[@a]` into the text nodes "[", "@a", "]": read runs together.
            var run: [OpaquePointer] = []
            for child in MarkdownTree.children(container) {
                if cmark_node_get_type(child) == CMARK_NODE_TEXT { run.append(child); continue }
                linkRun(run, path: path, lineOffset: lineOffset, render: render)
                run = []
            }
            linkRun(run, path: path, lineOffset: lineOffset, render: render)
        }
    }

    static func insideLink(_ node: OpaquePointer) -> Bool {
        var p = cmark_node_parent(node)
        while let n = p {
            let t = cmark_node_get_type(n)
            if t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE { return true }
            p = cmark_node_parent(n)
        }
        return false
    }

    private static func linkRun(_ run: [OpaquePointer], path: String, lineOffset: Int, render: (Citation) -> String?) {
        guard let first = run.first else { return }
        let text = run.map { MarkdownTree.string(cmark_node_get_literal($0)) }.joined()
        let matches = CitationSyntax.find(in: text)
        guard !matches.isEmpty else { return }
        var pieces: [(text: String, html: String?)] = []
        var at = text.startIndex
        var changed = false
        for m in matches {
            // The run is one line of source: the citation's byte offset in it.
            let line = Int(cmark_node_get_start_line(first)) + lineOffset
            let column = Int(cmark_node_get_start_column(first)) + text.utf8.distance(from: text.startIndex, to: m.range.lowerBound)
            let citation = Citation(items: m.items, narrative: m.narrative,
                                    location: SourceLocation(path: path, line: max(1, line), column: max(1, column)))
            guard let html = render(citation) else { continue }
            pieces.append((String(text[at..<m.range.lowerBound]), nil))
            pieces.append(("", html))
            at = m.range.upperBound
            changed = true
        }
        guard changed else { return }
        pieces.append((String(text[at...]), nil))
        for piece in pieces {
            if let html = piece.html {
                if let node = MarkdownTree.wrapper(html, "") { cmark_node_insert_before(first, node) }
            } else if !piece.text.isEmpty, let node = MarkdownTree.text(piece.text) {
                cmark_node_insert_before(first, node)
            }
        }
        for node in run { cmark_node_free(node) }
    }
}
