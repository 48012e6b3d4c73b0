import Foundation

/// TOML as front matter uses it (Hugo's `+++` blocks): `key = value` with bare, quoted
/// and dotted keys; strings (basic, literal and multi-line), numbers, booleans, dates;
/// arrays and inline tables; `[table]` headers. Read into the same `YAMLTree` as YAML, so
/// every value keeps its line and column and front matter is checked once. Arrays of
/// tables (`[[x]]`) are a located error: front matter has no use for them.
public enum TOMLReader {
    /// Arrays and inline tables nested deeper than this are an error (a hostile file).
    public static let maxDepth = 64

    public static func parse(_ text: String, path: String, firstLine: Int = 1) throws(DiagnosticError) -> YAMLTree {
        var p = Parser(bytes: Array(text.utf8), path: path, line: firstLine)
        return try p.document()
    }

    /// A mapping being built: keys in order, each with its location.
    private final class Table {
        var pairs: [(key: String, keyLocation: SourceLocation, value: Node)] = []
        let location: SourceLocation
        init(_ location: SourceLocation) { self.location = location }
        func index(of key: String) -> Int? { pairs.firstIndex { $0.key == key } }
    }

    private enum Node {
        case tree(YAMLTree)
        case table(Table)

        var yaml: YAMLTree {
            switch self {
            case .tree(let t): return t
            case .table(let t): return .mapping(t.pairs.map { ($0.key, $0.keyLocation, $0.value.yaml) }, t.location)
            }
        }
    }

    private struct Parser {
        let bytes: [UInt8]
        let path: String
        var i = 0
        var line: Int
        var lineStart = 0

        init(bytes: [UInt8], path: String, line: Int) {
            self.bytes = bytes
            self.path = path
            self.line = line
        }

        var here: SourceLocation { SourceLocation(path: path, line: line, column: i - lineStart + 1) }
        var peek: UInt8? { i < bytes.count ? bytes[i] : nil }

        func fail(_ message: String, at location: SourceLocation? = nil) -> DiagnosticError {
            DiagnosticError(.error(message, at: location ?? here))
        }

        mutating func advance() {
            if bytes[i] == 0x0A { line += 1; lineStart = i + 1 }
            i += 1
        }

        /// Spaces and tabs.
        mutating func skipBlank() {
            while let b = peek, b == 0x20 || b == 0x09 { advance() }
        }

        /// Spaces, newlines and comments (inside arrays).
        mutating func skipSpaceAndComments() {
            while let b = peek {
                if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { advance() } else if b == UInt8(ascii: "#") { skipComment() } else { break }
            }
        }

        mutating func skipComment() {
            while let b = peek, b != 0x0A { advance() }
        }

        /// After a value or header: only a comment, then the end of the line.
        mutating func endOfLine() throws(DiagnosticError) {
            skipBlank()
            if peek == UInt8(ascii: "#") { skipComment() }
            if peek == 0x0D { advance() }
            guard peek == nil || peek == 0x0A else { throw fail("expected the end of the line after the value") }
            if peek == 0x0A { advance() }
        }

        mutating func document() throws(DiagnosticError) -> YAMLTree {
            let root = Table(SourceLocation(path: path, line: line))
            var current = root
            while peek != nil {
                skipBlank()
                guard let b = peek else { break }
                if b == 0x0A || b == 0x0D { advance(); continue }
                if b == UInt8(ascii: "#") { skipComment(); continue }
                if b == UInt8(ascii: "[") {
                    let at = here
                    advance()
                    if peek == UInt8(ascii: "[") { throw fail("arrays of tables ([[…]]) are not read in front matter", at: at) }
                    skipBlank()
                    let keys = try dottedKey()
                    skipBlank()
                    guard peek == UInt8(ascii: "]") else { throw fail("expected ']' to close the table name") }
                    advance()
                    try endOfLine()
                    current = try table(at: keys, in: root, defining: true, at: at)
                    continue
                }
                try keyValue(into: current)
                try endOfLine()
            }
            return Node.table(root).yaml
        }

