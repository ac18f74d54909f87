import EnvCheckCore
import EnvCheckProbes
import Foundation
import ProbeFixtures
import Testing
import TestSupport

/// Every registered probe kind runs with unique canary secrets, sent by every route a
/// value can take (the environment, an env file, a manifest literal, a `${VAR:-fallback}`,
/// interpolation in an env file, and each kind's odd forms), to hostile stand-ins that
/// echo the credentials raw, base64 (every alignment), hex and percent-encoded. No form of
/// any canary may appear in stdout, stderr, the JSON or JUnit files, `config`, `list` or
/// `healthcheck`. The kinds come from the registry: a kind without a fixture fails.
@Suite("canary leaks, every route")
struct CanaryLeakTests {
    let registry = BuiltInProbes.registry

    struct Run {
        var inputs: [String: CanaryInputs]
    }

    /// The config key an input reads by default.
    func key(_ kind: String, _ input: String) throws -> String {
        let kind = try #require(registry.kind(kind))
        let found = try #require(kind.inputs.first { $0.name == input }, "\(kind.kind) has no input \(input)")
        return try #require(found.keys.first)
    }

    func fixtures(_ servers: LeakServers) throws -> [String: CanaryInputs] {
        var out: [String: CanaryInputs] = [:]
        for kind in registry.kinds {
            let fixture = try #require(ProbeFixtures.all[kind.kind], "probe kind \(kind.kind) has no leak fixture in Tests/ProbeFixtures")
            out[kind.kind] = try fixture.leaking(servers)
        }
        #expect(out.count == registry.kinds.count)
        return out
    }

    /// One route: how the values reach envcheck.
    enum Route: String, CaseIterable {
        case environment, envFile, manifestLiteral, manifestFallback, interpolation
    }

    struct Invocation {
        var environment: [String: String]
        var prefix: [String]
    }

    func invocation(_ route: Route, _ sets: [String: CanaryInputs], dir: TempDir) throws -> Invocation {
        var env: [String: String] = [:]
        var keyed: [(String, String)] = []
        for (kind, set) in sets.sorted(by: { $0.key < $1.key }) {
            for (input, value) in set.inputs.sorted(by: { $0.key < $1.key }) { keyed.append((try key(kind, input), value)) }
            for (k, v) in set.extraEnvironment { env[k] = v }
        }
        switch route {
        case .environment:
            for (k, v) in keyed { env[k] = v }
            return Invocation(environment: env, prefix: ["--no-env-file"])
        case .envFile:
            let file = try dir.write("route-file.env", keyed.map { "\($0.0)='\($0.1)'" }.joined(separator: "\n") + "\n")
            return Invocation(environment: env, prefix: ["--env-file", file])
        case .interpolation:
            // Each canary in a key whose name says nothing secret, spliced into the values.
            var lines: [String] = []
            var fragments: [String: String] = [:]
            for set in sets.values { for c in set.canaries { fragments[c] = "PART_\(fragments.count)" } }
            for (c, name) in fragments { lines.append("\(name)='\(c)'") }
            for (k, v) in keyed {
                var value = v
                for (c, name) in fragments.sorted(by: { $0.key.count > $1.key.count }) { value = value.replacingOccurrences(of: c, with: "${\(name)}") }
                lines.append("\(k)=\"\(value)\"")
            }
            let file = try dir.write("route-interp.env", lines.joined(separator: "\n") + "\n")
            return Invocation(environment: env, prefix: ["--env-file", file])
        case .manifestLiteral, .manifestFallback:
            var yaml = "version: 1\nprobes:\n"
            for kind in registry.kinds {
                yaml += "  - kind: \(kind.kind)\n"
                guard let set = sets[kind.kind], !set.inputs.isEmpty else { continue }
                yaml += "    inputs:\n"
                for (i, (input, value)) in set.inputs.sorted(by: { $0.key < $1.key }).enumerated() {
                    let text = route == .manifestLiteral ? value : "${ENVCHECK_UNSET_\(kind.kind.uppercased())_\(i):-\(value)}"
                    yaml += "      \(input): \"\(text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\"\n"
                }
            }
            let manifest = try dir.write("route-\(route.rawValue).yaml", yaml)
            return Invocation(environment: env, prefix: ["--no-env-file", "--probes", manifest])
        }
    }

