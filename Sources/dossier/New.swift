import ArgumentParser
import DossierCore
import DossierSite
import Foundation

extension Dossier {
    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Start a site, or a page in one.",
            subcommands: [NewSite.self, NewPage.self])
    }

    struct NewSite: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "site",
            abstract: "Write a small complete site into a new or empty folder.",
            discussion: "A home page, an article with a chart, a table and a footnote from a bundled illustrative dataset, "
                + "templates and styles. It builds with --strict. Nothing is ever overwritten.")

        @Argument(help: "The folder for the new site (created; if it exists it must be empty).")
        var folder: String

        func run() throws {
            do throws(DiagnosticError) {
                let written = try Starter.writeSite(at: URL(fileURLWithPath: folder, isDirectory: true))
                print("Wrote a new site in \(folder) (\(written.count) files):")
                for path in written { print("  \(path)") }
                print("""

                    Next:
                      cd \(folder)
                      dossier serve                 preview it at http://127.0.0.1:8080/, rebuilt as you edit
                      dossier new page notes/x.md   start another page
                      dossier check                 look for broken links, missing images and anchors
                      dossier build --strict        write the site to Output/, ready for any static host
                    Set base_url in Content/site.yaml to where the site will be published.
                    """)
            } catch {
                Reporter.print(error.diagnostics)
                throw ExitCode(1)
            }
        }
    }

    struct NewPage: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "page",
            abstract: "Write a new article (a draft) with front matter.",
            discussion: "PATH is inside Content/ (notes/method.md, or Content/notes/method.md). The page has a title, "
                + "today's date and 'draft: true': `dossier serve --drafts` shows it; remove the line to publish. Nothing is ever overwritten.")

        @Option(help: "The site folder (holding Content/).")
        var site: String = "."

        @Option(help: "The page's title (default: made from the file name).")
        var title: String?

        @Argument(help: "Where the page goes, inside Content/.")
        var path: String

        func run() throws {
            do throws(DiagnosticError) {
                let written = try Starter.writePage(path, site: URL(fileURLWithPath: site, isDirectory: true), title: title)
                print("Wrote \(written) (a draft: dossier serve --drafts shows it; remove 'draft: true' to publish)")
            } catch {
                Reporter.print(error.diagnostics)
                throw ExitCode(1)
            }
        }
    }
}
