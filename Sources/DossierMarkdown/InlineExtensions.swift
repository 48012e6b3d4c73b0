internal import CCmark
import DossierCore
import Foundation

/// cmark's tree, for the extension passes: parse, walk, replace, render.
enum MarkdownTree {
    /// Parses by byte count, not strlen: a U+0000 in the text must not end the document.
    static func parse(_ text: String, _ flags: Int32) -> OpaquePointer? {
        var text = text
        return text.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                chars.isEmpty ? cmark_parse_document("", 0, flags) : cmark_parse_document(chars.baseAddress, chars.count, flags)
            }
        }
    }

    static func string(_ pointer: UnsafePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }

    static func renderHTML(_ node: OpaquePointer, _ flags: Int32) -> String {
        guard let raw = cmark_render_html(node, flags) else { return "" }
        defer { free(raw) }
        return String(cString: raw)
    }

    /// Every node under `root` (itself included), in document order, on entering it.
    static func forEach(_ root: OpaquePointer, _ body: (OpaquePointer, cmark_node_type) -> Void) {
        let iterator = cmark_iter_new(root)
        defer { cmark_iter_free(iterator) }
        while cmark_iter_next(iterator) != CMARK_EVENT_DONE {
            guard cmark_iter_get_event_type(iterator) == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
            body(node, cmark_node_get_type(node))
        }
    }

    static func children(_ node: OpaquePointer) -> [OpaquePointer] {
        var out: [OpaquePointer] = []
        var child = cmark_node_first_child(node)
        while let c = child {
            out.append(c)
            child = cmark_node_next(c)
        }
        return out
    }

    /// The text of a node's inline descendants (heading titles, image alt text).
    static func inlineText(_ node: OpaquePointer) -> String {
        var out = ""
        forEach(node) { child, type in
            switch type {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE: out += string(cmark_node_get_literal(child))
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK: out += " "
            default: break
            }
        }
        return out.trimmingSpaces
    }

    /// Swaps a block for a custom block that prints `html` verbatim (cmark prints custom
    /// blocks even in safe mode: they are ours, not the author's).
    static func replace(_ node: OpaquePointer, withHTML html: String) {
        guard let custom = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK) else { return }
        let text = html.hasSuffix("\n") ? html : html + "\n"
        cmark_node_set_on_enter(custom, text)
        cmark_node_set_on_exit(custom, "")
        cmark_node_replace(node, custom)
        cmark_node_free(node)
    }

    static func text(_ literal: String) -> OpaquePointer? {
        let node = cmark_node_new(CMARK_NODE_TEXT)
        if let node { cmark_node_set_literal(node, literal) }
        return node
    }

    /// An inline that prints `open`, its children, then `close`.
    /// The runs of adjacent text nodes in every container with a text node holding
    /// `byte` (and `keep` true for it): cmark splits `[^1]` or `[@a]` into the text nodes
    /// "[", "^1", "]", which syntax built on brackets reads together.
    static func textRuns(under root: OpaquePointer, holding byte: Int32,
                         keep: (OpaquePointer) -> Bool = { _ in true }) -> [[OpaquePointer]] {
        var containers: [OpaquePointer] = []
        forEach(root) { node, type in
            guard type == CMARK_NODE_TEXT, let literal = cmark_node_get_literal(node), strchr(literal, byte) != nil,
                  let parent = cmark_node_parent(node), containers.last != parent, keep(node) else { return }
            containers.append(parent)
        }
        var runs: [[OpaquePointer]] = []
        for container in containers {
            var run: [OpaquePointer] = []
            for child in children(container) {
                if cmark_node_get_type(child) == CMARK_NODE_TEXT { run.append(child); continue }
                if !run.isEmpty { runs.append(run) }
                run = []
            }
            if !run.isEmpty { runs.append(run) }
        }
        return runs
    }

    /// A run's text joined.
    static func text(of run: [OpaquePointer]) -> String {
        run.map { string(cmark_node_get_literal($0)) }.joined()
    }

    /// Puts `pieces` — text, or HTML printed as it is — where the text nodes of `run` were.
    static func replace(run: [OpaquePointer], with pieces: [(text: String, html: String?)]) {
        guard let first = run.first else { return }
        for piece in pieces {
            if let html = piece.html {
                if let node = wrapper(html, "") { cmark_node_insert_before(first, node) }
            } else if !piece.text.isEmpty, let node = text(piece.text) {
                cmark_node_insert_before(first, node)
            }
        }
        for node in run { cmark_node_free(node) }
    }

    static func wrapper(_ open: String, _ close: String) -> OpaquePointer? {
        let node = cmark_node_new(CMARK_NODE_CUSTOM_INLINE)
        if let node {
            cmark_node_set_on_enter(node, open)
            cmark_node_set_on_exit(node, close)
        }
        return node
    }
}

