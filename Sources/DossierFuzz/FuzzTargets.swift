import DossierCharts
import DossierCite
import DossierCore
import DossierData
import DossierPreview
import DossierSite
import DossierTemplates
import Foundation

/// The inputs an outsider controls, as fuzz targets: each takes any bytes and must return
/// (an error is a fine answer; a crash, hang or runaway allocation is a defect). Run by
/// libFuzzer through `dossier-fuzz` (`make fuzz`), and as a seeded smoke in the tests.
public enum FuzzTargets {
    public struct Target: Sendable {
        public var name: String
        /// Inputs to start from (and to mutate in the smoke).
        public var seeds: [String]
        public var run: @Sendable ([UInt8]) -> Void
    }

    public static let all: [Target] = [frontMatter, csv, templates, chartSpec, httpRequest, bibliography]

    public static func named(_ name: String) -> Target? { all.first { $0.name == name } }

    /// Front matter and the YAML reader behind it (aliases, nesting, scalars of every kind).
    public static let frontMatter = Target(
        name: "front-matter",
        seeds: [
            "---\ntitle: A\ndate: 2025-01-02\ntags: [a, b]\n---\n\nBody.\n",
            "---\ntitle: &t \"Q\"\nsummary: *t\nauthors:\n  - X\n  - Y\nweight: 2.5\n---\n",
            "---\ntitle: x\nnested: {a: [1, {b: 2}], c: ~}\nlong: |\n  text\n---\n",
            "+++\ntitle = 1\n+++\n", "---\r\ntitle: crlf\r\n---\r\n",
        ],
        run: { bytes in
            guard let text = String(validating: bytes, as: UTF8.self) else { return }
            _ = try? FrontMatter.parse(text, path: "Content/fuzz.md")
        })

    /// A bibliography (BibTeX, else CSL JSON/YAML), its reference list in both styles, and
    /// the citation syntax over the same bytes.
    public static let bibliography = Target(
        name: "bibliography",
        seeds: [
            "@string{j = {J. Pol.}}\n@article{k, author = {M{\\\"u}ller, J. and {OECD}}, title = {A {AI} Title}, journal = j # { X}, year = 2020, pages = {101--19}}\n",
            "@book{b, editor = {van Beethoven, Ludwig}, title = {T}, date = {2024-02-30}}\n@comment{x}\n",
            "[{\"id\": \"a\", \"type\": \"report\", \"title\": \"R\", \"issued\": {\"date-parts\": [[2020, 5]]}}]",
            "See [@a, p. 1; -@b] and @c [ch. 2].",
        ],
        run: { bytes in
            guard let text = String(validating: bytes, as: UTF8.self) else { return }
            var references = BibTeX.parse(text, path: "r.bib").references
            if references.isEmpty { references = CSLData.parse(text, path: "r.json").references }
            for style in CitationStyle.allCases {
                let processor = CitationProcessor(library: Library(references), style: style, path: "x.md", listAll: true)
                for m in CitationSyntax.find(in: text) {
                    _ = processor.render(Citation(items: m.items, narrative: m.narrative, location: SourceLocation(path: "x.md", line: 1)))
                }
                _ = processor.referenceListHTML()
            }
            for r in references { _ = ReferenceExport.bibtex(r); _ = ReferenceExport.ris(r) }
        })

    /// The CSV reader and dataset validation, then every chart kind drawn from the result.
    public static let csv = Target(
        name: "csv",
        seeds: [
            "Name,A,B\nx,1,2\ny,3,\nz,-1.5,1e3\n", "Name,A,B\n\"q,\"\"uoted\",1,2\r\nw,Low,High\r\n",
            "\u{FEFF}Year,V\n2020,1\n2021,2\n", "Name,A,B\nx,1.7e308,-1.7e308\ny,5e-324,0\n",
        ],
        run: { bytes in
            guard let text = String(validating: bytes, as: UTF8.self) else { return }
            let files = ["Content/data/f.csv": text, "Content/data/f.yaml": "title: F\nsource: { name: Fuzz }\n",
                         "Content/data/scales.yaml": "level:\n  levels: [Low, Mid, High]\n"]
            guard let catalog = try? DataCatalog.load(files: files), let dataset = catalog.datasets["f"] else { return }
            let columns = dataset.columns.map(\.name)
            for kind in ChartSpec.Kind.allCases {
                var spec = ChartSpec(kind: kind, data: "f")
                if kind == .dumbbell, columns.count >= 3 { spec.from = columns[1]; spec.to = .column(columns[2]) }
                if kind == .line, columns.count >= 2 { spec.x = columns[0] }
                draw(spec, dataset: dataset, scales: catalog.scales)
            }
        })

