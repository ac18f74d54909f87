import EnvCheckCore

/// The `redis` probe: proves that `REDIS_URL` reaches Redis, logs in and answers `PING`.
///
/// Reads `REDIS_URL` (redis-py's forms: `redis://`, `rediss://` for TLS, `unix://`;
/// `user:pass@` or `:pass@`; the db as `/N` or `?db=N`), and the options `ca_file` and
/// `tls_verify` (plus `--ca-file`). It connects by the deadline (DNS, TCP or Unix socket,
/// a verified TLS handshake for `rediss://`), sends `AUTH` when the URL has credentials,
/// `SELECT` for a db other than 0 (as redis-py does), then `PING`, and reads
/// `redis_version` and `role` from `INFO`. With `--write-check` it also runs
/// `SET key value PX 60000`, `GET` and `DEL` on a unique key.
/// - pass: `PONG` (and the write round trip, when asked).
/// - warn: the same, but TLS certificate or host name verification is off (`tls_verify_disabled`).
/// - fail: `timeout`, `dns`, `connection_refused`, `tls`, `network`, `auth_failed`,
///   `invalid_db`, `loading`, `permission_denied`, `read_only`, `protocol`, `upstream_error`.
/// - error: `invalid_url` (the URL does not parse), `invalid_config` (an unreadable CA file).
public struct RedisProbe: Probe {
    let url: RedisURL
    let target: RedisTarget
    let dependencies: Dependencies

    public var targets: [String] {
        switch target.address {
        case .tcp(let host, let port): [ProbeTarget.key(host: host, port: port)]
        case .unix(let path): [ProbeTarget.key(socket: path)]
        }
    }

    public func check(_ context: ProbeContext) async throws -> ProbeOutcome {
        let probe = self
        return try await Blocking.run { () throws(ProbeFailure) -> ProbeOutcome in try probe.run(context) }
    }

    /// The whole check, blocking; every step ends by `context.deadline`.
    func run(_ context: ProbeContext) throws(ProbeFailure) -> ProbeOutcome {
        let started = ContinuousClock.now
        let connectDeadline = url.connectTimeout.map { Deadline(started + $0).capped(by: context.deadline) } ?? context.deadline
        let session: any RedisSession
        do throws(ProbeFailure) {
            session = try dependencies.connector.connect(to: target, deadline: connectDeadline)
        } catch {
            var failure = error
            var details = connectionDetails(nil)
            for (key, value) in failure.details.entries { details[key] = value }  // `addresses`, when several
            failure.details = details
            throw failure
        }
        var details = connectionDetails(session.info)
        let exchange = RedisExchange(
            session: session, deadline: context.deadline, socketTimeout: url.socketTimeout,
            peer: target.peer, secret: url.password?.revealed, started: started)
        do throws(ProbeFailure) {
            try converse(exchange, context: context, details: &details)
        } catch {
            var failure = session.info.addresses.failure(after: error)
            for (key, value) in failure.details.entries { details[key] = value }
            failure.details = details
            throw failure
        }
        return session.info.addresses.annotated(outcome(details)).presenting(session.info.certificate)
    }

    private func converse(_ exchange: RedisExchange, context: ProbeContext, details: inout JSONObject) throws(ProbeFailure) {
        if let auth = authArguments {
            try timed("auth_ms", &details) { () throws(ProbeFailure) in try exchange.expectOK(auth) }
        }
        if let db = url.db, db != 0 {
            try timed("select_ms", &details) { () throws(ProbeFailure) in try exchange.expectOK(["SELECT", String(db)]) }
        }
        try timed("ping_ms", &details) { () throws(ProbeFailure) in
            let reply = try exchange.call(["PING"])
            guard reply == .status("PONG") else { throw exchange.unexpected(reply, to: "PING", expected: "PONG") }
        }
        // Details only: an ACL user without INFO still passes.
        let server = RedisExchange.infoFields(try exchange.call(["INFO", "server"], tolerateErrors: true))
        let replication = RedisExchange.infoFields(try exchange.call(["INFO", "replication"], tolerateErrors: true))
        if let version = server["redis_version"] { details["redis_version"] = .string(version) }
        if let role = replication["role"] { details["role"] = .string(role) }
        if context.writeCheck {
            try timed("write_ms", &details) { () throws(ProbeFailure) in try writeCheck(exchange, context: context) }
            details["write_check"] = "ok"
        }
    }

    /// `AUTH user pass` for an ACL user, `AUTH pass` for a password alone, nil for neither.
    var authArguments: [String]? {
        if let user = url.username { return ["AUTH", user, url.password?.revealed ?? ""] }
        if let password = url.password { return ["AUTH", password.revealed] }
        return nil
    }

