import ArgumentParser
import DossierCore
import DossierSite
import Foundation

extension Dossier {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate content, data and templates, and check every link, anchor, image and heading, without writing anything.",
            discussion: "Exit status 0 when there is nothing to report, 1 otherwise.")

        @OptionGroup var siteOptions: SiteOptions

        @Option(help: "text (compiler-style, on standard error) or json (on standard output).")
        var format: OutputFormat = .text

        @Flag(help: "Also check every external link and image (HEAD, then GET; 8 at once, 2 per host; answers kept a day). A 404, a 410 or a host that does not exist fails the check; a 429, a 403, a timeout or a permanent redirect is a warning.")
        var external = false

        func run() throws {
            var options = BuildOptions(site: siteOptions.siteURL, drafts: siteOptions.drafts, baseURL: siteOptions.baseURL,
                                       future: siteOptions.future)
            options.cache = false  // check writes nothing, the build cache included
            options.expired = siteOptions.expired
            options.offline = siteOptions.offline
            let result = SiteChecker.check(options, external: external)
            let broken = result.external.filter { $0.severity == .error }
            let ok = result.problems.isEmpty && broken.isEmpty
            switch format {
            case .json:
                var summary: [String: Value] = [
                    "ok": .bool(ok), "pages": .number(Double(result.pages)),
                    "problems": .array(result.problems.map(Reporter.value)),
                ]
                if external { summary["external"] = .array(result.external.map(Reporter.value)) }
                print(JSONText.encode(.dictionary(summary), pretty: true))
            case .text:
                Reporter.print(result.problems + result.external)
                if ok {
                    let notes = result.external.isEmpty ? "" : " (\(result.external.count) external link\(result.external.count == 1 ? "" : "s") not confirmed)"
                    print("Checked \(result.pages) pages: no problems\(notes).")
                } else {
                    let count = result.problems.count + broken.count
                    Reporter.errorLine("\(count) problem\(count == 1 ? "" : "s") in \(result.pages) pages")
                }
            }
            if !ok { throw ExitCode(1) }
        }
    }
}
