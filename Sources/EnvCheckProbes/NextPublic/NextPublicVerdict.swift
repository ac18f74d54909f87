import EnvCheckCore

extension ErrorCode {
    /// An expected `NEXT_PUBLIC_*` value is not in the client chunks.
    public static let notBaked = ErrorCode("not_baked")
    /// A `.env.NEXT_PUBLIC_X` member expression survived in a client chunk.
    public static let notInlined = ErrorCode("not_inlined")
    /// A server secret or a credential shape is in a file the browser can fetch.
    public static let secretLeaked = ErrorCode("secret_leaked")
    /// A production `NEXT_PUBLIC_*` value is empty or points at a local/example host.
    public static let placeholderValue = ErrorCode("placeholder_value")
    /// A value too short or common to prove anything by search.
    public static let unverifiable = ErrorCode("unverifiable")
}

/// The probe's verdict from its findings: the most serious problem decides the code
/// (secret_leaked, then not_baked, not_inlined, placeholder_value); the others are named
/// in the message and all are in `details`.
struct NextPublicVerdict {
    let findings: NextPublicFindings
    let details: JSONObject
    /// "scanned 12 files (3.4 MB)", plus unreadable files.
    let scanned: String

    private struct Problem {
        let code: ErrorCode
        let message: Message
        let short: String
        let hint: Message?
    }

    func outcome() throws(ProbeFailure) -> ProbeOutcome {
        let problems = [leakProblem(), notBakedProblem(), notInlinedProblem(), placeholderProblem()].compactMap { $0 }
        if let first = problems.first {
            let others = problems.dropFirst().map(\.short)
            let also: Message = others.isEmpty ? "" : "; also \(label: others.joined(separator: ", "))"
            throw ProbeFailure(first.code, first.message + also + " (\(label: scanned))", hint: first.hint, details: details)
        }
        let baked = findings.keysWith(.baked).count
        let unverifiable = findings.keysWith(.unverifiable)
        let summary: Message = "\(baked) NEXT_PUBLIC value\(label: baked == 1 ? "" : "s") baked, no secret leaked (\(label: scanned))"
        guard unverifiable.isEmpty else {
            let names = unverifiable.map(\.key).joined(separator: ", ")
            return .warn(
                .unverifiable, "\(label: names): too short, common or unset to verify by search; \(summary)",
                hint: NextPublicProbe.codes[.unverifiable]?.hint,
                details: details)
        }
        return .pass(summary, details: details)
    }

    private func leakProblem() -> Problem? {
        let leaks = findings.leaks
        guard !leaks.isEmpty else { return nil }
        let listed = leaks.prefix(3).map { "\($0.name) in \($0.file)" }.joined(separator: ", ")
        let more = leaks.count > 3 ? " and \(leaks.count - 3) more" : ""
        return Problem(
            code: .secretLeaked, message: "secret leaked into the build: \(label: listed)\(label: more)",
            short: "\(leaks.count) secret leak\(leaks.count == 1 ? "" : "s")",
            hint: NextPublicProbe.codes[.secretLeaked]?.hint)
    }

    private func notBakedProblem() -> Problem? {
        let missing = findings.keysWith(.notBaked).map(\.key)
        guard !missing.isEmpty else { return nil }
        let message: Message =
            missing.count == 1
            ? "\(key: missing[0]) is not baked into the client chunks (its value is in no static/**/*.js)"
            : "\(missing.count) NEXT_PUBLIC values are not baked into the client chunks: \(label: missing.joined(separator: ", "))"
        return Problem(
            code: .notBaked, message: message, short: "\(missing.count) not baked",
            hint: NextPublicProbe.codes[.notBaked]?.hint)
    }

    private func notInlinedProblem() -> Problem? {
        let refs = findings.notInlined
        guard let first = refs.first else { return nil }
        let names = Set(refs.map(\.name)).sorted()
        let more = refs.count > 1 ? " and \(refs.count - 1) more files" : ""
        let message: Message =
            names.count == 1
            ? "\(key: first.name) is referenced but not inlined in \(label: first.file)\(label: more) (unset at `next build`)"
            : "\(names.count) NEXT_PUBLIC variables are referenced but not inlined: \(label: names.joined(separator: ", ")) (first in \(label: first.file))"
        return Problem(
            code: .notInlined, message: message, short: "\(names.count) not inlined",
            hint: NextPublicProbe.notInlinedHint(names.joined(separator: ", ")))
    }

    private func placeholderProblem() -> Problem? {
        let found = findings.placeholders
        guard !found.isEmpty else { return nil }
        let listed = found.map { "\($0.key) \($0.reason)" }.joined(separator: ", ")
        return Problem(
            code: .placeholderValue, message: "placeholder values in a production-like environment: \(label: listed)",
            short: "\(found.count) placeholder value\(found.count == 1 ? "" : "s")",
            hint: NextPublicProbe.codes[.placeholderValue]?.hint)
    }

    /// `1234567` → "1.2 MB", without Foundation's formatting.
    static func size(_ bytes: Int) -> String {
        if bytes < 1_000 { return "\(bytes) B" }
        let (unit, scale) = bytes < 1_000_000 ? ("kB", 1_000) : bytes < 1_000_000_000 ? ("MB", 1_000_000) : ("GB", 1_000_000_000)
        let tenths = (bytes * 10 + scale / 2) / scale
        return "\(tenths / 10).\(tenths % 10) \(unit)"
    }
}
