import DossierCore
@testable import DossierSite
import Foundation
import Testing

/// The pieces the pipeline keeps its state in.
@Suite struct PipelinePartsTests {
    /// Past its memory budget the store spills to its scratch file and reads back the
    /// same text, replacements included.
    @Test func markdownStoreSpillsAndReadsBack() {
        let store = MarkdownStore(memoryLimit: 100)
        var rng = SplitMix64(seed: 11)
        var expected: [String: String] = [:]
        for i in 0..<200 {
            let html = "<p>page \(i) é한 " + String(repeating: "x", count: Int(rng.next() % 300)) + "</p>"
            store.put(html, for: "Content/p\(i % 150).md\u{0}")
            expected["Content/p\(i % 150).md\u{0}"] = html
        }
        for (key, html) in expected { #expect(store.html(for: key) == html, "\(key)") }
        store.put("", for: "empty")
        #expect(store.html(for: "empty") == "")
        store.remove("empty")
        #expect(store.html(for: "empty") == nil && !store.contains("empty"))
    }

    @Test func undoableMapRollsBackWhatARunChanged() {
        var map = UndoableMap(["a": 1, "b": 2])
        map.begin()
        map["a"] = 10
        map["a"] = 11
        map["c"] = 3
        map["b"] = nil
        #expect(map.dictionary == ["a": 11, "c": 3])
        map.rollBack()
        #expect(map.dictionary == ["a": 1, "b": 2])
        map.begin()
        map.replaceAll(["z": 0])
        map["y"] = 1
        map.rollBack()
        #expect(map.dictionary == ["a": 1, "b": 2])
        map.begin()
        map["a"] = 5
        map.commit()
        map.rollBack()  // nothing to undo after a commit
        #expect(map.dictionary == ["a": 5, "b": 2])
    }

    @Test func undoableArrayRollsBackWhatARunChanged() {
        var array = UndoableArray([1, 2, 3])
        array.begin()
        array[0] = 10
        array[0] = 11
        array[2] = 30
        #expect(Array(array) == [11, 2, 30])
        array.rollBack()
        #expect(Array(array) == [1, 2, 3])
        array.begin()
        array.replaceAll([9])
        array[0] = 8
        array.rollBack()
        #expect(Array(array) == [1, 2, 3])
    }

    @Test(arguments: [
        // base URL, URL in, relative_url, absolute_url
        ("https://example.org/", "/a/", "/a/", "https://example.org/a/"),
        ("https://example.org/briefing/", "/a/", "/briefing/a/", "https://example.org/briefing/a/"),
        ("https://example.org/briefing/", "a/b.csv", "/briefing/a/b.csv", "https://example.org/briefing/a/b.csv"),
        ("https://example.org/briefing/", "/briefing/a/", "/briefing/a/", "https://example.org/briefing/a/"),
        ("https://example.org/briefing/", "#x", "#x", "#x"),
        ("https://example.org/briefing/", "mailto:a@b.c", "mailto:a@b.c", "mailto:a@b.c"),
        ("https://example.org/briefing/", "//cdn.example/x", "//cdn.example/x", "//cdn.example/x"),
        ("/", "/a/", "/a/", "/a/"),
        ("/sub/", "/a/", "/sub/a/", "/sub/a/"),
    ])
    func siteURLs(base: String, url: String, relative: String, absolute: String) {
        let urls = SiteURLs(baseURL: base)
        #expect(urls.relative(url) == relative)
        #expect(urls.absolute(url) == absolute)
    }

    @Test func siteURLsForTheLinkChecker() {
        let urls = SiteURLs(baseURL: "https://example.org/briefing/")
        #expect(urls.basePath == "/briefing" && urls.origin == "https://example.org" && urls.absoluteRoot == "https://example.org/briefing")
        #expect(urls.target(ofRootRelative: "/briefing/a/") == .site("/a/"))
        #expect(urls.target(ofRootRelative: "/briefing") == .site(""))
        #expect(urls.target(ofRootRelative: "/briefingx/") == .outside)
        #expect(urls.markdownLink("/data/x.csv") == "/briefing/data/x.csv" && urls.markdownLink("x.csv") == "x.csv")
        #expect(urls.asWritten("/briefing/data/x.csv") == "/data/x.csv")
        #expect(urls.dataDownload("scores", format: "json") == "/briefing/data/scores.json")
        #expect(SiteURLs(baseURL: "/").absoluteRoot == nil)
    }

    @Test func idListsAreSetsSearchedByHalves() {
        var rng = SplitMix64(seed: 5)
        let ids = (0..<500).map { _ in "id-\(rng.next() % 200)" }
        let list = IDList(ids)
        #expect(list.sorted == Array(Set(ids)).sorted())
        for i in 0..<250 { #expect(list.contains("id-\(i)") == ids.contains("id-\(i)")) }
        #expect(!IDList([]).contains(""))
    }
}

/// The manifest is streamed; it must read exactly as the JSON writer would write it.
@Suite struct ManifestTextTests {
    @Test(arguments: [[:], ["a.html": "00ff"], ["b/é.html": "1", "a \"q\".html": "2", "z\u{2028}.txt": "3"]] as [[String: String]])
    func streamedManifestEqualsTheJSONWriters(files: [String: String]) {
        let expected = JSONText.encode(.dictionary(["generator": .string("dossier"), "files": .dictionary(files.mapValues(Value.string))]), pretty: true) + "\n"
        #expect(Manifest(files: files).json == expected)
    }
}
