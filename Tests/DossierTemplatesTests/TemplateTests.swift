import DossierCore
import DossierTemplates
import Testing

/// Renders `templates[main]` from an in-memory library.
func render(_ templates: [String: String], _ main: String = "main.html", context: [String: Value] = [:],
            environment: RenderEnvironment = RenderEnvironment()) throws(DiagnosticError) -> String {
    var parsed: [Template] = []
    for (name, source) in templates.sorted(by: { $0.key < $1.key }) {
        parsed.append(try Template(name: name, path: "Templates/" + name, source: source))
    }
    return try TemplateLibrary(templates: parsed).render(main, context: context, environment: environment)
}

func renderError(_ templates: [String: String], context: [String: Value] = [:], strict: Bool = false) -> Diagnostic? {
    do {
        _ = try render(templates, context: context, environment: RenderEnvironment(strict: strict))
        return nil
    } catch {
        return error.diagnostics.first
    }
}

@Suite struct TemplateRenderingTests {
    static let cases: [(String, String, String)] = [
        ("escapes by default", "{{ x }}", "&lt;b&gt; &amp; &quot;q&quot; &#39;s&#39;"),
        ("html values are trusted", "{{ h }}", "<em>ok</em>"),
        ("safe skips escaping", "{{ x | safe }}", "<b> & \"q\" 's'"),
        ("member access", "{{ page.title }}", "Hello"),
        ("index access", "{{ list[1] }}/{{ list[-1] }}/{{ page[\"title\"] }}", "b/c/Hello"),
        ("if elif else", "{% if n > 5 %}big{% elif n > 1 %}mid{% else %}small{% endif %}", "mid"),
        ("and or not in", "{{ 'a' in list and not missing_ok }}|{{ none or 'fallback' }}", "true|fallback"),
        ("for with loop", "{% for x in list %}{{ loop.index }}{{ x }}{% if not loop.last %},{% endif %}{% endfor %}", "1a,2b,3c"),
        ("for else", "{% for x in empty %}x{% else %}none{% endfor %}", "none"),
        ("for key value", "{% for k, v in page %}{{ k }}={{ v }};{% endfor %}", "title=Hello;"),
        ("set", "{% set y = n * 2 + 1 %}{{ y }}", "7"),
        ("set block", "{% set y %}<i>{{ n }}</i>{% endset %}{{ y }}", "<i>3</i>"),
        ("filters chain", "{{ '  Mixed Case ' | trim | lower | replace: 'case', 'bag' }}", "mixed bag"),
        ("whitespace control", "a  {{- n -}}  b", "a3b"),
        ("comments", "a{# hidden #}b", "ab"),
        ("raw", "{% raw %}{{ not parsed }}{% endraw %}", "{{ not parsed }}"),
        ("arithmetic and concat", "{{ 7 % 4 }} {{ 1 / 4 }} {{ 'a' ~ n }}", "3 0.25 a3"),
        ("range", "{% for i in range(3) %}{{ i }}{% endfor %}", "012"),
        ("is defined", "{{ page is defined }} {{ nope is defined }} {{ page.nope is not defined }}", "true false true"),
    ]

    @Test(arguments: cases)
    func renders(name: String, source: String, expected: String) throws {
        let context: [String: Value] = [
            "x": "<b> & \"q\" 's'", "h": .html("<em>ok</em>"), "page": ["title": "Hello"],
            "list": ["a", "b", "c"], "n": 3, "empty": [], "missing_ok": false,
        ]
        #expect(try render(["main.html": source], context: context) == expected, "\(name)")
    }

    @Test func multiLevelInheritanceWithSuper() throws {
        let out = try render([
            "base.html": "<t>{% block title %}Site{% endblock %}</t><m>{% block main %}{% endblock %}</m>",
            "article.html": "{% extends \"base.html\" %}{% block title %}Article · {{ super() }}{% endblock %}{% block main %}A{% endblock %}",
            "main.html": "{% extends \"article.html\" %}{% set who = 'child' %}{% block main %}{{ super() }}+{{ who }}{% endblock %}",
        ])
        #expect(out == "<t>Article · Site</t><m>A+child</m>")
    }

