import DossierCore
import DossierData

/// A chart or table ready to draw: the spec resolved against its dataset (rows and columns
/// selected and ordered), plus the page-level facts the envelope needs.
public struct Figure: Sendable {
    public var spec: ChartSpec
    public var dataset: Dataset
    public var scales: [String: Scale]
    /// Selected row indices into `dataset.rows`, in display order.
    public var rows: [Int]
    /// Selected value column indices, in display order.
    public var columns: [Int]
    /// "Figure 2" / "Table 1".
    public var number: Int
    /// Unique on the page: `dsr-sector-adoption-2`.
    public var id: String
    /// Where the dataset's CSV is published (already base-URL prefixed).
    public var csvURL: String
    public var jsonURL: String
    /// The drawing width in SVG units: 720 for the wide variant, 360 for phones.
    public var width: Double = 720
    /// Which of the two drawings this is (nil when only one is drawn): its class, and the
    /// narrow one's SVG ids are suffixed.
    public var variant: Variant?
    /// Ids inside the SVG (`-t`, `-d`, `-hatch`) start with this; unique per variant.
    public var svgID: String { variant == .narrow ? id + "-n" : id }

    /// A chart is drawn twice, wide (also for print) and narrow (for phones); CSS shows one.
    public enum Variant: String, Sendable {
        case wide, narrow
    }

    /// The words it is drawn with, in its page's language.
    public var text = ChartText()

    public var isTable: Bool { spec.kind == .table }
    /// "Figure 2" / "Table 1" (in its language).
    public var label: String { text(isTable ? "table" : "figure", ["n": String(number)]) }

    /// The figure drawn in another language: `translated` is its dataset in that
    /// language's words (same rows and columns, `Dataset.translated`), `scales` the
    /// translated scales, `labels` the names it renamed (so the spec's names follow), and
    /// `text` that language's words. Rows and columns were chosen and ordered by the
    /// original names, so a spec reads the same on every page.
    public mutating func translate(to translated: Dataset, scales: [String: Scale], labels: [String: String], text: ChartText) {
        func name(_ s: String?) -> String? { s.map { labels[$0] ?? $0 } }
        dataset = translated
        self.scales = scales
        self.text = text
        spec.highlight = name(spec.highlight)
        spec.from = name(spec.from)
        if case .column(let c)? = spec.to { spec.to = .column(labels[c] ?? c) }
        spec.value = name(spec.value)
        spec.x = name(spec.x)
        if case .column(let c)? = spec.sort { spec.sort = .column(labels[c] ?? c) }
        spec.rows = spec.rows.map { labels[$0] ?? $0 }
        spec.columns = spec.columns.map { labels[$0] ?? $0 }
    }

    /// Checks the spec's names against the dataset and orders rows and columns.
    public init(spec: ChartSpec, dataset: Dataset, scales: [String: Scale], number: Int, csvURL: String, jsonURL: String,
                at location: SourceLocation, id: String? = nil) throws(DiagnosticError) {
        var check = SpecCheck(spec: spec, dataset: dataset, location: location)
        let columns = check.selectedColumns()
        let rows = check.selectedRows()
        check.names()
        check.columnTypes(columns)
        check.drawable(columns: columns, rows: rows)
        check.shape()
        guard check.problems.isEmpty else { throw DiagnosticError(check.problems) }

        self.spec = spec
        self.dataset = dataset
        self.scales = scales
        self.columns = columns
        self.number = number
        // Charts and tables are numbered apart ("Figure 1", "Table 1"): their ids too.
        self.id = id ?? (spec.kind == .table ? "dsr-\(dataset.id)-t\(number)" : "dsr-\(dataset.id)-\(number)")
        self.csvURL = csvURL
        self.jsonURL = jsonURL
        self.rows = rows
        self.rows = sortedRows(rows)
    }

