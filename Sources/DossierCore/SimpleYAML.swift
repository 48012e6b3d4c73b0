/// A fast reader for the YAML that front matter nearly always is — `key: value` lines
/// with plain or quoted scalars, flow lists `[a, b]` and block lists of `- item` — giving
/// exactly what Yams gives for it. Anything else (nesting, anchors, multi-line scalars,
/// YAML 1.1 oddities such as `yes` or octal numbers) returns nil and goes to Yams.
/// Yams resolves every scalar through regular expressions, which made front matter the
/// costliest part of loading a large site.
enum SimpleYAML {
    static func parse(_ text: String, path: String, firstLine: Int) -> YAMLTree? {
        var pairs: [(key: String, keyLocation: SourceLocation, value: YAMLTree)] = []
        var seen: Set<String> = []
        let lines = Self.lines(text)
        var i = 0
        var mappingLocation: SourceLocation?
        func location(_ line: Int, _ column: Int) -> SourceLocation {
            SourceLocation(path: path, line: firstLine + line, column: column)
        }
        while i < lines.count {
            var line = lines[i]
            if line.hasSuffix("\r") { line = line.dropLast() }
            if isBlankOrComment(line) { i += 1; continue }
            guard let first = line.unicodeScalars.first, first != " ", first != "\t", first != "-" else { return nil }
            guard let colon = line.utf8.firstIndex(of: UInt8(ascii: ":")) else { return nil }
            let key = line[..<colon]
            guard !key.isEmpty, key.unicodeScalars.allSatisfy({ isKeyScalar($0) }) else { return nil }
            let afterColon = line[line.index(after: colon)...]
            guard afterColon.isEmpty || afterColon.first == " " else { return nil }
            let keyLocation = location(i, 1)
            if mappingLocation == nil { mappingLocation = keyLocation }
            guard seen.insert(String(key)).inserted else { return nil }
            let spaces = afterColon.utf8.prefix { $0 == 0x20 }.count
            let rest = afterColon.dropFirst(spaces)
            let valueColumn = key.unicodeScalars.count + 1 + spaces + 1
            if rest.isEmpty || rest.hasPrefix("#") {
                // A block list on the following lines, or null.
                var items: [YAMLTree] = []
                var sequenceLocation: SourceLocation?
                var j = i + 1
                while j < lines.count {
                    var item = lines[j]
                    if item.hasSuffix("\r") { item = item.dropLast() }
                    if isBlankOrComment(item) { j += 1; continue }
                    let indent = item.utf8.prefix { $0 == 0x20 }.count
                    let body = item.dropFirst(indent)
                    guard body.hasPrefix("- ") || body == "-" else { break }
                    if item.contains("\t") { return nil }
                    if let sequence = sequenceLocation, sequence.column != indent + 1 { return nil }
                    if sequenceLocation == nil { sequenceLocation = location(j, indent + 1) }
                    let afterDash = body.dropFirst(1)
                    let pad = afterDash.utf8.prefix { $0 == 0x20 }.count
                    let scalarText = afterDash.dropFirst(pad)
                    guard let scalar = self.scalar(scalarText, location(j, indent + 2 + pad), allowFlow: false) else { return nil }
                    items.append(scalar)
                    j += 1
                }
                if let sequenceLocation {
                    pairs.append((String(key), keyLocation, .sequence(items, sequenceLocation)))
                } else {
                    pairs.append((String(key), keyLocation, .scalar(.null, location(i, valueColumn))))
                }
                i = j
                continue
            }
            guard let value = scalar(rest, location(i, valueColumn), allowFlow: true) else { return nil }
            pairs.append((String(key), keyLocation, value))
            i += 1
        }
        guard let mappingLocation else { return nil }  // empty: let Yams decide
        return .mapping(pairs, mappingLocation)
    }

    private static func isBlankOrComment(_ line: Substring) -> Bool {
        for b in line.utf8 where b != 0x20 { return b == UInt8(ascii: "#") }
        return true
    }

    /// The lines of `text`, split on UTF-8 newline bytes (no grapheme breaking).
    static func lines(_ text: String) -> [Substring] {
        var result: [Substring] = []
        let utf8 = text.utf8
        var start = utf8.startIndex
        var index = start
        while index < utf8.endIndex {
            if utf8[index] == 0x0A {
                result.append(text[start..<index])
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        result.append(text[start..<utf8.endIndex])
        return result
    }

    private static func isKeyScalar(_ s: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s) || s == "_" || s == "-"
    }

    /// One scalar (or a flow list of scalars) filling the rest of a line.
    private static func scalar(_ raw: Substring, _ at: SourceLocation, allowFlow: Bool) -> YAMLTree? {
        var text = raw
        if let first = text.first, first == "\"" || first == "'" {
            guard let (value, consumed) = quoted(text) else { return nil }
            let rest = text.dropFirst(consumed).drop { $0 == " " }
            guard rest.isEmpty || rest.hasPrefix("#") else { return nil }
            return .scalar(.string(value), at)
        }
        if text.hasPrefix("[") {
            guard allowFlow else { return nil }
            return flowList(text, at)
        }
        // A plain scalar: stop at a comment, trim, and refuse anything YAML reads specially.
        if let hash = commentStart(text) { text = text[..<hash] }
        while text.last == " " { text = text.dropLast() }
        guard let value = plain(text) else { return nil }
        return .scalar(value, at)
    }

    static func plain(_ text: Substring) -> Value? {
        guard let first = text.unicodeScalars.first else { return .null }
        if "{}[]&*!|>%@`,?:#'\"".unicodeScalars.contains(first) { return nil }
        if containsColonSpaceOrTab(text) || text.hasSuffix(":") { return nil }
        switch text {
        case "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "=", "<<": return nil
        default: break
        }
        let numeric = first == "-" || first == "+" || first == "." || ("0"..."9").contains(first)
        guard numeric else { return .string(String(text)) }
        let bytes = text.utf8
        if isPlainInteger(text), bytes.count <= 15, let n = Int(text) { return .number(Double(n)) }
        if isPlainDecimal(text), let d = Double(text) { return .number(d) }
        if bytes.count >= 10, bytes.prefix(4).allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), bytes.dropFirst(4).first == UInt8(ascii: "-"),
            let date = DateText.parse(String(text))
        {
            return .date(date)
        }
        return nil  // any other scalar that starts like a number: Yams's resolver decides
    }

