import DossierCore

/// A function a template can call; it receives the evaluated arguments.
public typealias TemplateFunction = @Sendable ([Value]) throws -> Value

/// What a render needs from outside the template: site-wide settings and hooks into other
/// modules (the engine itself knows nothing of Markdown or sites).
public struct RenderEnvironment: Sendable {
    /// Unknown variables are errors rather than warnings.
    public var strict: Bool
    /// Where the site's pages and files are on the web (`relative_url`, `absolute_url`).
    public var urls: SiteURLs
    /// Markdown to HTML for the `markdownify` filter.
    public var markdown: @Sendable (String) -> String
    /// Where warnings (unknown variables outside strict mode) go.
    public var warnings: Diagnostics?
    /// Functions templates can call by name, e.g. `chart({data: "x", type: "bar"})`.
    /// They may throw a `Diagnostic` or `DiagnosticError`; its message is reported at the call.
    public var functions: [String: TemplateFunction]

    public init(
        strict: Bool = false, baseURL: String = "/", markdown: @escaping @Sendable (String) -> String = { HTML.escape($0) },
        warnings: Diagnostics? = nil, functions: [String: TemplateFunction] = [:]
    ) {
        self.functions = functions
        self.strict = strict
        urls = SiteURLs(baseURL: baseURL)
        self.markdown = markdown
        self.warnings = warnings
    }
}
