/// Textual shapes the scan recognises beyond literal values: an un-inlined
/// `.env.NEXT_PUBLIC_X` member expression and well-known credential shapes. Each is a
/// literal the ``LiteralMatcher`` finds, confirmed by a small hand-written matcher on
/// the bytes that follow (no regex engine without Foundation).
enum ScanPattern: String, Sendable, CaseIterable {
    /// `\.env\.NEXT_PUBLIC_[A-Za-z0-9_]+`: webpack `r.env.X`, Turbopack `t.default.env.X`.
    case notInlined = "not_inlined"
    /// `sk-or-` followed by at least 20 key characters.
    case openRouterKey = "openrouter_api_key"
    /// `AKIA[0-9A-Z]{16}` as a whole word (AWS's documentation example excluded).
    case awsAccessKeyID = "aws_access_key_id"
    /// `postgres://user:password@` or `postgresql://user:password@`.
    case postgresURL = "postgres_url_with_password"
    /// `-----BEGIN ... PRIVATE KEY-----` followed by key material.
    case privateKey = "pem_private_key"

    var literals: [String] {
        switch self {
        case .notInlined: [".env.NEXT_PUBLIC_"]
        case .openRouterKey: ["sk-or-"]
        case .awsAccessKeyID: ["AKIA"]
        case .postgresURL: ["postgres://", "postgresql://"]
        case .privateKey: ["-----BEGIN "]
        }
    }

    /// The most bytes a confirmation reads past its literal.
    static let maxExtension = 300

    enum Confirmation: Equatable {
        case no
        /// A match; `name` is the key an un-inlined reference names.
        case yes(name: String?)
        /// The buffer ends too early to tell; the next chunk (which overlaps) will.
        case needMore
    }

    /// Confirms the literal of `length` bytes found at `start`. `final`: no bytes follow
    /// the buffer, so its end is the end of the file.
    func confirm(_ b: UnsafePointer<UInt8>, count: Int, start: Int, length: Int, final: Bool) -> Confirmation {
        var cursor = Cursor(b: b, count: count, position: start + length, final: final)
        let before: UInt8? = start > 0 ? b[start - 1] : nil
        switch self {
        case .notInlined:
            guard let name = cursor.run(max: 200, { Cursor.isWord($0) }) else { return .needMore }
            return name.isEmpty ? .no : .yes(name: "NEXT_PUBLIC_" + String(decoding: name, as: UTF8.self))
        case .openRouterKey:
            if let before, Cursor.isAlnum(before) { return .no }
            guard let key = cursor.run(max: 20, { Cursor.isWord($0) || $0 == UInt8(ascii: "-") }) else { return .needMore }
            return key.count >= 20 ? .yes(name: nil) : .no
        case .awsAccessKeyID:
            if let before, Cursor.isAlnum(before) { return .no }
            guard let id = cursor.run(max: 16, { Cursor.isUpperOrDigit($0) }) else { return .needMore }
            guard id.count == 16 else { return .no }
            guard let wordEnds = cursor.atWordEnd else { return .needMore }
            return wordEnds && String(decoding: id, as: UTF8.self) != "IOSFODNN7EXAMPLE" ? .yes(name: nil) : .no
        case .postgresURL:
            return confirmUserinfo(&cursor)
        case .privateKey:
            return confirmPrivateKey(&cursor)
        }
    }

    private static let userinfoStops: Set<UInt8> = Set("/?#@\"'` \n\r\t\\<>".utf8)

    /// `user:password@`, unless the password is a template (`${...}`, `<...>`) or `***`.
    private func confirmUserinfo(_ cursor: inout Cursor) -> Confirmation {
        let stops = Self.userinfoStops
        guard let user = cursor.run(max: 128, { !stops.contains($0) && $0 != UInt8(ascii: ":") }) else { return .needMore }
        guard !user.isEmpty, let colon = cursor.next() else { return cursor.exhausted ? .needMore : .no }
        guard colon == UInt8(ascii: ":") else { return .no }
        guard let password = cursor.run(max: 128, { !stops.contains($0) }) else { return .needMore }
        guard let at = cursor.next() else { return cursor.exhausted ? .needMore : .no }
        guard at == UInt8(ascii: "@"), let first = password.first else { return .no }
        let templated = [UInt8(ascii: "$"), UInt8(ascii: "<"), UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "%")].contains(first)
        return templated || password.allSatisfy({ $0 == UInt8(ascii: "*") }) ? .no : .yes(name: nil)
    }

    /// `[A-Z0-9 ]*PRIVATE KEY-----`, then line breaks (raw or escaped) and key material.
    private func confirmPrivateKey(_ cursor: inout Cursor) -> Confirmation {
        guard let label = cursor.run(max: 40, { Cursor.isUpperOrDigit($0) || $0 == UInt8(ascii: " ") }) else { return .needMore }
        guard label.count >= 11, label.suffix(11).elementsEqual("PRIVATE KEY".utf8) else { return .no }
        for expected in "-----".utf8 {
            guard let byte = cursor.next() else { return cursor.exhausted ? .needMore : .no }
            if byte != expected { return .no }
        }
        // A library's bare header constant is no leak: 40 base64 characters must follow.
        let breaks: Set<UInt8> = Set("\r\n\\nr".utf8)
        guard cursor.run(max: 8, { breaks.contains($0) }) != nil else { return .needMore }
        guard let body = cursor.run(max: 40, { Cursor.isAlnum($0) || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "/") })
        else { return .needMore }
        return body.count >= 40 ? .yes(name: nil) : .no
    }
}

/// Reads forward from a position in a buffer, telling "the buffer ended" from "the
/// file ended".
struct Cursor {
    let b: UnsafePointer<UInt8>
    let count: Int
    var position: Int
    let final: Bool

    /// The buffer ended but the file goes on.
    var exhausted: Bool { position >= count && !final }

    mutating func next() -> UInt8? {
        guard position < count else { return nil }
        defer { position += 1 }
        return b[position]
    }

    /// Up to `max` bytes satisfying `accept`; nil when the buffer (not the file) ended first.
    mutating func run(max: Int, _ accept: (UInt8) -> Bool) -> [UInt8]? {
        var out: [UInt8] = []
        while out.count < max {
            guard position < count else { return final ? out : nil }
            guard accept(b[position]) else { return out }
            out.append(b[position])
            position += 1
        }
        return out
    }

    /// Whether the next byte ends a word (nil: unknown yet).
    var atWordEnd: Bool? {
        guard position < count else { return final ? true : nil }
        return !Cursor.isAlnum(b[position])
    }

    static func isAlnum(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
    }
    static func isWord(_ c: UInt8) -> Bool { isAlnum(c) || c == UInt8(ascii: "_") }
    static func isUpperOrDigit(_ c: UInt8) -> Bool { (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) }
}
