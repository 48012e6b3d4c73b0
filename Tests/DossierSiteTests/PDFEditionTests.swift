import DossierCore
@testable import DossierSite
import DossierTestSupport
import Foundation
import Testing

/// The PDF edition (#17), read back with poppler's tools (pdfinfo, pdffonts, pdftotext,
/// pdftoppm), which nobody here wrote.
@Suite(.serialized) struct PDFEditionTests {
    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// The flagship with its PDF, built into a fresh folder.
    static func buildFlagship() throws -> (output: URL, pdf: URL, report: BuildReport) {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-pdf-\(UUID().uuidString)")
        TemporaryFolders.removeAtExit(output)
        var options = BuildOptions(site: FlagshipTests.repository, output: output, strict: true)
        options.offline = true
        options.pdf = true
        let report = try SiteBuilder.build(options)
        return (output, output.appendingPathComponent("south-koreas-ai-divide.pdf"), report)
    }

    static let golden = FlagshipTests.repository.appendingPathComponent("Tests/DossierSiteTests/Golden/flagship-pdf.txt")

    @Test func theFlagshipsPDFEdition() throws {
        let (output, pdf, report) = try Self.buildFlagship()
        #expect(report.warnings.isEmpty, "\(report.warnings.map(\.description))")
        let info = try Self.run("pdfinfo", [pdf.path])
        #expect(info.contains("Title:           South Korea's AI divide"))
        #expect(info.contains("Author:          Dossier briefing team"))
        #expect(info.contains("Subject:         A data briefing on why South Korea's adoption"))
        #expect(info.contains("Keywords:        South Korea, artificial intelligence, industrial policy"))
        #expect(info.contains("Tagged:          yes"))
        #expect(info.contains("Page size:       595.276 x 841.89 pts (A4)"))

        // Every font embedded.
        let fonts = try Self.run("pdffonts", [pdf.path]).split(separator: "\n").dropFirst(2)
        #expect(!fonts.isEmpty)
        for line in fonts { #expect(line.split(separator: " ", omittingEmptySubsequences: true).contains("yes"), "\(line)") }

        // The page count, against the golden file (DOSSIER_RECORD=1 rewrites it); pdftoppm renders each page.
        let pages = try #require(info.split(separator: "\n").first { $0.hasPrefix("Pages:") }.flatMap { Int($0.split(separator: " ").last!) })
        let rendered = output.appendingPathComponent("pages")
        try FileManager.default.createDirectory(at: rendered, withIntermediateDirectories: true)
        _ = try Self.run("pdftoppm", ["-r", "20", "-png", pdf.path, rendered.appendingPathComponent("p").path])
        #expect(try FileManager.default.contentsOfDirectory(atPath: rendered.path).count == pages)
        let record = "pages: \(pages)\n"
        if ProcessInfo.processInfo.environment["DOSSIER_RECORD"] != nil {
            try Data(record.utf8).write(to: Self.golden)
            Issue.record("recorded \(Self.golden.lastPathComponent); run again without DOSSIER_RECORD")
        } else {
            #expect(try String(contentsOf: Self.golden, encoding: .utf8) == record)
        }

        // The contents page: each entry's page number is the page its heading is on.
        let contents = try Self.run("pdftotext", ["-layout", "-f", "2", "-l", "2", pdf.path, "-"])
        var entries: [(String, Int)] = []
        for line in contents.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard let number = trimmed.split(separator: " ").last.flatMap({ Int($0) }), trimmed.contains(". .") else { continue }
            let title = trimmed.prefix { $0 != "." }.trimmingCharacters(in: .whitespaces)
            entries.append((title, number))
        }
        #expect(entries.count >= 10, "\(contents)")
        for (title, number) in entries {
            let page = try Self.run("pdftotext", ["-f", "\(number)", "-l", "\(number)", pdf.path, "-"])
            #expect(page.replacingOccurrences(of: "\n", with: " ").contains(String(title.prefix(25))), "'\(title)' is not on page \(number)")
        }

        let text = try Self.run("pdftotext", [pdf.path, "-"])
        for expected in ["Figure 1.", "Figure 2.", "Table 1.", "Data appendix", "AI adoption by industry sector",
                         "“South Korea’s Growing AI Divide: Navigating Challenges in Asia’s Technological Race”",
                         "Page 3 of \(pages)", "(https://example.org/data/sector-adoption.csv)"] {
            #expect(text.contains(expected), "\(expected)")
        }
        // Notes at the foot of their page, not in a notes section.
        #expect(!text.contains("Notes\n") && text.contains("1. The source does not say which year"))

        // Linked from every page and the print view; citation_pdf_url for reference managers.
        let briefing = try String(contentsOf: output.appendingPathComponent("briefing/index.html"), encoding: .utf8)
        #expect(briefing.contains("<a href=\"/south-koreas-ai-divide.pdf\">Download the briefing as a PDF</a>"))
        #expect(briefing.contains("<meta name=\"citation_pdf_url\" content=\"https://example.org/south-koreas-ai-divide.pdf\">"))
        #expect(try String(contentsOf: output.appendingPathComponent("print/index.html"), encoding: .utf8).contains("Download the PDF edition"))
        #expect(try String(contentsOf: output.appendingPathComponent("manifest.json"), encoding: .utf8).contains("south-koreas-ai-divide.pdf"))
    }

