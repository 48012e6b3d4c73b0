import DossierCore

/// Builds the node tree from lexer segments; block tags nest through recursion, bounded
/// by `maxDepth` so hostile input gets an error rather than a stack overflow.
struct TemplateParser {
    let segments: [Segment]
    let knownFilters: Set<String>
    var position = 0
    var depth = 0
    static let maxDepth = 100

    var parent: (name: String, location: SourceLocation)?
    var blocks: [String: [Node]] = [:]
    var macros: [String: Macro] = [:]
    var dependencies: [String] = []
    private var sawContentTag = false

    static let tagNames = [
        "if", "elif", "else", "endif", "for", "endfor", "set", "endset", "include", "import", "extends",
        "block", "endblock", "macro", "endmacro", "call", "endcall", "raw", "endraw",
    ]

    init(segments: [Segment], knownFilters: Set<String>) {
        self.segments = segments
        self.knownFilters = knownFilters
    }

    mutating func parseDocument() throws(DiagnosticError) -> [Node] {
        let (nodes, end) = try parseBody(until: [])
        if let end { throw DiagnosticError(.error("unexpected '{% \(end.name) %}'", at: end.location)) }
        return nodes
    }

    struct EndTag {
        var name: String
        var parser: ExpressionParser
        var location: SourceLocation
    }

    /// Parses nodes until one of `terminators` (returned) or the end of input (nil).
    mutating func parseBody(until terminators: Set<String>) throws(DiagnosticError) -> ([Node], EndTag?) {
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maxDepth {
            let location: SourceLocation? = {
                if case .tag(_, let l, _) = segments[max(0, position - 1)] { return l }
                return nil
            }()
            throw DiagnosticError(.error("blocks nested too deeply (more than \(Self.maxDepth) levels)", at: location))
        }
        var nodes: [Node] = []
        while position < segments.count {
            let segment = segments[position]
            position += 1
            switch segment {
            case .text(let t, let from):
                nodes.append(.text(t, from: from))
            case .output(let source, let start):
                var p = ExpressionParser(tokens: try ExpressionLexer.tokenize(source, start: start), knownFilters: knownFilters)
                if p.atEnd { throw DiagnosticError(.error("empty '{{ }}'", at: start)) }
                let expr = try p.parseExpression()
                try p.expectEnd()
                nodes.append(.output(expr, start))
            case .tag(let source, let location, let contentStart):
                var p = ExpressionParser(tokens: try ExpressionLexer.tokenize(source, start: contentStart), knownFilters: knownFilters)
                guard case .name(let name) = p.current.kind else {
                    throw DiagnosticError(.error("expected a tag name", at: location))
                }
                p.advance()
                if terminators.contains(name) { return (nodes, EndTag(name: name, parser: p, location: location)) }
                if let node = try parseTag(name, &p, location) { nodes.append(node) }
            }
        }
        return (nodes, nil)
    }

    private mutating func parseTag(_ name: String, _ p: inout ExpressionParser, _ location: SourceLocation) throws(DiagnosticError) -> Node? {
        switch name {
        case "if": return try parseIf(&p, location)
        case "for": return try parseFor(&p, location)
        case "set": return try parseSet(&p, location)
        case "include": return try parseInclude(&p, location)
        case "import": return try parseImport(&p, location)
        case "extends": return try parseExtends(&p, location)
        case "block": return try parseBlock(&p, location)
        case "macro": return try parseMacro(&p, location)
        case "call": return try parseCall(&p, location)
        default:
            if Self.tagNames.contains(name) {
                throw DiagnosticError(.error("'{% \(name) %}' without a matching opening tag", at: location))
            }
            throw DiagnosticError(.error("unknown tag '\(name)'\(SourceText.didYouMean(name, in: Self.tagNames))", at: location))
        }
    }

    /// `{% if %}…{% elif %}…{% else %}…{% endif %}`
    private mutating func parseIf(_ p: inout ExpressionParser, _ location: SourceLocation) throws(DiagnosticError) -> Node {
        var branches: [(condition: Expression, body: [Node])] = []
        var condition = try p.parseExpression()
        try p.expectEnd()
        var otherwise: [Node]? = nil
        while true {
            let (body, end) = try parseBody(until: ["elif", "else", "endif"])
            guard var end else { throw unclosed("if", location) }
            branches.append((condition, body))
            if end.name == "elif" {
                condition = try end.parser.parseExpression()
                try end.parser.expectEnd()
                continue
            }
            if end.name == "else" {
                try end.parser.expectEnd()
                let (elseBody, close) = try parseBody(until: ["endif"])
                guard var close else { throw unclosed("if", location) }
                try close.parser.expectEnd()
                otherwise = elseBody
            } else {
                try end.parser.expectEnd()
            }
            break
        }
        return .conditional(branches, otherwise: otherwise)
    }

    /// `{% for x in xs %}…{% else %}…{% endfor %}` (or `for k, v in …`)
    private mutating func parseFor(_ p: inout ExpressionParser, _ location: SourceLocation) throws(DiagnosticError) -> Node {
        var variables = [try p.expectName("a loop variable")]
        if p.accept(",") { variables.append(try p.expectName("a second loop variable")) }
        try p.expect("in", "'in'")
        let sequence = try p.parseExpression()
        try p.expectEnd()
        let (body, end) = try parseBody(until: ["else", "endfor"])
        guard var end else { throw unclosed("for", location) }
        try end.parser.expectEnd()
        var otherwise: [Node]? = nil
        if end.name == "else" {
            let (elseBody, close) = try parseBody(until: ["endfor"])
            guard var close else { throw unclosed("for", location) }
            try close.parser.expectEnd()
            otherwise = elseBody
        }
        return .loop(variables: variables, sequence: sequence, body: body, otherwise: otherwise, location)
    }

