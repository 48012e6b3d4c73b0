import DossierCore
import Foundation

/// Where a dataset's figures come from, shown under every chart and table built from it.
public struct DataSource: Sendable, Hashable {
    public var name: String
    public var url: String?

    public init(name: String, url: String? = nil) {
        self.name = name
        self.url = url
    }
}

/// What a column holds. Ordinal columns name their scale.
public enum ColumnType: Sendable, Hashable {
    case text
    case number
    case ordinal(String)
    case date

    public var name: String {
        switch self {
        case .text: return "text"
        case .number: return "number"
        case .ordinal: return "ordinal"
        case .date: return "date"
        }
    }
}

public struct Column: Sendable, Hashable {
    public var name: String
    public var type: ColumnType
    /// Overrides the dataset's unit for this column.
    public var unit: String?
    public var location: SourceLocation

    public init(name: String, type: ColumnType, unit: String? = nil, location: SourceLocation) {
        self.name = name
        self.type = type
        self.unit = unit
        self.location = location
    }

    public var isOrdinal: Bool {
        if case .ordinal = type { return true }
        return false
    }
}

/// A typed cell. Missing is its own case: never zero, never blank.
public enum CellValue: Sendable, Hashable {
    case missing
    case text(String)
    case number(Double)
    /// A level of an ordinal scale: its index (0 = lowest) and the scale's name for it.
    case level(Int, String)
    case date(Date)

    public var isMissing: Bool { self == .missing }

    public var number: Double? {
        switch self {
        case .number(let n): return n
        case .level(let i, _): return Double(i)
        default: return nil
        }
    }
}

public struct Cell: Sendable, Hashable {
    /// The text as written in the file (the source's own wording for ordinal cells).
    public var raw: String
    public var value: CellValue
    public var location: SourceLocation

    public init(raw: String, value: CellValue, location: SourceLocation) {
        self.raw = raw
        self.value = value
        self.location = location
    }
}

/// A remote dataset's origin: its address, when the fetched bytes last changed (nil when
/// unknown: a shipped copy never fetched), their SHA-256.
public struct RemoteOrigin: Sendable, Equatable {
    public var url: String
    public var asOf: Date?
    public var sha256: String

    public init(url: String, asOf: Date?, sha256: String) {
        self.url = url
        self.asOf = asOf
        self.sha256 = sha256
    }
}

/// One comparison table: typed columns, rows of cells, and the metadata a reader needs to
/// trust and reuse it.
public struct Dataset: Sendable {
    public var id: String
    public var title: String
    public var description: String?
    public var unit: String?
    public var source: DataSource?
    public var licence: String?
    /// When the figures were retrieved or last updated, as written (`2025-06-01`).
    public var updated: String?
    public var notes: [String]
    public var columns: [Column]
    public var rows: [[Cell]]
    /// The column whose values name the rows (the first, unless `key:` says otherwise).
    public var keyColumn: Int
    public var path: String
    /// Where a remote dataset (`url:` in its metadata) was fetched from, and when its
    /// bytes last changed ("Data as of").
    public var remote: RemoteOrigin?
    /// Its words in other languages, by language code (`Translations.swift`).
    public var translations: [String: DatasetTranslation] = [:]

    public init(id: String, title: String, description: String? = nil, unit: String? = nil, source: DataSource? = nil,
                licence: String? = nil, updated: String? = nil, notes: [String] = [], columns: [Column], rows: [[Cell]],
                keyColumn: Int = 0, path: String) {
        self.id = id
        self.title = title
        self.description = description
        self.unit = unit
        self.source = source
        self.licence = licence
        self.updated = updated
        self.notes = notes
        self.columns = columns
        self.rows = rows
        self.keyColumn = keyColumn
        self.path = path
    }

    public func columnIndex(_ name: String) -> Int? {
        columns.firstIndex { $0.name == name } ?? columns.firstIndex { Scale.normalize($0.name) == Scale.normalize(name) }
    }

    /// Row labels: the key column's text.
    public var rowLabels: [String] { rows.map { $0[keyColumn].raw } }

    /// The columns that hold values (all but the key).
    public var valueColumns: [Int] { columns.indices.filter { $0 != keyColumn } }

    public var missingCount: Int { rows.reduce(0) { $0 + $1.filter(\.value.isMissing).count } }
}

/// Recognises the spellings of a missing value.
public enum MissingValue {
    public static let spellings: Set<String> = ["", "null", "n/a", "not stated", "~"]

    public static func isMissing(_ raw: String) -> Bool {
        let trimmed = TextTrim.spaces(raw)
        guard trimmed.utf8.count <= 10 else { return false }  // "not stated" is the longest
        return spellings.contains(trimmed.lowercased())
    }
}