/// `~~strikethrough~~` and extended autolinks, over every inline container's children.
struct InlineExtensions {
    let extensions: MarkdownExtensions

    func apply(to root: OpaquePointer) {
        let strike = extensions.contains(.strikethrough), links = extensions.contains(.autolinks)
        guard strike || links else { return }
        // Only containers with a text child that holds a `~`, `www.`, `://` or `@` — found
        // on cmark's own bytes, as most text has none of them.
        var containers: [OpaquePointer] = []
        MarkdownTree.forEach(root) { node, type in
            guard type == CMARK_NODE_TEXT, let literal = cmark_node_get_literal(node), let parent = cmark_node_parent(node) else { return }
            let candidate = (strike && strchr(literal, Int32(UInt8(ascii: "~"))) != nil)
                || (links && (strstr(literal, "www.") != nil || strstr(literal, "://") != nil || strchr(literal, Int32(UInt8(ascii: "@"))) != nil))
            if candidate, containers.last != parent { containers.append(parent) }
        }
        for container in containers {
            if links, !Self.insideLink(container) { Autolinks.link(in: container) }
            if strike { Strikethrough.apply(in: container) }
        }
    }

    static func insideLink(_ node: OpaquePointer) -> Bool {
        var n: OpaquePointer? = node
        while let current = n {
            let type = cmark_node_get_type(current)
            if type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE { return true }
            n = cmark_node_parent(current)
        }
        return false
    }
}

/// GFM strikethrough: text between a matching pair of one or two tildes, within one
/// inline container; runs of three or more are text.
enum Strikethrough {
    static func apply(in container: OpaquePointer) {
        // Tilde runs become text nodes of their own, marked by whether they can open or close.
        var delimiters: [(node: OpaquePointer, length: Int, opens: Bool, closes: Bool)] = []
        for child in MarkdownTree.children(container) where cmark_node_get_type(child) == CMARK_NODE_TEXT {
            let literal = MarkdownTree.string(cmark_node_get_literal(child))
            guard literal.contains("~") else { continue }
            let chars = Array(literal)
            var pieces: [(text: String, run: Int, opens: Bool, closes: Bool)] = []
            var i = 0, plain = ""
            while i < chars.count {
                guard chars[i] == "~" else { plain.append(chars[i]); i += 1; continue }
                var j = i
                while j < chars.count, chars[j] == "~" { j += 1 }
                let run = j - i
                let before: Character? = i > 0 ? chars[i - 1] : (cmark_node_previous(child) == nil ? nil : "x")
                let after: Character? = j < chars.count ? chars[j] : (cmark_node_next(child) == nil ? nil : "x")
                if run <= 2 {
                    if !plain.isEmpty { pieces.append((plain, 0, false, false)); plain = "" }
                    pieces.append((String(repeating: "~", count: run), run, after.map { !$0.isWhitespace } ?? false,
                                   before.map { !$0.isWhitespace } ?? false))
                } else {
                    plain += String(repeating: "~", count: run)
                }
                i = j
            }
            if !plain.isEmpty { pieces.append((plain, 0, false, false)) }
            guard pieces.contains(where: { $0.run > 0 }) else { continue }
            for piece in pieces {
                guard let node = MarkdownTree.text(piece.text) else { continue }
                cmark_node_insert_before(child, node)
                if piece.run > 0 { delimiters.append((node, piece.run, piece.opens, piece.closes)) }
            }
            cmark_node_free(child)
        }
        // Match each closer with the nearest opener of the same length before it; openers
        // of the other length after that one can no longer match. One stack per length, so
        // each delimiter is pushed and popped once (a search of one list was quadratic in
        // a paragraph of unmatched tildes).
        var openers: [Int: [Int]] = [1: [], 2: []]
        for k in delimiters.indices {
            let d = delimiters[k]
            if d.closes, let at = openers[d.length]!.popLast() {
                let other = 3 - d.length
                while let last = openers[other]!.last, last > at { openers[other]!.removeLast() }
                let opener = delimiters[at].node
                guard let del = MarkdownTree.wrapper("<del>", "</del>") else { continue }
                cmark_node_insert_before(opener, del)
                var next = cmark_node_next(opener)
                while let n = next, n != d.node {
                    next = cmark_node_next(n)
                    cmark_node_append_child(del, n)
                }
                cmark_node_free(opener)
                cmark_node_free(d.node)
            } else if d.opens {
                openers[d.length]!.append(k)
            }
        }
    }
}

