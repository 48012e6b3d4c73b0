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
    /// with a computed key, or includes a template whose name is computed. A page whose layout does not is unaffected by edits to other pages, which
    /// is what lets a rebuild skip it.
    public func readsPageLists(_ name: String) -> Bool {
        var pending = [name]
        var seen: Set<String> = []
        while let next = pending.popLast() {
            guard seen.insert(next).inserted else { continue }
            guard let template = templates[next] else { return true }  // unknown: assume the worst
            var scan = ListScan()
            scan.visit(template.nodes)
            for body in template.blocks.values { scan.visit(body) }
            for macro in template.macros.values {
                scan.visit(macro.body)
                for parameter in macro.parameters { if let d = parameter.defaultValue { scan.visit(d) } }
            }
            if scan.reads { return true }
            pending += template.dependencies
            if let parent = template.parent { pending.append(parent.name) }
        }
        return false
    }
}

/// Walks a template's tree looking for any read of the page lists.
private struct ListScan {
    var reads = false

    mutating func visit(_ nodes: [Node]) {
        for node in nodes where !reads { visit(node) }
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
            if case .literal(.string) = target {} else { reads = true }  // a computed name: any template
            for (_, e) in parameters { visit(e) }
        case .callBlock(let e, let body, _): visit(e); visit(body)
        }
    }

    mutating func visit(_ e: Expression) {
        if reads { return }
        switch e {
        case .literal: break
        case .variable(let name, _):
            // `site` or `page` on its own, not as the base of a member: used whole.
            if name == "site" || name == "page" { reads = true }
        case .member(let base, let name, _):
            if case .variable(let root, _) = base {
                // `site.title`, `page.content`: one field, read directly.
                if TemplateLibrary.isListField(root, name) { reads = true }
                return
            }
            visit(base)
        case .index(let base, let key, _):
            if case .literal(.string(let name)) = key {
                if case .variable(let root, _) = base {
                    if TemplateLibrary.isListField(root, name) { reads = true }
                    return
                }
            } else if case .variable(let root, _) = base, root == "site" || root == "page" {
                reads = true  // `site[key]`: any field
                return
            }
            visit(base); visit(key)
        case .array(let items): items.forEach { visit($0) }
        case .dictionary(let pairs): pairs.forEach { visit($0.1) }
        case .unary(_, let operand, _): visit(operand)
        case .binary(_, let l, let r, _): visit(l); visit(r)
        case .filter(let base, _, let arguments, _): visit(base); arguments.forEach { visit($0) }
        case .call(_, let arguments, _): arguments.forEach { visit($0) }
        }
    }
}
