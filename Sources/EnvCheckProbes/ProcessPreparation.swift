import EnvCheckCore

#if canImport(Glibc)
    import Glibc
#endif

/// Process-wide set-up that must happen at the very start of `main`, before any thread
/// exists (unsetting variables later races with `getenv` in other threads).
public enum ProcessPreparation {
    /// Captures the environment for configuration resolution, then removes what would let a
    /// C library probe something other than the configured values (libpq's `PG*`
    /// variables fill in whatever a URL leaves unset; docs/protocols.md §6).
    public static func prepare() -> [String: String] {
        let environment = Host.environment()
        for key in environment.keys where key.hasPrefix("PG") {
            unsetenv(key)
        }
        return environment
    }
}
