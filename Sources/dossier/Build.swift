import ArgumentParser
import DossierCore
import DossierSite
import Foundation

extension Dossier {
    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Render the site into the output folder.",
            discussion: "The output is replaced only when the whole build succeeds. Exit status 1 on any error.")

        @OptionGroup var siteOptions: SiteOptions

        @Option(help: "The output folder (default: SITE/Output).")
        var output: String?

        @Flag(help: "Treat warnings (unknown template variables, broken links, …) as errors.")
        var strict = false

        @Flag(help: "Report pages added, changed and removed, and dataset cells whose values changed, since the previous build.")
        var changes = false

        @Option(help: "Compare with this instead of the previous output: the deployed site's URL (its manifest.json and data/*.json are fetched) or a folder of a build. Implies --changes; an unreadable baseline is a warning.")
        var baseline: String?

        @Option(help: "The changes report's format: text or markdown. With GITHUB_STEP_SUMMARY set, the report is also appended there as Markdown.")
        var changesFormat: ChangesFormat = .text

        @Flag(help: "Also write the PDF edition (Templates/pdf.html, laid out by WeasyPrint) into the output; pdf: true in site.yaml does the same.")
        var pdf = false

        @Flag(help: "Print nothing but errors.")
        var quiet = false

        @Option(help: "The summary's format: text or json (json goes to standard output).")
        var format: OutputFormat = .text

        @Option(help: "Worker threads (default: one per core).")
        var threads: Int?

        @Flag(help: "Render every page, ignoring what the previous build into the same output left in its cache (.OUTPUT.dossier-cache).")
        var noCache = false

        @Flag(help: "Fail at once when another build is writing into the same output folder, instead of waiting for it.")
        var noWait = false

        func validate() throws {
            if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        }

        func run() throws {
            if ProcessInfo.processInfo.environment["DOSSIER_TRACE"] != nil {
                FileHandle.standardError.write(Data("TRACE allocator: \(Allocator.description)\n".utf8))
            }
            let progress = Progress(enabled: !quiet && format == .text && Reporter.decorated)
            var options = BuildOptions(
                site: siteOptions.siteURL, output: output.map { URL(fileURLWithPath: $0, isDirectory: true) },
                drafts: siteOptions.drafts, strict: strict, baseURL: siteOptions.baseURL,
                threads: threads ?? ProcessInfo.processInfo.activeProcessorCount, future: siteOptions.future,
                progress: { progress.update($0, $1) })
            options.cache = !noCache
            options.baseline = baseline
            options.pdf = pdf
            let changes = changes || baseline != nil
            options.expired = siteOptions.expired
            options.offline = siteOptions.offline
            options.waitForLock = !noWait
            options.lockWaiting = { Reporter.errorLine("note: " + $0) }
            let report: BuildReport
            do {
                report = try SiteBuilder.build(options)
                progress.finish()
            } catch {
                progress.finish()
                if format == .json {
                    print(JSONText.encode(["ok": false, "diagnostics": .array(error.diagnostics.map(Reporter.value))], pretty: true))
                }
                Reporter.print(error.diagnostics)
                let errors = error.diagnostics.filter { $0.severity == .error }.count
                Reporter.errorLine("error: build failed with \(errors) error\(errors == 1 ? "" : "s"); the previous output was left as it was")
                throw ExitCode(1)
            }
            let ms = Reporter.milliseconds(report.elapsed)
            // On GitHub Actions, the report shows on the run's page.
            if changes, let summary = ProcessInfo.processInfo.environment["GITHUB_STEP_SUMMARY"], !summary.isEmpty,
               let file = FileHandle(forWritingAtPath: summary) {
                file.seekToEndOfFile()
                file.write(Data((report.changes?.markdown ?? "### What changed\n\nNo baseline to compare with.\n").utf8))
                file.closeFile()
            }
            switch format {
            case .json:
                var summary: [String: Value] = [
                    "ok": true, "pages": .number(Double(report.pagesWritten)), "files": .number(Double(report.filesWritten)),
                    "milliseconds": .number(Double(ms)), "output": .string(report.output.path),
                    "reused_pages": .number(Double(report.pagesReused)),
                    "held_back_pages": .number(Double(report.pagesHeldBack)),
                    "pdf": report.pdfKept.map { .string($0 ? "kept" : "made") } ?? .null,
                    "diagnostics": .array(report.warnings.map(Reporter.value)),
                ]
                if changes { summary["changes"] = report.changes?.value ?? .null }
                print(JSONText.encode(.dictionary(summary), pretty: true))
            case .text:
                if !quiet { Reporter.print(report.warnings) }
                if changes {
                    let missing = baseline == nil ? "No previous build to compare with (no manifest.json in the output folder)." : "No changes report (see the warning above)."
                    print(report.changes.map { changesFormat == .markdown ? $0.markdown : $0.text } ?? missing)
                }
                if !quiet {
                    print("Built \(report.pagesWritten) page\(report.pagesWritten == 1 ? "" : "s") (\(report.filesWritten) files) into \(report.output.path) in \(ms) ms"
                          + (report.pagesReused > 0 ? ", \(report.pagesReused) unchanged page\(report.pagesReused == 1 ? "" : "s") reused" : "")
                          + (report.pdfKept == true ? ", the unchanged PDF edition kept" : "")
                          + (report.pagesHeldBack > 0 ? ", \(report.pagesHeldBack) held back (drafts, future-dated or expired: see --drafts, --future, --expired)" : "")
                          + (report.warnings.isEmpty ? "" : ", \(report.warnings.count) warning\(report.warnings.count == 1 ? "" : "s")"))
                }
            }
        }
    }
}

/// How `--changes` prints its report.
enum ChangesFormat: String, ExpressibleByArgument, CaseIterable {
    case text, markdown
}
