import Foundation
import TestSupport

/// Tests/Python/vault_standin.py: Vault's documented API over a state the test rewrites.
final class VaultStandIn: Sendable {
    let server: PythonStandIn
    var baseURL: String { server.baseURL }

    static func start(_ state: [String: Any]) async throws -> VaultStandIn {
        VaultStandIn(server: try await PythonStandIn.start("vault_standin.py", state: state))
    }

    private init(server: PythonStandIn) { self.server = server }

    func update(_ state: [String: Any]) throws { try server.update(state) }

    /// Every request so far: method, path, token, namespace.
    var requests: [[String: String]] { server.log.map { $0.compactMapValues { $0 as? String } } }

    /// What hvac reads from the stand-in for `token` at `mount`/`path` (KV v2).
    func hvac(token: String, namespace: String = "", mount: String = "secret", path: String) async throws -> [String: Any] {
        let r = try await runProgram(
            PythonStandIn.python, [PythonStandIn.script("vault_hvac_check.py"), baseURL, token, namespace, mount, path])
        guard r.status == 0, let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] else {
            throw TestServerError("hvac failed: \(r.stderr.suffix(800))")
        }
        return object
    }
}
