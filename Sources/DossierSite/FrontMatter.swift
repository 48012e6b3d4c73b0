import DossierCore
import Foundation

/// The `---`-fenced YAML at the top of an article, validated, with the Markdown body that
/// follows it and the file line that body starts on.
public struct FrontMatter: Sendable {
    public var title: String
    public var date: Date?
    /// `updated`, or Hugo's `lastmod`.
    public var updated: Date?
    /// `publish_date` (Hugo's `publishDate`): hidden until then, as a future `date` is.
    public var publishDate: Date?
    /// `expires` (Hugo's `expiryDate`): hidden from then on, unless `--expired`.
    public var expires: Date?
    /// `url: /whole/path/`: the page's URL, instead of its file's.
    public var url: String?
    /// `aliases: [/old/path/]`: addresses that redirect to the page.
    public var aliases: [String] = []
    public var summary: String?
    public var authors: [String]
    public var tags: [String]
    public var draft: Bool
    public var layout: String?
    /// Replaces the last segment of the page's URL.
    public var slug: String?
    /// Orders pages in the print view and in `site.pages` ties (lower first).
    public var weight: Double?
    /// Every key, including custom ones, for templates.
    public var fields: [String: Value]
    public var body: String
    public var bodyFirstLine: Int
    /// Where each key's value is in the file, as the YAML reader found it (for errors
    /// about a field found later, such as an unsafe `slug` or an unknown `layout`).
    public var locations: [String: SourceLocation] = [:]

    /// Splits and validates `text`, the whole file at `path`. Every problem is reported.
    /// A `fragment` (a headless file an ```` ```include ```` block reads) needs no title
    /// and keeps its first heading.
    public static func parse(_ text: String, path: String, fragment: Bool = false) throws(DiagnosticError) -> FrontMatter {
        // Work on UTF-8 bytes: splitting a long article into Characters is slow.
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        func lineEnd(from start: Int) -> Int { bytes[start...].firstIndex(of: 0x0A) ?? bytes.count }
        func isFence(_ start: Int, _ end: Int, closing: Bool) -> Bool {
            var line = bytes[start..<end]
            while let last = line.last, last == 0x0D || last == 0x20 || last == 0x09 { line = line.dropLast() }
            while let first = line.first, first == 0x20 || first == 0x09 { line = line.dropFirst() }
            return line.elementsEqual("---".utf8) || (closing && line.elementsEqual("...".utf8))
        }
        let firstEnd = lineEnd(from: 0)
        let bom = text.utf8.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        guard isFence(0, firstEnd, closing: false) else {
            let first = String(decoding: bytes[0..<firstEnd], as: UTF8.self).trimmingCharacters(in: .whitespaces)
            if first == "+++" { return try parseTOML(bytes, text: text, bom: bom, path: path, fragment: fragment) }
            if first.hasPrefix("{") { return try parseJSON(bytes, text: text, bom: bom, path: path, fragment: fragment) }
            // No front matter: a page whose title is its first level-1 heading.
            let body = String(text.utf8[text.utf8.index(text.utf8.startIndex, offsetBy: bom)...])!
            return try validate(.mapping([], SourceLocation(path: path, line: 1)), body: body, bodyFirstLine: 1, path: path, text: text, fragment: fragment)
        }
        var lineStart = min(firstEnd + 1, bytes.count)
        var lineNumber = 2
        var closeStart: Int?
        var closeEnd = 0
        while lineStart < bytes.count {
            let end = lineEnd(from: lineStart)
            if isFence(lineStart, end, closing: true) {
                closeStart = lineStart
                closeEnd = end
                break
            }
            lineStart = end + 1
            lineNumber += 1
        }
        guard let closeStart else {
            throw DiagnosticError(Diagnostic.error("front matter opened here is never closed with '---'",
                                                   at: SourceLocation(path: path, line: 1)).withSource(text))
        }
        let yamlStart = min(firstEnd + 1, closeStart)
        let yaml = String(decoding: bytes[yamlStart..<max(yamlStart, closeStart > 0 ? closeStart - 1 : 0)], as: UTF8.self)
        // The body as a slice of the (already valid) text, not decoded again from bytes.
        let body = closeEnd < bytes.count ? String(text.utf8[text.utf8.index(text.utf8.startIndex, offsetBy: bom + closeEnd + 1)...])! : ""
        let bodyFirstLine = lineNumber + 1
        let tree: YAMLTree
        do {
            tree = try YAMLReader.parse(yaml, path: path, firstLine: 2)
        } catch {
            throw DiagnosticError(error.diagnostics.map { $0.withSource(text) })
        }
        return try validate(tree, body: body, bodyFirstLine: bodyFirstLine, path: path, text: text, fragment: fragment)
    }

