import Foundation
import TestSupport
import Testing

/// Behaviour on a terminal, through a pseudo-terminal from util-linux's `script`.
@Suite("terminal")
struct TerminalTests {
    /// Runs envcheck on a pseudo-terminal and returns what the terminal received.
    func onTerminal(_ arguments: [String], environment: [String: String]) async throws -> String {
        let command = ([EnvCheckBinary.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        var env = environment
        env["PATH"] = "/usr/bin:/bin"
        env["TERM"] = "xterm"
        return try await runProgram("/usr/bin/script", ["-qec", command, "/dev/null"], environment: env).output
    }

    let refused = ["DATABASE_URL": "postgres://u:p@127.0.0.1:1/db"]

    @Test func colourOnATerminalUnlessNoColor() async throws {
        let coloured = try await onTerminal(["check", "--no-env-file", "--only", "postgres"], environment: refused)
        #expect(coloured.contains("\u{1B}[31mFAIL"), "\(coloured)")
        var noColor = refused
        noColor["NO_COLOR"] = "1"
        let plain = try await onTerminal(["check", "--no-env-file", "--only", "postgres"], environment: noColor)
        #expect(plain.contains("FAIL"))
        #expect(!plain.contains("\u{1B}["), "\(plain)")
        let flag = try await onTerminal(["check", "--no-env-file", "--only", "postgres", "--no-color"], environment: refused)
        #expect(!flag.contains("\u{1B}["))
    }

    @Test func waitShowsOneLiveProgressLine() async throws {
        let out = try await onTerminal(["check", "--no-env-file", "--only", "postgres", "--wait", "1s", "--timeout", "300ms"], environment: refused)
        // Each attempt rewrites the same line (carriage return + erase line) instead of adding one.
        #expect(out.contains("\r\u{1B}[2Kenvcheck: postgres attempt 1: "), "\(out)")
        #expect(out.contains("\r\u{1B}[2Kenvcheck: postgres attempt 2: "))
        #expect(!out.contains("retrying in 0ms\r\n"))
        let attemptLines = out.components(separatedBy: "\n").filter { $0.contains("attempt") && !$0.contains("attempts)") }
        #expect(attemptLines.count <= 1, "\(attemptLines)")
    }
}
