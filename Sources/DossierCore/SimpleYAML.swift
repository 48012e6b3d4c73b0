/// A fast reader for the YAML that front matter nearly always is — `key: value` lines
/// with plain or quoted scalars, flow lists `[a, b]` and block lists of `- item` — giving
/// exactly what Yams gives for it. Anything else (nesting, anchors, multi-line scalars,
/// YAML 1.1 oddities such as `yes` or octal numbers) returns nil and goes to Yams.
/// Yams resolves every scalar through regular expressions, which made front matter the
/// costliest part of loading a large site; this reader works on UTF-8 bytes (a first
/// version on `Substring`s and `Character`s still cost 55 µs per article). Columns count
/// Unicode scalars, as libyaml's do.
enum SimpleYAML {
    static func parse(_ text: String, path: String, firstLine: Int) -> YAMLTree? {
        var text = text
        return text.withUTF8 { Reader(bytes: $0, path: path, firstLine: firstLine).parse() }
    }

    /// A plain scalar: text, `null`, a bool, a plain integer or decimal, or a date; nil for
    /// anything else YAML reads specially (Yams decides those).
    fileprivate static func plain(_ t: Slice<UnsafeBufferPointer<UInt8>>) -> Value? {
        guard let first = t.first else { return .null }
        if specialFirst.contains(first) { return nil }
        var previous: UInt8 = 0
        for b in t {
            if b == tab || (previous == colon && b == space) { return nil }
            previous = b
        }
        if t.last == colon { return nil }
        let string = String(decoding: t, as: UTF8.self)
        switch string {
        case "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "=", "<<": return nil
        default: break
        }
        let numeric = first == minus || first == plus || first == dot || isDigit(first)
        guard numeric else { return .string(string) }
        if isPlainInteger(t), t.count <= 15, let n = Int(string) { return .number(Double(n)) }
        if isPlainDecimal(t), let d = Double(string) { return .number(d) }
        if t.count >= 10, t.prefix(4).allSatisfy(isDigit), t.dropFirst(4).first == minus, let date = DateText.parse(string) {
            return .date(date)
        }
        return nil  // any other scalar that starts like a number: Yams's resolver decides
    }

    private static func isPlainInteger(_ t: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        var digits = t
        if let f = digits.first, f == minus || f == plus { digits = digits.dropFirst() }
        guard let f = digits.first, digits.allSatisfy(isDigit) else { return false }
        return f != zero || digits.count == 1
    }

    private static func isPlainDecimal(_ t: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        var body = t
        if let f = body.first, f == minus || f == plus { body = body.dropFirst() }
        guard let point = body.firstIndex(of: dot) else { return false }
        let whole = body[..<point], fraction = body[(point + 1)...]
        return !whole.isEmpty && !fraction.isEmpty && whole.allSatisfy(isDigit) && fraction.allSatisfy(isDigit)
    }

    @inline(__always) fileprivate static func isDigit(_ b: UInt8) -> Bool { b >= zero && b <= zero + 9 }
    fileprivate static let specialFirst = Set("{}[]&*!|>%@`,?:#'\"".utf8)
    fileprivate static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), colon = UInt8(ascii: ":")
    fileprivate static let hash = UInt8(ascii: "#"), dash = UInt8(ascii: "-"), minus = UInt8(ascii: "-")
    fileprivate static let plus = UInt8(ascii: "+"), dot = UInt8(ascii: "."), zero = UInt8(ascii: "0")
    fileprivate static let doubleQuote = UInt8(ascii: "\""), singleQuote = UInt8(ascii: "'"), backslash = UInt8(ascii: "\\")
}

/// One parse over the bytes of one front matter block.
private struct Reader {
    typealias Bytes = Slice<UnsafeBufferPointer<UInt8>>
    let bytes: UnsafeBufferPointer<UInt8>
    let path: String
    let firstLine: Int

    init(bytes: UnsafeBufferPointer<UInt8>, path: String, firstLine: Int) {
        self.bytes = bytes
        self.path = path
        self.firstLine = firstLine
    }