    @Test func includeWithParameters() throws {
        let out = try render([
            "partials/card.html": "[{{ title }}|{{ page.title }}]",
            "main.html": "{% include \"partials/card.html\" with title = 'T' ~ n %}",
        ], context: ["page": ["title": "P"], "n": 1])
        #expect(out == "[T1|P]")
    }

    @Test func macrosImportAndCall() throws {
        let out = try render([
            "main.html": "{% macro em(x) %}<em>{{ x }}</em>{% endmacro %}{{ em('<a>') }}",
        ])
        #expect(out == "<em>&lt;a&gt;</em>")
        let called = try render([
            "m.html": "{% macro wrap(tag) %}<{{ tag }}>{{ caller() }}</{{ tag }}>{% endmacro %}",
            "main.html": "{% import \"m.html\" %}{% call wrap('p') %}inner {{ n }}{% endcall %}",
        ], context: ["n": 2])
        #expect(called == "<p>inner 2</p>")
    }
}

@Suite struct TemplateErrorTests {
    static let cases: [(String, String, String)] = [
        ("{{ x | uper }}", "main.html:1:8", "unknown filter 'uper' (did you mean 'upper'?)"),
        ("a\n{% iff x %}", "main.html:2:1", "unknown tag 'iff' (did you mean 'if'?)"),
        ("{% if x %}open", "main.html:1:1", "'{% if %}' is never closed with '{% endif %}'"),
        ("{{ x ", "main.html:1:1", "'{{' is never closed with '}}'"),
        ("{% endfor %}", "main.html:1:1", "'{% endfor %}' without a matching opening tag"),
        ("{{ 1 +* 2 }}", "main.html:1:7", "unexpected '*'"),
        ("{% for x in 3 %}{% endfor %}", "main.html:1:1", "cannot loop over a number ('expression')"),
        ("{{ 'x' | date }}", "main.html:1:10", "date: 'x' is not a date (expected YYYY-MM-DD or RFC 3339)"),
        ("{% include \"nope.html\" %}", "main.html:1:1", "cannot include 'nope.html': no such template"),
    ]

    @Test(arguments: cases)
    func reportsLocation(source: String, location: String, message: String) throws {
        let d = try #require(renderError(["main.html": source]))
        #expect(d.location?.description == "Templates/" + location)
        #expect(d.message == message)
        #expect(d.sourceLine != nil)
    }

    @Test func unknownVariablesWarnOnceOrFailWhenStrict() throws {
        let warnings = Diagnostics()
        let out = try render(["main.html": "[{{ missing }}][{{ missing }}]{% if also_missing %}x{% endif %}"],
                             environment: RenderEnvironment(warnings: warnings))
        #expect(out == "[][]")
        #expect(warnings.warnings.count == 2)  // two places, one warning each
        let strict = try #require(renderError(["main.html": "{{ missing }}"], strict: true))
        #expect(strict.message == "unknown variable 'missing'")
    }

    @Test func errorsInsideIncludesShowTheChain() throws {
        let d = try #require(renderError(["main.html": "line\n{% include \"p.html\" %}", "p.html": "{{ 1 / 0 }}"]))
        #expect(d.location?.description == "Templates/p.html:1:6")
        #expect(d.notes == ["included from Templates/main.html:2:1"])
    }

