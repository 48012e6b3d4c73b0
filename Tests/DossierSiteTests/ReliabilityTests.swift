import DossierCore
@testable import DossierSite
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The defects found by trying Dossier as an attacker and as an unlucky user would; each
/// test failed before its fix.
@Suite struct ReliabilityTests {
    /// The diagnostics of a build that must fail.
    func failure(_ site: Fixture, strict: Bool = false) -> [Diagnostic] {
        do {
            try site.build(strict: strict)
            Issue.record("the build succeeded")
            return []
        } catch {
            return error.diagnostics
        }
    }

    func warnings(_ site: Fixture) throws -> [Diagnostic] {
        try site.build().warnings
    }

    // MARK: 1. Overlapping builds

    @Test func aSecondBuildWaitsForTheLockOrFailsAtOnce() throws {
        let site = try Fixture(Fixture.basic)
        let output = site.root.appendingPathComponent("Output")
        let held = try OutputLock(output: output, wait: false)
        var options = BuildOptions(site: site.root, threads: 2)
        options.waitForLock = false
        do {
            _ = try SiteBuilder.build(options)
            Issue.record("built while another build held the lock")
        } catch {
            #expect(error.diagnostics.first?.message.contains("another dossier build (process \(getpid())) is writing into") == true)
        }
        // Waiting: the build starts once the lock is released, and says it waited.
        let waited = Counter()
        options.waitForLock = true
        options.lockWaiting = { _ in _ = waited.increment() }
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: Result<BuildReport, DiagnosticError>?
        let opts = options
        Thread.detachNewThread {
            do throws(DiagnosticError) { result = .success(try SiteBuilder.build(opts)) } catch { result = .failure(error) }
            done.signal()
        }
        #expect(done.wait(timeout: .now() + 0.5) == .timedOut)
        held.release()
        #expect(done.wait(timeout: .now() + 20) == .success)
        #expect(waited.increment() == 2)
        if case .failure(let e)? = result { Issue.record("\(e)") }
    }

    @Test func aLockLeftByADeadProcessNeverBlocks() throws {
        let site = try Fixture(Fixture.basic)
        let lockPath = site.root.appendingPathComponent(".Output.dossier-lock").path
        // A lock file written by a process that is gone (its flock died with it).
        try "999999\n".write(toFile: lockPath, atomically: true, encoding: .utf8)
        var options = BuildOptions(site: site.root, threads: 2)
        options.waitForLock = false
        _ = try SiteBuilder.build(options)
    }

