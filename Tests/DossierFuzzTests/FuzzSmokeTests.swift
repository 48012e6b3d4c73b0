import DossierFuzz
import Foundation
import Testing

/// A short seeded smoke of every fuzz target (`make fuzz` runs libFuzzer on them for
/// longer), and every input a fuzzer ever crashed on, replayed.
@Suite struct FuzzSmokeTests {
    @Test(arguments: FuzzTargets.all.map(\.name))
    func seededSmoke(_ name: String) throws {
        let target = try #require(FuzzTargets.named(name))
        let ran = FuzzSmoke.run(target, iterations: 1_500, seed: 0xD055_1E12)
        #expect(ran == 1_500 + target.seeds.count)
    }

    /// The mutations are the same on every run, so a failure reproduces.
    @Test func mutationsAreDeterministic() {
        var a = FuzzSmoke.Generator(seed: 7), b = FuzzSmoke.Generator(seed: 7)
        let seeds = FuzzTargets.templates.seeds
        for _ in 0..<50 { #expect(FuzzSmoke.mutate(seeds, using: &a) == FuzzSmoke.mutate(seeds, using: &b)) }
    }

    /// `Regressions/TARGET/*`: inputs that once crashed, hung or ran away.
    @Test func crashesFoundByFuzzingStayFixed() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Regressions")
        var replayed = 0
        for target in FuzzTargets.all {
            let dir = folder.appendingPathComponent(target.name)
            for file in (try? FileManager.default.contentsOfDirectory(atPath: dir.path))?.sorted() ?? [] where !file.hasPrefix(".") {
                let bytes = try [UInt8](Data(contentsOf: dir.appendingPathComponent(file)))
                target.run(bytes)
                replayed += 1
            }
        }
        #expect(replayed >= 1, "no regression inputs found in \(folder.path)")
    }
}
