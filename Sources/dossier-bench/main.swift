// Benchmarks for Dossier (not part of the test suite):
//   dossier-bench templates SITE [N]       render the flagship article template N times
//   dossier-bench serve-latency SITE [N] [PAGE]   file write → reload event, over N edits of a
//                                          preview, the edited page open (and PAGE, e.g. /)
import DossierCore
import DossierPreview
import DossierSite
import Foundation
#if canImport(Glibc)
import Glibc
#endif

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(1)
}

func templates(site: URL, iterations: Int) {
    do {
        let result = try TemplateBenchmark.run(site: site, page: "Content/briefing.md", iterations: iterations)
        let total = seconds(result.total)
        print("template render (article.html for Content/briefing.md, \(result.bytesPerRender) bytes): "
              + String(format: "%.1f µs per render over %d renders (%.2f s)", total / Double(iterations) * 1e6, iterations, total))
    } catch {
        fail(error.description)
    }
}

/// Opens the preview's event stream like a browser tab showing `page` and returns the socket.
func openEventStream(port: Int, page: String) -> Int32 {
    guard let fd = Socket.connectLoopback(port: port) else { fail("cannot connect to the preview") }
    let request = "GET /__dossier/events?page=\(page) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\r\n"
    _ = request.withCString { send(fd, $0, strlen($0), 0) }
    return fd
}

/// Reads until `event: reload` arrives; returns false on timeout or close.
func awaitReload(_ fd: Int32, buffer: inout String) -> Bool {
    var bytes = [UInt8](repeating: 0, count: 8192)
    var timeout = timeval(tv_sec: 10, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    while true {
        if let range = buffer.range(of: "event: reload\n") {
            buffer = String(buffer[range.upperBound...])
            return true
        }
        let n = recv(fd, &bytes, bytes.count, 0)
        guard n > 0 else { return false }
        buffer += String(decoding: bytes[0..<n], as: UTF8.self)
    }
}

/// Edits `edits` articles one after another, each with its own page open in a "tab" (and,
/// with `alsoViewing`, a second tab on that page — e.g. the home page, which lists them).
func serveLatency(site: URL, edits: Int, alsoViewing: String?) {
    let preview: Preview
    do {
        preview = try Preview(.init(site: site, port: 0))
    } catch {
        fail("\(error)")
    }
    preview.log = { line in if ProcessInfo.processInfo.environment["BENCH_LOG"] != nil { print(line) } }
    let first = preview.start()
    guard first.succeeded else { fail(first.diagnostics.map(\.description).joined(separator: "\n")) }
    defer { preview.stop() }
    let posts = (try? FileManager.default.contentsOfDirectory(atPath: site.appendingPathComponent("Content/posts").path))?
        .filter { $0.hasSuffix(".md") && $0 != "index.md" }.sorted() ?? []
    guard posts.count >= edits else { fail("need at least \(edits) posts in Content/posts") }
    let other = alsoViewing.map { openEventStream(port: preview.server.port, page: $0) }
    defer { if let other { close(other) } }
    var latencies: [Double] = []
    for i in 0..<edits {
        let name = posts[i * (posts.count / edits)]
        let url = site.appendingPathComponent("Content/posts/" + name)
        let fd = openEventStream(port: preview.server.port, page: "/posts/" + name.dropLast(3) + "/")
        defer { close(fd) }
        while preview.server.connectedTabs < (other == nil ? 1 : 2) { usleep(1000) }
        var buffer = ""
        guard let original = try? String(contentsOf: url, encoding: .utf8) else { fail("cannot read \(url.path)") }
        var text = original
        text += "\nEdited for the latency benchmark (\(i)).\n"
        let start = ContinuousClock.now
        do { try text.write(to: url, atomically: false, encoding: .utf8) } catch { fail("cannot write \(url.path)") }
        guard awaitReload(fd, buffer: &buffer) else { fail("no reload event after editing \(url.lastPathComponent)") }
        latencies.append(seconds(ContinuousClock.now - start) * 1000)
        // Put the article back as it was (the corpus is shared by every benchmark).
        do { try original.write(to: url, atomically: false, encoding: .utf8) } catch { fail("cannot write \(url.path)") }
        guard awaitReload(fd, buffer: &buffer) else { fail("no reload event after restoring \(url.lastPathComponent)") }
        close(fd)
        while preview.server.connectedTabs > (other == nil ? 0 : 1) { preview.server.ping(); usleep(1000) }
        usleep(UInt32(ProcessInfo.processInfo.environment["BENCH_GAP_MS"].flatMap { Int($0) } ?? 400) * 1000)  // let the files written after the reload settle between edits, as a person typing would
    }
    let sorted = latencies.sorted()
    let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    let viewing = alsoViewing.map { "the edited page and \($0)" } ?? "the edited page"
    print(String(format: "serve latency (file write → reload event received, %d pages, %d edits, tabs on %@): median %.1f ms, max %.1f ms",
                 first.renderedPages, edits, viewing, median, sorted.last ?? 0))
}

var arguments = Array(CommandLine.arguments.dropFirst())
let command = arguments.isEmpty ? "templates" : arguments.removeFirst()
let site = URL(fileURLWithPath: arguments.first ?? ".")
let count = arguments.dropFirst().first.flatMap { Int($0) }
switch command {
case "templates": templates(site: site, iterations: count ?? 100_000)
case "serve-latency": serveLatency(site: site, edits: count ?? 20, alsoViewing: arguments.dropFirst(2).first)
default: fail("usage: dossier-bench templates SITE [N] | serve-latency SITE [N] [PAGE]")
}
