import DossierCore
import Foundation

/// Turns one dataset file (CSV plus sidecar metadata, or YAML/JSON with metadata and
/// rows inside) into a typed, validated `Dataset`, collecting every problem it finds.
struct DatasetReader {
    let catalog: DataCatalog
    private var problems: [Diagnostic] = []

    init(catalog: DataCatalog) { self.catalog = catalog }

    /// Column declarations from metadata: name → (type, unit, where declared).
    private typealias Declared = [String: (type: ColumnType, unit: String?, location: SourceLocation)]

    mutating func readCSV(_ text: String, path: String, metadataText: String?, metadataPath: String?) throws(DiagnosticError) -> Dataset {
        let metaTree = try metadataText.map { t throws(DiagnosticError) in try YAMLReader.parse(t, path: metadataPath!) }
        if let rows = metaTree?["rows"], let metadataPath, let metadataText {
            throw DiagnosticError(Diagnostic.error(
                "\(metadataPath) has 'rows:', so it is a dataset of its own, but \(path) has the same name and takes it as its metadata; rename one of them",
                at: rows.location).withSource(metadataText))
        }
        let records = try CSVParser.parse(text, path: path)
        guard let header = records.first else {
            throw DiagnosticError(.error("the CSV file is empty: it needs a header row", at: SourceLocation(path: path, line: 1)))
        }
        var dataset = metadata(metaTree, id: id(path), path: path, sourceText: metadataText ?? text)
        let declared = declaredColumns(metaTree, sourceText: metadataText ?? "")
        var seenNames: Set<String> = []
        for field in header {
            let name = field.text.trimmingCharacters(in: .whitespaces)
            let loc = SourceLocation(path: path, line: field.line, column: field.column)
            if name.isEmpty { problems.append(Diagnostic.error("a column has no name in the header", at: loc).withSource(text)) }
            if !seenNames.insert(name).inserted { problems.append(Diagnostic.error("column '\(name)' appears twice in the header", at: loc).withSource(text)) }
        }
        let names = header.map { $0.text.trimmingCharacters(in: .whitespaces) }
        checkDeclaredColumnsExist(declared, names: names, sourceText: metadataText ?? "")

        var rawRows: [[Cell]] = []
        for record in records.dropFirst() {
            if record.count != header.count {
                let field = record.count > header.count ? record[header.count] : record.last!
                problems.append(Diagnostic.error(
                    "this row has \(record.count) field\(record.count == 1 ? "" : "s") but the header has \(header.count)",
                    at: SourceLocation(path: path, line: field.line, column: field.column)).withSource(text))
                continue
            }
            rawRows.append(record.map { Cell(raw: TextTrim.spaces($0.text), value: .missing,
                                             location: SourceLocation(path: path, line: $0.line, column: $0.column)) })
        }
        finish(&dataset, names: names, headerLocations: header.map { SourceLocation(path: path, line: $0.line, column: $0.column) },
               rawRows: rawRows, declared: declared, metaTree: metaTree, texts: [path: text, metadataPath ?? "": metadataText ?? ""])
        readTranslations(&dataset, metaTree, sourceText: metadataText ?? "")
        guard problems.isEmpty else { throw DiagnosticError(problems) }
        return dataset
    }

