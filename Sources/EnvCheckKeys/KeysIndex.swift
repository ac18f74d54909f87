import EnvCheckCore

/// The layers' keys by name, so the checker's questions ("which fields read this key?",
/// "is it documented?") cost a lookup instead of a pass over a whole layer: with thousands
/// of keys per file, the passes made `envcheck keys` quadratic.
///
/// A field reads a key as ``SettingsField/accepts(_:)`` says: exactly, or ignoring case when
/// the field is not case-sensitive. Every answer lists items in the layer's own order.
struct KeysIndex {
    let fields: [SettingsField]
    /// Case-sensitive fields by env name; the others by lowercased env name.
    private var exactFields: [String: [Int]] = [:]
    private var foldedFields: [String: [Int]] = [:]
    let example: [ExampleEntry]
    private var exampleByKey: [String: [Int]] = [:]
    private var exampleByFoldedKey: [String: [Int]] = [:]
    private var templateKeys = Set<String>()
    private var foldedTemplateKeys = Set<String>()

    init(fields: [SettingsField], example: [ExampleEntry], template: [TemplateKey]?) {
        self.fields = fields
        self.example = example
        for (n, f) in fields.enumerated() {
            for name in Set(f.envNames) {
                if f.caseSensitive { exactFields[name, default: []].append(n) } else { foldedFields[name.lowercased(), default: []].append(n) }
            }
        }
        for (n, e) in example.enumerated() {
            exampleByKey[e.key, default: []].append(n)
            exampleByFoldedKey[e.key.lowercased(), default: []].append(n)
        }
        for t in template ?? [] {
            templateKeys.insert(t.key)
            foldedTemplateKeys.insert(t.key.lowercased())
        }
    }

    /// The fields that read `key`.
    func readers(of key: String) -> [SettingsField] {
        let found = (exactFields[key] ?? []) + (foldedFields[key.lowercased()] ?? [])
        return Set(found).sorted().map { fields[$0] }
    }

    /// The example entries named exactly `key`.
    func documented(_ key: String) -> [ExampleEntry] {
        (exampleByKey[key] ?? []).map { example[$0] }
    }

    /// The example entries `field` reads.
    func documented(by field: SettingsField) -> [ExampleEntry] {
        var found = Set<Int>()
        for name in field.envNames {
            found.formUnion((field.caseSensitive ? exampleByKey[name] : exampleByFoldedKey[name.lowercased()]) ?? [])
        }
        return found.sorted().map { example[$0] }
    }

    /// Whether the template renders `key`.
    func isRendered(_ key: String) -> Bool { templateKeys.contains(key) }

    /// Whether the template renders a key `field` reads.
    func isRendered(by field: SettingsField) -> Bool {
        field.envNames.contains { field.caseSensitive ? templateKeys.contains($0) : foldedTemplateKeys.contains($0.lowercased()) }
    }
}
