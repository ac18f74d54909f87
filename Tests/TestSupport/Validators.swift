import Foundation

/// The repository root (for schemas/, probes/ and fixtures).
public let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
    }
    return FileManager.default.currentDirectoryPath
}()

/// Validates reports against the schemas kept in the repository, with the same tools a
/// user's CI would use: Python's `jsonschema` and `xmllint`.
public enum SchemaValidator {
    /// The venv's python (scripts/test.sh exports ENVCHECK_VENV).
    static func python() throws -> String {
        let venv = try TestEnvironment.require("ENVCHECK_VENV")
        return venv + "/bin/python"
    }

    /// Throws with the validator's message when `json` does not match `schemas/<schema>`.
    public static func validateJSON(_ json: String, schema: String = "report.schema.json") async throws {
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            jsonschema.Draft202012Validator.check_schema(schema)
            jsonschema.Draft202012Validator(schema).validate(json.loads(sys.stdin.read()))
            print("valid")
            """
        let result = try await runProgram(try python(), ["-c", script, repositoryRoot + "/schemas/" + schema], stdin: Data(json.utf8))
        guard result.status == 0, result.output.contains("valid") else { throw TestServerError("JSON schema: \(result.output)") }
    }

    /// Validates JUnit XML with xmllint against schemas/junit.xsd, then checks the counts
    /// on testsuites/testsuite match their children.
    public static func validateJUnit(_ xml: String) async throws {
        let schema = repositoryRoot + "/schemas/junit.xsd"
        let lint = try await runProgram("/usr/bin/xmllint", ["--noout", "--schema", schema, "-"], stdin: Data(xml.utf8))
        guard lint.status == 0 else { throw TestServerError("xmllint: \(lint.output)") }
        let script = """
            import sys, xml.etree.ElementTree as ET
            root = ET.fromstring(sys.stdin.read())
            for node in [root] + root.findall('testsuite'):
                cases = node.findall('.//testcase')
                want = {'tests': len(cases), 'failures': sum(1 for c in cases if c.find('failure') is not None),
                        'errors': sum(1 for c in cases if c.find('error') is not None),
                        'skipped': sum(1 for c in cases if c.find('skipped') is not None)}
                for k, v in want.items():
                    assert int(node.get(k)) == v, f"{node.tag} {k}={node.get(k)} but {v} children"
            print("counts ok")
            """
        let counts = try await runProgram("/usr/bin/python3", ["-c", script], stdin: Data(xml.utf8))
        guard counts.status == 0, counts.output.contains("counts ok") else { throw TestServerError("JUnit counts: \(counts.output)") }
    }
}