    /// TOML front matter (Hugo's): between a `+++` line and the next.
    private static func parseTOML(_ bytes: [UInt8], text: String, bom: Int, path: String, fragment: Bool) throws(DiagnosticError) -> FrontMatter {
        var start = (bytes.firstIndex(of: 0x0A) ?? bytes.count) + 1
        var lineNumber = 2
        var close: (start: Int, end: Int)?
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            var line = bytes[start..<end]
            while let last = line.last, last == 0x0D || last == 0x20 || last == 0x09 { line = line.dropLast() }
            if line.elementsEqual("+++".utf8) { close = (start, end); break }
            start = end + 1
            lineNumber += 1
        }
        guard let close else {
            throw DiagnosticError(Diagnostic.error("front matter opened here with '+++' is never closed with '+++'", at: SourceLocation(path: path, line: 1)).withSource(text))
        }
        let firstEnd = bytes.firstIndex(of: 0x0A) ?? bytes.count
        let toml = String(decoding: bytes[min(firstEnd + 1, close.start)..<close.start], as: UTF8.self)
        let tree: YAMLTree
        do {
            tree = try TOMLReader.parse(toml, path: path, firstLine: 2)
        } catch {
            throw DiagnosticError(error.diagnostics.map { $0.withSource(text) })
        }
        let body = close.end < bytes.count ? String(text.utf8[text.utf8.index(text.utf8.startIndex, offsetBy: bom + close.end + 1)...])! : ""
        return try validate(tree, body: body, bodyFirstLine: lineNumber + 1, path: path, text: text, fragment: fragment)
    }

    /// JSON front matter: an object from the first line (`{`) to its closing brace, then
    /// the body. Read as YAML, which JSON is, so its errors are located the same way.
    private static func parseJSON(_ bytes: [UInt8], text: String, bom: Int, path: String, fragment: Bool) throws(DiagnosticError) -> FrontMatter {
        var depth = 0, inString = false, escaped = false, end: Int?
        for (k, b) in bytes.enumerated() {
            if inString {
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inString = false }
                continue
            }
            if b == UInt8(ascii: "\"") { inString = true } else if b == UInt8(ascii: "{") { depth += 1 } else if b == UInt8(ascii: "}") {
                depth -= 1
                if depth == 0 { end = k; break }
            }
        }
        guard let end else {
            throw DiagnosticError(Diagnostic.error("JSON front matter opened here is never closed with '}'", at: SourceLocation(path: path, line: 1)).withSource(text))
        }
        let lineAfter = bytes[end...].firstIndex(of: 0x0A).map { $0 + 1 } ?? bytes.count
        let json = String(decoding: bytes[0...end], as: UTF8.self)
        let tree: YAMLTree
        do {
            tree = try YAMLReader.parse(json, path: path, firstLine: 1)
        } catch {
            throw DiagnosticError(error.diagnostics.map { $0.withSource(text) })
        }
        let body = lineAfter < bytes.count ? String(text.utf8[text.utf8.index(text.utf8.startIndex, offsetBy: bom + lineAfter)...])! : ""
        let bodyFirstLine = bytes[0..<lineAfter].filter { $0 == 0x0A }.count + 1
        return try validate(tree, body: body, bodyFirstLine: bodyFirstLine, path: path, text: text, fragment: fragment)
    }

    /// The first level-1 ATX heading outside code fences: its text (emphasis marks
    /// dropped) and its line in `body` (from 0).
    static func firstHeading(_ body: String) -> (text: String, line: Int)? {
        var fence: Substring?
        for (k, raw) in body.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            let trimmed = line.drop { $0 == " " }
            if let f = fence {
                if trimmed.hasPrefix(f) { fence = nil }
                continue
            }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") { fence = trimmed.prefix(3); continue }
            guard line.count - trimmed.count <= 3, trimmed.hasPrefix("# ") || trimmed == "#" else { continue }
            var title = trimmed.dropFirst(1).trimmingCharacters(in: .whitespaces)
            while title.hasSuffix("#") { title = String(title.dropLast()).trimmingCharacters(in: .whitespaces) }
            // Plain text: emphasis and code marks dropped.
            title = title.replacingOccurrences(of: "*", with: "").replacingOccurrences(of: "`", with: "")
                .replacingOccurrences(of: #"(^|\s)_+([^_]+?)_+(?=\s|$)"#, with: "$1$2", options: .regularExpression)
            return title.isEmpty ? nil : (title, k)
        }
        return nil
    }

    private static func validate(_ tree: YAMLTree, body: String, bodyFirstLine: Int, path: String, text: String,
                                 fragment: Bool) throws(DiagnosticError) -> FrontMatter {
        guard case .mapping = tree else {
            throw DiagnosticError(Diagnostic.error("front matter must be a mapping of 'key: value' lines", at: tree.location).withSource(text))
        }
        var read = FieldReader(tree: tree, text: text)
        var title = read.string("title")
        var body = body
        if tree["title"] == nil, !fragment, let heading = firstHeading(body) {
            // No `title`: the first level-1 heading is the title, and leaves the body (its
            // line kept blank, so the others keep their numbers).
            title = heading.text
            var lines = body.split(separator: "\n", omittingEmptySubsequences: false)
            lines[heading.line] = ""
            body = lines.joined(separator: "\n")
        }
        if (title == nil && !fragment) || title?.trimmingSpaces.isEmpty == true {
            if tree["title"] == nil {
                read.problems.append(Diagnostic.error("no title: give the page a 'title' in its front matter, or start it with a '# Title' heading",
                                                      at: SourceLocation(path: path, line: 1)).withSource(text))
            } else if read.problems.isEmpty {
                read.problem("'title' must not be empty", tree["title"]!)
            }
        }
        var draft = false
        if let node = tree["draft"] {
            if case .bool(let b) = node.value { draft = b } else { read.problem("'draft' must be true or false, got \(node.value.typeName)", node) }
        }
        var matter = FrontMatter(
            title: title ?? "", date: read.date("date"), updated: read.date(oneOf: "updated", "lastmod"), summary: read.string("summary"),
            authors: read.list("authors"), tags: read.list("tags"), draft: draft, layout: read.string("layout"),
            slug: read.string("slug"), weight: read.number("weight"), fields: [:], body: body, bodyFirstLine: bodyFirstLine)
        matter.publishDate = read.date(oneOf: "publish_date", "publishDate")
        matter.expires = read.date(oneOf: "expires", "expiryDate")
        matter.url = read.string("url")
        matter.aliases = read.list("aliases")
        if let node = tree["aliases"] {
            for alias in matter.aliases {
                if let problem = Page.urlProblem(alias.hasSuffix(".html") ? String(alias[..<alias.lastIndex(of: "/")!]) + "/" : alias) {
                    read.problem("an alias \(problem.replacingOccurrences(of: "must start and end with '/'", with: "must start with '/' and end with '/' or '.html'"))", node)
                }
            }
        }
        if let url = matter.url, let node = tree["url"] {
            if let problem = Page.urlProblem(url) { read.problem("'url' \(problem)", node) }
            if tree["slug"] != nil { read.problem("give 'url' (the whole URL) or 'slug' (its last part), not both", node) }
        }
        if let layout = matter.layout, layout.contains("..") || layout.hasPrefix("/") {
            read.problem("'layout' must name a template in Templates/, got '\(layout)'", tree["layout"]!)
        }
        guard read.problems.isEmpty else { throw DiagnosticError(read.problems) }
        var fields = tree.value.dictionaryValue ?? [:]
        fields["title"] = .string(matter.title)
        fields["authors"] = .array(matter.authors.map(Value.string))
        fields["tags"] = .array(matter.tags.map(Value.string))
        fields["draft"] = .bool(draft)
        if let d = matter.date { fields["date"] = .date(d) }
        if let d = matter.updated { fields["updated"] = .date(d) }
        if let d = matter.publishDate { fields["publish_date"] = .date(d) }
        if let d = matter.expires { fields["expires"] = .date(d) }
        var result = matter
        result.fields = fields
        if case .mapping(let pairs, _) = tree {
            for pair in pairs { result.locations[pair.key] = pair.value.location }
        }
        return result
    }

    /// Reads the known keys as their types, collecting a located problem for each value of
    /// the wrong type.
    private struct FieldReader {
        let tree: YAMLTree
        let text: String
        var problems: [Diagnostic] = []

        init(tree: YAMLTree, text: String) {
            self.tree = tree
            self.text = text
        }

        mutating func problem(_ message: String, _ node: YAMLTree) {
            problems.append(Diagnostic.error(message, at: node.location).withSource(text))
        }

        mutating func string(_ key: String) -> String? {
            guard let node = tree[key] else { return nil }
            switch node.value {
            case .string(let s): return s
            case .number(let n): return Value.format(n)
            case .null: return nil
            default:
                problem("'\(key)' must be text, got \(node.value.typeName)", node)
                return nil
            }
        }

        mutating func list(_ key: String) -> [String] {
            guard let node = tree[key] else { return [] }
            switch node.value {
            case .null: return []
            case .string(let s): return [s]
            case .array(let items):
                var out: [String] = []
                for (i, item) in items.enumerated() {
                    if let s = item.stringValue ?? item.numberValue.map({ Value.format($0) }) { out.append(s) } else {
                        if case .sequence(let nodes, _) = node { problem("each of '\(key)' must be text, got \(item.typeName)", nodes[i]) }
                    }
                }
                return out
            default:
                problem("'\(key)' must be a list of text (e.g. [a, b]), got \(node.value.typeName)", node)
                return []
            }
        }

        mutating func date(_ key: String) -> Date? {
            guard let node = tree[key] else { return nil }
            switch node.value {
            case .date(let d): return d
            case .string(let s):
                if let d = DateText.parse(s) { return d }
                problem("'\(key)' is not a date: '\(s)' (expected YYYY-MM-DD or RFC 3339, e.g. 2025-06-01)", node)
            case .null: return nil
            default:
                problem("'\(key)' is not a date: got \(node.value.typeName) (expected YYYY-MM-DD)", node)
            }
            return nil
        }

        /// The date under the first of `names` the front matter has; two of them given
        /// is a problem (they are synonyms).
        mutating func date(oneOf names: String...) -> Date? {
            let given = names.filter { tree[$0] != nil }
            if given.count > 1, let node = tree[given[1]] {
                problem("'\(given[0])' and '\(given[1])' are the same field: give one", node)
            }
            return given.first.flatMap { date($0) }
        }

        mutating func number(_ key: String) -> Double? {
            guard let node = tree[key] else { return nil }
            if case .number(let n) = node.value { return n }
            problem("'\(key)' must be a number, got \(node.value.typeName)", node)
            return nil
        }
    }
}
