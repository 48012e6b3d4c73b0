import DossierCore

/// A recursive-descent parser over expression tokens, lowest precedence first:
/// `or` → `and` → `not` → comparisons and `in` → `+ - ~` → `* / %` → unary `-` →
/// postfix (`.name`, `[i]`, `(args)`) with filters (`| name: arg, arg`).
struct ExpressionParser {
    var tokens: [ExpressionToken]
    var position = 0
    let knownFilters: Set<String>
    private var depth = 0
    static let maxDepth = 64
    /// Operations (operators, filters, `.name`, `[i]`, calls) in one expression. A chain
    /// such as `1 + 1 + …` or `x | f | f …` nests as deep as it is long, and rendering
    /// recurses through it: without this bound 20,000 terms overflowed the stack.
    static let maxOperations = 500
    private var operations = 0

    init(tokens: [ExpressionToken], knownFilters: Set<String>) {
        self.tokens = tokens
        self.knownFilters = knownFilters
    }

    var current: ExpressionToken { tokens[position] }
    var atEnd: Bool { current.kind == .end }

    mutating func advance() { if position < tokens.count - 1 { position += 1 } }

    func isSymbol(_ s: String) -> Bool { current.kind == .symbol(s) }
    func isName(_ s: String) -> Bool { current.kind == .name(s) }

    mutating func accept(_ s: String) -> Bool {
        if isSymbol(s) || isName(s) { advance(); return true }
        return false
    }

    mutating func expect(_ s: String, _ what: String? = nil) throws(DiagnosticError) {
        guard accept(s) else { throw error("expected \(what ?? "'\(s)'"), found \(describe(current))") }
    }

    mutating func expectName(_ what: String = "a name") throws(DiagnosticError) -> String {
        guard case .name(let n) = current.kind else { throw error("expected \(what), found \(describe(current))") }
        advance()
        return n
    }

    func error(_ message: String, at location: SourceLocation? = nil) -> DiagnosticError {
        DiagnosticError(.error(message, at: location ?? current.location))
    }

    func describe(_ token: ExpressionToken) -> String {
        switch token.kind {
        case .name(let n): return "'\(n)'"
        case .string(let s): return "string \"\(s)\""
        case .number(let n): return "number \(Value.format(n))"
        case .symbol(let s): return "'\(s)'"
        case .end: return "end of expression"
        }
    }

    mutating func expectEnd() throws(DiagnosticError) {
        guard atEnd else { throw error("unexpected \(describe(current))") }
    }

    /// Counts one more operation, failing past `maxOperations`.
    private mutating func operation(at location: SourceLocation) throws(DiagnosticError) {
        operations += 1
        guard operations <= Self.maxOperations else {
            throw error("expression too long: more than \(Self.maxOperations) operators, filters and lookups in one expression "
                        + "(split it with {% set %})", at: location)
        }
    }

    mutating func parseExpression() throws(DiagnosticError) -> Expression {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else { throw error("expression nested too deeply (more than \(Self.maxDepth) levels)") }
        return try parseOr()
    }

    private mutating func parseOr() throws(DiagnosticError) -> Expression {
        var left = try parseAnd()
        while case .name("or") = current.kind {
            let loc = current.location
            try operation(at: loc)
            advance()
            left = .binary("or", left, try parseAnd(), loc)
        }
        return left
    }

    private mutating func parseAnd() throws(DiagnosticError) -> Expression {
        var left = try parseNot()
        while case .name("and") = current.kind {
            let loc = current.location
            try operation(at: loc)
            advance()
            left = .binary("and", left, try parseNot(), loc)
        }
        return left
    }

    private mutating func parseNot() throws(DiagnosticError) -> Expression {
        if case .name("not") = current.kind {
            let loc = current.location
            try operation(at: loc)
            advance()
            depth += 1
            defer { depth -= 1 }
            guard depth <= Self.maxDepth else { throw error("expression nested too deeply") }
            return .unary("not", try parseNot(), loc)
        }
        return try parseComparison()
    }

    private mutating func parseComparison() throws(DiagnosticError) -> Expression {
        var left = try parseAdditive()
        while true {
            let loc = current.location
            if case .symbol(let s) = current.kind, ["==", "!=", "<", ">", "<=", ">="].contains(s) { try operation(at: loc) }
            if isName("in") || isName("not") || isName("is") { try operation(at: loc) }
            if case .symbol(let s) = current.kind, ["==", "!=", "<", ">", "<=", ">="].contains(s) {
                advance()
                left = .binary(s, left, try parseAdditive(), loc)
            } else if isName("in") {
                advance()
                left = .binary("in", left, try parseAdditive(), loc)
            } else if isName("not"), position + 1 < tokens.count, tokens[position + 1].kind == .name("in") {
                advance(); advance()
                left = .unary("not", .binary("in", left, try parseAdditive(), loc), loc)
            } else if isName("is") {
                advance()
                let negate = accept("not")
                let test = try expectName("a test such as 'defined'")
                guard ["defined", "undefined", "none", "null"].contains(test) else {
                    throw error("unknown test '\(test)' (use 'defined' or 'none')", at: loc)
                }
                var expr: Expression = .call("__is_" + test, [left], loc)
                if negate { expr = .unary("not", expr, loc) }
                left = expr
            } else {
                return left
            }
        }
    }

