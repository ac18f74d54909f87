import EnvCheckCore
import Testing

@Suite("Several addresses: the most informative failure wins")
struct AddressAttemptsTests {
    let refused = ProbeFailure(.connectionRefused, "Connection refused while connecting to [::1]:6379", hint: "start the server")
    let tls = ProbeFailure(.tls, "TLS failed: certificate verification failed", hint: "check the CA", details: ["tls": true])

    @Test func theRankingIsTheDecidedOrder() {
        let order: [ErrorCode] = [.authFailed, .tls, .protocolError, .timeout, .network, .connectionRefused, .dns]
        let ranks = order.map { AddressAttempts.rank(ProbeFailure($0, "")) }
        #expect(ranks == ranks.sorted() && Set(ranks).count == order.count, "\(ranks)")
        // Every code that is not a transport code is a server answer (database_missing, ...).
        #expect(AddressAttempts.rank(ProbeFailure(ErrorCode("database_missing"), "")) == AddressAttempts.rank(ProbeFailure(.authFailed, "")))
        // A configuration error beats even a server answer.
        #expect(AddressAttempts.rank(.misconfigured(.invalidConfig, "")) < AddressAttempts.rank(ProbeFailure(.authFailed, "")))
    }

    @Test func mostInformativeIsOrderIndependentAndKeepsTheFirstAmongEquals() {
        let dns = ProbeFailure(.dns, "no such host")
        let auth = ProbeFailure(.authFailed, "wrong password")
        for permutation in [[refused, tls, dns, auth], [auth, dns, tls, refused], [dns, refused, auth, tls]] {
            #expect(AddressAttempts.mostInformative(permutation) == auth)
        }
        let first = ProbeFailure(.connectionRefused, "first")
        let second = ProbeFailure(.connectionRefused, "second")
        #expect(AddressAttempts.mostInformative([first, second])?.message == "first")
        #expect(AddressAttempts.mostInformative([]) == nil)
    }

    @Test func tlsOnTheSecondAddressWinsOverRefusedOnTheFirst() throws {
        var attempts = AddressAttempts(["[::1]:6379", "127.0.0.1:6379"])
        attempts.failed("[::1]:6379", refused)
        attempts.failed("127.0.0.1:6379", tls)
        let failure = try #require(attempts.failure())
        #expect(failure.code == .tls)
        #expect(failure.hint == "check the CA")
        #expect(failure.message == "TLS failed: certificate verification failed; by address: [::1]:6379 connection_refused, 127.0.0.1:6379 tls")
        #expect(failure.details["tls"] == true)
        let entries = try #require(failure.details["addresses"]?.arrayValue)
        #expect(
            entries == [
                .object(["address": "[::1]:6379", "outcome": "failed", "code": "connection_refused", "message": .string(refused.message.text)]),
                .object(["address": "127.0.0.1:6379", "outcome": "failed", "code": "tls", "message": .string(tls.message.text)]),
            ])
    }

    @Test func aFailureAfterConnectingIsTheConnectedAddresssOutcome() throws {
        var attempts = AddressAttempts(["[::1]:5432", "127.0.0.1:5432", "10.0.0.9:5432"])
        attempts.failed("[::1]:5432", refused)
        attempts.record("127.0.0.1:5432", .connected)
        #expect(attempts.connected == "127.0.0.1:5432")
        let auth = ProbeFailure(.authFailed, "password authentication failed", hint: "check the password")
        let failure = attempts.failure(after: auth)
        #expect(failure.code == .authFailed && failure.hint == "check the password")
        #expect(failure.message.hasSuffix("; by address: [::1]:5432 connection_refused, 127.0.0.1:5432 auth_failed, 10.0.0.9:5432 not_tried"))
        let outcomes = failure.details["addresses"]?.arrayValue?.compactMap { $0.objectValue?["outcome"]?.stringValue }
        #expect(outcomes == ["failed", "failed", "not_tried"])
        #expect(attempts.failure(after: failure) == failure, "ranked once, not twice")
    }

    @Test func aSingleAddressChangesNothing() {
        var attempts = AddressAttempts(["127.0.0.1:6379"])
        attempts.failed("127.0.0.1:6379", tls)
        #expect(attempts.failure() == tls)
        let pass = ProbeOutcome.pass("PONG")
        #expect(attempts.annotated(pass) == pass)
        #expect(AddressAttempts().failure(after: tls) == tls)
    }

    @Test func aPassListsTheAddressesInDetailsOnly() {
        var attempts = AddressAttempts(["[::1]:6379", "127.0.0.1:6379"])
        attempts.failed("[::1]:6379", refused)
        attempts.record("127.0.0.1:6379", .connected)
        let pass = attempts.annotated(.pass("PONG"))
        #expect(pass.message == "PONG" && pass.status == .pass)
        #expect(pass.details["addresses"]?.arrayValue?.count == 2)
    }

    @Test func aLaterTryAtTheSameAddressReplacesTheEarlierOneAndDuplicatesCollapse() {
        var attempts = AddressAttempts(["a:1", "a:1", "b:1"])
        #expect(attempts.attempts.count == 2)
        attempts.failed("a:1", ProbeFailure(.tls, "SSL attempt"))
        attempts.failed("a:1", ProbeFailure(.authFailed, "plain attempt"))
        attempts.failed("c:1", refused)
        #expect(attempts.attempts.map(\.address) == ["a:1", "b:1", "c:1"])
        #expect(attempts.attempts[0].failure?.code == .authFailed)
    }
}
