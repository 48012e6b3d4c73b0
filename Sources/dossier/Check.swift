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

        func run() throws {
            var options = BuildOptions(site: siteOptions.siteURL, drafts: siteOptions.drafts, baseURL: siteOptions.baseURL,
                                       future: siteOptions.future)
            options.cache = false  // check writes nothing, the build cache included
            options.expired = siteOptions.expired
            options.offline = siteOptions.offline
            let result = SiteChecker.check(options)
            switch format {
            case .json:
                print(JSONText.encode(.dictionary([
                    "ok": .bool(result.problems.isEmpty), "pages": .number(Double(result.pages)),
                    "problems": .array(result.problems.map(Reporter.value)),
                ]), pretty: true))
            case .text:
                Reporter.print(result.problems)
                if result.problems.isEmpty {
                    print("Checked \(result.pages) pages: no problems.")
                } else {
                    Reporter.errorLine("\(result.problems.count) problem\(result.problems.count == 1 ? "" : "s") in \(result.pages) pages")
                }
            }
            if !result.problems.isEmpty { throw ExitCode(1) }
        }
    }
}
