import DossierCore
import Foundation

/// A filter's failure, placed at the filter's name by the renderer.
struct FilterError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

/// The built-in filters. Each takes the piped value and its arguments and returns a value;
/// none does I/O, so rendering stays pure and thread-safe.
public enum Filters {
    typealias Function = @Sendable (Value, [Value], RenderEnvironment) throws -> Value

    public static var names: Set<String> { Set(table.keys) }

    static let table: [String: Function] = [
        "escape": { v, _, _ in v.isHTML ? v : .html(HTML.escape(v.text)) },
        "e": { v, _, _ in v.isHTML ? v : .html(HTML.escape(v.text)) },
        "safe": { v, _, _ in .html(v.text) },
        "default": { v, a, _ in
            let fallback = a.first ?? .string("")
            switch v {
            case .null, .bool(false): return fallback
            case .string(let s) where s.isEmpty: return fallback
            case .array(let x) where x.isEmpty: return fallback
            default: return v
            }
        },
        "upper": { v, _, _ in v.mapText { $0.uppercased() } },
        "lower": { v, _, _ in v.mapText { $0.lowercased() } },
        "capitalize": { v, _, _ in v.mapText { $0.prefix(1).uppercased() + $0.dropFirst() } },
        "trim": { v, _, _ in v.mapText { $0.trimmingCharacters(in: .whitespacesAndNewlines) } },
        "truncate": { v, a, _ in
            let limit = try intArgument(a, 0, default: 255, filter: "truncate")
            let end = a.count > 1 ? a[1].text : "…"
            let text = v.text
            guard text.count > limit else { return v }
            let keep = max(0, limit - end.count)
            var cut = String(text.prefix(keep))
            let endsAtWord = text.dropFirst(keep).first?.isWhitespace ?? true
            if !endsAtWord, let space = cut.lastIndex(of: " "), cut.distance(from: cut.startIndex, to: space) > cut.count / 2 {
                cut = String(cut[..<space])
            }
            return .string(cut.trimmingCharacters(in: .whitespaces) + end)
        },
        "slugify": { v, _, _ in .string(Slug.make(v.text)) },
        "replace": { v, a, _ in
            guard a.count == 2 else { throw FilterError("'replace' takes two arguments: what to find and what to put instead") }
            let find = a[0].text, put = a[1].text
            if put.utf8.count > find.utf8.count, !find.isEmpty {
                // Every occurrence may grow the text: bound the result before making it.
                let occurrences = v.text.utf8.count / max(1, find.utf8.count)
                if v.text.utf8.count + occurrences * (put.utf8.count - find.utf8.count) > Renderer.maxOutputBytes,
                   v.text.components(separatedBy: find).count - 1 > (Renderer.maxOutputBytes - v.text.utf8.count) / (put.utf8.count - find.utf8.count) {
                    throw FilterError("the result would be more than \(Renderer.maxOutputBytes >> 20) MiB of text")
                }
            }
            return v.mapText { $0.replacingOccurrences(of: find, with: put) }
        },
        "split": { v, a, _ in
            let separator = a.first?.text ?? ","
            guard !separator.isEmpty else { return .array(v.text.map { .string(String($0)) }) }
            return .array(v.text.components(separatedBy: separator).map { .string($0) })
        },
        "join": { v, a, _ in
            let items = try list(v, "join")
            let joined = items.map(\.text).joined(separator: a.first?.text ?? ", ")
            return items.allSatisfy(\.isHTML) && !items.isEmpty ? .html(joined) : .string(joined)
        },
        "length": { v, _, _ in .number(Double(v.count)) },
        "size": { v, _, _ in .number(Double(v.count)) },
        "first": { v, _, _ in
            if case .array(let x) = v { return x.first ?? .null }
            return v.text.first.map { .string(String($0)) } ?? .null
        },
        "last": { v, _, _ in
            if case .array(let x) = v { return x.last ?? .null }
            return v.text.last.map { .string(String($0)) } ?? .null
        },
        "sort": { v, a, _ in
            let items = try list(v, "sort")
            if let key = a.first?.text {
                return .array(items.sorted { Value.ordered($0.lookup(path: key), $1.lookup(path: key)) })
            }
            return .array(items.sorted(by: Value.ordered))
        },
        "reverse": { v, _, _ in
            if case .array(let x) = v { return .array(x.reversed()) }
            return v.mapText { String($0.reversed()) }
        },
        "where": { v, a, _ in
            guard let key = a.first?.text else { throw FilterError("'where' takes a key and, optionally, a value") }
            let items = try list(v, "where")
            if a.count > 1 {
                let wanted = a[1]
                return .array(items.filter { item in
                    let found = item.lookup(path: key)
                    if case .array(let values) = found { return values.contains { $0.looselyEquals(wanted) } }
                    return found.looselyEquals(wanted)
                })
            }
            return .array(items.filter { $0.lookup(path: key).isTruthy })
        },
        "group_by": { v, a, _ in
            guard let key = a.first?.text else { throw FilterError("'group_by' takes the key to group by") }
            var order: [String] = []
            var groups: [String: [Value]] = [:]
            for item in try list(v, "group_by") {
                let name = item.lookup(path: key).text
                if groups[name] == nil { order.append(name) }
                groups[name, default: []].append(item)
            }
            return .array(order.map { .dictionary(["name": .string($0), "items": .array(groups[$0]!)]) })
        },
        "date": { v, a, _ in
            let date: Date
            switch v {
            case .date(let d): date = d
            case .string(let s):
                guard let d = DateText.parse(s) else { throw FilterError("'\(s)' is not a date (expected YYYY-MM-DD or RFC 3339)") }
                date = d
            case .null: return .null
            default: throw FilterError("'date' needs a date, got \(v.typeName)")
            }
            let format = a.first?.text ?? "%Y-%m-%d"
            switch format {
            case "iso", "iso8601", "rfc3339": return .string(DateText.iso8601(date))
            default: return .string(DateText.strftime(format, date))
            }
        },
        "number": { v, a, _ in
            guard let n = v.numberValue else {
                if v.isNull { return .null }
                throw FilterError("'number' needs a number, got \(v.typeName) '\(v.text)'")
            }
            let decimals = try intArgument(a, 0, default: n == n.rounded() ? 0 : 2, filter: "number")
            return .string(NumberText.grouped(n, decimals: decimals))
        },
        "percent": { v, a, _ in
            guard let n = v.numberValue else {
                if v.isNull { return .null }
                throw FilterError("'percent' needs a number, got \(v.typeName) '\(v.text)'")
            }
            let decimals = try intArgument(a, 0, default: 0, filter: "percent")
            return .string(NumberText.grouped(n * 100, decimals: decimals) + "%")
        },
        "json": { v, _, _ in .html(JSONText.scriptSafe(v)) },
        "url_encode": { v, _, _ in .string(URLText.percentEncode(v.text)) },
        "relative_url": { v, _, env in .string(try URLText.relative(v.text, env: env)) },
        "absolute_url": { v, _, env in .string(try URLText.absolute(v.text, env: env)) },
        "markdownify": { v, _, env in .html(env.markdown(v.text)) },
        "strip_html": { v, _, _ in .string(HTML.stripTags(v.text)) },
        "demote_headings": { v, _, _ in
            guard case .html(let html) = v else { return v }  // text has no headings
            return .html(demoteHeadings(html))
        },
        "word_count": { v, _, _ in .number(Double(TextStats.words(in: v))) },
        "reading_time": { v, a, _ in
            let perMinute = try intArgument(a, 0, default: 220, filter: "reading_time")
            return .number(Double(max(1, Int((Double(TextStats.words(in: v)) / Double(max(1, perMinute))).rounded(.up)))))
        },
        "abs": { v, _, _ in v.numberValue.map { .number(abs($0)) } ?? .null },
        "round": { v, a, _ in
            guard let n = v.numberValue else { return .null }
            let decimals = try intArgument(a, 0, default: 0, filter: "round")
            let scale = pow(10.0, Double(decimals))
            return .number((n * scale).rounded() / scale)
        },
    ]