    @Test func recursionIsReportedNotOverflowed() throws {
        let d = try #require(renderError(["main.html": "{% include \"main.html\" %}"]))
        #expect(d.message.contains("more than 64 levels"))
        #expect(throws: DiagnosticError.self) {
            _ = try TemplateLibrary(templates: [
                try Template(name: "a.html", path: "Templates/a.html", source: "{% extends \"b.html\" %}"),
                try Template(name: "b.html", path: "Templates/b.html", source: "{% extends \"a.html\" %}"),
            ])
        }
    }

    @Test func deepNestingIsBounded() {
        let deep = String(repeating: "{% if x %}", count: 500) + String(repeating: "{% endif %}", count: 500)
        #expect(throws: DiagnosticError.self) { try Template(name: "d", path: "d", source: deep) }
        let parens = "{{ " + String(repeating: "(", count: 500) + "1" + String(repeating: ")", count: 500) + " }}"
        #expect(throws: DiagnosticError.self) { try Template(name: "d", path: "d", source: parens) }
    }

    /// Thousands of random and mutated templates: each must give output or a diagnostic,
    /// never a crash or a hang.
    @Test func fuzzedTemplatesNeverCrash() {
        var rng = SplitMix64(seed: 42)
        let pieces = ["{{", "}}", "{%", "%}", "{#", "#}", "if", "for", "x", "in", "endif", "endfor", "|", "upper", ":", "\"", "'",
                      "(", ")", "[", "]", ".", "-", "block", "extends", "raw", "endraw", " ", "\n", "a", "1", "==", "and", "not", "set", "="]
        let seeds = ["{% for a in xs %}{{ a | upper }}{% endfor %}", "{% if x == 1 %}{{ y[0] }}{% else %}z{% endif %}",
                     "{% block b %}{{ super() }}{% endblock %}", "{{ 'a' ~ b | default: 'c' }}"]
        var rendered = 0, refused = 0
        for i in 0..<3000 {
            var source: String
            if i % 2 == 0 {
                source = (0..<Int(rng.next() % 30)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            } else {
                var chars = Array(seeds[Int(rng.next() % UInt64(seeds.count))])
                for _ in 0..<3 where !chars.isEmpty {
                    let at = Int(rng.next() % UInt64(chars.count))
                    if rng.next() % 2 == 0 { chars.remove(at: at) } else { chars.insert(pieces[Int(rng.next() % UInt64(pieces.count))].first!, at: at) }
                }
                source = String(chars)
            }
            do {
                _ = try render(["main.html": source], context: ["xs": ["p"], "x": 1, "y": [2]])
                rendered += 1
            } catch {
                // Refused with a reason, located in the template, on a line it has.
                let lines = source.split(separator: "\n", omittingEmptySubsequences: false).count
                #expect(!error.diagnostics.isEmpty, "\(source)")
                for d in error.diagnostics {
                    #expect(d.location?.path == "Templates/main.html" && (1...lines).contains(d.location?.line ?? 0), "\(d) for \(source)")
                }
                refused += 1
            }
        }
        // The mix exercises both: a generator that only made valid (or only broken)
        // templates would test nothing.
        #expect(rendered > 300 && refused > 300, "\(rendered) rendered, \(refused) refused")
    }
}

/// Hostile data through every output context, with the exact bytes expected.
@Suite struct EscapingTests {
    static let corpus: [(String, String, String, String)] = [
        // (value, template, expected, context name)
        ("<script>alert(1)</script>", "<p>{{ v }}</p>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>", "text"),
        ("\"><img src=x onerror=alert(1)>", "<a title=\"{{ v }}\">", "<a title=\"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;\">", "double-quoted attribute"),
        ("' onmouseover='alert(1)", "<a title='{{ v }}'>", "<a title='&#39; onmouseover=&#39;alert(1)'>", "single-quoted attribute"),
        ("{{ secret }}{% if true %}x{% endif %}", "{{ v }}", "{{ secret }}{% if true %}x{% endif %}", "template syntax in data"),
        ("</script><script>alert(1)</script>", "<script>var d = {{ v | json }};</script>",
         "<script>var d = \"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e\";</script>", "script JSON"),
        ("/data/a b.csv?x=1&y=2", "<a href=\"{{ v | relative_url }}\">", "<a href=\"/base/data/a b.csv?x=1&amp;y=2\">", "URL attribute"),
        ("AI & <data>", "<a href=\"/search?q={{ v | url_encode }}\">", "<a href=\"/search?q=AI%20%26%20%3Cdata%3E\">", "URL component"),
    ]

    @Test(arguments: corpus)
    func escapes(value: String, source: String, expected: String, name: String) throws {
        let out = try render(["main.html": source], context: ["v": .string(value), "secret": "leaked"],
                             environment: RenderEnvironment(baseURL: "https://example.org/base/"))
        #expect(out == expected, "\(name)")
    }

