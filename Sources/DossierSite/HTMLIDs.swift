import DossierCore

/// Rewrites the ids inside an HTML fragment with a prefix — and every reference to them
/// (`href="#…"`, `aria-labelledby`, `aria-describedby`, `for`, `url(#…)`) — so that several
/// pages can share one document (the print view) without duplicate ids.
enum HTMLIDs {
    static func prefix(_ html: String, with prefix: String) -> String {
        var out = html
        out = HTMLScanner.rewriteAttributeValues("id", in: out) { prefix + $0 }
        out = HTMLScanner.rewriteAttributeValues("for", in: out) { prefix + $0 }
        out = HTMLScanner.rewriteAttributeValues("aria-labelledby", in: out) { $0.split(separator: " ").map { prefix + $0 }.joined(separator: " ") }
        out = HTMLScanner.rewriteAttributeValues("aria-describedby", in: out) { $0.split(separator: " ").map { prefix + $0 }.joined(separator: " ") }
        out = HTMLScanner.rewriteAttributeValues("href", in: out) { $0.hasPrefix("#") && $0.count > 1 ? "#" + prefix + $0.dropFirst() : $0 }
        return HTMLScanner.replacing("url(#", with: "url(#" + prefix, in: out)
    }
}
