import EnvCheckCore

/// What a `next_public` check verifies, read from the settings once at set-up.
struct NextPublicPlan: Sendable {
    /// A `NEXT_PUBLIC_*` key that must be baked into the client chunks.
    struct Expected: Sendable, Equatable {
        let key: String
        /// Nil when an `expect`ed key is not set in the configuration.
        let value: String?
    }

    /// A server secret that must not appear in the build, with the forms it may take.
    struct SecretValue: Sendable {
        /// The key, or `KEY (URL password)` for a password inside a URL.
        let name: String
        let forms: [Secret]
    }

    static let minimumSecretLength = 8

    let buildDir: String
    let expected: [Expected]
    let ignored: [String]
    let secrets: [SecretValue]
    /// Secret keys whose value is also a `NEXT_PUBLIC_*` value, so public by choice.
    let secretsAlsoPublic: [String]
    let productionLike: Bool
    let environmentName: String?

    init(
        buildDir: String, expected: [Expected], ignored: [String] = [], secrets: [SecretValue] = [],
        secretsAlsoPublic: [String] = [], productionLike: Bool = false, environmentName: String? = nil
    ) {
        self.buildDir = buildDir
        self.expected = expected
        self.ignored = ignored
        self.secrets = secrets
        self.secretsAlsoPublic = secretsAlsoPublic
        self.productionLike = productionLike
        self.environmentName = environmentName
    }

    /// Expected keys: the `expect` option, else every `NEXT_PUBLIC_*` key; minus `ignore`.
    /// Secrets: secret-looking keys (``SecretPolicy``) and URL passwords, at least 8 long.
    init(settings: ProbeSettings, buildDir: String) {
        let config = settings.config
        let keys = config.entries.keys.sorted()
        let ignored = settings[NextPublicProbe.ignoreOption] ?? []
        let wanted = settings[NextPublicProbe.expectOption] ?? keys.filter { $0.hasPrefix(SecretPolicy.publicPrefix) }
        let expected = wanted.filter { !ignored.contains($0) }.map { Expected(key: $0, value: config.value($0)) }
        let publicValues = Set(keys.filter { $0.hasPrefix(SecretPolicy.publicPrefix) }.compactMap { config.value($0) })
        var secrets: [SecretValue] = []
        var alsoPublic: [String] = []
        for key in keys where !key.hasPrefix(SecretPolicy.publicPrefix) {
            let value = config.value(key) ?? ""
            // Each candidate: a name and its spellings (a URL password raw and decoded).
            var candidates: [(name: String, spellings: [String])] = []
            if SecretPolicy.isSecretKey(key) { candidates.append((key, [value])) }
            for password in URLCredentials.passwords(in: value) {
                candidates.append(("\(key) (URL password)", [PercentEncoding.decode(password), password]))
            }
            for (name, spellings) in candidates where spellings[0].count >= Self.minimumSecretLength {
                if publicValues.contains(spellings[0]) {
                    alsoPublic.append(name)
                    continue
                }
                var forms: [String] = []
                for form in spellings.flatMap(ValueRules.literalForms(of:)) where !forms.contains(form) { forms.append(form) }
                secrets.append(SecretValue(name: name, forms: forms.map(Secret.init)))
            }
        }
        self.init(
            buildDir: buildDir, expected: expected, ignored: ignored, secrets: secrets, secretsAlsoPublic: alsoPublic,
            productionLike: config.isProductionLike, environmentName: config.environmentName)
    }
}
