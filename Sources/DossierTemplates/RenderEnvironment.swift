import DossierCore

/// A function a template can call; it receives the evaluated arguments.
public typealias TemplateFunction = @Sendable ([Value]) throws -> Value

/// What a render needs from outside the template: site-wide settings and hooks into other
/// modules (the engine itself knows nothing of Markdown or sites).
public struct RenderEnvironment: Sendable {
    /// Unknown variables are errors rather than warnings.
    public var strict: Bool
    /// The site's base URL, e.g. `https://example.org/briefing/`; its path is the prefix
    /// `relative_url` adds.
    public var baseURL: String {
        didSet { basePath = Self.basePath(of: baseURL) }
    }
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
        self.baseURL = baseURL
        basePath = Self.basePath(of: baseURL)
        self.markdown = markdown
        self.warnings = warnings
    }

    /// The path part of the base URL without its trailing slash: `/briefing`, or `` at the root.
    public private(set) var basePath: String

    static func basePath(of baseURL: String) -> String {
        var rest = baseURL
        if let scheme = rest.range(of: "://") {
            rest = String(rest[scheme.upperBound...])
            rest = rest.firstIndex(of: "/").map { String(rest[$0...]) } ?? ""
        }
        while rest.hasSuffix("/") { rest.removeLast() }
        return rest
    }

    /// `https://example.org` for `https://example.org/briefing/`.
    public var origin: String {
        guard let scheme = baseURL.range(of: "://") else { return "" }
        let rest = baseURL[scheme.upperBound...]
        let host = rest.firstIndex(of: "/").map { rest[..<$0] } ?? rest
        return String(baseURL[..<scheme.upperBound]) + host
    }
}
