import Foundation
import TestSupport
import Testing

/// Shell completion on the built binary, run by bash itself: the generated script sourced,
/// its function called as bash's `complete` would call it.
@Suite("completions")
struct CompletionTests {
    /// What bash would offer after `words` (the last one being completed) in `directory`.
    func complete(_ words: [String], directory: String? = nil) async throws -> [String] {
        let quoted = words.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let script = """
            source <("$0" --generate-completion-script bash)
            COMP_WORDS=("$0" \(quoted)); COMP_CWORD=\(words.count)
            COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}
            _envcheck "$0" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let r = try await runProgram("/bin/bash", ["-c", script, EnvCheckBinary.path], environment: ["PATH": "/usr/bin:/bin"], directory: directory)
        #expect(r.status == 0, "\(r.stderr)")
        return r.stdout.split(separator: "\n").map(String.init)
    }

    @Test func probeIdsComeFromTheDefaultOrTheManifestGiven() async throws {
        let ids = try await complete(["check", "--only", ""])
        #expect(ids.starts(with: ["postgres", "s3", "redis"]) && ids.contains("vault") && !ids.contains("tcp"))
        let fromManifest = try await complete(["check", "--probes", "probes/services.yaml", "--skip", ""], directory: repositoryRoot)
        #expect(fromManifest == ["api", "sidecar", "smtp", "search", "vault-secrets", "otel"])
        #expect(try await complete(["healthcheck", "--only", "po"]) == ["postgres", "policy"])
        #expect(try await complete(["serve", "--skip", "po"]) == ["postgres", "policy"])
    }

    @Test func formatsAndFilesAreOffered() async throws {
        #expect(try await complete(["check", "--format", ""]) == ["human", "json", "junit", "markdown", "tap", "prometheus"])
        #expect(try await complete(["check", "--fail-on", ""]) == ["warn"])
        let dir = try TempDir(prefix: "envcheck-complete")
        try dir.write(".env.staging", "A=1\n")
        try dir.write("notes.txt", "x\n")
        #expect(try await complete(["check", "--env-file", ".env"], directory: dir.path) == [".env.staging"])
        #expect(
            try await complete(["check", "--probes", ""], directory: repositoryRoot + "/probes").sorted() == [
                "backend.yaml", "default.yaml", "frontend.yaml", "services.yaml",
            ])
    }
}
