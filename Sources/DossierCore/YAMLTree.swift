import Foundation
import Yams

/// A YAML document converted to `Value`s that remember where they came from, so that
/// front matter and data files can report a bad value at its own line and column.
public indirect enum YAMLTree: Sendable {
    case scalar(Value, SourceLocation)
    case sequence([YAMLTree], SourceLocation)
    /// Keys in document order (column order in data files matters).
    case mapping([(key: String, keyLocation: SourceLocation, value: YAMLTree)], SourceLocation)

    public var location: SourceLocation {
        switch self {
        case .scalar(_, let l), .sequence(_, let l), .mapping(_, let l): return l
        }
    }

    /// The plain value, locations dropped.
    public var value: Value {
        switch self {
        case .scalar(let v, _): return v
        case .sequence(let items, _): return .array(items.map(\.value))
        case .mapping(let pairs, _):
            var d: [String: Value] = [:]
            for pair in pairs { d[pair.key] = pair.value.value }
            return .dictionary(d)
        }
    }

    public subscript(key: String) -> YAMLTree? {
        guard case .mapping(let pairs, _) = self else { return nil }
        return pairs.first { $0.key == key }?.value
    }

    public var keys: [String] {
        guard case .mapping(let pairs, _) = self else { return [] }
        return pairs.map(\.key)
    }
}

/// Reads YAML through Yams and reports its errors as diagnostics in file coordinates.
public enum YAMLReader {
    /// Parses `text`, whose first line is line `firstLine` of the file at `path`.
    /// An empty document reads as an empty mapping.
    public static func parse(_ text: String, path: String, firstLine: Int = 1) throws(DiagnosticError) -> YAMLTree {
        if let simple = SimpleYAML.parse(text, path: path, firstLine: firstLine) { return simple }
        return try parseWithYams(text, path: path, firstLine: firstLine)
    }

