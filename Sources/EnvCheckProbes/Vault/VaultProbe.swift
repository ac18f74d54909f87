import EnvCheckCore

/// `vault`: proves that the Vault at `VAULT_ADDR` serves, that the app's token is one an app
/// may hold, and that its secret path holds what the app reads (docs/protocols.md §13):
/// 1. `GET /v1/sys/health`: sealed (`sealed`) and uninitialised (`not_initialized`) fail;
///    standby and performance standby pass, in `details`; the version is reported.
/// 2. `GET /v1/auth/token/lookup-self` (`X-Vault-Token`, `X-Vault-Namespace`): rejected is
///    `invalid_token`, the `root` policy is `root_token`, a non-renewable token expiring
///    within `token_warn_ttl` is `warn`/`token_expiring`; the policies are reported.
/// 3. `GET /v1/<path>` for each path to read (the `path` option or its default, the `keys`
///    option, every `with secret` block of `--template`): 403 is `permission_denied`, 404
///    `no_such_secret`, an absent or empty field `missing_keys` (names only). The values
///    read are secrets of the result (``ProbeOutcome/revealed``) and never leave the probe.
public struct VaultProbe: Probe {
    let base: String
    /// `host:port`: what messages name.
    let display: String
    let token: Secret?
    /// The key the token came from, for messages.
    let tokenKey: String?
    let namespace: String?
    /// Each path to read, the fields that must be there, and where that demand comes from.
    let reads: [VaultRead]
    let warnTTL: Duration
    let tls: TLSOptions
    let dependencies: Dependencies

    public var targets: [String] { [CurlURL.target(of: base)] }

    public func check(_ context: ProbeContext) async throws -> ProbeOutcome {
        let deadline = context.deadline
        var details = JSONObject()
        var last: HTTPResponse
        let health = try await get("sys/health", authenticated: false, deadline)
        last = health
        let server = try healthVerdict(health, &details)
        // The version and the policies are the server's words: untrusted, scrubbed.
        var message: Message = "Vault \(server) at \(label: display)"
        guard let token else {
            return finish(message + "; no token set, so only its health was checked", details, last)
        }
        let lookup = try await get("auth/token/lookup-self", authenticated: true, deadline)
        last = lookup
        message += "; " + (try tokenVerdict(lookup, token: token, &details))
        var revealed: [String] = []
        var checked: [Message] = []
        for read in reads {
            do throws(ProbeFailure) {
                let response = try await get(read.path, authenticated: true, deadline)
                last = response
                let (values, note) = try secretVerdict(response, read: read)
                revealed += values
                checked.append(note)
            } catch {
                // A later path's failure still carries what earlier paths revealed.
                var failure = error
                failure.revealed = revealed + failure.revealed
                throw failure
            }
        }
        if !reads.isEmpty {
            details["paths"] = .array(reads.map { .string($0.path) })
            message += "; " + Message.joined(checked, separator: "; ")
        }
        var outcome = finish(message, details, last)
        outcome.revealed = revealed
        if let warning = tokenWarning(details) {
            outcome = ProbeOutcome.warn(.tokenExpiring, outcome.message, hint: warning, details: outcome.details)
                .presenting(outcome.certificate)
            outcome.revealed = revealed
        }
        return outcome
    }

    private func finish(_ message: Message, _ details: JSONObject, _ response: HTTPResponse) -> ProbeOutcome {
        var all = details
        all["timings_ms"] = .object(response.timings.details)
        return response.annotated(
            ProbeOutcome.pass(message, details: all)
                .cappedOverHTTP(https: base.lowercased().hasPrefix("https://"), tls: tls))
    }

    /// `GET /v1/<path>`, with the token and namespace when `authenticated`.
    private func get(_ path: String, authenticated: Bool, _ deadline: Deadline) async throws(ProbeFailure) -> HTTPResponse {
        var headers: [(name: String, value: String)] = [("X-Vault-Request", "true")]
        if authenticated, let token {
            headers.append(("X-Vault-Token", token.revealed))
            if let namespace, !namespace.isEmpty { headers.append(("X-Vault-Namespace", namespace)) }
        }
        return try await dependencies.transport.send(
            HTTPRequest(url: base + "/v1/" + path, headers: headers, tls: tls), deadline: deadline)
    }

