import Foundation
import TestSupport

/// Tests/Python/vault_standin.py, run by the venv's python in a temporary directory: Vault's
/// documented API over a state the test rewrites (``update(_:)``). Released, it is killed.
final class VaultStandIn: @unchecked Sendable {
    let directory: TempDir
    let port: Int
    private let server: TestServerProcess
    var baseURL: String { "http://127.0.0.1:\(port)" }
    var statePath: String { directory.path + "/state.json" }

    static var python: String { (ProcessInfo.processInfo.environment["ENVCHECK_VENV"] ?? "") + "/bin/python" }
    static func script(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Python/\(name)").path
    }

    static func start(_ state: [String: Any]) async throws -> VaultStandIn {
        let json = try JSONSerialization.data(withJSONObject: state)
        return try await offPool { try VaultStandIn(json) }
    }

    private init(_ state: Data) throws {
        directory = try TempDir(prefix: "envcheck-vault")
        let d = directory.path
        try state.write(to: URL(fileURLWithPath: d + "/state.json"))
        server = try TestServerProcess(
            Self.python, [Self.script("vault_standin.py"), d + "/state.json", d + "/requests.log", d + "/port"], log: d + "/stderr.log")
        try server.waitUntil("write its port", timeout: 15) { FileManager.default.fileExists(atPath: d + "/port") }
        guard let text = try? String(contentsOfFile: d + "/port", encoding: .utf8), let port = Int(text) else {
            throw TestServerError("the vault stand-in wrote no port")
        }
        self.port = port
        try server.waitUntilListening(port: port)
    }

    func update(_ state: [String: Any]) throws {
        try JSONSerialization.data(withJSONObject: state).write(to: URL(fileURLWithPath: statePath), options: .atomic)
    }

    /// Every request so far: method, path, token, namespace.
    var requests: [[String: String]] {
        let text = (try? String(contentsOfFile: directory.path + "/requests.log", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: String]
        }
    }

    /// What hvac reads from the stand-in for `token` at `mount`/`path` (KV v2).
    func hvac(token: String, namespace: String = "", mount: String = "secret", path: String) async throws -> [String: Any] {
        let r = try await runProgram(Self.python, [Self.script("vault_hvac_check.py"), baseURL, token, namespace, mount, path])
        guard r.status == 0, let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] else {
            throw TestServerError("hvac failed: \(r.stderr.suffix(800))")
        }
        return object
    }
}
