import DossierCore
import DossierData

/// Datasets as files readers can download (CSV, and JSON with metadata) and as values
/// templates can reach through `data.NAME`.
enum DataExport {
    /// Unrounded numbers, levels by name, missing as an empty field (RFC 4180 quoting).
    /// Each ordinal column is followed by its cells as the source worded them
    /// (`wordingColumn`), so the download keeps the source's phrase beside our level.
    /// Text that a spreadsheet would run as a formula is neutralised (`formulaSafe`).
    static func csv(_ dataset: Dataset) -> String {
        func field(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
                ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        var header: [String] = []
        for column in dataset.columns {
            header.append(field(formulaSafe(column.name)))
            if column.isOrdinal { header.append(field(formulaSafe(wordingColumn(column.name)))) }
        }
        var out = header.joined(separator: ",") + "\r\n"
        for row in dataset.rows {
            var fields: [String] = []
            for (i, cell) in row.enumerated() {
                if case .number = cell.value { fields.append(field(text(of: cell))); continue }  // -2 stays a number
                fields.append(field(formulaSafe(text(of: cell))))
                if dataset.columns[i].isOrdinal { fields.append(cell.value.isMissing ? "" : field(formulaSafe(cell.raw))) }
            }
            out += fields.joined(separator: ",") + "\r\n"
        }
        return out
    }

    /// The name of the column that holds an ordinal column's cells in the source's words.
    static func wordingColumn(_ name: String) -> String { name + " (source wording)" }

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
        meta["columns"] = .array(dataset.columns.flatMap { column -> [Value] in
            var c: [String: Value] = ["name": .string(column.name), "type": .string(column.type.name)]
            if let unit = column.unit { c["unit"] = .string(unit) }
            guard case .ordinal(let scale) = column.type else { return [.dictionary(c)] }
            c["scale"] = .string(scale)
            if let s = scales[scale] {
                c["levels"] = .array(s.levels.map { .string($0.name) })
                if let note = s.note { c["scale_note"] = .string(note) }
            }
            return [.dictionary(c), .dictionary(["name": .string(wordingColumn(column.name)), "type": "text", "wording_of": .string(column.name)])]
        })
        meta["rows"] = .array(dataset.rows.map { row in
            var r: [String: Value] = [:]
            for (i, cell) in row.enumerated() {
                switch cell.value {
                case .missing: r[dataset.columns[i].name] = .null
                case .number(let n): r[dataset.columns[i].name] = .number(n)
                default: r[dataset.columns[i].name] = .string(text(of: cell))
                }
                if dataset.columns[i].isOrdinal { r[wordingColumn(dataset.columns[i].name)] = cell.value.isMissing ? .null : .string(cell.raw) }
            }
            return .dictionary(r)
        })
        meta["scales"] = .dictionary(wordings(dataset, scales: scales))
        return .dictionary(meta)
    }

    /// For each scale the dataset's ordinal columns use: its title, its editorial note and,
    /// level by level, the phrases of the source that the data places there (the data
    /// page's mapping from the source's words to our levels).
    static func wordings(_ dataset: Dataset, scales: [String: Scale]) -> [String: Value] {
        var phrases: [String: [Int: Set<String>]] = [:]
        for (i, column) in dataset.columns.enumerated() {
            guard case .ordinal(let scale) = column.type else { continue }
            for row in dataset.rows {
                if case .level(let level, _) = row[i].value { phrases[scale, default: [:]][level, default: []].insert(row[i].raw) }
            }
        }
        var out: [String: Value] = [:]
        for (id, used) in phrases {
            guard let scale = scales[id] else { continue }
            out[id] = .dictionary([
                "title": .string(scale.title), "note": scale.note.map(Value.string) ?? .null,
                "levels": .array(scale.levels.enumerated().map { index, level in
                    .dictionary(["name": .string(level.name), "description": level.description.map(Value.string) ?? .null,
                                 "source_phrases": .array((used[index] ?? []).sorted().map(Value.string))])
                }),
            ])
        }
        return out
    }

    /// `wording`: what a page in another language calls a `… (source wording)` column
    /// (the downloads keep their names).
    static func templateValues(_ catalog: DataCatalog, urls: SiteURLs, wording: ((String) -> String)? = nil) -> [String: Value] {
        catalog.datasets.mapValues { dataset in
            let value = value(dataset, scales: catalog.scales, urls: urls)
            guard let wording, case .dictionary(var d) = value, case .array(let columns)? = d["columns"] else { return value }
            d["columns"] = .array(columns.map { column in
                guard case .dictionary(var c) = column, let of = c["wording_of"]?.stringValue else { return column }
                c["name"] = .string(wording(of))
                return .dictionary(c)
            })
            return .dictionary(d)
        }
    }
}