    // MARK: the three answers

    /// The version (and role) from sys/health, or the failure its status means.
    func healthVerdict(_ response: HTTPResponse, _ details: inout JSONObject) throws(ProbeFailure) -> String {
        let body = try? JSONParser.parse(response.body)
        let object = body?.objectValue
        let version = object?["version"]?.stringValue.map { TerminalText.oneLine(String($0.prefix(40))) }
        if let version { details["version"] = .string(version) }
        switch response.status {
        case 200, 429, 472, 473:
            guard object != nil else { throw unreadable(response, "sys/health") }
            let standby = response.status == 429 || object?["standby"]?.boolValue == true
            let performance = response.status == 473 || object?["performance_standby"]?.boolValue == true
            details["sealed"] = false
            details["standby"] = .bool(standby)
            details["performance_standby"] = .bool(performance)
            if response.status == 472 { details["dr_secondary"] = true }
            if let cluster = object?["cluster_name"]?.stringValue { details["cluster_name"] = .string(TerminalText.oneLine(String(cluster.prefix(80)))) }
            let role = performance ? "performance standby" : standby ? "standby" : response.status == 472 ? "DR secondary" : "active"
            return (version ?? "?") + " (\(role))"
        case 474:
            throw ProbeFailure(
                .upstreamError, "the Vault at \(label: display) is a standby that cannot reach the active node (sys/health answered 474)",
                hint: "check the cluster: requests this node forwards to the active node fail", details: details)
        case 501:
            throw ProbeFailure(.notInitialized, "the Vault at \(label: display) is not initialized (sys/health answered 501)", details: details)
        case 503:
            details["sealed"] = true
            throw ProbeFailure(.sealed, "the Vault at \(label: display) is sealed (sys/health answered 503)", details: details)
        default:
            throw unreadable(response, "sys/health")
        }
    }

    /// What lookup-self says of the token, or the failure.
    func tokenVerdict(_ response: HTTPResponse, token: Secret, _ details: inout JSONObject) throws(ProbeFailure) -> Message {
        let source = tokenKey ?? "the token"
        switch response.status {
        case 200: break
        case 400, 401, 403:
            throw ProbeFailure(
                .invalidToken, "Vault at \(label: display) rejected the token in \(key: source)\(serverErrors(response))", details: details)
        default:
            throw unreadable(response, "auth/token/lookup-self")
        }
        guard let data = (try? JSONParser.parse(response.body))?.objectValue?["data"]?.objectValue else {
            throw unreadable(response, "auth/token/lookup-self")
        }
        let policies = (data["policies"]?.arrayValue ?? []).compactMap(\.stringValue).map { TerminalText.oneLine(String($0.prefix(80))) }
        details["policies"] = .array(policies.map { .string($0) })
        if let name = data["display_name"]?.stringValue { details["token_display_name"] = .string(TerminalText.oneLine(String(name.prefix(80)))) }
        let ttl = Self.seconds(data["ttl"])
        let renewable = data["renewable"]?.boolValue ?? false
        details["token_ttl_s"] = .int(ttl)
        details["token_renewable"] = .bool(renewable)
        if policies.contains("root") {
            throw ProbeFailure(
                .rootToken, "the token in \(key: source) has the root policy: an application must never hold a root token", details: details)
        }
        let held: Message = policies.isEmpty ? "no policies" : "policies \(policies.joined(separator: ", "))"
        let lifetime: Message = ttl == 0 ? "no expiry" : "expires in \(label: Self.span(seconds: ttl))\(label: renewable ? ", renewable" : "")"
        return "token ok (\(held); \(lifetime))"
    }

    /// The hint when the token is about to expire and cannot be renewed.
    func tokenWarning(_ details: JSONObject) -> Message? {
        guard let ttl = details["token_ttl_s"]?.doubleValue.map({ Int($0) }), ttl > 0, details["token_renewable"] == false,
            Duration.seconds(ttl) < warnTTL
        else { return nil }
        return "the token expires in \(label: Self.span(seconds: ttl)) and is not renewable: issue a renewable or periodic token (or let vault-agent manage it)"
    }