    mutating func readStructured(_ text: String, path: String) throws(DiagnosticError) -> Dataset {
        let tree = try YAMLReader.parse(text, path: path)
        var dataset = metadata(tree, id: id(path), path: path, sourceText: text)
        let declared = declaredColumns(tree, sourceText: text)
        guard case .sequence(let rowNodes, _)? = tree["rows"] else {
            throw DiagnosticError(Diagnostic.error("a YAML or JSON dataset needs 'rows:', a list of mappings from column name to value",
                                                   at: tree.location).withSource(text))
        }
        var names: [String] = []
        var headerLocations: [SourceLocation] = []
        if case .mapping(let pairs, _)? = tree["columns"] {
            names = pairs.map(\.key)
            headerLocations = pairs.map(\.keyLocation)
        } else if case .mapping(let pairs, _)? = rowNodes.first {
            names = pairs.map(\.key)
            headerLocations = pairs.map(\.keyLocation)
        }
        var rawRows: [[Cell]] = []
        for rowNode in rowNodes {
            guard case .mapping(let pairs, let rowLocation) = rowNode else {
                problems.append(Diagnostic.error("each row must be a mapping from column name to value", at: rowNode.location).withSource(text))
                continue
            }
            for pair in pairs where !names.contains(pair.key) {
                let hint = SourceText.didYouMean(pair.key, in: names)
                problems.append(Diagnostic.error("unknown column '\(pair.key)'\(hint)", at: pair.keyLocation).withSource(text))
            }
            rawRows.append(names.map { name in
                guard let node = rowNode[name] else { return Cell(raw: "", value: .missing, location: rowLocation) }
                let raw: String
                switch node.value {
                case .null: raw = ""
                case .number(let n): raw = Value.format(n)
                case .date(let d): raw = DateText.day(d)
                default: raw = node.value.text
                }
                return Cell(raw: raw, value: .missing, location: node.location)
            })
        }
        finish(&dataset, names: names, headerLocations: headerLocations, rawRows: rawRows, declared: declared, metaTree: tree, texts: [path: text])
        readTranslations(&dataset, tree, sourceText: text)
        guard problems.isEmpty else { throw DiagnosticError(problems) }
        return dataset
    }

    // MARK: Shared steps

    /// `translations:`: each language's title, notes, source, licence, unit and labels; a
    /// label that names no column or row, or two columns given one name, is an error.
    private mutating func readTranslations(_ dataset: inout Dataset, _ tree: YAMLTree?, sourceText: String) {
        let names = dataset.columns.map(\.name), rows = dataset.rowLabels
        let texts = Set(dataset.rows.flatMap { $0.compactMap { cell -> String? in if case .text(let s) = cell.value { return s }; return nil } })
        var found = problems
        TranslationReader.read(tree?["translations"], keys: DatasetTranslation.keys, sourceText: sourceText, problems: &found) { code, t, problems in
            var translation = DatasetTranslation(location: t.location)
            for key in ["title", "description", "source", "licence", "unit"] {
                let value = TranslationReader.text(t, key, sourceText: sourceText, problems: &problems)
                switch key {
                case "title": translation.title = value
                case "description": translation.description = value
                case "source": translation.source = value
                case "licence": translation.licence = value
                default: translation.unit = value
                }
            }
            switch t["notes"] {
            case .scalar(let v, _)? where v.stringValue != nil: translation.notes = [v.stringValue!]
            case .sequence(let items, _)?: translation.notes = items.compactMap(\.value.stringValue)
            case let node?: problems.append(Diagnostic.error("'notes' must be text or a list of texts", at: node.location).withSource(sourceText))
            case nil: break
            }
            translation.labels = TranslationReader.map(t["labels"], name: "labels", sourceText: sourceText, problems: &problems)
            if case .mapping(let pairs, _)? = t["labels"] {
                for pair in pairs where !names.contains(pair.key) && !rows.contains(pair.key) && !texts.contains(pair.key) {
                    problems.append(Diagnostic.error("dataset '\(dataset.id)' has no column, row or text value '\(pair.key)'\(SourceText.didYouMean(pair.key, in: names + rows + texts.sorted()))",
                                                     at: pair.keyLocation).withSource(sourceText))
                }
            }
            let translated = names.map { translation.labels[$0] ?? $0 }
            if Set(translated).count < translated.count {
                problems.append(Diagnostic.error("the '\(code)' translation gives two columns the same name", at: t.location).withSource(sourceText))
            }
            dataset.translations[code] = translation
        }
        problems = found
    }

    private func id(_ path: String) -> String {
        let name = DataCatalog.fileName(path)
        return name.firstIndex(of: ".").map { String(name[..<$0]) } ?? name
    }

