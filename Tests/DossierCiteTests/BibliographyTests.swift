import DossierCore
import DossierTestSupport
import Foundation
import Testing

@testable import DossierCite

@Suite struct BibliographyTests {
    /// (LaTeX, text)
    @Test(arguments: [
        ("M{\\\"u}ller", "Müller"), ("Garc\\'{i}a", "García"), ("\\'Emile", "Émile"), ("{\\'\\i}", "ı́"),
        ("Fran\\c{c}ois", "François"), ("\\v{S}koda", "Škoda"), ("Stra\\ss{}e", "Straße"), ("{\\o}re", "øre"),
        ("AT\\&T", "AT&T"), ("pages 1--2, a---b", "pages 1–2, a—b"), ("Dr.~No", "Dr.\u{A0}No"),
        ("\\emph{Very} important", "Very important"), ("``quoted''", "“quoted”"), ("Korea's", "Korea’s"),
        ("  spread\n   over lines ", "spread over lines"),
    ])
    func latexBecomesText(latex: String, text: String) {
        #expect(LaTeXText.text(latex) == text)
    }

    @Test(arguments: [
        ("{Korea}'s {AI} divide", "Korea’s AI Divide"), ("the state of the art: a survey", "The State of the Art: A Survey"),
        ("public-sector data", "Public-Sector Data"), ("Policy After The State", "Policy After the State"), ("iPhone sales", "iPhone Sales"),
    ])
    func titlesInHeadlineStyle(title: String, expected: String) {
        #expect(Reference.plain(TitleCase.apply(LaTeXText.text(title, protect: true))) == expected)
    }

    /// (names field, the names as reference lists show them: inverted first)
    @Test(arguments: [
        ("Kim, Minsu and Lee, Ji-woo", ["Kim, Minsu", "Ji-woo Lee"]),
        ("Minsu Kim and Ji-woo Lee", ["Kim, Minsu", "Ji-woo Lee"]),
        ("{World Bank} and {Food and Agriculture Organization}", ["World Bank", "Food and Agriculture Organization"]),
        ("Ludwig van Beethoven", ["Beethoven, Ludwig van"]),
        ("van Beethoven, Ludwig", ["Beethoven, Ludwig van"]),
        ("M{\\\"u}ller, J{\\\"o}rg AND Smith, Ann", ["Müller, Jörg", "Ann Smith"]),
    ])
    func namesAreSplitAndRead(field: String, expected: [String]) {
        var problems: [Diagnostic] = []
        let names = BibTeXFields.names("author", ["author": BibTeX.Field(raw: field, location: SourceLocation(path: "x", line: 1))], &problems)
        #expect(names.enumerated().map { $0.offset == 0 ? $0.element.inverted : $0.element.display } == expected)
    }

    /// (bib, the errors' headlines)
    @Test(arguments: [
        ("@article{a,\n  title = {T},\n  year = {20x0}\n}\n", ["references.bib:3:10: error: 'year' must be four digits, got '20x0'"]),
        ("@book{a, title = {One}}\n@book{a, title = {Two}}\n", ["references.bib:2:7: error: the key 'a' is used twice"]),
        ("@book{a, title = {One}, publisher = pub}\n", ["references.bib:1:37: error: unknown @string 'pub': define it with '@string{pub = {…}}', or put the value in braces"]),
        ("@book{a,\n  title = {Never closed,\n}\n@book{b, title = {Fine}}\n@book{c, year = 2020}\n",
         ["references.bib:1:1: error: entry 'a' is not closed: a '}' is missing before the next entry", "references.bib:5:1: error: entry 'c' has no title: add 'title = {…}'"]),
        ("@book{a, title = {T}, note = \"open\n", ["references.bib:1:30: error: this value is not closed: a '\"' is missing"]),
        ("@book{, title = {x}}\n", ["references.bib:1:7: error: '@book' entry has no key: write '@book{key,'"]),
        ("@online{w, title = {W}, urldate = {March 2024}}\n", ["references.bib:1:35: error: 'urldate' must be YYYY-MM-DD, got 'March 2024'"]),
        ("Comments outside entries are fine.\n@comment{anything}\n@book{a, title = {T}}\n", []),
    ])
    func badEntriesAreLocatedErrors(bib: String, expected: [String]) {
        let (_, errors) = BibTeX.parse(bib, path: "references.bib")
        #expect(errors.map(\.headline) == expected)
    }