    func location(_ line: Int, _ column: Int) -> SourceLocation {
        SourceLocation(path: path, line: firstLine + line, column: column)
    }

    /// Lines without their `\n` (and a `\r` before it).
    func lines() -> [Bytes] {
        var result: [Bytes] = []
        var start = 0
        for i in 0..<bytes.count where bytes[i] == 0x0A {
            result.append(trimCR(bytes[start..<i]))
            start = i + 1
        }
        result.append(trimCR(bytes[start..<bytes.count]))
        return result
    }

    private func trimCR(_ line: Bytes) -> Bytes { line.last == 0x0D ? line.dropLast() : line }

    func parse() -> YAMLTree? {
        typealias S = SimpleYAML
        var pairs: [(key: String, keyLocation: SourceLocation, value: YAMLTree)] = []
        var seen: Set<String> = []
        let lines = self.lines()
        var i = 0
        var mappingLocation: SourceLocation?
        while i < lines.count {
            let line = lines[i]
            if isBlankOrComment(line) { i += 1; continue }
            guard let first = line.first, first != S.space, first != S.tab, first != S.dash,
                let colon = line.firstIndex(of: S.colon)
            else { return nil }
            let keyBytes = line[..<colon]
            guard !keyBytes.isEmpty, keyBytes.allSatisfy(isKeyByte) else { return nil }
            let afterColon = line[(colon + 1)...]
            guard afterColon.isEmpty || afterColon.first == S.space else { return nil }
            let key = String(decoding: keyBytes, as: UTF8.self)
            let keyLocation = location(i, 1)
            if mappingLocation == nil { mappingLocation = keyLocation }
            guard seen.insert(key).inserted else { return nil }
            let spaces = leadingSpaces(afterColon)
            let rest = afterColon.dropFirst(spaces)
            let valueColumn = keyBytes.count + 1 + spaces + 1
            if rest.isEmpty || rest.first == S.hash {
                // A block list on the following lines, or null.
                var items: [YAMLTree] = []
                var sequenceLocation: SourceLocation?
                var j = i + 1
                while j < lines.count {
                    let item = lines[j]
                    if isBlankOrComment(item) { j += 1; continue }
                    let indent = leadingSpaces(item)
                    let body = item.dropFirst(indent)
                    guard body.first == S.dash, body.count == 1 || body[body.startIndex + 1] == S.space else { break }
                    if item.contains(S.tab) { return nil }
                    if let sequence = sequenceLocation, sequence.column != indent + 1 { return nil }
                    if sequenceLocation == nil { sequenceLocation = location(j, indent + 1) }
                    let afterDash = body.dropFirst()
                    let pad = leadingSpaces(afterDash)
                    guard let scalar = scalar(afterDash.dropFirst(pad), location(j, indent + 2 + pad), allowFlow: false) else { return nil }
                    items.append(scalar)
                    j += 1
                }
                if let sequenceLocation {
                    pairs.append((key, keyLocation, .sequence(items, sequenceLocation)))
                } else {
                    pairs.append((key, keyLocation, .scalar(.null, location(i, valueColumn))))
                }
                i = j
                continue
            }
            guard let value = scalar(rest, location(i, valueColumn), allowFlow: true) else { return nil }
            pairs.append((key, keyLocation, value))
            i += 1
        }
        guard let mappingLocation else { return nil }  // empty: let Yams decide
        return .mapping(pairs, mappingLocation)
    }

    private func isBlankOrComment(_ line: Bytes) -> Bool {
        for b in line where b != SimpleYAML.space { return b == SimpleYAML.hash }
        return true
    }

