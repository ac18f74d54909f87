/// Polls `condition` every 10 ms until it holds; throws, naming `what`, when `limit` passes
/// first. The one poll loop of the async tests.
public func waitUntil(_ what: String, limit: Duration = .seconds(15), _ condition: () -> Bool) async throws {
    let end = ContinuousClock.now + limit
    while !condition() {
        guard ContinuousClock.now < end else { throw TestServerError("\(what) did not happen within \(limit)") }
        try await Task.sleep(for: .milliseconds(10))
    }
}
