import DossierCore
import DossierData
import Testing

@Suite struct CSVTests {
    static let cases: [(String, String, [[String]])] = [
        ("plain", "a,b\n1,2\n", [["a", "b"], ["1", "2"]]),
        ("CRLF and BOM", "\u{FEFF}a,b\r\n1,2\r\n", [["a", "b"], ["1", "2"]]),
        ("quoted comma", "a,b\n\"x, y\",2\n", [["a", "b"], ["x, y", "2"]]),
        ("escaped quote", "a\n\"say \"\"hi\"\"\"\n", [["a"], ["say \"hi\""]]),
        ("embedded newline", "a,b\n\"line 1\nline 2\",2\n", [["a", "b"], ["line 1\nline 2", "2"]]),
        ("empty cells", "a,b,c\n,,\n", [["a", "b", "c"], ["", "", ""]]),
        ("blank lines skipped", "a\n\n1\n\n", [["a"], ["1"]]),
        ("no final newline", "a,b\n1,2", [["a", "b"], ["1", "2"]]),
    ]

    @Test(arguments: cases)
    func parses(name: String, text: String, expected: [[String]]) throws {
        let records = try CSVParser.parse(text, path: "x.csv")
        #expect(records.map { $0.map(\.text) } == expected, "\(name)")
    }

    @Test func fieldsKnowTheirPosition() throws {
        let records = try CSVParser.parse("a,bb\n\"q\nq\",z\n", path: "x.csv")
        #expect(records[1][1].line == 3 && records[1][1].column == 4)
    }

    @Test(arguments: [("a\n\"open\n", "x.csv:2:1"), ("a\nab\"c\n", "x.csv:2:3"), ("a\n\"q\"x\n", "x.csv:2:4")])
    func malformed(text: String, location: String) {
        do {
            _ = try CSVParser.parse(text, path: "x.csv")
            Issue.record("expected an error")
        } catch {
            #expect(error.diagnostics.first?.location?.description == location)
        }
    }
}

@Suite struct DatasetValidationTests {
    static let scales = """
        adoption:
          levels:
            - name: Nascent
              synonyms: [Nascent Stage]
            - Intermediate
            - Advanced
            - Pioneering
          note: editorial
        """
    static let meta = "source: { name: Test }\nscale: adoption\nkey: Sector\n"

    func load(_ csv: String, meta: String = DatasetValidationTests.meta) throws(DiagnosticError) -> DataCatalog {
        try DataCatalog.load(files: [
            "Content/data/scales.yaml": Self.scales, "Content/data/adoption.csv": csv, "Content/data/adoption.yaml": meta,
        ])
    }

    func errors(_ csv: String, meta: String = DatasetValidationTests.meta) -> [String] {
        do {
            _ = try load(csv, meta: meta)
            return []
        } catch {
            return error.diagnostics.map(\.headline)
        }
    }

    @Test func loadsTypedCellsWithMissingValues() throws {
        let catalog = try load("Sector,KR,US\nHealth,Nascent Stage,pioneering\nFinance,n/a,Advanced\n")
        let d = try #require(catalog.datasets["adoption"])
        #expect(d.rows[0][1].value == .level(0, "Nascent"))
        #expect(d.rows[0][1].raw == "Nascent Stage")
        #expect(d.rows[0][2].value == .level(3, "Pioneering"))
        #expect(d.rows[1][1].value == .missing)
        #expect(d.missingCount == 1)
        #expect(d.rows[1][2].location.description == "Content/data/adoption.csv:3:13")
    }

    @Test func reportsEveryProblemWithItsPosition() {
        let found = errors("Sector,KR,US\nHealth,Advnced,Pioneering\nHealth,Nascent,Advanced\nFinance,Nascent\n")
        #expect(found == [
            "Content/data/adoption.csv:2:8: error: 'Advnced' is not a level of scale 'adoption' (did you mean 'Advanced'?)",
            "Content/data/adoption.csv:3:1: error: duplicate row 'Health' (first defined at Content/data/adoption.csv:2:1)",
            "Content/data/adoption.csv:4:9: error: this row has 2 fields but the header has 3",
        ])
    }

    @Test func numericColumnsRejectText() {
        let found = errors("Year,Value\n2020,1.5\n2021,lots\n", meta: "source: x\ncolumns: { Value: number }\n")
        #expect(found == ["Content/data/adoption.csv:3:6: error: 'lots' is not a number (column 'Value' is numeric)"])
    }

    @Test func datasetsNeedASource() {
        let found = errors("Sector,KR\nHealth,Nascent\n", meta: "title: No source\nscale: adoption\n")
        #expect(found.count == 1 && found[0].contains("has no source"))
    }

    @Test func unknownScaleIsNamed() {
        let found = errors("Sector,KR\nHealth,Nascent\n", meta: "source: x\nscale: adoptoin\n")
        #expect(found.first?.contains("unknown scale 'adoptoin' (did you mean 'adoption'?)") == true)
    }

    @Test func yamlDatasets() throws {
        let catalog = try DataCatalog.load(files: [
            "Content/data/series.yaml": """
                title: Investment
                unit: USD
                source: { name: Example, url: "https://example.org" }
                columns: { Year: number, China: number }
                key: Year
                rows:
                  - { Year: 2023, China: 1.5e11 }
                  - { Year: 2024, China: null }
                """,
        ])
        let d = try #require(catalog.datasets["series"])
        #expect(d.rows[0][1].value == .number(150_000_000_000))
        #expect(d.rows[1][1].value == .missing)
        #expect(d.source?.url == "https://example.org")
    }
}
