import DossierCore

/// Renders one template with one context. Made fresh per render: all mutable state lives
/// here, the templates stay shared and immutable.
final class Renderer {
    let library: TemplateLibrary
    let environment: RenderEnvironment
    private var scopes: [[String: Value]]
    private var macros: [String: (macro: Macro, owner: Template)] = [:]
    /// The include/extends chain, for "included from …" notes and recursion limits.
    private var frames: [(template: Template, location: SourceLocation?, chain: [Template])] = []
    /// The block being rendered: its name, the inheritance chain, and which level.
    private var blockStack: [(name: String, chain: [Template], level: Int)] = []
    private var callerStack: [(body: [Node], owner: Template)] = []
    private var tolerant = 0
    private var depth = 0
    static let maxDepth = 64
    /// Bodies inside bodies (blocks, loops, conditions, includes, macros, `caller()`)
    /// across every template of one render: each is a level of recursion.
    private var nesting = 0
    static let maxNesting = 200
    /// Work and size bounds of one render, so that a template (from a pull request, say)
    /// can neither hang a build by fanning out nor exhaust memory by doubling a string.
    static let maxSteps = 5_000_000
    static let maxOutputBytes = 32 << 20
    static let maxArrayLength = 1_000_000
    private var steps = 0
    /// The statement being rendered, for errors raised by the bounds.
    private var statement: SourceLocation?
    /// Where each stretch of the output came from, when asked for (`renderRoot(mapped:)`).
    private(set) var map: OutputMap?
    /// The last buffer rendered aside (a macro's output, `super()`, `caller()`) and its
    /// map: merged into the output's map when that output is written whole.
    private var lastAside: (html: String, map: OutputMap)?

    init(library: TemplateLibrary, environment: RenderEnvironment, globals: [String: Value]) {
        self.library = library
        self.environment = environment
        self.scopes = [globals]
    }

    // MARK: Templates and inheritance

    func renderRoot(_ template: Template, mapped: Bool = false) throws(DiagnosticError) -> String {
        if mapped { map = OutputMap() }
        var out = ""
        out.reserveCapacity(16_384)
        do {
            try render(template, from: nil, into: &out)
        } catch let error as RenderError {
            throw DiagnosticError(error.diagnostic)
        } catch {
            throw DiagnosticError(.error("\(error)"))
        }
        // A site keeps every page until it is written: give back the unused reserve.
        if out.utf8.count < 12_288 {
            var compact = ""
            compact.reserveCapacity(out.utf8.count)
            compact += out
            return compact
        }
        return out
    }

    /// Renders `template` (following its `extends` chain) into `out`.
    private func render(_ template: Template, from location: SourceLocation?, into out: inout String) throws {
        guard frames.count < Self.maxDepth else {
            throw fail("templates include each other more than \(Self.maxDepth) levels deep (a recursive include?)", at: location)
        }
        frames.append((template, location, [template]))
        defer { frames.removeLast() }

        var chain = [template]
        while let parent = chain.last!.parent {
            guard let next = library.templates[parent.name] else {
                throw fail("'\(chain.last!.name)' extends '\(parent.name)', which does not exist", at: parent.location)
            }
            guard !chain.contains(where: { $0.name == next.name }) else {
                throw fail("'\(template.name)' extends itself", at: parent.location)
            }
            chain.append(next)
        }
        for t in chain.reversed() { for (name, m) in t.macros { macros[name] = (m, t) } }
        if chain.count > 1 {
            // A child's top-level sets and imports run; its other top-level text does not print.
            for t in chain.dropLast() {
                for node in t.nodes {
                    switch node {
                    case .assign, .capture, .importMacros:
                        _ = try renderAside { sink in try render([node], owner: t, chain: chain, into: &sink) }
                    default: break
                    }
                }
            }
        }
        let root = chain.last!
        frames[frames.count - 1].template = root
        frames[frames.count - 1].chain = chain
        try render(root.nodes, owner: root, chain: chain, into: &out)
    }

