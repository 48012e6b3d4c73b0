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
        var state = BuildState(options: BuildOptions(site: site, threads: 1), writer: nil, keepsRecords: false)
        try BuildPipeline.run([.load, .parse, .resolveData], on: &state)
        guard let page = state.pages.first(where: { $0.sourcePath == sourcePath }), let summary = state.summaries[page.sourcePath] else {
            throw DiagnosticError(.error("no page \(sourcePath) in \(site.path)"))
        }
        let renderer = state.renderer!
        let context = renderer.context(page, summary: summary.value, content: state.markdown.html(for: page.storeKey) ?? "",
                                           headings: page.rendered?.headings ?? [], shared: state.shared!)
        let environment = renderer.environment
        let template = page.layout + ".html"
        let templates = renderer.templates
        var bytes = 0
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<iterations {
            bytes = try templates.render(template, context: context, environment: environment).utf8.count
        }
        return Result(iterations: iterations, total: clock.now - start, bytesPerRender: bytes)
    }
}