    @Test func aBadFileStillYieldsItsGoodEntries() {
        let (references, errors) = BibTeX.parse("@book{a,\n  title = {Never closed,\n}\n@book{b, title = {Fine}}\n", path: "r.bib")
        #expect(references.map(\.key) == ["b"])
        #expect(errors.count == 1)
    }

    /// pandoc's CSL JSON for the test bibliography, read by Dossier, sets the same
    /// reference list as the BibTeX file itself.
    @Test func cslJSONMatchesTheBibTeXItCameFrom() throws {
        let bib = ReferenceCheckTests.fixture
        let json = try Pandoc.run(["-f", "bibtex", "-t", "csljson", bib.path])
        let (fromJSON, jsonErrors) = CSLData.parse(json, path: "references.json")
        #expect(jsonErrors.isEmpty, "\(jsonErrors)")
        let (fromBib, _) = BibTeX.parse(try String(contentsOf: bib, encoding: .utf8), path: "references.bib")
        let a = ReferenceCheckTests.entries(CitationProcessor(library: Library(fromJSON), style: .authorDate, path: "x", listAll: true).referenceListHTML(), tag: "p")
        let b = ReferenceCheckTests.entries(CitationProcessor(library: Library(fromBib), style: .authorDate, path: "x", listAll: true).referenceListHTML(), tag: "p")
        #expect(a.count == fromBib.count)
        // pandoc's CSL JSON writes a publisher list ("A and B") as one name, where its own
        // reference list from the .bib reads two ("A; B"): those two entries differ there.
        for key in b.keys.sorted() where !["moon2023", "beethoven2010"].contains(key) {
            #expect(a[key] == b[key], "\(key)")
        }
    }

    @Test func cslYAMLItemsAreLocated() {
        let yaml = "references:\n- id: a\n  type: book\n  title: A Book\n  issued: {date-parts: [[2020]]}\n- id: b\n  type: report\n  author: [{given: X}]\n"
        let (references, errors) = CSLData.parse(yaml, path: "references.yaml")
        #expect(references.map(\.key) == ["a"])
        #expect(errors.map(\.headline) == ["references.yaml:6:3: error: item 'b' has no title: add 'title: …'",
                                           "references.yaml:8:12: error: a name needs 'family' (and 'given'), or 'literal' for an organisation"])
    }

    /// Hostile files end quickly with an error or a bound: nesting, doubling @strings, long
    /// braced names, brackets without end.
    @Test func hostileInputIsBounded() {
        let clock = ContinuousClock()
        let start = clock.now
        let deep = String(repeating: "\\emph{", count: 20_000) + "x" + String(repeating: "}", count: 20_000)
        _ = BibTeX.parse("@book{a, title = {\(deep)}}\n", path: "r.bib")
        var doubling = "@string{s0 = \"xxxxxxxxxx\"}\n"
        for k in 1...40 { doubling += "@string{s\(k) = s\(k - 1) # s\(k - 1)}\n" }
        let (_, errors) = BibTeX.parse(doubling + "@book{b, title = s40}\n", path: "r.bib")
        #expect(errors.contains { $0.message.contains("longer than 1 MB") })
        let name = "{" + String(repeating: "a", count: 200_000) + "}"
        _ = BibTeX.parse("@book{c, title = {T}, author = {\(name)}}\n", path: "r.bib")
        _ = CitationSyntax.find(in: String(repeating: "[@a ", count: 50_000))
        #expect(clock.now - start < .seconds(20))
    }
}