    private func render(_ nodes: [Node], owner: Template, chain: [Template], into out: inout String) throws {
        nesting += 1
        defer { nesting -= 1 }
        guard nesting <= Self.maxNesting else {
            throw fail("templates nest more than \(Self.maxNesting) levels deep (blocks, loops, includes and macros inside each other)",
                       at: statement ?? frames.last?.location, in: owner)
        }
        for node in nodes {
            try step(owner)
            switch node {
            case .output(_, let l), .loop(_, _, _, _, let l), .assign(_, _, let l), .include(_, _, let l), .callBlock(_, _, let l): statement = l
            default: break
            }
            switch node {
            case .text(let t, let from):
                let start = out.utf8.count
                out += t
                if map != nil, let from { map!.recordText(owner, source: from, start: start, end: out.utf8.count) }
                try checkSize(out, at: nil, owner)
            case .output(let expr, let location):
                let value = try evaluate(expr, owner)
                let start = out.utf8.count
                if case .html(let h) = value {
                    out += h
                    mergeAside(h, at: start)
                } else {
                    out += HTML.escape(value.text)
                    if map != nil { map!.recordValue(owner, at: location, start: start, end: out.utf8.count) }
                }
                try checkSize(out, at: location, owner)
            case .conditional(let branches, let otherwise):
                try renderConditional(branches, otherwise: otherwise, owner: owner, chain: chain, into: &out)
            case .loop(let variables, let sequence, let body, let otherwise, let location):
                try renderLoop(variables, over: sequence, body: body, otherwise: otherwise, at: location, owner: owner, chain: chain, into: &out)
            case .assign(let name, let expr, _):
                scopes[scopes.count - 1][name] = try evaluate(expr, owner)
            case .capture(let name, let body):
                let captured = try renderAside { captured in try render(body, owner: owner, chain: chain, into: &captured) }
                scopes[scopes.count - 1][name] = .html(captured)
            case .include(let target, let parameters, let location):
                try renderInclude(target, parameters: parameters, at: location, owner: owner, into: &out)
            case .importMacros(let name, let location):
                guard let imported = library.templates[name] else {
                    throw fail("cannot import '\(name)': no such template", at: location, in: owner)
                }
                for (macroName, m) in imported.macros { macros[macroName] = (m, imported) }
            case .block(let name):
                guard let level = chain.firstIndex(where: { $0.blocks[name] != nil }) else { continue }
                try renderBlock(name, chain: chain, level: level, into: &out)
            case .macroDefinition:
                continue
            case .callBlock(let call, let body, _):
                callerStack.append((body, owner))
                defer { callerStack.removeLast() }
                let value = try evaluate(call, owner)
                let start = out.utf8.count
                out += value.text
                mergeAside(value.text, at: start)
                try checkSize(out, at: nil, owner)
            }
        }
    }

    /// The first branch whose condition holds (undefined names are false there), else `otherwise`.
    private func renderConditional(_ branches: [(condition: Expression, body: [Node])], otherwise: [Node]?,
                                   owner: Template, chain: [Template], into out: inout String) throws {
        for branch in branches {
            tolerant += 1
            let test = try evaluate(branch.condition, owner)
            tolerant -= 1
            if test.isTruthy {
                try scoped { try render(branch.body, owner: owner, chain: chain, into: &out) }
                return
            }
        }
        if let otherwise { try scoped { try render(otherwise, owner: owner, chain: chain, into: &out) } }
    }

    /// `body` once per item of a list, or per key of a mapping (sorted), with `loop`; an
    /// empty or missing sequence renders `otherwise`.
    private func renderLoop(_ variables: [String], over sequenceExpr: Expression, body: [Node], otherwise: [Node]?, at location: SourceLocation,
                            owner: Template, chain: [Template], into out: inout String) throws {
        let sequence = try evaluate(sequenceExpr, owner)
        let items: [(Value, Value)]
        switch sequence {
        case .array(let a): items = a.map { (.null, $0) }
        case .dictionary(let d): items = d.keys.sorted().map { (.string($0), d[$0]!) }
        case .null: items = []
        default: throw fail("cannot loop over \(sequence.typeName) ('\(sequenceExpr.displayName)')", at: location, in: owner)
        }
        if items.isEmpty {
            if let otherwise { try scoped { try render(otherwise, owner: owner, chain: chain, into: &out) } }
            return
        }
        let isDictionary = if case .dictionary = sequence { true } else { false }
        try scoped {
            for (i, (key, item)) in items.enumerated() {
                var scope = scopes[scopes.count - 1]
                if variables.count == 2 {
                    scope[variables[0]] = isDictionary ? key : .number(Double(i))
                    scope[variables[1]] = item
                } else {
                    scope[variables[0]] = isDictionary ? key : item
                }
                scope["loop"] = .dictionary([
                    "index": .number(Double(i + 1)), "index0": .number(Double(i)),
                    "first": .bool(i == 0), "last": .bool(i == items.count - 1),
                    "length": .number(Double(items.count)), "revindex": .number(Double(items.count - i)),
                ])
                scopes[scopes.count - 1] = scope
                try render(body, owner: owner, chain: chain, into: &out)
            }
        }
    }