        /// The table at `keys` under `root`, made as needed; a header that names a value
        /// or a table already defined is an error.
        mutating func table(at keys: [(String, SourceLocation)], in root: Table, defining: Bool, at: SourceLocation) throws(DiagnosticError) -> Table {
            var t = root
            for (k, (key, location)) in keys.enumerated() {
                if let index = t.index(of: key) {
                    guard case .table(let inner) = t.pairs[index].value else {
                        throw fail("'\(key)' is already a value, not a table", at: location)
                    }
                    if defining, k == keys.count - 1, !inner.pairs.isEmpty, inner.pairs.contains(where: { if case .tree = $0.value { return true } else { return false } }) {
                        throw fail("the table '\(keys.map(\.0).joined(separator: "."))' is defined twice", at: at)
                    }
                    t = inner
                } else {
                    let inner = Table(location)
                    t.pairs.append((key, location, .table(inner)))
                    t = inner
                }
            }
            return t
        }

        mutating func keyValue(into table: Table) throws(DiagnosticError) {
            let keys = try dottedKey()
            skipBlank()
            guard peek == UInt8(ascii: "=") else { throw fail("expected '=' after the key '\(keys.map(\.0).joined(separator: "."))'") }
            advance()
            skipBlank()
            let value = try self.value(depth: 0)
            let target = try self.table(at: Array(keys.dropLast()), in: table, defining: false, at: keys[0].1)
            let (key, location) = keys.last!
            if target.index(of: key) != nil { throw fail("'\(key)' is given twice", at: location) }
            target.pairs.append((key, location, .tree(value)))
        }

        mutating func dottedKey() throws(DiagnosticError) -> [(String, SourceLocation)] {
            var keys: [(String, SourceLocation)] = []
            while true {
                skipBlank()
                let at = here
                keys.append((try simpleKey(), at))
                skipBlank()
                guard peek == UInt8(ascii: ".") else { return keys }
                advance()
            }
        }

