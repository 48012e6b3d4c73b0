/// JSON writing with sorted keys (deterministic output) and, for `scriptSafe`, escapes
/// that keep it inert inside `<script>` and single-quoted attributes.
public enum JSONText {
    public static func encode(_ value: Value, pretty: Bool = false) -> String {
        var out = ""
        write(value, into: &out, pretty: pretty, indent: 0, scriptSafe: false)
        return out
    }

    /// Like `encode`, with `<`, `>`, `&`, `'` and line separators as `\u` escapes, so
    /// `</script>` or `<!--` in data cannot end the script element.
    public static func scriptSafe(_ value: Value) -> String {
        var out = ""
        write(value, into: &out, pretty: false, indent: 0, scriptSafe: true)
        return out
    }

    private static func write(_ value: Value, into out: inout String, pretty: Bool, indent: Int, scriptSafe: Bool) {
        let newline = pretty ? "\n" + String(repeating: "  ", count: indent + 1) : ""
        let closing = pretty ? "\n" + String(repeating: "  ", count: indent) : ""
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += n.isFinite ? Value.format(n) : "null"
        case .string(let s), .html(let s): quote(s, into: &out, scriptSafe: scriptSafe)
        case .date(let d): quote(DateText.iso8601(d), into: &out, scriptSafe: scriptSafe)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                out += newline
                write(item, into: &out, pretty: pretty, indent: indent + 1, scriptSafe: scriptSafe)
            }
            out += closing + "]"
        case .dictionary(let d):
            if d.isEmpty { out += "{}"; return }
            out += "{"
            for (i, key) in d.keys.sorted().enumerated() {
                if i > 0 { out += "," }
                out += newline
                quote(key, into: &out, scriptSafe: scriptSafe)
                out += pretty ? ": " : ":"
                write(d[key]!, into: &out, pretty: pretty, indent: indent + 1, scriptSafe: scriptSafe)
            }
            out += closing + "}"
        }
    }

    /// `s` as a JSON string, appended to `out` (for writers that stream a large document
    /// rather than build it as a `Value` first).
    public static func appendQuoted(_ s: String, to out: inout String) {
        quote(s, into: &out, scriptSafe: false)
    }

    private static func quote(_ s: String, into out: inout String, scriptSafe: Bool) {
        out += "\""
        // Most strings need no escape at all: append them whole.
        let plain = s.utf8.allSatisfy { b in
            b >= 0x20 && b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\") && b != 0xE2  // 0xE2 leads U+2028 and U+2029
                && !(scriptSafe && (b == UInt8(ascii: "<") || b == UInt8(ascii: ">") || b == UInt8(ascii: "&") || b == UInt8(ascii: "'")))
        }
        if plain {
            out += s
            out += "\""
            return
        }
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<" where scriptSafe: out += "\\u003c"
            case ">" where scriptSafe: out += "\\u003e"
            case "&" where scriptSafe: out += "\\u0026"
            case "'" where scriptSafe: out += "\\u0027"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
