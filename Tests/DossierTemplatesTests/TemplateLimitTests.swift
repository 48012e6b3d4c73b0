import DossierCore
import Dispatch
import DossierTemplates
import Testing

/// Hostile templates: each case once overflowed the stack, hung or exhausted memory; each
/// must now fail with a located error, fast. Rendered on a worker thread, as builds do.
@Suite struct TemplateLimitTests {
    static func repeated(_ piece: String, _ n: Int) -> String { String(repeating: piece, count: n) }

    static let cases: [(name: String, templates: [String: String], message: String, line: Int)] = [
        ("20,000-term + chain", ["main.html": "x\n{{ 1" + repeated(" + 1", 20_000) + " }}"], "expression too long", 2),
        ("20,000-term ~ chain", ["main.html": "{{ 'a'" + repeated(" ~ 'a'", 20_000) + " }}"], "expression too long", 1),
        ("20,000-term and chain", ["main.html": "{% if true" + repeated(" and true", 20_000) + " %}{% endif %}"], "expression too long", 1),
        ("20,000 member lookups", ["main.html": "{{ page" + repeated(".a", 20_000) + " }}"], "expression too long", 1),
        ("10,000 chained filters", ["main.html": "{{ 'x'" + repeated(" | upper", 10_000) + " }}"], "expression too long", 1),
        ("deep negation", ["main.html": "{{ " + repeated("-", 5_000) + "1 }}"], "expression", 1),
        ("deep parentheses", ["main.html": "{{ " + repeated("(", 5_000) + "1" + repeated(")", 5_000) + " }}"], "nested too deeply", 1),
        ("deep not", ["main.html": "{{ " + repeated("not ", 5_000) + "1 }}"], "nested too deeply", 1),
        ("string doubling", ["main.html": "{% set s = 'abcdefgh' %}" + repeated("{% set s = s ~ s %}", 40) + "{{ s | length }}"], "MiB of text", 1),
        ("list doubling", ["main.html": "{% set s = [1, 2] %}" + repeated("{% set s = s + s %}", 40) + "{{ s | length }}"], "items", 1),
        ("macro fan-out", ["main.html": "{% macro f(n) %}{% if n > 0 %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(60) }}"],
         "steps of work", 1),
        ("include fan-out", [
            "main.html": "{% include 'a.html' %}",
            "a.html": repeated("{% include 'b.html' %}", 30), "b.html": repeated("{% include 'c.html' %}", 30),
            "c.html": repeated("{% include 'd.html' %}", 30), "d.html": repeated("{% include 'e.html' %}", 30),
            "e.html": repeated("{% for i in range(1000) %}{{ i }}{% endfor %}", 30),
        ], "steps of work", 1),
        ("output growth", ["main.html": "{% for i in range(99999) %}{% for j in range(99999) %}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx{% endfor %}{% endfor %}"], "MiB of text", 1),
        ("replace growth", ["main.html": "{% set s = 'a' %}" + repeated("{% set s = s | replace: 'a', 'aaaaaaaaaa' %}", 12) + "{{ s | length }}"], "MiB", 1),
    ]

    @Test(arguments: cases.indices)
    func hostileTemplateFailsWithALocatedError(_ i: Int) throws {
        let c = Self.cases[i]
        let result = Self.onWorkerThread { () -> Result<String, DiagnosticError> in
            do throws(DiagnosticError) {
                var parsed: [Template] = []
                for (name, source) in c.templates.sorted(by: { $0.key < $1.key }) {
                    parsed.append(try Template(name: name, path: "Templates/" + name, source: source))
                }
                return .success(try TemplateLibrary(templates: parsed).render("main.html", context: ["page": .dictionary([:])]))
            } catch {
                return .failure(error)
            }
        }
        guard case .failure(let error) = result else {
            Issue.record("\(c.name): rendered instead of failing")
            return
        }
        let d = try #require(error.diagnostics.first)
        #expect(d.severity == .error)
        if !c.message.isEmpty { #expect(d.message.contains(c.message), "\(c.name): \(d.message)") }
        let location = try #require(d.location, "\(c.name): no location")
        #expect(location.path.hasPrefix("Templates/"))
        if !c.message.isEmpty { #expect(location.line == c.line, "\(c.name)") }
    }

    /// Expressions just within the bounds still render, on a worker thread's stack.
    @Test func longestAllowedExpressionsRender() throws {
        let plus = "{{ 0" + Self.repeated(" + 1", 499) + " }}"
        let filters = "{{ 'x'" + Self.repeated(" | upper", 499) + " }}"
        var nested = "x"
        for _ in 0..<60 { nested = "{% if true %}" + nested + "{% endif %}" }
        let deep = nested
        let result = Self.onWorkerThread { () -> String in
            (try? render(["main.html": plus + "|" + filters + "|" + deep])) ?? "failed"
        }
        #expect(result == "499|X|x")
    }

    /// The deepest render the bounds allow — bodies nested 199 levels through includes,
    /// each level evaluating a long expression — fits a worker thread's stack.
    @Test func deepestAllowedRenderFitsAWorkerThread() throws {
        func nested(_ levels: Int, around inner: String) -> String {
            var text = inner
            for _ in 0..<levels { text = "{% if 0" + Self.repeated(" + 1", 40) + " %}" + text + "{% endif %}" }
            return text
        }
        let templates = [
            "main.html": nested(95, around: "{% include 'b.html' %}"),
            "b.html": nested(95, around: "{% include 'c.html' %}"),
            "c.html": nested(4, around: "{{ 'deep' | upper }}"),
        ]
        let result = Self.onWorkerThread { () -> String in
            do throws(DiagnosticError) { return try render(templates) } catch { return "\(error)" }
        }
        #expect(result == "DEEP")
        var deeper = templates
        deeper["c.html"] = nested(20, around: "x")
        let deeperTemplates = deeper
        let tooDeep = Self.onWorkerThread { () -> String in
            do throws(DiagnosticError) { return try render(deeperTemplates) } catch { return error.diagnostics.first?.message ?? "" }
        }
        #expect(tooDeep.contains("nest more than 200 levels"))
    }

    static func onWorkerThread<T: Sendable>(_ body: @escaping @Sendable () -> T) -> T {
        nonisolated(unsafe) var result: T?
        DispatchQueue.concurrentPerform(iterations: 2) { i in if i == 1 { result = body() } }
        return result!
    }
}
