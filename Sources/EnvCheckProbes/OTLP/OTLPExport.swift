import EnvCheckCore

/// The one export request the otlp probe sends, and the answers it reads (docs/protocols.md
/// §14): an `ExportTraceServiceRequest` with one `ResourceSpans` (the app's resource
/// attributes, `service.name` and `deployment.environment` among them), one `ScopeSpans`
/// (scope `envcheck`) and no span, so the collector accepts it and stores nothing.
enum OTLPExport {
    /// `ExportTraceServiceRequest` in protobuf's binary wire format.
    static func protobuf(attributes: [(key: String, value: String)], scopeVersion: String) -> [UInt8] {
        var resource: [UInt8] = []
        for (key, value) in attributes {
            var anyValue: [UInt8] = []
            Protobuf.appendBytes(1, Array(value.utf8), to: &anyValue)  // AnyValue.string_value
            var keyValue: [UInt8] = []
            Protobuf.appendBytes(1, Array(key.utf8), to: &keyValue)  // KeyValue.key
            Protobuf.appendBytes(2, anyValue, to: &keyValue)  // KeyValue.value
            Protobuf.appendBytes(1, keyValue, to: &resource)  // Resource.attributes
        }
        var scope: [UInt8] = []
        Protobuf.appendBytes(1, Array("envcheck".utf8), to: &scope)  // InstrumentationScope.name
        Protobuf.appendBytes(2, Array(scopeVersion.utf8), to: &scope)  // .version
        var scopeSpans: [UInt8] = []
        Protobuf.appendBytes(1, scope, to: &scopeSpans)  // ScopeSpans.scope; no spans
        var resourceSpans: [UInt8] = []
        Protobuf.appendBytes(1, resource, to: &resourceSpans)  // ResourceSpans.resource
        Protobuf.appendBytes(2, scopeSpans, to: &resourceSpans)  // .scope_spans
        var request: [UInt8] = []
        Protobuf.appendBytes(1, resourceSpans, to: &request)  // ExportTraceServiceRequest.resource_spans
        return request
    }

    /// The same request in OTLP/JSON (protobuf's JSON mapping, lowerCamelCase fields).
    static func json(attributes: [(key: String, value: String)], scopeVersion: String) -> [UInt8] {
        let attributeValues: [JSONValue] = attributes.map { key, value in
            .object(["key": .string(key), "value": .object(["stringValue": .string(value)])])
        }
        let request: JSONValue = .object([
            "resourceSpans": .array([
                .object([
                    "resource": .object(["attributes": .array(attributeValues)]),
                    "scopeSpans": .array([
                        .object(["scope": .object(["name": "envcheck", "version": .string(scopeVersion)]), "spans": .array([])])
                    ]),
                ])
            ])
        ])
        return Array(JSONWriter.write(request, pretty: false).utf8)
    }

    /// What an `ExportTraceServiceResponse` says of partial success: rejected spans and the
    /// server's message (both absent on full success).
    struct PartialSuccess: Equatable {
        var rejectedSpans: Int64 = 0
        var errorMessage = ""
        var isEmpty: Bool { rejectedSpans == 0 && errorMessage.isEmpty }
    }

    /// The partial success of a 2xx answer; nil when the body cannot be read as `protobuf`
    /// or `json` (an empty body is full success).
    static func partialSuccess(_ body: [UInt8], json: Bool) -> PartialSuccess? {
        if body.isEmpty { return PartialSuccess() }
        if json {
            guard let object = (try? JSONParser.parse(body))?.objectValue else { return nil }
            guard let partial = object["partialSuccess"]?.objectValue ?? object["partial_success"]?.objectValue else { return PartialSuccess() }
            let rejected = partial["rejectedSpans"] ?? partial["rejected_spans"]
            let count = rejected?.stringValue.flatMap { Int64($0) } ?? rejected?.doubleValue.map(clamped) ?? 0
            let message = (partial["errorMessage"] ?? partial["error_message"])?.stringValue ?? ""
            return PartialSuccess(rejectedSpans: count, errorMessage: message)
        }
        guard let fields = Protobuf.fields(body) else { return nil }
        var result = PartialSuccess()
        for field in fields where field.number == 1 {
            guard case .bytes(let inner) = field.value, let partial = Protobuf.fields(inner) else { return nil }
            for f in partial {
                switch (f.number, f.value) {
                case (1, .varint(let n)): result.rejectedSpans = Int64(clamping: n)
                case (2, .bytes(let text)): result.errorMessage = String(decoding: text, as: UTF8.self)
                default: break
                }
            }
        }
        return result
    }

    /// A JSON number as a count, whatever the server sends (`1e30`, `-5`, `inf`).
    static func clamped(_ d: Double) -> Int64 {
        guard d.isFinite, d > 0 else { return 0 }
        return d >= 9e18 ? Int64.max : Int64(d)
    }

    /// The message of an error answer: a `google.rpc.Status` (protobuf field 2, or JSON
    /// `message`); else the body itself when it is text (a proxy's error page); else nil.
    static func statusMessage(_ body: [UInt8], json: Bool) -> String? {
        if json || body.first == UInt8(ascii: "{") {
            if let message = (try? JSONParser.parse(body))?.objectValue?["message"]?.stringValue { return message }
        } else if let fields = Protobuf.fields(body) {
            for field in fields where field.number == 2 {
                if case .bytes(let text) = field.value, let message = String(validating: text, as: UTF8.self) { return message }
            }
        }
        let head = Array(body.prefix(4096))
        guard !head.isEmpty, !head.contains(0), let text = String(validating: head, as: UTF8.self) else { return nil }
        return text.trimmingSpaces.isEmpty ? nil : text
    }
}

/// The little of protobuf's wire format the probe needs: length-delimited fields out, a
/// flat field list in (varint, fixed and length-delimited values; groups refused).
enum Protobuf {
    enum Value: Equatable {
        case varint(UInt64)
        case fixed([UInt8])
        case bytes([UInt8])
    }

    static func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    /// Field `number` with wire type 2 (a string, bytes or an embedded message).
    static func appendBytes(_ number: Int, _ bytes: [UInt8], to out: inout [UInt8]) {
        appendVarint(UInt64(number << 3 | 2), to: &out)
        appendVarint(UInt64(bytes.count), to: &out)
        out += bytes
    }

    /// The top-level fields of a message; nil when it is not well-formed.
    static func fields(_ bytes: [UInt8]) -> [(number: Int, value: Value)]? {
        var i = 0
        var out: [(number: Int, value: Value)] = []
        func varint() -> UInt64? {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while i < bytes.count, shift < 64 {
                let b = bytes[i]
                i += 1
                result |= UInt64(b & 0x7F) << shift
                if b & 0x80 == 0 { return result }
                shift += 7
            }
            return nil
        }
        while i < bytes.count {
            guard let key = varint(), key >> 3 > 0, key >> 3 < 1 << 29 else { return nil }
            let number = Int(key >> 3)
            switch key & 7 {
            case 0:
                guard let v = varint() else { return nil }
                out.append((number, .varint(v)))
            case 1, 5:
                let width = key & 7 == 1 ? 8 : 4
                guard i + width <= bytes.count else { return nil }
                out.append((number, .fixed(Array(bytes[i..<i + width]))))
                i += width
            case 2:
                guard let length = varint(), length <= UInt64(bytes.count - i) else { return nil }
                out.append((number, .bytes(Array(bytes[i..<i + Int(length)]))))
                i += Int(length)
            default:
                return nil
            }
        }
        return out
    }
}
