import DossierCore
/// A deterministic stand-in for libFuzzer where it is not built in: seeds mutated by a
/// seeded generator (byte flips, insertions of tokens the formats care about, splices of
/// two seeds, repetitions), so that `make test` runs every target over the same inputs
/// every time.
public struct FuzzSmoke {
    public typealias Generator = SplitMix64

    static let tokens: [String] = [
        "{{", "}}", "{%", "%}", "|", "~", "(", ")", "[", "]", "{", "}", ":", ",", "*a", "&a ", "---\n", "\n", "\r", "\0", "\"", "'",
        "..", "%2e", "/", "\\", "1e308", "-", "=", "@", "\u{1B}", "\u{FFFF}", "한", " and ", " + ", ".x", "\t", "?", "#",
    ]

    /// Runs `target` on `iterations` inputs made from its seeds with generator `seed`.
    /// Returns the number of inputs run.
    @discardableResult
    public static func run(_ target: FuzzTargets.Target, iterations: Int, seed: UInt64) -> Int {
        var rng = Generator(seed: seed)
        for seedText in target.seeds { target.run(Array(seedText.utf8)) }
        for _ in 0..<iterations {
            target.run(mutate(target.seeds, using: &rng))
        }
        return iterations + target.seeds.count
    }

    /// One mutated input.
    public static func mutate(_ seeds: [String], using rng: inout Generator) -> [UInt8] {
        var bytes = Array(seeds[Int.random(in: 0..<seeds.count, using: &rng)].utf8)
        for _ in 0..<Int.random(in: 1...6, using: &rng) {
            let at = bytes.isEmpty ? 0 : Int.random(in: 0...bytes.count, using: &rng)
            switch Int.random(in: 0..<6, using: &rng) {
            case 0 where !bytes.isEmpty: bytes[min(at, bytes.count - 1)] = UInt8.random(in: 0...255, using: &rng)
            case 1: bytes.insert(contentsOf: tokens[Int.random(in: 0..<tokens.count, using: &rng)].utf8, at: at)
            case 2 where !bytes.isEmpty: bytes.remove(at: min(at, bytes.count - 1))
            case 3:
                let other = Array(seeds[Int.random(in: 0..<seeds.count, using: &rng)].utf8)
                bytes.insert(contentsOf: other.prefix(Int.random(in: 0...other.count, using: &rng)), at: at)
            case 4 where !bytes.isEmpty:
                let end = min(bytes.count, at + Int.random(in: 1...8, using: &rng))
                let piece = Array(bytes[min(at, bytes.count - 1)..<end])
                for _ in 0..<Int.random(in: 1...64, using: &rng) { bytes.insert(contentsOf: piece, at: min(at, bytes.count)) }
            default: bytes.insert(contentsOf: tokens[Int.random(in: 0..<tokens.count, using: &rng)].utf8, at: at)
            }
        }
        return bytes
    }
}
