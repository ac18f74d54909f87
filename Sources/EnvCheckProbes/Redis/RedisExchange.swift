import EnvCheckCore

/// Commands over one session with every failure mapped to the probe's terms: transport
/// errors name the command they were waiting on, error replies go through
/// ``RedisServerError``. Each command ends by the probe's deadline (or sooner, by the
/// URL's `socket_timeout`).
struct RedisExchange {
    let session: any RedisSession
    let deadline: Deadline
    let socketTimeout: Duration?
    let peer: String
    /// The password, kept out of quoted server errors.
    let secret: String?
    let started: ContinuousClock.Instant

    /// The reply; an error reply throws its mapped failure unless `tolerateErrors`.
    func call(_ arguments: [String], tolerateErrors: Bool = false) throws(ProbeFailure) -> RedisReply {
        let name = arguments[0]
        let commandDeadline = socketTimeout.map { Deadline.after($0).capped(by: deadline) } ?? deadline
        let reply: RedisReply
        do throws(RedisSessionError) {
            reply = try session.call(arguments, deadline: commandDeadline)
        } catch {
            switch error {
            case .net(let error):
                throw error.failure(while: "waiting for the reply to \(name) from \(peer)", elapsed: .now - started)
            case .protocolViolation(let reason):
                throw ProbeFailure(
                    .protocolError, "the reply to \(name) from \(label: peer) is not the Redis protocol: \(reason)",
                    hint: "something other than Redis answers there: check the port, and use rediss:// if the port expects TLS")
            }
        }
        if case .error(let text) = reply, !tolerateErrors {
            throw RedisServerError.failure(text, command: name, secret: secret)
        }
        return reply
    }

    /// Runs a command that must answer `+OK`.
    func expectOK(_ arguments: [String]) throws(ProbeFailure) {
        let reply = try call(arguments)
        guard reply == .status("OK") else { throw unexpected(reply, to: arguments[0], expected: "OK") }
    }

    func unexpected(_ reply: RedisReply, to command: String, expected: String) -> ProbeFailure {
        let got: String =
            switch reply {
            case .status(let s): "+" + TerminalText.quote(s, hiding: secret.map { [$0] } ?? [], limit: 40)
            case .string: "a bulk string"
            case .integer(let i): "the integer \(i)"
            case .null: "nil"
            case .array: "an array"
            case .error: "an error"
            }
        return ProbeFailure(
            .protocolError, "\(label: command) answered \(got) instead of \(expected)",
            hint: "the server does not behave like Redis: check that the URL points at a Redis server")
    }

    /// The `field:value` lines of an `INFO` reply.
    static func infoFields(_ reply: RedisReply) -> [String: String] {
        guard let text = reply.text else { return [:] }
        var fields: [String: String] = [:]
        for line in text.split(whereSeparator: { $0 == "\r\n" || $0 == "\n" || $0 == "\r" }) where !line.hasPrefix("#") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = String(line[line.index(after: colon)...]).trimmingSpaces
        }
        return fields
    }
}