    /// The values at a path and a note on what was checked, or the failure.
    func secretVerdict(_ response: HTTPResponse, read: VaultRead) throws(ProbeFailure) -> ([String], Message) {
        switch response.status {
        case 200: break
        case 403:
            throw ProbeFailure(
                .permissionDenied, "the token may not read \(label: read.path) (403)\(serverErrors(response))",
                hint: "grant the token's policy read on \(label: read.path), or check VAULT_NAMESPACE")
        case 404:
            throw ProbeFailure(.noSuchSecret, "nothing is stored at \(label: read.path) (404)")
        default:
            throw unreadable(response, read.path)
        }
        guard let data = (try? JSONParser.parse(response.body))?.objectValue?["data"]?.objectValue else {
            throw unreadable(response, read.path)
        }
        // KV v2 nests the fields under data.data, with data.metadata beside them (both
        // objects; a v1 secret may have a field named metadata).
        let isV2 = data["metadata"]?.objectValue != nil && data["data"]?.objectValue != nil && data.entries.count <= 2
        let fields = isV2 ? (data["data"]?.objectValue ?? JSONObject()) : data
        let values = fields.entries.flatMap { Self.leaves($0.value) }
        let missing = zip(read.fields, read.sources).filter { name, _ in
            guard let value = fields[name] else { return true }
            return value.isNull || value.stringValue?.isEmpty == true
        }
        guard missing.isEmpty else {
            // Each missing key with where it is needed when a template asks (`F (t.ctmpl:3)`).
            let named = missing.map { name, source in source.hasPrefix("the ") ? name : "\(name) (\(source))" }
            var failure = ProbeFailure(
                .missingKeys,
                "\(label: read.path) lacks \(missing.count) of the \(read.fields.count) \(label: read.fields.count == 1 ? "key" : "keys") needed: \(label: named.joined(separator: ", "))"
            )
            failure.revealed = values
            throw failure
        }
        let note: Message =
            read.fields.isEmpty
            ? "\(label: read.path) readable (\(fields.entries.count) \(label: fields.entries.count == 1 ? "key" : "keys"))"
            : "\(label: read.path) has the \(read.fields.count) \(label: read.fields.count == 1 ? "key" : "keys") needed"
        return (values, note)
    }

    /// An answer the probe cannot read.
    private func unreadable(_ response: HTTPResponse, _ path: String) -> ProbeFailure {
        ProbeFailure(.upstreamError, "Vault at \(label: display) answered \(response.status) to \(label: path)\(serverErrors(response))")
    }

    /// `: <Vault's first error>`, scrubbed (the token is hidden before the text is cut).
    private func serverErrors(_ response: HTTPResponse) -> Message {
        guard let errors = (try? JSONParser.parse(response.body))?.objectValue?["errors"]?.arrayValue,
            let first = errors.compactMap(\.stringValue).first(where: { !$0.trimmingSpaces.isEmpty })
        else { return "" }
        return ": \(TerminalText.quote(first, hiding: token.map { [$0.revealed] } ?? [], limit: 160))"
    }

    /// Every string a secret's value holds, the value itself for scalars and whole objects
    /// and lists too: each a secret of the result.
    static func leaves(_ value: JSONValue) -> [String] {
        switch value {
        case .null: []
        case .string(let s): [s]
        case .object(let o): [JSONWriter.write(value, pretty: false)] + o.entries.flatMap { leaves($0.value) }
        case .array(let a): [JSONWriter.write(value, pretty: false)] + a.flatMap(leaves)
        default: [JSONWriter.write(value, pretty: false)]
        }
    }

    /// A JSON number of seconds as an Int, whatever the server sends (`1e300` included).
    static func seconds(_ value: JSONValue?) -> Int {
        guard let d = value?.doubleValue, d.isFinite, d > 0 else { return 0 }
        return Int(min(d, 1e12))
    }

    /// `3d4h`, `5h12m`, `42m`, `30s`.
    static func span(seconds: Int) -> String {
        let d = seconds / 86_400
        let h = seconds % 86_400 / 3600
        let m = seconds % 3600 / 60
        if d > 0 { return h > 0 ? "\(d)d\(h)h" : "\(d)d" }
        if h > 0 { return m > 0 ? "\(h)h\(m)m" : "\(h)h" }
        return m > 0 ? "\(m)m" : "\(seconds)s"
    }
}
