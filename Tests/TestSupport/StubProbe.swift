import EnvCheckCore

#if canImport(Glibc)
    import Glibc
#endif

/// A probe for tests of the runner, planner and generic checks: answers `outcome` at once, or
/// connects to 127.0.0.1:`connectTo` and then waits for an answer that never comes.
public struct StubProbe: Probe {
    public let outcome: ProbeOutcome
    public let connectTo: Int?

    public init(outcome: ProbeOutcome = .pass("stub"), connectTo: Int? = nil) {
        self.outcome = outcome
        self.connectTo = connectTo
    }

    public func check(_ context: ProbeContext) async throws -> ProbeOutcome {
        guard let port = connectTo else { return outcome }
        let fd = connectLoopback(port: port)
        defer { if let fd { close(fd) } }
        try await Task.sleep(for: .seconds(30))
        return outcome
    }
}

/// A stand-in for HMAC-SHA256 (FNV-1a over key, 0, data; 8 bytes), so Core's fingerprint
/// logic is testable without libcrypto. The real HMAC is tested where libcrypto is linked.
public enum StandInHMAC {
    public static func mac(_ key: [UInt8], _ data: [UInt8]) -> [UInt8] {
        var h: UInt64 = 1_469_598_103_934_665_603
        for b in key + [0] + data { h = (h ^ UInt64(b)) &* 1_099_511_628_211 }
        return (0..<8).map { UInt8(truncatingIfNeeded: h >> (8 * $0)) }
    }

    public static func fingerprinter(_ key: String?) -> Fingerprinter { Fingerprinter(key: key, hmac: mac) }
}