    /// Two sites building into one output folder at once, many times: the output is always
    /// exactly one of them, and its manifest lists exactly its files.
    @Test func concurrentBuildsIntoOneFolderNeverMix() throws {
        var a = Fixture.basic
        a["Content/notes/only-a.md"] = "---\ntitle: Only A\n---\n\nA.\n"
        var b = Fixture.basic
        b["Content/notes/only-b.md"] = "---\ntitle: Only B\n---\n\nB.\n"
        b["Content/notes/first.md"] = "---\ntitle: First, as B has it\n---\n\nB's.\n"
        let siteA = try Fixture(a), siteB = try Fixture(b)
        let output = siteA.root.appendingPathComponent("Shared")
        let reference = [siteA, siteB].map { site -> [String: Data] in
            let alone = site.root.appendingPathComponent("Alone")
            _ = try? SiteBuilder.build(BuildOptions(site: site.root, output: alone, threads: 1))
            return site.tree("Alone").filter { $0.key != Manifest.fileName && $0.key != OutputWriter.markerName }
        }
        for _ in 0..<4 {
            DispatchQueue.concurrentPerform(iterations: 2) { i in
                var options = BuildOptions(site: (i == 0 ? siteA : siteB).root, output: output, threads: 2)
                options.cache = i == 0
                _ = try? SiteBuilder.build(options)
            }
            let tree = siteA.tree("Shared")
            let files = tree.filter { $0.key != Manifest.fileName && $0.key != OutputWriter.markerName }
            #expect(files == reference[0] || files == reference[1], "the output mixes both builds")
            let manifest = try #require(Manifest.read(from: output))
            #expect(Set(manifest.files.keys) == Set(files.keys))
            for (path, digest) in manifest.files { #expect(SHA256.hex(files[path].map { [UInt8]($0) } ?? []) == digest, "\(path)") }
        }
    }

    /// The staging folder (the output before last) is checked, not trusted: a file changed
    /// or added there since its manifest was written is rewritten or removed.
    @Test func theStagingFolderIsCheckedBeforeItIsReused() throws {
        let site = try Fixture(Fixture.basic)
        try site.build()
        try site.build()  // the first build's output is now the staging folder
        let staging = ".Output.dossier-staging"
        Thread.sleep(forTimeInterval: 0.02)
        try site.write(staging + "/notes/first/index.html", "stale")
        try site.write(staging + "/notes/gone/index.html", "stale page")
        var options = BuildOptions(site: site.root, threads: 2)
        options.cache = false
        _ = try SiteBuilder.build(options)
        #expect(site.read("Output/notes/first/index.html")?.contains("<h1>First</h1>") == true)
        #expect(site.read("Output/notes/gone/index.html") == nil)
    }

    // MARK: 2. YAML alias expansion

    static let laughs = """
        a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
        b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
        c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
        d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
        e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
        f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
        g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
        h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
        i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
        """

    static let aliasCases: [(file: String, text: String, line: Int)] = [
        ("Content/notes/second.md", "---\ntitle: Laughs\n" + laughs + "\n---\n\nText.\n", 2),
        ("Content/site.yaml", "title: Test site\nbase_url: /\n" + laughs + "\n", 2),
        ("Content/data/scores.yaml", "title: Scores\nsource: { name: Tests }\n" + laughs + "\n", 2),
        ("Content/data/laughs.yaml", "title: L\nsource: { name: T }\nrows:\n  - { Name: A, Score: 1 }\n" + laughs + "\n", 4),
        ("Content/data/scales.yaml", "level:\n  levels: [Low, High]\n" + laughs + "\n", 2),
    ]

    @Test(arguments: aliasCases.indices)
    func aliasBombsAreLocatedErrors(_ i: Int) throws {
        let c = Self.aliasCases[i]
        var files = Fixture.basic
        files[c.file] = c.text
        let problems = failure(try Fixture(files))
        let bomb = try #require(problems.first { $0.message.contains("YAML aliases expand") }, "\(problems)")
        #expect(bomb.location?.path == c.file)
        // At an alias (`*x`), on one of the lines that repeat an anchor.
        let line = try #require(bomb.sourceLine)
        let atAlias = line.dropFirst((bomb.location?.column ?? 1) - 1)
        #expect(atAlias.hasPrefix("*"))
        #expect((bomb.location?.line ?? 0) > c.line)
    }

    @Test func aFewAliasesStillRead() throws {
        var files = Fixture.basic
        files["Content/notes/second.md"] = "---\ntitle: &t Aliased\nsummary: *t\n---\n\nText.\n"
        let site = try Fixture(files)
        try site.build()
        #expect(site.read("Output/notes/second/index.html")?.contains("<title>Aliased</title>") == true)
    }

    // MARK: 3. Template symlinks

    @Test func aTemplateThatLinksOutOfTheSiteIsRefused() throws {
        let site = try Fixture(Fixture.basic)
        let partials = site.root.appendingPathComponent("Templates/partials")
        try FileManager.default.createDirectory(at: partials, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: partials.appendingPathComponent("secret.html").path, withDestinationPath: "/etc/passwd")
        try site.write("Templates/article.html", "{% include \"partials/secret.html\" %}")
        let problems = failure(site)
        let refused = try #require(problems.first { $0.location?.path == "Templates/partials/secret.html" }, "\(problems)")
        #expect(refused.message.contains("leads outside the site folder"))
        #expect(site.read("Output/notes/first/index.html") == nil)
    }

    // MARK: 4. Deep expressions, in a build and in the preview

    @Test func aDeepExpressionFailsTheBuildAndThePreviewSurvives() throws {
        var files = Fixture.basic
        files["Templates/article.html"] = "<h1>{{ page.title }}</h1>"
        let site = try Fixture(files)
        let session = SiteSession(options: BuildOptions(site: site.root, output: site.root.appendingPathComponent("Preview"), threads: 2))
        #expect(session.buildAll().succeeded)
        try site.write("Templates/article.html", "<h1>{{ 1" + String(repeating: " + 1", count: 20_000) + " }}</h1>")
        let broken = session.update(["Templates/article.html"])
        #expect(!broken.succeeded)
        #expect(broken.diagnostics.contains { $0.message.contains("expression too long") && $0.location?.path == "Templates/article.html" })
        try site.write("Templates/article.html", "<h1>{{ page.title }}!</h1>")
        #expect(session.update(["Templates/article.html"]).succeeded)
        #expect(site.read("Preview/notes/first/index.html") == "<h1>First!</h1>")
    }

    // MARK: 5. Output path collisions

    static let collisionCases: [(name: String, files: [String: String], source: String, other: String)] = [
        ("print view", ["Templates/print.html": "print", "Content/print.md": "---\ntitle: Print\n---\n"], "Content/print.md", "Templates/print.html"),
        ("tag page", ["Templates/tag.html": "tag", "Content/tags/a.md": "---\ntitle: A\n---\n"], "Content/tags/a.md", "Templates/tag.html"),
        ("404 page as folder", ["Templates/404.html": "x", "Content/404.html.md": "---\ntitle: Lost\n---\n"], "Content/404.html.md", "Templates/404.html"),
        ("robots.txt", ["Content/robots.txt.md": "---\ntitle: R\n---\n"], "Content/robots.txt.md", "robots.txt"),
        ("asset", ["Content/assets/style.css.md": "---\ntitle: S\n---\n"], "Content/assets/style.css.md", "Templates/assets/style.css"),
        ("sitemap", ["Content/site.yaml": "title: T\nbase_url: https://example.org/\n", "Content/sitemap.xml.md": "---\ntitle: S\n---\n"],
         "Content/sitemap.xml.md", "the sitemap"),
        ("slug onto the manifest", ["Content/x.md": "---\ntitle: M\nslug: manifest.json\n---\n"], "Content/x.md", "the build's manifest"),
    ]

    @Test(arguments: collisionCases.indices)
    func generatedPagesNeverReplaceUserPagesSilently(_ i: Int) throws {
        let c = Self.collisionCases[i]
        var files = Fixture.basic
        files.merge(c.files) { _, new in new }
        let site = try Fixture(files)
        let problems = failure(site)
        let clash = try #require(problems.first { $0.location?.path == c.source }, "\(c.name): \(problems)")
        #expect(clash.message.contains(c.other), "\(c.name): \(clash.message)")
        // `dossier check` reports it too.
        let checked = SiteChecker.check(BuildOptions(site: site.root, threads: 2))
        #expect(checked.problems.contains { $0.location?.path == c.source && $0.severity == .error })
    }

    // MARK: 7. Control characters

    @Test func controlCharactersNeverReachXMLOrHTML() throws {
        var files = Fixture.basic
        files["Content/site.yaml"] = "title: Test site\nbase_url: https://example.org/\n"
        files["Content/notes/second.md"] = "---\ntitle: \"Nul\\0 bell\\a esc\\e \\x01\\x08\\x0B\\x0C\\x0E\\x1F end\\uFFFE\\uFFFF\"\ndate: 2025-03-04\n---\n\nBody \u{1}\u{7}\u{1B}[31m red \u{FFFF} text.\n"
        let site = try Fixture(files)
        try site.build()
        for path in ["Output/feed.xml", "Output/sitemap.xml", "Output/notes/second/index.html", "Output/index.html"] {
            let text = try #require(site.read(path), "\(path)")
            let bad = text.unicodeScalars.filter(Self.forbidden)
            #expect(bad.isEmpty, "\(path) holds \(bad.map { String($0.value, radix: 16) })")
        }
        let feed = try #require(site.read("Output/feed.xml"))
        #expect(feed.contains("Nul\u{FFFD} bell\u{FFFD} esc\u{FFFD}"))
        #expect(Self.isWellFormedXML(feed))
    }

    static func forbidden(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v == 0xFFFE || v == 0xFFFF { return true }
        return v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D
    }

    static func isWellFormedXML(_ text: String) -> Bool {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-xml-\(UUID().uuidString).xml")
        defer { try? FileManager.default.removeItem(at: file) }
        guard (try? text.write(to: file, atomically: true, encoding: .utf8)) != nil else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/xmllint")
        process.arguments = ["--noout", file.path]
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    // MARK: 8. Spreadsheet formulas in CSV downloads

    @Test func publishedCSVNeutralisesFormulas() throws {
        var files = Fixture.basic
        files["Content/data/scores.csv"] = "Name,Score,Note\n\"=HYPERLINK(\"\"http://x\"\")\",-2,+1\n@SUM(A1),3,-x\n\"\t=1+1\",4,ok\n"
        files["Content/data/scores.yaml"] = "title: Scores\nsource: { name: Tests }\ncolumns:\n  Note: { type: text }\n"
        let site = try Fixture(files)
        try site.build()
        let csv = try #require(site.read("Output/data/scores.csv"))
        #expect(csv == "Name,Score,Note\r\n\"'=HYPERLINK(\"\"http://x\"\")\",-2,'+1\r\n'@SUM(A1),3,'-x\r\n'=1+1,4,ok\r\n")
    }

    // MARK: 10. Quadratic and unbounded work

    @Test func fortyThousandIdenticalHeadingsAreLinear() throws {
        var files = Fixture.basic
        files["Content/notes/second.md"] = "---\ntitle: Same\n---\n\n" + String(repeating: "## Same\n\nText.\n\n", count: 40_000)
        let site = try Fixture(files)
        let start = ContinuousClock.now
        try site.build()
        #expect(ContinuousClock.now - start < .seconds(30))
        let html = try #require(site.read("Output/notes/second/index.html"))
        #expect(html.contains("id=\"same-40000\""))
    }

    @Test func fiftyThousandBrokenAnchorsAreLinear() throws {
        var files = Fixture.basic
        files["Content/notes/second.md"] = "---\ntitle: Links\n---\n\n" + (0..<50_000).map { "[x](#nope-\($0))" }.joined(separator: " ") + "\n"
        let site = try Fixture(files)
        let start = ContinuousClock.now
        let warnings = try site.build().warnings
        #expect(ContinuousClock.now - start < .seconds(30))
        #expect(warnings.filter { $0.message.contains("no element with id") }.count == 50_000)
    }

    /// A chart of more rows than a reader can take in is an error at the block (a chart of
    /// a million rows once took more than two minutes to draw); the data still load in
    /// linear time (1,000,000 rows: 11 s in a release build, measured by hand).
    @Test(arguments: [("bar", 1_500), ("heatmap", 1_500), ("line", 12_000), ("table", 12_000)])
    func aChartOfTooManyRowsIsAClearError(_ type: String, _ rows: Int) throws {
        var files = Fixture.basic
        files["Content/data/big.csv"] = "Name,Score,Level\n" + (0..<rows).map { "r\($0),\($0 % 97),\($0 % 2 == 0 ? "Low" : "High")\n" }.joined()
        files["Content/data/big.yaml"] = "title: Big\nsource: { name: Tests }\ncolumns:\n  Level: { type: ordinal, scale: level }\n"
        files["Content/data/scales.yaml"] = "level:\n  levels: [Low, High]\n"
        let options = type == "heatmap" ? "columns: [Level]\n" : type == "line" ? "x: Score\ncolumns: [Score]\n" : ""
        files["Content/notes/second.md"] = "---\ntitle: Big\n---\n\n```\(type == "table" ? "table" : "chart")\ndata: big\n"
            + (type == "table" ? "" : "type: \(type)\n") + options + "```\n"
        let problems = failure(try Fixture(files))
        let limit = try #require(problems.first { $0.message.contains("\(rows) rows") }, "\(problems.prefix(3))")
        #expect(limit.location?.path == "Content/notes/second.md")
        #expect(limit.location?.line == 5)
    }

    // MARK: 9. Extreme numbers

    @Test(arguments: ["bar", "line", "dumbbell", "grouped-bar"])
    func extremeNumbersAreLocatedErrors(_ type: String) throws {
        var files = Fixture.basic
        files["Content/data/huge.csv"] = "Name,From,To\nA,-1.7e308,1.7e308\nB,1,2\n"
        files["Content/data/huge.yaml"] = "title: Huge\nsource: { name: Tests }\n"
        let options = type == "dumbbell" ? "from: From\nto: To\n" : type == "line" ? "x: From\n" : ""
        files["Content/notes/second.md"] = "---\ntitle: Huge\n---\n\n```chart\ndata: huge\ntype: \(type)\n\(options)```\n"
        let problems = failure(try Fixture(files))
        let huge = try #require(problems.first { $0.message.contains("too large to chart") }, "\(problems)")
        #expect(huge.location?.path == "Content/data/huge.csv")
        #expect(huge.location?.line == 2)
    }

    /// Found by fuzzing: a chart of a dataset with nothing to draw crashed.
    @Test(arguments: ["bar", "line", "dumbbell", "grouped-bar", "heatmap"])
    func aChartWithNothingToDrawIsALocatedError(_ type: String) throws {
        var files = Fixture.basic
        files["Content/data/keys.csv"] = "Name\nA\nB\n"
        files["Content/data/keys.yaml"] = "title: Keys\nsource: { name: Tests }\n"
        files["Content/notes/second.md"] = "---\ntitle: Keys\n---\n\n```chart\ndata: keys\ntype: \(type)\n```\n"
        let problems = failure(try Fixture(files))
        #expect(problems.contains { $0.message.contains("no value columns to chart") && $0.location?.path == "Content/notes/second.md" }, "\(problems)")
    }

    @Test(arguments: [1e15, -1e15, 1e-300, Double.leastNonzeroMagnitude, 123_456_789_012.5])
    func largeButChartableNumbersDraw(_ value: Double) throws {
        for type in ["bar", "line", "dumbbell", "grouped-bar"] {
            var files = Fixture.basic
            files["Content/data/big.csv"] = "Name,From,To\nA,\(value),0\nB,1,2\n"
            files["Content/data/big.yaml"] = "title: Big\nsource: { name: Tests }\n"
            let options = type == "dumbbell" ? "from: From\nto: To\n" : type == "line" ? "x: To\n" : ""
            files["Content/notes/second.md"] = "---\ntitle: Big\n---\n\n```chart\ndata: big\ntype: \(type)\n\(options)```\n"
            let site = try Fixture(files)
            try site.build()
            let html = try #require(site.read("Output/notes/second/index.html"))
            #expect(!html.contains("nan") && !html.contains("inf"), "\(type) \(value)")
        }
    }

    // MARK: 11. markdownify with raw HTML on

    @Test func markdownifyIsSafeWhateverTheSiteSetting() throws {
        var files = Fixture.basic
        files["Content/site.yaml"] = "title: Test site\nbase_url: /\nmarkdown: { raw_html: true }\n"
        files["Content/notes/second.md"] = "---\ntitle: Second\nnote: \"<script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)>\"\n---\n\n<b>raw body</b>\n"
        files["Templates/article.html"] = "{{ page.content }}|{{ page.note | markdownify }}"
        let site = try Fixture(files)
        try site.build()
        let html = try #require(site.read("Output/notes/second/index.html"))
        #expect(html.contains("<b>raw body</b>"))  // the body follows raw_html
        let note = String(html.split(separator: "|").last ?? "")
        #expect(!note.contains("<script") && !note.contains("javascript:") && !note.contains("onerror"))
    }

    // MARK: 12. URLs and dates

    @Test func fileNamesThatAreNotURLsAreEncoded() throws {
        var files = Fixture.basic
        files["Content/site.yaml"] = "title: Test site\nbase_url: https://example.org/\n"
        files["Content/notes/Q&A #2? 100% ready.md"] = "---\ntitle: Odd\ndate: 2025-05-05\n---\n\n[home](/)\n"
        files["Content/notes/second.md"] = "---\ntitle: Second\ndate: 2025-03-04\n---\n\n[odd](/notes/Q&A%20%232%3F%20100%25%20ready/)\n"
        files["Content/회의록.md"] = "---\ntitle: Korean\n---\n\nText.\n"
        let site = try Fixture(files)
        let report = try site.build()
        #expect(report.warnings.isEmpty, "\(report.warnings)")
        #expect(site.read("Output/notes/Q&A #2? 100% ready/index.html") != nil)
        let sitemap = try #require(site.read("Output/sitemap.xml"))
        #expect(sitemap.contains("<loc>https://example.org/notes/Q&amp;A%20%232%3F%20100%25%20ready/</loc>"))
        #expect(sitemap.contains("<loc>https://example.org/%ED%9A%8C%EC%9D%98%EB%A1%9D/</loc>"))
        #expect(!sitemap.contains(" ready"))
        let home = try #require(site.read("Output/index.html"))
        #expect(home.contains("href=\"/notes/Q&amp;A%20%232%3F%20100%25%20ready/\"") || home.contains("href=\"/notes/Q&A%20%232%3F%20100%25%20ready/\""))
    }

    @Test(arguments: [(999, "0999-01-02"), (1, "0001-01-02"), (33, "0033-01-02")])
    func yearsBeforeOneThousandHaveFourDigits(_ year: Int, _ expected: String) throws {
        let date = try #require(DateText.parse(String(format: "%04d-01-02", year)))
        #expect(DateText.day(date) == expected)
        #expect(DateText.strftime("%Y", date) == String(expected.prefix(4)))
    }

    @Test(arguments: ["//evil.com/", "https:///x", "https://user@evil.com/", "/a b/", "/x?y", "javascript:alert(1)", "//"])
    func baseURLsThatAreNotAddressesAreRefused(_ base: String) throws {
        var files = Fixture.basic
        files["Content/site.yaml"] = "title: Test site\nbase_url: \"\(base)\"\n"
        let problems = failure(try Fixture(files))
        #expect(problems.contains { $0.location?.path == "Content/site.yaml" && $0.message.hasPrefix("'base_url'") }, "\(problems)")
    }

    // MARK: 13. Diagnostics

    @Test func invalidUTF8InSiteYAMLIsSaidSo() throws {
        let site = try Fixture(Fixture.basic)
        try Data([0x74, 0x69, 0x74, 0x6C, 0x65, 0x3A, 0x20, 0xFF, 0xFE, 0x0A]).write(to: site.root.appendingPathComponent("Content/site.yaml"))
        let problems = failure(site)
        let d = try #require(problems.first { $0.location?.path == "Content/site.yaml" })
        #expect(d.message.contains("is not valid UTF-8 text (the first invalid byte is at offset 7)"))
        #expect(!problems.contains { $0.message.contains("missing") })
    }

    @Test func anOverlongFileNameIsAReadableError() throws {
        var files = Fixture.basic
        files["Content/notes/x.md"] = "---\ntitle: Long\nslug: \(String(repeating: "a", count: 300))\n---\n"
        let problems = failure(try Fixture(files))
        let d = try #require(problems.first { $0.message.contains("File name too long") }, "\(problems)")
        #expect(!d.message.contains("NSPOSIXErrorDomain") && !d.message.contains("Error Domain"))
    }

    @Test func escapeSequencesFromContentAreNotEchoed() throws {
        var files = Fixture.basic
        files["Content/notes/second.md"] = "---\ntitle: \u{1B}]0;pwned\u{07}\u{1B}[2J\ndate: nope\u{1B}[31m\n---\n"
        let problems = failure(try Fixture(files))
        let text = problems.map(\.description).joined(separator: "\n")
        #expect(!text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
        #expect(text.contains("\\u{1b}"))
    }

    // MARK: 14. Input that was ignored in silence

    @Test func aJSONDatasetBesideACSVOfTheSameNameIsAnError() throws {
        var files = Fixture.basic
        files["Content/data/scores.yaml"] = nil
        files["Content/data/scores.json"] = "{\"title\": \"Other\", \"source\": {\"name\": \"T\"}, \"rows\": [{\"Name\": \"Z\", \"Score\": 9}]}"
        let problems = failure(try Fixture(files))
        #expect(problems.contains { $0.location?.path == "Content/data/scores.json" && $0.message.contains("dataset of its own") }, "\(problems)")
        files["Content/data/scores.yaml"] = "title: Scores\nsource: { name: Tests }\n"
        files["Content/data/scores.json"] = "{\"title\": \"Other\"}"
        let both = failure(try Fixture(files))
        #expect(both.contains { $0.message.contains("both stand beside Content/data/scores.csv") }, "\(both)")
    }

    @Test func hiddenAndOddlyNamedDataFilesAreReported() throws {
        var files = Fixture.basic
        files["Content/data/..csv"] = "Name,Score\nA,1\n"
        files["Content/notes/.draft.md"] = "---\ntitle: Hidden\n---\n"
        let warnings = try warnings(try Fixture(files))
        #expect(warnings.contains { $0.location?.path == "Content/data/..csv" && $0.message.contains("hidden") })
        #expect(warnings.contains { $0.location?.path == "Content/notes/.draft.md" })
        files["Content/data/bad name!.csv"] = "Name,Score\nA,1\n"
        let problems = failure(try Fixture(files))
        #expect(problems.contains { $0.location?.path == "Content/data/bad name!.csv" && $0.message.contains("cannot name a dataset") })
    }

    @Test func aScaleThatListsALevelTwiceIsAnError() throws {
        var files = Fixture.basic
        files["Content/data/scales.yaml"] = "level:\n  levels: [Low, High, Low]\n"
        let problems = failure(try Fixture(files))
        #expect(problems.contains { $0.location?.path == "Content/data/scales.yaml" && $0.message.contains("lists the level 'Low' twice") })
    }

    @Test func carriageReturnLineEndsAreReadWithAWarning() throws {
        var files = Fixture.basic
        files["Content/notes/second.md"] = "---\rtitle: Classic Mac\rdate: 2025-03-04\r---\r\rSome text.\r\r## A heading\r"
        let site = try Fixture(files)
        let report = try site.build()
        #expect(report.warnings.contains { $0.location?.path == "Content/notes/second.md" && $0.message.contains("carriage returns alone") })
        let html = try #require(site.read("Output/notes/second/index.html"))
        #expect(html.contains("<title>Classic Mac</title>") && html.contains("id=\"a-heading\""))
    }

    @Test func linkLoopsDanglingLinksAndFIFOsAreReported() throws {
        let site = try Fixture(Fixture.basic)
        let notes = site.root.appendingPathComponent("Content/notes").path
        try FileManager.default.createSymbolicLink(atPath: notes + "/loop", withDestinationPath: notes)
        try FileManager.default.createSymbolicLink(atPath: notes + "/gone.md", withDestinationPath: notes + "/missing.md")
        #expect(mkfifo(notes + "/pipe.md", 0o644) == 0)
        let start = ContinuousClock.now
        let warnings = try site.build().warnings
        #expect(ContinuousClock.now - start < .seconds(20))  // the FIFO is never opened
        #expect(warnings.contains { $0.location?.path == "Content/notes/loop" && $0.message.contains("loop") }, "\(warnings)")
        #expect(warnings.contains { $0.location?.path == "Content/notes/gone.md" && $0.message.contains("does not exist") })
        #expect(warnings.contains { $0.location?.path == "Content/notes/pipe.md" && $0.message.contains("FIFO") })
    }
}
