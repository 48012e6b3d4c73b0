import ArgumentParser
import DossierCore
import DossierSite
import Foundation

extension Dossier {
    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Render the site into the output folder.")

        @OptionGroup var siteOptions: SiteOptions

        @Option(help: "The output folder (default: SITE/Output).")
        var output: String?

        @Option(help: "Override the base URL from site.yaml, e.g. https://example.org/briefing/.")
        var baseURL: String?

        @Flag(help: "Treat warnings (such as unknown template variables) as errors.")
        var strict = false

        @Option(help: "Worker threads (default: one per core).")
        var threads: Int?

        func validate() throws {
            if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        }

        func run() throws {
            let options = BuildOptions(
                site: siteOptions.siteURL, output: output.map { URL(fileURLWithPath: $0, isDirectory: true) },
                drafts: siteOptions.drafts, strict: strict, baseURL: baseURL,
                threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
            do {
                let report = try SiteBuilder.build(options)
                Reporter.print(report.warnings)
                let ms = Int(report.elapsed.components.seconds * 1000) + Int(report.elapsed.components.attoseconds / 1_000_000_000_000_000)
                print("Built \(report.pagesWritten) page\(report.pagesWritten == 1 ? "" : "s") (\(report.filesWritten) files) into \(report.output.path) in \(ms) ms")
            } catch {
                throw Reporter.fail(error)
            }
        }
    }
}
