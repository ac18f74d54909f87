import Foundation

/// A temporary directory removed when the value is released.
public final class TempDir: @unchecked Sendable {
    public let path: String

    public init(prefix: String = "envcheck-test") throws {
        let template = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix).XXXXXX").path
        var bytes = Array(template.utf8CString)
        guard mkdtemp(&bytes) != nil else { throw TestServerError("mkdtemp failed") }
        path = String(cString: bytes)
    }

    /// Writes `text` to `name` inside the directory (creating subdirectories) and returns the path.
    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String {
        let url = URL(fileURLWithPath: path).appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
