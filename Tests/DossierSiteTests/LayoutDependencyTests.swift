import DossierCore
@testable import DossierSite
import DossierTemplates
import Testing

/// Which layouts can see other pages: the build cache re-renders only those when the list
/// of pages changes, so a wrong "no" would leave stale lists on the site.
@Suite struct ListDependencyTests {
    @Test(arguments: [
        ("{{ page.title }} {{ page.content }} {{ page.tags | join: \", \" }} {{ site.title }}", false),
        ("{% for p in site.pages %}{{ p.title }}{% endfor %}", true),
        ("{{ site.tags | length }}", true),
        ("{{ page.prev.title }}", true),
        ("{% if page.next %}next{% endif %}", true),
        ("{{ site[\"pages\"] | length }}", true),
        ("{% set s = site %}{{ s.title }}", true),  // site used whole: anything goes
        ("{{ page | json }}", true),
        ("{{ site[key] }}", true),
        ("{% include name %}", true),  // a computed template name
        ("{% include \"partial.html\" %}", true),  // the partial lists pages
        ("{% extends \"lists.html\" %}{% block b %}{{ page.title }}{% endblock %}", true),  // the parent does
        ("{% extends \"plain.html\" %}{% block b %}{{ page.title }}{% endblock %}", false),
        ("{% macro m(x) %}{{ x.title }}{% endmacro %}{{ m(page) }}", true),  // page passed on whole
        ("{% for row in data.scores.rows %}{{ row.tags }}{% endfor %}", false),
    ])
    func readsPageLists(source: String, expected: Bool) throws {
        let library = try TemplateLibrary(templates: [
            try Template(name: "main.html", path: "Templates/main.html", source: source),
            try Template(name: "partial.html", path: "Templates/partial.html", source: "{% for p in site.pages %}{{ p.url }}{% endfor %}"),
            try Template(name: "lists.html", path: "Templates/lists.html", source: "{% block b %}{% endblock %}{{ page.next.url }}"),
            try Template(name: "plain.html", path: "Templates/plain.html", source: "<main>{% block b %}{% endblock %}</main>"),
        ])
        #expect(LayoutDependencies(library.usage(of: "main.html")).readsPageLists == expected)
    }
}

/// Which layouts read data, and which templates a layout's digest covers.
@Suite struct LayoutDependencyTests {
    static func library(_ main: String, partial: String = "<p>{{ page.title }}</p>", other: String = "x") throws -> TemplateLibrary {
        try TemplateLibrary(templates: [
            try Template(name: "main.html", path: "Templates/main.html", source: main),
            try Template(name: "partial.html", path: "Templates/partial.html", source: partial),
            try Template(name: "other.html", path: "Templates/other.html", source: other),
        ])
    }

    @Test(arguments: [
        ("{{ page.title }}", false),
        ("{{ data.scores.title }}", true),
        ("{{ site.data.scores.title }}", true),
        ("{{ chart({data: \"scores\", type: \"bar\"}) }}", true),
        ("{% for d in data %}{{ d }}{% endfor %}", true),
        ("{{ site | json }}", true),
        ("{% include \"partial.html\" %}", false),
        ("{% include name %}", true),
    ])
    func readsData(source: String, expected: Bool) throws {
        #expect(LayoutDependencies(try Self.library(source).usage(of: "main.html")).readsData == expected)
    }

    @Test func digestCoversWhatTheLayoutUses() throws {
        let main = "{% include \"partial.html\" %}"
        let base = try Self.library(main).usage(of: "main.html").digest
        #expect(try Self.library(main, other: "changed").usage(of: "main.html").digest == base)
        #expect(try Self.library(main, partial: "changed").usage(of: "main.html").digest != base)
        #expect(try Self.library(main + " ").usage(of: "main.html").digest != base)
        // A computed include may reach any template.
        let dynamic = "{% include name %}"
        #expect(try Self.library(dynamic, other: "changed").usage(of: "main.html").digest != (try Self.library(dynamic).usage(of: "main.html").digest))
    }
}
