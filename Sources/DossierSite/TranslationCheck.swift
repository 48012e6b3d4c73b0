import DossierCore
import DossierMarkdown

/// `dossier check` in a site of several languages: a page without a version in one of the
/// site's languages, and a page whose Markdown links to a page in another language — to
/// one that has a version in its own (the link should go there) or one that has none (the
/// reader leaves their language).
enum TranslationCheck {
    static func warnings(pages: [Page], links: (Page) -> [LinkReference], config: SiteConfig) -> [Diagnostic] {
        let languages = config.languages
        guard languages.isMultilingual else { return [] }
        var groups: [String: [Page]] = [:]
        for page in pages { groups[page.translationKey, default: []].append(page) }
        var byURL: [String: Page] = [:]
        for page in pages { byURL[page.url] = page }
        func name(_ code: String) -> String {
            let n = languages.language(code)?.name ?? code
            return n == code ? code : "\(n) (\(code))"
        }
        var found: [Diagnostic] = []
        for key in groups.keys.sorted() {
            let group = groups[key]!
            let have = Set(group.map(\.language))
            let page = group.first { $0.language == languages.defaultCode } ?? group.min { $0.sourcePath < $1.sourcePath }!
            for code in languages.codes where !have.contains(code) {
                var hint = ""
                if !key.hasPrefix("key:") {
                    let expected = code == languages.defaultCode ? key : String(key.dropLast(3)) + "." + code + ".md"
                    hint = ": add Content/\(expected)"
                } else {
                    hint = ": add a page with 'translation_key: \(key.dropFirst(4))'"
                }
                found.append(.warning("this page has no \(name(code)) translation\(hint)", at: SourceLocation(path: page.sourcePath, line: 1)))
            }
        }
        for page in pages.sorted(by: { $0.sourcePath < $1.sourcePath }) {
            var seen: Set<String> = []
            for link in links(page) where !link.isImage && seen.insert(link.url).inserted {
                var path = config.urls.asWritten(link.url)
                guard path.hasPrefix("/"), !path.hasPrefix("//") else { continue }
                if let cut = path.firstIndex(where: { $0 == "#" || $0 == "?" }) { path = String(path[..<cut]) }
                guard let target = byURL[path], target.language != page.language else { continue }
                if let own = groups[target.translationKey]?.first(where: { $0.language == page.language }) {
                    found.append(.warning("this \(name(page.language)) page links to the \(name(target.language)) page \(path); its \(name(page.language)) version is \(own.url)",
                                          at: link.location))
                } else {
                    found.append(.warning("this \(name(page.language)) page links to \(path), which has no \(name(page.language)) translation (\(target.sourcePath))",
                                          at: link.location))
                }
            }
        }
        return found
    }
}
