import DossierCore
@testable import DossierPreview
import DossierSite
import DossierTestSupport
import Foundation
import Testing

/// A small site in a temporary folder.
struct SiteFolder {
    let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-preview-test-\(UUID().uuidString)")
        TemporaryFolders.removeAtExit(root)
        try write("Content/site.yaml", "title: Preview test\nbase_url: https://example.org/sub/\n")
        try write("Content/index.md", "---\ntitle: Home\n---\n\nWelcome.\n")
        try write("Content/notes/first.md", "---\ntitle: First note\ndate: 2025-01-01\n---\n\nOriginal text.\n")
        try write("Templates/base.html", "<!DOCTYPE html><html lang=\"en\"><head><title>{{ page.title }}</title><link rel=\"stylesheet\" href=\"{{ \"/assets/style.css\" | relative_url }}\"></head><body>{% block main %}{% endblock %}</body></html>")
        try write("Templates/article.html", "{% extends \"base.html\" %}{% block main %}<h1>{{ page.title }}</h1>{{ page.content }}{% endblock %}")
        try write("Templates/home.html", "{% extends \"base.html\" %}{% block main %}{% for p in site.pages %}<a href=\"{{ p.url }}\">{{ p.title }}</a>{% endfor %}{% endblock %}")
        try write("Templates/404.html", "{% extends \"base.html\" %}{% block main %}<p>No such page</p>{% endblock %}")
        try write("Templates/assets/style.css", "body { color: black; }")
        try write("Templates/assets/data.json", "{}")
        try write("Templates/assets/font.woff2", "x")
        try write("Templates/assets/pic.webp", "x")
    }

    func write(_ path: String, _ text: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }
}

/// Waits until the server has taken over `count` event streams.
func waitForTabs(_ preview: Preview, _ count: Int = 1) {
    let deadline = ContinuousClock.now + .seconds(5)
    while preview.server.connectedTabs < count && ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.01) }
}

/// Starts a preview of a fresh site on a free loopback port, and stops it afterwards.
func withPreview(poll: Bool = false, _ body: (Preview, SiteFolder) throws -> Void) throws {
    let site = try SiteFolder()
    let preview = try Preview(.init(site: site.root, port: 0, poll: poll))
    preview.log = { _ in }
    preview.start()
    defer { preview.stop() }
    try body(preview, site)
}

@Suite(.serialized) struct PreviewServerTests {
    @Test func servesFilesWithTheirTypesAndHead() throws {
        try withPreview { preview, _ in
            let port = preview.server.port
            let cases: [(String, String)] = [
                ("/", "text/html; charset=utf-8"), ("/notes/first/", "text/html; charset=utf-8"),
                ("/assets/style.css", "text/css; charset=utf-8"), ("/assets/data.json", "application/json"),
                ("/assets/font.woff2", "font/woff2"), ("/assets/pic.webp", "image/webp"),
                ("/feed.xml", "application/xml"), ("/robots.txt", "text/plain; charset=utf-8"),
            ]
            for (path, type) in cases {
                let response = try RawHTTP.request(port: port, path)
                #expect(response.status == 200, "\(path)")
                #expect(response.headers["content-type"] == type, "\(path)")
                #expect(response.headers["cache-control"] == "no-store")
                #expect(response.headers["access-control-allow-origin"] == nil)
            }
            let page = try RawHTTP.request(port: port, "/notes/first/")
            #expect(page.text.contains("<script src=\"/__dossier/reload.js\"></script>\n</body>"))
            #expect(page.text.contains("href=\"/assets/style.css\""))  // served at the root, whatever base_url says
            let head = try RawHTTP.request(port: port, "/notes/first/", method: "HEAD")
            #expect(head.status == 200 && head.body.isEmpty && Int(head.headers["content-length"] ?? "") == page.body.count)
            let redirect = try RawHTTP.request(port: port, "/notes/first")
            #expect(redirect.status == 301 && redirect.headers["location"] == "/notes/first/")
            let missing = try RawHTTP.request(port: port, "/nope/")
            #expect(missing.status == 404 && missing.text.contains("No such page"))
            #expect(try RawHTTP.request(port: port, "/notes/").status == 404)  // no listings
            #expect(try RawHTTP.request(port: port, "/", method: "POST").status == 405)
            let script = try RawHTTP.request(port: port, "/__dossier/reload.js")
            #expect(script.headers["content-type"] == "text/javascript; charset=utf-8" && script.text.contains("EventSource"))
        }
    }

    static let traversal = [
        "/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/%2E%2E/%2E%2E/etc/passwd", "/notes/..%2f..%2f..%2fetc/passwd",
        "/..%5c..%5cetc%5cpasswd", "/notes\\..\\..\\etc\\passwd", "/index.html%00.css", "/%00", "//etc/passwd",
        "/.dossier-output", "/escape/secret.txt", "/assets/../../../etc/passwd", "etc/passwd", "/%252e%252e/etc/passwd",
    ]

