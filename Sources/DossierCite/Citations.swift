import DossierCore

/// One cited work inside a citation: `see @kim2020, p. 12`.
public struct CitationItem: Sendable, Hashable {
    public var key: String
    public var prefix: String
    /// `p. 12`, `ch. 2`, `33-35` (a bare number is a page).
    public var locator: String
    /// `-@key`: the year only.
    public var suppressAuthor: Bool

    public init(key: String, prefix: String = "", locator: String = "", suppressAuthor: Bool = false) {
        self.key = key
        self.prefix = prefix
        self.locator = locator
        self.suppressAuthor = suppressAuthor
    }
}

/// `[@a; @b]` (in parentheses) or `@a` (narrative: the names in the sentence).
public struct Citation: Sendable, Hashable {
    public var items: [CitationItem]
    public var narrative: Bool
    public var location: SourceLocation

    public init(items: [CitationItem], narrative: Bool, location: SourceLocation) {
        self.items = items
        self.narrative = narrative
        self.location = location
    }
}

public enum CitationStyle: String, Sendable, CaseIterable {
    case authorDate = "chicago-author-date"
    case numeric
}

/// A library of references (one or more bibliography files), read once per build.
public struct Library: Sendable {
    public private(set) var references: [String: Reference] = [:]
    /// In the order the files list them.
    public private(set) var keys: [String] = []

    /// "a", "b", … for works that would cite alike, worked out once for the library.
    public private(set) var yearSuffixes: [String: String] = [:]

    public init(_ list: [Reference] = []) {
        add(list)
    }

    /// Entries whose key is new (the first of a key wins).
    public mutating func add(_ list: [Reference]) {
        for r in list where references[r.key] == nil {
            references[r.key] = r
            keys.append(r.key)
        }
        yearSuffixes = ReferenceList.yearSuffixes(keys.compactMap { references[$0] })
    }

    public subscript(key: String) -> Reference? { references[key] }
    public var isEmpty: Bool { keys.isEmpty }
}

/// One page's citations: formats each as it is met (numbering works in order of first
/// citation), remembers what was cited, and sets the reference list.
public final class CitationProcessor {
    public let library: Library
    public let style: CitationStyle
    public let path: String
    /// Every entry in the list, cited or not (`references: all`).
    public let listAll: Bool
    public private(set) var cited: [String] = []
    public private(set) var warnings: [Diagnostic] = []
    private var numbers: [String: Int] = [:]

    public init(library: Library, style: CitationStyle, path: String, listAll: Bool = false) {
        self.library = library
        self.style = style
        self.path = path
        self.listAll = listAll
    }

    /// The page's reference list goes into its content (else a template places it).
    public var listInContent = true
    /// The reference list's heading, in the page's language.
    public var referencesTitle = "References"

    /// Keys cited elsewhere (a page's record from an earlier build), in order.
    public func register(_ keys: [String]) {
        for key in keys where numbers[key] == nil && library[key] != nil {
            cited.append(key)
            numbers[key] = cited.count
        }
    }

    /// The warnings so far, handed over once.
    public func takeWarnings() -> [Diagnostic] {
        defer { warnings = [] }
        return warnings
    }

    /// The references the list shows, in its order.
    public var listed: [Reference] {
        let keys = listAll ? library.keys : cited
        let list = keys.compactMap { library[$0] }
        return style == .numeric ? list : ReferenceList.sorted(list)
    }

    /// Keys the citation names that the library does not hold: a warning each, with a
    /// "did you mean".
    public func unknownKeys(_ citation: Citation) -> [String] {
        citation.items.map(\.key).filter { library[$0] == nil }
    }

    /// Keys this page reads as citations at all; another `@name` is left as text without
    /// a word (a site with datasets but no bibliography cites only `@data:…`).
    public var recognises: @Sendable (String) -> Bool = { _ in true }

    /// The citation's HTML, or nil (and a warning) when it names an unknown key.
    public func render(_ citation: Citation) -> String? {
        guard citation.items.allSatisfy({ recognises($0.key) }) else { return nil }
        let unknown = unknownKeys(citation)
        guard unknown.isEmpty else {
            for key in unknown {
                warnings.append(.warning("no reference '\(key)' in the bibliography\(SourceText.didYouMean(key, in: library.keys)); it is shown as written",
                                         at: citation.location))
            }
            return nil
        }
        for item in citation.items where numbers[item.key] == nil {
            cited.append(item.key)
            numbers[item.key] = cited.count
        }
        return style == .numeric ? numeric(citation) : authorDate(citation)
    }

    private func link(_ key: String, _ html: String) -> String {
        "<a href=\"#ref-\(HTML.escape(ReferenceList.id(key)))\" class=\"citation-link\">\(html)</a>"
    }

    private func span(_ citation: Citation, _ inner: String) -> String {
        let keys = HTML.escape(citation.items.map(\.key).joined(separator: " "))
        return "<span class=\"citation\" data-cites=\"\(keys)\">\(inner)</span>"
    }

    /// Year suffixes are worked out over the whole library, not the page: a work is
    /// "2020a" on every page of the site and in the print view alike.
    private func suffix(_ key: String) -> String { library.yearSuffixes[key] ?? "" }

