import DossierFuzz
import Foundation

// libFuzzer's entry point when built with `-sanitize=fuzzer -D FUZZING` (`make fuzz`):
// the target comes from DOSSIER_FUZZ_TARGET. Without FUZZING this is a plain program that
// runs the seeded smoke: `dossier-fuzz [TARGET] [ITERATIONS] [SEED]`.
#if FUZZING
private let selected: FuzzTargets.Target = {
    let name = ProcessInfo.processInfo.environment["DOSSIER_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTargets.named(name) else {
        FileHandle.standardError.write(Data("set DOSSIER_FUZZ_TARGET to one of: \(FuzzTargets.all.map(\.name).joined(separator: ", "))\n".utf8))
        exit(2)
    }
    return target
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    selected.run(bytes)
    return 0
}
#else
@main
struct FuzzSmokeCommand {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        let targets = arguments.first.flatMap(FuzzTargets.named).map { [$0] } ?? FuzzTargets.all
        let iterations = arguments.dropFirst().first.flatMap(Int.init) ?? 2_000
        let seed = arguments.dropFirst(2).first.flatMap(UInt64.init) ?? 1
        for target in targets {
            let n = FuzzSmoke.run(target, iterations: iterations, seed: seed)
            print("\(target.name): \(n) inputs, no crash")
        }
    }
}
#endif
