/// The TLS part of `[api_settings]`: defaults given to TERMINATED_HTTPS listeners and TLS-enabled
/// pools that name none, and the limits every listener and pool TLS setting must respect.
public struct APITLSSettings: Sendable, Equatable {
    /// TLS protocol versions Octavia knows, oldest first (the order `minimum_tls_version` compares by).
    public static let versions = ["SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"]
    /// ALPN protocols the amphora supports.
    public static let alpnProtocols = ["h2", "http/1.1", "http/1.0"]
    /// Octavia's default cipher string for listeners and pools.
    public static let defaultCiphers = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:"
        + "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
        + "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
        + "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305"

    /// `default_listener_ciphers`.
    public var defaultListenerCiphers: String
    /// `default_pool_ciphers`.
    public var defaultPoolCiphers: String
    /// `tls_cipher_prohibit_list` (`:`-separated, default empty): ciphers users may not request.
    public var cipherProhibitList: [String]
    /// `default_listener_tls_versions` (default TLSv1.2, TLSv1.3).
    public var defaultListenerTLSVersions: [String]
    /// `default_pool_tls_versions` (default TLSv1.2, TLSv1.3).
    public var defaultPoolTLSVersions: [String]
    /// `minimum_tls_version` (optional): versions below it are refused.
    public var minimumTLSVersion: String?
    /// `default_listener_alpn_protocols` (default h2, http/1.1, http/1.0).
    public var defaultListenerALPNProtocols: [String]
    /// `default_pool_alpn_protocols` (default h2, http/1.1, http/1.0).
    public var defaultPoolALPNProtocols: [String]

    public enum Option {
        static let cipherCharacters = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-+!:@=_. ")
        static func cipherReason(_ text: String) -> String? {
            text.allSatisfy(cipherCharacters.contains) ? nil : "'\(text)' contains characters not allowed in a cipher string"
        }
        static func versionReason(_ text: String) -> String? {
            APITLSSettings.versions.contains(text) ? nil : "'\(text)' is not one of \(APITLSSettings.versions.joined(separator: ", "))"
        }
        static func alpnReason(_ text: String) -> String? {
            APITLSSettings.alpnProtocols.contains(text)
                ? nil : "'\(text)' is not one of \(APITLSSettings.alpnProtocols.joined(separator: ", "))"
        }

        public static let defaultListenerCiphers: ConfigOption<String> = .string(
            "default_listener_ciphers", default: APITLSSettings.defaultCiphers,
            help: "Default OpenSSL cipher string (colon-separated) for new TLS-enabled listeners.", validate: cipherReason)
        public static let defaultPoolCiphers: ConfigOption<String> = .string(
            "default_pool_ciphers", default: APITLSSettings.defaultCiphers,
            help: "Default OpenSSL cipher string (colon-separated) for new TLS-enabled pools.", validate: cipherReason)
        public static let cipherProhibitList: ConfigOption<String> = .string(
            "tls_cipher_prohibit_list", default: "",
            help: "Colon-separated list of OpenSSL ciphers. Usage of these ciphers will be blocked.",
            validate: cipherReason)
        public static let defaultListenerTLSVersions: ConfigOption<[String]> = .list(
            "default_listener_tls_versions", default: ["TLSv1.2", "TLSv1.3"],
            help: "List of TLS versions to use for new TLS-enabled listeners.", validateElement: versionReason)
        public static let defaultPoolTLSVersions: ConfigOption<[String]> = .list(
            "default_pool_tls_versions", default: ["TLSv1.2", "TLSv1.3"],
            help: "List of TLS versions to use for new TLS-enabled pools.", validateElement: versionReason)
        public static let minimumTLSVersion: ConfigOption<String?> = .optionalString(
            "minimum_tls_version", help: "Minimum allowed TLS version for listeners and pools.", validate: versionReason)
        public static let defaultListenerALPNProtocols: ConfigOption<[String]> = .list(
            "default_listener_alpn_protocols", default: APITLSSettings.alpnProtocols,
            help: "List of ALPN protocols to use for new TLS-enabled listeners.", validateElement: alpnReason)
        public static let defaultPoolALPNProtocols: ConfigOption<[String]> = .list(
            "default_pool_alpn_protocols", default: APITLSSettings.alpnProtocols,
            help: "List of ALPN protocols to use for new TLS-enabled pools.", validateElement: alpnReason)
    }

    static let options = [
        Option.defaultListenerCiphers.descriptor, Option.defaultPoolCiphers.descriptor,
        Option.cipherProhibitList.descriptor, Option.defaultListenerTLSVersions.descriptor,
        Option.defaultPoolTLSVersions.descriptor, Option.minimumTLSVersion.descriptor,
        Option.defaultListenerALPNProtocols.descriptor, Option.defaultPoolALPNProtocols.descriptor,
    ]

    /// Reads the options and refuses defaults that the prohibit list or the minimum version would reject
    /// (Octavia checks this at service start, so a bad default fails early rather than on every create).
    init(reader: SectionReader) throws(ConfigError) {
        defaultListenerCiphers = try reader(Option.defaultListenerCiphers)
        defaultPoolCiphers = try reader(Option.defaultPoolCiphers)
        cipherProhibitList = try reader(Option.cipherProhibitList).split(separator: ":").map(String.init)
        defaultListenerTLSVersions = try reader(Option.defaultListenerTLSVersions)
        defaultPoolTLSVersions = try reader(Option.defaultPoolTLSVersions)
        minimumTLSVersion = try reader(Option.minimumTLSVersion)
        defaultListenerALPNProtocols = try reader(Option.defaultListenerALPNProtocols)
        defaultPoolALPNProtocols = try reader(Option.defaultPoolALPNProtocols)
        for (name, ciphers) in [(Option.defaultListenerCiphers.name, defaultListenerCiphers),
                                (Option.defaultPoolCiphers.name, defaultPoolCiphers)] {
            let prohibited = ciphers.split(separator: ":").map(String.init).filter(cipherProhibitList.contains)
            if !prohibited.isEmpty {
                throw reader.error(option: name, reason: "uses prohibited ciphers: \(prohibited.joined(separator: ", "))")
            }
        }
        if let minimum = minimumTLSVersion, let floor = Self.versions.firstIndex(of: minimum) {
            for (name, list) in [(Option.defaultListenerTLSVersions.name, defaultListenerTLSVersions),
                                 (Option.defaultPoolTLSVersions.name, defaultPoolTLSVersions)] {
                let below = list.filter { (Self.versions.firstIndex(of: $0) ?? 0) < floor }
                if !below.isEmpty {
                    throw reader.error(option: name, reason: "\(below.joined(separator: ", ")) is below minimum_tls_version \(minimum)")
                }
            }
        }
    }
}