    /// The template lexer, parser and renderer, with a context of every value type.
    public static let templates = Target(
        name: "templates",
        seeds: [
            "{% extends \"base.html\" %}{% block main %}{{ page.title | upper }}{% endblock %}",
            "{% for x in list %}{{ loop.index }}{{ x ~ '!' }}{% else %}none{% endfor %}",
            "{% macro m(a, b=2) %}{{ a + b }}{% endmacro %}{{ m(1) }}{% set s = 'ab' %}{{ s * 2 }}",
            "{% if n > 1 and not missing %}{{ n | round: 2 }}{% elif x %}{% endif %}{# c #}{% raw %}{{ }}{% endraw %}",
            "{% include \"partial.html\" with a=1 %}{{ page | json }}{{ 'x' | replace: 'x', 'yy' | truncate: 3 }}",
        ],
        run: { bytes in
            guard let text = String(validating: bytes, as: UTF8.self) else { return }
            let context: [String: Value] = [
                "page": .dictionary(["title": "Title <b>", "tags": ["a", "b"], "n": 3]), "list": [1, "two", .null, ["x": 1]],
                "n": 2.5, "flag": true, "html": .html("<i>x</i>"),
            ]
            var parsed: [Template] = []
            for (name, source) in [("main.html", text), ("base.html", "<b>{% block main %}{% endblock %}</b>"), ("partial.html", "[{{ a }}]")] {
                if let t = try? Template(name: name, path: "Templates/" + name, source: source) { parsed.append(t) }
            }
            guard let library = try? TemplateLibrary(templates: parsed), library.template(named: "main.html") != nil else { return }
            _ = try? library.render("main.html", context: context, environment: RenderEnvironment(strict: false, baseURL: "/sub/"))
        })

    /// A chart or table block's YAML, resolved against a fixed dataset and drawn.
    public static let chartSpec = Target(
        name: "chart-spec",
        seeds: [
            "data: d\ntype: heatmap\nhighlight: B\n", "data: d\ntype: dumbbell\nfrom: N1\nto: max\nsort: gap\n",
            "data: d\ntype: bar\nvalue: N1\nrows: [A, C]\norder: descending\n", "data: d\ntype: line\nx: Year\n",
            "data: d\ntype: grouped-bar\ncolumns: [N1, N2]\ntitle: T\ncaption: C\n", "data: d\ntype: table\n",
        ],
        run: { bytes in
            guard let text = String(validating: bytes, as: UTF8.self), let tree = try? YAMLReader.parse(text, path: "Content/f.md"),
                  let spec = try? ChartSpec.parse(tree, directive: "chart", sourceText: text) else { return }
            guard let fixture = chartFixture, let dataset = fixture.datasets["d"] else { return }
            draw(spec, dataset: dataset, scales: fixture.scales)
        })

    /// The preview's request parser, Host checks, routing and path confinement.
    public static let httpRequest = Target(
        name: "http-request",
        seeds: [
            "GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n", "GET /%2e%2e/etc/passwd HTTP/1.1\r\nHost: localhost:8080\r\n",
            "HEAD /a/b/?x=1 HTTP/1.0\r\nHost: [::1]:8080\r\nOrigin: http://evil\r\n",
            "GET /__dossier/events HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nOrigin: http://127.0.0.1:8080\r\n",
        ],
        run: { bytes in
            guard let server = previewServer else { return }
            _ = server.status(forRawHead: bytes)
        })

    private static func draw(_ spec: ChartSpec, dataset: Dataset, scales: [String: Scale]) {
        guard let figure = try? Figure(spec: spec, dataset: dataset, scales: scales, number: 1, csvURL: "/d.csv", jsonURL: "/d.json",
                                       at: SourceLocation(path: "Content/f.md", line: 1)) else { return }
        _ = FigureRenderer.html(figure)
    }

    private static let chartFixture: DataCatalog? = try? DataCatalog.load(files: [
        "Content/data/d.csv": "Name,Year,N1,N2,L1,L2\nA,2020,1,2.5,Low,High\nB,2021,-3,,Mid,Low\nC,2022,1e6,4,High,\n",
        "Content/data/d.yaml": "title: D\nsource: { name: Fuzz }\ncolumns:\n  L1: { type: ordinal, scale: level }\n  L2: { type: ordinal, scale: level }\n",
        "Content/data/scales.yaml": "level:\n  levels: [Low, Mid, High]\n",
    ])

    /// Serves an empty folder; bound once (port 0) and never started.
    private static let previewServer: PreviewServer? = {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-fuzz-root")
        try? FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try? "<p>x</p>".write(to: root.appendingPathComponent("index.html"), atomically: true, encoding: .utf8)
        return try? PreviewServer(root: root, port: 0)
    }()
}
