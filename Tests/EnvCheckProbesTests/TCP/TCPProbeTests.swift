import EnvCheckCore
import Foundation
import ProbeTestSupport
import TestSupport
import Testing

@testable import EnvCheckProbes

@Suite struct TCPProbeTests {
    /// What each address does, by label (`127.0.0.1:5432`, `[::1]:5432`).
    struct Script: Sendable {
        var connect: [String: NetError] = [:]
        var handshake: [String: NetError] = [:]
        var certificate = PeerCertificate(notAfterEpochSeconds: Timestamp.nowEpochMs() / 1000 + 90 * 86_400)
    }

    final class Recorder: @unchecked Sendable {
        private let lock = NSLock()
        private var names: [String] = []
        func add(_ name: String) { lock.withLock { names.append(name) } }
        var serverNames: [String] { lock.withLock { names } }
    }

    static func dependencies(_ hosts: [String], _ script: Script, recorder: Recorder = Recorder()) -> TCPProbe.Dependencies {
        TCPProbe.Dependencies(
            resolve: { _, port, deadline throws(NetError) in
                var all: [SocketAddress] = []
                for host in hosts { all += try Resolver.resolve(host: host, port: port, deadline: deadline) }
                return all
            },
            connect: { address, _ throws(NetError) in
                if let error = script.connect[address.label] { throw error }
                return FakeByteStream([])
            },
            handshake: { _, serverName, _, _ throws(NetError) in
                recorder.add(serverName)
                // Which address this stream is for is not known to the fake: a scripted
                // failure applies to every handshake.
                if let error = script.handshake.values.first { throw error }
                return TCPProbe.TLSSession(version: "TLSv1.3", certificate: script.certificate)
            })
    }

    func run(
        _ address: String, hosts: [String] = ["127.0.0.1"], script: Script = Script(), options: JSONObject = JSONObject(),
        recorder: Recorder = Recorder()
    ) async -> ProbeOutcome {
        let kind = TCPProbe.kind(Self.dependencies(hosts, script, recorder: recorder))
        let settings = ProbeSettings(id: "tcp", config: ResolvedConfig([:]), bindings: ["address": address], options: options)
        switch kind.setup(settings) {
        case .ready(let probe):
            let outcome = await Runner.outcome(of: probe, ProbeContext(id: "tcp", deadline: .after(.seconds(2)), timeout: .seconds(2)))
            #expect(kind.undeclared(outcome.code, status: outcome.status) == nil, "\(outcome.code?.rawValue ?? "-")")
            return outcome
        case .invalid(let failure): return failure.outcome
        case .notConfigured(let message): return .skip(message)
        }
    }

    @Test func oneAddressThatAcceptsPasses() async {
        let outcome = await run("db.internal:5432")
        #expect(outcome.status == .pass && outcome.code == nil)
        #expect(outcome.message.text.hasPrefix("connected to db.internal:5432 in "), "\(outcome.message)")
        #expect(outcome.details["address"] == "db.internal:5432" && outcome.details["tls"] == false)
        #expect(outcome.details["connect_ms"] != nil && outcome.details["dns_ms"] != nil && outcome.details["addresses"] == nil)
        #expect(outcome.certificate == nil)
    }

    @Test func everyAddressIsTriedAndReported() async throws {
        let script = Script(connect: ["[::1]:5432": .refused("Connection refused")])
        let outcome = await run("localhost:5432", hosts: ["::1", "127.0.0.1"], script: script)
        #expect(outcome.status == .pass)
        #expect(outcome.message.text.contains("(1 of 2 addresses)") && outcome.message.text.hasSuffix("; [::1]:5432 connection_refused"))
        let entries = try #require(outcome.details["addresses"]?.arrayValue)
        #expect(entries.count == 2)
        #expect(entries[0].objectValue?["outcome"] == "failed" && entries[0].objectValue?["code"] == "connection_refused")
        #expect(entries[1].objectValue?["outcome"] == "connected" && entries[1].objectValue?["connect_ms"] != nil)
    }

