import EnvCheckCore
import Foundation
import TestSupport
import Testing

@testable import EnvCheckProbes

/// The shared HTTP layer against real local servers.
struct CurlTransportTests {
    let transport = CurlTransport()

    func send(_ request: HTTPRequest, within duration: Duration = .seconds(3)) async -> Result<HTTPResponse, ProbeFailure> {
        do throws(ProbeFailure) {
            return .success(try await transport.send(request, deadline: .after(duration)))
        } catch {
            return .failure(error)
        }
    }

    @Test func exchangesStatusHeadersAndBodies() async throws {
        let stub = try HTTPStubServer { request in
            .json(200, #"{"echo":"\#(String(decoding: request.body, as: UTF8.self))"}"#, headers: [("X-Reply", "yes")])
        }
        let request = HTTPRequest(
            method: "POST", url: stub.baseURL + "/a/b?x=1", headers: [("X-Test", "one"), ("Content-Type", "text/plain")],
            body: Array("hello".utf8))
        let response = try await send(request).get()
        #expect(response.status == 200)
        #expect(response.header("x-reply") == "yes")
        #expect(response.header("Content-Type") == "application/json")
        #expect(response.bodyText == #"{"echo":"hello"}"#)
        #expect(response.timings.totalMs >= response.timings.firstByteMs)
        let seen = try #require(stub.requests.first)
        #expect(seen.method == "POST")
        #expect(seen.path == "/a/b?x=1")
        #expect(seen.header("x-test") == "one")
        #expect(seen.header("content-type") == "text/plain")
        #expect(seen.header("expect") == nil)
        #expect(seen.body == Array("hello".utf8))
    }

    @Test func emptyPutSendsContentLengthZeroAndNoCurlContentType() async throws {
        let stub = try HTTPStubServer { _ in .init(status: 200) }
        _ = try await send(HTTPRequest(method: "PUT", url: stub.baseURL + "/obj")).get()
        let seen = try #require(stub.requests.first)
        #expect(seen.method == "PUT")
        #expect(seen.header("content-length") == "0")
        #expect(seen.header("content-type") == nil)
    }

    @Test func headAndErrorStatusesAreResponses() async throws {
        let stub = try HTTPStubServer { r in r.method == "HEAD" ? .init(status: 404, headers: [("X-Amz-Request-Id", "r1")]) : .json(500, "{}") }
        let head = try await send(HTTPRequest(method: "HEAD", url: stub.baseURL + "/")).get()
        #expect(head.status == 404)
        #expect(head.header("x-amz-request-id") == "r1")
        #expect(head.body.isEmpty)
        #expect(try await send(HTTPRequest(url: stub.baseURL + "/")).get().status == 500)
    }

    @Test func redirectsAreReturnedNotFollowed() async throws {
        let stub = try HTTPStubServer { _ in .init(status: 301, headers: [("Location", "http://127.0.0.1:1/elsewhere"), ("x-amz-bucket-region", "eu-west-1")]) }
        let response = try await send(HTTPRequest(url: stub.baseURL + "/bucket")).get()
        #expect(response.status == 301)
        #expect(response.header("x-amz-bucket-region") == "eu-west-1")
        #expect(stub.requests.count == 1)
    }

    @Test func oversizedBodyIsRefusedWithTheLimitNamed() async throws {
        let big = String(repeating: "x", count: CurlTransport.maxBodyBytes + 10)
        let stub = try HTTPStubServer { _ in .init(status: 200, body: big) }
        let failure = try #require(await send(HTTPRequest(url: stub.baseURL + "/")).transportFailure)
        #expect(failure.code == .protocolError)
        #expect(failure.message.contains("larger than the 1 MiB limit"))
    }

    @Test func refusedPortIsConnectionRefused() async throws {
        let port = try refusedPort()
        let failure = try #require(await send(HTTPRequest(url: "http://127.0.0.1:\(port)/")).transportFailure)
        #expect(failure.code == .connectionRefused)
        #expect(failure.message == "connection to 127.0.0.1:\(port) was refused")
    }

    @Test func unresolvableHostIsDNS() async throws {
        let failure = try #require(await send(HTTPRequest(url: "https://nonexistent.invalid/api/v1/key")).transportFailure)
        #expect(failure.code == .dns)
        #expect(failure.message == "could not resolve nonexistent.invalid:443")
    }

    @Test func invalidURLIsAConfigurationError() async throws {
        for url in ["not a url", "ftp://example.com/", "http://"] {
            let failure = try #require(await send(HTTPRequest(url: url)).transportFailure, "\(url)")
            #expect(failure.status == .error)
            #expect(failure.code == .invalidURL)
        }
    }

    @Test func messagesNeverShowQueryUserinfoOrHeaders() async throws {
        let canary = Canary.make("http")
        let hung = try HungListener()
        let refused = try refusedPort()
        for url in [
            "http://user:\(canary)@127.0.0.1:\(refused)/p?X-Amz-Signature=\(canary)",
            "http://user:\(canary)@127.0.0.1:\(hung.port)/p?sig=\(canary)",
        ] {
            let request = HTTPRequest(url: url, headers: [("Authorization", "Bearer \(canary)")])
            let failure = try #require(await send(request, within: .milliseconds(500)).transportFailure)
            let text = [failure.message.text, failure.hint?.text ?? "", JSONWriter.write(.object(failure.details))].joined(separator: "\n")
            #expect(Canary.leaks([canary], in: text).isEmpty, "\(text)")
            #expect(!text.contains("/p"))
        }
    }
}

/// Deadlines of the shared HTTP layer. `*TimingTests` suites run alone (scripts/test.sh), so
/// that CPU-bound tests elsewhere cannot hold the cooperative pool while these measure.
@Suite(.serialized, .requires(.serialRun))
struct CurlTransportTimingTests {
    func send(_ request: HTTPRequest, within duration: Duration) async -> Result<HTTPResponse, ProbeFailure> {
        await CurlTransportTests().send(request, within: duration)
    }

    @Test func hungServerEndsAsTimeoutAtTheDeadline() async throws {
        let hung = try HungListener()
        let start = ContinuousClock.now
        let failure = try #require(await send(HTTPRequest(url: "http://127.0.0.1:\(hung.port)/key"), within: .seconds(1)).transportFailure)
        let elapsed = ContinuousClock.now - start
        #expect(failure.code == .timeout)
        #expect(failure.status == .fail)
        #expect(failure.message.contains("waiting for a response from 127.0.0.1:\(hung.port)"))
        #expect(elapsed >= .milliseconds(900) && elapsed < .milliseconds(1500), "took \(elapsed)")
    }

    @Test func fourConcurrentHungRequestsEndTogether() async throws {
        let hung = try HungListener()
        let start = ContinuousClock.now
        let codes = await withTaskGroup(of: ErrorCode?.self) { group in
            for _ in 0..<4 {
                group.addTask { await send(HTTPRequest(url: "http://127.0.0.1:\(hung.port)/"), within: .seconds(1)).transportFailure?.code }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let elapsed = ContinuousClock.now - start
        #expect(codes == [.timeout, .timeout, .timeout, .timeout])
        #expect(elapsed < .milliseconds(1600), "4 hung requests took \(elapsed): blocking work starved the pool")
    }
}

extension Result {
    var transportFailure: Failure? { if case .failure(let f) = self { f } else { nil } }
}
