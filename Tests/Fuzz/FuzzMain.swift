#if canImport(Glibc)
    import Glibc
#endif

// libFuzzer's entry points. The binary fuzzes the target named by ENVCHECK_FUZZ_TARGET, or,
// with ENVCHECK_FUZZ_REPLAY=<corpus folder>, runs every seed once against its `.expect`
// file and exits (ENVCHECK_FUZZ_BLESS=1 writes the `.expect` files instead).

nonisolated(unsafe) private var selected: FuzzTarget?

@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    if let root = getenv("ENVCHECK_FUZZ_REPLAY") {
        exit(FuzzReplay.run(root: String(cString: root), bless: getenv("ENVCHECK_FUZZ_BLESS") != nil))
    }
    let name = getenv("ENVCHECK_FUZZ_TARGET").map { String(cString: $0) } ?? ""
    guard let target = FuzzTargets.named(name) else {
        Output.stderr("set ENVCHECK_FUZZ_TARGET to one of: \(FuzzTargets.all.map(\.name).joined(separator: ", "))\n")
        exit(2)
    }
    selected = target
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    _ = selected?.run(bytes)
    return 0
}

/// Runs every seed of every target once and compares its outcome with the seed's
/// `<seed>.expect`. A seed that takes longer than ``maxSeconds`` fails too: every parser
/// must be linear, even on the huge seeds.
enum FuzzReplay {
    static let maxSeconds = 30

    static func run(root: String, bless: Bool) -> Int32 {
        var failures: [String] = []
        var seeds = 0
        var slowest: [(Duration, String)] = []
        let folders = Set(entries(root))
        for unknown in folders.subtracting(FuzzTargets.all.map(\.name)).sorted() {
            failures.append("\(root)/\(unknown): no fuzz target has this name")
        }
        for target in FuzzTargets.all {
            let dir = "\(root)/\(target.name)"
            let names = entries(dir).filter { !$0.hasSuffix(".expect") }.sorted()
            var kinds = Set<String>()
            for name in names {
                let path = "\(dir)/\(name)"
                let bytes: [UInt8]
                do { bytes = try FileSystem.read(path) } catch {
                    failures.append("\(path): \(error.reason)")
                    continue
                }
                let start = ContinuousClock.now
                let outcome = target.run(bytes)
                let took = ContinuousClock.now - start
                seeds += 1
                slowest.append((took, path))
                kinds.insert(outcome.hasPrefix("ok") ? "ok" : "error")
                if took > .seconds(maxSeconds) { failures.append("\(path): took \(took), more than \(maxSeconds)s (not linear?)") }
                let expectPath = path + ".expect"
                if bless {
                    do { try FileSystem.write(outcome + "\n", to: expectPath) } catch { failures.append("\(expectPath): \(error.reason)") }
                    continue
                }
                guard let expected = try? FileSystem.read(expectPath) else {
                    failures.append("\(expectPath): missing")
                    continue
                }
                let text = String(decoding: expected, as: UTF8.self).trimmingSpaces
                if text != outcome { failures.append("\(path):\n    expected: \(text)\n    got:      \(outcome)") }
            }
            // A target whose seeds all fail (or all pass) is not exercising its parser.
            if kinds != ["ok", "error"] { failures.append("\(dir): the seeds must include inputs that parse and inputs that do not") }
        }
        for failure in failures { Output.stderr("fuzz replay: \(failure)\n") }
        for (took, path) in slowest.sorted(by: { $0.0 > $1.0 }).prefix(3) { Output.stdout("slowest: \(took) \(path)\n") }
        Output.stdout("replayed \(seeds) seeds of \(FuzzTargets.all.count) targets: \(failures.count) failures\n")
        return failures.isEmpty ? 0 : 1
    }

    /// The names in a folder, without `.` and `..` (empty when it cannot be read).
    static func entries(_ path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if !name.hasPrefix(".") { names.append(name) }
        }
        return names
    }
}