/// GFM's extended autolinks: `www.` and `http(s)://` addresses and e-mail addresses in
/// text become links.
enum Autolinks {
    static func link(in container: OpaquePointer) {
        for child in MarkdownTree.children(container) where cmark_node_get_type(child) == CMARK_NODE_TEXT {
            let literal = MarkdownTree.string(cmark_node_get_literal(child))
            guard literal.contains("www.") || literal.contains("://") || literal.contains("@") else { continue }
            let found = matches(in: literal, atStart: cmark_node_previous(child) == nil)
            guard !found.isEmpty else { continue }
            var rest = literal[...]
            var consumed = literal.startIndex
            for match in found {
                let before = literal[consumed..<match.range.lowerBound]
                if !before.isEmpty, let t = MarkdownTree.text(String(before)) { cmark_node_insert_before(child, t) }
                if let link = cmark_node_new(CMARK_NODE_LINK), let text = MarkdownTree.text(String(literal[match.range])) {
                    cmark_node_set_url(link, match.url)
                    cmark_node_append_child(link, text)
                    cmark_node_insert_before(child, link)
                }
                consumed = match.range.upperBound
            }
            rest = literal[consumed...]
            if !rest.isEmpty, let t = MarkdownTree.text(String(rest)) { cmark_node_insert_before(child, t) }
            cmark_node_free(child)
        }
    }

    struct Match {
        var range: Range<String.Index>
        var url: String
    }

    static func matches(in text: String, atStart: Bool) -> [Match] {
        var out: [Match] = []
        var i = text.startIndex
        while i < text.endIndex {
            let previous: Character? = i > text.startIndex ? text[text.index(before: i)] : nil
            let boundary = previous.map { $0.isWhitespace || "*_~(".contains($0) } ?? true
            let rest = text[i...]
            if boundary, rest.hasPrefix("www."), let end = urlEnd(text, from: i, domainStart: i) {
                out.append(Match(range: i..<end, url: "http://" + text[i..<end]))
                i = end
                continue
            }
            if boundary, let scheme = ["http://", "https://", "ftp://"].first(where: { rest.hasPrefix($0) }) {
                let domain = text.index(i, offsetBy: scheme.count)
                if let end = urlEnd(text, from: i, domainStart: domain) {
                    out.append(Match(range: i..<end, url: String(text[i..<end])))
                    i = end
                    continue
                }
            }
            if text[i] == "@", let match = email(text, at: i, after: out.last?.range.upperBound ?? text.startIndex) {
                out.append(match)
                i = match.range.upperBound
                continue
            }
            i = text.index(after: i)
        }
        return out
    }

    /// Where an address starting at `start` ends: a valid domain from `domainStart`, then
    /// a path up to a space or `<`, without trailing punctuation, unbalanced `)` or an
    /// entity-like `&x;`.
    static func urlEnd(_ text: String, from start: String.Index, domainStart: String.Index) -> String.Index? {
        var i = domainStart
        var segments: [Substring] = []
        var segmentStart = i
        while i < text.endIndex {
            let c = text[i]
            if c.isLetter || c.isNumber || c == "-" || c == "_" {
                i = text.index(after: i)
            } else if c == ".", i > segmentStart {
                segments.append(text[segmentStart..<i])
                i = text.index(after: i)
                segmentStart = i
            } else {
                break
            }
        }
        if i > segmentStart { segments.append(text[segmentStart..<i]) }
        guard !segments.isEmpty, !segments.suffix(2).contains(where: { $0.contains("_") }) else { return nil }
        if text[domainStart...].hasPrefix("www.") ? segments.count < 2 : segments.isEmpty { return nil }
        // A trailing period after the domain is punctuation, not part of it.
        while i < text.endIndex, !text[i].isWhitespace, text[i] != "<" { i = text.index(after: i) }
        var end = i
        // Parentheses counted once; a trailing `)` is dropped while they are unbalanced.
        var opening = 0, closing = 0
        for c in text[start..<end] { if c == "(" { opening += 1 } else if c == ")" { closing += 1 } }
        while end > domainStart {
            let last = text[text.index(before: end)]
            if "?!.,:*_~".contains(last) {
                end = text.index(before: end)
            } else if last == ")" {
                if closing > opening { end = text.index(before: end); closing -= 1 } else { break }
            } else if last == ";" {
                // `&hl;` at the end looks like an entity: leave it out.
                var k = text.index(before: end)
                while k > domainStart, text[text.index(before: k)].isLetter || text[text.index(before: k)].isNumber { k = text.index(before: k) }
                if k > domainStart, text[text.index(before: k)] == "&" { end = text.index(before: k) } else { break }
            } else {
                break
            }
        }
        return end > domainStart ? end : nil
    }

