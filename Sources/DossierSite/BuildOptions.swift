import DossierCore
import Foundation

/// What `dossier build` was asked to do.
public struct BuildOptions: Sendable {
    public var site: URL
    public var output: URL
    public var drafts: Bool
    public var strict: Bool
    /// Overrides `base_url` from site.yaml (e.g. for GitHub Pages).
    public var baseURL: String?
    public var threads: Int

    public init(site: URL, output: URL? = nil, drafts: Bool = false, strict: Bool = false, baseURL: String? = nil,
                threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.site = site.standardizedFileURL
        self.output = (output ?? site.appendingPathComponent("Output")).standardizedFileURL
        self.drafts = drafts
        self.strict = strict
        self.baseURL = baseURL
        self.threads = max(1, threads)
    }

    var content: URL { site.appendingPathComponent("Content") }
    var templates: URL { site.appendingPathComponent("Templates") }
}

/// What a finished build reports.
public struct BuildReport: Sendable {
    public var pagesWritten: Int
    public var filesWritten: Int
    public var elapsed: Duration
    public var warnings: [Diagnostic]
    public var output: URL
}
