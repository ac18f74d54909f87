import EnvCheckCore

/// `cors_matches_frontend`: `CORS_ORIGINS` reads the way pydantic reads a list (a JSON list,
/// or a comma list for a field that splits it), every entry is an origin as a browser sends
/// it in `Origin` (scheme, lower-case host, optional non-default port; no path, no trailing
/// slash), `*` is not combined with credentials, and the frontend's origin
/// (`NEXT_PUBLIC_APP_URL`) is listed. CORS middlewares compare the strings exactly, so
/// `https://app.example.com/` never matches.
enum CorsRule {
    static let originKeys = ["CORS_ORIGINS", "BACKEND_CORS_ORIGINS"]
    static let frontendKeys = ["NEXT_PUBLIC_APP_URL"]

    static let rule = PolicyRule(
        .corsMatchesFrontend,
        summary: "CORS_ORIGINS is a list of bare origins (no path, no trailing slash, no * with credentials) that includes NEXT_PUBLIC_APP_URL's origin",
        hint:
            "list each origin exactly as the browser sends it (https://app.example.com: scheme, lower-case host, port only when not the default), including the frontend's",
        severity: PolicyRule.severity(local: .fail, staging: .fail, production: .fail),
        examples: [
            RuleExample(
                config: [
                    "CORS_ORIGINS": "[\"https://app.example.com\", \"https://admin.example.com\"]", "NEXT_PUBLIC_APP_URL": "https://app.example.com/dashboard",
                ],
                expect: nil, note: "a JSON list with the frontend's origin"),
            RuleExample(
                config: ["CORS_ORIGINS": "http://localhost:3000,http://localhost:5173", "NEXT_PUBLIC_APP_URL": "http://localhost:3000"], expect: nil,
                note: "a comma list"),
            RuleExample(
                config: ["CORS_ORIGINS": "https://app.example.com/", "NEXT_PUBLIC_APP_URL": "https://app.example.com"], expect: .fail,
                note: "a trailing slash never matches"),
            RuleExample(
                config: ["CORS_ORIGINS": "[\"https://admin.example.com\"]", "NEXT_PUBLIC_APP_URL": "https://app.example.com"], expect: .fail,
                note: "the frontend's origin is missing"),
            RuleExample(config: ["CORS_ORIGINS": "*", "CORS_ALLOW_CREDENTIALS": "true"], expect: .fail, note: "* with credentials"),
            RuleExample(config: ["CORS_ORIGINS": "[\"https://app.example.com\""], expect: .fail, note: "not a list pydantic can read"),
        ],
        check: check)

    /// The list as pydantic-settings reads it, or why it cannot.
    static func entries(_ value: String) -> Result<[String], RuleProblem> {
        let text = value.trimmingSpaces
        guard text.hasPrefix("[") else {
            return .success(text.split(separator: ",").map { String($0).trimmingSpaces }.filter { !$0.isEmpty })
        }
        guard let parsed = try? JSONParser.parse(text), let items = parsed.arrayValue else {
            return .failure(RuleProblem("is not a JSON list (pydantic would refuse it at start-up)"))
        }
        var out: [String] = []
        for item in items {
            guard let s = item.stringValue else { return .failure(RuleProblem("is a JSON list with an entry that is not a string")) }
            out.append(s)
        }
        return .success(out)
    }

    /// What is wrong with one entry as an origin, or nil.
    static func problem(with entry: String) -> Message? {
        guard let origin = URLParts(entry) else { return "\(entry) is not an origin (scheme://host[:port])" }
        if origin.rest == "/" { return "\(entry) ends with a slash, which the browser's Origin never has" }
        if !origin.rest.isEmpty { return "\(entry) has a path, query or fragment; an origin has none" }
        if origin.hasUserinfo { return "\(entry) has a user name; an origin has none" }
        if origin.scheme != "http" && origin.scheme != "https" { return "\(entry) is not http or https" }
        if origin.authorityText != origin.authorityText.lowercased() { return "\(entry) has capitals; browsers send scheme and host in lower case" }
        if Self.hasDefaultPort(origin) { return "\(entry) names the default port, which the browser's Origin leaves out" }
        return nil
    }

    static func hasDefaultPort(_ u: URLParts) -> Bool { (u.scheme == "https" && u.port == 443) || (u.scheme == "http" && u.port == 80) }

    /// The origin as a browser sends it: lower-case scheme and host, no default port.
    static func origin(_ u: URLParts) -> String {
        let host = u.host.lowercased()
        let h = host.contains(":") ? "[\(host)]" : host
        return "\(u.scheme)://\(h)" + (u.port.map { hasDefaultPort(u) ? "" : ":\($0)" } ?? "")
    }

    static func check(_ c: PolicyContext) -> RuleVerdict {
        guard let origins = c.first(PolicyProbe.corsInput) else { return .pass("\(label: originKeys[0]) is not set") }
        let (key, value) = (origins.key, origins.value)
        let list: [String]
        switch entries(value) {
        case .failure(let p): return .broken("\(key: key) \(label: p.text)", keys: [key])
        case .success(let l): list = l
        }
        var problems: [Message] = []
        let credentials = PolicyNames.isTruthy(c.value(c.options.corsCredentialsKey) ?? "")
        if list.contains("*") && credentials {
            problems.append("\(key: key) allows * while \(key: c.options.corsCredentialsKey) is on (browsers refuse credentials with *)")
        }
        for entry in list where entry != "*" { if let p = problem(with: entry) { problems.append("\(key: key): " + p) } }
        var keys = [key]
        if let frontend = c.first(PolicyProbe.frontendInput) {
            let (frontendKey, url) = (frontend.key, frontend.value)
            keys.append(frontendKey)
            if let origin = URLParts(url), origin.scheme == "http" || origin.scheme == "https", !origin.hasUserinfo {
                let wanted = Self.origin(origin)
                if !list.contains(wanted) && !(list.contains("*") && !credentials) {
                    problems.append("\(key: key) does not list \(wanted), the origin of \(key: frontendKey)")
                }
            } else {
                problems.append("\(key: frontendKey) is not an http(s) URL, so its origin is unknown")
            }
        }
        guard !problems.isEmpty else { return .pass("\(key: key) lists \(list.count) origin(s), the frontend's included") }
        return .broken(Message.joined(problems, separator: "; "), keys: keys)
    }
}

/// A rule's finding about a value, in envcheck's own words.
struct RuleProblem: Error {
    let text: String
    init(_ text: String) { self.text = text }
}

extension ErrorCode {
    /// CORS_ORIGINS is malformed or misses the frontend's origin.
    static let corsMatchesFrontend = ErrorCode("cors_matches_frontend")
}
