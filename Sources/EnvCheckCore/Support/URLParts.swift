/// The parts of `scheme://[userinfo@]host[:port][/path][?query][#fragment]` that name a place,
/// without decoding anything: what the policy rules, snapshots and diffs judge (a host, a
/// database or bucket name). The userinfo is everything up to the last `@` before the host
/// (docs/security.md), and is never kept.
public struct URLParts: Sendable, Equatable {
    public let scheme: String
    public let host: String
    public let port: Int?
    /// The first path segment (a database name, a Redis database index), or "".
    public let firstSegment: String
    public let hasUserinfo: Bool
    /// What follows the authority (path, query, fragment), as written.
    public let rest: Substring
    /// The URL up to the end of the authority, as written.
    public let authorityText: Substring

    public init?(_ url: String) {
        guard let sep = url.utf8FirstRange(of: "://"), sep.lowerBound > url.startIndex else { return nil }
        let after = url[sep.upperBound...]
        let isDelimiter = { (c: Character) in c == "/" || c == "?" || c == "#" }
        var end = after.firstIndex(where: isDelimiter) ?? after.endIndex
        // The userinfo runs to the last `@` before the host, as URLCredentials reads it: a
        // `/` in a password (`u:pa/ss@host`) pushes the host further on.
        var at = after[..<end].lastIndex(of: "@")
        if let lastAt = after.lastIndex(of: "@"), lastAt >= end, after[..<(at ?? end)].contains(":") { at = lastAt }
        hasUserinfo = at != nil
        var authority = after[..<end]
        if let at {
            let host = after[after.index(after: at)...]
            end = host.firstIndex(where: isDelimiter) ?? host.endIndex
            authority = host[..<end]
        }
        guard let hp = try? HostPort.parse(String(authority)), !hp.host.isEmpty else { return nil }
        scheme = url[..<sep.lowerBound].lowercased()
        host = hp.host
        port = hp.port
        rest = after[end...]
        authorityText = url[..<end]
        var path = rest
        if path.hasPrefix("/") { path = path.dropFirst() }
        firstSegment = String(path.prefix { $0 != "/" && $0 != "?" && $0 != "#" })
    }
}
