import EnvCheckCore
import EnvCheckKeys

extension VaultProbe {
    static let addrInput = ProbeInput("addr", keys: ["VAULT_ADDR"], secret: .credentials)
    static let tokenInput = ProbeInput("token", keys: ["VAULT_APP_TOKEN", "VAULT_TOKEN"], secret: .whole)
    static let namespaceInput = ProbeInput("namespace", keys: ["VAULT_NAMESPACE"])
    static let projectInput = ProbeInput("project", keys: ["VAULT_PROJECT"])
    static let environmentInput = ProbeInput("environment", keys: ["VAULT_ENVIRONMENT", "ENVIRONMENT", "ENV"])
    static let componentInput = ProbeInput("component", keys: ["VAULT_COMPONENT"])

    static let pathOption = ProbeOption.string(
        "path", "the KV path after /v1/ (default secret/data/{project}/{environment}/{component})")
    static let keysOption = ProbeOption.stringList("keys", "Vault field names that must be present and non-empty at path")
    static let templateOption = ProbeOption.string(
        "template", "a consul-template file: every field its with secret blocks read must be there (also --template)")
    static let tokenWarnTTL = ProbeOption.duration("token_warn_ttl", "a non-renewable token expiring sooner is a warning (default 24h)")

    /// The most distinct paths a template may make the probe read.
    static let maxPaths = 32

    /// The probe's I/O: HTTP over libcurl, and the template reader (tests give text).
    struct Dependencies: Sendable {
        var transport: any HTTPTransport = CurlTransport()
        var readFile: @Sendable (String) throws(FileSystem.Failure) -> [UInt8] = { path throws(FileSystem.Failure) in
            try FileSystem.read(path, limit: Limits.fileBytes)
        }

        static let live = Dependencies()
    }

    /// The registry entry: in the default, not critical, skipped without VAULT_ADDR.
    public static let kind = kind(.live)

    static func kind(_ dependencies: Dependencies) -> ProbeKind {
        ProbeKind(
            kind: "vault", summary: "VAULT_ADDR is unsealed, the app's token is valid and not root, and its secret path holds the keys expected",
            critical: false, inputs: [addrInput, tokenInput, namespaceInput, projectInput, environmentInput, componentInput],
            options: [pathOption, keysOption, templateOption, tokenWarnTTL], codes: codes
        ) { settings in setup(settings, dependencies) }
    }

    static let codes: [ProbeCode] = [
        ProbeCode(.sealed, .fail, meaning: "the Vault server is sealed (503 from sys/health)", hint: "unseal it (vault operator unseal, or its auto-unseal)"),
        ProbeCode(
            .notInitialized, .fail, meaning: "the Vault server is not initialized (501 from sys/health)",
            hint: "initialize it (vault operator init), or point VAULT_ADDR at the cluster in use"),
        ProbeCode(
            .invalidToken, .fail, meaning: "lookup-self rejected the token: unknown, revoked or expired",
            hint: "issue the app a new token (or check the agent's auto-auth), and update VAULT_APP_TOKEN or VAULT_TOKEN"
        ).permanent,
        ProbeCode(
            .rootToken, .fail, meaning: "the token holds the root policy: never in an application",
            hint: "give the app a token with its own policy only (vault token create -policy=<app>), and revoke this one"
        ).permanent,
        ProbeCode(
            .tokenExpiring, .warn, meaning: "the token is not renewable and expires within token_warn_ttl (default 24h)",
            hint: "issue a renewable or periodic token (or let vault-agent manage it) before it expires"),
        ProbeCode(
            .permissionDenied, .fail, meaning: "the token's policies do not allow reading the secret path",
            hint: "grant the app's policy read on the path (path \"<mount>/data/<path>\" { capabilities = [\"read\"] })"
        ).permanent,
        ProbeCode(
            .noSuchSecret, .fail, meaning: "nothing is stored at the secret path (or its latest version is deleted)",
            hint: "check VAULT_PROJECT, ENVIRONMENT and VAULT_COMPONENT (or the path option), and that the secret was written"),
        ProbeCode(
            .missingKeys, .fail, meaning: "a key the keys option or the template needs is absent or empty at its path",
            hint: "write the missing keys to the path (vault kv patch), or fix the template"),
        ProbeCode.upstreamError.with(meaning: "Vault answered with an error or a shape the probe cannot read"),
        .dns, .connectionRefused, .tls, .network, .protocolError, .invalidURL, .tlsVerifyDisabled, .certExpiring,
    ]