    private func isKeyByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x5F || b == 0x2D
    }

    private func leadingSpaces(_ s: Bytes) -> Int { s.prefix { $0 == SimpleYAML.space }.count }

    private func dropSpaces(_ s: Bytes) -> Bytes { s.dropFirst(leadingSpaces(s)) }

    /// Columns count Unicode scalars: every byte but UTF-8 continuation bytes.
    private func scalarCount(_ s: Bytes) -> Int { s.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) } }

    /// Nothing, or a comment, after a quoted scalar or a flow list.
    private func isEndOfValue(_ s: Bytes) -> Bool {
        let after = dropSpaces(s)
        return after.isEmpty || after.first == SimpleYAML.hash
    }

    /// One scalar (or a flow list of scalars) filling the rest of a line.
    private func scalar(_ raw: Bytes, _ at: SourceLocation, allowFlow: Bool) -> YAMLTree? {
        if let first = raw.first, first == SimpleYAML.doubleQuote || first == SimpleYAML.singleQuote {
            guard let (value, end) = quoted(raw), isEndOfValue(raw[end...]) else { return nil }
            return .scalar(.string(value), at)
        }
        if raw.first == UInt8(ascii: "[") {
            guard allowFlow else { return nil }
            return flowList(raw, at)
        }
        // A plain scalar: stop at a ` #` comment, trim, and refuse anything YAML reads specially.
        var text = raw
        var index = text.startIndex
        while index < text.endIndex {
            if text[index] == SimpleYAML.hash && index > text.startIndex && text[index - 1] == SimpleYAML.space {
                text = text[..<(index - 1)]
                break
            }
            index += 1
        }
        while text.last == SimpleYAML.space { text = text.dropLast() }
        guard let value = SimpleYAML.plain(text) else { return nil }
        return .scalar(value, at)
    }

    /// A quoted scalar at the start of `text`: its value and the index after its closing quote.
    private func quoted(_ text: Bytes) -> (String, Int)? {
        let quote = text.first!
        var value: [UInt8] = []
        var index = text.startIndex + 1
        while index < text.endIndex {
            let c = text[index]
            if c == quote {
                if quote == SimpleYAML.singleQuote, index + 1 < text.endIndex, text[index + 1] == quote {
                    value.append(quote)
                    index += 2
                    continue
                }
                return (String(decoding: value, as: UTF8.self), index + 1)
            }
            if quote == SimpleYAML.doubleQuote && c == SimpleYAML.backslash {
                guard index + 1 < text.endIndex else { return nil }
                switch text[index + 1] {
                case UInt8(ascii: "\""): value.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): value.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "n"): value.append(0x0A)
                case UInt8(ascii: "t"): value.append(0x09)
                case UInt8(ascii: "/"): value.append(UInt8(ascii: "/"))
                default: return nil
                }
                index += 2
                continue
            }
            value.append(c)
            index += 1
        }
        return nil
    }

    /// `[a, "b", c]` — scalars only, on one line.
    private func flowList(_ text: Bytes, _ at: SourceLocation) -> YAMLTree? {
        let close = UInt8(ascii: "]"), comma = UInt8(ascii: ",")
        var items: [YAMLTree] = []
        var rest = text.dropFirst()
        var column = at.column + 1
        func skipSpaces() {
            let n = leadingSpaces(rest)
            rest = rest.dropFirst(n)
            column += n
        }
        skipSpaces()
        if rest.first == close { return isEndOfValue(rest.dropFirst()) ? .sequence([], at) : nil }
        while true {
            skipSpaces()
            let itemLocation = SourceLocation(path: at.path, line: at.line, column: column)
            if let first = rest.first, first == SimpleYAML.doubleQuote || first == SimpleYAML.singleQuote {
                guard let (value, end) = quoted(rest) else { return nil }
                items.append(.scalar(.string(value), itemLocation))
                column += scalarCount(rest[..<end])
                rest = rest[end...]
            } else {
                let token = rest.prefix { $0 != comma && $0 != close }
                guard !token.isEmpty, !token.contains(UInt8(ascii: "[")) else { return nil }
                var trimmed = token
                while trimmed.last == SimpleYAML.space { trimmed = trimmed.dropLast() }
                guard let value = SimpleYAML.plain(trimmed) else { return nil }
                items.append(.scalar(value, itemLocation))
                column += scalarCount(token)
                rest = rest[token.endIndex...]
            }
            skipSpaces()
            if rest.first == comma { rest = rest.dropFirst(); column += 1; continue }
            if rest.first == close { return isEndOfValue(rest.dropFirst()) ? .sequence(items, at) : nil }
            return nil
        }
    }
}
