/// The parsers under fuzzing. Each target turns any bytes into a one-line outcome (`ok: ...`
/// or `error: file:line: ...`), which the replay compares with the seed's `.expect` file,
/// and checks invariants that must hold for every input; a broken invariant is a crash,
/// which libFuzzer records as a finding.
///
/// Compiled into the EnvCheckCore module with the Core sources by scripts/fuzz.sh, so the
/// targets reach internal API as the unit tests do.
struct FuzzTarget: Sendable {
    /// The corpus folder: Tests/Fuzz/corpus/<name>.
    let name: String
    let run: @Sendable ([UInt8]) -> String
}

enum FuzzTargets {
    static let all: [FuzzTarget] = [
        FuzzTarget(name: "env-dotenv") { envFile($0, .dotenv) },
        FuzzTarget(name: "env-compose") { envFile($0, .compose) },
        FuzzTarget(name: "env-systemd") { envFile($0, .systemd) },
        FuzzTarget(name: "interpolation", run: interpolation),
        FuzzTarget(name: "manifest", run: manifest),
        FuzzTarget(name: "json", run: json),
        FuzzTarget(name: "snapshot", run: snapshot),
        FuzzTarget(name: "template") {
            keysFile($0) { text throws(KeysInputError) in
                "\(try TemplateParser.parse(text, path: "input").count) keys, \(try TemplateParser.secretReads(text, path: "input").count) secret reads"
            }
        },
        FuzzTarget(name: "settings") { keysFile($0, settings) },
        FuzzTarget(name: "example") { keysFile($0) { text throws(KeysInputError) in "\(try ExampleParser.parse(text, path: "input").count) entries" } },
        FuzzTarget(name: "keys", run: keys),
    ]

