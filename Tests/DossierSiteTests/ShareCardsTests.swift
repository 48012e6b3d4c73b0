import DossierCore
@testable import DossierSite
import DossierTestSupport
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// Share cards (#18): `og:image` PNGs drawn at build time with rsvg-convert.
@Suite struct ShareCardsTests {
    static func build(into name: String) throws -> URL {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-cards-\(name)-\(UUID().uuidString)")
        TemporaryFolders.removeAtExit(output)
        TemporaryFolders.removeAtExit(ShareCards.cacheLocation(for: output))
        TemporaryFolders.removeAtExit(BuildCache.location(for: output))
        var options = BuildOptions(site: FlagshipTests.repository, output: output, strict: true)
        options.offline = true
        _ = try SiteBuilder.build(options)
        return output
    }

    /// The width and height a PNG's header gives.
    static func size(_ png: [UInt8]) -> (Int, Int)? {
        guard png.count > 24, png.prefix(8) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], Array(png[12..<16]) == Array("IHDR".utf8) else { return nil }
        func int(_ at: Int) -> Int { png[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (int(16), int(20))
    }

    @Test func theFlagshipsPagesHaveCards() throws {
        let output = try Self.build(into: "a")
        let briefing = try String(contentsOf: output.appendingPathComponent("briefing/index.html"), encoding: .utf8)
        #expect(briefing.contains("<meta property=\"og:image\" content=\"https://example.org/briefing/share.png\">"))
        #expect(briefing.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"))
        #expect(briefing.contains("<meta property=\"og:image:alt\" content=\"Falling behind on AI: why South Korea’s lead is slipping: South Korea trails in every sector compared\">"))
        // A page without a chart shows the site's card.
        let home = try String(contentsOf: output.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(home.contains("<meta property=\"og:image\" content=\"https://example.org/share-card.png\">"))
        for path in ["briefing/share.png", "share-card.png"] {
            let png = try #require(FileText.bytes(output.appendingPathComponent(path).path), "\(path)")
            #expect(Self.size(png).map { [$0.0, $0.1] } == [1200, 630], "\(path)")
        }
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("share.png").path))
        #expect(try String(contentsOf: output.appendingPathComponent("manifest.json"), encoding: .utf8).contains("briefing/share.png"))
        // Deterministic: drawn again from nothing, the same bytes.
        let again = try Self.build(into: "b")
        for path in ["briefing/share.png", "share-card.png"] {
            #expect(FileText.bytes(output.appendingPathComponent(path).path) == FileText.bytes(again.appendingPathComponent(path).path), "\(path)")
        }
    }

    @Test(arguments: [("index.html", "share.png"), ("briefing/index.html", "briefing/share.png"), ("notes/a.html", "notes/a.share.png")])
    func whereACardGoes(page: String, card: String) {
        #expect(ShareCards.path(for: page) == card)
    }

    @Test func aSiteThatShowsNoCardsMakesNone() throws {
        let site = try Fixture(Fixture.basic)
        try site.build()
        #expect(!site.tree().keys.contains { $0.hasSuffix(".png") })
    }

    /// A file beside a page where its card goes is an error, not silently replaced.
    @Test func aFileWhereACardGoesIsAnError() throws {
        let site = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-cards-clash-\(UUID().uuidString)")
        TemporaryFolders.removeAtExit(site)
        try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
        for folder in ["Content", "Templates"] {
            try FileManager.default.copyItem(at: FlagshipTests.repository.appendingPathComponent(folder), to: site.appendingPathComponent(folder))
        }
        try FileManager.default.createDirectory(at: site.appendingPathComponent("Content/briefing"), withIntermediateDirectories: true)
        try Data([0x89, 0x50]).write(to: site.appendingPathComponent("Content/briefing/share.png"))
        var options = BuildOptions(site: site, output: site.appendingPathComponent("Output"))
        options.offline = true
        #expect { try SiteBuilder.build(options) } throws: { error in
            (error as? DiagnosticError)?.diagnostics.contains { $0.message.hasPrefix("Content/briefing/share.png would be published where the site writes a file of its own") } == true
        }
    }

    @Test func withoutTheRasteriserItIsAClearError() {
        #expect(ShareCards.rasteriser(path: "/nonexistent") == nil)
        #expect(ShareCards.missingTool.contains("librsvg2-bin"))
    }

    @Test func longTitlesWrapAndStop() {
        // Text with markup characters, and a title far too long for two lines: well-formed SVG
        // (escaped after wrapping and upper-casing), two title lines, the second cut with "…".
        let title = "R&D <and> “AI” " + String(repeating: "a very long title ", count: 20)
        let svg = ShareCards.svg(siteTitle: "Tom & Jerry’s <site>", title: title, chart: "<svg class=\"dsr\" viewBox=\"0 0 10 10\"><rect width=\"5\" height=\"5\"/></svg>")
        #expect(XMLParser(data: Data(svg.utf8)).parse(), "\(svg)")
        #expect(svg.contains("TOM &amp; JERRY’S &lt;SITE&gt;") && svg.contains("R&amp;D &lt;and&gt;"))
        #expect(svg.components(separatedBy: "font-size=\"50\"").count - 1 == 2 && svg.contains("…</text>"))
        #expect(XMLParser(data: Data(ShareCards.svg(siteTitle: title, description: title).utf8)).parse())
        #expect(ShareCards.firstChart(in: "<svg class=\"dsr x dsr-narrow\"><title>N</title></svg><svg class=\"dsr x dsr-wide\"><title>A &amp; B</title></svg>")?.title == "A & B")
    }
}