    private func authorDate(_ citation: Citation) -> String {
        var parts: [String] = []
        // Works by the same names are set together: "OECD 2021, 2022".
        var order: [String] = []
        var groups: [String: [CitationItem]] = [:]
        for item in citation.items {
            let r = library[item.key]!
            let names = item.suppressAuthor ? "\u{0}" + item.key : ChicagoAuthorDate.shortAuthors(r)
            if groups[names] == nil { order.append(names) }
            groups[names, default: []].append(item)
        }
        for names in order {
            let items = groups[names]!
            var text = ""
            for (k, item) in items.enumerated() {
                let r = library[item.key]!
                let (year, separator) = ChicagoAuthorDate.citationDate(r, suffix: suffix(item.key))
                var one: String
                if k == 0 {
                    let prefix = item.prefix.isEmpty ? "" : HTML.escape(item.prefix) + " "
                    if citation.narrative {
                        one = link(item.key, ChicagoAuthorDate.shortAuthors(r)) + " ("
                            + link(item.key, year) + locator(item.locator) + ")"
                    } else if item.suppressAuthor {
                        one = prefix + link(item.key, year)
                    } else {
                        var names = EntryText()
                        names.add(ChicagoAuthorDate.shortAuthors(r), after: "")
                        names.add(year, after: separator)
                        one = prefix + link(item.key, names.html)
                    }
                } else {
                    one = (items[k - 1].locator.isEmpty ? ", " : "; ") + link(item.key, year)
                }
                if !citation.narrative { one += locator(item.locator) }
                text += one
            }
            parts.append(text)
        }
        return span(citation, citation.narrative ? parts.joined(separator: "; ") : "(" + parts.joined(separator: "; ") + ")")
    }

    private func numeric(_ citation: Citation) -> String {
        let inside = citation.items.map { item -> String in
            let prefix = item.prefix.isEmpty ? "" : HTML.escape(item.prefix) + " "
            return prefix + link(item.key, String(numbers[item.key]!)) + locator(item.locator)
        }.joined(separator: ", ")
        if citation.narrative, let first = citation.items.first, let r = library[first.key] {
            return span(citation, ChicagoAuthorDate.shortAuthors(r) + " [" + inside + "]")
        }
        return span(citation, "[" + inside + "]")
    }

    /// ", 12" for pages (the label dropped, ranges with an en dash); ", ch. 2" otherwise.
    private func locator(_ text: String) -> String {
        var t = text.trimmingSpaces
        guard !t.isEmpty else { return "" }
        for label in ["pp. ", "p. ", "pp.", "p.", "pages ", "page "] where t.hasPrefix(label) {
            t = String(t.dropFirst(label.count)).trimmingSpaces
            break
        }
        return ", " + HTML.escape(t.replacingOccurrences(of: "--", with: "–").replacingOccurrences(of: "-", with: "–"))
    }

    /// The page's reference list (empty when it cites nothing and lists nothing).
    public func referenceListHTML(idPrefix: String = "") -> String {
        let list = listed
        guard !list.isEmpty else { return "" }
        var html = "<section class=\"references\" aria-labelledby=\"\(idPrefix)references-title\">\n"
            + "<h2 id=\"\(idPrefix)references-title\" class=\"references-title\">\(HTML.escape(referencesTitle))</h2>\n"
        html += style == .numeric ? "<ol class=\"references-list references-numeric\">\n" : "<div class=\"references-list\">\n"
        var previous: String?
        for r in list {
            let authors = ChicagoAuthorDate.contributors(r).html
            let same = style == .authorDate && previous == authors && !(r.authors.isEmpty && r.editors.isEmpty)
            previous = authors
            let entry = ChicagoAuthorDate.entry(r, yearSuffix: style == .authorDate ? suffix(r.key) : "", substituteAuthors: same)
            let id = HTML.escape(idPrefix + "ref-" + ReferenceList.id(r.key))
            html += style == .numeric ? "<li id=\"\(id)\" class=\"reference\">\(entry)</li>\n" : "<p id=\"\(id)\" class=\"reference\">\(entry)</p>\n"
        }
        return html + (style == .numeric ? "</ol>\n" : "</div>\n") + "</section>\n"
    }
}

/// The reference list's order and its year suffixes.
public enum ReferenceList {
    /// By names (family first), then date, then title; accents and case ignored.
    public static func sorted(_ list: [Reference]) -> [Reference] {
        list.sorted { a, b in
            let ka = fold(ChicagoAuthorDate.sortKey(a)), kb = fold(ChicagoAuthorDate.sortKey(b))
            if ka != kb { return ka < kb }
            switch (a.issued, b.issued) {
            case let (x?, y?) where x != y: return x < y
            case (nil, _?): return false
            case (_?, nil): return true
            default: break
            }
            return fold(Reference.plain(a.title ?? "")) < fold(Reference.plain(b.title ?? ""))
        }
    }

    static func fold(_ s: String) -> String {
        s.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .filter { $0.isLetter || $0.isNumber || $0 == " " || $0 == "," }
    }

    /// "a", "b", … for works whose citations would read the same (names and year), in
    /// reference-list order.
    public static func yearSuffixes(_ list: [Reference]) -> [String: String] {
        var byCitation: [String: [Reference]] = [:]
        for r in sorted(list) {
            let year = r.issued.map { String($0.year) } ?? "n.d."
            byCitation[ChicagoAuthorDate.shortAuthors(r) + "|" + year, default: []].append(r)
        }
        var out: [String: String] = [:]
        for (_, group) in byCitation where group.count > 1 {
            for (k, r) in group.enumerated() { out[r.key] = k < 26 ? String(UnicodeScalar(UInt8(97 + k))) : String(k + 1) }
        }
        return out
    }

    /// An id-safe form of a key.
    public static func id(_ key: String) -> String {
        String(key.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" })
    }
}