    static func setup(_ settings: ProbeSettings, _ dependencies: Dependencies) -> ProbeSetup {
        guard let addr = settings.value(addrInput) else { return .notConfigured("\(settings.describe(addrInput)) is not set") }
        do throws(ProbeFailure) {
            let base = addr.value.trimmingSpaces.trimmingTrailing("/")
            guard let parts = CurlURL.components(base), parts.scheme == "http" || parts.scheme == "https" else {
                throw .misconfigured(.invalidURL, "\(key: addr.key) is not an http(s) URL")
            }
            let token = settings.value(tokenInput)
            var reads: [VaultRead] = []
            let path = try secretPath(settings)
            if let keys = settings[keysOption], !keys.isEmpty {
                guard let path else {
                    throw .misconfigured(
                        .invalidConfig,
                        "keys needs a secret path: set the path option, or VAULT_PROJECT, ENVIRONMENT and VAULT_COMPONENT")
                }
                reads.append(VaultRead(path: path, fields: keys, sources: keys.map { _ in "the keys option" }))
            }
            if let template = settings[templateOption] ?? settings.global.template {
                reads += try templateReads(template, dependencies)
            }
            if reads.isEmpty, let path { reads.append(VaultRead(path: path, fields: [], sources: [])) }
            if token == nil && !reads.isEmpty {
                throw .misconfigured(
                    .invalidConfig, "reading \(label: reads[0].path) needs a token: \(settings.describe(tokenInput)) is not set")
            }
            guard Set(reads.map(\.path)).count <= maxPaths else {
                throw .misconfigured(.invalidConfig, "the template reads more than \(maxPaths) secret paths (the limit)")
            }
            return .ready(
                VaultProbe(
                    base: base, display: "\(parts.host):\(parts.port)", token: token.map { Secret($0.value) }, tokenKey: token?.key,
                    namespace: settings.value(namespaceInput)?.value, reads: reads,
                    warnTTL: settings[tokenWarnTTL] ?? .seconds(24 * 3600), tls: TLSOptions(settings), dependencies: dependencies))
        } catch {
            return .invalid(error)
        }
    }

    /// The `path` option, else `secret/data/{project}/{environment}/{component}` when all
    /// three are set; nil otherwise.
    static func secretPath(_ settings: ProbeSettings) throws(ProbeFailure) -> String? {
        if let path = settings[pathOption]?.trimmingSpaces, !path.isEmpty { return try apiPath(path, from: "path") }
        let parts = [projectInput, environmentInput, componentInput].map { settings.value($0)?.value.trimmingSpaces }
        guard let project = parts[0], let environment = parts[1], let component = parts[2] else { return nil }
        return "secret/data/\(project)/\(environment)/\(component)"
    }

    /// A Vault API path as the probe reads it: after `/v1/`, no `..`, query or fragment
    /// (`from` names where it came from).
    static func apiPath(_ path: String, from: String) throws(ProbeFailure) -> String {
        let trimmed = path.hasPrefix("/v1/") ? String(path.dropFirst(4)) : path.hasPrefix("/") ? String(path.dropFirst()) : path
        guard !trimmed.isEmpty, !trimmed.contains(".."), !trimmed.contains("?"), !trimmed.contains("#") else {
            throw .misconfigured(
                .invalidConfig,
                "\(label: from): \(TerminalText.oneLine(String(path.prefix(80)))) is not a Vault API path such as secret/data/app/production/api")
        }
        return trimmed
    }

    /// Every `with secret "P"` block's fields, by path.
    static func templateReads(_ file: String, _ dependencies: Dependencies) throws(ProbeFailure) -> [VaultRead] {
        let text: String
        do throws(FileSystem.Failure) {
            text = String(decoding: try dependencies.readFile(file), as: UTF8.self)
        } catch {
            throw .misconfigured(.invalidConfig, "the template \(label: file) cannot be read: \(label: error.description)")
        }
        let reads: [TemplateSecretRead]
        do throws(KeysInputError) {
            reads = try TemplateParser.secretReads(text, path: file)
        } catch {
            throw .misconfigured(.invalidConfig, "\(label: error.description)")
        }
        var byPath: [VaultRead] = []
        for read in reads {
            _ = try apiPath(read.path, from: "\(file):\(read.line)")
            if let i = byPath.firstIndex(where: { $0.path == read.path }) {
                byPath[i].fields.append(read.field)
                byPath[i].sources.append("\(file):\(read.line)")
            } else {
                byPath.append(VaultRead(path: read.path, fields: [read.field], sources: ["\(file):\(read.line)"]))
            }
        }
        return byPath
    }
}

/// One secret path the probe reads, the fields that must be there, and where each demand
/// comes from (`the keys option`, `secrets.ctmpl:12`).
struct VaultRead: Sendable, Equatable {
    var path: String
    var fields: [String]
    var sources: [String]
}

extension ErrorCode {
    static let sealed = ErrorCode("sealed")
    static let notInitialized = ErrorCode("not_initialized")
    static let rootToken = ErrorCode("root_token")
    static let tokenExpiring = ErrorCode("token_expiring")
    static let noSuchSecret = ErrorCode("no_such_secret")
    static let missingKeys = ErrorCode("missing_keys")
}

extension String {
    fileprivate func trimmingTrailing(_ character: Character) -> String {
        var s = Substring(self)
        while s.last == character { s = s.dropLast() }
        return String(s)
    }
}
