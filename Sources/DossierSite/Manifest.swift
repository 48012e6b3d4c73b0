import DossierCore
import Foundation

/// `Output/manifest.json`: every file of the site with its SHA-256, so a scheduled rebuild
/// can tell what changed and a host can verify what it serves.
public struct Manifest: Sendable, Equatable {
    public static let fileName = "manifest.json"
    public var files: [String: String]

    public init(files: [String: String]) { self.files = files }

    /// As `JSONText.encode(…, pretty: true)` writes it, streamed: built as a `Value`, the
    /// manifest of 100,000 files was a copy of every path and digest at the build's peak.
    var json: String {
        var out = "{\n  \"files\": {"
        out.reserveCapacity(files.count * 104 + 64)
        for (i, path) in files.keys.sorted().enumerated() {
            out += i == 0 ? "\n    " : ",\n    "
            JSONText.appendQuoted(path, to: &out)
            out += ": "
            JSONText.appendQuoted(files[path]!, to: &out)
        }
        out += files.isEmpty ? "}" : "\n  }"
        return out + ",\n  \"generator\": \"dossier\"\n}\n"
    }

    /// Reads a previous output's manifest; nil when there is none or it is unreadable.
    static func read(from output: URL) -> Manifest? {
        FileText.bytes(output.appendingPathComponent(fileName).path).flatMap(parse)
    }

    /// A manifest's bytes as read; nil when they are not one.
    static func parse(_ bytes: [UInt8]) -> Manifest? {
        if let files = quickParse(bytes) { return Manifest(files: files) }
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
            let files = object["files"] as? [String: String]
        else { return nil }
        return Manifest(files: files)
    }

    /// Reads the manifest as `json` writes it — one `"path": "digest"` pair per line of the
    /// `files` object — without Foundation's JSON objects (a tenth of a no-change rebuild
    /// of a large site). Nil for anything else (escapes included): JSONSerialization decides.
    static func quickParse(_ bytes: [UInt8]) -> [String: String]? {
        guard !bytes.contains(UInt8(ascii: "\\")) else { return nil }
        let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        if lines.contains(where: { $0.starts(with: "  \"files\": {}".utf8) }) { return [:] }
        guard let start = lines.firstIndex(where: { $0.elementsEqual("  \"files\": {".utf8) }) else { return nil }
        var files: [String: String] = [:]
        files.reserveCapacity(lines.count)
        let quote = UInt8(ascii: "\"")
        for line in lines[(start + 1)...] {
            var rest = line.drop { $0 == 0x20 }
            if rest.first == UInt8(ascii: "}") { return files }
            // "key": "value" with an optional trailing comma
            guard rest.first == quote, let keyEnd = rest.dropFirst().firstIndex(of: quote) else { return nil }
            let key = String(decoding: rest[(rest.startIndex + 1)..<keyEnd], as: UTF8.self)
            rest = rest[(keyEnd + 1)...]
            guard rest.starts(with: ": \"".utf8) else { return nil }
            rest = rest.dropFirst(3)
            guard let valueEnd = rest.firstIndex(of: quote) else { return nil }
            let tail = rest[(valueEnd + 1)...]
            guard tail.isEmpty || tail.elementsEqual([UInt8(ascii: ",")]) else { return nil }
            files[key] = String(decoding: rest[..<valueEnd], as: UTF8.self)
        }
        return nil
    }
}

/// What a rebuild changed: pages added, changed and removed, other files, and the dataset
/// cells whose values changed — what a reviewer of a scheduled rebuild wants to read.
public struct ChangeReport: Sendable, Equatable {
    public struct CellChange: Sendable, Equatable {
        public var dataset: String
        public var row: String
        public var column: String
        public var old: String?
        public var new: String?
    }

    public var addedPages: [String] = []
    public var changedPages: [String] = []
    public var removedPages: [String] = []
    public var otherFiles: [String] = []
    public var cells: [CellChange] = []

    public var isEmpty: Bool {
        addedPages.isEmpty && changedPages.isEmpty && removedPages.isEmpty && otherFiles.isEmpty && cells.isEmpty
    }