    /// The named template with `parameters` in scope; blocks inside it are its own.
    private func renderInclude(_ target: Expression, parameters: [(String, Expression)], at location: SourceLocation,
                               owner: Template, into out: inout String) throws {
        let nameValue = try evaluate(target, owner)
        guard let name = nameValue.stringValue, let included = library.templates[name] else {
            let hint = SourceText.didYouMean(nameValue.text, in: library.templates.keys)
            throw fail("cannot include '\(nameValue.text)': no such template\(hint)", at: location, in: owner)
        }
        var scope: [String: Value] = [:]
        for (key, expr) in parameters { scope[key] = try evaluate(expr, owner) }
        let savedBlocks = blockStack
        blockStack = []
        defer { blockStack = savedBlocks }
        try scoped(scope) { try render(included, from: location, into: &out) }
    }

    /// Counts one step of work against `maxSteps`.
    @inline(__always) private func step(_ owner: Template) throws {
        steps += 1
        if steps > Self.maxSteps {
            throw fail("this render did more than \(Self.maxSteps) steps of work (a macro or include that fans out, or a very long loop?)",
                       at: statement ?? frames.last?.location, in: owner)
        }
    }

    /// Fails when `text` (the output, or a string being built) passes `maxOutputBytes`.
    @inline(__always) private func checkSize(_ text: String, at location: SourceLocation?, _ owner: Template) throws {
        if text.utf8.count > Self.maxOutputBytes {
            throw fail("this render produced more than \(Self.maxOutputBytes >> 20) MiB of text; refusing to go on",
                       at: location ?? statement ?? frames.last?.location, in: owner)
        }
    }

    private func renderBlock(_ name: String, chain: [Template], level: Int, into out: inout String) throws {
        blockStack.append((name, chain, level))
        defer { blockStack.removeLast() }
        try scoped { try render(chain[level].blocks[name]!, owner: chain[level], chain: chain, into: &out) }
    }

    /// Renders into a buffer of its own (a macro's output, a capture), with a map of its
    /// own when the render is mapped.
    private func renderAside(_ body: (inout String) throws -> Void) rethrows -> String {
        let outer = map
        if outer != nil { map = OutputMap() }
        defer { map = outer }
        var out = ""
        try body(&out)
        if let inner = map { lastAside = (out, inner) }
        return out
    }

    /// `html`, just written at `offset`, is the last aside buffer: its map joins the output's.
    private func mergeAside(_ html: String, at offset: Int) {
        defer { lastAside = nil }
        guard map != nil, let last = lastAside, last.html.utf8.count == html.utf8.count, last.html == html else { return }
        map!.append(last.map, at: offset)
    }

    private func scoped(_ scope: [String: Value] = [:], _ body: () throws -> Void) rethrows {
        scopes.append(scope)
        defer { scopes.removeLast() }
        try body()
    }

    // MARK: Expressions