    private mutating func metadata(_ tree: YAMLTree?, id: String, path: String, sourceText: String) -> Dataset {
        var dataset = Dataset(id: id, title: id, columns: [], rows: [], path: path)
        guard let tree else {
            problems.append(.error("dataset '\(id)' has no source: add a sidecar \(id).yaml with 'source: { name: …, url: … }'",
                                   at: SourceLocation(path: path, line: 1)))
            return dataset
        }
        func text(_ key: String) -> String? {
            guard let v = tree[key]?.value else { return nil }
            switch v {
            case .string(let s): return s
            case .number(let n): return Value.format(n)
            case .date(let d): return DateText.day(d)
            default: return nil
            }
        }
        dataset.title = text("title") ?? id
        dataset.description = text("description")
        dataset.unit = text("unit")
        dataset.licence = text("licence") ?? text("license")
        dataset.updated = text("updated") ?? text("retrieved")
        switch tree["notes"]?.value {
        case .string(let s)?: dataset.notes = [s]
        case .array(let items)?: dataset.notes = items.compactMap(\.stringValue)
        default: break
        }
        switch tree["source"] {
        case .scalar(let v, _)? where v.stringValue?.isEmpty == false:
            dataset.source = DataSource(name: v.stringValue!)
        case .mapping(_, let loc)?:
            if let name = tree["source"]?["name"]?.value.stringValue, !name.isEmpty {
                dataset.source = DataSource(name: name, url: tree["source"]?["url"]?.value.stringValue)
                if let url = dataset.source?.url, HTML.isDangerousURL(url) {
                    problems.append(Diagnostic.error("the source URL must be http(s), not '\(url)'", at: tree["source"]!["url"]!.location).withSource(sourceText))
                }
            } else {
                problems.append(Diagnostic.error("'source' needs a 'name'", at: loc).withSource(sourceText))
            }
        default:
            problems.append(Diagnostic.error("dataset '\(id)' has no source: add 'source: { name: …, url: … }'",
                                             at: tree.location).withSource(sourceText))
        }
        return dataset
    }

    private mutating func declaredColumns(_ tree: YAMLTree?, sourceText: String) -> Declared {
        var declared: Declared = [:]
        let defaultScale = tree?["scale"]?.value.stringValue
        if let defaultScale, catalog.scales[defaultScale] == nil, let node = tree?["scale"] {
            problems.append(unknownScale(defaultScale, at: node.location, sourceText: sourceText))
        }
        guard case .mapping(let pairs, _)? = tree?["columns"] else { return declared }
        for (name, keyLocation, node) in pairs {
            var typeName: String?
            var scaleName: String?
            var unit: String?
            switch node {
            case .scalar(let v, _): typeName = v.stringValue
            case .mapping:
                typeName = node["type"]?.value.stringValue
                scaleName = node["scale"]?.value.stringValue
                unit = node["unit"]?.value.stringValue
            default: break
            }
            if typeName == nil && scaleName != nil { typeName = "ordinal" }
            let type: ColumnType
            switch typeName ?? "text" {
            case "text", "string": type = .text
            case "number", "numeric": type = .number
            case "date": type = .date
            case "ordinal":
                guard let scale = scaleName ?? defaultScale else {
                    problems.append(Diagnostic.error("ordinal column '\(name)' needs a 'scale'", at: keyLocation).withSource(sourceText))
                    continue
                }
                if catalog.scales[scale] == nil {
                    problems.append(unknownScale(scale, at: (node["scale"] ?? node).location, sourceText: sourceText))
                    continue
                }
                type = .ordinal(scale)
            case let other:
                problems.append(Diagnostic.error("unknown column type '\(other)' (use text, number, ordinal or date)",
                                                 at: node.location).withSource(sourceText))
                continue
            }
            declared[name] = (type, unit, keyLocation)
        }
        return declared
    }

    private func unknownScale(_ name: String, at location: SourceLocation, sourceText: String) -> Diagnostic {
        let hint = SourceText.didYouMean(name, in: catalog.scales.keys)
        return Diagnostic.error("unknown scale '\(name)'\(hint); scales are defined in Content/data/\(DataCatalog.scalesFile)", at: location)
            .withSource(sourceText)
    }

    private mutating func checkDeclaredColumnsExist(_ declared: Declared, names: [String], sourceText: String) {
        for (name, d) in declared.sorted(by: { $0.key < $1.key }) where !names.contains(name) {
            let hint = SourceText.didYouMean(name, in: names)
            problems.append(Diagnostic.error("column '\(name)' is not in the data\(hint)", at: d.location).withSource(sourceText))
        }
    }

