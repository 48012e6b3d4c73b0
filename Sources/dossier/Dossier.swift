import ArgumentParser
import DossierCore
import DossierSite
import Foundation

@main
struct Dossier: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "dossier",
        abstract: "Build data-driven policy briefings: Markdown and data in, a complete static site out.",
        discussion: """
            Exit status: 0 on success, 1 when the site has errors (all reported, compiler-style), \
            64 for a usage error. `make install` installs this tool with its manual page \
            (man dossier) and completions for bash, zsh and fish; \
            `dossier --generate-completion-script bash|zsh|fish` prints a completion script.
            """,
        version: version,
        subcommands: [Build.self, Check.self, Serve.self, New.self, Render.self]
    )
}

/// Options every site command shares.
struct SiteOptions: ParsableArguments {
    @Option(help: "The site folder (holding Content/ and Templates/).")
    var site: String = "."

    @Flag(help: "Include pages marked 'draft: true'.")
    var drafts = false

    @Flag(help: "Include pages dated in the future (after SOURCE_DATE_EPOCH when it is set).")
    var future = false

    @Flag(help: "Include pages whose 'expires' date has passed.")
    var expired = false

    @Flag(help: "Never fetch remote datasets (url: in their metadata): build with the copies kept from the last fetch, or the shipped files.")
    var offline = false

    @Option(help: "Override the base URL from site.yaml, e.g. https://example.org/briefing/.")
    var baseURL: String?

    var siteURL: URL { URL(fileURLWithPath: site, isDirectory: true) }

    func validate() throws {
        if let baseURL, let problem = URLPath.baseURLProblem(baseURL) {
            throw ValidationError("--base-url \(problem)")
        }
    }
}

/// How results are printed.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
