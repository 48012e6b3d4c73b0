import DossierCore
import DossierTestSupport
import Foundation
import Testing

@testable import DossierCite

/// The reference list Dossier sets for `Fixtures/references.bib` (26 entries: journal and
/// newspaper articles, books, edited books, chapters, reports with an institution as
/// author, web pages, datasets, legislation, a work without author or date) against what
/// `pandoc --citeproc` sets for the same file with its default style, Chicago author-date.
/// Compared entry by entry as text: tags dropped, entities read, white space collapsed.
@Suite struct ReferenceCheckTests {
    static let fixture = Bundle.module.url(forResource: "Fixtures/references", withExtension: "bib")!

    static func normalised(_ html: String) -> String {
        var s = html.replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
        for (entity, text) in [("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&nbsp;", "\u{A0}")] {
            s = s.replacingOccurrences(of: entity, with: text)
        }
        s = s.replacingOccurrences(of: "\u{A0}", with: " ")
        return s.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).joined(separator: " ").precomposedStringWithCanonicalMapping
    }

    /// `id` → text of each entry, from `<tag id="ref-…" …>…</tag>` blocks.
    static func entries(_ html: String, tag: String) -> [String: String] {
        var out: [String: String] = [:]
        let pattern = "<\(tag) id=\"ref-([^\"]+)\"[^>]*>(.*?)</\(tag)>"
        let regex = try! NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators])
        let ns = html as NSString
        for m in regex.matches(in: html, range: NSRange(location: 0, length: ns.length)) {
            out[ns.substring(with: m.range(at: 1))] = normalised(ns.substring(with: m.range(at: 2)))
        }
        return out
    }

    static func pandoc(_ bib: URL) throws -> String {
        try Pandoc.citeproc(Pandoc.everyEntry, bibliography: bib, to: "html")
    }

    @Test func everyEntryMatchesPandoc() throws {
        let text = try String(contentsOf: Self.fixture, encoding: .utf8)
        let (references, errors) = BibTeX.parse(text, path: "references.bib")
        #expect(errors.isEmpty, "\(errors)")
        #expect(references.count >= 25)
        let processor = CitationProcessor(library: Library(references), style: .authorDate, path: "x.md", listAll: true)
        let ours = Self.entries(processor.referenceListHTML(), tag: "p")
        let theirs = Self.entries(try Self.pandoc(Self.fixture), tag: "div")
        #expect(theirs.count == references.count, "pandoc set \(theirs.count) entries")
        for key in theirs.keys.sorted() {
            #expect(ours[key] == theirs[key], "\(key):\n  ours:   \(ours[key] ?? "missing")\n  pandoc: \(theirs[key]!)")
        }
        // The same order.
        let order = { (html: String, tag: String) -> [String] in
            let regex = try! NSRegularExpression(pattern: "<\(tag) id=\"ref-([^\"]+)\"")
            let ns = html as NSString
            return regex.matches(in: html, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range(at: 1)) }
        }
        #expect(order(processor.referenceListHTML(), "p") == order(try Self.pandoc(Self.fixture), "div"))
    }
}
