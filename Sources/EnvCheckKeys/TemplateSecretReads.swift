import EnvCheckCore

/// One field a consul-template reads from Vault: inside `{{ with secret "P" }}`, an action
/// naming `.Data.data.FIELD` (KV v2) or `.Data.FIELD` (KV v1), `index .Data.data "FIELD"`,
/// or inline `(secret "P").Data.data.FIELD`.
public struct TemplateSecretRead: Sendable, Equatable {
    /// The Vault API path after `/v1/` (`secret/data/app/production/api`).
    public let path: String
    public let field: String
    public let file: String
    public let line: Int

    public init(path: String, field: String, file: String, line: Int) {
        self.path = path
        self.field = field
        self.file = file
        self.line = line
    }
}

extension TemplateParser {
    /// The fields `text` reads from Vault, in template order, each once per path. Paths built
    /// at render time (`secret (printf ...)`) cannot be known here and are left out. An
    /// unparseable template throws as ``parse(_:path:)`` does.
    public static func secretReads(_ text: String, path file: String) throws(KeysInputError) -> [TemplateSecretRead] {
        let scalars: [Unicode.Scalar]
        do { scalars = try TextInput.scalars(text) } catch {
            throw KeysInputError(path: file, line: error.line, message: error.message)
        }
        var scanner = TemplateScanner(scalars, path: file)
        let pieces = try scanner.pieces()
        _ = try keys(in: pieces, path: file)  // the same structural checks (blocks closed, ...)
        // The secret path `.` stands for in each open block (nil: `.` is something else).
        var scopes: [String?] = []
        var reads: [TemplateSecretRead] = []
        var seen = Set<String>()
        func add(_ path: String, _ field: String, _ line: Int) {
            guard !field.isEmpty, seen.insert(path + "\u{0}" + field).inserted else { return }
            reads.append(TemplateSecretRead(path: path, field: field, file: file, line: line))
        }
        for piece in pieces {
            guard case .action(let body, let line) = piece else { continue }
            // The regular expressions below may backtrack: an action is read for secrets only
            // up to a bound no real one reaches, which keeps the whole read linear in the file.
            guard body.utf8.count <= maxActionBytes else { continue }
            let trimmed = body.trimmingSpaces
            let word = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "(" }).first.map(String.init) ?? ""
            let current = scopes.last ?? nil
            // Inline reads: `(secret "P").Data.data.F`, anywhere.
            for match in trimmed.matches(of: /\(\s*secret\s+"([^"]+)"[^)]*\)\.Data((?:\.[A-Za-z0-9_]+)+)/) {
                let (path, chain) = (String(match.output.1), String(match.output.2))
                if let field = field(in: chain, path: path) { add(path, field, line) }
            }
            switch word {
            case "with":
                if let match = trimmed.firstMatch(of: /^with\s+secret\s+"([^"]+)"/) {
                    scopes.append(String(match.output.1))
                } else {
                    scopes.append(nil)
                }
                continue
            case "range", "define", "block":
                scopes.append(nil)
                continue
            case "if":
                scopes.append(current)
            case "else":
                continue
            case "end":
                _ = scopes.popLast()
                continue
            default: break
            }
            guard let current else { continue }
            for match in trimmed.matches(of: /(?:^|[\s(])\.Data((?:\.[A-Za-z0-9_]+)+)/) {
                if let field = field(in: String(match.output.1), path: current) { add(current, field, line) }
            }
            for match in trimmed.matches(of: /index\s+\.Data(\.data)?\s+"([^"]+)"/) {
                let isV2 = match.output.1 != nil
                if isV2 == current.contains("/data/") { add(current, String(match.output.2), line) }
            }
        }
        return reads
    }

    /// The longest action read for secret fields (4 KiB); longer ones are skipped.
    public static let maxActionBytes = 4096

    /// The field a `.Data…` chain names: `.data.F` for a KV v2 path (`…/data/…`), `.F` for
    /// KV v1; nil for `.data` alone or `.metadata`.
    static func field(in chain: String, path: String) -> String? {
        let parts = chain.split(separator: ".").map(String.init)
        if path.contains("/data/") {
            guard parts.count >= 2, parts[0] == "data" else { return nil }
            return parts[1]
        }
        return parts.first
    }
}
