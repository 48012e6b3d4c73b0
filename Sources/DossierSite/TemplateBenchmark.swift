import DossierCore
import Foundation

/// Measures template rendering alone: the site is loaded and its Markdown rendered once,
/// then one page's template is rendered `iterations` times with the same context.
public enum TemplateBenchmark {
    public struct Result: Sendable {
        public var iterations: Int
        public var total: Duration
        public var bytesPerRender: Int
        public var perRender: Duration { total / iterations }
    }

    public static func run(site: URL, page sourcePath: String, iterations: Int) throws(DiagnosticError) -> Result {
        let options = BuildOptions(site: site, threads: 1)
        let diagnostics = Diagnostics()
        let loaded = try SiteLoader.load(options, diagnostics: diagnostics)
        let renderer = PageRenderer(site: loaded, options: options, diagnostics: diagnostics)
        let pages = renderer.renderMarkdown(loaded.pages)
        guard let index = pages.firstIndex(where: { $0.sourcePath == sourcePath }) else {
            throw DiagnosticError(.error("no page \(sourcePath) in \(site.path)"))
        }
        let context = renderer.contexts(pages)[index]
        let environment = renderer.environment
        let template = pages[index].layout + ".html"
        var bytes = 0
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<iterations {
            bytes = try loaded.templates.render(template, context: context, environment: environment).utf8.count
        }
        return Result(iterations: iterations, total: clock.now - start, bytesPerRender: bytes)
    }
}
