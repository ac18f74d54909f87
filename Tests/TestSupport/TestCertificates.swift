import Foundation

/// A throwaway certificate authority for TLS tests, made with the openssl CLI (EC P-256
/// keys) in a temporary directory that goes away with the value:
/// - `caFile`: the CA (basicConstraints CA:TRUE, keyUsage keyCertSign), valid 90 days,
/// - `serverCertificate`/`serverKey`: signed by it for DNS:localhost and IP:127.0.0.1, valid
///   `serverDays` days from now (default 90, past the 14 days of `cert_warn_days`; -1 makes
///   one that expired a day ago, as the expiry tests need),
/// - `otherCAFile`: a second, unrelated CA (a wrong `ca_file`).
public final class TestCertificates: Sendable {
    public let directory: TempDir
    public var caFile: String { directory.path + "/ca.crt" }
    public var serverCertificate: String { directory.path + "/server.crt" }
    public var serverKey: String { directory.path + "/server.key" }
    public var otherCAFile: String { directory.path + "/other-ca.crt" }

    /// Makes a fresh set off the cooperative pool (it waits on openssl).
    public static func make(serverDays: Int = 90) async throws -> TestCertificates {
        try await offPool { try TestCertificates(serverDays: serverDays) }
    }

    /// Makes a fresh set, blocking on openssl: call it off the cooperative pool.
    public init(serverDays: Int = 90) throws {
        directory = try TempDir(prefix: "envcheck-certs")
        try makeCA("ca", subject: "/CN=envcheck test CA")
        try makeCA("other-ca", subject: "/CN=unrelated CA")
        try openssl(["req"] + Self.newKey + ["-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost"])
        try directory.write("server.ext", "subjectAltName=DNS:localhost,IP:127.0.0.1\n")
        try openssl([
            "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", "server.crt", "-days", String(serverDays), "-extfile", "server.ext",
        ])
    }

    /// A private "system" store, as the benchmark and the trust-store tests use it: a copy of
    /// the machine's `/etc/ssl/certs` certificates (their PEM files, not the bundle), plus
    /// this set's CA when `includingCA`, rehashed by `openssl rehash` in a new directory
    /// under this set's. Blocks on openssl: call it off the cooperative pool.
    public func systemStore(includingCA: Bool, named name: String? = nil) throws -> String {
        let store = directory.path + "/" + (name ?? (includingCA ? "store-with-ca" : "store-without-ca"))
        let files = FileManager.default
        try files.createDirectory(atPath: store, withIntermediateDirectories: true)
        for entry in try files.contentsOfDirectory(atPath: "/etc/ssl/certs") where entry.hasSuffix(".pem") {
            let source = URL(fileURLWithPath: "/etc/ssl/certs/" + entry).resolvingSymlinksInPath().path
            try? files.copyItem(atPath: source, toPath: store + "/" + entry)
        }
        if includingCA { try files.copyItem(atPath: caFile, toPath: store + "/envcheck-test-ca.pem") }
        try openssl(["rehash", store])
        return store
    }

    private static let newKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]

    private func makeCA(_ name: String, subject: String) throws {
        try openssl(
            ["req", "-x509"] + Self.newKey + [
                "-keyout", name + ".key", "-out", name + ".crt", "-days", "90",
                "-subj", subject, "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            ])
    }

    private func openssl(_ arguments: [String]) throws {
        let result = try runProgramBlocking("/usr/bin/openssl", arguments, directory: directory.path)
        guard result.status == 0 else { throw TestServerError("openssl \(arguments[0]) failed: \(result.stderr.suffix(600))") }
    }
}
