import DossierCore

/// Cross-references in Quarto's syntax: `@fig-adoption` ("Figure 1"), `[-@fig-adoption]`
/// ("1"), `@tbl-…`, `@sec-…` (the section's title). Found with the citations, set once the
/// page's figures are numbered and its headings have their ids: until then each is a
/// placeholder in the HTML.
struct CrossReferences {
    static let prefixes = ["fig-", "tbl-", "sec-"]

    static func isCrossReference(_ key: String) -> Bool { prefixes.contains { key.hasPrefix($0) } }

    struct Use {
        var label: String
        var bare: Bool
        var location: SourceLocation
    }

    private(set) var uses: [Use] = []

    /// The placeholder for a use, replaced by `resolve`.
    mutating func placeholder(_ label: String, bare: Bool, at location: SourceLocation) -> String {
        uses.append(Use(label: label, bare: bare, location: location))
        return Self.open + String(uses.count - 1) + Self.close
    }

    static let open = "\u{E002}xref:", close = "\u{E003}"

    /// `html` with each placeholder set: a link to the figure, table or section. A label
    /// nothing on the page carries is an error at its use.
    func resolve(_ html: String, figures: [String: DirectiveOutput], headings: [Heading]) throws(DiagnosticError) -> String {
        guard !uses.isEmpty else { return html }
        var problems: [Diagnostic] = []
        var texts: [String] = []
        for use in uses {
            if use.label.hasPrefix("sec-") {
                if let h = headings.first(where: { $0.id == use.label }) {
                    texts.append("<a href=\"#\(HTML.escape(use.label))\" class=\"cross-ref\">\(HTML.escape(h.text))</a>")
                } else {
                    let ids = headings.map(\.id).filter { $0.hasPrefix("sec-") }
                    problems.append(.error("no section '\(use.label)' on this page\(SourceText.didYouMean(use.label, in: ids)): give its heading '{#\(use.label)}'",
                                           at: use.location))
                    texts.append("")
                }
            } else if let f = figures[use.label] {
                let text = use.bare ? String(f.number) : HTML.escape((f.name ?? f.kind + " " + String(f.number)).replacingOccurrences(of: " ", with: "\u{A0}"))
                texts.append("<a href=\"#\(HTML.escape(use.label))\" class=\"cross-ref\">\(text)</a>")
            } else {
                let kind = use.label.hasPrefix("tbl-") ? "table" : "figure"
                problems.append(.error("no \(kind) labelled '\(use.label)' on this page\(SourceText.didYouMean(use.label, in: figures.keys)): add 'label: \(use.label)' to its ```\(kind == "table" ? "table" : "chart") block",
                                       at: use.location))
                texts.append("")
            }
        }
        if !problems.isEmpty { throw DiagnosticError(problems) }
        var out = ""
        var rest = html[...]
        while let start = rest.range(of: Self.open) {
            out += rest[..<start.lowerBound]
            let after = rest[start.upperBound...]
            guard let end = after.range(of: Self.close), let k = Int(after[..<end.lowerBound]), k < texts.count else {
                out += Self.open
                rest = after
                continue
            }
            out += texts[k]
            rest = after[end.upperBound...]
        }
        return out + rest
    }
}