    @Test func requestsCannotLeaveTheFolder() throws {
        try withPreview { preview, site in
            // A symbolic link inside the served folder that leads outside it.
            let secret = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-secret-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: secret, withIntermediateDirectories: true)
            try Data("secret".utf8).write(to: secret.appendingPathComponent("secret.txt"))
            try FileManager.default.createSymbolicLink(at: preview.output.appendingPathComponent("escape"), withDestinationURL: secret)
            for path in Self.traversal {
                let response = try RawHTTP.request(port: preview.server.port, path)
                #expect(response.status == 404 || response.status == 400, "\(path) → \(response.status)")
                #expect(!response.text.contains("root:") && !response.text.contains("secret"), "\(path)")
            }
            _ = site
        }
    }

    @Test func foreignHostsAndOriginsAreRefused() throws {
        try withPreview { preview, _ in
            let port = preview.server.port
            for host in ["evil.example:\(port)", "127.0.0.1.evil.example:\(port)", "127.0.0.1:1", "localhost.evil:\(port)", ""] {
                let status = try RawHTTP.request(port: port, "/", headers: ["Host": host]).status
                #expect(status == 403, "Host '\(host)' → \(status)")  // an empty value sends no Host at all
            }
            for host in ["localhost:\(port)", "127.0.0.1:\(port)"] {
                #expect(try RawHTTP.request(port: port, "/", headers: ["Host": host]).status == 200)
            }
            let foreign = try RawHTTP.request(port: port, "/__dossier/events", headers: ["Origin": "http://evil.example"])
            #expect(foreign.status == 403)
            let stream = try EventStream(port: port, origin: "http://127.0.0.1:\(port)")
            waitForTabs(preview)
            preview.server.broadcast(.ok)
            #expect(stream.wait(for: "ok")?.name == "ok")
        }
    }

    @Test func editRebuildsAndReloads() throws {
        try withPreview { preview, site in
            let stream = try EventStream(port: preview.server.port, page: "/")  // a tab on the home page, which lists the articles
            waitForTabs(preview)
            try site.write("Content/notes/first.md", "---\ntitle: First note\ndate: 2025-01-01\n---\n\nEdited text.\n")
            #expect(stream.wait(for: "reload") != nil)
            #expect(try RawHTTP.request(port: preview.server.port, "/notes/first/").text.contains("Edited text."))

            try site.write("Templates/assets/style.css", "body { color: navy; }")
            #expect(stream.wait(for: "css") != nil)

            // A new article and a new folder are picked up; lists update.
            try site.write("Content/later/second.md", "---\ntitle: Second note\ndate: 2025-02-01\n---\n\nNew.\n")
            #expect(stream.wait(for: "reload") != nil)
            #expect(try RawHTTP.request(port: preview.server.port, "/").text.contains("Second note"))
            try site.write("Content/later/deeper/third.md", "---\ntitle: Third note\n---\n\nDeeper.\n")
            #expect(stream.wait(for: "reload") != nil)
            #expect(try RawHTTP.request(port: preview.server.port, "/later/deeper/third/").status == 200)

            try FileManager.default.removeItem(at: site.root.appendingPathComponent("Content/later/second.md"))
            #expect(stream.wait(for: "reload") != nil)
            #expect(try RawHTTP.request(port: preview.server.port, "/later/second/").status == 404)
        }
    }

    @Test func brokenFrontMatterShowsAnOverlayUntilFixed() throws {
        try withPreview { preview, site in
            let stream = try EventStream(port: preview.server.port)
            waitForTabs(preview)
            try site.write("Content/notes/first.md", "---\ntitle: First note\ndate: not-a-date\n---\n\nText.\n")
            let error = try #require(stream.wait(for: "build-error"))
            #expect(error.data.contains("Content/notes/first.md:3:7"))
            // The last good page is still served, and a new tab is told about the error at once.
            #expect(try RawHTTP.request(port: preview.server.port, "/notes/first/").text.contains("Original text."))
            let late = try EventStream(port: preview.server.port)
            #expect(late.wait(for: "build-error") != nil)
            try site.write("Content/notes/first.md", "---\ntitle: First note\ndate: 2025-01-01\n---\n\nFixed text.\n")
            #expect(stream.wait(for: "reload") != nil)
            #expect(try RawHTTP.request(port: preview.server.port, "/notes/first/").text.contains("Fixed text."))
        }
    }

    @Test func pollingAlsoNotices() throws {
        try withPreview(poll: true) { preview, site in
            #expect(preview.watchesByPolling)
            let stream = try EventStream(port: preview.server.port)
            waitForTabs(preview)
            Thread.sleep(forTimeInterval: 0.3)  // let the first poll take its snapshot
            try site.write("Content/notes/first.md", "---\ntitle: First note\ndate: 2025-01-01\n---\n\nPolled edit.\n")
            #expect(stream.wait(for: "reload") != nil)
        }
    }

    @Test func aPortInUseIsAClearError() throws {
        let site = try SiteFolder()
        let first = try Preview(.init(site: site.root, port: 0))
        defer { first.stop() }
        do {
            _ = try Preview(.init(site: site.root, port: first.server.port))
            Issue.record("binding a port in use should fail")
        } catch {
            #expect("\(error)".contains("already in use; choose another with --port"))
        }
    }
}
