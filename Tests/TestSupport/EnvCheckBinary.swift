import Foundation

/// Runs the built `envcheck` binary, as users do.
public enum EnvCheckBinary {
    /// `ENVCHECK_BIN`, else the `envcheck` beside the test bundle in the build folder.
    public static var path: String {
        if let explicit = ProcessInfo.processInfo.environment["ENVCHECK_BIN"] { return explicit }
        var url = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
        while url.path != "/" {
            url.deleteLastPathComponent()
            let candidate = url.appendingPathComponent("envcheck").path
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue { return candidate }
        }
        return repositoryRoot + "/.build/debug/envcheck"
    }

    /// Runs envcheck with exactly `environment` (nothing inherited but a default PATH) in
    /// `directory`, with an empty stdin.
    public static func run(
        _ arguments: [String], environment: [String: String] = [:],
        directory: String? = nil
    ) async throws -> ProgramOutput {
        var environment = environment
        environment["PATH"] = environment["PATH"] ?? "/usr/bin:/bin"
        return try await runProgram(path, arguments, environment: environment, directory: directory)
    }
}
