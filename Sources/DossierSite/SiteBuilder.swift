import DossierCharts
import DossierCore
import DossierData
import DossierMarkdown
import DossierTemplates
import Foundation

/// The build, as one ordered list of steps:
/// load (config, templates, data, pages) → render Markdown → render templates →
/// write into a staging folder → swap into the output folder.
public enum SiteBuilder {
    public static func build(_ options: BuildOptions) throws(DiagnosticError) -> BuildReport {
        let clock = ContinuousClock()
        let start = clock.now
        let diagnostics = Diagnostics()

        // 1. Load everything, collecting every problem before giving up.
        let site = try SiteLoader.load(options, diagnostics: diagnostics)

        // 2–3. Markdown then templates, page by page on every core.
        let renderer = PageRenderer(site: site, options: options, diagnostics: diagnostics)
        let pages = renderer.renderMarkdown()
        let html = renderer.renderTemplates(pages)
        if diagnostics.hasErrors || (options.strict && !diagnostics.warnings.isEmpty) {
            throw DiagnosticError(strictened(diagnostics.all, strict: options.strict))
        }

        // 4. Write everything into staging; swap it in only if every write succeeded.
        let writer = try OutputWriter(output: options.output)
        do {
            try writer.copyTree(from: options.templates.appendingPathComponent("assets"), to: "assets")
            for (page, text) in zip(pages, html) { try writer.write(text, to: page.outputPath) }
            for dataset in site.data.datasets.values.sorted(by: { $0.id < $1.id }) {
                try writer.write(DataExport.csv(dataset), to: "data/\(dataset.id).csv")
                try writer.write(DataExport.json(dataset, scales: site.data.scales), to: "data/\(dataset.id).json")
            }
            let files = writer.stagedFiles()
            try writer.commit()
            return BuildReport(pagesWritten: pages.count, filesWritten: files.count, elapsed: clock.now - start,
                               warnings: diagnostics.warnings, output: options.output)
        } catch {
            writer.discard()
            throw error
        }
    }

    /// Under `--strict`, warnings count as errors.
    static func strictened(_ all: [Diagnostic], strict: Bool) -> [Diagnostic] {
        guard strict else { return all }
        return all.map { d in
            var d = d
            d.severity = .error
            return d
        }
    }
}