    /// Where a ` #` comment starts in a plain scalar.
    private static func commentStart(_ text: Substring) -> Substring.Index? {
        var previous: Character = "x"
        var index = text.startIndex
        while index < text.endIndex {
            let c = text[index]
            if c == "#" && previous == " " { return text.index(before: index) }
            previous = c
            index = text.index(after: index)
        }
        return nil
    }

    private static func containsColonSpaceOrTab(_ text: Substring) -> Bool {
        var previous: UInt8 = 0
        for b in text.utf8 {
            if b == 0x09 || (previous == 0x3A && b == 0x20) { return true }
            previous = b
        }
        return false
    }

    /// `[-+]?(0|[1-9][0-9]*)`
    private static func isPlainInteger(_ t: Substring) -> Bool {
        var digits = t.utf8[...]
        if let f = digits.first, f == UInt8(ascii: "-") || f == UInt8(ascii: "+") { digits = digits.dropFirst() }
        guard let f = digits.first, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return false }
        return f != 0x30 || digits.count == 1
    }

    /// `[-+]?[0-9]+\.[0-9]+`
    private static func isPlainDecimal(_ t: Substring) -> Bool {
        var body = t.utf8[...]
        if let f = body.first, f == UInt8(ascii: "-") || f == UInt8(ascii: "+") { body = body.dropFirst() }
        let parts = body.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty
            && parts.allSatisfy { $0.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
    }

    /// A quoted scalar at the start of `text`: its value and how many Characters it took.
    private static func quoted(_ text: Substring) -> (String, Int)? {
        let quote = text.first!
        var value = ""
        var index = text.index(after: text.startIndex)
        var count = 1
        while index < text.endIndex {
            let c = text[index]
            count += 1
            if c == quote {
                let next = text.index(after: index)
                if quote == "'", next < text.endIndex, text[next] == "'" {
                    value.append("'")
                    index = text.index(after: next)
                    count += 1
                    continue
                }
                return (value, count)
            }
            if quote == "\"" && c == "\\" {
                let next = text.index(after: index)
                guard next < text.endIndex else { return nil }
                switch text[next] {
                case "\"": value.append("\"")
                case "\\": value.append("\\")
                case "n": value.append("\n")
                case "t": value.append("\t")
                case "/": value.append("/")
                default: return nil
                }
                index = text.index(after: next)
                count += 1
                continue
            }
            value.append(c)
            index = text.index(after: index)
        }
        return nil
    }

    /// `[a, "b", c]` — scalars only, on one line.
    private static func flowList(_ text: Substring, _ at: SourceLocation) -> YAMLTree? {
        var items: [YAMLTree] = []
        var rest = text.dropFirst()
        var column = at.column + 1
        func skipSpaces() {
            let n = rest.prefix { $0 == " " }.count
            rest = rest.dropFirst(n)
            column += n
        }
        skipSpaces()
        if rest.hasPrefix("]") {
            let after = rest.dropFirst().drop { $0 == " " }
            return after.isEmpty || after.hasPrefix("#") ? .sequence([], at) : nil
        }
        while true {
            skipSpaces()
            let itemLocation = SourceLocation(path: at.path, line: at.line, column: column)
            if let first = rest.first, first == "\"" || first == "'" {
                guard let (value, consumed) = quoted(rest) else { return nil }
                items.append(.scalar(.string(value), itemLocation))
                rest = rest.dropFirst(consumed)
                column += consumed
            } else {
                let token = rest.prefix { $0 != "," && $0 != "]" }
                guard !token.isEmpty, !token.contains("[") else { return nil }
                var trimmed = token
                while trimmed.last == " " { trimmed = trimmed.dropLast() }
                guard let value = plain(trimmed) else { return nil }
                items.append(.scalar(value, itemLocation))
                rest = rest.dropFirst(token.count)
                column += token.count
            }
            skipSpaces()
            if rest.hasPrefix(",") { rest = rest.dropFirst(); column += 1; continue }
            if rest.hasPrefix("]") {
                let after = rest.dropFirst().drop { $0 == " " }
                return after.isEmpty || after.hasPrefix("#") ? .sequence(items, at) : nil
            }
            return nil
        }
    }
}
