import EnvCheckCore

/// `http`: proves that `url` answers `method` (GET or HEAD) with a status of
/// `expect_status` (default 2xx), and, when asked, a body containing `expect_body` and JSON
/// whose `expect_json` pointers hold the values given. Headers (`headers`, every value a
/// secret) go with the request; TLS is verified unless `tls_verify: false`; redirects are
/// a failure unless `follow_redirects`, which follows up to five, sending the headers only
/// to the origin they were configured for.
/// - pass; warn: `tls_verify_disabled`, `cert_expiring` (the runner's rule).
/// - fail: `unexpected_status`, `redirect`, `body_mismatch`, and the transport's `timeout`,
///   `dns`, `connection_refused`, `tls`, `network`, `protocol`.
/// - error: `invalid_url`, `invalid_config`.
/// Reads its `url` input (manifest-only); options `method`, `expect_status`, `expect_body`,
/// `expect_json`, `headers`, `follow_redirects`, `unix_socket`.
public struct HTTPProbe: Probe {
    let target: HTTPTarget
    let method: String
    let expected: [StatusPattern]
    let expectBody: String?
    let expectJSON: [(JSONPointer, String)]
    let headers: [(name: String, value: String)]
    let followRedirects: Bool
    let tls: TLSOptions
    let dependencies: Dependencies

    /// The header values and their credentials: hidden in any quote of the server's body
    /// before it is cut (the run's redactor scrubs them again).
    var secrets: [String] { HTTPRequest.secrets(of: headers) }

    var expectedText: String { expected.map(\.description).joined(separator: " or ") }

    public var targets: [String] {
        if let socket = target.unixSocket { return [ProbeTarget.key(socket: socket)] }
        return [CurlURL.target(of: target.url)]
    }

    public func check(_ context: ProbeContext) async throws -> ProbeOutcome {
        var current = target
        var sending = headers
        var redirects: [String] = []
        while true {
            let request = HTTPRequest(method: method, url: current.url, headers: sending, tls: tls, unixSocket: current.unixSocket)
            let response = try await dependencies.transport.send(request, deadline: context.deadline)
            guard let next = try redirect(response, from: current, after: redirects.count) else {
                do throws(ProbeFailure) {
                    return response.annotated(try verdict(response, at: current, redirects: redirects))
                } catch {
                    throw response.addresses.failure(after: error)
                }
            }
            // Headers were configured for the first origin: never sent to another one.
            if CurlURL.origin(of: next.url) != CurlURL.origin(of: current.url) || next.unixSocket != current.unixSocket { sending = [] }
            redirects.append(CurlURL.origin(of: next.url) ?? next.display)
            current = next
        }
    }

    /// Where a redirect answer leads, when the probe follows it; nil for an answer to judge.
    func redirect(_ response: HTTPResponse, from current: HTTPTarget, after count: Int) throws(ProbeFailure) -> HTTPTarget? {
        guard (300...399).contains(response.status), response.status != 304, !expected.contains(where: { $0.matches(response.status) }),
            let location = response.header("Location")
        else { return nil }
        let resolved = CurlURL.resolve(location, against: current.url)
        let shown = resolved.flatMap { CurlURL.origin(of: $0) } ?? "an unusable Location"
        guard followRedirects else {
            throw response.addresses.failure(
                after: ProbeFailure(
                    .redirect,
                    "\(label: method) \(current.display) answered \(response.status), a redirect to \(TerminalText.oneLine(shown)); follow_redirects is off"
                ))
        }
        guard let resolved else {
            throw ProbeFailure(.redirect, "\(label: method) \(current.display) answered \(response.status) with a Location that is not an http(s) URL")
        }
        guard count < HTTPProbe.maxRedirects else {
            throw ProbeFailure(.redirect, "more than \(HTTPProbe.maxRedirects) redirects, the last from \(current.display)")
        }
        // A socket serves its own origin: a redirect elsewhere goes over TCP.
        let sameOrigin = CurlURL.origin(of: resolved) == CurlURL.origin(of: current.url)
        return HTTPTarget(url: resolved, unixSocket: sameOrigin ? current.unixSocket : nil)
    }

