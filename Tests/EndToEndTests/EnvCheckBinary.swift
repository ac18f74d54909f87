import Foundation

/// Runs the built `envcheck` binary: `ENVCHECK_BIN` if set, else the `envcheck` next to
/// the test bundle (`/proc/self/exe`'s directory, i.e. `.build/<config>/`).
enum EnvCheckBinary {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static var path: String {
        if let override = ProcessInfo.processInfo.environment["ENVCHECK_BIN"], !override.isEmpty { return override }
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        // On macOS the runner sits inside the .xctest bundle; on Linux next to the binary.
        while dir.path != "/", !FileManager.default.isExecutableFile(atPath: dir.appendingPathComponent("envcheck").path) {
            dir.deleteLastPathComponent()
        }
        return dir.appendingPathComponent("envcheck").path
    }

    static func run(_ arguments: [String], in directory: String, environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read before waiting, so a large report cannot fill the pipe and block the child.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }
}
