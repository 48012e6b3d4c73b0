import DossierCore

/// A parsed `{{ … }}` or tag expression.
indirect enum Expression: Sendable {
    case literal(Value)
    case variable(String, SourceLocation)
    case member(Expression, String, SourceLocation)
    case index(Expression, Expression, SourceLocation)
    case array([Expression])
    /// `{key: expr, "other key": expr}`
    case dictionary([(String, Expression)])
    case unary(String, Expression, SourceLocation)
    case binary(String, Expression, Expression, SourceLocation)
    case filter(Expression, name: String, arguments: [Expression], SourceLocation)
    /// `name(args)`: a macro, `super()`, `caller()` or a built-in function.
    case call(String, [Expression], SourceLocation)

    var location: SourceLocation? {
        switch self {
        case .literal, .array, .dictionary: return nil
        case .variable(_, let l), .member(_, _, let l), .index(_, _, let l), .unary(_, _, let l),
            .binary(_, _, _, let l), .filter(_, _, _, let l), .call(_, _, let l):
            return l
        }
    }

    /// The dotted name for messages: `page.title`.
    var displayName: String {
        switch self {
        case .variable(let n, _): return n
        case .member(let base, let n, _): return base.displayName + "." + n
        case .index(let base, _, _): return base.displayName + "[…]"
        case .call(let n, _, _): return n + "()"
        default: return "expression"
        }
    }
}

/// A token of expression syntax.
struct ExpressionToken: Sendable {
    enum Kind: Equatable, Sendable {
        case name(String)
        case string(String)
        case number(Double)
        case symbol(String)
        case end
    }
    var kind: Kind
    var location: SourceLocation
}

/// Tokenizes expression source, tracking file positions for every token.
enum ExpressionLexer {
    private static let symbols2: Set<String> = ["==", "!=", "<=", ">="]
    private static let symbols1: Set<Character> = ["<", ">", "+", "-", "*", "/", "%", "~", "|", ":", ",", ".", "(", ")", "[", "]", "=", "{", "}"]

    static func tokenize(_ source: String, start: SourceLocation) throws(DiagnosticError) -> [ExpressionToken] {
        var tokens: [ExpressionToken] = []
        let chars = Array(source)
        var i = 0
        var line = start.line
        var column = start.column
        func here() -> SourceLocation { SourceLocation(path: start.path, line: line, column: column) }
        func step(_ n: Int = 1) {
            for _ in 0..<n where i < chars.count {
                if chars[i] == "\n" { line += 1; column = 1 } else { column += 1 }
                i += 1
            }
        }
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace { step(); continue }
            let loc = here()
            if c.isLetter || c == "_" {
                var name = ""
                while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" {
                    name.append(chars[i]); step()
                }
                tokens.append(ExpressionToken(kind: .name(name), location: loc))
            } else if c.isASCII && c.isNumber {
                var text = ""
                while i < chars.count, (chars[i].isASCII && chars[i].isNumber) || chars[i] == "_"
                    || (chars[i] == "." && i + 1 < chars.count && chars[i + 1].isASCII && chars[i + 1].isNumber && !text.contains("."))
                {
                    if chars[i] != "_" { text.append(chars[i]) }
                    step()
                }
                tokens.append(ExpressionToken(kind: .number(Double(text) ?? 0), location: loc))
            } else if c == "\"" || c == "'" {
                step()
                var value = ""
                var closed = false
                while i < chars.count {
                    let d = chars[i]
                    if d == c { step(); closed = true; break }
                    if d == "\\", i + 1 < chars.count {
                        step()
                        switch chars[i] {
                        case "n": value.append("\n")
                        case "t": value.append("\t")
                        default: value.append(chars[i])
                        }
                        step()
                        continue
                    }
                    value.append(d); step()
                }
                guard closed else { throw DiagnosticError(.error("unterminated string", at: loc)) }
                tokens.append(ExpressionToken(kind: .string(value), location: loc))
            } else if i + 1 < chars.count, symbols2.contains(String([c, chars[i + 1]])) {
                tokens.append(ExpressionToken(kind: .symbol(String([c, chars[i + 1]])), location: loc))
                step(2)
            } else if symbols1.contains(c) {
                tokens.append(ExpressionToken(kind: .symbol(String(c)), location: loc))
                step()
            } else {
                throw DiagnosticError(.error("unexpected character '\(c)'", at: loc))
            }
        }
        tokens.append(ExpressionToken(kind: .end, location: here()))
        return tokens
    }
}