    /// `a.b-c_d@a.b`: local part of letters, digits, `.-_+`, a domain with a period, not
    /// ending in `-` or `_`; a trailing period is left out.
    static func email(_ text: String, at at: String.Index, after floor: String.Index) -> Match? {
        func local(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || ".-_+".contains(c)) }
        var start = at
        while start > floor, local(text[text.index(before: start)]) { start = text.index(before: start) }
        guard start < at else { return nil }
        var i = text.index(after: at)
        var periods = 0
        while i < text.endIndex {
            let c = text[i]
            if c.isASCII && (c.isLetter || c.isNumber || c == "-" || c == "_") {
                i = text.index(after: i)
            } else if c == ".", text.index(after: i) < text.endIndex, text[text.index(after: i)].isASCII,
                      text[text.index(after: i)].isLetter || text[text.index(after: i)].isNumber {
                periods += 1
                i = text.index(after: i)
            } else {
                break
            }
        }
        guard periods > 0, i > text.index(after: at) else { return nil }
        let last = text[text.index(before: i)]
        guard last != "-", last != "_" else { return nil }
        if i < text.endIndex, text[i] == "-" || text[i] == "_" { return nil }
        return Match(range: start..<i, url: "mailto:" + text[start..<i])
    }
}

/// GFM task lists: a list item whose text starts `[ ]` or `[x]` gets a disabled checkbox.
enum TaskLists {
    static func mark(_ root: OpaquePointer) {
        var items: [OpaquePointer] = []
        MarkdownTree.forEach(root) { node, type in if type == CMARK_NODE_ITEM { items.append(node) } }
        for item in items {
            guard let paragraph = cmark_node_first_child(item), cmark_node_get_type(paragraph) == CMARK_NODE_PARAGRAPH else { continue }
            // cmark leaves `[ ] x` as text nodes "[", " ", "] x": read across them.
            var leading: [OpaquePointer] = []
            var text = ""
            var child = cmark_node_first_child(paragraph)
            while let c = child, cmark_node_get_type(c) == CMARK_NODE_TEXT, text.count < 4 {
                leading.append(c)
                text += MarkdownTree.string(cmark_node_get_literal(c))
                child = cmark_node_next(c)
            }
            let marker = text.prefix(3).lowercased()
            guard marker == "[ ]" || marker == "[x]", text.count == 3 ? child == nil || cmark_node_get_type(child!) == CMARK_NODE_SOFTBREAK
                : text.dropFirst(3).first == " " else { continue }
            var drop = text.count > 3 ? 4 : 3
            for node in leading {
                let literal = MarkdownTree.string(cmark_node_get_literal(node))
                if literal.count <= drop {
                    drop -= literal.count
                    cmark_node_free(node)
                } else {
                    cmark_node_set_literal(node, String(literal.dropFirst(drop)))
                    drop = 0
                }
                if drop == 0 { break }
            }
            let box = marker == "[x]" ? "<input type=\"checkbox\" checked=\"\" disabled=\"\" /> " : "<input type=\"checkbox\" disabled=\"\" /> "
            if let input = MarkdownTree.wrapper(box, "") {
                if let first = cmark_node_first_child(paragraph) { cmark_node_insert_before(first, input) } else { cmark_node_append_child(paragraph, input) }
            }
        }
    }
}

/// GFM's tag filter: with raw HTML allowed, tags that would take over the page
/// (`<script>`, `<style>`, `<iframe>`, …) are escaped, so they show as text.
enum TagFilter {
    static let tags = ["title", "textarea", "style", "xmp", "iframe", "noembed", "noframes", "script", "plaintext"]

    static func apply(to root: OpaquePointer) {
        MarkdownTree.forEach(root) { node, type in
            guard type == CMARK_NODE_HTML_BLOCK || type == CMARK_NODE_HTML_INLINE else { return }
            let literal = MarkdownTree.string(cmark_node_get_literal(node))
            let filtered = filter(literal)
            if filtered != literal { cmark_node_set_literal(node, filtered) }
        }
    }

    static func filter(_ html: String) -> String {
        guard html.contains("<") else { return html }
        var out = ""
        var i = html.startIndex
        while i < html.endIndex {
            if html[i] == "<" {
                var j = html.index(after: i)
                if j < html.endIndex, html[j] == "/" { j = html.index(after: j) }
                let name = html[j...].prefix { $0.isLetter }.lowercased()
                let after = html.index(j, offsetBy: name.count)
                if tags.contains(name), after == html.endIndex || html[after].isWhitespace || html[after] == ">" || html[after] == "/" {
                    out += "&lt;"
                    i = html.index(after: i)
                    continue
                }
            }
            out.append(html[i])
            i = html.index(after: i)
        }
        return out
    }
}
