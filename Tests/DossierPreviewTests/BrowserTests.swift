import DossierCore
@testable import DossierPreview
import Foundation
import Testing

/// Drives a real headless Chromium (installed by `make test`) against the preview: after
/// an edit, the open page shows the new text with no manual action. The page's title is
/// read through Chromium's DevTools HTTP endpoint (`/json/list`).
@Suite(.serialized) struct BrowserTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Starts Chromium on `url` and returns it with its DevTools port.
    func launch(_ url: String) throws -> (Process, Int, URL) {
        let binary = try #require(Self.chromium, "Chromium is not installed: run `make test`, which installs it")
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-chromium-\(UUID().uuidString)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage",
                             "--remote-debugging-port=0", "--user-data-dir=\(profile.path)", url]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // "DevTools listening on ws://127.0.0.1:PORT/devtools/browser/…"
        var seen = ""
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += String(decoding: chunk, as: UTF8.self)
            if let range = seen.range(of: "ws://127.0.0.1:") {
                let digits = seen[range.upperBound...].prefix { $0.isNumber }
                if let port = Int(digits), seen[range.upperBound...].dropFirst(digits.count).first == "/" {
                    return (process, port, profile)
                }
            }
        }
        process.terminate()
        throw POSIXError(.ETIMEDOUT)
    }

    /// The titles of Chromium's open pages.
    func titles(devtools port: Int) -> [String] {
        guard let response = try? RawHTTP.request(port: port, "/json/list"),
            let tree = try? YAMLReader.parse(response.text, path: "json") else { return [] }
        return tree.value.arrayValue?.compactMap { $0["title"]?.stringValue } ?? []
    }

    func waitForTitle(_ title: String, devtools port: Int, timeout: Duration = .seconds(20)) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if titles(devtools: port).contains(title) { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return false
    }

    @Test func anOpenPageReloadsAfterAnEdit() throws {
        try withPreview { preview, site in
            let (browser, port, profile) = try launch(preview.server.url + "notes/first/")
            defer {
                browser.terminate()
                browser.waitUntilExit()
                try? FileManager.default.removeItem(at: profile)
            }
            #expect(waitForTitle("First note", devtools: port), "titles: \(titles(devtools: port))")
            waitForTabs(preview)
            #expect(preview.server.connectedTabs >= 1)  // the page's reload script is listening
            try site.write("Content/notes/first.md", "---\ntitle: Retitled note\ndate: 2025-01-01\n---\n\nEdited in the test.\n")
            #expect(waitForTitle("Retitled note", devtools: port), "titles: \(titles(devtools: port))")
        }
    }
}
