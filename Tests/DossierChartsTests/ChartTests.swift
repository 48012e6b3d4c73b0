import DossierCharts
import DossierCore
import DossierData
import Foundation
import Testing

func catalog(_ csv: String) throws -> DataCatalog {
    try DataCatalog.load(files: [
        "d/scales.yaml": "adoption:\n  levels: [Nascent, Intermediate, Advanced, Pioneering]\n  note: editorial\n",
        "d/adoption.csv": csv,
        "d/adoption.yaml": "source: { name: Test }\nscale: adoption\n",
    ])
}

func figure(_ kind: ChartSpec.Kind, _ csv: String, configure: (inout ChartSpec) -> Void = { _ in }) throws -> Figure {
    let c = try catalog(csv)
    var spec = ChartSpec(kind: kind, data: "adoption")
    configure(&spec)
    return try Figure(spec: spec, dataset: c.datasets["adoption"]!, scales: c.scales, number: 1, csvURL: "/data/adoption.csv",
                      jsonURL: "/data/adoption.json", at: SourceLocation(path: "a.md", line: 1))
}

let sample = "Sector,South Korea,United States,China\nHealthcare,Intermediate,Pioneering,Pioneering\nManufacturing,Nascent,Advanced,Intermediate\nFinance,,Advanced,Advanced\n"

@Suite struct ChartTests {
    static let kinds: [ChartSpec.Kind] = [.heatmap, .dumbbell, .bar, .groupedBar, .table]

    func make(_ kind: ChartSpec.Kind) throws -> String {
        FigureRenderer.html(try figure(kind, sample) { spec in
            spec.highlight = "South Korea"
            if kind == .dumbbell { spec.from = "South Korea"; spec.to = .rowLeader; spec.sort = .gap }
        })
    }

    /// Golden files: `DOSSIER_RECORD=1 swift test` rewrites them (and fails, so a
    /// recording run is never mistaken for a passing one).
    @Test(arguments: kinds)
    func matchesGolden(kind: ChartSpec.Kind) throws {
        let html = try make(kind)
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots/\(kind.rawValue).html")
        if ProcessInfo.processInfo.environment["DOSSIER_RECORD"] != nil {
            try Data(html.utf8).write(to: url)
            Issue.record("recorded \(url.lastPathComponent); run again without DOSSIER_RECORD")
            return
        }
        let golden = try String(contentsOf: url, encoding: .utf8)
        #expect(html == golden)
    }

    /// The line chart's golden file: years on x, two series, a missing value (a gap in
    /// its line, not a zero).
    @Test func lineMatchesGolden() throws {
        let c = try DataCatalog.load(files: [
            "d/series.csv": "Year,South Korea,OECD\n2019,12.5,10\n2020,14,11.5\n2021,,12\n2022,19.25,13\n2023,23,14.5\n",
            "d/series.yaml": "source: { name: Test }\nunit: per cent\n",
        ])
        var spec = ChartSpec(kind: .line, data: "series")
        spec.x = "Year"
        let html = FigureRenderer.html(try Figure(spec: spec, dataset: c.datasets["series"]!, scales: c.scales, number: 1,
                                                  csvURL: "/data/series.csv", jsonURL: "/data/series.json", at: SourceLocation(path: "a.md", line: 1)))
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots/line.html")
        if ProcessInfo.processInfo.environment["DOSSIER_RECORD"] != nil {
            try Data(html.utf8).write(to: url)
            Issue.record("recorded \(url.lastPathComponent); run again without DOSSIER_RECORD")
            return
        }
        #expect(html == (try String(contentsOf: url, encoding: .utf8)))
        #expect(html.contains("<svg") && html.contains("OECD"))
    }

    /// On a phone-width figure the heat map puts row labels above the rows, so every cell
    /// shows its level's whole name; the desktop figure keeps them beside the rows.
    @Test func heatmapCellsShowWholeLevelNamesOnPhones() throws {
        let html = try make(.heatmap)
        let narrow = String(html[html.range(of: "dsr-narrow")!.lowerBound...])
        let wide = String(html[..<html.range(of: "dsr-narrow")!.lowerBound])
        for part in [narrow, wide] {
            #expect(part.contains(">Intermediate</text>"))
            #expect(!part.contains("Intermedi…"))
        }
        #expect(narrow.contains("text-anchor=\"start\" font-weight=\"700\"><tspan x=\"8\">Healthcare"))  // stacked, bold, left-aligned
        #expect(wide.contains("text-anchor=\"end\"><tspan x=\"100.66\">Healthcare"))  // beside the row
    }