    @Test(arguments: ["javascript:alert(1)", " JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "data:text/html,<script>", "vbscript:msgbox"])
    func unsafeURLsAreRefused(url: String) throws {
        for filter in ["relative_url", "absolute_url"] {
            do {
                _ = try render(["main.html": "{{ v | \(filter) }}"], context: ["v": .string(url)])
                Issue.record("\(filter) accepted \(url)")
            } catch {
                #expect(error.diagnostics.first?.message.contains("refusing the unsafe URL") == true)
            }
        }
    }

    @Test func errorsInParentsNameTheChildren() throws {
        let d = try #require(renderError([
            "base.html": "<main>{% block main %}{{ 1 / 0 }}{% endblock %}</main>",
            "main.html": "{% extends \"base.html\" %}",
        ]))
        #expect(d.location?.description == "Templates/base.html:1:28")
        #expect(d.notes == ["extended by Templates/main.html"])
    }

    @Test func functionsFromTheEnvironment() throws {
        let env = RenderEnvironment(functions: ["shout": { call in .string((call.arguments.first?.text ?? "").uppercased() + "!") }])
        #expect(try render(["main.html": "{{ shout('hi') }} {{ shout({a: 1}.a) }}"], environment: env) == "HI! 1!")
        let failing = RenderEnvironment(functions: ["bad": { _ in throw Diagnostic.error("no data") }])
        do {
            _ = try render(["main.html": "\n  {{ bad() }}"], environment: failing)
            Issue.record("expected an error")
        } catch {
            #expect(error.diagnostics.first?.headline == "Templates/main.html:2:6: error: bad(): no data")
        }
        // Several errors, located elsewhere: the first in the headline, the rest as notes.
        let located = RenderEnvironment(functions: ["load": { call in
            #expect(call.location == SourceLocation(path: "Templates/main.html", line: 1, column: 4))
            throw DiagnosticError([.error("bad row", at: SourceLocation(path: "Content/data/x.csv", line: 3, column: 2)),
                                   .warning("odd unit", at: SourceLocation(path: "Content/data/x.yaml", line: 1))])
        }])
        do {
            _ = try render(["main.html": "{{ load() }}"], environment: located)
            Issue.record("expected an error")
        } catch {
            let d = try #require(error.diagnostics.first)
            #expect(error.diagnostics.count == 1)
            #expect(d.headline == "Templates/main.html:1:4: error: load(): bad row")
            #expect(d.sourceLine == "{{ load() }}")
            #expect(d.notes == ["from Content/data/x.csv:3:2", "Content/data/x.yaml:1:1: warning: odd unit"])
        }
    }
}

/// What a template reads, as the engine reports it: variable paths and function names
/// (what they mean to a site is the site's business: `LayoutDependencies`).
@Suite struct TemplateUsageTests {
    @Test(arguments: [
        ("{{ page.title }} {{ site.title }}", [["page", "title"], ["site", "title"]], [String]()),
        ("{{ site[\"pages\"] | length }}", [["site", "pages"]], []),
        ("{{ site[key] }}", [["site"], ["key"]], []),
        ("{% set s = site %}{{ s.title }}", [["site"], ["s", "title"]], []),
        ("{{ chart({data: x}) }}", [["x"]], ["chart"]),
        ("{% for p in data.rows %}{{ p.a.b }}{% endfor %}", [["data", "rows"], ["p", "a"]], []),
    ])
    func reportsPathsAndFunctions(source: String, paths: [[String]], functions: [String]) throws {
        let library = try TemplateLibrary(templates: [try Template(name: "main.html", path: "Templates/main.html", source: source)])
        let usage = library.usage(of: "main.html")
        #expect(usage.paths == Set(paths))
        #expect(usage.functions == Set(functions))
        #expect(!usage.readsAnything)
    }

    @Test func computedIncludeReadsAnything() throws {
        let library = try TemplateLibrary(templates: [try Template(name: "main.html", path: "Templates/main.html", source: "{% include name %}")])
        #expect(library.usage(of: "main.html").readsAnything)
        #expect(library.usage(of: "main.html").templates == nil)
    }
}
