@testable import DossierCore
import Testing

/// The fast front matter reader must agree with Yams, value for value and position for
/// position, on everything it accepts — and decline everything else.
@Suite struct SimpleYAMLTests {
    static func describe(_ tree: YAMLTree) -> String {
        switch tree {
        case .scalar(let v, let l): return "\(v)@\(l.line):\(l.column)"
        case .sequence(let items, let l): return "[" + items.map(describe).joined(separator: ", ") + "]@\(l.line):\(l.column)"
        case .mapping(let pairs, let l):
            return "{" + pairs.map { "\($0.key)@\($0.keyLocation.line):\($0.keyLocation.column)=\(describe($0.value))" }.joined(separator: "; ") + "}@\(l.line):\(l.column)"
        }
    }

    static let accepted = [
        "title: \"Rethinking apprenticeship funding: options for 2024\"\ndate: 2024-03-18T09:30:00Z\nsummary: \"A short summary, with commas.\"\ntags:\n  - apprenticeship funding\n  - policy\nauthors: [\"Ana Analyst\", \"B. Author\"]\ndraft: false",
        "title: Plain title\ndate: 2025-06-01\nweight: 2\nscore: -3.25\nlayout: article",
        "title: 'It''s quoted'\ntags: [a, b, \"c d\"]\nempty:\nnothing: ~\nflag: True",
        "title: Hangul 한국의 AI 격차\nkicker: Policy briefing # a comment\nauthors: []",
        "# a comment first\ntitle: T\n\ntags:\n- flush left\n- items\nsummary: >-",
        "title: \"Escapes \\\" \\\\ \\n\"\nurl: https://example.org/a?b=c",
        "title: T\ndate: 2025-06-01 10:30:00\nupdated: 2025-06-01T10:30:00+02:00",
        "title: T\nlist:\n    - deeper\n    - indent",
        "title: 서울\ntags: [\"한국어\", 데이터, 'it''s', x]\nauthors: [\"é\", b] # trailing comment\nitems:\n  - \"q\" # note\n  -   spaced",
    ]

    @Test(arguments: accepted)
    func agreesWithYams(text: String) throws {
        let yams = try YAMLReader.parseWithYams(text, path: "a.md", firstLine: 2)
        if let simple = SimpleYAML.parse(text, path: "a.md", firstLine: 2) {
            #expect(Self.describe(simple) == Self.describe(yams))
        }
    }

    @Test func acceptsTheCommonForms() {
        for text in Self.accepted.prefix(4) + Self.accepted.suffix(1) { #expect(SimpleYAML.parse(text, path: "a.md", firstLine: 2) != nil, "\(text)") }
    }

    static let declined = [
        "title: yes", "title: 0123", "title: 0x1F", "title: 1_000", "title: .inf", "title: 12:30:00", "title: a: b",
        "author:\n  name: nested", "title: &anchor x", "title: *alias", "title: |\n  block", "title: {a: 1}",
        "title: T\ntitle: again", "  indented: key", "title: \"unclosed", "tags: [a, [b]]", "title: !tag x",
        "title: 2025-13-45", "- a\n- b", "", "title: \"bad \\x escape\"", "date: 2025-06-01 garbage",
    ]

    @Test(arguments: declined)
    func declinesWhatItDoesNotKnow(text: String) {
        #expect(SimpleYAML.parse(text, path: "a.md", firstLine: 1) == nil, "\(text)")
    }

    @Test(arguments: declined)
    func yamsStillDecidesTheDeclined(text: String) throws {
        // Whatever the fast path declines reads exactly as Yams reads it (or fails as it does).
        let viaReader = Result { try YAMLReader.parse(text, path: "a.md") }
        let viaYams = Result { try YAMLReader.parseWithYams(text, path: "a.md") }
        switch (viaReader, viaYams) {
        case let (.success(a), .success(b)): #expect(Self.describe(a) == Self.describe(b))
        case (.failure, .failure): break
        default: Issue.record("the fast path changed the outcome for \(text)")
        }
    }
}

/// Yams hashes mapping keys while composing, so a document with aliases is checked before
/// Yams sees it: an alias (or a collection) as a key, and an expansion past the budget,
/// are located errors; ordinary aliases read as before.
@Suite struct YAMLAliasCheckTests {
    static let refused: [(text: String, line: Int, column: Int, message: String)] = [
        ("a: &x [1, 2]\n*x: 2\n", 2, 1, "mapping keys must be plain text"),
        ("a: &x 1\nb: {*x: 1}\n", 2, 5, "mapping keys must be plain text"),
        ("a: &x 1\nb:\n  - [*x, 1]: 3\n", 3, 5, "mapping keys must be plain text"),
        ("a: &x 1\n? *x\n: 1\n", 2, 3, "mapping keys must be plain text"),
        ("a: &x 1\nb: [?*x, 1]\n", 2, 6, "mapping keys must be plain text"),
        ("a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
            + "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d]\n", 4, 36, "YAML aliases expand"),  // the 8th *c passes 10,000
    ]

    @Test(arguments: refused.indices)
    func refusedAtTheirPlace(_ i: Int) {
        let c = Self.refused[i]
        do {
            _ = try YAMLReader.parse(c.text, path: "x.yaml")
            Issue.record("read \(c.text.debugDescription)")
        } catch {
            let d = error.diagnostics.first
            #expect(d?.message.contains(c.message) == true, "\(String(describing: d))")
            #expect(d?.location?.line == c.line && d?.location?.column == c.column, "\(c.text.debugDescription): \(String(describing: d?.location))")
        }
    }

    @Test func ordinaryAliasesStillRead() throws {
        let tree = try YAMLReader.parse("a: &x [1, 2]\nb: *x\nc: {k: *x}\nd: '*x: y'\ne: \"*x: \\\"y\"\nf: 1 # *x: y\n", path: "x.yaml")
        #expect(tree["b"]?.value == [1, 2])
        #expect(tree["c"]?.value == ["k": [1, 2]])
        #expect(tree["d"]?.value == "*x: y")
        #expect(tree["f"]?.value == 1)
    }

    @Test func anAliasKeyBombIsRefusedAtOnce() throws {
        var bomb = "a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n"
        for (p, c) in zip("abcdefghijk", "bcdefghijkl") { bomb += "\(c): &\(c) [" + Array(repeating: "*\(p)", count: 9).joined(separator: ", ") + "]\n" }
        for key in ["m: {*l: 1}\n", "m: [?*l, 1]\n", "? [*l]\n: 1\n"] {
            let start = ContinuousClock.now
            do {
                _ = try YAMLReader.parse(bomb + key, path: "x.yaml")
                Issue.record("read an alias key")
            } catch {
                #expect(error.diagnostics.first?.location?.line ?? 0 >= 2)
            }
            #expect(ContinuousClock.now - start < .seconds(5))
        }
    }
}
