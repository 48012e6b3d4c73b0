@testable import DossierCore
import Foundation
import Testing

@Suite struct SlugTests {
    @Test(arguments: [
        ("Why South Korea is slipping", "why-south-korea-is-slipping"),
        ("South Korea's AI divide", "south-koreas-ai-divide"),
        ("  R&D -- output!  ", "r-d-output"),
        ("한국의 AI 격차", "한국의-ai-격차"),
        ("***", ""),
    ])
    func slug(input: String, expected: String) {
        #expect(Slug.make(input) == expected)
    }

    @Test func uniqueAddsSuffixes() {
        var taken: Set<String> = []
        #expect(Slug.unique("a", taken: &taken) == "a")
        #expect(Slug.unique("a", taken: &taken) == "a-2")
        #expect(Slug.unique("a", taken: &taken) == "a-3")
        #expect(Slug.unique("", taken: &taken) == "section")
    }
}

@Suite struct DateTextTests {
    @Test(arguments: [
        ("2025-06-01", "2025-06-01T00:00:00Z"),
        ("2025-06-01T10:30:00Z", "2025-06-01T10:30:00Z"),
        ("2025-06-01T10:30:00+02:00", "2025-06-01T08:30:00Z"),
        ("2025-06-01 10:30", "2025-06-01T10:30:00Z"),
    ])
    func parses(input: String, iso: String) throws {
        let date = try #require(DateText.parse(input))
        #expect(DateText.iso8601(date) == iso)
    }

    @Test(arguments: ["2025-02-30", "2025-13-01", "June 1", "2025-06-01T25:00", ""])
    func rejects(input: String) {
        #expect(DateText.parse(input) == nil)
    }

    @Test func strftime() throws {
        let date = try #require(DateText.parse("2025-06-01"))
        #expect(DateText.strftime("%e %B %Y", date) == " 1 June 2025")
        #expect(DateText.strftime("%-d %b %Y (%A)", date) == "1 Jun 2025 (Sunday)")
    }
}