    private func evaluate(_ expr: Expression, _ owner: Template) throws -> Value {
        try step(owner)
        switch expr {
        case .literal(let v):
            return v
        case .array(let items):
            return .array(try items.map { try evaluate($0, owner) })
        case .dictionary(let pairs):
            var d: [String: Value] = [:]
            for (key, expr) in pairs { d[key] = try evaluate(expr, owner) }
            return .dictionary(d)
        case .variable(let name, let location):
            for scope in scopes.reversed() { if let v = scope[name] { return v } }
            return try undefined(name, at: location, owner)
        case .member(let baseExpr, let key, let location):
            return try member(key, of: try evaluate(baseExpr, owner), baseExpr, location, owner)
        case .index(let baseExpr, let keyExpr, let location):
            let base = try evaluate(baseExpr, owner)
            let key = try evaluate(keyExpr, owner)
            switch (base, key) {
            case (.array(let a), .number(let n)):
                let i = Int(n) < 0 ? a.count + Int(n) : Int(n)
                return i >= 0 && i < a.count ? a[i] : .null
            case (.dictionary(let d), _):
                if let v = d[key.text] { return v }
                return try undefined(baseExpr.displayName + "[\"" + key.text + "\"]", at: location, owner)
            case (.null, _):
                return .null
            default:
                throw fail("cannot index \(base.typeName) with \(key.typeName)", at: location, in: owner)
            }
        case .unary(let op, let operandExpr, let location):
            let operand = try evaluate(operandExpr, owner)
            if op == "not" { return .bool(!operand.isTruthy) }
            guard let n = operand.numberValue else { throw fail("cannot negate \(operand.typeName)", at: location, in: owner) }
            return .number(-n)
        case .binary(let op, let leftExpr, let rightExpr, let location):
            if op == "and" {
                let left = try evaluate(leftExpr, owner)
                return left.isTruthy ? try evaluate(rightExpr, owner) : left
            }
            if op == "or" {
                tolerant += 1
                let left = try evaluate(leftExpr, owner)
                tolerant -= 1
                return left.isTruthy ? left : try evaluate(rightExpr, owner)
            }
            return try binary(op, try evaluate(leftExpr, owner), try evaluate(rightExpr, owner), location, owner)
        case .filter(let inputExpr, let name, let argumentExprs, let location):
            return try filter(name, inputExpr, argumentExprs, location, owner)
        case .call(let name, let argumentExprs, let location):
            return try call(name, argumentExprs, location, owner)
        }
    }

    /// `base.key`: a mapping's key, a list's `size`/`first`/`last`, any value's `length`.
    private func member(_ key: String, of base: Value, _ baseExpr: Expression, _ location: SourceLocation, _ owner: Template) throws -> Value {
        switch base {
        case .dictionary(let d):
            if let v = d[key] { return v }
            return try undefined(baseExpr.displayName + "." + key, at: location, owner)
        case .array(let a):
            switch key {
            case "size", "length": return .number(Double(a.count))
            case "first": return a.first ?? .null
            case "last": return a.last ?? .null
            default: return try undefined(baseExpr.displayName + "." + key, at: location, owner)
            }
        case .null:
            return .null
        default:
            if key == "length" || key == "size" { return .number(Double(base.count)) }
            throw fail("\(baseExpr.displayName) is \(base.typeName), which has no '\(key)'", at: location, in: owner)
        }
    }

    /// `input | name: arguments`, its result held to the size bounds.
    private func filter(_ name: String, _ inputExpr: Expression, _ argumentExprs: [Expression], _ location: SourceLocation,
                        _ owner: Template) throws -> Value {
        if name == "default" { tolerant += 1 }
        let input = try evaluate(inputExpr, owner)
        if name == "default" { tolerant -= 1 }
        let arguments = try argumentExprs.map { try evaluate($0, owner) }
        guard let function = Filters.table[name] else { throw fail("unknown filter '\(name)'", at: location, in: owner) }
        do {
            let result = try function(input, arguments, environment)
            switch result {
            case .string(let t), .html(let t): try checkSize(t, at: location, owner)
            case .array(let a) where a.count > Self.maxArrayLength:
                throw fail("'\(name)' made a list of more than \(Self.maxArrayLength) items", at: location, in: owner)
            default: break
            }
            return result
        } catch let error as FilterError {
            throw fail("\(name): \(error.message)", at: location, in: owner)
        }
    }