    /// Types the columns, converts every cell, and checks keys.
    private mutating func finish(_ dataset: inout Dataset, names: [String], headerLocations: [SourceLocation], rawRows: [[Cell]],
                                 declared: Declared, metaTree: YAMLTree?, texts: [String: String]) {
        let defaultScale = metaTree?["scale"]?.value.stringValue
        if let key = metaTree?["key"]?.value.stringValue {
            if let k = names.firstIndex(of: key) { dataset.keyColumn = k } else {
                problems.append(.error("key column '\(key)' is not in the data", at: metaTree?["key"]?.location))
            }
        }
        func source(_ loc: SourceLocation) -> String { texts[loc.path] ?? "" }
        var columns: [Column] = []
        for (c, name) in names.enumerated() {
            var type: ColumnType
            if let d = declared[name] {
                type = d.type
            } else if c == dataset.keyColumn {
                type = .text
            } else if let scale = defaultScale, catalog.scales[scale] != nil {
                type = .ordinal(scale)
            } else {
                let present = rawRows.map { $0[c].raw }.filter { !MissingValue.isMissing($0) }
                type = !present.isEmpty && present.allSatisfy({ DatasetReader.number($0) != nil }) ? .number : .text
            }
            columns.append(Column(name: name, type: type, unit: declared[name]?.unit,
                                  location: c < headerLocations.count ? headerLocations[c] : SourceLocation(path: dataset.path, line: 1)))
        }
        dataset.columns = columns

        var keys: [String: SourceLocation] = [:]
        dataset.rows = rawRows.map { raw in
            var row = raw
            for (c, column) in columns.enumerated() {
                row[c].value = convert(row[c], column: column, source: source(row[c].location))
            }
            if dataset.keyColumn < row.count {
                let key = row[dataset.keyColumn]
                if MissingValue.isMissing(key.raw) {
                    problems.append(Diagnostic.error("the row has no '\(columns[dataset.keyColumn].name)' (the key column)", at: key.location)
                        .withSource(source(key.location)))
                } else if let first = keys[key.raw] {
                    problems.append(Diagnostic(.error, "duplicate row '\(key.raw)' (first defined at \(first))", at: key.location)
                        .withSource(source(key.location)))
                } else {
                    keys[key.raw] = key.location
                }
            }
            return row
        }
    }

    private mutating func convert(_ cell: Cell, column: Column, source: String) -> CellValue {
        if MissingValue.isMissing(cell.raw) { return .missing }
        switch column.type {
        case .text:
            return .text(cell.raw)
        case .number:
            if let n = DatasetReader.number(cell.raw) { return .number(n) }
            problems.append(Diagnostic.error("'\(cell.raw)' is not a number (column '\(column.name)' is numeric)", at: cell.location).withSource(source))
        case .date:
            if let d = DateText.parse(cell.raw) ?? DateText.parse(cell.raw + (cell.raw.count == 4 ? "-01-01" : "-01")) { return .date(d) }
            problems.append(Diagnostic.error("'\(cell.raw)' is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)", at: cell.location).withSource(source))
        case .ordinal(let scaleName):
            guard let scale = catalog.scales[scaleName] else { return .missing }
            if let level = scale.level(for: cell.raw) { return .level(level, scale.levels[level].name) }
            let hint = SourceText.didYouMean(cell.raw, in: scale.spellings)
            problems.append(Diagnostic.error("'\(cell.raw)' is not a level of scale '\(scaleName)'\(hint)", at: cell.location).withSource(source))
        }
        return .missing
    }

    /// A number as analysts write it: `1234.5`, `1,234.5`, `-3`, ` 42 `.
    static func number(_ raw: String) -> Double? {
        let trimmed = TextTrim.spaces(raw)
        // Plain numbers (most cells) parse at once; only `1,234.5` and `1_000` need cleaning.
        if !trimmed.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "_") }) {
            guard !trimmed.isEmpty, let n = Double(trimmed), n.isFinite else { return nil }
            return n
        }
        let cleaned = trimmed.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "_", with: "")
        guard !cleaned.isEmpty, let n = Double(cleaned), n.isFinite else { return nil }
        return n
    }
}
