import Foundation

/// The one dynamic value shared by front matter, datasets and templates.
///
/// `html` is text already known to be safe markup (rendered Markdown, our own SVG): the
/// template engine prints it as it is, while `string` is always escaped.
public enum Value: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case html(String)
    case date(Date)
    case array([Value])
    case dictionary([String: Value])

    public subscript(key: String) -> Value? {
        if case .dictionary(let d) = self { return d[key] }
        return nil
    }

    public var isNull: Bool { if case .null = self { return true } else { return false } }

    /// Jinja-like truthiness: null, false, 0, "" and empty collections are false.
    public var isTruthy: Bool {
        switch self {
        case .null: return false
        case .bool(let b): return b
        case .number(let n): return n != 0 && !n.isNaN
        case .string(let s), .html(let s): return !s.isEmpty
        case .date: return true
        case .array(let a): return !a.isEmpty
        case .dictionary(let d): return !d.isEmpty
        }
    }

    public var stringValue: String? {
        switch self {
        case .string(let s), .html(let s): return s
        default: return nil
        }
    }

    public var numberValue: Double? {
        switch self {
        case .number(let n): return n
        case .string(let s): return Double(s.trimmingSpaces)
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    public var arrayValue: [Value]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var dictionaryValue: [String: Value]? {
        if case .dictionary(let d) = self { return d }
        return nil
    }

    /// What a template prints for the value, before escaping.
    public var text: String {
        switch self {
        case .null: return ""
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return Value.format(n)
        case .string(let s), .html(let s): return s
        case .date(let d): return DateText.iso8601(d)
        case .array(let a): return a.map(\.text).joined(separator: ", ")
        case .dictionary(let d): return "{" + d.keys.sorted().map { "\($0): \(d[$0]!.text)" }.joined(separator: ", ") + "}"
        }
    }

    /// The name used in error messages ("expected a list, got a number").
    public var typeName: String {
        switch self {
        case .null: return "nothing"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .html: return "HTML"
        case .date: return "a date"
        case .array: return "a list"
        case .dictionary: return "a mapping"
        }
    }

    /// Prints a number without locale, exponent or trailing zeros: `3`, `2.5`, `-0.25`.
    public static func format(_ n: Double) -> String {
        if n.isNaN { return "NaN" }
        if n.isInfinite { return n > 0 ? "Infinity" : "-Infinity" }
        if n == n.rounded(), abs(n) < 1e15 { return String(Int64(n)) }
        var s = String(format: "%.10f", locale: Locale(identifier: "en_US_POSIX"), n)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s == "-0" ? "0" : s
    }

    /// A total order for sorting mixed values deterministically: numbers, then dates,
    /// then text (case-insensitively, ties broken by the exact text).
    public static func ordered(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case let (.number(x), .number(y)): return x < y
        case let (.date(x), .date(y)): return x < y
        case let (.bool(x), .bool(y)): return !x && y
        default:
            let ra = a.sortRank, rb = b.sortRank
            if ra != rb { return ra < rb }
            let ta = a.text, tb = b.text
            let la = ta.lowercased(), lb = tb.lowercased()
            return la != lb ? la < lb : ta < tb
        }
    }

    private var sortRank: Int {
        switch self {
        case .null: return 0
        case .bool: return 1
        case .number: return 2
        case .date: return 3
        case .string, .html: return 4
        case .array: return 5
        case .dictionary: return 6
        }
    }
}

extension Value: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: Value...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, Value)...) {
        self = .dictionary(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    public init(nilLiteral: ()) { self = .null }
}