        mutating func simpleKey() throws(DiagnosticError) -> String {
            if peek == UInt8(ascii: "\"") || peek == UInt8(ascii: "'") {
                guard case .string(let s) = try string().value else { return "" }
                return s
            }
            let start = i
            while let b = peek, (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2D { advance() }
            guard i > start else { throw fail("expected a key (letters, digits, '_', '-', or a quoted name)") }
            return String(decoding: bytes[start..<i], as: UTF8.self)
        }

        mutating func value(depth: Int) throws(DiagnosticError) -> YAMLTree {
            guard depth < TOMLReader.maxDepth else { throw fail("arrays and tables nested more than \(TOMLReader.maxDepth) deep") }
            let at = here
            guard let b = peek else { throw fail("expected a value") }
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                return try string()
            case UInt8(ascii: "["):
                advance()
                var items: [YAMLTree] = []
                while true {
                    skipSpaceAndComments()
                    if peek == UInt8(ascii: "]") { advance(); break }
                    items.append(try value(depth: depth + 1))
                    skipSpaceAndComments()
                    if peek == UInt8(ascii: ",") { advance(); continue }
                    guard peek == UInt8(ascii: "]") else { throw fail("expected ',' or ']' in the array") }
                    advance()
                    break
                }
                return .sequence(items, at)
            case UInt8(ascii: "{"):
                advance()
                let inline = Table(at)
                skipBlank()
                if peek == UInt8(ascii: "}") { advance(); return Node.table(inline).yaml }
                while true {
                    skipBlank()
                    try keyValue(into: inline)
                    skipBlank()
                    if peek == UInt8(ascii: ",") { advance(); continue }
                    guard peek == UInt8(ascii: "}") else { throw fail("expected ',' or '}' in the inline table") }
                    advance()
                    break
                }
                return Node.table(inline).yaml
            default:
                // A bare word: a boolean, a number or a date.
                let start = i
                while let c = peek, c != 0x20, c != 0x09, c != 0x0A, c != 0x0D, c != UInt8(ascii: ","), c != UInt8(ascii: "]"),
                      c != UInt8(ascii: "}"), c != UInt8(ascii: "#") {
                    advance()
                }
                guard i > start else { throw fail("expected a value", at: at) }
                var word = String(decoding: bytes[start..<i], as: UTF8.self)
                // `1979-05-27 07:32:00`: a space may separate a date and its time.
                if word.count == 10, peek == 0x20, i + 1 < bytes.count, (0x30...0x39).contains(bytes[i + 1]) {
                    advance()
                    let more = i
                    while let c = peek, c != 0x20, c != 0x09, c != 0x0A, c != 0x0D, c != UInt8(ascii: ","), c != UInt8(ascii: "]"), c != UInt8(ascii: "}") { advance() }
                    word += "T" + String(decoding: bytes[more..<i], as: UTF8.self)
                }
                if word == "true" { return .scalar(.bool(true), at) }
                if word == "false" { return .scalar(.bool(false), at) }
                let digits = word.replacingOccurrences(of: "_", with: "")
                if let n = Double(digits), !digits.isEmpty, digits.allSatisfy({ "0123456789+-.eE".contains($0) }) || ["inf", "+inf", "-inf", "nan"].contains(digits) {
                    return .scalar(.number(n), at)
                }
                if word.count >= 10, word.prefix(4).allSatisfy(\.isNumber), Array(word)[4] == "-" { return .scalar(.string(word), at) }
                throw fail("'\(word)' is not a TOML value: text needs quotes (\"…\"), dates are YYYY-MM-DD", at: at)
            }
        }

        /// `"basic \n"`, `'literal'`, and their `"""` / `'''` multi-line forms.
        mutating func string() throws(DiagnosticError) -> YAMLTree {
            let at = here
            let quote = bytes[i]
            let multi = i + 2 < bytes.count && bytes[i + 1] == quote && bytes[i + 2] == quote
            advance()
            if multi {
                advance(); advance()
                if peek == 0x0D { advance() }
                if peek == 0x0A { advance() }  // a newline right after the opening is dropped
            }
            var out: [UInt8] = []
            while true {
                guard let b = peek else { throw fail("this string is never closed", at: at) }
                if b == quote {
                    if !multi { advance(); break }
                    if i + 2 < bytes.count, bytes[i + 1] == quote, bytes[i + 2] == quote { advance(); advance(); advance(); break }
                }
                if b == 0x0A, !multi { throw fail("this string is never closed on its line", at: at) }
                if b == UInt8(ascii: "\\"), quote == UInt8(ascii: "\"") {
                    advance()
                    guard let e = peek else { throw fail("this string is never closed", at: at) }
                    advance()
                    switch e {
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(e)
                    case UInt8(ascii: "u"), UInt8(ascii: "U"):
                        let count = e == UInt8(ascii: "u") ? 4 : 8
                        guard i + count <= bytes.count, let code = UInt32(String(decoding: bytes[i..<(i + count)], as: UTF8.self), radix: 16),
                              let scalar = UnicodeScalar(code) else { throw fail("a \\u escape needs \(count) hex digits of a character") }
                        for _ in 0..<count { advance() }
                        out += Array(String(Character(scalar)).utf8)
                    case 0x0A where multi:
                        // A backslash at the end of a line joins the next, its leading space dropped.
                        while let c = peek, c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { advance() }
                    default:
                        throw fail("unknown escape '\\\(Character(UnicodeScalar(e)))' in a string")
                    }
                    continue
                }
                out.append(b)
                advance()
            }
            return .scalar(.string(String(decoding: out, as: UTF8.self)), at)
        }
    }
}
