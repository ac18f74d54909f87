import EnvCheckCore

/// OpenRouter answers, as docs/protocols.md §1 describes them.
enum OpenRouterBodies {
    static func key(
        label: String = "sk-or-v1-abc...890", limit: String = "10", remaining: String? = "7.5",
        usage: String = "2.5", expiresAt: String? = nil, extra: String = ""
    ) -> String {
        var fields = [
            #""label":"\#(label)""#, #""limit":\#(limit)"#, #""usage":\#(usage)"#, #""usage_daily":0.25"#,
            #""is_free_tier":false"#, #""limit_reset":null"#,
        ]
        if let remaining { fields.append(#""limit_remaining":\#(remaining)"#) }
        if let expiresAt { fields.append(#""expires_at":\#(expiresAt)"#) }
        if !extra.isEmpty { fields.append(extra) }
        return #"{"data":{"# + fields.joined(separator: ",") + "}}"
    }

    static func error(_ code: Int, _ message: String, metadata: String? = nil) -> String {
        #"{"error":{"code":\#(code),"message":"\#(message)""# + (metadata.map { #","metadata":\#($0)"# } ?? "") + "}}"
    }
}