    /// The same briefing gives the same bytes.
    @Test func thePDFIsReproducible() throws {
        let first = try Self.buildFlagship(), second = try Self.buildFlagship()
        #expect(FileManager.default.contents(atPath: first.pdf.path) == FileManager.default.contents(atPath: second.pdf.path))
    }

    @Test func withoutTheEngineOrTheTemplateItIsAClearError() throws {
        #expect(PDFEdition.engine(path: "/nonexistent") == nil)
        #expect(PDFEdition.missingEngine.contains("make pdf-deps"))
        var files = Fixture.basic
        files["Content/site.yaml"] = "title: Test site\nbase_url: https://example.org/\npdf: { file: report.pdf }\n"
        let site = try Fixture(files)
        #expect(site.failedBuild().map(\.message).contains("the PDF edition needs a template, Templates/pdf.html (the bundled briefing has one to start from)"))
        try site.write("Content/site.yaml", "title: Test site\npdf: { file: ../x.pdf }\n")
        #expect(site.failedBuild().map(\.headline).contains("Content/site.yaml:2:14: error: 'pdf.file' must be a file name ending in .pdf, e.g. briefing.pdf"))
    }

    @Test func footnotesMoveToTheirFirstReference() {
        let html = "<p>A<sup class=\"footnote-ref\"><a href=\"#s1-fn-a\" id=\"s1-fnref-a\">1</a></sup> and again<sup class=\"footnote-ref\"><a href=\"#s1-fn-a\" id=\"s1-fnref-a-2\">1</a></sup>.</p>"
            + "<section class=\"footnotes\"><h2>Notes</h2><ol><li id=\"s1-fn-a\">\n<p>The note. <a href=\"#s1-fnref-a\" class=\"footnote-backref\">↩</a></p>\n</li></ol></section>"
        #expect(PDFEdition.footnotesAtPageFoot(html) == "<p>A<span class=\"footnote\">The note.</span> and again<sup class=\"footnote-again\">1</sup>.</p>")
    }

    @Test func addressesAreReadLocallyAndLinkedOnTheWeb() {
        let html = "<link rel=\"stylesheet\" href=\"/sub/assets/pdf.css\"><img src=\"/sub/notes/map.png\"><a href=\"/sub/briefing/\">x</a><a href=\"https://e.org/\">y</a>"
        #expect(PDFEdition.rewrite(html, basePath: "/sub", staging: "/tmp/st age", absoluteRoot: "https://example.org/sub")
                == "<link rel=\"stylesheet\" href=\"file:///tmp/st%20age/assets/pdf.css\"><img src=\"file:///tmp/st%20age/notes/map.png\"><a href=\"https://example.org/sub/briefing/\">x</a><a href=\"https://e.org/\">y</a>")
    }
}
