import Foundation
import TestSupport
import Testing

/// Docker does not run here, so the image is checked piece by piece: the runtime stage
/// must install a package for every shared library the static-stdlib release binary
/// needs (scripts/test.sh builds it exactly as the Dockerfile does and exports its path).
@Suite("Dockerfile")
struct DockerfileTests {
    static let dockerfile = repositoryRoot + "/Dockerfile"

    /// The packages the final stage's `apt-get install` names.
    static func runtimePackages() throws -> [String] {
        let text = try String(contentsOfFile: dockerfile, encoding: .utf8)
        guard let finalStage = text.components(separatedBy: "\nFROM ").last else { return [] }
        let joined = finalStage.replacingOccurrences(of: "\\\n", with: " ")
        guard let install = joined.components(separatedBy: "\n").first(where: { $0.contains("apt-get install") }) else { return [] }
        let afterInstall = install.components(separatedBy: "apt-get install").last ?? ""
        let command = afterInstall.components(separatedBy: "&&").first ?? ""
        return command.split(separator: " ").map(String.init).filter { !$0.hasPrefix("-") && !$0.isEmpty }
    }

    /// `pkg` plus everything it depends on, by the installed packages' own metadata.
    static func closure(_ roots: [String]) async throws -> Set<String> {
        var seen = Set<String>()
        var queue = roots
        while let pkg = queue.popLast() {
            let name = pkg.components(separatedBy: ":").first ?? pkg
            guard seen.insert(name).inserted else { continue }
            let r = try await runProgram("/usr/bin/dpkg-query", ["-W", "-f", "${Depends}, ${Pre-Depends}, ${Provides}", name])
            guard r.status == 0 else { continue }
            for clause in r.output.components(separatedBy: ",") {
                // Any alternative of `a | b` may satisfy it; following all of them over-approximates only slightly.
                for alternative in clause.components(separatedBy: "|") {
                    let dep = alternative.trimmingCharacters(in: .whitespaces).components(separatedBy: " ").first ?? ""
                    if !dep.isEmpty { queue.append(dep) }
                }
            }
        }
        return seen
    }

    /// What debian:bookworm-slim already has: the essential and required packages, and apt.
    static func basePackages() async throws -> [String] {
        let r = try await runProgram("/usr/bin/dpkg-query", ["-W", "-f", "${Package} ${Essential} ${Priority}\n"])
        let base = r.output.split(separator: "\n").compactMap { line -> String? in
            let f = line.split(separator: " ")
            return f.count == 3 && (f[1] == "yes" || f[2] == "required") ? String(f[0]) : nil
        }
        return base + ["apt"]
    }

    @Test func runtimeStageInstallsTheExpectedPackages() throws {
        #expect(try Self.runtimePackages() == ["libpq5", "libhiredis0.14", "libcurl4", "libssl3", "ca-certificates"])
    }

    @Test(.requires(.releaseBinary)) func everySharedLibraryComesFromAnInstalledPackage() async throws {
        let binary = try TestEnvironment.require("ENVCHECK_RELEASE_BIN")
        let direct = try await runProgram("/usr/bin/readelf", ["-d", binary])
        #expect(direct.output.contains("libpq.so.5"))
        #expect(!direct.output.contains("libswiftCore"), "the release binary must carry the Swift runtime statically")
        let ldd = try await runProgram("/usr/bin/ldd", [binary])
        #expect(ldd.status == 0)
        let paths = ldd.output.split(separator: "\n").compactMap { line -> String? in
            guard let arrow = line.range(of: "=> ") else { return line.contains("ld-linux") ? nil : nil }
            return line[arrow.upperBound...].components(separatedBy: " (").first
        }
        #expect(paths.count > 5)
        let allowed = try await Self.closure(Self.runtimePackages() + Self.basePackages())
        for path in paths {
            let owner = try await runProgram("/usr/bin/dpkg", ["-S", path])
            let resolved = owner.status == 0 ? owner : try await runProgram("/usr/bin/dpkg", ["-S", URL(fileURLWithPath: path).resolvingSymlinksInPath().path])
            let package = resolved.output.components(separatedBy: ":").first ?? ""
            #expect(resolved.status == 0, "no package owns \(path)")
            #expect(allowed.contains(package), "\(path) comes from \(package), which the Dockerfile's runtime stage does not install")
        }
    }
}
