import DossierCore

extension TemplateLibrary {
    /// The fields through which a template reads other pages than its own: `site.pages`,
    /// `site.tags`, `page.prev`, `page.next` (`page.tags` is the page's own).
    static func isListField(_ root: String, _ name: String) -> Bool {
        (root == "site" && (name == "pages" || name == "tags")) || (root == "page" && (name == "prev" || name == "next"))
    }

    /// What rendering the template `name` can read and use, found by walking its tree and
    /// those of everything it extends, includes or imports — conservatively: a template
    /// included by a computed name could be any template and read anything. This is the
    /// dependency graph incremental rebuilds use (`SiteSession`, the build cache).
    public func usage(of name: String) -> TemplateUsage {
        var readsLists = false, readsData = false, dynamicInclude = false
        var reached: Set<String> = []
        var pending = [name]
        while let next = pending.popLast() {
            guard reached.insert(next).inserted else { continue }
            guard let template = templates[next] else {  // unknown: assume the worst
                dynamicInclude = true
                continue
            }
            var scan = UsageScan()
            scan.visit(template.nodes)
            for body in template.blocks.values { scan.visit(body) }
            for macro in template.macros.values {
                scan.visit(macro.body)
                for parameter in macro.parameters { if let d = parameter.defaultValue { scan.visit(d) } }
            }
            readsLists = readsLists || scan.readsLists
            readsData = readsData || scan.readsData
            dynamicInclude = dynamicInclude || scan.dynamicInclude
            pending += template.dependencies
            if let parent = template.parent { pending.append(parent.name) }
        }
        let used = dynamicInclude ? Set(templates.keys) : reached
        let digest = SHA256.hex(used.sorted().map { "\($0) \(templates[$0]?.digest ?? "missing")" }.joined(separator: "\n").utf8)
        return TemplateUsage(readsPageLists: readsLists || dynamicInclude, readsData: readsData || dynamicInclude,
                             templates: dynamicInclude ? nil : reached, digest: digest)
    }
}

/// What rendering a template can read and use.
public struct TemplateUsage: Sendable {
    /// It can read other pages than its own: `site.pages`, `site.tags`, `page.prev`,
    /// `page.next` — or `site` or `page` whole (printed, filtered, passed on, looped over,
    /// assigned) or with a computed key. A page whose layout cannot is unaffected by
    /// edits to other pages, which is what lets a rebuild skip it.
    public var readsPageLists: Bool
    /// It can read a dataset: `data`, `site.data`, `chart()` or `table()`, `site` whole.
    public var readsData: Bool
    /// Every template it can use, itself included; nil when that is any template.
    public var templates: Set<String>?
    /// A digest of the sources of those templates: a page need not be rendered again
    /// while it holds.
    public var digest: String
}

/// Walks a template's tree noting reads of the page lists and of data.
private struct UsageScan {
    var readsLists = false, readsData = false, dynamicInclude = false

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
            if case .literal(.string) = target {} else { dynamicInclude = true }  // a computed name: any template
            for (_, e) in parameters { visit(e) }
        case .callBlock(let e, let body, _): visit(e); visit(body)
        }
    }

    mutating func visit(_ e: Expression) {
        switch e {
        case .literal: break
        case .variable(let name, _):
            // `site` or `page` on its own, not as the base of a member: used whole.
            if name == "site" { readsLists = true; readsData = true }
            if name == "page" { readsLists = true }
            if name == "data" { readsData = true }
        case .member(let base, let name, _):
            if case .variable(let root, _) = base {
                // `site.title`, `page.content`: one field, read directly.
                field(root, name)
                return
            }
            visit(base)
        case .index(let base, let key, _):
            if case .literal(.string(let name)) = key {
                if case .variable(let root, _) = base {
                    field(root, name)
                    return
                }
            } else if case .variable(let root, _) = base, root == "site" || root == "page" || root == "data" {
                visit(base)  // `site[key]`: any field, as if used whole
                return
            }
            visit(base); visit(key)
        case .array(let items): items.forEach { visit($0) }
        case .dictionary(let pairs): pairs.forEach { visit($0.1) }
        case .unary(_, let operand, _): visit(operand)
        case .binary(_, let l, let r, _): visit(l); visit(r)
        case .filter(let base, _, let arguments, _): visit(base); arguments.forEach { visit($0) }
        case .call(let name, let arguments, _):
            if name == "chart" || name == "table" { readsData = true }
            arguments.forEach { visit($0) }
        }
    }

    private mutating func field(_ root: String, _ name: String) {
        if TemplateLibrary.isListField(root, name) { readsLists = true }
        if root == "data" || (root == "site" && name == "data") { readsData = true }
    }
}
