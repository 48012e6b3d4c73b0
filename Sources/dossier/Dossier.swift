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
        version: version,
        subcommands: [Build.self],
        defaultSubcommand: nil
    )
}

/// Options every site command shares.
struct SiteOptions: ParsableArguments {
    @Option(help: "The site folder (holding Content/ and Templates/).")
    var site: String = "."

    @Flag(help: "Include pages marked 'draft: true'.")
    var drafts = false

    var siteURL: URL { URL(fileURLWithPath: site, isDirectory: true) }
}

/// Prints diagnostics the way compilers do, to standard error.
enum Reporter {
    static func print(_ diagnostics: [Diagnostic]) {
        for d in diagnostics { FileHandle.standardError.write(Data((d.description + "\n").utf8)) }
    }

    static func fail(_ error: DiagnosticError) -> ExitCode {
        print(error.diagnostics)
        let errors = error.diagnostics.filter { $0.severity == .error }.count
        FileHandle.standardError.write(Data("error: build failed with \(errors) error\(errors == 1 ? "" : "s"); the previous output was left as it was\n".utf8))
        return ExitCode(1)
    }
}
