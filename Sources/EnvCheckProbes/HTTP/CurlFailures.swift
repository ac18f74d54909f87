import CCurl
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
        let dns = seconds(CURLINFO_NAMELOOKUP_TIME), connect = seconds(CURLINFO_CONNECT_TIME)
        let tls = seconds(CURLINFO_APPCONNECT_TIME), first = seconds(CURLINFO_STARTTRANSFER_TIME)
        let ready = max(connect, tls)
        func ms(_ s: Double) -> Int { Int((max(0, s) * 1000).rounded()) }
        return HTTPTimings(dnsMs: ms(dns), connectMs: connect > 0 ? ms(connect - dns) : 0,
                           tlsMs: tls > 0 ? ms(tls - connect) : 0, firstByteMs: first > 0 ? ms(first - ready) : 0,
                           totalMs: ms(seconds(CURLINFO_TOTAL_TIME)))
    }

    /// Which phase a timeout cut, from what curl got through.
    private func timedOutPhase() -> String {
        if seconds(CURLINFO_CONNECT_TIME) == 0 {
            return seconds(CURLINFO_NAMELOOKUP_TIME) == 0 ? "resolving or connecting to" : "connecting to"
        }
        if isHTTPS && seconds(CURLINFO_APPCONNECT_TIME) == 0 { return "during the TLS handshake with" }
        return seconds(CURLINFO_STARTTRANSFER_TIME) == 0 ? "waiting for a response from" : "reading the response from"
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
    func failure(_ code: CURLcode, elapsedMs: Int) -> ProbeFailure {
        let own = exchangeFailure(code, elapsedMs: elapsedMs)
        let attempts = addresses(timedOut: code == CURLE_OPERATION_TIMEDOUT ? own : nil)
        guard attempts.areSeveral else { return own }
        return attempts.connected == nil ? attempts.failure() ?? own : attempts.failure(after: own)
    }

    /// What happened at each address curl tried, from its connection log.
    func addresses(timedOut: ProbeFailure?) -> AddressAttempts {
        connectLog.attempts(timedOut: timedOut) { reason, address in
            connectFailure(errno: reason == String(cString: strerror(ECONNREFUSED)) ? ECONNREFUSED
                               : reason == String(cString: strerror(ETIMEDOUT)) ? ETIMEDOUT : -1,
                           reason: reason, at: address)
        }
    }

    /// A TCP connect that failed with `errno` (0: curl gave none), at `address` when known.
    private func connectFailure(errno: Int32, reason: String, at address: String?) -> ProbeFailure {
        let place = address.map { "\(target) at \($0)" } ?? target  // a host and address: labels
        switch errno {
        case 0, ECONNREFUSED:
            return ProbeFailure(.connectionRefused, "connection to \(label: place) was refused",
                                hint: "check that the server is running and listening on that port")
        case ETIMEDOUT:
            return ProbeFailure(.timeout, "timed out connecting to \(label: place)",
                                hint: "check that \(label: target) is reachable and answering, or raise the probe's timeout")
        default:
            return ProbeFailure(.network, "could not connect to \(label: place): \(reason)")
        }
    }

    private func exchangeFailure(_ code: CURLcode, elapsedMs: Int) -> ProbeFailure {
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST:
            return ProbeFailure(.dns, "could not resolve \(label: target)", hint: "check the host name and this machine's DNS")
        case CURLE_COULDNT_CONNECT:
            let osErrno = Int32(self.osErrno)
            return connectFailure(errno: osErrno, reason: String(cString: strerror(osErrno)), at: nil)
        case CURLE_OPERATION_TIMEDOUT:
            return ProbeFailure(.timeout, "timed out \(timedOutPhase()) \(label: target) after \(elapsedMs)ms",
                                hint: "check that \(label: target) is reachable and answering, or raise the probe's timeout")
        case CURLE_WRITE_ERROR where bodyTooLarge:
            return ProbeFailure(.protocolError, "the response from \(label: target) is larger than the \(CurlTransport.maxBodyBytes >> 20) MiB limit")
        case CURLE_SSL_CACERT_BADFILE:
            return ProbeFailure(.tls, "TLS with \(label: target) failed: \(curlError)", hint: "check that ca_file / --ca-file names a readable PEM bundle")
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_SHUTDOWN_FAILED,
             CURLE_SSL_CRL_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS,
             CURLE_SSL_CLIENTCERT, CURLE_USE_SSL_FAILED:
            return ProbeFailure(.tls, "TLS with \(label: target) failed: \(curlError)",
                                hint: "if the server uses a private CA, pass it with ca_file or --ca-file")
        default:
            let text = curlError.isEmpty ? String(cString: curl_easy_strerror(code)) : curlError
            return ProbeFailure(.network, "HTTP exchange with \(label: target) failed: \(text)")
        }
    }
}