    /// Runs every command over one invocation; returns everything printed or written.
    func outputs(_ inv: Invocation, dir: TempDir, label: String) async throws -> String {
        let json = dir.path + "/\(label).json", junit = dir.path + "/\(label).xml"
        let runs: [[String]] = [
            ["check", "--timeout", "2s", "--verbose", "--json", json, "--junit", junit],
            ["check", "--timeout", "2s", "--format", "json"],
            ["check", "--timeout", "2s", "--format", "junit"],
            ["healthcheck"],
            ["config"], ["config", "--format", "json"],
            ["list"], ["list", "--format", "json"],
        ]
        var out: [String] = []
        for arguments in runs {
            let args = [arguments[0]] + inv.prefix + arguments.dropFirst()
            let r = try await EnvCheckBinary.run(args, environment: inv.environment, directory: dir.path)
            #expect(r.status != 2, "\(label) \(args): \(r.stderr)")
            out.append("$ envcheck \(args.joined(separator: " "))\n\(r.stdout)\n\(r.stderr)")
        }
        let report = try String(contentsOfFile: json, encoding: .utf8)
        let parsed = try JSONSerialization.jsonObject(with: Data(report.utf8)) as? [String: Any]
        let kinds = (parsed?["probes"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
        #expect(Set(kinds) == Set(registry.kinds.map(\.kind)) && kinds.count == registry.kinds.count, "\(label): every kind must run")
        out.append(report)
        out.append(try String(contentsOfFile: junit, encoding: .utf8))
        return out.joined(separator: "\n")
    }

    @Test(arguments: Route.allCases)
    func noFormOfAnyCanaryLeaks(_ route: Route) async throws {
        let servers = try LeakServers()
        let sets = try fixtures(servers)
        let text = try await outputs(try invocation(route, sets, dir: servers.dir), dir: servers.dir, label: route.rawValue)
        let leaks = CanaryForms.findings(sets.values.flatMap(\.canaries), in: text)
        #expect(leaks.isEmpty, "\(route): \(leaks.joined(separator: "\n"))\n\n\(text)")
        // The premise: each hostile server received the credentials it echoes.
        for (kind, set) in sets {
            let received = set.received().joined(separator: "\n")
            for canary in set.mustReach { #expect(received.contains(canary), "\(route): \(kind)'s stand-in never received its canary") }
        }
    }

    /// Values only some kinds take: a scheme-less endpoint, a userinfo with several `@`.
    @Test func oddFormsNeverLeak() async throws {
        let servers = try LeakServers()
        var sets = try fixtures(servers)
        var odd: [String] = []
        for kind in registry.kinds {
            for variant in try ProbeFixtures.all[kind.kind]!.oddRoutes(servers) {
                sets[kind.kind] = variant
                odd += variant.canaries
            }
        }
        #expect(!odd.isEmpty)
        let text = try await outputs(try invocation(.environment, sets, dir: servers.dir), dir: servers.dir, label: "odd")
        let leaks = CanaryForms.findings(sets.values.flatMap(\.canaries), in: text)
        #expect(leaks.isEmpty, "\(leaks.joined(separator: "\n"))\n\n\(text)")
        #expect(text.contains("more than one unencoded @"), "a userinfo with several @ is invalid_url")
    }
}

/// The premise of the leak test: the stand-ins really echo what they receive, in every form.
@Suite("hostile stand-ins echo credentials")
struct HostileServerTests {
    func expectAllForms(_ reply: String, _ canary: String) {
        for offset in ["", "a", "ab"] {
            let b64 = Data((offset + canary).utf8).base64EncodedString()
            #expect(reply.contains(b64), "base64 at offset \(offset.count) missing in \(reply)")
        }
        #expect(reply.contains(canary) && reply.contains(CanaryForms.hex(canary)) && reply.contains(CanaryForms.percent(canary)))
    }

    @Test func redisQuotesAuth() throws {
        let server = try HostileRedis()
        let canary = Canary.make("echo")
        let reply = try RawSocket.exchange(port: server.port, "*2\r\n$4\r\nAUTH\r\n$\(canary.utf8.count)\r\n\(canary)\r\n")
        expectAllForms(reply, canary)
        #expect(server.received.contains(canary))
    }

    @Test func postgresQuotesTheCleartextPassword() throws {
        let server = try HostilePostgres()
        let canary = Canary.make("echo")
        var startup: [UInt8] = [0, 3, 0, 0] + Array("user\0app\0\0".utf8)
        startup = withUnsafeBytes(of: UInt32(startup.count + 4).bigEndian, Array.init) + startup
        let password = Array(canary.utf8) + [0]
        let message = [UInt8(ascii: "p")] + withUnsafeBytes(of: UInt32(password.count + 4).bigEndian, Array.init) + password
        let reply = try RawSocket.exchange(port: server.port, bytes: startup + message)
        expectAllForms(reply, canary)
        #expect(server.received == [canary])
    }

    @Test func httpQuotesTheAuthorizationHeader() throws {
        let server = try HostileHTTP.server()
        let canary = Canary.make("echo")
        let reply = try RawSocket.exchange(port: server.port, "GET /api/v1/key HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(canary)\r\n\r\n")
        expectAllForms(reply.replacingOccurrences(of: "\\", with: ""), canary)
    }
}

/// A blocking client that writes everything and reads until the server closes.
enum RawSocket {
    static func exchange(port: Int, _ text: String) throws -> String { try exchange(port: port, bytes: Array(text.utf8)) }

    static func exchange(port: Int, bytes: [UInt8]) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestServerError("socket failed") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard connected == 0 else { throw TestServerError("connect failed") }
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, 4096) }
            if n <= 0 { break }
            out += buffer[0..<n]
        }
        return String(decoding: out, as: UTF8.self)
    }
}