    static func intArgument(_ arguments: [Value], _ index: Int, default fallback: Int, filter: String) throws(FilterError) -> Int {
        guard index < arguments.count else { return fallback }
        guard let n = arguments[index].numberValue, n == n.rounded(), abs(n) < 1e9 else {
            throw FilterError("'\(filter)' expects a whole number, got \(arguments[index].typeName) '\(arguments[index].text)'")
        }
        return Int(n)
    }

    static func list(_ v: Value, _ filter: String) throws(FilterError) -> [Value] {
        switch v {
        case .array(let x): return x
        case .null: return []
        case .dictionary(let d): return d.keys.sorted().map { .dictionary(["key": .string($0), "value": d[$0]!]) }
        default: throw FilterError("'\(filter)' needs a list, got \(v.typeName)")
        }
    }
}

extension Value {
    var isHTML: Bool { if case .html = self { return true } else { return false } }

    /// Applies a text transformation. The result is always plain text (escaped when
    /// printed), even from trusted HTML: a transformed fragment is no longer known to be safe.
    func mapText(_ transform: (String) -> String) -> Value {
        .string(transform(text))
    }

    var count: Int {
        switch self {
        case .array(let x): return x.count
        case .dictionary(let d): return d.count
        case .null: return 0
        default: return text.count
        }
    }

    /// Follows a dotted key path (`author.name`) through dictionaries.
    func lookup(path: String) -> Value {
        var current = self
        for part in path.split(separator: ".") {
            guard let next = current[String(part)] else { return .null }
            current = next
        }
        return current
    }

    /// Equality that treats a number and its text, or HTML and its text, as the same.
    func looselyEquals(_ other: Value) -> Bool {
        switch (self, other) {
        case let (.number(a), .number(b)): return a == b
        case (.null, .null): return true
        case (.null, _), (_, .null): return false
        case let (.bool(a), .bool(b)): return a == b
        case (.array, _), (.dictionary, _): return self == other
        default: return text == other.text
        }
    }
}

/// Counting words for `word_count` and `reading_time`, over text or HTML.
enum TextStats {
    static func words(in v: Value) -> Int {
        let text = v.isHTML ? HTML.stripTags(v.text) : v.text
        return HTML.wordCount(text)
    }
}

/// Trusted HTML with each heading one level down (`<h2>` → `<h3>`, `<h6>` stays), for a
/// page's content set under a heading of its own (the print view's sections).
func demoteHeadings(_ html: String) -> String {
    var out = "", rest = Substring(html)
    out.reserveCapacity(html.utf8.count)
    while let open = rest.firstIndex(of: "<") {
        out += rest[..<open]
        var tag = rest[open...].dropFirst()
        let closing = tag.first == "/"
        if closing { tag = tag.dropFirst() }
        if let h = tag.first, h == "h" || h == "H", let digit = tag.dropFirst().first, let level = digit.wholeNumberValue, (1...5).contains(level),
           let after = tag.dropFirst(2).first, after == ">" || after == " " || after == "\t" || after == "\n" {
            out += (closing ? "</" : "<") + String(h) + String(level + 1)
            rest = tag.dropFirst(2)
        } else {
            out += "<"
            rest = rest[rest.index(after: open)...]
        }
    }
    return out + rest
}
