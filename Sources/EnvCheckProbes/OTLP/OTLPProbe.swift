import EnvCheckCore

/// `otlp`: proves that the app's OTLP/HTTP traces endpoint takes an export, as the app's
/// SDK would send it (docs/protocols.md §14): `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` as given,
/// else `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`; `http/protobuf` (default) or
/// `http/json`; the `OTEL_EXPORTER_OTLP_HEADERS` (secrets); one `ResourceSpans` with the
/// app's resource, one `ScopeSpans` (scope `envcheck`) and no span.
/// - pass: 2xx with no partial success.
/// - warn: `partial_success`; `service_name_missing` (no `OTEL_SERVICE_NAME` nor
///   `service.name`); `environment_mismatch` (`deployment.environment(.name)` missing or not
///   the app's environment); `tls_verify_disabled`, `cert_expiring`.
/// - fail: `export_rejected` (an error status), `protocol` (a 2xx that is not OTLP), and the
///   HTTP layer's transport codes.
/// - error: `unsupported_protocol` (grpc), `invalid_resource_attributes`, `invalid_url`,
///   `invalid_config`.
public struct OTLPProbe: Probe {
    let url: String
    let display: String
    let transport: OTLPProtocol
    let headers: [(key: String, value: String)]
    let tls: TLSOptions
    let serviceName: String?
    let attributes: [(key: String, value: String)]
    let attributesKey: String?
    let environment: EnvironmentName?
    let dependencies: Dependencies

    /// The two resource attributes the checks read, as the SDK resolves them:
    /// `OTEL_SERVICE_NAME` wins over `service.name`; `deployment.environment.name` (current
    /// semantic conventions) over `deployment.environment`.
    var resolvedServiceName: String? {
        if let serviceName, !serviceName.isEmpty { return serviceName }
        return attributes.last { $0.key == "service.name" }.map(\.value).flatMap { $0.isEmpty ? nil : $0 }
    }

    var deploymentEnvironment: (key: String, value: String)? {
        attributes.last { $0.key == "deployment.environment.name" } ?? attributes.last { $0.key == "deployment.environment" }
    }

    /// The resource sent: the app's attributes, its service name, and the environment
    /// when the app's resource lacks one.
    var sentAttributes: [(key: String, value: String)] {
        var sent = attributes.filter { $0.key != "service.name" }
        sent.insert(("service.name", resolvedServiceName ?? "unknown_service"), at: 0)
        if deploymentEnvironment == nil, let name = environment?.name { sent.append(("deployment.environment", name)) }
        return sent
    }

    public var targets: [String] { [CurlURL.target(of: url)] }

    public func check(_ context: ProbeContext) async throws -> ProbeOutcome {
        let body =
            transport == .json
            ? OTLPExport.json(attributes: sentAttributes, scopeVersion: Self.version)
            : OTLPExport.protobuf(attributes: sentAttributes, scopeVersion: Self.version)
        var requestHeaders: [(name: String, value: String)] = [("Content-Type", transport.contentType)]
        requestHeaders += headers.map { (name: $0.key, value: $0.value) }
        let request = HTTPRequest(method: "POST", url: url, headers: requestHeaders, body: body, tls: tls)
        let response = try await dependencies.transport.send(request, deadline: context.deadline)
        do throws(ProbeFailure) {
            return response.annotated(try verdict(response))
        } catch {
            throw response.addresses.failure(after: error)
        }
    }

    func verdict(_ response: HTTPResponse) throws(ProbeFailure) -> ProbeOutcome {
        var details: JSONObject = [
            "endpoint": .string(display), "protocol": .string(transport.rawValue), "status": .int(response.status),
            "timings_ms": .object(response.timings.details),
        ]
        if let name = resolvedServiceName { details["service_name"] = .string(name) }
        if let env = deploymentEnvironment { details["deployment_environment"] = .string(env.value) }
        let json = transport == .json || response.header("Content-Type")?.lowercased().hasPrefix("application/json") == true
        guard (200...299).contains(response.status) else {
            let said = OTLPExport.statusMessage(response.body, json: json).map { ": \(TerminalText.quote($0, hiding: secrets, limit: 160))" } ?? ""
            var hint: Message? = nil
            if response.status == 404 {
                hint =
                    "nothing serves that path: OTEL_EXPORTER_OTLP_ENDPOINT is the base (/v1/traces is added), OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is used as given"
            } else if response.status == 415 || response.status == 400 {
                hint = "the collector may expect another encoding: check OTEL_EXPORTER_OTLP_PROTOCOL (http/protobuf or http/json)"
            } else if response.status == 401 || response.status == 403 {
                hint = "the collector refused the credentials: check OTEL_EXPORTER_OTLP_HEADERS"
            }
            throw ProbeFailure(
                .exportRejected, "the collector at \(label: display) answered \(response.status) to an empty trace export\(said)", hint: hint,
                details: details)
        }
        guard let partial = OTLPExport.partialSuccess(response.body, json: json) else {
            throw ProbeFailure(
                .protocolError, "\(label: display) answered \(response.status), but not with an OTLP export response", details: details)
        }
        var message: Message = "the collector at \(label: display) accepted an empty trace export (\(label: transport.rawValue), \(response.timings.totalMs)ms)"
        var warnings: [(ErrorCode, Message, Message)] = []
        if !partial.isEmpty {
            details["rejected_spans"] = .int(Int(max(0, partial.rejectedSpans)))
            let said = partial.errorMessage.isEmpty ? "" : ": \(TerminalText.quote(partial.errorMessage, hiding: secrets, limit: 160))"
            warnings.append(
                (.partialSuccess, "a partial success (\(Int(max(0, partial.rejectedSpans))) rejected)\(said)", Self.codes[.partialSuccess]?.hint ?? ""))
        }
        if resolvedServiceName == nil {
            warnings.append((.serviceNameMissing, "no service name: spans show as unknown_service", Self.codes[.serviceNameMissing]?.hint ?? ""))
        }
        if let environment, let name = environment.name {
            if let env = deploymentEnvironment {
                // The same name, or two names of the same known kind (prod and production).
                let sameKind = EnvironmentName.kind(of: env.value).map { $0 == environment.kind } ?? false
                if env.value.lowercased() != name.lowercased() && !sameKind {
                    warnings.append(
                        (
                            .environmentMismatch,
                            "\(label: env.key) is \(env.value), but the app's environment is \(name) (\(key: environment.key ?? "ENVIRONMENT"))",
                            "set \(label: env.key)=\(name) in \(label: attributesKey ?? "OTEL_RESOURCE_ATTRIBUTES")"
                        ))
                }
            } else {
                warnings.append(
                    (
                        .environmentMismatch, "the resource names no deployment.environment (the app's environment is \(name))",
                        "add deployment.environment.name=\(name) to \(label: attributesKey ?? "OTEL_RESOURCE_ATTRIBUTES")"
                    ))
            }
        }
        guard let first = warnings.first else {
            return ProbeOutcome.pass(message, details: details).cappedOverHTTP(https: url.lowercased().hasPrefix("https://"), tls: tls)
        }
        message += ", but " + Message.joined(warnings.map(\.1), separator: "; ")
        return ProbeOutcome.warn(first.0, message, hint: first.2, details: details)
    }

    /// The header values: hidden in any quote of the collector's words before it is cut.
    var secrets: [String] { HTTPRequest.secrets(of: headers.map { (name: $0.key, value: $0.value) }) }

    /// The scope version sent with the export.
    static let version = "1"
}