    /// What a spec asks of its dataset, checked, every problem collected.
    private struct SpecCheck {
        let spec: ChartSpec
        let dataset: Dataset
        let location: SourceLocation
        var problems: [Diagnostic] = []
        static let numericKinds: Set<ChartSpec.Kind> = [.bar, .groupedBar, .line, .dumbbell]

        init(spec: ChartSpec, dataset: Dataset, location: SourceLocation) {
            self.spec = spec
            self.dataset = dataset
            self.location = location
        }

        mutating func unknown(_ what: String, _ name: String, _ candidates: [String]) {
            let hint = SourceText.didYouMean(name, in: candidates)
            problems.append(.error("dataset '\(dataset.id)' has no \(what) '\(name)'\(hint)", at: location))
        }

        /// The value columns shown, in the spec's order (all when it names none).
        mutating func selectedColumns() -> [Int] {
            guard !spec.columns.isEmpty else { return dataset.valueColumns }
            return spec.columns.compactMap { name in
                guard let c = dataset.columnIndex(name), c != dataset.keyColumn else {
                    unknown("column", name, dataset.valueColumns.map { dataset.columns[$0].name })
                    return nil
                }
                return c
            }
        }

        /// The rows shown, in the spec's order (all when it names none).
        mutating func selectedRows() -> [Int] {
            guard !spec.rows.isEmpty else { return Array(dataset.rows.indices) }
            return spec.rows.compactMap { name in
                guard let r = dataset.rowLabels.firstIndex(of: name) else {
                    unknown("row", name, dataset.rowLabels)
                    return nil
                }
                return r
            }
        }

        /// Every column and row the spec names exists.
        mutating func names() {
            for name in [spec.from, spec.to?.column, spec.value, spec.x].compactMap({ $0 }) where dataset.columnIndex(name) == nil {
                unknown("column", name, dataset.columns.map(\.name))
            }
            if let h = spec.highlight, dataset.columnIndex(h) == nil, !dataset.rowLabels.contains(h) {
                unknown("row or column", h, dataset.rowLabels + dataset.columns.map(\.name))
            }
            if case .column(let sort)? = spec.sort, dataset.columnIndex(sort) == nil {
                unknown("column to sort by", sort, dataset.columns.map(\.name) + RowOrder.keywords)
            }
        }

        /// Numeric charts need numbers or levels; a heat map, levels.
        mutating func columnTypes(_ columns: [Int]) {
            if Self.numericKinds.contains(spec.kind) {
                for c in columns where c != dataset.columnIndex(spec.x ?? "") {
                    if case .text = dataset.columns[c].type {
                        problems.append(.error("a \(spec.kind.rawValue) chart needs numbers or levels, but column '\(dataset.columns[c].name)' is text", at: location))
                    }
                }
            }
            if spec.kind == .heatmap {
                for c in columns {
                    guard case .ordinal = dataset.columns[c].type else {
                        problems.append(.error("a heatmap needs ordinal columns, but '\(dataset.columns[c].name)' is \(dataset.columns[c].type.name)", at: location))
                        continue
                    }
                }
            }
        }

        /// Something to draw, not more rows than a reader can take in, values a chart can scale.
        mutating func drawable(columns: [Int], rows: [Int]) {
            if spec.kind != .table && problems.isEmpty {
                // Found by fuzzing: a dataset of one column (its key) or of no rows drew nothing
                // to scale and crashed.
                if columns.isEmpty {
                    problems.append(.error("dataset '\(dataset.id)' has no value columns to chart (only its key column '\(dataset.columns.indices.contains(dataset.keyColumn) ? dataset.columns[dataset.keyColumn].name : "")')", at: location))
                } else if rows.isEmpty {
                    problems.append(.error("dataset '\(dataset.id)' has no rows to chart", at: location))
                }
            }
            let rowLimit = Figure.maxRows(spec.kind)
            if rows.count > rowLimit {
                problems.append(.error("a \(spec.kind.rawValue) of \(rows.count) rows is more than the \(rowLimit) a reader can take in "
                                       + "(and than Dossier draws); pick rows with 'rows:' or summarise the data", at: location))
            } else if Self.numericKinds.contains(spec.kind) {
                // Charts compute spans and ticks from the values: beyond ±1e15 they overflow
                // to infinity (1.7e308 − −1.7e308) and lose every digit a reader could see.
                var numericColumns = columns
                if let x = spec.x.flatMap(dataset.columnIndex) { numericColumns.append(x) }
                for r in rows {
                    for c in numericColumns {
                        let cell = dataset.rows[r][c]
                        if let v = cell.value.number, abs(v) > Figure.maxMagnitude {
                            problems.append(.error("\(cell.raw) is too large to chart (charts take values up to ±10^15); "
                                                   + "give the column a larger unit, e.g. billions", at: cell.location))
                            return
                        }
                    }
                }
            }
        }

