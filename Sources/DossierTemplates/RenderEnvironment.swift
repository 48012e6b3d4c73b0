import DossierCore

/// A call of a function from a template: its evaluated arguments and where it stands.
public struct TemplateCall: Sendable {
    public var arguments: [Value]
    /// The call in its template (the function's name).
    public var location: SourceLocation

    public init(arguments: [Value], location: SourceLocation) {
        self.arguments = arguments
        self.location = location
    }
}

/// A function a template can call. What it throws (a `Diagnostic` or `DiagnosticError`) is
/// reported at the call, its first message in the headline and the rest, each with its
/// own location, as notes.
public typealias TemplateFunction = @Sendable (TemplateCall) throws -> Value

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
