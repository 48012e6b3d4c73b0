import DossierCore
import DossierSite
import DossierTestSupport
import Foundation
import Testing

/// Builds the bundled briefing (this repository's Content/ and Templates/) end to end.
@Suite struct FlagshipTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func buildFlagship() throws -> URL {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-flagship-\(UUID().uuidString)")
        TemporaryFolders.removeAtExit(output)
        TemporaryFolders.removeAtExit(output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).dossier-cache"))
        var options = BuildOptions(site: Self.repository, output: output, strict: true)
        options.offline = true  // (its remote dataset: the shipped copy, also on a CI runner that sets GITHUB_SHA)
        let report = try SiteBuilder.build(options)
        #expect(report.warnings.isEmpty)
        return output
    }

    func read(_ root: URL, _ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    /// `make bench-templates` (and the end of `make bench`) renders the flagship article's
    /// template: it must find the page and its summary (it once looked the summary up by
    /// the wrong key and stopped `make bench` at its last step).
    @Test func theTemplateBenchmarkRunsOnTheFlagship() throws {
        let result = try TemplateBenchmark.run(site: Self.repository, page: "Content/briefing.md", iterations: 2)
        #expect(result.iterations == 2 && result.bytesPerRender > 10_000)
    }

    @Test func buildsStrictlyWithChartsTablesAndData() throws {
        let out = try buildFlagship()
        let briefing = try read(out, "briefing/index.html")
        #expect(briefing.contains("class=\"dsr dsr-heatmap dsr-wide\""))
        #expect(briefing.contains("class=\"dsr dsr-heatmap dsr-narrow\""))
        #expect(briefing.contains("class=\"dsr dsr-dumbbell dsr-wide\""))
        #expect(briefing.contains("Table 1."))
        #expect(briefing.contains("not stated"))
        #expect(briefing.contains("$150 billion"))
        #expect(!briefing.contains("NASCAR"))
        let csv = try read(out, "data/policy-framework.csv")
        #expect(csv.hasSuffix("Inclusivity in development processes,Emerging initiatives,\r\n"))
        let home = try read(out, "index.html")
        #expect(home.contains("Key findings"))
        // A dataset's notes, source and licence once per page; a later figure refers to them.
        #expect(briefing.components(separatedBy: "How levels were assigned:").count == 2)
        #expect(briefing.contains("Notes, source and licence: as for <a href=\"#fig-sectors\">Figure 1</a>."))
        // The home page's tags list it; titles keep curly apostrophes.
        #expect(try read(out, "tags/south-korea/index.html").contains("<a href=\"/\">South Korea’s AI divide: a data briefing</a>"))
        // Curly quotes throughout the text a reader sees.
        for page in ["index.html", "briefing/index.html", "data/index.html", "print/index.html"] {
            let text = try read(out, page).replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression)
            #expect(!text.contains("'") && !text.contains("&#39;") && !text.contains("&quot;") && !text.contains("\""), "straight quotes on \(page)")
        }
    }

    /// The print view: one h1, headings that never skip a level (each page's own headings
    /// set one level below its section's), and the datasets with their addresses.
    @Test func thePrintViewHasAnOutlineAndTheData() throws {
        let print = try read(try buildFlagship(), "print/index.html")
        var levels: [Int] = []
        for part in print.components(separatedBy: "<h").dropFirst() {
            if let level = part.first?.wholeNumberValue, part.dropFirst().first == ">" || part.dropFirst().first == " " { levels.append(level) }
        }
        #expect(levels.filter { $0 == 1 }.count == 1 && levels.first == 1)
        for (a, b) in zip(levels, levels.dropFirst()) { #expect(b <= a + 1, "h\(a) then h\(b)") }
        #expect(print.contains("<h3 id=\"s2-why-south-korea-is-slipping\">"))
        #expect(print.contains("(https://example.org/data/sector-adoption.csv)") && print.contains("<h2 id=\"print-data\">The data</h2>"))
    }

    /// On phones the dumbbell keeps whole row labels and sets its axis labels on one line.
    @Test func thePhoneDumbbellReadsInOneRow() throws {
        let briefing = try read(try buildFlagship(), "briefing/index.html")
        let start = try #require(briefing.range(of: "<svg class=\"dsr dsr-dumbbell dsr-narrow\""))
        let svg = briefing[start.lowerBound..<briefing.range(of: "</svg>", range: start.upperBound..<briefing.endIndex)!.upperBound]
        #expect(svg.contains(">Financial technology (FinTech)</text>"))
        let axis = try #require(svg.range(of: "<g class=\"dsr-axis\">")).upperBound
        let labels = svg[axis..<svg.range(of: "</g>", range: axis..<svg.endIndex)!.lowerBound]
        var ys = Set<String>()
        for text in labels.components(separatedBy: "<text ").dropFirst() {
            if let r = text.range(of: " y=\"") { ys.insert(String(text[r.upperBound...].prefix { $0 != "\"" })) }
        }
        #expect(ys.count == 1, "axis labels on \(ys.count) lines")
        #expect(labels.components(separatedBy: "<text ").count - 1 == 4)
    }

    /// Every page parses as XML-compatible SVG fragments: each `<svg>…</svg>` is checked
    /// with xmllint when it is installed (the Makefile installs it).
    @Test func everySVGIsWellFormed() throws {
        let out = try buildFlagship()
        let xmllint = ["/usr/bin/xmllint", "/usr/local/bin/xmllint"].first { FileManager.default.isExecutableFile(atPath: $0) }
        var checked = 0
        for page in ["index.html", "briefing/index.html", "data/index.html"] {
            let html = try read(out, page)
            var rest = html[...]
            while let start = rest.range(of: "<svg "), let end = rest.range(of: "</svg>", range: start.upperBound..<rest.endIndex) {
                let svg = String(rest[start.lowerBound..<end.upperBound])
                #expect(!svg.contains("NaN") && !svg.contains("=\"inf") && !svg.contains("-inf"))
                if let xmllint {
                    let file = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-\(UUID().uuidString).svg")
                    try Data(svg.utf8).write(to: file)
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: xmllint)
                    process.arguments = ["--noout", file.path]
                    try process.run()
                    process.waitUntilExit()
                    #expect(process.terminationStatus == 0, "xmllint rejected an SVG in \(page)")
                }
                checked += 1
                rest = rest[end.upperBound...]
            }
        }
        #expect(checked >= 2)
    }
}
