import EnvCheckCore
import Testing

@testable import EnvCheckProbes

/// libcurl 7.88's informational lines (as `curl -v` prints them after `* `), read into
/// per-address outcomes.
@Suite("curl's connection log")
struct CurlConnectLogTests {
    func log(_ lines: [String]) -> CurlConnectLog {
        var log = CurlConnectLog()
        for line in lines { log.note(line + "\n") }
        return log
    }

    func summary(_ log: CurlConnectLog, timedOut: ProbeFailure? = nil) -> String {
        log.attempts(timedOut: timedOut) { reason, address in ProbeFailure(.connectionRefused, "\(address): \(reason)") }.summary
    }

    @Test func refusedThenConnected() {
        let l = log([
            "Added dual.test:39609:[::1],127.0.0.1 to DNS cache", "Hostname dual.test was found in DNS cache",
            "  Trying [::1]:39609...", "connect to ::1 port 39609 failed: Connection refused",
            "  Trying 127.0.0.1:39609...", "Connected to dual.test (127.0.0.1) port 39609 (#0)",
            "SSL connection using TLSv1.3 / TLS_AES_256_GCM_SHA384",
        ])
        #expect(l.tried == ["[::1]:39609", "127.0.0.1:39609"])
        #expect(l.connected == "127.0.0.1:39609")
        #expect(summary(l) == "[::1]:39609 connection_refused, 127.0.0.1:39609 connected")
        let attempts = l.attempts(timedOut: nil) { reason, address in ProbeFailure(.connectionRefused, "\(address): \(reason)") }
        #expect(attempts.attempts[0].failure?.message == "[::1]:39609: Connection refused")
    }

    @Test func happyEyeballsLeaveTheSlowFamilyAbandonedOrTimedOut() {
        let raced = log(["  Trying [::1]:39609...", "  Trying 127.0.0.1:39609...", "Connected to dual.test (127.0.0.1) port 39609 (#0)"])
        #expect(summary(raced) == "[::1]:39609 abandoned, 127.0.0.1:39609 connected")
        let timeout = ProbeFailure(.timeout, "timed out")
        #expect(summary(raced, timedOut: timeout) == "[::1]:39609 abandoned, 127.0.0.1:39609 connected", "one connected: not a timeout")
        let silent = log([
            "  Trying [::1]:39609...", "ipv6 connect timeout after 2000ms, move on!",
            "Failed to connect to dual.test port 39609 after 2001 ms: Timeout was reached",
        ])
        #expect(summary(silent, timedOut: timeout) == "[::1]:39609 timeout")
    }

    @Test func linesMayArriveInPiecesAndOtherTextIsIgnored() {
        var l = CurlConnectLog()
        for piece in ["  Tryi", "ng 10.0.0.1:443...\nServer auth using Basic with user 'alice'\n", "Connected to h (10.0.0.1) port 443 (#0)\n"] {
            l.note(piece)
        }
        #expect(l.tried == ["10.0.0.1:443"])
        #expect(l.connected == "10.0.0.1:443")
    }
}
