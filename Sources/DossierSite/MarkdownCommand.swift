import DossierCore
import DossierMarkdown
import Foundation

/// `dossier render`: one Markdown document to its HTML body, with a site's Markdown
/// settings (or the defaults) — for scripts, for trying a snippet, for conformance tests.
public enum MarkdownCommand {
    /// What a render printed: the HTML, and the warnings to show beside it.
    public struct Output: Sendable {
        public var html: String
        public var warnings: [Diagnostic]
    }

    /// Renders `text` (from `path`, as messages name it). A document that starts with
    /// front matter (a YAML mapping between `---` lines) has it left out, its body located
    /// at its lines in the file; a `---` that starts anything else is Markdown.
    /// `site`: the folder whose `Content/site.yaml` gives the settings; nil for defaults.
    public static func render(_ text: String, path: String, site: URL?) throws(DiagnosticError) -> Output {
        var config = SiteConfig()
        let diagnostics = Diagnostics()
        if let site {
            config = SiteLoader.loadConfig(BuildOptions(site: site), diagnostics: diagnostics)
            guard !diagnostics.hasErrors else { throw DiagnosticError(diagnostics.all) }
        }
        let (body, firstLine) = withoutFrontMatter(text)
        let rendered = try MarkdownRenderer.render(body, path: path, firstLine: firstLine, options: config.markdownOptions(urls: config.urls))
        return Output(html: rendered.html, warnings: diagnostics.all + rendered.warnings.map { $0.withSource(text) })
    }

    /// The body after front matter, and the file line it starts at.
    static func withoutFrontMatter(_ text: String) -> (body: String, firstLine: Int) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.first.map({ $0.trimmingCharacters(in: .whitespaces) == "---" }) == true,
              let end = lines.dropFirst().firstIndex(where: { $0 == "---" || $0 == "..." || $0 == "---\r" })
        else { return (text, 1) }
        let yaml = lines[1..<end].joined(separator: "\n")
        guard case .mapping(let pairs, _)? = try? YAMLReader.parse(yaml, path: "", firstLine: 2), !pairs.isEmpty else { return (text, 1) }
        return (lines[(end + 1)...].joined(separator: "\n"), end + 2)
    }
}
