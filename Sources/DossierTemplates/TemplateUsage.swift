import DossierCore

extension TemplateLibrary {
    /// What rendering the template `name` can read and call, found by walking its tree and
    /// those of everything it extends, includes or imports — conservatively: a template
    /// included by a computed name could be any template and read anything. The engine
    /// reports variable paths and function names; what they mean to a site (which read the
    /// page lists, which read data) is the site's business.
    public func usage(of name: String) -> TemplateUsage {
        var scan = UsageScan()
        var reached: Set<String> = []
        var pending = [name]
        while let next = pending.popLast() {
            guard reached.insert(next).inserted else { continue }
            guard let template = templates[next] else {  // unknown: assume the worst
                scan.readsAnything = true
                continue
            }
            scan.visit(template.nodes)
            for body in template.blocks.values { scan.visit(body) }
            for macro in template.macros.values {
                scan.visit(macro.body)
                for parameter in macro.parameters { if let d = parameter.defaultValue { scan.visit(d) } }
            }
            pending += template.dependencies
            if let parent = template.parent { pending.append(parent.name) }
        }
        let used = scan.readsAnything ? Set(templates.keys) : reached
        let digest = SHA256.hex(used.sorted().map { "\($0) \(templates[$0]?.digest ?? "missing")" }.joined(separator: "\n").utf8)
        return TemplateUsage(paths: scan.paths, functions: scan.functions, readsAnything: scan.readsAnything,
                             templates: scan.readsAnything ? nil : reached, digest: digest)
    }
}

/// What rendering a template can read and use.
public struct TemplateUsage: Sendable {
    /// The context variables it reads: `["site", "title"]` for `site.title` (a field read
    /// directly, by name), `["site"]` for `site` used whole (printed, filtered, passed on,
    /// looped over, assigned, or indexed with a computed key).
    public var paths: Set<[String]>
    /// The functions it calls by name.
    public var functions: Set<String>
    /// It includes a template by a computed name (or one that does not exist): it may
    /// read and call anything.
    public var readsAnything: Bool
    /// Every template it can use, itself included; nil when that is any template.
    public var templates: Set<String>?
    /// A digest of the sources of those templates: a page need not be rendered again
    /// while it holds.
    public var digest: String

    /// Whether it can read `root.field` — directly, or through `root` used whole.
    public func reads(_ root: String, _ field: String? = nil) -> Bool {
        if readsAnything || paths.contains([root]) { return true }
        if let field { return paths.contains([root, field]) }
        return paths.contains { $0.first == root }
    }
}

/// Walks a template's tree noting the variable paths it reads and the functions it calls.
private struct UsageScan {
    var paths: Set<[String]> = []
    var functions: Set<String> = []
    var readsAnything = false

    mutating func visit(_ nodes: [Node]) {
        for node in nodes { visit(node) }
    }

    mutating func visit(_ node: Node) {
        switch node {
        case .text, .block, .macroDefinition, .importMacros: break
        case .output(let e, _): visit(e)
        case .conditional(let branches, let otherwise):
            for branch in branches { visit(branch.condition); visit(branch.body) }
            if let otherwise { visit(otherwise) }
        case .loop(_, let sequence, let body, let otherwise, _):
            visit(sequence); visit(body)
            if let otherwise { visit(otherwise) }
        case .assign(_, let e, _): visit(e)
        case .capture(_, let body): visit(body)
        case .include(let target, let parameters, _):
            if case .literal(.string) = target {} else { readsAnything = true }  // a computed name: any template
            for (_, e) in parameters { visit(e) }
        case .callBlock(let e, let body, _): visit(e); visit(body)
        }
    }

    mutating func visit(_ e: Expression) {
        switch e {
        case .literal: break
        case .variable(let name, _):
            paths.insert([name])  // on its own, not as the base of a member: used whole
        case .member(let base, let name, _):
            if case .variable(let root, _) = base {
                paths.insert([root, name])  // `site.title`, `page.content`: one field, read directly
                return
            }
            visit(base)
        case .index(let base, let key, _):
            if case .variable(let root, _) = base {
                if case .literal(.string(let name)) = key { paths.insert([root, name]) } else { paths.insert([root]); visit(key) }
                return
            }
            visit(base); visit(key)
        case .array(let items): items.forEach { visit($0) }
        case .dictionary(let pairs): pairs.forEach { visit($0.1) }
        case .unary(_, let operand, _): visit(operand)
        case .binary(_, let l, let r, _): visit(l); visit(r)
        case .filter(let base, _, let arguments, _): visit(base); arguments.forEach { visit($0) }
        case .call(let name, let arguments, _):
            functions.insert(name)
            arguments.forEach { visit($0) }
        }
    }
}
