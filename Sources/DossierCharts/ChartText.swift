import DossierCore

/// The words a figure is drawn with — its label, notes, source line, legends, the
/// sentences that describe a chart to a screen reader — in one language. English is
/// built in; a site's other languages give theirs (`dossier:` in `Templates/i18n/CODE.yaml`,
/// by the keys below). `{name}` in a string is filled in; a key ending `_one` is used
/// instead of the plain key when its count is 1.
public struct ChartText: Sendable, Equatable {
    public private(set) var strings: [String: String]

    /// English, with `overrides` (unknown keys ignored: the site reports them) in its place.
    /// A language that gives a key but not its `_one` form uses the one form for every count.
    public init(_ overrides: [String: String] = [:]) {
        var strings = Self.english
        for (key, value) in overrides where Self.english[key] != nil {
            strings[key] = value
            if overrides[key + "_one"] == nil { strings[key + "_one"] = nil }
        }
        self.strings = strings
    }

    public static let english: [String: String] = [
        "figure": "Figure {n}",
        "table": "Table {n}",
        "data_table_summary": "Data table for figure {n}",
        "data_table_caption": "Data behind figure {n}: {title}",
        "notes_as_for": "Notes, source and licence: as for {figure}.",
        "note": "Note: {text}",
        "levels_note": "How levels were assigned: {text}",
        "missing_note": "“{missing}” marks a value the source does not give.",
        "source": "Source: {source}.",
        "source_updated": "Source: {source} ({updated}).",
        "source_not_given": "not given",
        "data_as_of": "Data as of {date}.",
        "licence": "Licence: {licence}.",
        "download_csv": "Download the data (CSV)",
        "download_json": "JSON",
        "not_stated": "not stated",
        "not_stated_legend": "Not stated",
        "source_wording": "source: “{wording}”",
        "date_format": "%-d %B %Y",
        "leader": "Leader",
        "leader_legend": "Leading country (named at right)",
        "leader_legend_narrow": "Leading country (named above the line)",
        "heatmap_summary": "Heatmap of {title}, {rows} {row_noun} rows by {columns} columns, on a scale from {low} to {high}.",
        "heatmap_cell": "{column} in {row}",
        "heatmap_highest": "Highest ({level}): {cells}.",
        "heatmap_lowest": "Lowest ({level}): {cells}.",
        "heatmap_highlight": "{name} is highlighted; it trails another column in {behind} of {rows} rows.",
        "list_separator": "; ",
        "and": " and ",
        "tie": " & ",
        "values_missing": "{n} values are not stated.",
        "values_missing_one": "{n} value is not stated.",
        "dumbbell_summary": "Dumbbell chart comparing {from} with {to} across {rows} rows.",
        "dumbbell_leader": "the leading column in each row",
        "dumbbell_widest": "The widest gap is {size}, in {rows}.",
        "levels": "{n} levels",
        "levels_one": "{n} level",
        "dumbbell_behind": "{from} is behind in {behind} of {rows} rows with both values.",
        "rows_missing": "{n} rows have a value not stated.",
        "rows_missing_one": "{n} row has a value not stated.",
        "bar_summary": "Bar chart of {title}, {rows} rows.",
        "grouped_bar_summary": "Grouped bar chart of {title}, {rows} rows × {series} series.",
        "bar_series": "{column}: highest {top} ({top_value}), lowest {bottom} ({bottom_value}).",
        "highlighted": "{name} is highlighted.",
        "line_summary": "Line chart of {title}, {series} series over {points} points of {x}.",
        "line_series": "{column}: {first} in {first_x} to {last} in {last_x}.",
        "line_gaps": "{n} values of {column} not stated (gap in the line).",
        "line_gaps_one": "{n} value of {column} not stated (gap in the line).",
    ]

    /// Every key a language's strings may give.
    public static var keys: [String] { english.keys.sorted() }

    /// `key` with its `{name}`s filled in (`count`: picks `key_one` for 1 and fills `{n}`).
    public func callAsFunction(_ key: String, count: Int? = nil, _ arguments: [String: String] = [:]) -> String {
        Self.fill(pattern(key, count: count), count: count, arguments, escape: nil)
    }

    /// The same for HTML: the string's own text escaped, the arguments (HTML already) not.
    public func html(_ key: String, count: Int? = nil, _ arguments: [String: String] = [:]) -> String {
        Self.fill(pattern(key, count: count), count: count, arguments, escape: HTML.escape)
    }

    private func pattern(_ key: String, count: Int?) -> String {
        if count == 1, let one = strings[key + "_one"] { return one }
        return strings[key] ?? key
    }

    private static func fill(_ pattern: String, count: Int?, _ arguments: [String: String], escape: ((String) -> String)?) -> String {
        var arguments = arguments
        if let count, arguments["n"] == nil { arguments["n"] = String(count) }
        var out = "", literal = ""
        var rest = Substring(pattern)
        while let open = rest.firstIndex(of: "{") {
            literal += rest[..<open]
            let after = rest[rest.index(after: open)...]
            if let close = after.firstIndex(of: "}"), let value = arguments[String(after[..<close])] {
                out += escape.map { $0(literal) } ?? literal
                literal = ""
                out += value
                rest = after[after.index(after: close)...]
            } else {
                literal += "{"
                rest = after
            }
        }
        literal += rest
        return out + (escape.map { $0(literal) } ?? literal)
    }
}
