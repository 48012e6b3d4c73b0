import DossierCore
@testable import DossierSite
import Foundation
import Testing

/// A local HTTP server on 127.0.0.1 (Python's http.server, on a port it picks) serving a
/// folder, for what a build reads from the network.
final class LocalServer: @unchecked Sendable {
    let process = Process()
    let port: Int

    init(serving folder: URL) throws {
        port = Self.freePort()
        try Self.start(process, ["-m", "http.server", String(port), "--bind", "127.0.0.1", "--directory", folder.path], port: port)
    }

    /// Runs `python3 ARGUMENTS` in `process` and waits (at most 5 s) until `port` accepts a connection.
    static func start(_ process: Process, _ arguments: [String], port: Int) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        var tries = 0
        while !accepts(port), tries < 100 {
            usleep(50_000)
            tries += 1
        }
    }

    /// A port nothing listens on now (the kernel's pick for a socket bound to port 0).
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } } == 0
    }

    var url: String { "http://127.0.0.1:\(port)/" }

    /// Stops the server (call it in a `defer`: ARC may release an object after its last
    /// use, while the test still needs the server). Foundation reaps the process.
    func stop() {
        if process.isRunning { process.terminate() }
    }

    deinit { stop() }
}

/// `dossier build --changes --baseline URL|DIR` (#16 item 2).
@Suite struct BaselineTests {
    /// The nightly run: the live site is one build; the data change; the next build,
    /// into a fresh folder as in CI, reports against what is live exactly what changed.
    @Test func aNightlyRunReportsWhatChangedAgainstTheLiveSite() throws {
        let site = try Fixture(PublishingTests.site)
        let live = site.root.appendingPathComponent("Live")
        try site.build(output: live)
        let server = try LocalServer(serving: live)
        defer { server.stop() }
        try site.write("Content/data/scores.csv", "Name,Score\nA,1.5\nB,4\n")
        var options = BuildOptions(site: site.root, output: site.root.appendingPathComponent("Nightly"), baseURL: nil)
        options.baseline = server.url
        let report = try SiteBuilder.build(options)
        let changes = try #require(report.changes, "\(report.warnings.map(\.description))")
        #expect(changes.cells == [.init(dataset: "scores", row: "B", column: "Score", old: nil, new: "4")])
        #expect(changes.changedPages == ["/notes/first/"] || changes.changedPages.contains("/notes/first/"))
        #expect(!changes.changedPages.contains("/notes/second/") && changes.addedPages.isEmpty && changes.removedPages.isEmpty)
        #expect(changes.markdown.contains("| scores | B | Score | *not stated* | 4 |"))

        // The same against a folder.
        options.baseline = live.path
        options.output = site.root.appendingPathComponent("Nightly2")
        #expect(try SiteBuilder.build(options).changes?.cells == changes.cells)
    }

    @Test(arguments: ["http://127.0.0.1:9/", "/nonexistent/folder"])
    func anUnreadableBaselineIsAWarning(baseline: String) throws {
        let site = try Fixture(PublishingTests.site)
        var options = BuildOptions(site: site.root, strict: true)
        options.baseline = baseline
        let report = try SiteBuilder.build(options)
        #expect(report.changes == nil)
        #expect(report.warnings.contains { $0.message.hasPrefix("no changes report: the baseline could not be read") }, "\(report.warnings.map(\.message))")
    }

    @Test func aMissingManifestIsNamed() throws {
        // A folder without a manifest: the server answers 404 (not retried) — named in the warning.
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let server = try LocalServer(serving: empty)
        defer { server.stop() }
        guard case .failure(let failure) = Baseline.load(server.url) else { Issue.record("should fail"); return }
        #expect(failure.message == "\(server.url)manifest.json answered HTTP 404")
    }
}
