import Foundation

/// pandoc's citation syntax, found in a run of text: `[@key]`, `[@key, p. 12]`,
/// `[see @a, ch. 2; @b]`, `[-@key]` (in parentheses), and `@key` or `@key [p. 4]` in the
/// sentence. An `@` after a letter or digit (an e-mail address) is never a citation.
public enum CitationSyntax {
    public struct Match: Sendable, Equatable {
        /// The characters the citation takes in the text.
        public var range: Range<String.Index>
        public var items: [CitationItem]
        public var narrative: Bool
    }

    public static func find(in text: String) -> [Match] {
        guard text.contains("@") else { return [] }
        // Each `[`'s matching `]`, in one pass (looking for it from every `[` again was
        // quadratic in a run of unmatched brackets).
        var closes: [String.Index: String.Index] = [:]
        var stack: [String.Index] = []
        var k = text.startIndex
        while k < text.endIndex {
            if text[k] == "[" { stack.append(k) } else if text[k] == "]", let open = stack.popLast() { closes[open] = k }
            k = text.index(after: k)
        }
        var out: [Match] = []
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if c == "[", let close = closes[i], let m = bracketed(text, from: i, to: close) {
                out.append(m)
                i = m.range.upperBound
                continue
            }
            if c == "@", i == text.startIndex || !isWordCharacter(text[text.index(before: i)]),
               let (key, end) = key(text, after: i) {
                var item = CitationItem(key: key)
                var upper = end
                // `@key [p. 4]`: a locator in brackets right after.
                let afterSpace = text[end...].prefix { $0 == " " }
                let open = text.index(end, offsetBy: afterSpace.count)
                if afterSpace.count <= 1, open < text.endIndex, text[open] == "[",
                   let close = closes[open], !text[text.index(after: open)..<close].contains("@"),
                   !text[text.index(after: open)..<close].contains("[") {
                    item.locator = String(text[text.index(after: open)..<close]).trimmingCharacters(in: .whitespaces)
                    upper = text.index(after: close)
                }
                out.append(Match(range: i..<upper, items: [item], narrative: true))
                i = upper
                continue
            }
            i = text.index(after: i)
        }
        return out
    }

    static func isWordCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }

    /// A key after the `@` at `at`: letters, digits and `_`, with `:.#$%&-+?<>~/` inside
    /// (never last), or `@{anything}`.
    static func key(_ text: String, after at: String.Index) -> (String, String.Index)? {
        var i = text.index(after: at)
        guard i < text.endIndex else { return nil }
        if text[i] == "{" {
            guard let close = text[i...].firstIndex(of: "}") else { return nil }
            let key = String(text[text.index(after: i)..<close])
            return key.isEmpty ? nil : (key, text.index(after: close))
        }
        guard isWordCharacter(text[i]) else { return nil }
        var end = i
        while i < text.endIndex {
            let c = text[i]
            if isWordCharacter(c) {
                i = text.index(after: i)
                end = i
            } else if ":.#$%&-+?<>~/".contains(c) {
                let next = text.index(after: i)
                guard next < text.endIndex, isWordCharacter(text[next]) else { break }
                i = next
            } else {
                break
            }
        }
        return (String(text[text.index(after: at)..<end]), end)
    }

    /// `[…]` from `open` to its `close` whose every `;`-separated part holds one key.
    static func bracketed(_ text: String, from open: String.Index, to close: String.Index) -> Match? {
        let inside = text[text.index(after: open)..<close]
        guard inside.contains("@") else { return nil }
        var items: [CitationItem] = []
        for part in inside.split(separator: ";", omittingEmptySubsequences: false) {
            // The last `@` that starts a key (a prefix such as "see" holds none).
            guard let at = part.firstIndex(where: { $0 == "@" }) else { return nil }
            let before = part[..<at]
            var suppress = false
            var prefix = before
            if before.last == "-" {
                suppress = true
                prefix = before.dropLast()
            }
            if let p = prefix.last, isWordCharacter(p) { return nil }
            guard let (key, end) = key(text, after: at), end <= part.endIndex else { return nil }
            var locator = text[end..<part.endIndex][...]
            if locator.hasPrefix(",") { locator = locator.dropFirst() }
            items.append(CitationItem(key: key, prefix: prefix.trimmingCharacters(in: .whitespaces),
                                      locator: locator.trimmingCharacters(in: .whitespaces), suppressAuthor: suppress))
        }
        return items.isEmpty ? nil : Match(range: open..<text.index(after: close), items: items, narrative: false)
    }
}
