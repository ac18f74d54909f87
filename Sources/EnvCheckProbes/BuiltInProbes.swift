import EnvCheckCore

/// The one list of probe kinds this build knows, in report order. Adding a probe is one
/// folder plus one line here.
public enum BuiltInProbes {
    public static let registry = ProbeRegistry([
        PostgresProbe.kind,
        S3Probe.kind,
        RedisProbe.kind,
        OpenRouterProbe.kind,
        NextPublicProbe.kind,
        PolicyProbe.kind,
        TCPProbe.kind,
        HTTPProbe.kind,
        VaultProbe.kind,
        OTLPProbe.kind,
    ])
}