    /// `{% set x = … %}`, or `{% set x %}…{% endset %}` capturing output
    private mutating func parseSet(_ p: inout ExpressionParser, _ location: SourceLocation) throws(DiagnosticError) -> Node {
        let variable = try p.expectName("a variable name")
        if p.accept("=") {
            let value = try p.parseExpression()
            try p.expectEnd()
            return .assign(variable, value, location)
        }
        try p.expectEnd()
        let (body, end) = try parseBody(until: ["endset"])
        guard var end else { throw unclosed("set", location) }
        try end.parser.expectEnd()
        return .capture(variable, body)
    }

    /// `{% include "name" with a=1, b=2 %}`
    private mutating func parseInclude(_ p: inout ExpressionParser, _ location: SourceLocation) throws(DiagnosticError) -> Node {
        let target = try p.parseExpression()
        if case .literal(.string(let s)) = target { dependencies.append(s) }
        var parameters: [(String, Expression)] = []
        if p.accept("with") {
            repeat {
                let key = try p.expectName("a parameter name")
                try p.expect("=")
                parameters.append((key, try p.parseExpression()))
            } while p.accept(",")
        }
        try p.expectEnd()
        return .include(target, parameters: parameters, location)
    }

    /// `{% import "name" %}`: its macros
    private mutating func parseImport(_ p: inout ExpressionParser, _ location: SourceLocation) throws(DiagnosticError) -> Node {
        guard case .string(let target) = p.current.kind else { throw p.error("expected a template name in quotes") }
        p.advance()
        try p.expectEnd()
        dependencies.append(target)
        return .importMacros(target, location)
    }

    /// `{% extends "name" %}`, first in the template; prints nothing
    private mutating func parseExtends(_ p: inout ExpressionParser, _ location: SourceLocation) throws(DiagnosticError) -> Node? {
        guard case .string(let target) = p.current.kind else { throw p.error("expected a template name in quotes") }
        p.advance()
        try p.expectEnd()
        guard parent == nil else { throw DiagnosticError(.error("a template can extend only one parent", at: location)) }
        guard depth == 1, !sawContentTag else {
            throw DiagnosticError(.error("'extends' must come before any other tag or output", at: location))
        }
        parent = (target, location)
        dependencies.append(target)
        return nil
    }

    /// `{% block name %}…{% endblock [name] %}`
    private mutating func parseBlock(_ p: inout ExpressionParser, _ location: SourceLocation) throws(DiagnosticError) -> Node {
        let blockName = try p.expectName("a block name")
        try p.expectEnd()
        guard blocks[blockName] == nil else {
            throw DiagnosticError(.error("block '\(blockName)' is defined twice in this template", at: location))
        }
        sawContentTag = true
        let (body, end) = try parseBody(until: ["endblock"])
        guard var end else { throw unclosed("block", location) }
        if case .name(let closing) = end.parser.current.kind {
            guard closing == blockName else {
                throw DiagnosticError(.error("'endblock \(closing)' closes block '\(blockName)'", at: end.location))
            }
            end.parser.advance()
        }
        try end.parser.expectEnd()
        blocks[blockName] = body
        return .block(blockName)
    }

    /// `{% macro name(a, b="x") %}…{% endmacro %}`
    private mutating func parseMacro(_ p: inout ExpressionParser, _ location: SourceLocation) throws(DiagnosticError) -> Node {
        let macroName = try p.expectName("a macro name")
        try p.expect("(")
        var parameters: [(name: String, defaultValue: Expression?)] = []
        if !p.isSymbol(")") {
            repeat {
                let param = try p.expectName("a parameter name")
                parameters.append((param, p.accept("=") ? try p.parseExpression() : nil))
            } while p.accept(",")
        }
        try p.expect(")")
        try p.expectEnd()
        let (body, end) = try parseBody(until: ["endmacro"])
        guard var end else { throw unclosed("macro", location) }
        try end.parser.expectEnd()
        guard macros[macroName] == nil else {
            throw DiagnosticError(.error("macro '\(macroName)' is defined twice in this template", at: location))
        }
        macros[macroName] = Macro(name: macroName, parameters: parameters, body: body, location: location)
        return .macroDefinition(macroName)
    }

    /// `{% call macro(…) %}…{% endcall %}`: the body is the macro's `caller()`
    private mutating func parseCall(_ p: inout ExpressionParser, _ location: SourceLocation) throws(DiagnosticError) -> Node {
        let call = try p.parseExpression()
        guard case .call = call else { throw DiagnosticError(.error("'call' needs a macro call such as 'call figure(\"…\")'", at: location)) }
        try p.expectEnd()
        sawContentTag = true
        let (body, end) = try parseBody(until: ["endcall"])
        guard var end else { throw unclosed("call", location) }
        try end.parser.expectEnd()
        return .callBlock(call, body: body, location)
    }

    private func unclosed(_ tag: String, _ location: SourceLocation) -> DiagnosticError {
        DiagnosticError(.error("'{% \(tag) %}' is never closed with '{% end\(tag) %}'", at: location))
    }
}
