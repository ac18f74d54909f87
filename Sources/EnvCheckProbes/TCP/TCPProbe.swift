import EnvCheckCore

/// `tcp`: proves that `address` (`host:port`) accepts TCP connections, at every address its
/// name resolves to, each tried at once under the one deadline; with `tls`, that each also
/// completes a TLS handshake (SNI and verification against `server_name`, default the host).
/// - pass: at least one address accepted (and, with `tls`, completed the handshake); those
///   that did not are named in the message and in `details.addresses`.
/// - warn: `tls_verify_disabled` (`tls_verify: false`); `cert_expiring` (the runner's rule).
/// - fail: no address worked: the most informative failure (`tls`, `timeout`, `network`,
///   `connection_refused`, `dns`), by the shared rule (``AddressAttempts``).
/// - error: `invalid_config` (not `host:port`).
/// Reads its `address` input (manifest-only: no default key); options `tls`, `server_name`.
public struct TCPProbe: Probe {
    let host: String
    let port: Int
    /// Nil: no TLS handshake.
    let tls: TLSOptions?
    let serverName: String?
    let dependencies: Dependencies

    var peer: String { HostPort(host: host, port: port).description }

    /// What happened at one address.
    struct AddressResult: Sendable {
        let label: String
        var failure: ProbeFailure?
        var connectMs: Int?
        var tlsMs: Int?
        var session: TLSSession?
    }

    public var targets: [String] { [ProbeTarget.key(host: host, port: port)] }

    public func check(_ context: ProbeContext) async throws -> ProbeOutcome {
        let probe = self
        let deadline = context.deadline
        let started = ContinuousClock.now
        let addresses = try await Blocking.run { () throws(ProbeFailure) -> [SocketAddress] in
            do throws(NetError) {
                return try probe.dependencies.resolve(probe.host, probe.port, deadline)
            } catch {
                throw error.failure(while: "connecting to \(probe.peer)", elapsed: .now - started)
            }
        }
        let dnsMs = (ContinuousClock.now - started).milliseconds
        let several = addresses.count > 1
        let results = await withTaskGroup(of: (Int, AddressResult).self) { group in
            for (index, address) in addresses.enumerated() {
                group.addTask { (index, await Blocking.run { probe.attempt(address, several: several, deadline: deadline) }) }
            }
            var results = [AddressResult?](repeating: nil, count: addresses.count)
            for await (index, result) in group { results[index] = result }
            return results.compactMap { $0 }
        }
        return try verdict(results, dnsMs: dnsMs)
    }

    /// Connects to one address and, with `tls`, runs the handshake, by `deadline`.
    func attempt(_ address: SocketAddress, several: Bool, deadline: Deadline) -> AddressResult {
        var result = AddressResult(label: address.label)
        let at = several ? " at \(address.label)" : ""
        let started = ContinuousClock.now
        let stream: any ByteStream
        do throws(NetError) {
            stream = try dependencies.connect(address, deadline)
        } catch {
            result.failure = error.failure(while: "connecting to \(peer)\(at)", elapsed: .now - started)
            return result
        }
        let connected = ContinuousClock.now
        result.connectMs = (connected - started).milliseconds
        guard let tls else { return result }
        do throws(NetError) {
            result.session = try dependencies.handshake(stream, serverName ?? host, tls, deadline)
            result.tlsMs = (ContinuousClock.now - connected).milliseconds
        } catch {
            var failure = error.failure(while: "negotiating TLS with \(peer)\(at)", elapsed: .now - started)
            if error == .timeout {
                failure.hint = "the server accepted the connection but did not complete the TLS handshake: check that this port speaks TLS"
            }
            result.failure = failure
        }
        return result
    }

    func verdict(_ results: [AddressResult], dnsMs: Int) throws(ProbeFailure) -> ProbeOutcome {
        var attempts = AddressAttempts(results.map(\.label))
        for result in results {
            if let failure = result.failure { attempts.failed(result.label, failure) } else { attempts.record(result.label, .connected) }
        }
        var details: JSONObject = ["address": .string(peer), "tls": .bool(tls != nil), "dns_ms": .int(dnsMs)]
        if let tls { details["tls_verify"] = .bool(tls.verify) }
        if results.count > 1 { details["addresses"] = Self.addressDetails(results, attempts) }
        guard let first = results.first(where: { $0.failure == nil }) else {
            var failure = attempts.failure() ?? ProbeFailure(.network, "\(label: peer) resolved to no address")
            for (key, value) in details.entries where failure.details[key] == nil { failure.details[key] = value }
            throw failure
        }
        details["connect_ms"] = .int(first.connectMs ?? 0)
        if let tlsMs = first.tlsMs { details["tls_ms"] = .int(tlsMs) }
        if let version = first.session?.version { details["tls_version"] = .string(version) }
        let accepted = results.filter { $0.failure == nil }.count
        var message: Message = "connected to \(label: peer)"
        if results.count > 1 { message += " (\(accepted) of \(results.count) addresses)" }
        message += " in \(first.connectMs ?? 0)ms"
        if let session = first.session { message += ", \(label: session.version) handshake in \(first.tlsMs ?? 0)ms" }
        let failed = results.filter { $0.failure != nil }
        if !failed.isEmpty {
            message += "; \(label: failed.map { "\($0.label) \($0.failure?.code.rawValue ?? "failed")" }.joined(separator: ", "))"
        }
        return ProbeOutcome.pass(message, details: details)
            .capped(
                tlsInUse: tls != nil, tlsVerified: tls?.verify ?? true, reason: "the certificate was not verified (tls_verify: false)",
                hint: ProbeCode.tlsVerifyDisabled.hint ?? ""
            )
            .presenting(first.session?.certificate)
    }

    /// `details.addresses`: the shared entries, with each address's timings.
    static func addressDetails(_ results: [AddressResult], _ attempts: AddressAttempts) -> JSONValue {
        guard case .array(let entries) = attempts.details else { return attempts.details }
        return .array(
            zip(entries, results).map { entry, result in
                guard var object = entry.objectValue else { return entry }
                if let connectMs = result.connectMs { object["connect_ms"] = .int(connectMs) }
                if let tlsMs = result.tlsMs { object["tls_ms"] = .int(tlsMs) }
                return .object(object)
            })
    }
}