    func verdict(_ response: HTTPResponse, at current: HTTPTarget, redirects: [String]) throws(ProbeFailure) -> ProbeOutcome {
        var details: JSONObject = [
            "endpoint": .string(current.display), "method": .string(method), "status": .int(response.status),
            "timings_ms": .object(response.timings.details), "body_bytes": .int(response.body.count),
        ]
        if let type = response.header("Content-Type") { details["content_type"] = .string(TerminalText.oneLine(String(type.prefix(100)))) }
        if !redirects.isEmpty { details["redirects"] = .array(redirects.map { .string($0) }) }
        // After a redirect, the host is the server's choice: untrusted, scrubbed.
        let answered: Message = "\(label: method) \(current.display) answered \(response.status)"
        guard expected.contains(where: { $0.matches(response.status) }) else {
            throw ProbeFailure(
                .unexpectedStatus, answered + " (expected \(label: expectedText))" + excerpt(response), hint: HTTPProbe.statusHint(expectedText),
                details: details)
        }
        var checked: [Message] = []
        if let expectBody {
            guard response.bodyText.contains(expectBody) else {
                throw ProbeFailure(.bodyMismatch, answered + ", but the body does not contain expect_body" + excerpt(response), details: details)
            }
            checked.append("the body contains expect_body")
        }
        if !expectJSON.isEmpty {
            let mismatches = try jsonMismatches(response, answered: answered, details: details)
            guard mismatches.isEmpty else {
                throw ProbeFailure(
                    .bodyMismatch,
                    answered + ", but " + Message.joined(Array(mismatches.prefix(3)), separator: "; ")
                        + (mismatches.count > 3 ? "; and \(mismatches.count - 3) more" : ""), details: details)
            }
            checked.append("\(expectJSON.count) JSON \(label: expectJSON.count == 1 ? "value" : "values") as expected")
        }
        var message = answered + " in \(response.timings.totalMs)ms"
        if !redirects.isEmpty { message += " after \(redirects.count) \(label: redirects.count == 1 ? "redirect" : "redirects")" }
        if !checked.isEmpty { message += "; " + Message.joined(checked, separator: ", ") }
        return ProbeOutcome.pass(message, details: details)
            .cappedOverHTTP(https: current.isHTTPS, tls: tls)
    }

    /// What each `expect_json` pointer found that differs, in the manifest's order.
    func jsonMismatches(_ response: HTTPResponse, answered: Message, details: JSONObject) throws(ProbeFailure) -> [Message] {
        let document: JSONValue
        do throws(JSONParser.ParseError) {
            document = try JSONParser.parse(response.body)
        } catch {
            throw ProbeFailure(.bodyMismatch, answered + ", but the body is not JSON" + excerpt(response), details: details)
        }
        return expectJSON.compactMap { pointer, want -> Message? in
            guard let found = pointer.resolve(in: document) else { return "no value at \(label: pointer.description)" }
            if Self.equals(found, want) { return nil }
            return "\(label: pointer.description) is \(TerminalText.quote(JSONWriter.write(found), hiding: secrets, limit: 80)), expected \(want)"
        }
    }

    /// Whether a JSON value is the manifest's text: a string as it is, a number by value,
    /// `true`/`false`/`null` as written.
    static func equals(_ value: JSONValue, _ text: String) -> Bool {
        switch value {
        case .string(let s): s == text
        case .int, .double: value.doubleValue == Double(text.trimmingSpaces)
        case .bool(let b): text.trimmingSpaces == String(b)
        case .null: text.trimmingSpaces == "null"
        default: false
        }
    }

    /// `: <the body's first line>`, scrubbed, on one line, at most 120 characters.
    func excerpt(_ response: HTTPResponse) -> Message {
        let text = response.bodyText.trimmingSpaces
        guard !text.isEmpty else { return "" }
        return ": \(TerminalText.quote(String(text.prefix(4096)), hiding: secrets, limit: 120))"
    }
}
