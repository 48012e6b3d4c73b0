import DossierCore
import DossierData

/// What a ```` ```chart ```` or ```` ```table ```` block asks for, validated against its dataset.
public struct ChartSpec: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable {
        case table, heatmap, dumbbell, bar, groupedBar = "grouped-bar", line
    }

    public var kind: Kind
    public var data: String
    public var title: String?
    public var subtitle: String?
    public var caption: String?
    /// Row keys to keep, in this order (all rows when empty).
    public var rows: [String]
    /// Value columns to show, in this order (all when empty).
    public var columns: [String]
    /// How rows are ordered (`sort:`); nil: as the file has them.
    public var sort: RowOrder?
    public var descending: Bool
    /// A row or column to emphasise (e.g. South Korea).
    public var highlight: String?
    /// Dumbbell: the two columns compared, `from` → `to`.
    public var from: String?
    public var to: DumbbellEnd?
    /// Bar and line: the value column (bar) or the column holding x values (line).
    public var value: String?
    public var x: String?
    /// `fig-adoption` / `tbl-framework`: the figure's id, for cross-references (`@fig-adoption`).
    public var label: String?

    public static let options: Set<String> = [
        "data", "type", "title", "subtitle", "caption", "rows", "columns", "sort", "order", "highlight", "from", "to", "value", "x",
        "label",
    ]

    public init(kind: Kind, data: String) {
        self.kind = kind
        self.data = data
        self.rows = []
        self.columns = []
        self.descending = true
    }

    /// Reads a directive body. `directive` is `chart` or `table`; a `table` block needs no `type`.
    public static func parse(_ tree: YAMLTree, directive: String, sourceText: String) throws(DiagnosticError) -> ChartSpec {
        var problems: [Diagnostic] = []
        func fail(_ message: String, _ node: YAMLTree) { problems.append(Diagnostic.error(message, at: node.location).withSource(sourceText)) }
        guard case .mapping(let pairs, _) = tree else {
            throw DiagnosticError(Diagnostic.error("a \(directive) block holds YAML settings such as 'data: my-dataset'", at: tree.location).withSource(sourceText))
        }
        for pair in pairs where !options.contains(pair.key) {
            let hint = SourceText.didYouMean(pair.key, in: options)
            problems.append(Diagnostic.error("unknown option '\(pair.key)'\(hint)", at: pair.keyLocation).withSource(sourceText))
        }
        func text(_ key: String) -> String? {
            guard let node = tree[key] else { return nil }
            if let s = node.value.stringValue { return s }
            if case .number(let n) = node.value { return Value.format(n) }
            fail("'\(key)' must be text", node)
            return nil
        }
        func list(_ key: String) -> [String] {
            guard let node = tree[key] else { return [] }
            switch node.value {
            case .string(let s): return [s]
            case .array(let items): return items.map(\.text)
            default: fail("'\(key)' must be a list of names", node); return []
            }
        }
        guard let data = text("data") else {
            problems.append(Diagnostic.error("a \(directive) block needs 'data:', the name of a dataset in Content/data/", at: tree.location).withSource(sourceText))
            throw DiagnosticError(problems)
        }
        var kind = Kind.table
        if directive == "chart" {
            if let typeNode = tree["type"], let typeName = typeNode.value.stringValue {
                if let k = Kind(rawValue: typeName) { kind = k } else {
                    let hint = SourceText.didYouMean(typeName, in: Kind.allCases.map(\.rawValue))
                    fail("unknown chart type '\(typeName)'\(hint); types: \(Kind.allCases.map(\.rawValue).joined(separator: ", "))", typeNode)
                }
            } else {
                problems.append(Diagnostic.error("a chart block needs 'type:' (\(Kind.allCases.map(\.rawValue).joined(separator: ", ")))", at: tree.location).withSource(sourceText))
            }
        }
        var spec = ChartSpec(kind: kind, data: data)
        spec.title = text("title")
        spec.subtitle = text("subtitle")
        spec.caption = text("caption")
        spec.rows = list("rows")
        spec.columns = list("columns")
        spec.sort = text("sort").map(RowOrder.init)
        if let order = tree["order"] {
            switch order.value.stringValue {
            case "ascending", "asc": spec.descending = false
            case "descending", "desc": spec.descending = true
            default: fail("'order' is 'ascending' or 'descending'", order)
            }
        }
        spec.highlight = text("highlight")
        spec.from = text("from")
        spec.to = text("to").map(DumbbellEnd.init)
        spec.value = text("value")
        spec.x = text("x")
        if let node = tree["label"], let label = text("label") {
            // Quarto's: `fig-…` for a chart, `tbl-…` for a table; the figure's id.
            let prefix = kind == .table ? "tbl-" : "fig-"
            let safe = label.count > prefix.count && label.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "_" }
            if !label.hasPrefix(prefix) || !safe {
                fail("a \(kind == .table ? "table" : "chart")'s label is '\(prefix)' and then letters, digits, '-' or '_' (e.g. '\(prefix)adoption'), got '\(label)'", node)
            } else {
                spec.label = label
            }
        }
        guard problems.isEmpty else { throw DiagnosticError(problems) }
        return spec
    }
}

/// How a chart's rows are ordered.
public enum RowOrder: Hashable, Sendable {
    /// `none`: as the file has them.
    case file
    /// `label`: by row label.
    case label
    /// `gap`: by the dumbbell's distance between its ends.
    case gap
    /// Any other word: by that column's values.
    case column(String)

    /// The words `sort:` takes; anything else names a column.
    public static let keywords = ["label", "gap", "none"]

    public init(_ text: String) {
        switch text {
        case "none": self = .file
        case "label": self = .label
        case "gap": self = .gap
        default: self = .column(text)
        }
    }
}

/// A dumbbell's second end (`to:`).
public enum DumbbellEnd: Hashable, Sendable {
    case column(String)
    /// `max`: whichever other selected column leads the row.
    case rowLeader

    public init(_ text: String) { self = text == "max" ? .rowLeader : .column(text) }

    public var column: String? {
        if case .column(let name) = self { return name }
        return nil
    }
}