    @Test(arguments: kinds)
    func accessibleAndWellFormed(kind: ChartSpec.Kind) throws {
        let html = try make(kind)
        #expect(!html.contains("NaN") && !html.contains("inf\""))
        if kind != .table {
            #expect(html.contains("role=\"img\" aria-labelledby=\"dsr-adoption-1-t dsr-adoption-1-d\""))
            #expect(html.contains("<desc id=\"dsr-adoption-1-d\">"))
            #expect(html.contains("<details class=\"fig-data\">"))
        }
        #expect(html.contains("Download the data (CSV)"))
        #expect(html.contains("not stated") || html.contains("Not stated"))
        #expect(html.contains("<th scope=\"col\">"))
    }

    @Test func hostileLabelsAreEscaped() throws {
        let hostile = "Sector,South Korea,\"<script>alert(1)</script>\"\n\"\"\"><img onerror=x>\",Nascent,Advanced\n\"한국 & \"\"quotes\"\" very very very very very very long label\",Intermediate,Pioneering\nالمملكة العربية السعودية,Advanced,Advanced\n"
        for kind in [ChartSpec.Kind.heatmap, .bar, .table] {
            let html = FigureRenderer.html(try figure(kind, hostile))
            #expect(!html.contains("<script>"))
            #expect(!html.contains("<img"))
            #expect(html.contains("&lt;script&gt;"))
            #expect(html.contains("المملكة"))
            #expect(!html.contains("NaN"))
        }
    }

    @Test func heatmapSummaryNamesTheExtremes() throws {
        let html = try make(.heatmap)
        #expect(html.contains("Highest (Pioneering): United States in Healthcare; China in Healthcare."))
        #expect(html.contains("1 value is not stated."))
    }

    /// CHARTS.md: a level's label must reach 4.5:1 on its fill, and series colours 3:1 on
    /// the light and dark backgrounds.
    @Test(arguments: 2...6)
    func paletteContrast(levels: Int) {
        for index in 0..<levels {
            let swatch = ChartPalette.ordinal(index, of: levels)
            #expect(ChartPalette.contrast(swatch.label, swatch.fill) >= 4.5, "\(levels) levels, step \(index): \(swatch)")
        }
        for colour in ChartPalette.series {
            #expect(ChartPalette.contrast(colour, "#FFFFFF") >= 3)
            #expect(ChartPalette.contrast(colour, "#121212") >= 3)
        }
    }

    @Test func niceTicks() {
        #expect(SVGKit.ticks(0, 150) == [0, 50, 100, 150])
        #expect(SVGKit.ticks(0, 0.87) == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(SVGKit.formatValue(150e9, unit: "USD", reference: 150e9) == "$150bn")
    }

    @Test func textWidthCountsHangulWide() {
        #expect(SVGKit.textWidth("한국", size: 10) > SVGKit.textWidth("ab", size: 10))
        #expect(SVGKit.truncate("A very long label indeed", width: 60, size: 12).text.hasSuffix("…"))
    }

    /// Ticks for any pair of doubles: finite, ordered, never a crash (±1.7e308 once
    /// trapped converting an infinite span to Int).
    static let extremeRanges: [(Double, Double)] = [
        (-1.7e308, 1.7e308), (0, 1.7e308), (-Double.greatestFiniteMagnitude, 0), (0, 5e-324), (1e-300, 2e-300),
        (5, 5), (-3, -3), (0, 0), (1e15, 1e15 + 1),
    ]

    @Test(arguments: extremeRanges)
    func ticksForExtremeRanges(_ lo: Double, _ hi: Double) {
        let ticks = SVGKit.ticks(lo, hi)
        #expect(!ticks.isEmpty && ticks.count <= 101)
        #expect(ticks.allSatisfy { $0.isFinite })
        #expect(ticks == ticks.sorted())
    }
}
