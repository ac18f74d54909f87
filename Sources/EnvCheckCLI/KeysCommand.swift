import ArgumentParser
import EnvCheckCore
import EnvCheckKeys

/// `envcheck keys`: proves the configuration layers agree — every key the Vault template
/// renders is read by the typed settings, every settings field is documented in the
/// example, `[VAULT]` markers match the template, example values parse as their fields'
/// types. Exit 0 (warnings allowed), 1 any failure, 2 a file missing or unreadable.
/// Runs no probe and reads no environment.
struct KeysCommand: ParsableCommand, Executable {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Prove the config layers agree: Vault template ⊆ typed settings ⊆ documented .env.example."
    )

    @Option(help: ArgumentHelp("The consul-template file production renders (repeatable; default ./\(KeysOptions.defaultTemplate)).", valueName: "path"))
    var template: [String] = []

    @Option(
        help: ArgumentHelp(
            "The Python file with the pydantic BaseSettings class(es) (repeatable; default ./\(KeysOptions.defaultSettings)).", valueName: "path"))
    var settings: [String] = []

    @Option(help: ArgumentHelp("The documented example env file (repeatable; default ./\(KeysOptions.defaultExample)).", valueName: "path"))
    var example: [String] = []

    @Flag(name: .customLong("no-template"), help: "Check only the settings against the example, on purpose.")
    var noTemplate = false

    @Option(
        name: .customLong("allow-prefix"), help: ArgumentHelp("Example keys with this prefix may be unknown to the settings (repeatable).", valueName: "prefix")
    )
    var allowPrefix: [String] = KeysOptions.defaultAllowPrefixes

    @Flag(help: "Turn warnings into failures.")
    var strict = false

    @Option(
        name: .customLong("vault-markers"),
        help: ArgumentHelp(
            "How far a [VAULT] comment in the example reaches: line (the key below it or on its line) or block (every key below a "
                + "marked comment header, until a blank line or the next header).", valueName: "line|block"))
    var vaultMarkers: String = ExampleParser.VaultMarkers.line.rawValue

    @OptionGroup(title: "Output") var output: OutputOptions

    func validate() throws {
        try output.validate(formats: KeysReport.formats)
        if noTemplate && !template.isEmpty { throw ValidationError("--no-template and --template cannot be used together") }
        guard ExampleParser.VaultMarkers(rawValue: vaultMarkers) != nil else {
            throw ValidationError("--vault-markers must be line or block")
        }
    }

    var options: KeysOptions {
        KeysOptions(
            templates: template.isEmpty ? [KeysOptions.defaultTemplate] : template,
            settings: settings.isEmpty ? [KeysOptions.defaultSettings] : settings,
            examples: example.isEmpty ? [KeysOptions.defaultExample] : example,
            useTemplate: !noTemplate, allowPrefixes: allowPrefix, strict: strict,
            vaultMarkers: ExampleParser.VaultMarkers(rawValue: vaultMarkers) ?? .line)
    }

    func execute(_ environment: [String: String]) async -> Int32 {
        var report: KeysReport
        do {
            report = try KeysChecker.run(options)
            report.failOnWarn = output.failOn.warn
        } catch {
            Output.stderr("envcheck: \(error)\n")
            return 2
        }
        let reportOptions = output.reportOptions(environment: environment)
        Output.stdout(report.render(output.stdoutFormat, options: reportOptions))
        for (path, format) in output.files {
            do {
                try FileSystem.write(report.render(format, options: reportOptions), to: path)
            } catch {
                Output.stderr("envcheck: cannot write the \(format) report: \(error)\n")
                return 2
            }
        }
        return report.exitCode
    }
}
