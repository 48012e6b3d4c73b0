import ArgumentParser
import DossierCore
import DossierPreview
import DossierSite
import Foundation

extension Dossier {
    struct Serve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Preview the site: build it, serve it on 127.0.0.1, rebuild on every change and reload the browser.",
            discussion: "Build errors are shown over the page in every open tab; the last good version keeps being served. Ctrl-C stops.")

        @OptionGroup var siteOptions: SiteOptions

        @Option(help: "The address to listen on. Anything but a loopback address exposes the preview to the network.")
        var host = "127.0.0.1"

        @Option(help: "The port (0 picks a free one).")
        var port = 8080

        @Flag(help: "Open the preview in the default browser.")
        var open = false

        @Flag(help: "Watch for changes by polling instead of inotify.")
        var poll = false

        func validate() throws {
            guard (0...65535).contains(port) else { throw ValidationError("--port must be 0–65535") }
        }

        func run() throws {
            let preview: Preview
            do {
                var settings = Preview.Settings(site: siteOptions.siteURL, host: host, port: port, drafts: siteOptions.drafts,
                                                future: siteOptions.future, poll: poll)
                settings.expired = siteOptions.expired
                settings.offline = siteOptions.offline
                preview = try Preview(settings)
            } catch {
                Reporter.errorLine("error: \(error)")
                throw ExitCode(1)
            }
            if !PreviewServer.isLoopback(host) {
                Reporter.errorLine("warning: serving on \(host): other machines on the network can read this preview")
            }
            preview.log = { line in FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
            preview.start()
            preview.log("Serving \(siteOptions.siteURL.standardizedFileURL.path) at \(preview.server.url)  (watching Content/ and Templates/"
                        + (preview.watchesByPolling ? " by polling" : "") + "; Ctrl-C to stop)")
            if open { openBrowser(preview.server.url) }

            signal(SIGINT, SIG_IGN)
            signal(SIGTERM, SIG_IGN)
            let handlers = [SIGINT, SIGTERM].map { signalNumber -> DispatchSourceSignal in
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .main)
                source.setEventHandler {
                    preview.stop()
                    preview.log("Stopped.")
                    Foundation.exit(0)
                }
                source.resume()
                return source
            }
            withExtendedLifetime(handlers) { dispatchMain() }
        }

        private func openBrowser(_ url: String) {
            for candidate in ["/usr/bin/xdg-open", "/usr/bin/open"] where FileManager.default.isExecutableFile(atPath: candidate) {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: candidate)
                process.arguments = [url]
                try? process.run()
                return
            }
            Reporter.errorLine("note: could not find a browser opener (xdg-open); open \(url) yourself")
        }
    }
}
