import EnvCheckCore

extension OTLPProbe {
    static let tracesEndpointInput = ProbeInput("traces_endpoint", keys: ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"], secret: .credentials)
    static let endpointInput = ProbeInput("endpoint", keys: ["OTEL_EXPORTER_OTLP_ENDPOINT"], secret: .credentials)
    static let protocolInput = ProbeInput("protocol", keys: ["OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"])
    static let headersInput = ProbeInput("headers", keys: ["OTEL_EXPORTER_OTLP_TRACES_HEADERS", "OTEL_EXPORTER_OTLP_HEADERS"], secret: .headerList)
    static let certificateInput = ProbeInput("certificate", keys: ["OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE", "OTEL_EXPORTER_OTLP_CERTIFICATE"])
    static let serviceNameInput = ProbeInput("service_name", keys: ["OTEL_SERVICE_NAME"])
    static let resourceAttributesInput = ProbeInput("resource_attributes", keys: ["OTEL_RESOURCE_ATTRIBUTES"])
    static let environmentInput = ProbeInput("environment", keys: ["ENVIRONMENT", "ENV", "NODE_ENV"])
    static let disabledInput = ProbeInput("sdk_disabled", keys: ["OTEL_SDK_DISABLED"])
    static let exporterInput = ProbeInput("traces_exporter", keys: ["OTEL_TRACES_EXPORTER"])

    /// The probe's I/O: HTTP over libcurl.
    struct Dependencies: Sendable {
        var transport: any HTTPTransport = CurlTransport()

        static let live = Dependencies()
    }

    /// The registry entry: in the default, not critical, skipped without an endpoint.
    public static let kind = kind(.live)

    static func kind(_ dependencies: Dependencies) -> ProbeKind {
        ProbeKind(
            kind: "otlp",
            summary: "the OTLP/HTTP traces endpoint accepts an empty export, and the resource names the service and this environment",
            critical: false,
            inputs: [
                tracesEndpointInput, endpointInput, protocolInput, headersInput, certificateInput, serviceNameInput, resourceAttributesInput,
                environmentInput, disabledInput, exporterInput,
            ], codes: codes
        ) { settings in setup(settings, dependencies) }
    }

    static let codes: [ProbeCode] = [
        ProbeCode(
            .exportRejected, .fail, meaning: "the collector answered the export with an error status",
            hint: "check the endpoint (OTEL_EXPORTER_OTLP_ENDPOINT gets /v1/traces added; the _TRACES_ one is used as given) and the headers"),
        ProbeCode(
            .partialSuccess, .warn, meaning: "the collector accepted the export but reported a partial success (rejected spans or a message)",
            hint: "read the collector's message: it is telling the app's exporter something is wrong"),
        ProbeCode(
            .serviceNameMissing, .warn, meaning: "neither OTEL_SERVICE_NAME nor service.name in OTEL_RESOURCE_ATTRIBUTES is set",
            hint: "set OTEL_SERVICE_NAME: without it every span shows as unknown_service"),
        ProbeCode(
            .environmentMismatch, .warn, meaning: "the resource's deployment.environment(.name) is missing or is not the app's environment",
            hint: "add deployment.environment.name=<ENVIRONMENT> to OTEL_RESOURCE_ATTRIBUTES"),
        ProbeCode(
            .invalidResourceAttributes, .error, meaning: "OTEL_RESOURCE_ATTRIBUTES is not a key=value,... list with %-encoded values",
            hint: "write it as key=value pairs separated by commas, percent-encoding commas, = and spaces in values"),
        ProbeCode(
            .unsupportedProtocol, .error, meaning: "the protocol is gRPC, which the probe does not speak",
            hint: "the probe checks http/protobuf and http/json: point it at the collector's OTLP/HTTP port (4318) with a manifest"),
        ProbeCode.protocolError.with(meaning: "the 2xx answer is not an OTLP export response"),
        .dns, .connectionRefused, .tls, .network, .invalidURL, .tlsVerifyDisabled, .certExpiring,
    ]

    static func setup(_ settings: ProbeSettings, _ dependencies: Dependencies) -> ProbeSetup {
        if let disabled = settings.value(disabledInput), ProbeSettings.parseBool(disabled.value) == true {
            return .notConfigured("\(key: disabled.key) is true: the SDK exports nothing")
        }
        if let exporter = settings.value(exporterInput), exporter.value.trimmingSpaces.lowercased() == "none" {
            return .notConfigured("\(key: exporter.key) is none: the app exports no traces")
        }
        let url: String
        let urlKey: String
        if let traces = settings.value(tracesEndpointInput) {
            (url, urlKey) = (traces.value.trimmingSpaces, traces.key)
        } else if let base = settings.value(endpointInput) {
            let trimmed = base.value.trimmingSpaces
            (url, urlKey) = ((trimmed.hasSuffix("/") ? trimmed : trimmed + "/") + "v1/traces", base.key)
        } else {
            return .notConfigured("\(settings.describe(tracesEndpointInput)) and \(settings.describe(endpointInput)) are not set")
        }
        do throws(ProbeFailure) {
            guard let parts = CurlURL.components(url), parts.scheme == "http" || parts.scheme == "https" else {
                throw .misconfigured(.invalidURL, "\(key: urlKey) is not an http(s) URL")
            }
            let transport = try OTLPProtocol(settings.value(protocolInput))
            let headers = try parseList(settings.value(headersInput), invalid: .invalidConfig)
            for (name, _) in headers where !HTTPRequest.isHeaderName(name) {
                throw .misconfigured(.invalidConfig, "\(key: settings.value(headersInput)?.key ?? "the headers") names a header that is not a valid name")
            }
            let attributes = try parseList(settings.value(resourceAttributesInput), invalid: .invalidResourceAttributes)
            var tls = TLSOptions(settings)
            if tls.caFile == nil, let certificate = settings.value(certificateInput) { tls.caFile = certificate.value }
            // The one environment rule (ENVIRONMENT > ENV > NODE_ENV), unless a manifest binds the input.
            // NODE_ENV alone is a build mode, not the deployment's name: nothing to compare.
            let resolved =
                settings.bindings[environmentInput.name] != nil
                ? settings.value(environmentInput).map { EnvironmentName(name: $0.value, key: $0.key) } : EnvironmentName(config: settings.config)
            let environment = resolved.flatMap { $0.key == "NODE_ENV" || $0.name == nil ? nil : $0 }
            return .ready(
                OTLPProbe(
                    url: url, display: "\(parts.host):\(parts.port)", transport: transport, headers: headers, tls: tls,
                    serviceName: settings.value(serviceNameInput)?.value.trimmingSpaces, attributes: attributes,
                    attributesKey: settings.value(resourceAttributesInput)?.key, environment: environment, dependencies: dependencies))
        } catch {
            return .invalid(error)
        }
    }

    /// A `key=value,...` input; the error names the entry, never a value.
    static func parseList(_ value: ProbeSettings.Value?, invalid code: ErrorCode) throws(ProbeFailure) -> [(key: String, value: String)] {
        guard let value else { return [] }
        do throws(KeyValueList.ParseError) {
            return try KeyValueList.parse(value.value)
        } catch {
            throw .misconfigured(code, "\(key: value.key) entry \(error.entry): \(label: error.reason)")
        }
    }
}

/// `OTEL_EXPORTER_OTLP_PROTOCOL`: `http/protobuf` (the default) or `http/json`; `grpc` is
/// refused as unsupported, anything else as invalid.
enum OTLPProtocol: String, Sendable {
    case protobuf = "http/protobuf"
    case json = "http/json"

    init(_ value: ProbeSettings.Value?) throws(ProbeFailure) {
        guard let value else {
            self = .protobuf
            return
        }
        let text = value.value.trimmingSpaces.lowercased()
        if let known = OTLPProtocol(rawValue: text) {
            self = known
        } else if text == "grpc" {
            throw .misconfigured(.unsupportedProtocol, "\(key: value.key) is grpc: the probe checks OTLP over HTTP only (http/protobuf, http/json)")
        } else {
            throw .misconfigured(.invalidConfig, "\(key: value.key) must be grpc, http/protobuf or http/json")
        }
    }

    var contentType: String { self == .json ? "application/json" : "application/x-protobuf" }
}

extension ErrorCode {
    static let exportRejected = ErrorCode("export_rejected")
    static let partialSuccess = ErrorCode("partial_success")
    static let serviceNameMissing = ErrorCode("service_name_missing")
    static let environmentMismatch = ErrorCode("environment_mismatch")
    static let invalidResourceAttributes = ErrorCode("invalid_resource_attributes")
    static let unsupportedProtocol = ErrorCode("unsupported_protocol")
}
