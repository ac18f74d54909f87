/// `envcheck list`: one row per planned probe (its id, kind, criticality, whether its keys
/// are set, the keys it reads and its kind's summary), as a table or as JSON in the shared
/// envelope (`mode` "list", schemas/list.schema.json; `list --codes` is ``CodesReport``).
public struct ListReport: Sendable {
    public struct Row: Sendable {
        public let id: String, kind: String, critical: Bool, configured: Bool, keys: [String], summary: String

        public init(id: String, kind: String, critical: Bool, configured: Bool, keys: [String], summary: String) {
            self.id = id
            self.kind = kind
            self.critical = critical
            self.configured = configured
            self.keys = keys
            self.summary = summary
        }
    }

    public let rows: [Row]

    public init(rows: [Row]) { self.rows = rows }

    /// The report in `format` (`human` or `json`).
    public func render(_ format: String) -> String { format == JSONReporter.identifier ? json() : human() }

    public func human() -> String {
        let w = max(2, rows.map(\.id.count).max() ?? 0)
        let k = max(4, rows.map(\.kind.count).max() ?? 0)
        var lines = ["\(Self.pad("ID", w))  \(Self.pad("KIND", k))  CRITICAL  CONFIGURED  KEYS"]
        for r in rows {
            let columns = [Self.pad(r.id, w), Self.pad(r.kind, k), Self.pad(r.critical ? "yes" : "no", 8), Self.pad(r.configured ? "yes" : "no", 10)]
            let line = (columns + [r.keys.joined(separator: ", ")]).joined(separator: "  ")
            lines.append(String(line.reversed().drop { $0 == " " }.reversed()))
            lines.append("\(Self.pad("", w))  \(r.summary)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public func json() -> String {
        let probes: [JSONValue] = rows.map { r in
            .object([
                "id": .string(r.id), "kind": .string(r.kind), "critical": .bool(r.critical), "configured": .bool(r.configured),
                "keys": .array(r.keys.map { .string($0) }), "summary": .string(r.summary),
            ])
        }
        var body = JSONObject()
        body["probes"] = .array(probes)
        return JSONWriter.write(.object(ReportEnvelope.json(mode: "list", body: body))) + "\n"
    }

    static func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s : s + String(repeating: " ", count: w - s.count) }
}