        /// What a chart type needs of its spec.
        mutating func shape() {
            if spec.kind == .dumbbell, spec.from == nil || spec.to == nil {
                problems.append(.error("a dumbbell chart needs 'from:' and 'to:' (two columns, or 'to: max' for each row's leader)", at: location))
            }
        }
    }

    /// The largest magnitude a chart draws.
    public static let maxMagnitude = 1e15

    /// The most rows one figure takes: a line over a long daily series, a table of a few
    /// thousand rows; a bar, dumbbell or heat map of more than a thousand is unreadable.
    public static func maxRows(_ kind: ChartSpec.Kind) -> Int {
        switch kind {
        case .line, .table: return 10_000
        default: return 1_000
        }
    }

    /// Rows in the order the spec asks for; ties broken by label so output is stable.
    private func sortedRows(_ rows: [Int]) -> [Int] {
        let labels = dataset.rowLabels
        func byLabel(_ a: Int, _ b: Int) -> Bool { labels[a].lowercased() < labels[b].lowercased() }
        switch spec.sort {
        case nil, .file?: return rows
        case .label?: return rows.sorted(by: byLabel)
        case .gap?:
            let gaps = rows.map { (row: $0, gap: gap(row: $0) ?? -.infinity) }
            return gaps.sorted { a, b in a.gap != b.gap ? (spec.descending ? a.gap > b.gap : a.gap < b.gap) : byLabel(a.row, b.row) }.map(\.row)
        case .column(let column)?:
            let c = dataset.columnIndex(column)!
            return rows.sorted { a, b in
                let x = dataset.rows[a][c].value.number, y = dataset.rows[b][c].value.number
                switch (x, y) {
                case let (x?, y?) where x != y: return spec.descending ? x > y : x < y
                case (nil, _?): return false
                case (_?, nil): return true
                default: return byLabel(a, b)
                }
            }
        }
    }

    /// Dumbbell endpoints for a row: `from`'s value and `to`'s (or the row's leader among
    /// the other selected columns when `to: max`), with the column that gave it.
    public func endpoints(row: Int) -> (from: Double?, to: Double?, toColumn: Int?) {
        guard let fromName = spec.from, let f = dataset.columnIndex(fromName) else { return (nil, nil, nil) }
        let cells = dataset.rows[row]
        let fromValue = cells[f].value.number
        if spec.to == .rowLeader {
            var best: (Double, Int)?
            for c in columns where c != f {
                if let v = cells[c].value.number, best == nil || v > best!.0 { best = (v, c) }
            }
            return (fromValue, best?.0, best?.1)
        }
        guard let toName = spec.to?.column, let t = dataset.columnIndex(toName) else { return (fromValue, nil, nil) }
        return (fromValue, cells[t].value.number, t)
    }

    public func gap(row: Int) -> Double? {
        let e = endpoints(row: row)
        guard let a = e.from, let b = e.to else { return nil }
        return b - a
    }

    public func scale(of column: Int) -> Scale? {
        if case .ordinal(let name) = dataset.columns[column].type { return scales[name] }
        return nil
    }

    /// The unit of a column (its own, else the dataset's).
    public func unit(of column: Int) -> String? { dataset.columns[column].unit ?? dataset.unit }
}