    private func binary(_ op: String, _ l: Value, _ r: Value, _ location: SourceLocation, _ owner: Template) throws -> Value {
        switch op {
        case "==": return .bool(l.looselyEquals(r))
        case "!=": return .bool(!l.looselyEquals(r))
        case "<", ">", "<=", ">=":
            let comparable: Bool = {
                switch (l, r) {
                case (.number, .number), (.date, .date): return true
                case (.string, .string), (.html, .html), (.string, .html), (.html, .string): return true
                default: return false
                }
            }()
            guard comparable else { throw fail("cannot compare \(l.typeName) with \(r.typeName) using '\(op)'", at: location, in: owner) }
            let less = Value.ordered(l, r), greater = Value.ordered(r, l)
            switch op {
            case "<": return .bool(less)
            case ">": return .bool(greater)
            case "<=": return .bool(!greater)
            default: return .bool(!less)
            }
        case "in":
            switch r {
            case .array(let a): return .bool(a.contains { $0.looselyEquals(l) })
            case .dictionary(let d): return .bool(d[l.text] != nil)
            case .string(let s), .html(let s): return .bool(s.contains(l.text))
            case .null: return .bool(false)
            default: throw fail("cannot look inside \(r.typeName) with 'in'", at: location, in: owner)
            }
        case "~":
            return .string(try joined(l.text, r.text, location, owner))
        case "+":
            switch (l, r) {
            case let (.array(a), .array(b)):
                guard a.count + b.count <= Self.maxArrayLength else {
                    throw fail("'+' would make a list of more than \(Self.maxArrayLength) items", at: location, in: owner)
                }
                return .array(a + b)
            case (.string, _), (_, .string), (.html, _), (_, .html):
                if l.numberValue == nil || r.numberValue == nil || l.stringValue != nil && r.stringValue != nil {
                    return .string(try joined(l.text, r.text, location, owner))
                }
            default: break
            }
            fallthrough
        default:
            guard let a = l.numberValue, let b = r.numberValue else {
                throw fail("'\(op)' needs numbers, got \(l.typeName) and \(r.typeName)", at: location, in: owner)
            }
            switch op {
            case "+": return .number(a + b)
            case "-": return .number(a - b)
            case "*": return .number(a * b)
            case "/":
                guard b != 0 else { throw fail("division by zero", at: location, in: owner) }
                return .number(a / b)
            case "%":
                guard b != 0 else { throw fail("division by zero", at: location, in: owner) }
                return .number(a.truncatingRemainder(dividingBy: b))
            default: throw fail("unknown operator '\(op)'", at: location, in: owner)
            }
        }
    }

    /// `a + b` for strings, within `maxOutputBytes` (`{% set s = s ~ s %}` doubles).
    private func joined(_ a: String, _ b: String, _ location: SourceLocation, _ owner: Template) throws -> String {
        guard a.utf8.count + b.utf8.count <= Self.maxOutputBytes else {
            throw fail("joining these strings would make more than \(Self.maxOutputBytes >> 20) MiB of text", at: location, in: owner)
        }
        return a + b
    }

    private func call(_ name: String, _ argumentExprs: [Expression], _ location: SourceLocation, _ owner: Template) throws -> Value {
        switch name {
        case "super":
            guard let current = blockStack.last else { throw fail("'super()' is only allowed inside a block", at: location, in: owner) }
            guard let level = current.chain.indices.dropFirst(current.level + 1).first(where: { current.chain[$0].blocks[current.name] != nil }) else {
                throw fail("block '\(current.name)' has no parent block to call with 'super()'", at: location, in: owner)
            }
            return .html(try renderAside { out in try renderBlock(current.name, chain: current.chain, level: level, into: &out) })
        case "caller":
            guard let caller = callerStack.last else { throw fail("'caller()' is only allowed inside a macro used with 'call'", at: location, in: owner) }
            callerStack.removeLast()
            defer { callerStack.append(caller) }
            return .html(try renderAside { out in try scoped { try render(caller.body, owner: caller.owner, chain: [caller.owner], into: &out) } })
        case "range":
            let numbers = try argumentExprs.map { expr -> Int in
                guard let n = try evaluate(expr, owner).numberValue, abs(n) < 100_000 else {
                    throw fail("range() takes whole numbers below 100,000", at: location, in: owner)
                }
                return Int(n)
            }
            let (lo, hi) = numbers.count >= 2 ? (numbers[0], numbers[1]) : (0, numbers.first ?? 0)
            return .array(lo < hi ? (lo..<hi).map { .number(Double($0)) } : [])
        case "__is_defined", "__is_undefined", "__is_none", "__is_null":
            tolerant += 1
            let defined = try isDefined(argumentExprs[0], owner)
            tolerant -= 1
            if name == "__is_defined" { return .bool(defined) }
            if name == "__is_undefined" { return .bool(!defined) }
            tolerant += 1
            defer { tolerant -= 1 }
            return .bool(try evaluate(argumentExprs[0], owner).isNull)
        default:
            if macros[name] == nil, let function = environment.functions[name] {
                let arguments = try argumentExprs.map { try evaluate($0, owner) }
                do {
                    return try function(TemplateCall(arguments: arguments, location: location))
                } catch let error as DiagnosticError {
                    throw failure(of: name, error.diagnostics, at: location, in: owner)
                } catch let error as Diagnostic {
                    throw failure(of: name, [error], at: location, in: owner)
                }
            }
            guard let (macro, macroOwner) = macros[name] else {
                let hint = SourceText.didYouMean(name, in: Array(macros.keys) + Array(environment.functions.keys) + ["super", "caller", "range"])
                throw fail("unknown macro or function '\(name)'\(hint)", at: location, in: owner)
            }
            guard argumentExprs.count <= macro.parameters.count else {
                throw fail("macro '\(name)' takes \(macro.parameters.count) arguments, got \(argumentExprs.count)", at: location, in: owner)
            }
            depth += 1
            defer { depth -= 1 }
            guard depth <= Self.maxDepth else { throw fail("macro '\(name)' calls itself too deeply", at: location, in: owner) }
            var scope: [String: Value] = [:]
            for (i, parameter) in macro.parameters.enumerated() {
                if i < argumentExprs.count {
                    scope[parameter.name] = try evaluate(argumentExprs[i], owner)
                } else if let d = parameter.defaultValue {
                    scope[parameter.name] = try evaluate(d, macroOwner)
                } else {
                    scope[parameter.name] = .null
                }
            }
            return .html(try renderAside { out in try scoped(scope) { try render(macro.body, owner: macroOwner, chain: [macroOwner], into: &out) } })
        }
    }

