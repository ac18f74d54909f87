/// The bounds every parser enforces, in one place so the docs and tests cite the same
/// numbers. Inputs come from files anyone can write (a rendered template, a checked-in
/// manifest) and are read before the run deadline starts, so each parser runs in time
/// linear in its input and stops at these limits with an error naming `file:line` (exit 2;
/// `healthcheck` exits 1), never with a crash or unbounded memory.
public enum Limits {
    /// An input file: env file, probe manifest, template, settings module, example.
    public static let fileBytes = 1 << 20
    /// One line of any input file, without its line break.
    public static let lineBytes = 64 << 10
    /// `${...}` inside `${...}` (env files and manifest templates).
    public static let interpolationNesting = 32
    /// One value after interpolation.
    public static let valueBytes = 1 << 20
    /// All values of one env file together, after interpolation (`${A}${A}${A}...` must not
    /// turn a small file into gigabytes).
    public static let fileValueBytes = 4 << 20
    /// Mappings and lists inside each other in a manifest.
    public static let yamlNesting = 32
    /// Objects and arrays inside each other in a JSON text.
    public static let jsonNesting = 64
    /// A JSON text (the HTTP client's body cap is the same).
    public static let jsonBytes = 1 << 20
    /// Probes in one manifest.
    public static let manifestProbes = 1000
    /// Keys one file may assign or declare: env-file assignments, template keys, example
    /// entries, settings fields.
    public static let keysPerFile = 4096
    /// Go-template blocks, Python brackets and the depth of class inheritance in the
    /// `keys` readers.
    public static let sourceNesting = 32
    /// Classes in one settings module.
    public static let classesPerFile = 4096
    /// Field copies made while folding parents' fields into settings classes, over one
    /// file: diamond-shaped hierarchies must not make the work quadratic.
    public static let inheritedFields = 16 * keysPerFile

    /// `1 MiB`, `64 KiB`, or a number of bytes, for messages.
    public static func describe(bytes: Int) -> String {
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }
}
