import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The encodings a hostile server echoes a credential in, and the ones a leak search
/// looks for. Built with Foundation, independently of envcheck's own ``SecretForms``, so a
/// form the redactor misses is not also missed by the search.
public enum CanaryForms {
    /// raw, base64 at offsets 0, 1 and 2, hex, percent-encoded: what a server echoes.
    public static func echo(_ secret: String) -> String {
        let b64 = ["", "a", "ab"].map { Data(($0 + secret).utf8).base64EncodedString() }
        return [secret, b64[0], b64[1], b64[2], hex(secret), percent(secret)].joined(separator: " ")
    }

    /// Every form to search outputs for: raw, percent-encoded (upper and lower hex), hex
    /// (both cases), and the middle of base64 at each alignment (the characters that
    /// depend on the secret alone, less one on each side).
    public static func search(_ secret: String) -> [String] {
        var forms = [secret, percent(secret), lowerEscapes(percent(secret)), hex(secret), hex(secret).uppercased()]
        for prefix in ["", "a", "ab"] {
            let encoded = Array(Data((prefix + secret).utf8).base64EncodedString())
            let drop = prefix.isEmpty ? 0 : 4
            let middle = encoded.dropFirst(drop).dropLast(4)
            if middle.count >= 8 { forms.append(String(middle)) }
        }
        return forms
    }

    public static func hex(_ s: String) -> String { s.utf8.map { String(format: "%02x", $0) }.joined() }

    public static func percent(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? s
    }

    static func lowerEscapes(_ s: String) -> String {
        var out = ""
        var afterPercent = 0
        for c in s {
            if c == "%" {
                afterPercent = 2
                out.append(c)
                continue
            }
            out += afterPercent > 0 ? c.lowercased() : String(c)
            afterPercent = max(0, afterPercent - 1)
        }
        return out
    }

    /// Where each canary shows up in `text`, in any search form: one line per finding.
    public static func findings(_ canaries: [String], in text: String) -> [String] {
        var found: [String] = []
        for canary in canaries {
            for form in search(canary) where text.contains(form) {
                let at = text.range(of: form)!
                let context = text[text.index(at.lowerBound, offsetBy: -min(60, text.distance(from: text.startIndex, to: at.lowerBound)))..<at.upperBound]
                found.append("\(canary) as \(form == canary ? "raw" : form) …\(context)")
            }
        }
        return found
    }
}

/// A PostgreSQL stand-in that asks for the password in clear text, records it, and
/// rejects the login with an error quoting it in every echo form.
public final class HostilePostgres: @unchecked Sendable {
    private let listener: TCPListener
    private let lock = NSLock()
    private var passwords: [String] = []
    public var port: Int { listener.port }

    public init() throws {
        listener = try TCPListener()
        listener.acceptLoop { [weak self] fd in
            defer { Glibc.close(fd) }
            guard let self, let password = Self.converse(fd) else { return }
            self.lock.lock()
            self.passwords.append(password)
            self.lock.unlock()
        }
    }

    /// The passwords clients sent.
    public var received: [String] {
        lock.lock()
        defer { lock.unlock() }
        return passwords
    }

    static func converse(_ fd: Int32) -> String? {
        // Startup (or SSLRequest, answered 'N', then the startup packet).
        while true {
            guard let length = readInt32(fd), length >= 8, length < 10_000, let body = readExactly(fd, Int(length) - 4) else { return nil }
            let code = body.prefix(4).reduce(0) { $0 << 8 | Int($1) }
            if code == 80_877_103 || code == 80_877_104 {
                _ = Glibc.write(fd, "N", 1)
                continue
            }
            break
        }
        send(fd, type: "R", [0, 0, 0, 3])  // AuthenticationCleartextPassword
        guard let type = readExactly(fd, 1), type == [UInt8(ascii: "p")], let length = readInt32(fd),
            length > 4, length < 10_000, let body = readExactly(fd, Int(length) - 4)
        else { return nil }
        let password = String(decoding: body.prefix { $0 != 0 }, as: UTF8.self)
        var fields: [UInt8] = []
        for (tag, value) in [
            ("S", "FATAL"), ("V", "FATAL"), ("C", "28P01"),
            ("M", "password authentication failed for password \(CanaryForms.echo(password))"),
        ] {
            fields += Array(tag.utf8) + Array(value.utf8) + [0]
        }
        send(fd, type: "E", fields + [0])
        return password
    }

    static func send(_ fd: Int32, type: Character, _ body: [UInt8]) {
        let length = UInt32(body.count + 4)
        let packet = [UInt8(ascii: type.unicodeScalars.first!)] + withUnsafeBytes(of: length.bigEndian, Array.init) + body
        _ = packet.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
    }

    static func readInt32(_ fd: Int32) -> Int32? {
        readExactly(fd, 4).map { Int32(bitPattern: $0.reduce(0) { $0 << 8 | UInt32($1) }) }
    }

    static func readExactly(_ fd: Int32, _ count: Int) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = out.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + got, count - got) }
            guard n > 0 else { return nil }
            got += n
        }
        return out
    }
}

