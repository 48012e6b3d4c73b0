import DossierCore
@testable import DossierSite
import Foundation
import Testing

/// `dossier check --external` (#16 item 3), against a local server.
@Suite struct ExternalLinkTests {
    @Test func externalLinksAreAskedForOnceAndJudged() throws {
        let server = try DataServer()
        defer { server.stop() }
        var files = Fixture.basic
        let links = ["ok", "status/404", "status/410", "nohead", "moved", "found", "status/429", "status/403", "hang/x"]
            .map { "[\($0)](\(server.url($0)))" }.joined(separator: "\n")
        files["Content/notes/second.md"] = "---\ntitle: Second\n---\n\n\(links)\n![A chart](http://no-such-host.invalid/chart.png)\n\n[again](\(server.url("status/404")))\n"
        let site = try Fixture(files)
        var options = BuildOptions(site: site.root)
        options.fetchTimeout = 1
        let result = SiteChecker.check(options, external: true)
        let found = result.external.map { "\($0.location!.line) \($0.severity.rawValue) \($0.message)" }
        let u = server.url
        #expect(found.contains("6 error broken external link: \(u("status/404")) answers HTTP 404"), "\(found)")
        #expect(found.contains("16 error broken external link: \(u("status/404")) answers HTTP 404"))  // every line that links there
        #expect(found.contains("7 error broken external link: \(u("status/410")) answers HTTP 410"))
        #expect(found.contains("9 warning external link moved permanently: \(u("moved")) → \(u("ok")); link to the new address"))
        #expect(found.contains("11 warning external link not confirmed: \(u("status/429")) answers HTTP 429 (too many requests); try again later"))
        #expect(found.contains { $0.hasPrefix("12 warning external link not confirmed: \(u("status/403")) answers HTTP 403") })
        #expect(found.contains("13 warning external link not confirmed: no answer within 1 s (\(u("hang/x")))"))
        #expect(found.contains("14 error broken external image: there is no host no-such-host.invalid (http://no-such-host.invalid/chart.png)"))
        #expect(found.count == 8, "\(found)")  // ok, nohead (GET after a refused HEAD) and a temporary redirect are fine
        #expect(server.requests.contains("HEAD /nohead 405") && server.requests.contains("/nohead 200"))
        #expect(result.external.allSatisfy { $0.location?.path == "Content/notes/second.md" })

        // Answers are kept for a day: asked again, nothing is requested.
        let count = server.requests.count
        let again = SiteChecker.check(options, external: true)
        #expect(server.requests.count == count)
        #expect(again.external.map(\.message) == result.external.map(\.message))
        options.now = options.now.addingTimeInterval(2 * 86400)
        _ = SiteChecker.check(options, external: true)
        #expect(server.requests.count > count)
    }
}
