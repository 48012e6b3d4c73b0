import DossierCore
@testable import DossierSite
import Foundation
import Testing

/// A data server for the tests: Python's threading HTTP server over a folder, with an
/// `ETag` per file (answering `If-None-Match` with 304), a fixed `Last-Modified`, a path
/// prefix that always fails (`/500/…`) and one that never answers (`/hang/…`); it logs
/// each request's path and status to `requests.log` in the folder.
final class DataServer: @unchecked Sendable {
    static let script = #"""
    import hashlib, os, sys, time
    from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
    root, port = sys.argv[1], int(sys.argv[2])
    class H(BaseHTTPRequestHandler):
        def log_message(self, *a): pass
        def note(self, status, method=""):
            with open(os.path.join(root, "requests.log"), "a") as f: f.write(f"{method}{self.path} {status}\n")
        def do_HEAD(self):
            if self.path == "/nohead": self.note(405, "HEAD "); self.send_response(405); self.end_headers(); return
            self.route("HEAD ")
        def do_GET(self): self.route("")
        def route(self, method):
            if self.path.startswith("/hang/"): time.sleep(30); return
            if self.path.startswith("/status/"):
                code = int(self.path.split("/")[2]); self.note(code, method); self.send_response(code)
                self.send_header("Content-Length", "0"); self.end_headers(); return
            if self.path in ("/moved", "/found"):
                self.note(301 if self.path == "/moved" else 302, method); self.send_response(301 if self.path == "/moved" else 302)
                self.send_header("Location", "/ok"); self.send_header("Content-Length", "0"); self.end_headers(); return
            if self.path in ("/ok", "/nohead"):
                self.note(200, method); self.send_response(200); self.send_header("Content-Length", "2"); self.end_headers()
                if not method: self.wfile.write(b"ok")
                return
            if self.path.startswith("/500/"): self.note(500); self.send_error(500); return
            path = os.path.join(root, self.path.lstrip("/"))
            if not os.path.isfile(path): self.note(404); self.send_error(404); return
            body = open(path, "rb").read()
            tag = '"' + hashlib.sha1(body).hexdigest() + '"'
            if self.headers.get("If-None-Match") == tag:
                self.note(304); self.send_response(304); self.send_header("ETag", tag); self.end_headers(); return
            self.note(200); self.send_response(200); self.send_header("ETag", tag)
            self.send_header("Last-Modified", "Wed, 01 Jan 2025 00:00:00 GMT")
            self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    ThreadingHTTPServer(("127.0.0.1", port), H).serve_forever()
    """#

    let folder: URL
    let process = Process()
    let port = LocalServer.freePort()

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-data-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let script = folder.appendingPathComponent("server.py")
        try Data(Self.script.utf8).write(to: script)
        try LocalServer.start(process, [script.path, folder.path, String(port)], port: port)
    }

    func serve(_ name: String, _ text: String) throws { try Data(text.utf8).write(to: folder.appendingPathComponent(name)) }
    func url(_ path: String) -> String { "http://127.0.0.1:\(port)/\(path)" }
    var requests: [String] {
        (try? String(contentsOf: folder.appendingPathComponent("requests.log"), encoding: .utf8))?.split(separator: "\n").map(String.init) ?? []
    }

    func stop() { if process.isRunning { process.terminate() } }
    deinit { stop() }
}

/// Remote datasets (#16 item 1), against a local server.
@Suite struct RemoteDataTests {
    static let good = "Country,Rate\nKorea,3.5\nJapan,2.25\n"
    static let now = Date(timeIntervalSince1970: 1_780_000_000)  // 2026-05-28

    static func site(url: String, extra: String = "") throws -> Fixture {
        var files = Fixture.basic
        files["Content/site.yaml"] = "title: Test site\nbase_url: https://example.org/\n"
        files["Content/data/rates.yaml"] = "url: \(url)\n\(extra)title: Rates\nsource: { name: Central banks }\ncolumns:\n  Rate: { type: number, unit: \"%\" }\n"
        files["Content/notes/second.md"] = "---\ntitle: Second\n---\n\n```table\ndata: rates\n```\n"
        return try Fixture(files)
    }

    static func build(_ site: Fixture, strict: Bool = false, offline: Bool = false, now: Date = now, baseline: String? = nil,
                      output: String = "Output") throws(DiagnosticError) -> BuildReport {
        var options = BuildOptions(site: site.root, output: site.root.appendingPathComponent(output), strict: strict)
        options.now = now
        options.offline = offline
        options.fetchTimeout = 1
        options.fetchRetries = 1
        options.baseline = baseline
        return try SiteBuilder.build(options)
    }

    /// The errors of a build that must fail (with the short fetch timeout).
    static func failed(_ site: Fixture, strict: Bool = false) -> [Diagnostic] {
        do {
            try build(site, strict: strict)
            Issue.record("the build should fail")
            return []
        } catch {
            return error.diagnostics
        }
    }

    static func dataWarnings(_ report: BuildReport) -> [String] {
        report.warnings.filter { $0.location?.path == "Content/data/rates.yaml" }.map(\.message)
    }

    @Test func fetchedKeptAndAskedAgainConditionally() throws {
        let server = try DataServer()
        defer { server.stop() }
        try server.serve("rates.csv", Self.good)
        let site = try Self.site(url: server.url("rates.csv"))
        let first = try Self.build(site, strict: true)
        #expect(first.warnings.isEmpty, "\(first.warnings.map(\.description))")
        #expect(site.read("Output/data/rates.csv") == "Country,Rate\r\nKorea,3.5\r\nJapan,2.25\r\n")
        let page = site.read("Output/notes/second/index.html") ?? ""
        #expect(page.contains("Data as of <time datetime=\"2025-01-01\">1 January 2025</time>"))  // the server's Last-Modified
        #expect(site.read(".Output.dossier-data/rates.csv") == Self.good)
        #expect(site.read("Output/data/rates.json")?.contains("\"as_of\": \"2025-01-01T00:00:00Z\"") == true)

        // Unchanged: asked with If-None-Match, answered 304; the date stands.
        try Self.build(site, strict: true, now: Self.now.addingTimeInterval(86400))
        #expect(server.requests == ["/rates.csv 200", "/rates.csv 304"])
        #expect(site.read("Output/notes/second/index.html")?.contains("1 January 2025") == true)

        // Changed: the date is when the build first saw the new bytes.
        try server.serve("rates.csv", "Country,Rate\nKorea,3.75\nJapan,2.25\n")
        let later = Self.now.addingTimeInterval(2 * 86400)
        let changed = try Self.build(site, strict: true, now: later)
        #expect(changed.warnings.isEmpty)
        #expect(site.read("Output/notes/second/index.html")?.contains("Data as of <time datetime=\"\(DateText.day(later))\">") == true)
        #expect(site.read("Output/data/rates.csv")?.contains("Korea,3.75") == true)

        // Offline: no request, the kept copy, no warning.
        let count = server.requests.count
        let offline = try Self.build(site, strict: true, offline: true)
        #expect(server.requests.count == count && offline.warnings.isEmpty)
        #expect(site.read("Output/data/rates.csv")?.contains("Korea,3.75") == true)
    }

    @Test func newDataThatFailValidationGiveWayToTheKeptCopy() throws {
        let server = try DataServer()
        defer { server.stop() }
        try server.serve("rates.csv", Self.good)
        let site = try Self.site(url: server.url("rates.csv"))
        try Self.build(site)
        try server.serve("rates.csv", "Country,Rate\nKorea,high\n")
        let report = try Self.build(site)
        let warning = try #require(Self.dataWarnings(report).first)
        #expect(warning.hasPrefix("the new data from \(server.url("rates.csv")) do not validate ("))
        #expect(warning.contains("'high'") && warning.hasSuffix("using the copy kept from 0 minutes ago"))
        #expect(site.read("Output/data/rates.csv")?.contains("Korea,3.5") == true)
        #expect(site.read(".Output.dossier-data/rates.rejected.csv") == "Country,Rate\nKorea,high\n")
        #expect(site.read(".Output.dossier-data/rates.csv") == Self.good)  // the last good copy stays
        let strict = Self.failed(site, strict: true).map(\.message)
        #expect(strict.contains { $0.hasPrefix("the new data from") })
    }

    @Test func invalidDataWithNoCopyAreErrorsInTheSavedCopy() throws {
        let server = try DataServer()
        defer { server.stop() }
        try server.serve("rates.csv", "Country,Rate\nKorea,high\n")
        let site = try Self.site(url: server.url("rates.csv"))
        let errors = Self.failed(site)
        let error = try #require(errors.first { $0.message.contains("'high'") }, "\(errors.map(\.description))")
        #expect(error.location?.path == site.root.appendingPathComponent(".Output.dossier-data/rates.rejected.csv").path)
        #expect(error.location?.line == 2)
        #expect(error.notes.contains("fetched from \(server.url("rates.csv"))"))
    }

    @Test(arguments: [("500/rates.csv", "HTTP 500"), ("hang/rates.csv", "timed out after 1 s")])
    func aFailedFetchUsesTheKeptCopyWithAWarning(path: String, reason: String) throws {
        let server = try DataServer()
        defer { server.stop() }
        try server.serve("rates.csv", Self.good)
        let site = try Self.site(url: server.url("rates.csv"))
        try Self.build(site)
        // The same dataset now points at a failing address: the kept copy is for the old one.
        try site.write("Content/data/rates.yaml", "url: \(server.url(path))\ntitle: Rates\nsource: { name: Central banks }\n")
        #expect(Self.failed(site).map(\.message).contains { $0.hasPrefix("no copy of \(server.url(path)) to build with: could not fetch \(server.url(path)): \(reason)") })
        // With a shipped copy beside it: that, with a warning naming the address and the error.
        try site.write("Content/data/rates.csv", Self.good)
        let report = try Self.build(site)
        #expect(Self.dataWarnings(report) == ["could not fetch \(server.url(path)): \(reason); using the shipped copy Content/data/rates.csv"])
        #expect(site.read("Output/data/rates.csv")?.contains("Korea,3.5") == true)
    }

    @Test func aFailedFetchNamesTheKeptCopysAge() throws {
        let server = try DataServer()
        defer { server.stop() }
        try server.serve("rates.csv", Self.good)
        let site = try Self.site(url: server.url("rates.csv"))
        try Self.build(site)
        try FileManager.default.removeItem(at: server.folder.appendingPathComponent("rates.csv"))  // now a 404
        let report = try Self.build(site, now: Self.now.addingTimeInterval(3 * 86400))
        #expect(Self.dataWarnings(report) == ["could not fetch \(server.url("rates.csv")): HTTP 404; using the copy kept from 3 days ago (\(site.root.appendingPathComponent(".Output.dossier-data/rates.csv").path))"])
    }

    @Test func aPinnedFileMustMatch() throws {
        let server = try DataServer()
        defer { server.stop() }
        try server.serve("rates.csv", Self.good)
        let pin = SHA256.hex(Self.good.utf8)
        let site = try Self.site(url: server.url("rates.csv"), extra: "sha256: \(pin)\n")
        #expect(try Self.build(site, strict: true).warnings.isEmpty)
        try server.serve("rates.csv", "Country,Rate\nKorea,9\n")
        #expect(Self.failed(site).map(\.headline).contains { $0.hasPrefix("Content/data/rates.yaml:1:6: error: \(server.url("rates.csv")) does not match its 'sha256' pin") })
    }

    @Test(arguments: [
        ("url: ftp://example.org/x.csv", "Content/data/rates.yaml:1:6: error: 'url' must be an http(s) address of the data, e.g. https://example.org/data.csv"),
        ("url: https://example.org/export", "Content/data/rates.yaml:1:6: error: cannot tell the format of https://example.org/export from its name: add 'format: csv' (or json, yaml)"),
        ("url: https://example.org/x.csv\nsha256: abc", "Content/data/rates.yaml:2:9: error: 'sha256' must be the 64 hex digits of the file's SHA-256"),
    ])
    func badDeclarationsAreLocatedErrors(lines: String, expected: String) throws {
        var files = Fixture.basic
        files["Content/data/rates.yaml"] = "\(lines)\ntitle: Rates\nsource: { name: Central banks }\n"
        let site = try Fixture(files)
        #expect(site.failedBuild().map(\.headline).contains(expected), "\(site.failedBuild().map(\.headline))")
    }

    /// A CI run starts with no kept copy: the "as of" date comes from the live site when
    /// it published the same bytes, and the report names the changed cells only.
    @Test func aNightlyRunCarriesTheDateOverFromTheBaseline() throws {
        let server = try DataServer()
        defer { server.stop() }
        try server.serve("rates.csv", Self.good)
        let site = try Self.site(url: server.url("rates.csv"))
        try Self.build(site, output: "Live")
        let nightlyNow = Self.now.addingTimeInterval(86400)
        try server.serve("rates.json", "unused")  // (a file the server also has)
        let same = try Self.build(site, now: nightlyNow, baseline: site.root.appendingPathComponent("Live").path, output: "CI1")
        #expect(same.changes?.isEmpty == true, "\(same.changes?.text ?? "")")
        #expect(site.read("CI1/notes/second/index.html")?.contains("1 January 2025") == true)
        try server.serve("rates.csv", "Country,Rate\nKorea,3.5\nJapan,2.5\n")
        let changed = try Self.build(site, now: nightlyNow, baseline: site.root.appendingPathComponent("Live").path, output: "CI2")
        #expect(changed.changes?.cells == [.init(dataset: "rates", row: "Japan", column: "Rate", old: "2.25", new: "2.5")])
    }

    /// The bundled briefing's remote dataset (#16 item 5), fetched from a local server
    /// standing in for raw.githubusercontent.com: the pinned bytes build strictly and the
    /// briefing shows "Data as of"; other bytes fail the pin.
    @Test func theFlagshipsRemoteDatasetIsFetchedAndPinned() throws {
        let server = try DataServer()
        defer { server.stop() }
        let shipped = try String(contentsOf: FlagshipTests.repository.appendingPathComponent("Content/data/sector-adoption.csv"), encoding: .utf8)
        try FileManager.default.createDirectory(at: server.folder.appendingPathComponent("owner/repo"), withIntermediateDirectories: true)
        try server.serve("owner/repo/sector-adoption.csv", shipped)
        let site = try Fixture([:])
        for folder in ["Content", "Templates"] {
            try FileManager.default.copyItem(at: FlagshipTests.repository.appendingPathComponent(folder), to: site.root.appendingPathComponent(folder))
        }
        let sidecar = try #require(site.read("Content/data/sector-adoption.yaml"))
        let written = try #require(sidecar.split(separator: "\n").first { $0.hasPrefix("url: ") })
        try site.write("Content/data/sector-adoption.yaml", sidecar.replacingOccurrences(
            of: String(written), with: "url: \(server.url("${GITHUB_REPOSITORY}/sector-adoption.csv"))"))
        var options = BuildOptions(site: site.root, strict: true)
        options.environment = ["GITHUB_REPOSITORY": "owner/repo"]
        options.fetchTimeout = 2
        let report = try SiteBuilder.build(options)
        #expect(report.warnings.isEmpty, "\(report.warnings.map(\.description))")
        #expect(server.requests == ["/owner/repo/sector-adoption.csv 200"])
        #expect(site.read("Output/briefing/index.html")?.contains("Data as of <time datetime=\"2025-01-01\">1 January 2025</time>") == true)
        try server.serve("owner/repo/sector-adoption.csv", shipped.replacingOccurrences(of: "Nascent Stage", with: "Advanced Deployment"))
        do {
            try SiteBuilder.build(options)
            Issue.record("other bytes must fail the pin")
        } catch {
            #expect(error.diagnostics.contains { $0.message.contains("does not match its 'sha256' pin") })
        }
    }

    @Test func anUnsetVariableLeavesTheShippedCopyAndAWrongPinFails() throws {
        var files = Fixture.basic
        files["Content/data/scores.yaml"] = "url: https://example.org/${NOT_SET_ANYWHERE}/scores.csv\nsha256: \(SHA256.hex("Name,Score\nA,1.5\nB,\n".utf8))\ntitle: Scores\nsource: { name: Tests }\n"
        let site = try Fixture(files)
        #expect(try site.build().warnings.allSatisfy { $0.location?.path != "Content/data/scores.yaml" })
        try site.write("Content/data/scores.csv", "Name,Score\nA,2\n")
        #expect(site.failedBuild().map(\.message).contains { $0.hasPrefix("the shipped copy Content/data/scores.csv does not match the 'sha256' pin") })
    }
}
