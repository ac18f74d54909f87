import EnvCheckCore

/// One option libpq knows, as `PQconninfoParse` describes it: the `PG*` variable it falls
/// back to, its built-in default, and the value the connection string gave (nil: unset).
struct LibPQOption: Sendable, Equatable {
    var keyword: String
    var envVar: String?
    var compiled: String?
    var value: String?
}

/// Exactly what DATABASE_URL says, and nothing the environment adds: every option libpq
/// would fill from a `PG*` variable gets an explicit value (the URL's, else libpq's
/// built-in default, else empty), and `passfile` points nowhere, so neither `PGPASSWORD`
/// nor `~/.pgpass` can make the probe pass where the application would fail
/// (docs/protocols.md §6). `service` is the one exception: an empty service name is an
/// error in libpq, so an unset one stays unset (main unsets `PGSERVICE`).
struct PostgresTarget: Sendable {
    /// Keyword/value pairs to connect with, in libpq's order, without the password.
    private(set) var options: [(keyword: String, value: String)] = []
    /// The URL's password; empty when it has none (then none is sent).
    private(set) var password = Secret("")
    /// What normalising and the TLS settings changed, for the details.
    private(set) var notes: [String]

    static let noPassfile = "/nonexistent/envcheck/pgpass"
    /// Values for unset options that differ from libpq's own defaults.
    static let probeDefaults = ["passfile": noPassfile, "application_name": "envcheck", "gssencmode": "disable"]

    init(parsed: [LibPQOption], notes: [String] = [], tls: TLSOptions = TLSOptions()) {
        self.notes = notes
        for option in parsed {
            if option.keyword == "password" {
                password = Secret(option.value ?? "")
            } else if let value = option.value {
                options.append((option.keyword, value))
            } else if option.envVar != nil, option.keyword != "service" {
                options.append((option.keyword, Self.probeDefaults[option.keyword] ?? option.compiled ?? ""))
            }
        }
        apply(tls, given: Set(parsed.filter { $0.value != nil }.map(\.keyword)))
    }

    /// `--ca-file`/`ca_file` serves as `sslrootcert` where the URL verifies and names none;
    /// `tls_verify: false` turns verify-ca/verify-full into require.
    private mutating func apply(_ tls: TLSOptions, given: Set<String>) {
        let mode = value("sslmode") ?? "prefer"
        guard mode == "verify-ca" || mode == "verify-full" else { return }
        if !tls.verify {
            set("sslmode", "require")
            notes.append("tls_verify is false: sslmode \(mode) relaxed to require")
        } else if let caFile = tls.caFile, !given.contains("sslrootcert") {
            set("sslrootcert", caFile)
        }
    }

    func value(_ keyword: String) -> String? { options.first { $0.keyword == keyword }?.value }

    /// Whether libpq checks the server's certificate: verify-ca and verify-full do, and so
    /// does `require` when a root certificate is given (libpq then acts as verify-ca).
    var verifiesCertificate: Bool {
        switch value("sslmode") ?? "prefer" {
        case "verify-ca", "verify-full": true
        case "require": !(value("sslrootcert") ?? "").isEmpty
        default: false
        }
    }

    private mutating func set(_ keyword: String, _ value: String) {
        if let i = options.firstIndex(where: { $0.keyword == keyword }) {
            options[i].value = value
        } else {
            options.append((keyword, value))
        }
    }

    /// The host names to resolve before connecting: none when the URL gives `hostaddr`,
    /// and never a unix-socket directory.
    var namesToResolve: [String] {
        guard (value("hostaddr") ?? "").isEmpty else { return [] }
        var seen = Set<String>()
        return Self.split(value("host") ?? "").filter { name in !Self.isSocket(name) && seen.insert(name).inserted }
    }

    /// The keywords to connect with, password included. Each resolved host name is repeated
    /// once per address with that address as its `hostaddr`, so libpq does no DNS of its own
    /// yet still verifies TLS against the name and tries every address, as it would.
    func connectionKeywords(addresses: [String: [String]] = [:]) -> [(String, String)] {
        var result = options
        if let expanded = Self.expand(host: value("host") ?? "", port: value("port") ?? "", addresses: addresses) {
            for (keyword, list) in [("host", expanded.hosts), ("port", expanded.ports), ("hostaddr", expanded.hostaddrs)] {
                let joined = list.joined(separator: ",")
                if let i = result.firstIndex(where: { $0.keyword == keyword }) { result[i].value = joined } else { result.append((keyword, joined)) }
            }
        }
        return result.map { ($0.keyword, $0.value) } + [("password", password.revealed)]
    }

    /// `127.0.0.1:5432`, `[::1]:5432`: each resolved address with its port, in the order
    /// libpq tries them, named as libpq's error text names them.
    func addressLabels(addresses: [String: [String]]) -> [String] {
        guard let expanded = Self.expand(host: value("host") ?? "", port: value("port") ?? "", addresses: addresses) else { return [] }
        return zip(expanded.hostaddrs, expanded.ports).compactMap { address, port in
            address.isEmpty ? nil : HostPort(host: address, port: Int(port) ?? 5432).description
        }
    }

    /// Every server the connection names, in libpq's order (``ProbeTarget`` keys): the
    /// `hostaddr` libpq connects to when one is given, else the host, with its port; or the
    /// socket in a host that is a directory (`/run/postgresql`).
    var servers: [String] {
        var hosts = Self.split(value("host") ?? "")
        let addresses = Self.split(value("hostaddr") ?? "")
        if addresses.count > hosts.count { hosts += Array(repeating: "", count: addresses.count - hosts.count) }
        let ports = Self.ports(value("port") ?? "", hosts: hosts.count)
        return hosts.enumerated().map { index, host in
            let port = index < ports.count ? Int(ports[index]) ?? 5432 : 5432
            if index < addresses.count, !addresses[index].isEmpty { return ProbeTarget.key(host: addresses[index], port: port) }
            if Self.isSocket(host) {
                return ProbeTarget.key(socket: (host.isEmpty ? "/var/run/postgresql" : host) + "/.s.PGSQL.\(port)")
            }
            return ProbeTarget.key(host: host, port: port)
        }
    }

    static func expand(host: String, port: String, addresses: [String: [String]])
        -> (hosts: [String], ports: [String], hostaddrs: [String])?
    {
        let hosts = split(host)
        let ports = ports(port, hosts: hosts.count)
        guard !addresses.isEmpty, ports.count == hosts.count else { return nil }
        var out: (hosts: [String], ports: [String], hostaddrs: [String]) = ([], [], [])
        for (name, port) in zip(hosts, ports) {
            for address in addresses[name].flatMap({ $0.isEmpty ? nil : $0 }) ?? [""] {
                out.hosts.append(name)
                out.ports.append(port)
                out.hostaddrs.append(address)
            }
        }
        return out
    }

    /// Whether a `host` entry names a Unix-socket directory (or libpq's default one), not
    /// a server to resolve.
    private static func isSocket(_ host: String) -> Bool { host.isEmpty || host.hasPrefix("/") || host.hasPrefix("@") }

    /// The `port` list for `hosts` hosts: one port serves them all, as libpq reads it.
    private static func ports(_ port: String, hosts: Int) -> [String] {
        let ports = split(port)
        return ports.count == 1 ? Array(repeating: ports[0], count: hosts) : ports
    }

    private static func split(_ list: String) -> [String] {
        list.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
}
