import Foundation

/// How a program that ran to completion ended and what it printed.
public struct ProgramOutput: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
    /// Wall-clock seconds from launch to exit.
    public let seconds: Double
    /// stdout followed by stderr.
    public var output: String { stdout + stderr }

    public init(status: Int32, stdout: String, stderr: String, seconds: Double) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
        self.seconds = seconds
    }
}

/// Runs a program to completion off the cooperative pool (see `offPool`).
@discardableResult
public func runProgram(
    _ path: String, _ arguments: [String], stdin: Data? = nil, environment: [String: String]? = nil,
    directory: String? = nil
) async throws -> ProgramOutput {
    try await offPool { try runProgramBlocking(path, arguments, stdin: stdin, environment: environment, directory: directory) }
}

/// Runs a program to completion, blocking the calling thread: call it off the cooperative
/// pool (it is internal, so test targets reach it only through `runProgram`). `environment`
/// nil inherits the test process's; `stdin` is written then closed (nil: end-of-file at once).
func runProgramBlocking(
    _ path: String, _ arguments: [String], stdin: Data? = nil,
    environment: [String: String]? = nil, directory: String? = nil
) throws -> ProgramOutput {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    if let environment { process.environment = environment }
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let out = Pipe()
    let err = Pipe()
    let input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    let start = Date()
    try process.run()
    // Both outputs drain on threads of their own while stdin is written here, so no full
    // pipe can block the child (nor us).
    let stdout = PipeDrain(out)
    let stderr = PipeDrain(err)
    if let stdin { try? input.fileHandleForWriting.write(contentsOf: stdin) }
    try? input.fileHandleForWriting.close()
    let output = (stdout.wait(), stderr.wait())
    process.waitUntilExit()
    return ProgramOutput(
        status: process.terminationStatus, stdout: output.0, stderr: output.1,
        seconds: Date().timeIntervalSince(start))
}

/// Reads a pipe to its end on a thread of its own.
private final class PipeDrain: @unchecked Sendable {
    private var data = Data()  // written by the reading thread before `done` is signalled
    private let done = DispatchSemaphore(value: 0)

    init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    /// Waits for end-of-file and returns what was read, as UTF-8.
    func wait() -> String {
        done.wait()
        return String(decoding: data, as: UTF8.self)
    }
}
