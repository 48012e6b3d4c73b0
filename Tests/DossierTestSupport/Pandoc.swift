import Foundation

/// pandoc, the oracle for citations (`make test-deps` installs it): its standard output.
public enum Pandoc {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// `pandoc ARGUMENTS`; throws when pandoc is missing or fails.
    public static func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["pandoc"] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "pandoc \(arguments.joined(separator: " ")) failed: \(String(decoding: errors, as: UTF8.self))")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// `markdown` set by `pandoc --citeproc` against `bibliography`, as `format`
    /// (`html`, `plain`), without line wrapping.
    public static func citeproc(_ markdown: String, bibliography: URL, to format: String) throws -> String {
        let doc = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-pandoc-\(UUID().uuidString).md")
        try markdown.write(to: doc, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: doc) }
        return try run([doc.path, "--citeproc", "--bibliography", bibliography.path, "-t", format, "--wrap=none"])
    }

    /// Front matter that lists every entry of the bibliography.
    public static let everyEntry = "---\nnocite: \"@*\"\n---\n"
}
