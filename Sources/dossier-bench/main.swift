// Benchmarks for Dossier, run by `make bench-templates`; not part of the test suite.
import DossierCore
import DossierSite
import Foundation

let arguments = CommandLine.arguments.dropFirst()
let site = URL(fileURLWithPath: arguments.first ?? ".")
let iterations = arguments.dropFirst().first.flatMap { Int($0) } ?? 100_000
do {
    let result = try TemplateBenchmark.run(site: site, page: "Content/briefing.md", iterations: iterations)
    let seconds = Double(result.total.components.seconds) + Double(result.total.components.attoseconds) / 1e18
    let micros = seconds / Double(iterations) * 1e6
    print("template render (article.html for Content/briefing.md, \(result.bytesPerRender) bytes): "
          + String(format: "%.1f µs per render over %d renders (%.2f s)", micros, iterations, seconds))
} catch {
    FileHandle.standardError.write(Data((error.description + "\n").utf8))
    exit(1)
}
