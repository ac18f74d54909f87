import EnvCheckCore

/// What a scan found, per key and per file, in a deterministic order (files sorted), with
/// no secret value anywhere: secrets are named by key or shape only.
struct NextPublicFindings {
    struct KeyResult {
        enum Status: String {
            case baked
            case notBaked = "not_baked"
            case unverifiable
        }
        let key: String
        let status: Status
        let value: String?
        /// The first client chunk holding the value (baked), or why it is unverifiable.
        let note: String?
    }

    struct Located: Equatable {
        /// A key name, or a ``ScanPattern`` raw value for a credential shape.
        let name: String
        let file: String
    }

    var keys: [KeyResult] = []
    var notInlined: [Located] = []
    var leaks: [Located] = []
    var placeholders: [(key: String, reason: String)] = []

    /// The literal forms to search for each expected value; empty when searching would
    /// prove nothing (``ValueRules/unverifiableReason(_:)``).
    static func searchForms(_ plan: NextPublicPlan) -> [[String]] {
        plan.expected.map { expected in
            guard let value = expected.value, ValueRules.unverifiableReason(value) == nil else { return [] }
            return ValueRules.literalForms(of: value)
        }
    }

    init(plan: NextPublicPlan, hits: [TreeScanner.Hit]) {
        let hits = hits.sorted { $0.file.relative < $1.file.relative }
        var bakedIn: [Int: String] = [:]
        for hit in hits where hit.file.role == .clientScript {
            for index in hit.findings.values where bakedIn[index] == nil { bakedIn[index] = hit.file.relative }
            for name in hit.findings.notInlined.sorted() where !plan.ignored.contains(name) {
                notInlined.append(Located(name: name, file: hit.file.relative))
            }
        }
        for hit in hits {
            for index in hit.findings.secrets.sorted() { leaks.append(Located(name: plan.secrets[index].name, file: hit.file.relative)) }
            for shape in hit.findings.shapes.map(\.rawValue).sorted() { leaks.append(Located(name: shape, file: hit.file.relative)) }
        }
        for (index, expected) in plan.expected.enumerated() {
            keys.append(Self.result(expected, bakedIn: bakedIn[index]))
            if plan.productionLike, let reason = ValueRules.placeholderReason(expected.value ?? "") {
                placeholders.append((expected.key, expected.value == nil ? "is not set" : reason))
            }
        }
    }

    private static func result(_ expected: NextPublicPlan.Expected, bakedIn file: String?) -> KeyResult {
        guard let value = expected.value else {
            return KeyResult(key: expected.key, status: .unverifiable, value: nil, note: "not set in the configuration")
        }
        let shown = URLCredentials.redact(value)
        if let reason = ValueRules.unverifiableReason(value) {
            return KeyResult(key: expected.key, status: .unverifiable, value: shown, note: reason)
        }
        if let file { return KeyResult(key: expected.key, status: .baked, value: shown, note: file) }
        return KeyResult(key: expected.key, status: .notBaked, value: shown, note: nil)
    }

    func keysWith(_ status: KeyResult.Status) -> [KeyResult] { keys.filter { $0.status == status } }

    /// Per-key results and every finding, for `details`.
    func addDetails(to details: inout JSONObject, plan: NextPublicPlan) {
        var perKey = JSONObject()
        for result in keys {
            var entry: JSONObject = ["status": .string(result.status.rawValue)]
            if let value = result.value { entry["value"] = .string(value) }
            switch result.status {
            case .baked: entry["file"] = result.note.map(JSONValue.string)
            case .unverifiable: entry["reason"] = result.note.map(JSONValue.string)
            case .notBaked: break
            }
            perKey[result.key] = .object(entry)
        }
        details["keys"] = .object(perKey)
        if !plan.ignored.isEmpty { details["ignored"] = .array(plan.ignored.map(JSONValue.string)) }
        details["not_inlined"] = .array(notInlined.map { .object(["key": .string($0.name), "file": .string($0.file)]) })
        details["secrets_checked"] = .array(plan.secrets.map { .string($0.name) })
        if !plan.secretsAlsoPublic.isEmpty { details["secrets_also_public"] = .array(plan.secretsAlsoPublic.map(JSONValue.string)) }
        details["leaks"] = .array(leaks.map { .object(["key": .string($0.name), "file": .string($0.file)]) })
        if plan.productionLike {
            details["environment"] = plan.environmentName.map(JSONValue.string)
            details["placeholders"] = .array(placeholders.map { .object(["key": .string($0.key), "reason": .string($0.reason)]) })
        }
    }
}
