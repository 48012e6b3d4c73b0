import DossierCore
import DossierMarkdown
import DossierTemplates
import Foundation
import Testing

/// Runs every example in docs/templates.md: each ```` ```template ```` block must render to
/// the ```` ```output ```` block after it (or fail with the message after `ERROR `).
@Suite struct DocumentationExampleTests {
    struct Block {
        var info: String
        var body: String
        var line: Int
    }

    static func blocks() throws -> [Block] {
        let url = FlagshipTests.repository.appendingPathComponent("docs/templates.md")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        var blocks: [Block] = []
        var i = 0
        while i < lines.count {
            if lines[i].hasPrefix("```") && lines[i].count > 3 && !lines[i].hasPrefix("````") {
                let info = String(lines[i].dropFirst(3))
                let start = i + 1
                var j = start
                while j < lines.count && lines[j] != "```" { j += 1 }
                blocks.append(Block(info: info, body: lines[start..<j].joined(separator: "\n"), line: i + 1))
                i = j + 1
            } else {
                i += 1
            }
        }
        return blocks
    }

    struct Example: CustomTestStringConvertible {
        var template: Block
        var output: Block
        var testDescription: String { "docs/templates.md:\(template.line)" }
    }

    static func examples() throws -> (context: [String: Value], partials: [Template], examples: [Example]) {
        let all = try blocks()
        var context: [String: Value] = [:]
        var partials: [Template] = []
        var examples: [Example] = []
        for (k, block) in all.enumerated() {
            if block.info == "context" {
                context = try YAMLReader.parse(block.body, path: "docs/templates.md").value.dictionaryValue ?? [:]
            } else if block.info.hasPrefix("template ") {
                let name = String(block.info.dropFirst("template ".count))
                partials.append(try Template(name: name, path: name, source: block.body))
            } else if block.info == "template", k + 1 < all.count, all[k + 1].info == "output" {
                examples.append(Example(template: block, output: all[k + 1]))
            }
        }
        return (context, partials, examples)
    }

    @Test func documentHasExamplesForEveryFilterAndTag() throws {
        let (_, partials, examples) = try Self.examples()
        let text = (examples.map(\.template.body) + partials.map(\.name)).joined(separator: "\n")
        #expect(examples.count >= 20)
        for filter in Filters.names where filter != "e" && filter != "size" {
            #expect(text.contains("| \(filter)"), "docs/templates.md has no example of the '\(filter)' filter")
        }
        let allSources = try Self.blocks().map(\.body).joined(separator: "\n")
        for tag in ["if", "elif", "else", "for", "set", "include", "extends", "block", "raw", "macro", "call", "import"] {
            #expect(allSources.contains("{% \(tag)") || allSources.contains("{%- \(tag)"), "no example of the '\(tag)' tag")
        }
    }

    @Test(arguments: try examples().examples)
    func exampleRendersAsDocumented(example: Example) throws {
        let (context, partials, _) = try Self.examples()
        let environment = RenderEnvironment(baseURL: "https://example.org/briefing/", markdown: { MarkdownRenderer.renderFragment($0) })
        let expected = example.output.body
        do {
            let main = try Template(name: "main.html", path: "main.html", source: example.template.body)
            let library = try TemplateLibrary(templates: partials + [main])
            let out = try library.render("main.html", context: context, environment: environment)
            #expect(trimmed(out) == trimmed(expected))
        } catch {
            let message = error.diagnostics.first?.message ?? ""
            #expect("ERROR " + message == expected)
        }
    }

    func trimmed(_ s: String) -> String {
        var s = s
        while s.hasSuffix("\n") { s.removeLast() }
        return s
    }
}
