import DossierCore

extension TemplateLibrary {
    /// The fields through which a template reads other pages than its own: `site.pages`,
    /// `site.tags`, `page.prev`, `page.next` (`page.tags` is the page's own).
    static func isListField(_ root: String, _ name: String) -> Bool {
        (root == "site" && (name == "pages" || name == "tags")) || (root == "page" && (name == "prev" || name == "next"))
    }

    /// Whether rendering the template `name` can read the list of pages — conservatively:
    /// true when it or anything it extends, includes or imports reads one of those fields,
    /// uses `site` or `page` whole (printed, filtered, passed on, looped over, assigned) or
    /// with a computed key, or includes a template whose name is computed. A page whose
    /// layout does not is unaffected by edits to other pages, which is what lets a rebuild
    /// skip it.
    public func readsPageLists(_ name: String) -> Bool { usage(of: name).readsLists }

    /// Whether rendering `name` can read a dataset: `data`, `site.data`, `chart()` or
    /// `table()`, `site` whole — anywhere in what it extends, includes or imports.
    public func readsData(_ name: String) -> Bool { usage(of: name).readsData }

    /// The names of every template rendering `name` can use, itself included; nil when
    /// that is any template (one is included by a computed name).
    public func templatesUsed(by name: String) -> Set<String>? {
        let usage = usage(of: name)
        return usage.dynamicInclude ? nil : usage.templates
    }

    /// A digest of every template that rendering `name` can use (all of them when one is
    /// included by a computed name): a page need not be rendered again while it holds.
    public func dependencyDigest(_ name: String) -> String {
        let usage = usage(of: name)
        let names = usage.dynamicInclude ? Set(templates.keys) : usage.templates
        let text = names.sorted().map { "\($0) \(templates[$0]?.digest ?? "missing")" }.joined(separator: "\n")
        return SHA256.hex(text.utf8)
    }

    /// What `name` and the templates it reaches read, and which templates those are.
    func usage(of name: String) -> TemplateUsage {
        var result = TemplateUsage()
        var pending = [name]
        while let next = pending.popLast() {
            guard result.templates.insert(next).inserted else { continue }
            guard let template = templates[next] else {  // unknown: assume the worst
                result.readsLists = true; result.readsData = true; result.dynamicInclude = true
                continue
            }
            var scan = UsageScan()
            scan.visit(template.nodes)
            for body in template.blocks.values { scan.visit(body) }
            for macro in template.macros.values {
                scan.visit(macro.body)
                for parameter in macro.parameters { if let d = parameter.defaultValue { scan.visit(d) } }
            }
            result.readsLists = result.readsLists || scan.usage.readsLists
            result.readsData = result.readsData || scan.usage.readsData
            result.dynamicInclude = result.dynamicInclude || scan.usage.dynamicInclude
            pending += template.dependencies
            if let parent = template.parent { pending.append(parent.name) }
        }
        if result.dynamicInclude { result.readsLists = true; result.readsData = true }
        return result
    }
}

/// What a template (and what it reaches) reads.
struct TemplateUsage {
    var readsLists = false
    var readsData = false
    var dynamicInclude = false
    var templates: Set<String> = []
}

/// Walks a template's tree noting reads of the page lists and of data.
private struct UsageScan {
    var usage = TemplateUsage()

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
            if case .literal(.string) = target {} else { usage.dynamicInclude = true }  // a computed name: any template
            for (_, e) in parameters { visit(e) }
        case .callBlock(let e, let body, _): visit(e); visit(body)
        }
    }

    mutating func visit(_ e: Expression) {
        switch e {
        case .literal: break
        case .variable(let name, _):
            // `site` or `page` on its own, not as the base of a member: used whole.
            if name == "site" { usage.readsLists = true; usage.readsData = true }
            if name == "page" { usage.readsLists = true }
            if name == "data" { usage.readsData = true }
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
            if name == "chart" || name == "table" { usage.readsData = true }
            arguments.forEach { visit($0) }
        }
    }

    private mutating func field(_ root: String, _ name: String) {
        if TemplateLibrary.isListField(root, name) { usage.readsLists = true }
        if root == "data" || (root == "site" && name == "data") { usage.readsData = true }
    }
}