    private mutating func parseAdditive() throws(DiagnosticError) -> Expression {
        var left = try parseMultiplicative()
        while case .symbol(let s) = current.kind, s == "+" || s == "-" || s == "~" {
            let loc = current.location
            try operation(at: loc)
            advance()
            left = .binary(s, left, try parseMultiplicative(), loc)
        }
        return left
    }

    private mutating func parseMultiplicative() throws(DiagnosticError) -> Expression {
        var left = try parseUnary()
        while case .symbol(let s) = current.kind, s == "*" || s == "/" || s == "%" {
            let loc = current.location
            try operation(at: loc)
            advance()
            left = .binary(s, left, try parseUnary(), loc)
        }
        return left
    }

    /// A (possibly negated) postfix expression followed by any number of
    /// `| filter: args`: `-x | abs` filters `-x`.
    private mutating func parseUnary() throws(DiagnosticError) -> Expression {
        var value = try parseNegation()
        while isSymbol("|") {
            try operation(at: current.location)
            advance()
            let loc = current.location
            let name = try expectName("a filter name")
            guard knownFilters.contains(name) else {
                let hint = SourceText.didYouMean(name, in: knownFilters)
                throw error("unknown filter '\(name)'\(hint)", at: loc)
            }
            var arguments: [Expression] = []
            if accept(":") {
                repeat {
                    arguments.append(try parseArgument())
                } while accept(",")
            } else if isSymbol("(") {
                advance()
                if !isSymbol(")") {
                    repeat { arguments.append(try parseExpression()) } while accept(",")
                }
                try expect(")")
            }
            value = .filter(value, name: name, arguments: arguments, loc)
        }
        return value
    }

    private mutating func parseNegation() throws(DiagnosticError) -> Expression {
        guard isSymbol("-") else { return try parsePostfix() }
        let loc = current.location
        try operation(at: loc)
        advance()
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else { throw error("expression nested too deeply") }
        return .unary("-", try parseNegation(), loc)
    }

    /// Filter arguments after `:` are postfix expressions (or a negative number), so the
    /// next `|` starts the next filter rather than filtering the argument.
    private mutating func parseArgument() throws(DiagnosticError) -> Expression {
        if isSymbol("-"), case .number(let n) = tokens[min(position + 1, tokens.count - 1)].kind {
            advance(); advance()
            return .literal(.number(-n))
        }
        return try parsePostfix()
    }

    private mutating func parsePostfix() throws(DiagnosticError) -> Expression {
        var value = try parsePrimary()
        while true {
            let loc = current.location
            if isSymbol(".") || isSymbol("[") { try operation(at: loc) }
            if accept(".") {
                guard case .name(let n) = current.kind else { throw error("expected a name after '.'") }
                advance()
                value = .member(value, n, loc)
            } else if isSymbol("[") {
                advance()
                let key = try parseExpression()
                try expect("]")
                value = .index(value, key, loc)
            } else {
                return value
            }
        }
    }

    private mutating func parsePrimary() throws(DiagnosticError) -> Expression {
        let token = current
        switch token.kind {
        case .string(let s):
            advance()
            return .literal(.string(s))
        case .number(let n):
            advance()
            return .literal(.number(n))
        case .name(let n):
            advance()
            switch n {
            case "true", "True": return .literal(.bool(true))
            case "false", "False": return .literal(.bool(false))
            case "none", "None", "null", "nil": return .literal(.null)
            default: break
            }
            if isSymbol("(") {
                try operation(at: token.location)
                advance()
                var arguments: [Expression] = []
                if !isSymbol(")") {
                    repeat { arguments.append(try parseExpression()) } while accept(",")
                }
                try expect(")")
                return .call(n, arguments, token.location)
            }
            return .variable(n, token.location)
        case .symbol("("):
            advance()
            let inner = try parseExpression()
            try expect(")")
            return inner
        case .symbol("["):
            advance()
            var items: [Expression] = []
            if !isSymbol("]") {
                repeat { items.append(try parseExpression()) } while accept(",")
            }
            try expect("]")
            return .array(items)
        case .symbol("{"):
            advance()
            var pairs: [(String, Expression)] = []
            if !isSymbol("}") {
                repeat {
                    let key: String
                    switch current.kind {
                    case .name(let n): key = n
                    case .string(let s): key = s
                    default: throw error("expected a key, found \(describe(current))")
                    }
                    advance()
                    try expect(":")
                    pairs.append((key, try parseExpression()))
                } while accept(",")
            }
            try expect("}")
            return .dictionary(pairs)
        case .end:
            throw error("expected an expression")
        default:
            throw error("unexpected \(describe(token))")
        }
    }
}