    /// The full YAML reader (the tests compare the fast path against it).
    static func parseWithYams(_ text: String, path: String, firstLine: Int = 1) throws(DiagnosticError) -> YAMLTree {
        let lineOffset = firstLine - 1
        try checkAliases(text, path: path, lineOffset: lineOffset)
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw DiagnosticError(diagnostic(for: error, path: path, lineOffset: lineOffset, text: text))
        } catch {
            throw DiagnosticError(.error("invalid YAML: \(error)", at: SourceLocation(path: path, line: firstLine)))
        }
        guard let node else {
            return .mapping([], SourceLocation(path: path, line: firstLine))
        }
        return try convert(node, path: path, lineOffset: lineOffset, text: text)
    }

    /// Aliases (`*name`) repeat their anchor's node, so a few hundred bytes can stand for
    /// billions of nodes ("billion laughs"). A document may expand to at most
    /// `expansionFactor` times its size — counted in values and in bytes of text, at least
    /// `minimumExpansion` of each — and never to more than `maxExpandedNodes` values.
    public static let maxExpandedNodes = 1_000_000
    public static let expansionFactor = 10
    static let minimumExpansion = 10_000

    /// Checks a document that uses aliases before Yams composes it, because Yams hashes
    /// every mapping key while composing: an alias key (or a flow collection of aliases)
    /// standing for a huge node takes exponential time before any later bound can act —
    /// fuzzing found this. The text is composed once with every alias `*name` masked as
    /// the plain scalar `xname` (same length, so every position stays put; no alias means
    /// nothing to expand or hash deeply); on that tree each alias's expanded size is
    /// added up from its anchor's, in document order, and every mapping key must be a
    /// plain scalar. Throws at the alias that passes the budget, or at the key.
    static func checkAliases(_ text: String, path: String, lineOffset: Int) throws(DiagnosticError) {
        guard text.utf8.contains(UInt8(ascii: "*")) else { return }
        var masked = String.UnicodeScalarView()
        var aliases: [Position: String] = [:]
        var anchors: [Position: String] = [:]
        let scalars = Array(text.unicodeScalars)
        func isAnchorChar(_ c: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || c == "-" || c == "_"
        }
        var line = 1, column = 1, i = 0
        while i < scalars.count {
            let c = scalars[i]
            if (c == "*" || c == "&"), i + 1 < scalars.count, isAnchorChar(scalars[i + 1]) {
                var j = i + 1
                while j < scalars.count && isAnchorChar(scalars[j]) { j += 1 }
                let name = String(String.UnicodeScalarView(scalars[(i + 1)..<j]))
                if c == "*" { aliases[Position(line: line, column: column)] = name } else { anchors[Position(line: line, column: column)] = name }
                masked.append(c == "*" ? "x" : c)
                masked.append(contentsOf: scalars[(i + 1)..<j])
                column += j - i
                i = j
                continue
            }
            masked.append(c)
            if c == "\n" || (c == "\r" && (i + 1 == scalars.count || scalars[i + 1] != "\n")) { line += 1; column = 1 } else if c != "\r" { column += 1 }
            i += 1
        }
        guard !aliases.isEmpty else { return }
        let root: Node?
        do {
            root = try Yams.compose(yaml: String(masked))
        } catch let error as YamlError {
            throw DiagnosticError(diagnostic(for: error, path: path, lineOffset: lineOffset, text: text))
        } catch {
            throw DiagnosticError(.error("invalid YAML: \(error)", at: SourceLocation(path: path, line: lineOffset + 1)))
        }
        guard let root else { return }
        let allowance = max(minimumExpansion, expansionFactor * text.utf8.count)
        let nodeBudget = min(maxExpandedNodes, allowance)
        var sizes: [String: Size] = [:]  // each anchor's node, expanded
        var total = Size(nodes: 0, bytes: 0)  // the document so far, expanded
        func fail(_ message: String, _ at: Position) -> DiagnosticError {
            DiagnosticError(Diagnostic.error(message, at: SourceLocation(path: path, line: at.line + lineOffset, column: at.column))
                .withSource(sourceText(text, lineOffset)))
        }
        func position(_ node: Node) -> Position { Position(line: node.mark?.line ?? 0, column: node.mark?.column ?? 0) }
        /// The node's expanded size, added to `total` as it is counted.
        func size(_ node: Node) throws(DiagnosticError) -> Size {
            let at = position(node)
            var n = Size(nodes: 1, bytes: 0)
            switch node {
            case .scalar(let scalar):
                if let name = aliases[at] {
                    n = sizes[name] ?? n
                    total.add(n)
                    if total.nodes > nodeBudget || total.bytes > allowance {
                        throw fail("YAML aliases expand this document past \(expansionFactor)× its size (or \(maxExpandedNodes) values); "
                                   + "refusing to read it (write the values out, or use fewer aliases)", at)
                    }
                    return n
                }
                n.bytes = scalar.string.utf8.count
                total.add(n)
            case .sequence(let items):
                total.add(n)
                for item in items { n.add(try size(item)) }
            case .mapping(let pairs):
                total.add(n)
                for (key, value) in pairs {
                    guard case .scalar = key, aliases[position(key)] == nil else {
                        throw fail("mapping keys must be plain text (an alias or a list cannot be a key)", position(key))
                    }
                    n.add(try size(key))
                    n.add(try size(value))
                }
            case .alias:
                total.add(n)
            }
            if let name = anchors[at] { sizes[name] = n }
            return n
        }
        _ = try size(root)
    }

    struct Position: Hashable {
        var line: Int
        var column: Int
    }

    struct Size {
        var nodes: Int
        var bytes: Int
        mutating func add(_ other: Size) { nodes += other.nodes; bytes += other.bytes }
    }

    private static func location(_ mark: Mark?, path: String, lineOffset: Int) -> SourceLocation {
        SourceLocation(path: path, line: (mark?.line ?? 1) + lineOffset, column: mark?.column ?? 1)
    }

    /// `checkAliases` has bounded what the aliases expand to before this runs.
    private static func convert(_ node: Node, path: String, lineOffset: Int, text: String) throws(DiagnosticError) -> YAMLTree {
        let here = location(node.mark, path: path, lineOffset: lineOffset)
        switch node {
        case .scalar(let scalar):
            return .scalar(scalarValue(node, scalar), here)
        case .sequence(let sequence):
            var items: [YAMLTree] = []
            for child in sequence { items.append(try convert(child, path: path, lineOffset: lineOffset, text: text)) }
            return .sequence(items, here)
        case .mapping(let mapping):
            var pairs: [(key: String, keyLocation: SourceLocation, value: YAMLTree)] = []
            var seen: Set<String> = []
            for (keyNode, valueNode) in mapping {
                let keyLocation = location(keyNode.mark, path: path, lineOffset: lineOffset)
                guard case .scalar(let keyScalar) = keyNode else {
                    throw DiagnosticError(Diagnostic.error("mapping keys must be plain text", at: keyLocation)
                        .withSource(sourceText(text, lineOffset)))
                }
                let key = keyScalar.string
                guard seen.insert(key).inserted else {
                    throw DiagnosticError(Diagnostic.error("duplicate key '\(key)'", at: keyLocation)
                        .withSource(sourceText(text, lineOffset)))
                }
                pairs.append((key, keyLocation, try convert(valueNode, path: path, lineOffset: lineOffset, text: text)))
            }
            return .mapping(pairs, here)
        case .alias:
            throw DiagnosticError(Diagnostic.error("YAML aliases are not supported here", at: here)
                .withSource(sourceText(text, lineOffset)))
        }
    }

    /// Plain scalars resolve to null, booleans, numbers and dates; quoted ones stay text.
    private static func scalarValue(_ node: Node, _ scalar: Node.Scalar) -> Value {
        if scalar.style != .plain { return .string(scalar.string) }
        switch Tag.Name(rawValue: node.tag.rawValue) {
        case .null: return .null
        case .bool: return node.bool.map(Value.bool) ?? .string(scalar.string)
        case .int: return node.int.map { .number(Double($0)) } ?? .string(scalar.string)
        case .float:
            guard let d = node.float, d.isFinite else { return .string(scalar.string) }
            return .number(d)
        case .timestamp: return DateText.parse(scalar.string).map(Value.date) ?? .string(scalar.string)
        default: return .string(scalar.string)
        }
    }

    /// The YAML text padded so that line numbers match the file's, for source excerpts.
    private static func sourceText(_ text: String, _ lineOffset: Int) -> String {
        String(repeating: "\n", count: lineOffset) + text
    }

    private static func diagnostic(for error: YamlError, path: String, lineOffset: Int, text: String) -> Diagnostic {
        let padded = sourceText(text, lineOffset)
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let contextText = context.map { " (\($0.text))" } ?? ""
            return Diagnostic.error("invalid YAML: \(problem)\(contextText)", at: location(mark, path: path, lineOffset: lineOffset))
                .withSource(padded)
        case .duplicatedKeysInMapping(let duplicates, let context):
            // Point at the second occurrence of the key rather than the mapping's start.
            var at = location(context.mark, path: path, lineOffset: lineOffset)
            if let key = duplicates.first {
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
                let hits = lines.indices.filter { i in
                    let trimmed = lines[i].drop(while: { $0 == " " })
                    return trimmed.hasPrefix(key + ":") || trimmed.hasPrefix("\"" + key + "\":")
                }
                if hits.count > 1 {
                    let indent = lines[hits[1]].prefix(while: { $0 == " " }).count
                    at = SourceLocation(path: path, line: hits[1] + 1 + lineOffset, column: indent + 1)
                }
            }
            return Diagnostic.error("duplicate key '\(duplicates.joined(separator: "', '"))'", at: at).withSource(padded)
        default:
            return Diagnostic.error("invalid YAML: \(error)", at: SourceLocation(path: path, line: lineOffset + 1))
        }
    }
}

extension YAMLTree {
    /// A tree built from a plain value (e.g. a template's `{data: …}`), every node placed at
    /// `location`, so the same validation code serves YAML files and template calls.
    public init(value: Value, location: SourceLocation) {
        switch value {
        case .array(let items): self = .sequence(items.map { YAMLTree(value: $0, location: location) }, location)
        case .dictionary(let d):
            self = .mapping(d.keys.sorted().map { (key: $0, keyLocation: location, value: YAMLTree(value: d[$0]!, location: location)) }, location)
        default: self = .scalar(value, location)
        }
    }
}
