import DossierCore
import DossierData

/// Datasets as files readers can download (CSV, and JSON with metadata) and as values
/// templates can reach through `data.NAME`.
enum DataExport {
    /// Unrounded numbers, levels by name, missing as an empty field (RFC 4180 quoting).
    /// Text that a spreadsheet would run as a formula is neutralised (`formulaSafe`).
    static func csv(_ dataset: Dataset) -> String {
        func field(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
                ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        var out = dataset.columns.map { field(formulaSafe($0.name)) }.joined(separator: ",") + "\r\n"
        for row in dataset.rows {
            out += row.map { cell in
                if case .number = cell.value { return field(text(of: cell)) }  // -2 stays a number
                return field(formulaSafe(text(of: cell)))
            }.joined(separator: ",") + "\r\n"
        }
        return out
    }

    /// OWASP's rule against CSV injection: text starting with `=`, `+`, `-`, `@`, a tab or
    /// a carriage return is what Excel, LibreOffice and Google Sheets run as a formula
    /// (`=HYPERLINK(…)`, `@SUM(…)`); a leading `'` makes them show it as text.
    static func formulaSafe(_ text: String) -> String {
        guard let first = text.unicodeScalars.first else { return text }
        switch first {
        case "=", "+", "-", "@", "\t", "\r", "\u{FF1D}", "\u{FF0B}", "\u{FF0D}", "\u{FF20}": return "'" + text
        default: return text
        }
    }

    static func text(of cell: Cell) -> String {
        switch cell.value {
        case .missing: return ""
        case .number(let n): return Value.format(n)
        case .level(_, let name): return name
        case .text(let t): return t
        case .date(let d): return DateText.day(d)
        }
    }

    static func json(_ dataset: Dataset, scales: [String: Scale]) -> String {
        JSONText.encode(value(dataset, scales: scales, urls: nil), pretty: true) + "\n"
    }

    static func value(_ dataset: Dataset, scales: [String: Scale], urls: SiteURLs?) -> Value {
        var meta: [String: Value] = [
            "id": .string(dataset.id), "title": .string(dataset.title),
            "notes": .array(dataset.notes.map(Value.string)),
        ]
        if let d = dataset.description { meta["description"] = .string(d) }
        if let u = dataset.unit { meta["unit"] = .string(u) }
        if let l = dataset.licence { meta["licence"] = .string(l) }
        if let u = dataset.updated { meta["updated"] = .string(u) }
        if let r = dataset.remote {
            meta["remote"] = .dictionary(["url": .string(r.url), "as_of": r.asOf.map { .string(DateText.iso8601($0)) } ?? .null, "sha256": .string(r.sha256)])
        }
        if let s = dataset.source {
            meta["source"] = .dictionary(["name": .string(s.name), "url": s.url.map(Value.string) ?? .null])
        }
        if let urls {
            meta["csv_url"] = .string(urls.dataDownload(dataset.id, format: "csv"))
            meta["json_url"] = .string(urls.dataDownload(dataset.id, format: "json"))
        }
        meta["columns"] = .array(dataset.columns.map { column in
            var c: [String: Value] = ["name": .string(column.name), "type": .string(column.type.name)]
            if case .ordinal(let scale) = column.type {
                c["scale"] = .string(scale)
                if let s = scales[scale] {
                    c["levels"] = .array(s.levels.map { .string($0.name) })
                    if let note = s.note { c["scale_note"] = .string(note) }
                }
            }
            if let unit = column.unit { c["unit"] = .string(unit) }
            return .dictionary(c)
        })
        meta["rows"] = .array(dataset.rows.map { row in
            var r: [String: Value] = [:]
            for (i, cell) in row.enumerated() {
                switch cell.value {
                case .missing: r[dataset.columns[i].name] = .null
                case .number(let n): r[dataset.columns[i].name] = .number(n)
                default: r[dataset.columns[i].name] = .string(text(of: cell))
                }
            }
            return .dictionary(r)
        })
        return .dictionary(meta)
    }

    static func templateValues(_ catalog: DataCatalog, urls: SiteURLs) -> [String: Value] {
        catalog.datasets.mapValues { value($0, scales: catalog.scales, urls: urls) }
    }
}
