import Testing

@testable import EnvCheckCore

func loadManifest(_ text: String, registry: ProbeRegistry = ManifestTestKinds.registry) throws(ManifestError) -> [ProbeSpec] {
    try ManifestLoader.parse(text, path: "probes/m.yaml", registry: registry)
}

/// The error a manifest gives, as the CLI prints it.
func manifestError(_ text: String, registry: ProbeRegistry = ManifestTestKinds.registry) -> String {
    do {
        return "no error: \(try loadManifest(text, registry: registry).map(\.id))"
    } catch {
        return error.description
    }
}

@Suite struct ManifestLoaderTests {
    @Test func readsEveryField() throws {
        let specs = try loadManifest(
            """
            version: 1
            probes:
              - id: primary
                kind: postgres
                critical: false
                required: true
                timeout: 1500ms
                inputs:
                  url: ${APP_DB:-${DATABASE_URL}}
                options:
                  expect_primary: true
                  tls_verify: false
                  ca_file: /etc/ssl/ca.pem
              - kind: next_public
                options:
                  dir: apps/web/.next
                  expect: [NEXT_PUBLIC_A, 'NEXT_PUBLIC_B']
                  ignore:
                    - NEXT_PUBLIC_C
                  max_age: 2m
              - kind: openrouter
                options:
                  min_credit: 2.5
            """)
        #expect(
            specs == [
                ProbeSpec(
                    id: "primary", kind: "postgres", critical: false, required: true, timeout: .milliseconds(1500),
                    bindings: ["url": "${APP_DB:-${DATABASE_URL}}"],
                    options: ["expect_primary": true, "tls_verify": false, "ca_file": "/etc/ssl/ca.pem"]),
                ProbeSpec(
                    id: "next_public", kind: "next_public",
                    options: [
                        "dir": "apps/web/.next", "expect": .array(["NEXT_PUBLIC_A", "NEXT_PUBLIC_B"]),
                        "ignore": .array(["NEXT_PUBLIC_C"]), "max_age": "2m",
                    ]),
                ProbeSpec(id: "openrouter", kind: "openrouter", options: ["min_credit": 2.5]),
            ])
    }

    @Test func versionIsOptionalAndTemplatesAreAcceptedForTypedOptions() throws {
        let specs = try loadManifest(
            """
            probes:
              - kind: postgres
                options:
                  expect_primary: ${EXPECT_PRIMARY:-true}
              - kind: openrouter
                options:
                  min_credit: 3
              - kind: next_public
                options:
                  dir: 2024
                  expect: [7]
            """)
        #expect(
            specs.map(\.options) == [
                ["expect_primary": "${EXPECT_PRIMARY:-true}"], ["min_credit": 3],
                ["dir": "2024", "expect": .array(["7"])],
            ])
    }

    @Test(arguments: [
        // The document and its top level.
        ("", "probes/m.yaml:1:1: a probe manifest is a mapping with 'version' and 'probes', found no value"),
        ("- kind: postgres\n", "probes/m.yaml:1:1: a probe manifest is a mapping with 'version' and 'probes', found a list"),
        ("version: 1\nprobe:\n  - kind: postgres\n", "probes/m.yaml:2:1: unknown key 'probe' in the manifest (allowed: version, probes)"),
        ("version: 2\nprobes:\n  - kind: postgres\n", "probes/m.yaml:1:10: unsupported manifest version (this envcheck reads 'version: 1')"),
        ("version: '1'\nprobes:\n  - kind: postgres\n", "probes/m.yaml:1:10: unsupported manifest version (this envcheck reads 'version: 1')"),
        ("# c\nversion: 1\n", "probes/m.yaml:2:1: the manifest has no 'probes' list"),
        ("version: 1\nprobes:\n  kind: postgres\n", "probes/m.yaml:3:3: 'probes' must be a list of probes ('- kind: ...'), found a mapping"),
        ("version: 1\nprobes:\n", "probes/m.yaml:2:8: 'probes' must be a list of probes ('- kind: ...'), found no value"),
        ("version: 1\nprobes: []\n", "probes/m.yaml:2:9: 'probes' is empty: list at least one probe"),
        // A probe's keys, kind and id.
        ("probes:\n  - postgres\n", "probes/m.yaml:2:5: each probe is a mapping with at least 'kind', found a string"),
        (
            "probes:\n  - kind: postgres\n    timout: 5s\n",
            "probes/m.yaml:3:5: unknown key 'timout' in a probe (allowed: id, kind, critical, required, timeout, inputs, options)"
        ),
        (
            "probes:\n  - id: db\n    critical: true\n",
            "probes/m.yaml:2:5: the probe has no 'kind' (one of: postgres, s3, redis, openrouter, next_public, policy, vault, otlp)"
        ),
        ("probes:\n  - kind: [postgres]\n", "probes/m.yaml:2:11: 'kind' must be a string, found a list"),
        (
            "probes:\n  - kind: mysql\n",
            "probes/m.yaml:2:11: unknown probe kind 'mysql' (known: postgres, s3, redis, openrouter, next_public, policy, vault, otlp)"
        ),
        (
            "probes:\n  - kind: postgres\n    id: 'main db'\n",
            "probes/m.yaml:3:9: probe id 'main db' must be letters, digits, '_', '-' or '.' (it is used in --only and --skip)"
        ),
        (
            "probes:\n  - kind: postgres\n    id: a,b\n",
            "probes/m.yaml:3:9: probe id 'a,b' must be letters, digits, '_', '-' or '.' (it is used in --only and --skip)"
        ),
        ("probes:\n  - kind: postgres\n    id: ''\n", "probes/m.yaml:3:9: 'id' is empty"),
        (
            "probes:\n  - kind: postgres\n  - kind: redis\n  - kind: postgres\n",
            "probes/m.yaml:4:11: duplicate probe id 'postgres' (first at line 2); give one of them another 'id'"
        ),
        (
            "probes:\n  - kind: postgres\n    id: db\n  - id: db\n    kind: redis\n",
            "probes/m.yaml:4:9: duplicate probe id 'db' (first at line 2); give one of them another 'id'"
        ),
        // critical, required, timeout.
        ("probes:\n  - kind: postgres\n    critical: yes\n", "probes/m.yaml:3:15: 'critical' of probe 'postgres' must be true or false, found a string"),
        ("probes:\n  - kind: postgres\n    required: \"true\"\n", "probes/m.yaml:3:15: 'required' of probe 'postgres' must be true or false, found a string"),
        ("probes:\n  - kind: postgres\n    critical:\n", "probes/m.yaml:3:14: 'critical' of probe 'postgres' must be true or false, found no value"),
        (
            "probes:\n  - kind: postgres\n    timeout: 5\n",
            "probes/m.yaml:3:14: 'timeout' of probe 'postgres' must be a duration such as 250ms, 5s or 2m, found a number"
        ),
        (
            "probes:\n  - kind: postgres\n    timeout: 5 sec\n",
            "probes/m.yaml:3:14: 'timeout' of probe 'postgres': invalid duration '5 sec': use a number with a unit, such as 250ms, 5s or 2m"
        ),
        ("probes:\n  - kind: postgres\n    timeout: 0s\n", "probes/m.yaml:3:14: 'timeout' of probe 'postgres' must be greater than zero"),
        // inputs.
        (
            "probes:\n  - kind: postgres\n    inputs: ${DATABASE_URL}\n",
            "probes/m.yaml:3:13: 'inputs' of probe 'postgres' must be a mapping of 'name: value' lines, found a string"
        ),
        ("probes:\n  - kind: postgres\n    inputs:\n      dsn: ${DATABASE_URL}\n", "probes/m.yaml:4:7: unknown input 'dsn' for kind postgres (inputs: url)"),
        (
            "probes:\n  - kind: postgres\n    inputs:\n      url: [a]\n",
            "probes/m.yaml:4:12: input 'url' of probe 'postgres' must be a ${VAR} template or a value, found a list"
        ),
        (
            "probes:\n  - kind: postgres\n    inputs:\n      url:\n",
            "probes/m.yaml:4:11: input 'url' of probe 'postgres' must be a ${VAR} template or a value, found no value"
        ),
        (
            "probes:\n  - kind: postgres\n    inputs:\n      url: ${DATABASE_URL\n",
            "probes/m.yaml:4:12: input 'url' of probe 'postgres': unterminated '${': close it with '}'"
        ),
        (
            "probes:\n  - kind: postgres\n    inputs:\n      url: \"${A:-${B}\"\n",
            "probes/m.yaml:4:12: input 'url' of probe 'postgres': unterminated '${': close it with '}'"
        ),
        (
            "probes:\n  - kind: postgres\n    inputs:\n      url: ${1DB}\n",
            "probes/m.yaml:4:12: input 'url' of probe 'postgres': '${' must be followed by a variable name, as in ${DATABASE_URL}"
        ),
        (
            "probes:\n  - kind: postgres\n    inputs:\n      url: ${DB:=x}\n",
            "probes/m.yaml:4:12: input 'url' of probe 'postgres': only ${NAME} and ${NAME:-default} are supported"
        ),
        // options.
        (
            "probes:\n  - kind: postgres\n    options:\n      expect_replica: true\n",
            "probes/m.yaml:4:7: unknown option 'expect_replica' for kind postgres (options: expect_primary, ca_file, tls_verify, cert_warn_days)"
        ),
        (
            "probes:\n  - kind: redis\n    options:\n      expect_primary: true\n",
            "probes/m.yaml:4:7: unknown option 'expect_primary' for kind redis (options: ca_file, tls_verify, cert_warn_days)"
        ),
        (
            "probes:\n  - kind: postgres\n    options: [expect_primary]\n",
            "probes/m.yaml:3:14: 'options' of probe 'postgres' must be a mapping of 'name: value' lines, found a list"
        ),
        (
            "probes:\n  - kind: postgres\n    options:\n      expect_primary: 'yes'\n",
            "probes/m.yaml:4:23: option 'expect_primary' of probe 'postgres' must be true or false, found a string"
        ),
        (
            "probes:\n  - kind: redis\n    options:\n      tls_verify: 0\n",
            "probes/m.yaml:4:19: option 'tls_verify' of probe 'redis' must be true or false, found a number"
        ),
        (
            "probes:\n  - kind: redis\n    options:\n      ca_file: true\n",
            "probes/m.yaml:4:16: option 'ca_file' of probe 'redis' must be a string, found true/false"
        ),
        (
            "probes:\n  - kind: openrouter\n    options:\n      min_credit: lots\n",
            "probes/m.yaml:4:19: option 'min_credit' of probe 'openrouter' must be a number, found a string"
        ),
        (
            "probes:\n  - kind: next_public\n    options:\n      expect: NEXT_PUBLIC_A\n",
            "probes/m.yaml:4:15: option 'expect' of probe 'next_public' must be a list of strings, found a string"
        ),
        (
            "probes:\n  - kind: next_public\n    options:\n      ignore:\n        - A\n        - k: v\n",
            "probes/m.yaml:6:11: every item of option 'ignore' of probe 'next_public' must be a string, found a mapping"
        ),
        (
            "probes:\n  - kind: next_public\n    options:\n      ignore: [A, true]\n",
            "probes/m.yaml:4:19: every item of option 'ignore' of probe 'next_public' must be a string, found true/false"
        ),
        (
            "probes:\n  - kind: next_public\n    options:\n      max_age: 10\n",
            "probes/m.yaml:4:16: option 'max_age' of probe 'next_public' must be a duration such as 250ms, 5s or 2m, found a number"
        ),
        (
            "probes:\n  - kind: next_public\n    options:\n      max_age: soon\n",
            "probes/m.yaml:4:16: option 'max_age' of probe 'next_public': invalid duration 'soon': use a number with a unit, such as 250ms, 5s or 2m"
        ),
        (
            "probes:\n  - kind: next_public\n    options:\n      dir: ${NEXT_DIR\n",
            "probes/m.yaml:4:12: option 'dir' of probe 'next_public': unterminated '${': close it with '}'"
        ),
        // YAML errors come through with the manifest's path.
        ("probes:\n  - kind: postgres\n\tcritical: true\n", "probes/m.yaml:3:1: tab in indentation: YAML indents with spaces only"),
        ("probes:\n  - kind: postgres\n    kind: redis\n", "probes/m.yaml:3:5: duplicate key 'kind' (first at line 2)"),
    ])
    func errorsNameFileAndLine(_ text: String, _ expected: String) {
        #expect(manifestError(text) == expected)
    }

    @Test func errorsNeverQuoteAnInputValue() {
        let secret = "postgres://app:s3cr3t-canary@db/app"
        let message = manifestError("probes:\n  - kind: postgres\n    inputs:\n      url: [\"\(secret)\"]\n")
        #expect(message.hasPrefix("probes/m.yaml:4:12:"))
        #expect(!message.contains("s3cr3t"))
    }

    @Test func anEmptyRegistrySaysSo() {
        #expect(
            manifestError("probes:\n  - kind: postgres\n", registry: ProbeRegistry([]))
                == "probes/m.yaml:2:11: unknown probe kind 'postgres' (known: none are registered)")
    }

    @Test func bareNamesMeanProbesDirectory() {
        #expect(ManifestLoader.resolvePath("backend") == "probes/backend.yaml")
        #expect(ManifestLoader.resolvePath("backend.yaml") == "backend.yaml")
        #expect(ManifestLoader.resolvePath("ci.yml") == "ci.yml")
        #expect(ManifestLoader.resolvePath("./backend") == "./backend")
        #expect(ManifestLoader.resolvePath("/etc/envcheck/probes") == "/etc/envcheck/probes")
    }

    @Test func unreadableAndInvalidFiles() {
        func failure(_ argument: String, _ read: (String) throws(FileSystem.Failure) -> [UInt8]) -> String {
            do {
                _ = try ManifestLoader.load(argument, registry: ManifestTestKinds.registry, read: read)
                return "no error"
            } catch {
                return error.description
            }
        }
        #expect(
            failure("nope") { path throws(FileSystem.Failure) in throw FileSystem.Failure(path: path, reason: "No such file or directory") }
                == "probes/nope.yaml: cannot read the probe manifest ('nope' names probes/nope.yaml): No such file or directory")
        #expect(
            failure("x/m.yaml") { path throws(FileSystem.Failure) in throw FileSystem.Failure(path: path, reason: "Permission denied") }
                == "x/m.yaml: cannot read the probe manifest: Permission denied")
        #expect(failure("m.yaml") { _ in [0x70, 0xFF, 0x0A] } == "m.yaml:1: the probe manifest is not valid UTF-8")
        #expect(
            failure("m.yaml") { _ in Array("probes:\n  - kind: nope\n".utf8) }
                == "m.yaml:2:11: unknown probe kind 'nope' (known: postgres, s3, redis, openrouter, next_public, policy, vault, otlp)")
    }
}
