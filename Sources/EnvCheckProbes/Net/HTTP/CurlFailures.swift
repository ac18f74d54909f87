import EnvCheckCore

#if canImport(Glibc)
    import Glibc
#endif

/// The results of an exchange: its phase timings, and the one CURLcode → ``ProbeFailure``
/// mapping (codes `dns`, `connection_refused`, `network`, `timeout`, `tls`, `protocol`).
/// Reads the exchange only through its accessors; the pointers stay in CurlTransport.swift.
extension CurlExchange {
    /// Per phase, in ms: DNS, TCP connect, TLS handshake, server wait (connected → first
    /// byte), and the whole exchange. curl's own times are cumulative from the start.
    func timings() -> HTTPTimings {
        let t = phaseTimes
        let ready = max(t.connect, t.appConnect)
        func ms(_ s: Double) -> Int { Int((max(0, s) * 1000).rounded()) }
        return HTTPTimings(
            dnsMs: ms(t.nameLookup), connectMs: t.connect > 0 ? ms(t.connect - t.nameLookup) : 0,
            tlsMs: t.appConnect > 0 ? ms(t.appConnect - t.connect) : 0,
            firstByteMs: t.startTransfer > 0 ? ms(t.startTransfer - ready) : 0, totalMs: ms(t.total))
    }

    /// Which phase a timeout cut, from what curl got through.
    private func timedOutPhase() -> String {
        let t = phaseTimes
        if t.connect == 0 { return t.nameLookup == 0 ? "resolving or connecting to" : "connecting to" }
        if isHTTPS && t.appConnect == 0 { return "during the TLS handshake with" }
        return t.startTransfer == 0 ? "waiting for a response from" : "reading the response from"
    }

    /// curl's error text, with anything from the request that might be secret taken out
    /// (curl's messages name hosts, but never trust that).
    private var curlError: String {
        var secrets = [request.url] + request.headers.map(\.value)
        if let query = request.url.split(separator: "?", maxSplits: 1).dropFirst().first { secrets.append(String(query)) }
        secrets += URLCredentials.passwords(in: request.url)
        return TerminalText.quote(errorText, hiding: secrets)
    }

    /// The failure for `code`; when curl tried several addresses, the most informative of
    /// theirs (``AddressAttempts``), this exchange's own outcome being the connected one's.
    func failure(_ code: CurlResult, elapsedMs: Int) -> ProbeFailure {
        let own = exchangeFailure(code, elapsedMs: elapsedMs)
        let attempts = addresses(timedOut: code == .timedOut ? own : nil)
        guard attempts.areSeveral else { return own }
        return attempts.connected == nil ? attempts.failure() ?? own : attempts.failure(after: own)
    }

    /// What happened at each address curl tried, from its connection log.
    func addresses(timedOut: ProbeFailure?) -> AddressAttempts {
        connectLog.attempts(timedOut: timedOut) { reason, address in
            connectFailure(
                errno: reason == String(cString: strerror(ECONNREFUSED))
                    ? ECONNREFUSED
                    : reason == String(cString: strerror(ETIMEDOUT)) ? ETIMEDOUT : -1,
                reason: reason, at: address)
        }
    }

    /// A TCP connect that failed with `errno` (0: curl gave none), at `address` when known.
    private func connectFailure(errno: Int32, reason: String, at address: String?) -> ProbeFailure {
        let place = address.map { "\(target) at \($0)" } ?? target  // a host and address: labels
        switch errno {
        case 0, ECONNREFUSED:
            return ProbeFailure(.connectionRefused, "connection to \(label: place) was refused")
        case ETIMEDOUT:
            return ProbeFailure(
                .timeout, "timed out connecting to \(label: place)",
                hint: "check that \(label: target) is reachable and answering, or raise the probe's timeout")
        default:
            return ProbeFailure(.network, "could not connect to \(label: place): \(reason)")
        }
    }

    private func exchangeFailure(_ code: CurlResult, elapsedMs: Int) -> ProbeFailure {
        switch code {
        case .couldNotResolve:
            return ProbeFailure(.dns, "could not resolve \(label: target)")
        case .couldNotConnect:
            let osErrno = Int32(self.osErrno)
            return connectFailure(errno: osErrno, reason: String(cString: strerror(osErrno)), at: nil)
        case .timedOut:
            return ProbeFailure(
                .timeout, "timed out \(label: timedOutPhase()) \(label: target) after \(elapsedMs)ms",
                hint: "check that \(label: target) is reachable and answering, or raise the probe's timeout")
        case .writeError where bodyTooLarge:
            return ProbeFailure(.protocolError, "the response from \(label: target) is larger than the \(CurlTransport.maxBodyBytes >> 20) MiB limit")
        case .caFileUnreadable:
            return ProbeFailure(.tls, "TLS with \(label: target) failed: \(curlError)", hint: "check that ca_file / --ca-file names a readable PEM bundle")
        case .tls:
            return ProbeFailure(
                .tls, "TLS with \(label: target) failed: \(curlError)",
                hint: "if the server uses a private CA, pass it with ca_file or --ca-file")
        case .writeError:
            return ProbeFailure(.network, "HTTP exchange with \(label: target) failed: \(curlError.isEmpty ? "write error" : curlError)")
        case .other(let description):
            return ProbeFailure(.network, "HTTP exchange with \(label: target) failed: \(curlError.isEmpty ? description : curlError)")
        }
    }
}
