import DossierCore
import DossierSite
import DossierTestSupport
import Foundation
import Testing

/// The bundled briefing says nothing its source does not (#18): every number it states is
/// listed here with where it comes from, and every ordinal cell it publishes keeps the
/// source's phrase.
@Suite struct FlagshipClaimsTests {
    /// Where a number comes from.
    enum Evidence: Sendable {
        /// Words the source prints (checked against `../shared/seed/source-article.txt`
        /// where that file is, beside the repository).
        case source(String)
        /// What the shipped data says, computed from it (our scale is our reading; the
        /// briefing says so wherever it uses it).
        case data(@Sendable (Adoption) throws -> Bool)
    }

    /// The sector ratings as the shipped CSV gives them, placed on the four-step scale.
    struct Adoption: Sendable {
        var levels: [String]
        /// Sector → country → step (0-based).
        var steps: [String: [String: Int]]
        func gap(_ sector: String) -> Int {
            let row = steps[sector]!
            return row.values.max()! - row["South Korea"]!
        }
    }

    /// Each claim: a pattern over the briefing's prose (case-insensitive) that covers one
    /// or more numbers, and its evidence.
    static let claims: [(pattern: String, evidence: Evidence)] = [
        (#"\$150 billion"#, .source("investing over $150 billion annually")),
        (#"three (obstacles|pressures)"#, .source("Key challenges include:\n- Deficit of Skilled Professionals")),
        (#"three areas"#, .source("three pivotal areas")),
        (#"(all )?(the )?three (industry )?sectors"#, .data { $0.steps.count == 3 }),
        (#"four-step"#, .data { $0.levels.count == 4 }),
        (#"two steps behind in two sectors"#, .data { a in a.steps.keys.filter { a.gap($0) == 2 }.count == 2 }),
        (#"two steps behind (the leading country )?in healthcare and manufacturing"#,
         .data { $0.gap("Healthcare services") == 2 && $0.gap("Manufacturing & automation") == 2 }),
        (#"trail (the leading country )?by two steps"#, .data { $0.gap("Healthcare services") == 2 && $0.gap("Manufacturing & automation") == 2 }),
        (#"one step behind in\s+financial technology|financial technology trails by one step"#,
         .data { $0.gap("Financial technology (FinTech)") == 1 }),
        (#"manufacturing is at the\s+first step"#, .data { $0.steps["Manufacturing & automation"]!["South Korea"] == 0 }),
        (#"korean healthcare is at the second step"#, .data { $0.steps["Healthcare services"]!["South Korea"] == 1 }),
        (#"manufacturing is at the first step where the united states is at\s+the third"#,
         .data { $0.steps["Manufacturing & automation"]!["United States"] == 2 }),
    ]

    /// The Korean edition's claims (#18): the same facts, in its words.
    static let koreanClaims: [(pattern: String, evidence: Evidence)] = [
        (#"1,500억 달러"#, .source("investing over $150 billion annually")),
        (#"세 가지"#, .source("Key challenges include:\n- Deficit of Skilled Professionals")),
        (#"세 분야"#, .source("three pivotal areas")),
        (#"세 부문"#, .data { $0.steps.count == 3 }),
        (#"4단계"#, .data { $0.levels.count == 4 }),
        (#"두 부문에서 두 단계"#, .data { a in a.steps.keys.filter { a.gap($0) == 2 }.count == 2 }),
        (#"의료와 제조는 (각각|모두) (선두 국가보다 )?두 단계"#, .data { $0.gap("Healthcare services") == 2 && $0.gap("Manufacturing & automation") == 2 }),
        (#"의료와 제조에서 (선두 국가보다 )?두 단계"#, .data { $0.gap("Healthcare services") == 2 && $0.gap("Manufacturing & automation") == 2 }),
        (#"금융 기술(에서|은) 한 단계"#, .data { $0.gap("Financial technology (FinTech)") == 1 }),
        (#"제조는 첫 단계"#, .data { $0.steps["Manufacturing & automation"]!["South Korea"] == 0 }),
        (#"한국 의료는 두 번째 단계"#, .data { $0.steps["Healthcare services"]!["South Korea"] == 1 }),
        (#"미국은 세 번째 단계"#, .data { $0.steps["Manufacturing & automation"]!["United States"] == 2 }),
    ]

    /// A number in Korean prose: digits, or a number word standing as a word of its own
    /// (한 단계, 두 부문, 첫 단계; not the 한 of 한국 or of 비교한).
    nonisolated(unsafe) static let koreanNumbers = try! NSRegularExpression(pattern: #"\d[\d,.]*|(?<![가-힣])(한|두|세|네|첫)(?= )|(?<![가-힣])(하나|둘|셋|넷)(?![가-힣])"#)

    /// The numbers a sentence can state: digits, and the number words up to four.
    nonisolated(unsafe) static let numbers = try! NSRegularExpression(pattern: #"\$?\d[\d,.]*|\b(one|two|three|four|first|second|third)\b"#, options: [.caseInsensitive])

    /// The briefing's prose: its pages' Markdown without front matter keys that are not
    /// prose, footnote labels, list numbers, links' addresses and fenced blocks' data keys.
    static func prose(_ pages: [String] = ["index.md", "briefing.md", "data.md"], korean: Bool = false) throws -> String {
        var text = ""
        for page in pages {
            let markdown = try String(contentsOf: FlagshipTests.repository.appendingPathComponent("Content/" + page), encoding: .utf8)
            for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if ["date:", "weight:", "updated:", "data:", "label:", "type:", "sort:", "---"].contains(where: { trimmed.hasPrefix($0) }) { continue }
                var kept = String(line)
                kept = kept.replacingOccurrences(of: #"\[\^[a-z-]+\]:?"#, with: "", options: .regularExpression)
                kept = kept.replacingOccurrences(of: #"^\s*\d+\.\s"#, with: "", options: .regularExpression)
                kept = kept.replacingOccurrences(of: #"\]\([^)]*\)"#, with: "]", options: .regularExpression)
                text += kept + "\n"
            }
        }
        // Lines broken in the Markdown are one sentence.
        return text.replacingOccurrences(of: korean ? #"\n[ \t]*(?=[가-힣(“"‘])"# : #"\n(?=[a-z(“"])"#, with: " ", options: .regularExpression)
            .replacingOccurrences(of: "\n> ", with: " ")
    }

    static func adoption() throws -> Adoption {
        let levels = ["Nascent", "Intermediate", "Advanced", "Pioneering"]
        let synonyms: [String: Int] = ["Nascent Stage": 0, "Intermediate Adoption": 1, "Moderate Integration": 1,
                                       "Advanced Deployment": 2, "Advanced Integration": 2, "Pioneering Implementation": 3]
        let csv = try String(contentsOf: FlagshipTests.repository.appendingPathComponent("Content/data/sector-adoption.csv"), encoding: .utf8)
        let rows = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        var steps: [String: [String: Int]] = [:]
        for row in rows.dropFirst() {
            for (i, country) in rows[0].enumerated().dropFirst() { steps[row[0], default: [:]][country] = try #require(synonyms[row[i]], "\(row[i])") }
        }
        return Adoption(levels: levels, steps: steps)
    }

    @Test func everyNumberTheBriefingStatesIsBacked() throws {
        try Self.check(Self.claims, in: Self.prose(), numbers: Self.numbers)
    }

    @Test func everyNumberTheKoreanEditionStatesIsBacked() throws {
        try Self.check(Self.koreanClaims, in: Self.prose(["index.ko.md", "briefing.ko.md", "data.ko.md"], korean: true), numbers: Self.koreanNumbers)
    }

    /// Each claim is in the prose and borne out; every number in the prose is in a claim.
    static func check(_ claims: [(pattern: String, evidence: Evidence)], in prose: String, numbers: NSRegularExpression) throws {
        let range = NSRange(prose.startIndex..., in: prose)
        var covered: [NSRange] = []
        for (pattern, evidence) in claims {
            let regex = try NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
            let hits = regex.matches(in: prose, range: range).map(\.range)
            #expect(!hits.isEmpty, "the claim '\(pattern)' is no longer in the briefing: drop it from the list")
            covered += hits
            switch evidence {
            case .source(let words):
                let path = FlagshipTests.repository.deletingLastPathComponent().appendingPathComponent("shared/seed/source-article.txt")
                if let source = try? String(contentsOf: path, encoding: .utf8) {
                    #expect(source.contains(words), "the source does not say '\(words)'")
                }
            case .data(let check):
                #expect(try check(Self.adoption()), "the data does not bear out '\(pattern)'")
            }
        }
        for number in numbers.matches(in: prose, range: range) {
            let text = (prose as NSString).substring(with: number.range)
            let context = (prose as NSString).substring(with: NSRange(location: max(0, number.range.location - 50), length: min(100, prose.utf16.count - max(0, number.range.location - 50))))
            #expect(covered.contains { NSIntersectionRange($0, number.range).length == number.range.length },
                    "'\(text)' is not backed by a listed claim: …\(context)…")
        }
    }

    /// Every ordinal cell in the downloads keeps the source's own phrase beside its level,
    /// and the JSON carries the scale's editorial note and its phrase-to-level mapping.
    @Test func theDownloadsKeepTheSourcesWords() throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-claims-\(UUID().uuidString)")
        TemporaryFolders.removeAtExit(output)
        var options = BuildOptions(site: FlagshipTests.repository, output: output, strict: true)
        options.offline = true
        _ = try SiteBuilder.build(options)
        let shipped = try String(contentsOf: FlagshipTests.repository.appendingPathComponent("Content/data/sector-adoption.csv"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let published = try String(contentsOf: output.appendingPathComponent("data/sector-adoption.csv"), encoding: .utf8)
            .split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(published.count == shipped.count)
        for (r, row) in shipped.enumerated().dropFirst() {
            for (c, country) in shipped[0].enumerated().dropFirst() {
                let wording = try #require(published[0].firstIndex(of: country + " (source wording)"))
                #expect(published[r][wording] == row[c], "\(row[0]), \(country)")
                #expect(published[r][wording - 1] != "", "\(row[0]), \(country) has its level")
            }
        }
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: output.appendingPathComponent("data/sector-adoption.json"))) as? [String: Any])
        let rows = try #require(json["rows"] as? [[String: Any]])
        for (r, row) in shipped.enumerated().dropFirst() {
            for (c, country) in shipped[0].enumerated().dropFirst() { #expect(rows[r - 1][country + " (source wording)"] as? String == row[c]) }
        }
        let scale = try #require((json["scales"] as? [String: Any])?["adoption"] as? [String: Any])
        #expect((scale["note"] as? String)?.contains("our editorial reading") == true)
        let levels = try #require(scale["levels"] as? [[String: Any]])
        #expect(levels.map { $0["name"] as? String } == ["Nascent", "Intermediate", "Advanced", "Pioneering"])
        #expect(levels[1]["source_phrases"] as? [String] == ["Intermediate Adoption", "Moderate Integration"])
        // The data page shows the mapping.
        let page = try String(contentsOf: output.appendingPathComponent("data/index.html"), encoding: .utf8)
        #expect(page.contains("<tr><td>“Moderate Integration”</td><td>Intermediate</td></tr>"))
    }
}
