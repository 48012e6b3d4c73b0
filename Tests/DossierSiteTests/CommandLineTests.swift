import DossierCore
import DossierTestSupport
import Foundation
import Testing

/// Runs the real `dossier` executable, as CI and analysts do.
@Suite struct CommandLineTests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var binary: URL { TestBinary.dossier(repository: FlagshipTests.repository) }

    func dossier(_ arguments: [String], environment: [String: String] = [:]) throws -> Run {
        #expect(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build the dossier executable first (swift build)")
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test func versionAndHelp() throws {
        #expect(try dossier(["--version"]).stdout == "0.1.0\n")
        let help = try dossier(["--help"]).stdout
        #expect(help.contains("build") && help.contains("check"))
    }

    /// The exit codes and the install story the README documents.
    @Test func exitCodesManualAndCompletions() throws {
        let help = try dossier(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("Exit status: 0 on success, 1 when the site has errors"))
        #expect(help.stdout.contains("man dossier"))
        #expect(try dossier(["build", "--no-such-option"]).status == 64)
        for shell in ["bash", "zsh", "fish"] {
            let script = try dossier(["--generate-completion-script", shell])
            #expect(script.status == 0)
            #expect(script.stdout.contains("serve"), "\(shell)")
        }
    }

    /// `dossier new site`: a site that builds strictly and passes `dossier check` (the Nu
    /// checker and axe read it in `make validate`); `dossier new page`: a draft with front
    /// matter. Neither overwrites anything.
    @Test func newSiteAndNewPage() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-new-\(UUID().uuidString)")
        TemporaryFolders.removeAtExit(root)
        let site = root.appendingPathComponent("my site").path
        let made = try dossier(["new", "site", site])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.contains("Content/articles/example.md") && made.stdout.contains("dossier serve"))
        let build = try dossier(["build", "--site", site, "--strict"])
        #expect(build.status == 0, "\(build.stderr)")
        #expect(try dossier(["check", "--site", site]).status == 0)
        let article = try String(contentsOfFile: site + "/Output/articles/example/index.html", encoding: .utf8)
        #expect(article.contains("<svg class=\"dsr dsr-bar dsr-wide\"") && article.contains("<table class=\"dsr-table\">"))
        #expect(article.contains("class=\"footnotes\""))
        let again = try dossier(["new", "site", site])
        #expect(again.status == 1 && again.stderr.contains("is not empty"))

        let page = try dossier(["new", "page", "notes/first-steps", "--site", site, "--title", "Why \"this\": matters"])
        #expect(page.status == 0, "\(page.stderr)")
        let text = try String(contentsOfFile: site + "/Content/notes/first-steps.md", encoding: .utf8)
        #expect(text.hasPrefix("---\ntitle: \"Why \\\"this\\\": matters\"\ndate: ") && text.contains("\ndraft: true\n"))
        #expect(try dossier(["build", "--site", site, "--strict", "--drafts"]).status == 0)
        let titled = try String(contentsOfFile: site + "/Output/notes/first-steps/index.html", encoding: .utf8)
        #expect(titled.contains("<h1>Why &quot;this&quot;: matters</h1>") || titled.contains("<h1>Why \"this\": matters</h1>"))
        for (path, message) in [("notes/first-steps.md", "already exists"), ("../outside.md", "leads outside Content/"), ("data/x.md", "holds datasets")] {
            let refused = try dossier(["new", "page", path, "--site", site])
            #expect(refused.status == 1 && refused.stderr.contains(message), "\(path): \(refused.stderr)")
        }
        #expect(try dossier(["new", "page", "x.md", "--site", root.path]).stderr.contains("no Content/ folder"))
    }

    /// `--baseline DIR --changes-format markdown`, and the report on a GitHub Actions run's page.
    @Test func theChangesReportGoesToTheRunSummary() throws {
        let site = try Fixture(PublishingTests.site)
        let live = site.root.appendingPathComponent("Live").path
        #expect(try dossier(["build", "--site", site.root.path, "--output", live, "--quiet"]).status == 0)
        try site.write("Content/data/scores.csv", "Name,Score\nA,1.5\nB,7\n")
        let summary = site.root.appendingPathComponent("summary.md")
        try Data("# Earlier steps\n".utf8).write(to: summary)
        let run = try dossier(["build", "--site", site.root.path, "--output", site.root.appendingPathComponent("CI").path, "--baseline", live,
                               "--changes-format", "markdown"], environment: ["GITHUB_STEP_SUMMARY": summary.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("| scores | B | Score | *not stated* | 7 |"))
        let written = try String(contentsOf: summary, encoding: .utf8)
        #expect(written.hasPrefix("# Earlier steps\n### What changed") && written.contains("| scores | B | Score | *not stated* | 7 |"))
        let unreachable = try dossier(["build", "--site", site.root.path, "--output", site.root.appendingPathComponent("CI2").path,
                                       "--strict", "--baseline", "http://127.0.0.1:9/"])
        #expect(unreachable.status == 0 && unreachable.stderr.contains("warning: no changes report: the baseline could not be read"))
    }

    @Test func failedBuildExitsOneWithCompilerStyleErrors() throws {
        var files = Fixture.basic
        files["Content/notes/first.md"] = "---\ntitle: First\ndate: someday\n---\n"
        files["Content/notes/second.md"] = "---\ndraft: maybe\n---\n"
        let site = try Fixture(files)
        let run = try dossier(["build", "--site", site.root.path], environment: ["NO_COLOR": "1"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("Content/notes/first.md:3:7: error: 'date' is not a date: 'someday'"))
        #expect(run.stderr.contains("    date: someday\n          ^"))
        #expect(run.stderr.contains("Content/notes/second.md:1:1: error: no title: give the page a 'title' in its front matter, or start it with a '# Title' heading"))
        #expect(run.stderr.contains("error: build failed with 3 errors"))
        #expect(!run.stderr.contains("\u{1B}["))
        #expect(site.read("Output/index.html") == nil)
    }

    @Test func jsonSummaryForCI() throws {
        let site = try Fixture(Fixture.basic)
        let run = try dossier(["build", "--site", site.root.path, "--format", "json", "--changes"])
        #expect(run.status == 0)
        let summary = try YAMLReader.parse(run.stdout, path: "stdout").value
        #expect(summary["ok"] == .bool(true))
        #expect(summary["pages"] == .number(3))
        let quiet = try dossier(["build", "--site", site.root.path, "--quiet"])
        #expect(quiet.status == 0 && quiet.stdout.isEmpty)
    }

    @Test func checkReportsAsJSONAndExitsOne() throws {
        var files = Fixture.basic
        files["Content/notes/second.md"] = "---\ntitle: Second\n---\n\n[gone](/nowhere/)\n"
        let site = try Fixture(files)
        let run = try dossier(["check", "--site", site.root.path, "--format", "json"])
        #expect(run.status == 1)
        let result = try YAMLReader.parse(run.stdout, path: "stdout").value
        let problem = try #require(result["problems"]?.arrayValue?.first { $0["message"]?.text.contains("/nowhere/") == true })
        #expect(problem["file"] == .string("Content/notes/second.md"))
        #expect(problem["line"] == .number(5))
        let cleanSite = try Fixture(PublishingTests.site)
        let clean = try dossier(["check", "--site", cleanSite.root.path])
        #expect(clean.status == 0)
    }

    @Test(arguments: ["soon", "1.5e9", "-1", "", "12345678901234567890"])
    func aGarbageSourceDateEpochIsAnError(_ value: String) throws {
        let site = try Fixture(Fixture.basic)
        let run = try dossier(["build", "--site", site.root.path], environment: ["SOURCE_DATE_EPOCH": value])
        #expect(run.status == 1)
        #expect(run.stderr.contains("SOURCE_DATE_EPOCH is '\(value)', not a whole number of seconds"), "\(run.stderr)")
        #expect(try dossier(["build", "--site", site.root.path], environment: ["SOURCE_DATE_EPOCH": "1748736000"]).status == 0)
    }

    /// Two `dossier build` processes into one folder: the second waits (and says so), or
    /// with `--no-wait` fails at once; both outputs are whole.
    @Test func concurrentCommandLineBuildsTakeTurns() throws {
        let site = try Fixture(Fixture.basic)
        let lock = site.root.appendingPathComponent(".Output.dossier-lock").path
        // Hold the lock from another process: flock(1) keeps it while `sleep` runs.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        holder.arguments = [lock, "sleep", "3"]
        try holder.run()
        defer { holder.terminate() }
        Thread.sleep(forTimeInterval: 0.3)
        let refused = try dossier(["build", "--site", site.root.path, "--no-wait"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("another dossier build"), "\(refused.stderr)")
        let start = ContinuousClock.now
        let waited = try dossier(["build", "--site", site.root.path])
        #expect(waited.status == 0)
        #expect(waited.stderr.contains("waiting for another dossier build"), "\(waited.stderr)")
        #expect(ContinuousClock.now - start > .seconds(1))
        #expect(site.read("Output/notes/first/index.html") != nil)
    }
}