    /// SET with a 60 s expiry, GET it back, DEL it: the key cannot outlive a crashed probe by
    /// more than a minute, and an interrupted run deletes it at once (the key is registered
    /// in the attempt's cleanups before the SET goes out).
    private func writeCheck(_ exchange: RedisExchange, context: ProbeContext) throws(ProbeFailure) {
        let key = "envcheck:\(context.id):\(Self.randomHex())"
        let value = Self.randomHex()
        let probe = self
        guard
            let registration = context.cleanups.register(
                key, location: "at \(target.peer) (it expires by itself within 60s)",
                remove: { deadline in await probe.remove(key, by: deadline) })
        else {
            throw ProbeFailure(.interrupted, "the run was interrupted before the write check began")
        }
        try exchange.expectOK(["SET", key, value, "PX", "60000"])
        let read = try exchange.call(["GET", key])
        guard read == .string(Array(value.utf8)) else { throw exchange.unexpected(read, to: "GET", expected: "the value just SET") }
        let deleted = try exchange.call(["DEL", key])
        guard deleted == .integer(1) else { throw exchange.unexpected(deleted, to: "DEL", expected: "1") }
        context.cleanups.done(registration)
    }

    /// The runner's cleanup of an interrupted run: `DEL key` over a connection of its own
    /// (the probe's may be stuck mid-reply), logged in as the probe is, by `deadline`.
    /// Returns what went wrong, or nil (also when the key was never created).
    func remove(_ key: String, by deadline: Deadline) async -> Message? {
        let probe = self
        return await Blocking.run { () -> Message? in
            do throws(ProbeFailure) {
                let session = try probe.dependencies.connector.connect(to: probe.target, deadline: deadline)
                let exchange = RedisExchange(
                    session: session, deadline: deadline, socketTimeout: probe.url.socketTimeout,
                    peer: probe.target.peer, secret: probe.url.password?.revealed, started: .now)
                if let auth = probe.authArguments { try exchange.expectOK(auth) }
                if let db = probe.url.db, db != 0 { try exchange.expectOK(["SELECT", String(db)]) }
                let deleted = try exchange.call(["DEL", key])
                guard case .integer = deleted else { return exchange.unexpected(deleted, to: "DEL", expected: "an integer").message }
                return nil
            } catch {
                return error.message
            }
        }
    }

    /// What is known before the first command; `info` is nil when connecting failed.
    private func connectionDetails(_ info: RedisConnectionInfo?) -> JSONObject {
        var details = JSONObject()
        details["address"] = .string(target.peer)
        details["tls"] = .bool(target.tls != nil)
        if let version = info?.tlsVersion { details["tls_version"] = .string(version) }
        if let tls = target.tls { details["tls_verify"] = .bool(tls.verify && tls.checkHostname) }
        details["db"] = .int(url.db ?? 0)
        if let user = url.username { details["user"] = .string(user) }
        if let info { details["connect_ms"] = .int(info.connectMs) }
        if let tlsMs = info?.tlsMs { details["tls_ms"] = .int(tlsMs) }
        return details
    }

    private func outcome(_ details: JSONObject) -> ProbeOutcome {
        var message: Message = "PONG from Redis"
        if let version = details["redis_version"]?.stringValue { message += " \(version)" }
        if let role = details["role"]?.stringValue { message += " (\(role))" }
        message += " at \(label: target.peer)"
        if let db = url.db, db != 0 { message += ", db \(db)" }
        if let version = details["tls_version"]?.stringValue { message += " over \(version)" }
        if details["write_check"] != nil { message += "; SET/GET/DEL round trip ok" }
        let verify = target.tls.map { $0.verify && $0.checkHostname } ?? false
        return ProbeOutcome.pass(message, details: details).capped(
            tlsInUse: target.tls != nil, tlsVerified: verify,
            reason: target.tls?.verify == true ? "the host name was not verified" : "the certificate was not verified",
            hint: "TLS verification is off (ssl_cert_reqs=none, ssl_check_hostname=false or tls_verify: false): "
                + "give the server's CA with ssl_ca_certs, ca_file or --ca-file instead")
    }

    private func timed(_ key: String, _ details: inout JSONObject, _ step: () throws(ProbeFailure) -> Void) throws(ProbeFailure) {
        let start = ContinuousClock.now
        try step()
        details[key] = .int((ContinuousClock.now - start).milliseconds)
    }

    private static func randomHex() -> String {
        let hex = String(UInt64.random(in: .min ... .max), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
