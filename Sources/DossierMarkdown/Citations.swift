internal import CCmark
import DossierCite
import DossierCore
import Foundation

/// Citations in cmark's tree: each `[@key…]` or `@key` in text (never in code, in a link's
/// text or in an autolinked address) replaced by what `render` sets for it (the page's
/// `CitationProcessor`, or a cross-reference); nil leaves it as written.
enum CitationLinker {
    static func link(under root: OpaquePointer, path: String, lineOffset: Int, render: (Citation) -> String?) {
        for run in MarkdownTree.textRuns(under: root, holding: 0x40, keep: { !insideLink($0) }) {
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
        let text = MarkdownTree.text(of: run)
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
        MarkdownTree.replace(run: run, with: pieces)
    }
}
