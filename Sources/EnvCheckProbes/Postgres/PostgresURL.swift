import EnvCheckCore

/// Turns the connection strings applications use into one libpq accepts
/// (docs/protocols.md §6): strips `jdbc:` and SQLAlchemy `+driver` suffixes, translates
/// asyncpg's and JDBC's `ssl=` into `sslmode=`, and drops query parameters libpq does not
/// know (Prisma's `?schema=public`), noting each change. Keyword/value strings pass as
/// they are. Pure text work: libpq validates the result.
enum PostgresURL {
    struct Normalised: Equatable {
        var text: String
        /// What was changed, for the result's details (never a value, only names).
        var notes: [String]
    }

    static let sslModes: Set<String> = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]

    /// - Throws: `invalid_url` for a URL whose scheme is not PostgreSQL's.
    static func normalise(_ raw: String, knownKeywords: Set<String>) throws(ProbeFailure) -> Normalised {
        var text = raw.trimmingSpaces
        var notes: [String] = []
        if text.lowercased().hasPrefix("jdbc:") {
            text.removeFirst(5)
            notes.append("dropped the jdbc: prefix")
        }
        guard let separator = text.firstRange(of: "://") else {
            return Normalised(text: text, notes: notes)  // keyword/value conninfo
        }
        let scheme = text[..<separator.lowerBound].lowercased()
        let base = scheme.split(separator: "+", maxSplits: 1).first.map(String.init) ?? scheme
        guard base == "postgres" || base == "postgresql" else {
            throw ProbeFailure.misconfigured(
                .invalidURL, "the URL's scheme \(scheme.prefix(20)):// is not postgres:// or postgresql://",
                hint: "use postgres://user:password@host:5432/dbname")
        }
        if base != scheme {
            notes.append("dropped the driver suffix +\(scheme.dropFirst(base.count + 1))")
        }
        var rest = String(text[separator.upperBound...])
        var query = ""
        // As libpq reads it: a '?' before the '@' of the userinfo belongs to the password.
        let credentialsEnd = rest.firstIndex { $0 == "@" || $0 == "/" }.flatMap { rest[$0] == "@" ? $0 : nil }
        if let mark = rest[(credentialsEnd ?? rest.startIndex)...].firstIndex(of: "?") {
            query = String(rest[rest.index(after: mark)...])
            rest = String(rest[..<mark])
        }
        let kept = filterQuery(query, knownKeywords: knownKeywords, notes: &notes)
        return Normalised(text: base + "://" + rest + (kept.isEmpty ? "" : "?" + kept), notes: notes)
    }

    /// The query parameters libpq accepts, in their original encoding.
    private static func filterQuery(_ query: String, knownKeywords: Set<String>, notes: inout [String]) -> String {
        let pairs = query.split(separator: "&", omittingEmptySubsequences: true).map { pair -> (String, String) in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (PercentEncoding.decode(String(parts[0])), parts.count > 1 ? String(parts[1]) : "")
        }
        let hasSSLMode = pairs.contains { $0.0 == "sslmode" }
        var kept: [String] = []
        for (name, value) in pairs {
            if name == "ssl" {
                if let mode = sslMode(fromSSL: PercentEncoding.decode(value).lowercased()), !hasSSLMode {
                    kept.append("sslmode=" + mode)
                    notes.append("read ssl=\(mode == "require" ? "true" : mode) as sslmode=\(mode)")
                } else {
                    notes.append("dropped the query parameter ssl (sslmode given, or a value libpq does not know)")
                }
            } else if knownKeywords.contains(name) {
                kept.append(PercentEncoding.encode(name) + "=" + value)
            } else {
                notes.append("dropped the query parameter \(identifierOrEllipsis(name)) (not a libpq option)")
            }
        }
        return kept.joined(separator: "&")
    }

    /// JDBC's `ssl=true` and asyncpg's `ssl=<sslmode>`.
    private static func sslMode(fromSSL value: String) -> String? {
        switch value {
        case "true", "1", "on", "yes": "require"
        case "false", "0", "off", "no": "disable"
        default: sslModes.contains(value) ? value : nil
        }
    }

    /// `text` when it looks like a parameter name, else an ellipsis (it could hold anything).
    static func identifierOrEllipsis(_ text: String) -> String {
        let isName =
            !text.isEmpty && text.count <= 40
            && text.unicodeScalars.allSatisfy { ($0.properties.isAlphabetic && $0.isASCII) || $0 == "_" || $0 == "-" || ("0"..."9").contains($0) }
        return isName ? text : "…"
    }

    /// libpq's parse error, made safe to show: libpq quotes pieces of the string (tokens,
    /// even the whole URI), which may hold the password, so a quoted fragment is kept only
    /// when it is a libpq keyword or a bit of punctuation; then it is quoted the shared way
    /// (``TerminalText/quote(_:hiding:limit:)``), hiding every password-looking value of
    /// `raw` and any `://user:password@`.
    static func safeParseError(_ libpqText: String, raw: String, knownKeywords: Set<String>) -> String {
        var out = ""
        var inQuote = false
        var fragment = ""
        for ch in libpqText {
            if ch == "\"" {
                if inQuote { out += "\"" + (isSafe(fragment, knownKeywords) ? fragment : "…") + "\"" }
                fragment = ""
                inQuote.toggle()
            } else if inQuote {
                fragment.append(ch)
            } else {
                out.append(ch)
            }
        }
        if inQuote { out += "\"…" }
        return TerminalText.quote(out, hiding: URLCredentials.passwords(in: raw))
    }

    private static func isSafe(_ fragment: String, _ knownKeywords: Set<String>) -> Bool {
        knownKeywords.contains(fragment)
            || (fragment.count <= 2 && fragment.unicodeScalars.allSatisfy { $0.isASCII && !$0.properties.isAlphabetic && !("0"..."9").contains($0) })
    }
}