/// Date arithmetic agrees with Foundation's Gregorian calendar wherever it is used.
@Suite struct DateArithmeticTests {
    @Test func fieldsMatchTheCalendar() {
        var generator = SplitMix64(seed: 1600)
        let from = DateText.parse("1600-01-01")!.timeIntervalSince1970, to = DateText.parse("2400-12-31T23:59:59Z")!.timeIntervalSince1970
        var samples = (0..<3000).map { _ in Date(timeIntervalSince1970: Double.random(in: from...to, using: &generator).rounded(.down)) }
        samples += ["1970-01-01", "1969-12-31T23:59:59Z", "2000-02-29", "1900-03-01", "2024-12-31T23:59:59Z", "1600-01-01"].map { DateText.parse($0)! }
        for date in samples { #expect(DateText.fields(date) == DateText.calendarFields(date), "\(date)") }
    }

    @Test(arguments: [
        ("2024-02-29", true), ("2023-02-29", false), ("1900-02-29", false), ("2000-02-29", true), ("2025-04-31", false),
        ("2025-12-31T23:59:60Z", false), ("2025-06-01T10:30:60Z", true), ("1500-03-01", true),
    ])
    func validatesDays(text: String, valid: Bool) {
        #expect((DateText.parse(text) != nil) == valid)
    }

    @Test func parsesAsTheCalendarDid() {
        #expect(DateText.parse("2025-06-01T10:30:00+02:00")!.timeIntervalSince1970 == 1_748_766_600)
        #expect(DateText.parse("1970-01-01")!.timeIntervalSince1970 == 0)
        #expect(DateText.strftime("%A %-d %B %Y, day %j", DateText.parse("2024-12-31")!) == "Tuesday 31 December 2024, day 366")
    }
}

@Suite struct DiagnosticTests {
    @Test func rendersLikeACompiler() {
        let d = Diagnostic.error("unknown filter 'uper'", at: SourceLocation(path: "Templates/a.html", line: 3, column: 7),
                                 sourceLine: "<h1>{{ x | uper }}</h1>")
        #expect(d.description == """
            Templates/a.html:3:7: error: unknown filter 'uper'
                <h1>{{ x | uper }}</h1>
                      ^
            """)
    }

    @Test func suggestions() {
        #expect(SourceText.suggestion(for: "uper", in: ["upper", "lower"]) == "upper")
        #expect(SourceText.suggestion(for: "zzzz", in: ["upper", "lower"]) == nil)
    }

    @Test func numberFormatting() {
        #expect(NumberText.grouped(12500) == "12,500")
        #expect(NumberText.grouped(-1234.567, decimals: 2) == "-1,234.57")
        #expect(NumberText.grouped(-0.001, decimals: 1) == "0.0")
        #expect(Value.format(150_000_000_000) == "150000000000")
        #expect(Value.format(2.5) == "2.5")
    }

    @Test func jsonIsScriptSafe() {
        let v: Value = ["a": "</script><b>&'"]
        #expect(JSONText.scriptSafe(v) == #"{"a":"\u003c/script\u003e\u003cb\u003e\u0026\u0027"}"#)
    }
}

@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func knownDigests(input: String, digest: String) {
        #expect(SHA256.hex(Array(input.utf8)) == digest)
        #expect(SHA256.hex(Array(input.utf8), hardware: false) == digest)
    }

    /// The hardware and portable paths agree on every length around the block and padding
    /// boundaries, and on a long input (the hardware path is taken where the CPU has it).
    @Test func hardwareMatchesPortable() {
        var generator = SplitMix64(seed: 256)
        for length in Array(0...200) + [1_000, 4_095, 4_096, 65_537, 1_000_003] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(SHA256.hex(bytes) == SHA256.hex(bytes, hardware: false), "length \(length)")
        }
        // One million 'a's (FIPS 180-2, appendix B.3).
        #expect(SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}

@Suite struct HTMLTextTests {
    @Test(arguments: [
        ("no entities", "no entities"),
        ("a &lt;b&gt; &quot;c&quot; &#39;d&#39; &amp; e", "a <b> \"c\" 'd' & e"),
        ("&amp;lt; stays one level", "&lt; stays one level"),
        ("&nbsp;&copy; &unknown; & alone &", "&nbsp;&copy; &unknown; & alone &"),
        ("한국 &amp; AI", "한국 & AI"),
    ])
    func decodesTheBasicEntities(input: String, expected: String) {
        #expect(HTML.decodeBasicEntities(input) == expected)
    }

    /// Every occurrence, at the start, in the middle and at the very end, and none past it.
    @Test func scannerFindsEveryOccurrence() {
        let page = #"<a href="/x">1</a> <p>text</p> <a  href="/y"><a href="">z</a><img src="/i.png" href="/last">"#
        var values: [HTMLScanner.LinkAttribute: [String]] = [:]
        HTMLScanner.forEachAttribute(in: page) { (name: HTMLScanner.LinkAttribute, value: String) in values[name, default: []].append(value) }
        #expect(values[.href] == ["/x", "/y", "", "/last"])
        #expect(values[.src] == ["/i.png"])
        var seen: [String] = []
        HTMLScanner.forEachAttribute(in: page + #"<h2 id="a-b">t</h2><x data-id="no" xid="no" id=unquoted>"#) { name, value in
            seen.append("\(name)=\(value)")
        }
        #expect(seen == ["href=/x", "href=/y", "href=", "src=/i.png", "href=/last", "id=a-b"])
        #expect(HTMLScanner.find(Array("ab".utf8), in: Array("xxab".utf8), from: 2) == 2)
        #expect(HTMLScanner.find(Array("ab".utf8), in: Array("xxab".utf8), from: 3) == nil)
        #expect(HTMLScanner.find(Array("ab".utf8), in: Array("a".utf8)) == nil)
        #expect(HTMLScanner.replacing("&", with: "&amp;", in: "a&b&") == "a&amp;b&amp;")
    }
}

/// Characters XML forbids are replaced wherever they stand, on either side of the
/// eight-byte fast path's boundaries; everything else is kept byte for byte.
@Suite struct MarkupCleaningTests {
    static let bad: [String] = ["\u{0}", "\u{1}", "\u{8}", "\u{B}", "\u{C}", "\u{1F}", "\u{7F}", "\u{80}", "\u{9F}"] + [0xFDD0, 0xFDEF, 0xFFFE, 0xFFFF].map { String(Unicode.Scalar(UInt32($0))!) }
    static let kept: [String] = ["\t", "\n", "\r", " ", "~", "é", "\u{A0}", "한", "\u{FFFD}", "\u{1F600}", "\u{FDCF}", "\u{FDF0}"]

    @Test(arguments: 0..<20)
    func replacedAtEveryOffset(_ offset: Int) {
        let prefix = String(repeating: "a", count: offset)
        for b in Self.bad {
            #expect(HTML.replacingInvalidCharacters(prefix + b + "tail text") == prefix + "\u{FFFD}tail text", "\(b.unicodeScalars.first!.value)")
        }
        for k in Self.kept {
            #expect(HTML.replacingInvalidCharacters(prefix + k + "tail text") == prefix + k + "tail text")
        }
    }
}
