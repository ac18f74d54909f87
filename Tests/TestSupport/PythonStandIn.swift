import Foundation

/// A stand-in server written in Python (`Tests/Python/<script>`), run by the venv's python
/// in a temporary directory: it reads a JSON state file on every request (``update(_:)``
/// changes the server), appends one JSON line per request to a log (``log``), and writes
/// the port it listens on. Released, it is killed and the directory removed.
public final class PythonStandIn: @unchecked Sendable {
    public let directory: TempDir
    public let port: Int
    private let server: TestServerProcess
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// The venv's python (ENVCHECK_VENV, set by scripts/test.sh).
    public static var python: String { (ProcessInfo.processInfo.environment["ENVCHECK_VENV"] ?? "") + "/bin/python" }

    /// `Tests/Python/<name>`.
    public static func script(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Python/\(name)").path
    }

    public static func start(_ script: String, state: [String: Any]) async throws -> PythonStandIn {
        let json = try JSONSerialization.data(withJSONObject: state)
        return try await offPool { try PythonStandIn(script, json) }
    }

    private init(_ script: String, _ state: Data) throws {
        directory = try TempDir(prefix: "envcheck-standin")
        let d = directory.path
        try state.write(to: URL(fileURLWithPath: d + "/state.json"))
        server = try TestServerProcess(
            Self.python, [Self.script(script), d + "/state.json", d + "/requests.log", d + "/port"], log: d + "/stderr.log")
        try server.waitUntil("write its port", timeout: 20) { FileManager.default.fileExists(atPath: d + "/port") }
        guard let text = try? String(contentsOfFile: d + "/port", encoding: .utf8), let port = Int(text) else {
            throw TestServerError("\(script) wrote no port")
        }
        self.port = port
        try server.waitUntilListening(port: port)
    }

    public func update(_ state: [String: Any]) throws {
        try JSONSerialization.data(withJSONObject: state).write(to: URL(fileURLWithPath: directory.path + "/state.json"), options: .atomic)
    }

    /// Every request so far, as the script logged it.
    public var log: [[String: Any]] {
        let text = (try? String(contentsOfFile: directory.path + "/requests.log", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
    }
}