/// A Redis stand-in that answers AUTH (and anything else) with an error quoting every
/// argument it received in every echo form.
public final class HostileRedis: @unchecked Sendable {
    private let listener: TCPListener
    private let lock = NSLock()
    private var arguments: [String] = []
    public var port: Int { listener.port }

    public init() throws {
        listener = try TCPListener()
        listener.acceptLoop { [weak self] fd in
            defer { Glibc.close(fd) }
            guard let self, let args = Self.readCommand(fd) else { return }
            self.lock.lock()
            self.arguments += args
            self.lock.unlock()
            let echoed = args.dropFirst().map(CanaryForms.echo).joined(separator: " ")
            let reply = "-WRONGPASS invalid username-password pair: \(echoed)\r\n"
            _ = reply.withCString { Glibc.write(fd, $0, strlen($0)) }
        }
    }

    /// Every argument of every command received.
    public var received: [String] {
        lock.lock()
        defer { lock.unlock() }
        return arguments
    }

    /// One RESP array of bulk strings.
    static func readCommand(_ fd: Int32) -> [String]? {
        guard let header = readLine(fd), header.first == "*", let count = Int(header.dropFirst()), count > 0, count < 64 else { return nil }
        var args: [String] = []
        for _ in 0..<count {
            guard let size = readLine(fd), size.first == "$", let n = Int(size.dropFirst()), n >= 0, n < 65_536,
                let bytes = HostilePostgres.readExactly(fd, n + 2)
            else { return nil }
            args.append(String(decoding: bytes.dropLast(2), as: UTF8.self))
        }
        return args
    }

    static func readLine(_ fd: Int32) -> String? {
        var bytes: [UInt8] = []
        while bytes.count < 1024 {
            guard let b = HostilePostgres.readExactly(fd, 1) else { return nil }
            if b[0] == UInt8(ascii: "\n") { return String(decoding: bytes.dropLast(bytes.last == 13 ? 1 : 0), as: UTF8.self) }
            bytes.append(b[0])
        }
        return nil
    }
}

/// An HTTP stand-in (S3 and OpenRouter) that rejects every request with an error quoting
/// the credentials it received (`Authorization`, `X-Amz-Security-Token`) in every echo form,
/// in the S3 XML and the OpenRouter JSON shapes.
public enum HostileHTTP {
    public static func server() throws -> HTTPStubServer {
        try HTTPStubServer { request in
            let auth = request.header("authorization") ?? ""
            let token = request.header("x-amz-security-token") ?? ""
            // The access key ID and the bearer key: the credential parts of the header.
            let credential =
                auth.components(separatedBy: "Credential=").dropFirst().first?.components(separatedBy: "/").first
                ?? auth.replacingOccurrences(of: "Bearer ", with: "")
            let echoed = [auth, credential, token].filter { !$0.isEmpty }.map(CanaryForms.echo).joined(separator: " ")
            if request.path.contains("/key") {
                let escaped = echoed.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                return .json(401, #"{"error":{"code":401,"message":"No auth credentials found for \#(escaped)"}}"#)
            }
            let body = "<?xml version=\"1.0\"?><Error><Code>InvalidAccessKeyId</Code><Message>The key in \(echoed) does not exist</Message></Error>"
            return .init(status: 403, headers: [("Content-Type", "application/xml")], body: body)
        }
    }
}

/// A hostile Vault: healthy and unsealed, it accepts any token and quotes it back (every
/// encoding) as the token's display name and policy, and serves a KV v2 secret whose one
/// value (`storedValue`, a canary of its own) it also quotes back in the next lookup's
/// display name: the probe must show neither, whichever way it comes back.
public final class HostileVault: Sendable {
    public let server: HTTPStubServer
    public let storedValue: String
    public var port: Int { server.port }
    public var baseURL: String { server.baseURL }
    /// The `X-Vault-Token` of every request so far.
    public var tokens: [String] { server.requests.compactMap { $0.header("x-vault-token") } }

    public init() throws {
        let stored = Canary.make("vaultvalue")
        storedValue = stored
        server = try HTTPStubServer { request in
            let token = request.header("x-vault-token") ?? ""
            let echoed = CanaryForms.echo(token)
            func quoted(_ s: String) -> String { s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") }
            switch request.path.split(separator: "?").first.map(String.init) ?? "" {
            case "/v1/sys/health":
                return .json(200, #"{"initialized":true,"sealed":false,"standby":false,"version":"1.15.4 \#(quoted(echoed))"}"#)
            case "/v1/auth/token/lookup-self":
                return .json(
                    200,
                    #"{"data":{"id":"\#(quoted(token))","display_name":"\#(quoted(stored + " " + echoed))","policies":["default","\#(quoted(echoed))"],"ttl":0,"renewable":false}}"#
                )
            default:
                return .json(200, #"{"data":{"data":{"API_KEY":"\#(quoted(stored))","EMPTY":""},"metadata":{"version":1}}}"#)
            }
        }
    }
}
