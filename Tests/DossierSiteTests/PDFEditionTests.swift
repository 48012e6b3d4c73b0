import DossierCore
@testable import DossierSite
import DossierTestSupport
import Foundation
import Testing

/// The PDF edition (#17), read back with poppler's tools (pdfinfo, pdffonts, pdftotext,
/// pdftoppm), which nobody here wrote.
@Suite(.serialized) struct PDFEditionTests {
    /// What `tool`, found on PATH, printed on its standard output.
    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        try status("/usr/bin/env", [tool] + arguments, errors: false).1
    }

    /// `program` run with `arguments`: its exit status and what it printed (with its
    /// standard error when `errors`).
    static func status(_ program: String, _ arguments: [String], errors: Bool = true) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = errors ? out : FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// The flagship with its PDF, built into a fresh folder.
    static func buildFlagship() throws -> (output: URL, pdf: URL, report: BuildReport) {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-pdf-\(UUID().uuidString)")
        TemporaryFolders.removeAtExit(output)
        var options = BuildOptions(site: FlagshipTests.repository, output: output, strict: true, threads: 2)
        options.offline = true
        options.pdf = true
        let report = try SiteBuilder.build(options)
        return (output, output.appendingPathComponent("south-koreas-ai-divide.pdf"), report)
    }

    /// A copy of the flagship's content and templates with `extra` files, its PDF built.
    static func buildCopy(_ extra: [String: String], output name: String = "out", inParts: Bool = false) throws -> (site: URL, pdf: URL) {
        let site = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-pdf-site-\(UUID().uuidString)")
        TemporaryFolders.removeAtExit(site)
        try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
        for folder in ["Content", "Templates"] {
            try FileManager.default.copyItem(at: FlagshipTests.repository.appendingPathComponent(folder), to: site.appendingPathComponent(folder))
        }
        for (path, text) in extra { try Data(text.utf8).write(to: site.appendingPathComponent(path)) }
        return (site, try rebuild(site, output: name, inParts: inParts).pdf)
    }

    @discardableResult
    static func rebuild(_ site: URL, output name: String = "out", pdf: Bool = true, inParts: Bool = false) throws -> (pdf: URL, report: BuildReport) {
        var options = BuildOptions(site: site, output: site.appendingPathComponent(name), strict: true, threads: 2)
        options.offline = true
        options.pdf = pdf
        if inParts { options.pdfPartLength = 1 }
        let report = try SiteBuilder.build(options)
        return (site.appendingPathComponent(name).appendingPathComponent("south-koreas-ai-divide.pdf"), report)
    }

    /// Each page's text blocks (poppler's `pdftotext -bbox-layout`), top to bottom, with the
    /// page's height: what a reader sees where.
    static func blocks(_ pdf: URL) throws -> [(height: Double, blocks: [(top: Double, bottom: Double, text: String)])] {
        let xml = try run("pdftotext", ["-bbox-layout", pdf.path, "-"])
        func number(_ name: String, _ tag: Substring) -> Double {
            guard let r = tag.range(of: name + "=\"") else { return 0 }
            return Double(tag[r.upperBound...].prefix { $0 != "\"" }) ?? 0
        }
        typealias Block = (top: Double, bottom: Double, text: String)
        var pages: [(height: Double, blocks: [Block])] = []
        for page in xml.components(separatedBy: "<page ").dropFirst() {
            var blocks: [Block] = []
            for block in page.components(separatedBy: "<block ").dropFirst() {
                var words: [String] = []
                for word in block.components(separatedBy: "<word ").dropFirst() {
                    let text: Substring = word.split(separator: ">", maxSplits: 1).last ?? ""
                    words.append(String(text.prefix { $0 != "<" }))
                }
                let tag = Substring(block.prefix { $0 != ">" })
                blocks.append((top: number("yMin", tag), bottom: number("yMax", tag), text: words.joined(separator: " ")))
            }
            blocks.sort { $0.top < $1.top }
            pages.append((height: number("height", Substring(page)), blocks: blocks))
        }
        return pages
    }

    /// The pages (numbered from 1) that leave more than a fifth of their height empty before
    /// the next page opens with a figure or table kept whole: a gap that text should fill.
    static func gapsBeforeFigures(_ pdf: URL) throws -> [Int] {
        let pages = try blocks(pdf)
        var gaps: [Int] = []
        for index in pages.indices.dropLast() {
            // The body: below the running header, above the "Page N of M" footer.
            let (height, blocks) = pages[index]
            let body = blocks.filter { $0.top > 60 && $0.bottom < height - 50 }
            let next = pages[index + 1].blocks.filter { $0.top > 60 }.first?.text ?? ""
            guard next.hasPrefix("Figure") || next.hasPrefix("Table"), let last = body.last else { continue }
            var largest = height - 50 - last.bottom
            for (a, b) in zip(body, body.dropFirst()) { largest = max(largest, b.top - a.bottom) }
            if largest > height / 5 { gaps.append(index + 1) }
        }
        return gaps
    }

    static let golden = FlagshipTests.repository.appendingPathComponent("Tests/DossierSiteTests/Golden/flagship-pdf.txt")

    @Test func theFlagshipsPDFEdition() throws {
        let (output, pdf, report) = try Self.buildFlagship()
        #expect(report.warnings.isEmpty, "\(report.warnings.map(\.description))")
        let info = try Self.run("pdfinfo", [pdf.path])
        #expect(info.contains("Title:           South Korea’s AI divide"))
        #expect(info.contains("Author:          Dossier briefing team"))
        #expect(info.contains("Subject:         A data briefing on why South Korea"))
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
        // Notes at the foot of their page, not in a notes section: each note's page also
        // holds its call (the number set against the word before it).
        #expect(!text.contains("Notes\n") && text.contains("1. The source does not say which year"))
        var notes = 0
        for (number, page) in try Self.blocks(pdf).enumerated() {
            for block in page.blocks where block.top > page.height / 2 {
                guard let note = block.text.split(separator: " ").first.flatMap({ $0.hasSuffix(".") ? Int($0.dropLast()) : nil }),
                      block.text.contains("The source") else { continue }
                notes += 1
                let words = page.blocks.filter { $0.top < block.top }.flatMap { $0.text.split(separator: " ") }
                #expect(words.contains { $0.hasSuffix("\(note)") && $0.count > "\(note)".count && !$0.dropLast("\(note)".count).last!.isNumber },
                        "note \(note) is on page \(number + 1) without its call")
            }
        }
        #expect(notes == 3)
        #expect(try Self.gapsBeforeFigures(pdf) == [], "pages left part-empty by a figure kept whole")

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

    /// A long briefing is laid out in parts at once (a process each, cut where sections
    /// start a page) and joined: it reads exactly as when laid out in one — the same text on
    /// the same pages, contents numbers and "Page N of M" included, the same tags, outline
    /// and links — is as reproducible, and is kept when unchanged.
    @Test func aPDFLaidOutInPartsReadsAsOneLaidOutWhole() throws {
        // The flagship and, last, a page with notes of its own (numbered on from the flagship's).
        let notes = "---\ntitle: Notes at the end\nweight: 90\n---\n\n" + (1...6).map { "Paragraph \($0) of the last page, with text enough to fill some lines of the page it is set on.[^n\($0)]\n\n[^n\($0)]: The source does not say, note \($0).\n\n" }.joined()
        let (site, parted) = try Self.buildCopy(["Content/zz-notes.md": notes], inParts: true)
        let whole = try Self.rebuild(site, output: "whole").pdf
        #expect(try Self.run("pdftotext", [parted.path, "-"]).contains("9. The source does not say, note 6."))
        for arguments in [["-layout"], ["-bbox"]] {
            let one = try Self.run("pdftotext", arguments + [whole.path, "-"]), other = try Self.run("pdftotext", arguments + [parted.path, "-"])
            #expect(one.count > 1000 && one == other, "pdftotext \(arguments): the text differs")
        }
        #expect(try Self.run("pdfinfo", ["-struct", parted.path]) == Self.run("pdfinfo", ["-struct", whole.path]))
        let info = { (pdf: URL) in try Self.run("pdfinfo", [pdf.path]).split(separator: "\n").filter { !$0.hasPrefix("File size") } }
        #expect(try info(parted) == info(whole))
        #expect(try Self.run("pdfinfo", ["-dests", parted.path]) == Self.run("pdfinfo", ["-dests", whole.path]))
        // Each part embeds its own subsets of the fonts: that is how it shows it was made in parts.
        let fonts = { (pdf: URL) in try Self.run("pdffonts", [pdf.path]).split(separator: "\n").dropFirst(2) }
        #expect(try fonts(parted).count > fonts(whole).count)
        for line in try fonts(parted) { #expect(line.split(separator: " ").contains("yes"), "\(line)") }
        let again = try Self.rebuild(site, output: "again", inParts: true)
        #expect(FileManager.default.contents(atPath: again.pdf.path) == FileManager.default.contents(atPath: parted.path))
        #expect(try Self.rebuild(site, inParts: true).report.pdfKept == true)
    }

    /// Page numbers in the text itself (`counter(page)` outside the margins) could not be
    /// given afterwards to a part laid out on its own: such a briefing is laid out whole,
    /// and each number is still the page it is on.
    @Test func pageNumbersInTheTextKeepTheBriefingWhole() throws {
        let css = try String(contentsOf: FlagshipTests.repository.appendingPathComponent("Templates/assets/pdf.css"), encoding: .utf8)
        let (site, pdf) = try Self.buildCopy(["Templates/assets/pdf.css": css + "\n.prose h2::after { content: \" [on p. \" counter(page) \"]\"; }\n"], inParts: true)
        #expect(try Data(contentsOf: pdf) == Data(contentsOf: Self.rebuild(site, output: "whole").pdf), "not the PDF laid out whole")
        var found = 0
        for number in 1...Int(try Self.run("pdfinfo", [pdf.path]).split(separator: "\n").first { $0.hasPrefix("Pages:") }!.split(separator: " ").last!)! {
            let page = try Self.run("pdftotext", ["-f", "\(number)", "-l", "\(number)", pdf.path, "-"])
            for match in page.matches(of: /\[on p\. (\d+)\]/) {
                found += 1
                #expect(Int(match.1) == number, "a heading on page \(number) says it is on page \(match.1)")
            }
        }
        #expect(found >= 5)
    }

    /// A chart too tall for a page is scaled to fit it; a table longer than a page starts
    /// where it falls and continues, its header repeated, leaving no page nearly empty.
    @Test func tallFiguresAreScaledOrSplit() throws {
        let rows = (1...80).map { "Region number \($0),\(($0 * 37) % 100 + 5)" }.joined(separator: "\n")
        let (_, pdf) = try Self.buildCopy([
            "Content/data/regions.csv": "Region,Value\n" + rows + "\n",
            "Content/data/regions.yaml": "title: Regions\nsource:\n  name: Invented test data\nkey: Region\n",
            "Content/tall.md": "---\ntitle: Tall things\nweight: 3\n---\n\nSome text.\n\n```chart\ndata: regions\ntype: bar\ntitle: Eighty regions\n```\n\n"
                + "More text.\n\n```table\ndata: regions\ntitle: Eighty regions as a table\n```\n",
        ])
        let pages = try Self.blocks(pdf)
        let chart = try #require(pages.firstIndex { $0.blocks.contains { $0.text.hasPrefix("Figure 1. Eighty regions") } })
        // The whole chart on its page: its first and last bars' labels.
        let labels = pages[chart].blocks.map(\.text).joined(separator: " ")
        #expect(labels.contains("Region number 1 ") && labels.contains("Region number 80"))
        // The table starts on the page of the text before it and runs over the next ones.
        let table = try #require(pages.firstIndex { $0.blocks.contains { $0.text.hasPrefix("Table 1. Eighty regions") } })
        #expect(pages[table].blocks.contains { $0.text.hasPrefix("More text") })
        let header = pages[table + 1].blocks.map(\.text)
        #expect(header.contains("Region") && header.contains("Value"), "the header row repeats: \(header)")
        #expect(pages[table + 2].blocks.contains { $0.text.contains("Region number 80") } || pages[table + 1].blocks.contains { $0.text.contains("Region number 80") })
    }

    /// The Korean edition (`ko/…pdf`, from the `.ko.md` pages) sets Hangul in an embedded
    /// Korean TrueType font (Nanum: subsetting the Noto CJK collection took WeasyPrint
    /// ten seconds a face), says it is Korean, and its text comes back out.
    @Test func theKoreanEditionSetsHangul() throws {
        let (site, _) = try Self.buildCopy([:])
        let pdf = site.appendingPathComponent("out/ko/south-koreas-ai-divide.pdf")
        let fonts = try Self.run("pdffonts", [pdf.path]).split(separator: "\n").dropFirst(2)
        #expect(fonts.contains { $0.contains("Nanum") }, "\(fonts)")
        #expect(!fonts.contains { $0.contains("CJK") }, "a Noto CJK face was embedded: \(fonts)")
        for line in fonts { #expect(line.split(separator: " ", omittingEmptySubsequences: true).contains("yes"), "\(line)") }
        let text = try Self.run("pdftotext", [pdf.path, "-"])
        #expect(text.contains("한국이 밀리는 이유") && text.contains("그림 1. 비교한 모든 부문에서 뒤처지는 한국"))
        #expect(text.contains("2 / ") && !text.contains("Page 2 of"), "the page footer is in Korean")
        #expect(try Self.run("pdfinfo", [pdf.path]).contains("한국의 AI 격차"))
        // The editions are made side by side, each from its own source: the English one stays English.
        let english = site.appendingPathComponent("out/south-koreas-ai-divide.pdf")
        let info = try Self.run("pdfinfo", [english.path])
        #expect(info.contains("Title:") && !info.contains("한국의 AI 격차"), "\(info)")
        #expect(try Self.run("pdftotext", [english.path, "-"]).contains("Page 2 of"))
        // Both editions' faces are subsets of the installed fonts: every glyph shown keeps
        // the font's own outline and advance, under its own id, and nothing a PDF does not read.
        let engine = try #require(PDFEdition.engine())
        let sources = try Self.run("fc-list", ["-f", "%{file}\n"]).split(separator: "\n").map(String.init).filter { $0.hasSuffix(".ttf") }
        let check = FlagshipTests.repository.appendingPathComponent("Tests/PDFFonts/subset_check.py").path
        for edition in [pdf, english] {
            let (status, report) = try Self.status(engine, [check, edition.path] + Set(sources).sorted())
            #expect(status == 0, "\(edition.lastPathComponent):\n\(report)")
            #expect(report.contains("Nanum") == (edition == pdf), "\(report)")
        }
    }

    /// A rebuild from the same sources keeps the last PDF (no engine run); a changed style
    /// sheet makes a new one.
    @Test func anUnchangedBriefingKeepsItsPDF() throws {
        let (site, pdf) = try Self.buildCopy([:])
        let before = try Data(contentsOf: pdf)
        #expect(try Self.rebuild(site).report.pdfKept == true)
        #expect(try Data(contentsOf: pdf) == before)
        let css = site.appendingPathComponent("Templates/assets/pdf.css")
        try Data((try String(contentsOf: css, encoding: .utf8) + "\nh1 { color: #222; }\n").utf8).write(to: css)
        #expect(try Self.rebuild(site).report.pdfKept == false)
        #expect(try Data(contentsOf: pdf) != before)
        try Data("---\ntitle: Another page\n---\n\nText.\n".utf8).write(to: site.appendingPathComponent("Content/another.md"))
        #expect(try Self.rebuild(site).report.pdfKept == false)
        // Built without it again, no page (not even one the build cache keeps) links to it.
        #expect(try Self.rebuild(site, pdf: false).report.pdfKept == nil)
        #expect(try !String(contentsOf: site.appendingPathComponent("out/index.html"), encoding: .utf8).contains("Download the briefing as a PDF"))
        #expect(!FileManager.default.fileExists(atPath: pdf.path))
    }

    @Test func withoutTheEngineOrTheTemplateItIsAClearError() throws {
        #expect(PDFEdition.engine(path: "/nonexistent") == nil)
        // The engine's Python comes from the `weasyprint` script's first line: a path, or
        // `env` and a program on PATH (as pip writes it).
        let bin = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-engine-\(UUID().uuidString)")
        TemporaryFolders.removeAtExit(bin)
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        func script(_ name: String, _ text: String) throws {
            try Data(text.utf8).write(to: bin.appendingPathComponent(name))
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: bin.appendingPathComponent(name).path)
        }
        try script("python3", "#!/bin/sh\n")
        try script("weasyprint", "#!/usr/bin/env python3\nimport weasyprint\n")
        #expect(PDFEdition.engine(path: bin.path) == bin.path + "/python3")
        try script("weasyprint", "#!\(bin.path)/python3\n")
        #expect(PDFEdition.engine(path: bin.path) == bin.path + "/python3")
        try script("weasyprint", "#!/nonexistent/python3\n")
        #expect(PDFEdition.engine(path: bin.path) == nil)
        #expect(PDFEdition.missingEngine.contains("make pdf-deps"))
        var files = Fixture.basic
        files["Content/site.yaml"] = "title: Test site\nbase_url: https://example.org/\npdf: { file: report.pdf }\n"
        files["Content/report.pdf"] = "%PDF-1.4 an older edition"
        let site = try Fixture(files)
        #expect(site.failedBuild().map(\.message).contains("the PDF edition needs a template, Templates/pdf.html (the bundled briefing has one to start from)"))
        // A file beside the pages where the PDF goes.
        try site.write("Templates/pdf.html", "<!DOCTYPE html><html lang=\"en\"><title>x</title><p>x</p></html>")
        #expect(site.failedBuild().map(\.message).contains("Content/report.pdf would be published where the site writes a file of its own (report.pdf): rename it"))
        try site.write("Content/site.yaml", "title: Test site\npdf: { file: ../x.pdf }\n")
        #expect(site.failedBuild().map(\.headline).contains("Content/site.yaml:2:14: error: 'pdf.file' must be a file name ending in .pdf, e.g. briefing.pdf"))
        // No pages to lay out (all drafts here): said, not a silent build without the PDF.
        try FileManager.default.removeItem(at: site.root.appendingPathComponent("Content/report.pdf"))
        try site.write("Content/site.yaml", "title: Test site\nbase_url: https://example.org/\npdf: { file: report.pdf }\n")
        for page in ["index.md", "notes/first.md", "notes/second.md"] {
            try site.write("Content/" + page, "---\ntitle: Later\ndraft: true\n---\n\nText.\n")
        }
        let report = try site.build()
        #expect(report.warnings.map(\.headline).contains { $0.hasPrefix("Content/site.yaml:1:1: warning: no PDF edition was written: the build has no pages") })
        #expect(site.read("Output/report.pdf") == nil)
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
