import EnvCheckCore

/// Gathers one response's header lines and body as libcurl hands them over, with a cap on
/// the body size (``CurlTransport/maxBodyBytes``).
struct CurlCollector {
    private(set) var headers: [(name: String, value: String)] = []
    private(set) var body: [UInt8] = []
    /// The body passed the cap: the exchange was stopped.
    private(set) var bodyTooLarge = false
    private var headerBytes = 0

    /// Appends body bytes; false (stop) once the cap would be passed.
    mutating func appendBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard body.count + bytes.count <= CurlTransport.maxBodyBytes else {
            bodyTooLarge = true
            return false
        }
        body.append(contentsOf: bytes)
        return true
    }

    /// One header line (`Name: value\r\n`). A status line starts a new response (after a
    /// `100 Continue`), so only the final response's headers are kept.
    mutating func appendHeader(_ bytes: UnsafeRawBufferPointer) -> Bool {
        headerBytes += bytes.count
        guard headerBytes <= 256 * 1024 else { return false }
        var line = Substring(String(decoding: bytes, as: UTF8.self))
        while let last = line.last, last.isNewline { line = line.dropLast() }  // "\r\n" is one Character
        if line.hasPrefix("HTTP/") {
            headers = []
            return true
        }
        guard let colon = line.firstIndex(of: ":") else { return true }
        let name = line[..<colon].trimmingSpaces
        let value = line[line.index(after: colon)...].trimmingSpaces
        if !name.isEmpty { headers.append((String(name), String(value))) }
        return true
    }
}
