import DossierCore
import Foundation
import Testing

@Suite struct TOMLReaderTests {
    @Test func readsWhatFrontMatterWrites() throws {
        let toml = """
            title = "A \\"quoted\\" \\u00e9"
            'literal key' = 'C:\\path'
            count = 1_000
            ratio = -2.5e3
            on = true
            when = 1979-05-27T07:32:00Z
            day = 2025-06-01
            tags = [ "a", 'b', ]   # trailing comma
            nested = [[1, 2], [3]]
            point = { x = 1, y = { z = "deep" } }
            site.name = "dotted"
            text = \"\"\"
            two
            lines\"\"\"

            [params]
            kicker = "Brief"
            [params.more]
            n = 2
            """
        let tree = try TOMLReader.parse(toml, path: "a.md", firstLine: 2)
        let v = tree.value
        #expect(v["title"] == .string("A \"quoted\" é"))
        #expect(v["literal key"] == .string("C:\\path"))
        #expect(v["count"] == .number(1000))
        #expect(v["ratio"] == .number(-2500))
        #expect(v["on"] == .bool(true))
        #expect(v["when"] == .string("1979-05-27T07:32:00Z"))
        #expect(v["day"] == .string("2025-06-01"))
        #expect(v["tags"] == .array([.string("a"), .string("b")]))
        #expect(v["nested"] == .array([.array([.number(1), .number(2)]), .array([.number(3)])]))
        #expect(v["point"]?["y"]?["z"] == .string("deep"))
        #expect(v["site"]?["name"] == .string("dotted"))
        #expect(v["text"] == .string("two\nlines"))
        #expect(v["params"]?["kicker"] == .string("Brief"))
        #expect(v["params"]?["more"]?["n"] == .number(2))
        // Keys in order, each located in the file.
        #expect(tree.keys.prefix(3) == ["title", "literal key", "count"])
        #expect(tree["count"]?.location == SourceLocation(path: "a.md", line: 4, column: 9))
    }

    /// (TOML, the error's headline; the text starts at line 2)
    @Test(arguments: [
        ("a = 1\na = 2\n", "a.md:3:1: error: 'a' is given twice"),
        ("a = \n", "a.md:2:5: error: expected a value"),
        ("a = [1, 2\n", "a.md:3:1: error: expected ',' or ']' in the array"),
        ("a = 1 b\n", "a.md:2:7: error: expected the end of the line after the value"),
        ("a = 1\n[a]\n", "a.md:3:2: error: 'a' is already a value, not a table"),
        ("[t]\nx = 1\n[t]\ny = 2\n", "a.md:4:1: error: the table 't' is defined twice"),
        ("a = \"\\q\"\n", "a.md:2:8: error: unknown escape '\\q' in a string"),
        ("= 1\n", "a.md:2:1: error: expected a key (letters, digits, '_', '-', or a quoted name)"),
        ("a = " + String(repeating: "[", count: 100) + "\n", "a.md:2:69: error: arrays and tables nested more than 64 deep"),
    ])
    func errorsAreLocated(toml: String, expected: String) {
        do {
            _ = try TOMLReader.parse(toml, path: "a.md", firstLine: 2)
            Issue.record("should fail")
        } catch {
            #expect(error.diagnostics.map(\.headline) == [expected])
        }
    }
}