    @Test func whenNoAddressAcceptsTheMostInformativeFailureWins() async throws {
        let script = Script(connect: ["[::1]:5432": .refused("Connection refused"), "127.0.0.1:5432": .timeout])
        let outcome = await run("localhost:5432", hosts: ["::1", "127.0.0.1"], script: script)
        #expect(outcome.status == .fail && outcome.code == .timeout, "\(outcome.message)")
        #expect(outcome.message.text.contains("by address: [::1]:5432 connection_refused, 127.0.0.1:5432 timeout"))
        #expect(outcome.details["addresses"]?.arrayValue?.count == 2 && outcome.details["dns_ms"] != nil)
        let refused = await run("db:1", script: Script(connect: ["127.0.0.1:1": .refused("Connection refused")]))
        #expect(refused.code == .connectionRefused && refused.message.text == "Connection refused while connecting to db:1")
    }

    @Test func aNameThatDoesNotResolveIsDNS() async {
        let kind = TCPProbe.kind(
            TCPProbe.Dependencies(resolve: { _, _, _ throws(NetError) in throw .dns("Name or service not known") }))
        let settings = ProbeSettings(id: "tcp", config: ResolvedConfig([:]), bindings: ["address": "nowhere.invalid:80"])
        guard case .ready(let probe) = kind.setup(settings) else { return #expect(Bool(false)) }
        let outcome = await Runner.outcome(of: probe, ProbeContext(id: "tcp", deadline: .after(.seconds(1)), timeout: .seconds(1)))
        #expect(outcome.code == .dns && outcome.message.text.contains("Name or service not known"))
    }

    @Test func tlsHandshakesWithTheServerNameAndHandsOnTheCertificate() async {
        let recorder = Recorder()
        let outcome = await run("10.0.0.5:443", options: ["tls": true, "server_name": "api.internal"], recorder: recorder)
        #expect(outcome.status == .pass, "\(outcome.message)")
        #expect(outcome.message.text.contains(", TLSv1.3 handshake in "))
        #expect(outcome.details["tls"] == true && outcome.details["tls_verify"] == true && outcome.details["tls_version"] == "TLSv1.3")
        #expect(outcome.certificate != nil && outcome.details["tls_ms"] != nil)
        let byHost = Recorder()
        _ = await run("cache.internal:6380", options: ["tls": true], recorder: byHost)
        #expect(recorder.serverNames == ["api.internal"] && byHost.serverNames == ["cache.internal"])
    }

    @Test func tlsWithoutVerificationIsAWarning() async {
        let outcome = await run("db:443", options: ["tls": true, "tls_verify": false])
        #expect(outcome.status == .warn && outcome.code == .tlsVerifyDisabled)
        #expect(outcome.certificate != nil)  // the expiry rule still sees it
    }

    @Test func aHungOrFailedHandshakeFails() async {
        let hung = await run("db:443", script: Script(handshake: ["*": .timeout]), options: ["tls": true])
        #expect(hung.code == .timeout && hung.hint?.text.contains("did not complete the TLS handshake") == true, "\(hung.message)")
        #expect(hung.message.text.hasPrefix("timed out while negotiating TLS with db:443"))
        let rejected = await run(
            "db:443", script: Script(handshake: ["*": .tls("certificate verification failed: certificate has expired")]),
            options: ["tls": true])
        #expect(rejected.code == .tls && rejected.message.text.contains("certificate has expired"))
    }

    @Test func setupNeedsHostAndPort() async {
        for (address, reason) in [("db.internal", "the port is missing"), ("[::1", "no closing"), ("db:99999", "port")] {
            let outcome = await run(address)
            #expect(outcome.status == .error && outcome.code == .invalidConfig, "\(address)")
            #expect(outcome.message.text.contains(reason), "\(address): \(outcome.message)")
        }
        let unset = await run("")
        #expect(unset.status == .skip)
    }
}
