/// `envcheck snapshot`: one environment's configuration, redacted, as a JSON file that
/// `envcheck diff` compares with another (docs/snapshots.md). Every key with its source;
/// non-secret values as they are (scrubbed); secrets never, only their length and, with a
/// shared `ENVCHECK_FINGERPRINT_KEY`, a keyed fingerprint; URL passwords masked and
/// fingerprinted the same way; the resources the probes use (a database on a host, a
/// bucket); the environment; and, with `--check`, the probe results.
public struct Snapshot: Sendable, Equatable {
    public struct Environment: Sendable, Equatable {
        public let name: String?
        public let kind: String
        public let key: String?
    }

    public struct Key: Sendable, Equatable {
        public let key: String
        public let source: String
        public let secret: Bool
        /// The value shown (scrubbed; a URL with its password masked); nil for a secret.
        public let value: String?
        public let length: Int
        /// `hmac:xxxxxxxx` of the secret (or of a URL's password); nil without a key, or
        /// for a secret under 12 characters.
        public let fingerprint: String?
        public let probes: [String]
    }

    public struct Resource: Sendable, Equatable {
        public let probe: String
        public let resource: ProbeResource

        public init(probe: String, resource: ProbeResource) {
            self.probe = probe
            self.resource = resource
        }
    }

    public var environment: Environment
    /// The fingerprint key's id (first 8 hex of HMAC(key, "envcheck-key-id")); nil: no key.
    public var keyID: String?
    public var createdAt: String
    public var keys: [Key]
    public var resources: [Resource]
    /// The probe results (`--check`), as the JSON report has them.
    public var probes: [JSONValue]?
    public var notes: [String]
}

extension Snapshot {
    /// The snapshot of `report`'s configuration: the set keys a probe or rule reads, the
    /// `NEXT_PUBLIC_*` ones, those from env files, and (with `all`) every other set key.
    public init(
        report: ConfigReport, environment: EnvironmentName, resources: [Resource], probes: [JSONValue]?, createdAtEpochMs: Int64,
        redactor: Redactor, all: Bool, isSecretValue: (String) -> Bool = { _ in false }
    ) {
        self.environment = Environment(name: environment.name, kind: environment.kind.rawValue, key: environment.key)
        keyID = report.fingerprinter?.keyID
        createdAt = Timestamp.iso8601(epochMs: createdAtEpochMs)
        keys = report.rows.compactMap { row in
            guard let entry = row.entry else { return nil }
            let fromFile: Bool = if case .environment = entry.source { false } else { true }
            guard row.group != .unread || fromFile || all else { return nil }
            let passwords = URLCredentials.passwords(in: entry.value)
            // A value the run's inventory holds (a part of a secret) is one, whatever its name.
            let secret = row.secret || isSecretValue(entry.value)
            let fingerprint: String? =
                secret
                ? report.fingerprinter?.fingerprint(entry.value)
                : passwords.isEmpty ? nil : report.fingerprinter?.fingerprint(passwords.joined(separator: "\u{0}"))
            return Key(
                key: row.key, source: entry.source.description, secret: secret,
                value: secret ? nil : report.display(entry.value, secret: false, redactor: redactor), length: entry.value.count,
                fingerprint: fingerprint, probes: row.probes)
        }
        self.resources = resources
        self.probes = probes
        notes = report.notes
    }

    /// The snapshot as JSON (`schemas/snapshot.schema.json`).
    public func json() -> String {
        var body = JSONObject()
        body["created_at"] = .string(createdAt)
        body["environment"] = .object([
            "name": environment.name.map(JSONValue.string) ?? .null, "kind": .string(environment.kind),
            "key": environment.key.map(JSONValue.string) ?? .null,
        ])
        body["fingerprint_key_id"] = keyID.map(JSONValue.string) ?? .null
        body["keys"] = .array(
            keys.map { k in
                .object([
                    "key": .string(k.key), "source": .string(k.source), "secret": .bool(k.secret), "value": k.value.map(JSONValue.string) ?? .null,
                    "length": .int(k.length), "fingerprint": k.fingerprint.map(JSONValue.string) ?? .null, "probes": .array(k.probes.map(JSONValue.string)),
                ])
            })
        body["resources"] = .array(
            resources.map { r in
                .object([
                    "probe": .string(r.probe), "what": .string(r.resource.what), "host": .string(r.resource.host),
                    "port": r.resource.port.map(JSONValue.int) ?? .null, "name": .string(r.resource.name), "key": .string(r.resource.key),
                ])
            })
        if let probes { body["probes"] = .array(probes) }
        body["notes"] = .array(notes.map(JSONValue.string))
        return JSONWriter.write(.object(ReportEnvelope.json(mode: "snapshot", body: body))) + "\n"
    }
}