    private func isDefined(_ expr: Expression, _ owner: Template) throws -> Bool {
        switch expr {
        case .variable(let name, _): return scopes.contains { $0[name] != nil }
        case .member(let base, let key, _):
            guard try isDefined(base, owner) else { return false }
            let value = try evaluate(base, owner)
            if case .dictionary(let d) = value { return d[key] != nil }
            return false
        default: return true
        }
    }

    // MARK: Errors

    /// An unknown variable: an error in strict mode, otherwise empty with one warning per
    /// name and place (conditions and `default` inputs are allowed to be undefined).
    private func undefined(_ name: String, at location: SourceLocation, _ owner: Template) throws -> Value {
        if tolerant > 0 { return .null }
        if environment.strict { throw fail("unknown variable '\(name)'", at: location, in: owner) }
        environment.warnings?.add(diagnostic("unknown variable '\(name)' (rendered as empty)", severity: .warning, at: location, in: owner))
        return .null
    }

    private func fail(_ message: String, at location: SourceLocation?, in owner: Template? = nil) -> RenderError {
        RenderError(diagnostic: diagnostic(message, severity: .error, at: location, in: owner ?? frames.last?.template))
    }

    /// A function's errors, reported at its call: the first message in the headline; where
    /// it points elsewhere (a dataset's line, say), that place, and every further error
    /// whole, as notes ahead of the include chain.
    private func failure(of function: String, _ inner: [Diagnostic], at location: SourceLocation, in owner: Template) -> RenderError {
        guard let first = inner.first else { return fail("\(function)() failed", at: location, in: owner) }
        var notes: [String] = []
        if let at = first.location, at != location { notes.append("from \(at)") }
        notes += first.notes
        notes += inner.dropFirst().map(\.headline)
        return RenderError(diagnostic: diagnostic("\(function)(): \(first.message)", severity: .error, at: location, in: owner, notes: notes))
    }

    private func diagnostic(_ message: String, severity: Diagnostic.Severity, at location: SourceLocation?, in owner: Template?,
                            notes inner: [String] = []) -> Diagnostic {
        let template = location.flatMap { library.byPath[$0.path] } ?? owner
        var notes = inner
        for frame in frames.reversed() {
            // An error in a parent template names the templates that extend it.
            if let path = notes.isEmpty ? location?.path : nil, let k = frame.chain.firstIndex(where: { $0.path == path }), k > 0 {
                for i in stride(from: k - 1, through: 0, by: -1) { notes.append("extended by \(frame.chain[i].path)") }
            }
            if let l = frame.location { notes.append("included from \(l)") }
        }
        return Diagnostic(severity, message, at: location, sourceLine: location.flatMap { template?.line($0.line) }, notes: notes)
    }
}

/// A render failure carrying its finished diagnostic up through nested renders.
struct RenderError: Error {
    var diagnostic: Diagnostic
}