    /// Compares manifests (and, for datasets, the old and new `data/*.json` texts).
    static func compare(old: Manifest, new: Manifest, oldData: [String: Value], newData: [String: Value]) -> ChangeReport {
        var report = ChangeReport()
        func url(_ path: String) -> String {
            path == "index.html" ? "/" : path.hasSuffix("/index.html") ? "/" + path.dropLast("index.html".count) : "/" + path
        }
        for path in Set(old.files.keys).union(new.files.keys).sorted() where path != Manifest.fileName {
            let before = old.files[path], after = new.files[path]
            guard before != after else { continue }
            if path.hasSuffix(".html") {
                if before == nil { report.addedPages.append(url(path)) } else if after == nil { report.removedPages.append(url(path)) } else {
                    report.changedPages.append(url(path))
                }
            } else {
                report.otherFiles.append((before == nil ? "added " : after == nil ? "removed " : "changed ") + path)
            }
        }
        for id in Set(oldData.keys).union(newData.keys).sorted() {
            report.cells += cellChanges(dataset: id, old: oldData[id], new: newData[id])
        }
        return report
    }

    static func cellChanges(dataset: String, old: Value?, new: Value?) -> [CellChange] {
        func rows(_ v: Value?) -> (key: String, rows: [String: [String: Value]], order: [String], columns: [String]) {
            let columns = v?["columns"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            let key = columns.first ?? ""
            var out: [String: [String: Value]] = [:]
            var order: [String] = []
            for row in v?["rows"]?.arrayValue ?? [] {
                guard let d = row.dictionaryValue, let k = d[key]?.text else { continue }
                out[k] = d
                order.append(k)
            }
            return (key, out, order, columns)
        }
        let a = rows(old), b = rows(new)
        var changes: [CellChange] = []
        var keys = b.order
        for k in a.order where b.rows[k] == nil { keys.append(k) }
        let columns = b.columns + a.columns.filter { !b.columns.contains($0) }
        for k in keys {
            for column in columns where column != b.key && column != a.key {
                let before = a.rows[k]?[column], after = b.rows[k]?[column]
                let x = before.flatMap { $0.isNull ? nil : $0.text }, y = after.flatMap { $0.isNull ? nil : $0.text }
                if x != y { changes.append(CellChange(dataset: dataset, row: k, column: column, old: x, new: y)) }
            }
        }
        return changes
    }

    /// The report as text for people.
    public var text: String {
        if isEmpty { return "No changes since the previous build." }
        var lines = ["Changes since the previous build:"]
        lines += addedPages.map { "  added page    \($0)" }
        lines += changedPages.map { "  changed page  \($0)" }
        lines += removedPages.map { "  removed page  \($0)" }
        lines += otherFiles.map { "  \($0)" }
        lines += cells.map { c in
            "  data \(c.dataset): '\(c.row)', '\(c.column)': \(c.old.map { "'\($0)'" } ?? "not stated") → \(c.new.map { "'\($0)'" } ?? "not stated")"
        }
        return lines.joined(separator: "\n")
    }

    /// The report as Markdown (`--changes-format markdown`, and a GitHub Actions run's
    /// summary page).
    public var markdown: String {
        func cell(_ s: String) -> String {
            s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
        }
        func code(_ s: String) -> String { "`" + s.replacingOccurrences(of: "`", with: "'") + "`" }
        var lines = ["### What changed", ""]
        if isEmpty { return (lines + ["Nothing: every page, file and dataset is as it was."]).joined(separator: "\n") + "\n" }
        for (title, items) in [("Added pages", addedPages), ("Changed pages", changedPages), ("Removed pages", removedPages), ("Other files", otherFiles)]
        where !items.isEmpty {
            lines.append("**\(title)** (\(items.count)): " + items.map(code).joined(separator: ", "))
            lines.append("")
        }
        if !cells.isEmpty {
            lines += ["**Data cells** (\(cells.count)):", "", "| Dataset | Row | Column | Before | After |", "| --- | --- | --- | --- | --- |"]
            for c in cells {
                lines.append("| \(cell(c.dataset)) | \(cell(c.row)) | \(cell(c.column)) | \(c.old.map(cell) ?? "*not stated*") | \(c.new.map(cell) ?? "*not stated*") |")
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    public var value: Value {
        .dictionary([
            "added_pages": .array(addedPages.map(Value.string)), "changed_pages": .array(changedPages.map(Value.string)),
            "removed_pages": .array(removedPages.map(Value.string)), "other_files": .array(otherFiles.map(Value.string)),
            "cells": .array(cells.map { c in
                .dictionary(["dataset": .string(c.dataset), "row": .string(c.row), "column": .string(c.column),
                             "old": c.old.map(Value.string) ?? .null, "new": c.new.map(Value.string) ?? .null])
            }),
        ])
    }
}