/// Why a file is not a snapshot `diff` can read: exit 2, naming the file.
public struct SnapshotError: Error, Equatable, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "\(path): \(reason)" }
}

extension Snapshot {
    /// The largest snapshot read (a snapshot of 4096 keys is about 1 MiB).
    public static let maximumBytes = 16 << 20

    /// Reads a snapshot file's text; anything else (not JSON, another report, a newer
    /// schema, a key without its fields) is a ``SnapshotError`` naming what is wrong.
    public static func parse(_ bytes: [UInt8], path: String) throws(SnapshotError) -> Snapshot {
        func fail(_ reason: String) -> SnapshotError { SnapshotError(path: path, reason: reason) }
        let root: JSONObject
        do {
            guard let object = try JSONParser.parse(bytes, maximumBytes: maximumBytes).objectValue else {
                throw fail("not an envcheck snapshot (the JSON is not an object)")
            }
            root = object
        } catch let error as JSONParser.ParseError {
            throw fail("not an envcheck snapshot (\(error))")
        } catch {
            throw error as? SnapshotError ?? fail("unreadable")
        }
        guard root["tool"]?.stringValue == ReportEnvelope.tool else { throw fail("not an envcheck snapshot (no \"tool\": \"envcheck\")") }
        guard let mode = root["mode"]?.stringValue else { throw fail("not an envcheck snapshot (no \"mode\")") }
        guard mode == "snapshot" else {
            throw fail("an envcheck \(mode) report, not a snapshot (make one with: envcheck snapshot --out FILE)")
        }
        guard case .int(let version) = root["schema_version"] else { throw fail("no schema_version") }
        guard version == ReportEnvelope.schemaVersion else {
            throw fail("schema_version \(version), but this envcheck reads \(ReportEnvelope.schemaVersion)")
        }
        guard let env = root["environment"]?.objectValue, let kind = env["kind"]?.stringValue else {
            throw fail("no \"environment\" with a \"kind\"")
        }
        func optionalString(_ o: JSONObject, _ name: String, _ at: String) throws(SnapshotError) -> String? {
            switch o[name] {
            case nil, .null?: return nil
            case .string(let s)?: return s
            default: throw fail("\(at): \"\(name)\" must be a string or null")
            }
        }
        guard let keyArray = root["keys"]?.arrayValue else { throw fail("no \"keys\" list") }
        var keys: [Key] = []
        for (i, item) in keyArray.enumerated() {
            let at = "keys[\(i)]"
            guard let o = item.objectValue, let key = o["key"]?.stringValue, !key.isEmpty, let secret = o["secret"]?.boolValue,
                case .int(let length) = o["length"] ?? .null
            else { throw fail("\(at) needs \"key\", \"secret\" and \"length\"") }
            let value = try optionalString(o, "value", at)
            if secret && value != nil { throw fail("\(at) (\(key)) is a secret with a value: a snapshot never holds one") }
            keys.append(
                Key(
                    key: key, source: o["source"]?.stringValue ?? "", secret: secret, value: value, length: length,
                    fingerprint: try optionalString(o, "fingerprint", at), probes: o["probes"]?.arrayValue?.compactMap(\.stringValue) ?? []))
        }
        var resources: [Resource] = []
        for (i, item) in (root["resources"]?.arrayValue ?? []).enumerated() {
            guard let o = item.objectValue, let what = o["what"]?.stringValue, let host = o["host"]?.stringValue, let name = o["name"]?.stringValue else {
                throw fail("resources[\(i)] needs \"what\", \"host\" and \"name\"")
            }
            let port: Int? = if case .int(let p) = o["port"] ?? .null { p } else { nil }
            resources.append(
                Resource(
                    probe: o["probe"]?.stringValue ?? "",
                    resource: ProbeResource(what: what, host: host, port: port, name: name, key: o["key"]?.stringValue ?? "")))
        }
        return Snapshot(
            environment: Environment(name: try optionalString(env, "name", "environment"), kind: kind, key: try optionalString(env, "key", "environment")),
            keyID: try optionalString(root, "fingerprint_key_id", "the snapshot"), createdAt: root["created_at"]?.stringValue ?? "", keys: keys,
            resources: resources, probes: root["probes"]?.arrayValue, notes: root["notes"]?.arrayValue?.compactMap(\.stringValue) ?? [])
    }
}
