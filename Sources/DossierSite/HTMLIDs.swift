/// Rewrites the ids inside an HTML fragment with a prefix — and every reference to them
/// (`href="#…"`, `aria-labelledby`, `aria-describedby`, `for`, `url(#…)`) — so that several
/// pages can share one document (the print view) without duplicate ids.
enum HTMLIDs {
    static func prefix(_ html: String, with prefix: String) -> String {
        var out = html
        out = rewriteAttribute("id", in: out) { prefix + $0 }
        out = rewriteAttribute("for", in: out) { prefix + $0 }
        out = rewriteAttribute("aria-labelledby", in: out) { $0.split(separator: " ").map { prefix + $0 }.joined(separator: " ") }
        out = rewriteAttribute("aria-describedby", in: out) { $0.split(separator: " ").map { prefix + $0 }.joined(separator: " ") }
        out = rewriteAttribute("href", in: out) { $0.hasPrefix("#") && $0.count > 1 ? "#" + prefix + $0.dropFirst() : $0 }
        return out.replacingOccurrences(of: "url(#", with: "url(#" + prefix)
    }

    /// Applies `transform` to the value of every ` name="…"` attribute.
    static func rewriteAttribute(_ name: String, in html: String, _ transform: (String) -> String) -> String {
        let marker = " \(name)=\""
        var out = ""
        out.reserveCapacity(html.utf8.count + 256)
        var rest = html[...]
        while let start = rest.range(of: marker) {
            out += rest[..<start.upperBound]
            rest = rest[start.upperBound...]
            guard let end = rest.firstIndex(of: "\"") else { break }
            out += transform(String(rest[..<end]))
            rest = rest[end...]
        }
        out += rest
        return out
    }
}
