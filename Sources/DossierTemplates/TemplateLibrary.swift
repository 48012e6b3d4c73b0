import DossierCore
import Foundation

/// Every template of a site, parsed once. Loading reads files; rendering never does.
public final class TemplateLibrary: Sendable {
    public let templates: [String: Template]
    let byPath: [String: Template]

    /// Checks that every `extends`/`import` target exists and that no template extends
    /// itself through its parents; reports every problem found.
    public init(templates: [Template]) throws(DiagnosticError) {
        var map: [String: Template] = [:]
        for t in templates { map[t.name] = t }
        self.templates = map
        self.byPath = Dictionary(templates.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        var problems: [Diagnostic] = []
        for t in templates.sorted(by: { $0.name < $1.name }) {
            var seen: [String] = [t.name]
            var current = t
            while let parent = current.parent {
                guard let next = map[parent.name] else {
                    let hint = SourceText.didYouMean(parent.name, in: map.keys)
                    problems.append(Diagnostic.error("'\(current.name)' extends '\(parent.name)', which does not exist\(hint)", at: parent.location,
                                                     sourceLine: current.line(parent.location.line)))
                    break
                }
                if seen.contains(parent.name) {
                    if current.name == t.name || seen.first == parent.name {
                        problems.append(Diagnostic.error(
                            "'\(t.name)' extends itself through \(seen.joined(separator: " → ")) → \(parent.name)",
                            at: parent.location, sourceLine: current.line(parent.location.line)))
                    }
                    break
                }
                seen.append(parent.name)
                current = next
            }
        }
        guard problems.isEmpty else { throw DiagnosticError(problems) }
    }

    /// Loads every `*.html`, `*.xml`, `*.txt` and `*.json` template under `directory`,
    /// skipping `assets/`. `displayPrefix` is how paths appear in messages (`Templates`).
    public static func load(directory: URL, displayPrefix: String) throws(DiagnosticError) -> TemplateLibrary {
        var parsed: [Template] = []
        var problems: [Diagnostic] = []
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DiagnosticError(.error("cannot read the templates folder \(displayPrefix)"))
        }
        // Confined like Content/: a template that is a link out of the folder (to
        // /etc/passwd, say) would otherwise be read and published.
        let listing = FileTree.files(under: directory.path, extensions: ["html", "xml", "txt", "json"])
        for (name, reason) in listing.skipped where !(name.hasPrefix("assets/") || name == "assets") {
            problems.append(.error(FileTree.explain(reason, displayPrefix + "/" + name), at: SourceLocation(path: displayPrefix + "/" + name, line: 1)))
        }
        let files = listing.files.filter { !$0.hasPrefix("assets/") }.map { ($0, directory.appendingPathComponent($0)) }
        for (name, url) in files.sorted(by: { $0.0 < $1.0 }) {
            let path = displayPrefix + "/" + name
            guard let source = FileText.read(url.path) else {
                problems.append(.error("cannot read the template (is it UTF-8?)", at: SourceLocation(path: path, line: 1)))
                continue
            }
            do {
                parsed.append(try Template(name: name, path: path, source: source))
            } catch {
                problems += error.diagnostics
            }
        }
        let library: TemplateLibrary
        do {
            library = try TemplateLibrary(templates: parsed)
        } catch {
            throw DiagnosticError(problems + error.diagnostics)
        }
        guard problems.isEmpty else { throw DiagnosticError(problems) }
        return library
    }

    public func template(named name: String) -> Template? { templates[name] }

    /// Renders template `name` with `context` (top-level variables such as `site`, `page`).
    public func render(_ name: String, context: [String: Value], environment: RenderEnvironment = RenderEnvironment()) throws(DiagnosticError) -> String {
        try renderer(name, context: context, environment: environment).renderRoot(templates[name]!)
    }

    /// As `render`, with where each stretch of the output came from.
    public func renderMapped(_ name: String, context: [String: Value],
                             environment: RenderEnvironment = RenderEnvironment()) throws(DiagnosticError) -> (html: String, map: OutputMap) {
        let renderer = try renderer(name, context: context, environment: environment)
        let html = try renderer.renderRoot(templates[name]!, mapped: true)
        return (html, renderer.map!)
    }

    private func renderer(_ name: String, context: [String: Value], environment: RenderEnvironment) throws(DiagnosticError) -> Renderer {
        guard templates[name] != nil else {
            let hint = SourceText.didYouMean(name, in: templates.keys)
            throw DiagnosticError(.error("no template named '\(name)'\(hint)"))
        }
        return Renderer(library: self, environment: environment, globals: context)
    }

    /// The templates `name` uses, itself included, in a fixed order (by name): a position
    /// in it names a template compactly, and stays valid while the page's layout digest
    /// (which covers these templates) is unchanged.
    public func templatesUsed(by name: String) -> [Template] {
        dependencies(of: name).sorted().compactMap { templates[$0] }
    }

    /// The templates `name` depends on, transitively (itself included).
    public func dependencies(of name: String) -> Set<String> {
        var result: Set<String> = []
        var queue = [name]
        while let next = queue.popLast() {
            guard result.insert(next).inserted, let t = templates[next] else { continue }
            queue += t.dependencies
        }
        return result
    }
}
