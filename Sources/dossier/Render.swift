import ArgumentParser
import DossierCore
import DossierSite
import Foundation

extension Dossier {
    struct Render: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Render one Markdown document (a file, or standard input) to its HTML body on standard output.",
            discussion: "Uses the Markdown settings of --site's Content/site.yaml, or the defaults without --site. "
                + "Front matter, if the document starts with it, is left out. Errors and warnings go to standard error, located.")

        @Option(help: "A site folder whose Content/site.yaml gives the Markdown settings (default: none, the defaults).")
        var site: String?

        @Argument(help: "The Markdown file (default: standard input).")
        var file: String?

        func run() throws {
            let path = file ?? "<stdin>"
            let bytes: Data
            if let file {
                guard let data = FileManager.default.contents(atPath: file) else {
                    Reporter.errorLine("error: cannot read \(file)")
                    throw ExitCode(1)
                }
                bytes = data
            } else {
                bytes = FileHandle.standardInput.readDataToEndOfFile()
            }
            guard let text = String(data: bytes, encoding: .utf8) else {
                Reporter.errorLine("\(path): error: the file is not UTF-8 text")
                throw ExitCode(1)
            }
            do throws(DiagnosticError) {
                let output = try MarkdownCommand.render(text, path: path, site: site.map { URL(fileURLWithPath: $0, isDirectory: true) })
                Reporter.print(output.warnings)
                FileHandle.standardOutput.write(Data(output.html.utf8))
            } catch {
                Reporter.print(error.diagnostics)
                throw ExitCode(1)
            }
        }
    }
}