    static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }

    /// A value no error message may ever contain (it stands for a secret in the environment).
    static let canary = "Zq9xCanaryValue7Kp"
    /// What interpolation sees besides the file's own assignments. `BIG` makes blow-ups
    /// (`${BIG}${BIG}...`) cheap for the fuzzer to find.
    static let environment: [String: String] = [
        "HOME": "/root", "USER": "app", "EMPTY": "", "SECRET": canary, "DATABASE_URL": "postgres://u:\(canary)@db/app",
        "BIG": String(repeating: "b", count: 20_000),
    ]

    static func invariant(_ condition: Bool, _ what: @autoclosure () -> String) {
        if !condition { fatalError("fuzz invariant broken: \(what())") }
    }

    /// No value from the environment reaches an error, unless the input itself spelt it out.
    static func checkNoValueLeaks(_ message: String, input: [UInt8]) {
        guard message.utf8Contains(canary), !String(decoding: input, as: UTF8.self).utf8Contains(canary) else { return }
        invariant(false, "an error message contains a value: \(message)")
    }

    /// Line breaks as every parser counts them: LF, CRLF and a bare CR are one each.
    static func lineCount(_ bytes: [UInt8]) -> Int {
        var lines = 1
        for (n, b) in bytes.enumerated() where b == 0x0A || (b == 0x0D && (n + 1 == bytes.count || bytes[n + 1] != 0x0A)) { lines += 1 }
        return lines
    }

    static func envFile(_ bytes: [UInt8], _ dialect: EnvDialect) -> String {
        var count = 0
        var lastLine = 0
        do {
            var parser = try EnvFileParser(bytes: bytes, path: "input", dialect: dialect)
            var defined: [String: String] = [:]
            while let a = try parser.next(lookup: { defined[$0] ?? environment[$0] }) {
                invariant(a.line > lastLine, "assignment lines go backwards: \(a.line) after \(lastLine)")
                invariant(a.value.utf8.count <= Limits.valueBytes, "a value is longer than the limit")
                lastLine = a.line
                defined[a.key] = a.value
                count += 1
            }
            invariant(count <= Limits.keysPerFile, "more assignments than the limit")
            return "ok: \(count) assignments"
        } catch {
            invariant(error.line >= 1 && error.line <= lineCount(bytes), "error line \(error.line) is not a line of the input")
            checkNoValueLeaks(error.description, input: bytes)
            return "error: \(error.description)"
        }
    }

    struct Failed: Error { let message: String }

    static func interpolation(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        let lookup: (String) -> String? = { environment[$0] }
        var parts: [String] = []
        for (name, style) in [("braces", Interpolation.Style.braces), ("compose", .compose)] {
            var notes: [String] = []
            do {
                let value = try Interpolation.expand([.text(text)], style: style, lookup: lookup, notes: &notes) { Failed(message: $0) }
                invariant(value.utf8.count <= Limits.valueBytes, "a value is longer than the limit")
                invariant(Set(notes).count == notes.count, "a note is repeated")
                parts.append("\(name) \(value.utf8.count) bytes")
            } catch {
                checkNoValueLeaks(error.message, input: bytes)
                parts.append("\(name) error: \(error.message)")
            }
        }
        let problem = Interpolation.problem(expanding: text, lookup: lookup)
        let (value, _) = Interpolation.expand(text, lookup: lookup)
        invariant(problem == nil || value.isEmpty, "a template past the limits expanded to a value")
        let templateProblem = ManifestTemplate.problem(in: text)
        parts.append("template " + (templateProblem ?? "ok"))
        let failed = templateProblem != nil || parts.contains { $0.contains(" error: ") }
        return (failed ? "error: " : "ok: ") + parts.joined(separator: "; ")
    }

    static func manifest(_ bytes: [UInt8]) -> String {
        let specs: [ProbeSpec]
        do {
            specs = try ManifestLoader.load("input.yaml", registry: FuzzKinds.registry) { _ in bytes }
        } catch {
            invariant(error.line <= lineCount(bytes), "error line \(error.line) is not a line of the input")
            return "error: \(error.description)"
        }
        invariant(specs.count <= Limits.manifestProbes, "more probes than the limit")
        let plans = Planner.plan(
            specs, registry: FuzzKinds.registry, config: ResolvedConfig(environment), global: GlobalSettings(),
            timeouts: Planner.Timeouts())
        let ready = plans.filter { if case .ready = $0.setup { true } else { false } }.count
        return "ok: \(specs.count) probes, \(ready) ready"
    }

    /// A snapshot file as `diff` reads it: refused with a reason, or read, written back and
    /// read again to the same snapshot, and diffed against itself.
    static func snapshot(_ bytes: [UInt8]) -> String {
        let snapshot: Snapshot
        do { snapshot = try Snapshot.parse(bytes, path: "input.json") } catch {
            invariant(error.description.hasPrefix("input.json: "), "the error does not name the file")
            return "error: \(error.description)"
        }
        invariant(snapshot.keys.allSatisfy { !$0.secret || $0.value == nil }, "a secret with a value was read")
        var written = snapshot
        written.probes = snapshot.probes  // kept as read
        let again = try? Snapshot.parse(Array(written.json().utf8), path: "input.json")
        invariant(again == snapshot, "parse(json(parse(x))) != parse(x)")
        let side = SnapshotDiff.Side(path: "input.json", snapshot: snapshot)
        let diff = SnapshotDiff(side, side, expectEqual: snapshot.keys.prefix(3).map(\.key))
        invariant(diff.checks.count == 4, "a diff has four checks")
        return "ok: \(snapshot.keys.count) keys, \(snapshot.resources.count) resources, diff \(diff.status.rawValue)"
    }

    static func json(_ bytes: [UInt8]) -> String {
        let value: JSONValue
        do { value = try JSONParser.parse(bytes) } catch {
            invariant(error.offset >= 0 && error.offset <= bytes.count, "error offset outside the input")
            return "error: \(error.description)"
        }
        // Writing, reading and writing again gives the same text.
        let written = JSONWriter.write(value, pretty: false)
        guard let again = try? JSONParser.parse(written) else {
            invariant(false, "the writer's output does not parse")
            return ""
        }
        invariant(JSONWriter.write(again, pretty: false) == written, "write(parse(write(v))) != write(v)")
        let kind =
            switch value {
            case .object(let o): "object of \(o.keys.count)"
            case .array(let a): "array of \(a.count)"
            default: "scalar"
            }
        return "ok: \(kind)"
    }

    /// A keys layer file: read as `envcheck keys` reads it, then parsed by `parse`.
    static func keysFile(_ bytes: [UInt8], _ parse: (String) throws(KeysInputError) -> String) -> String {
        do throws(KeysInputError) {
            let text: String
            do { text = try TextInput.normalised(bytes) } catch {
                throw KeysInputError(path: "input", line: error.line, message: error.message)
            }
            return "ok: " + (try parse(text))
        } catch {
            if let line = error.line { invariant(line >= 1 && line <= lineCount(bytes), "error line \(line) is not a line of the input") }
            return "error: \(error.description)"
        }
    }

    static func settings(_ text: String) throws(KeysInputError) -> String {
        let classes = try SettingsParser.parse(text, path: "input")
        let fields = classes.flatMap(\.fields)
        for f in fields { _ = f.type.problem(with: "[1, {\"a\": true}]") }
        return "\(classes.count) classes, \(fields.count) fields"
    }

    /// Template, settings and example in one input, separated by NUL bytes, then checked
    /// against each other as `envcheck keys` does.
    static func keys(_ bytes: [UInt8]) -> String {
        let parts = bytes.split(separator: 0, maxSplits: 2, omittingEmptySubsequences: false).map(Array.init)
        guard parts.count == 3 else { return "error: not three NUL-separated parts" }
        do throws(KeysInputError) {
            func text(_ part: [UInt8]) throws(KeysInputError) -> String {
                do { return try TextInput.normalised(part) } catch {
                    throw KeysInputError(path: "input", line: error.line, message: error.message)
                }
            }
            let layers = KeysLayers(
                template: try TemplateParser.parse(text(parts[0]), path: "t"),
                settings: try SettingsParser.parse(text(parts[1]), path: "s"),
                example: try ExampleParser.parse(text(parts[2]), path: "e"))
            let findings = KeysChecker.check(layers, options: KeysOptions())
            return "ok: \(findings.count) findings"
        } catch {
            return "error: \(error.description)"
        }
    }
}
