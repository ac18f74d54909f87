/// The codes shared by every probe kind, declared once (docs/design.md, "Probe model").
/// ``universal`` are the ones the planner and runner can give any kind's result; a kind
/// lists the others it can produce in ``ProbeKind/codes``, refined with its own meaning
/// or hint where that helps (`ProbeCode.authFailed.with(hint: ...)`).
extension ProbeCode {
    // MARK: Any kind (the planner and the runner)

    public static let notConfiguredHint = HintTemplate((id: "<id>", kind: "<kind>")) { p in
        "set the missing configuration, or pass --skip \(label: p.id) if this deployment does not use \(label: p.kind)"
    }
    public static let notConfigured = ProbeCode(
        .notConfigured, .fail, meaning: "a required probe's inputs are unset or empty",
        hint: notConfiguredHint)
    public static let invalidConfig = ProbeCode(
        .invalidConfig, .error,
        meaning: "a setting cannot be used as given: an option of the wrong type, a ${VAR} that is not set, half a credential pair")
    public static let timeout = ProbeCode(
        .timeout, .fail, meaning: "no answer within the probe's timeout or the run deadline; the message names the phase",
        hint: "the dependency did not answer in time: check that it is up and reachable from here, or raise --timeout")
    public static let interruptedHint = HintTemplate("<signal>") { (signal: String) in
        "envcheck was stopped (\(label: signal)) before this probe had an answer: run the check again"
    }
    public static let interrupted = ProbeCode(
        .interrupted, .fail, meaning: "SIGTERM or SIGINT stopped the run before the probe finished",
        hint: interruptedHint)
    public static let internalError = ProbeCode(
        .internalError, .error, .fail, meaning: "a bug in envcheck: the probe failed unexpectedly",
        hint: "this is a bug in envcheck; please report it with --verbose output")
    /// Given by the runner to every kind with a secret input (docs/security.md).
    public static let weakCredential = ProbeCode(
        .weakCredential, .warn, .fail,
        meaning: "a secret is a well-known default, the value in .env.example, or a name shown in the clear (fail in production-like environments)",
        hint: "rotate it to a long random value (openssl rand -base64 32) and keep it out of .env.example"
    ).permanent

    /// What the planner and runner can give any kind: missing or unusable configuration,
    /// the runner's deadline, signals, bugs.
    public static let universal: [ProbeCode] = [notConfigured, invalidConfig, timeout, interrupted, internalError]

    // MARK: Shared vocabulary (a kind lists those it produces)

    public static let dns = ProbeCode(
        .dns, .fail, meaning: "the host name does not resolve",
        hint: "check the host name's spelling, and the DNS configuration of this machine or container")
    public static let connectionRefused = ProbeCode(
        .connectionRefused, .fail,
        meaning: "nothing accepts connections at the address (or the Unix socket is missing)",
        hint: "nothing accepts connections there: check the host, port or socket path, and that the service is running")
    public static let tls = ProbeCode(
        .tls, .fail,
        meaning: "the TLS handshake failed: an unverified certificate, a name mismatch, or a port that does not speak TLS",
        hint: "check the CA (ca_file or --ca-file), the names on the certificate, and that the port speaks TLS")
    public static let network = ProbeCode(
        .network, .fail, meaning: "the connection broke or the network is unreachable",
        hint: "check the network path (routes, firewalls), the server's address and its logs")
    public static let protocolError = ProbeCode(
        .protocolError, .fail,
        meaning: "the answer is not the protocol the probe speaks (a wrong port, a proxy, an oversized answer)",
        hint: "check that the address points at the right service")
    public static let invalidURL = ProbeCode(.invalidURL, .error, meaning: "a URL or connection string does not parse")
    public static let authFailed = ProbeCode(.authFailed, .fail, meaning: "the server rejected the credentials").permanent
    public static let upstreamError = ProbeCode(
        .upstreamError, .fail,
        meaning: "the service answered with a server-side error or an answer the probe cannot use")
    public static let readOnly = ProbeCode(.readOnly, .fail, meaning: "a read-only replica or standby where a primary is needed")
    public static let tooManyConnections = ProbeCode(.tooManyConnections, .fail, meaning: "the server has no free connection slot")
    public static let tlsVerifyDisabled = ProbeCode(
        .tlsVerifyDisabled, .warn, meaning: "it works over TLS, but the certificate was not verified (tls_verify: false or the URL says so)",
        hint: "remove tls_verify: false (use ca_file for a private CA)")
    /// Given by the runner's expiry rule (``CertificateExpiry``) to any kind that hands it the
    /// peer's certificate: every kind that speaks TLS lists it.
    public static let certExpiring = ProbeCode(
        .certExpiring, .warn, meaning: "the server's TLS certificate expires in fewer than cert_warn_days days (default 14)",
        hint: "renew the server's certificate")
    public static let cleanupFailedHint = HintTemplate("<object>") { (objects: String) in "delete \(label: objects) by hand" }
    public static let cleanupFailed = ProbeCode(
        .cleanupFailed, .fail,
        meaning: "a --write-check object could not be removed (also after a signal); the message names it",
        hint: cleanupFailedHint)

    /// Every shared code, universal ones first.
    public static let shared: [ProbeCode] =
        universal + [
            weakCredential, dns, connectionRefused, tls, network, protocolError, invalidURL, authFailed, upstreamError, readOnly,
            tooManyConnections, tlsVerifyDisabled, certExpiring, cleanupFailed,
        ]
}
