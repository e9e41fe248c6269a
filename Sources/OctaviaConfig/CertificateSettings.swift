/// `[certificates]`: the CA and certificates for controller-to-agent mTLS.
public struct CertificateSettings: SettingsSection {
    /// Certificate generators this build provides.
    public enum GeneratorName: String, Sendable, CaseIterable {
        case localCertGenerator = "local_cert_generator"
    }

    /// Certificate managers this build provides.
    public enum ManagerName: String, Sendable, CaseIterable {
        case localCertManager = "local_cert_manager"
        case noopCertManager = "noop_cert_manager"
    }

    /// Digests the local generator can sign with.
    public enum SigningDigest: String, Sendable, CaseIterable {
        case sha256, sha384, sha512
    }

    /// `cert_generator` (default local_cert_generator).
    public var certGenerator: GeneratorName
    /// `cert_manager` (default local_cert_manager; Octavia's is barbican_cert_manager, not implemented here).
    public var certManager: ManagerName
    /// `cert_validity_time` (int s ≥ 1, default 2592000 = 30 days): lifetime of amphora certificates.
    public var certValidityTime: Int
    /// `signing_digest` (sha256|sha384|sha512, default sha256).
    public var signingDigest: SigningDigest
    /// `ca_certificate` (path, optional): CA certificate; unset = generate one under `storage_path`.
    public var caCertificate: String?
    /// `ca_private_key` (path, optional): CA private key; unset = generate one under `storage_path`.
    public var caPrivateKey: String?
    /// `storage_path` (path, default /var/lib/swift-octavia/certificates): where the local manager keeps files.
    public var storagePath: String

    public enum Option {
        public static let certGenerator: ConfigOption<GeneratorName> = .choice(
            "cert_generator", default: .localCertGenerator, help: "Name of the certificate generator to use.")
        public static let certManager: ConfigOption<ManagerName> = .choice(
            "cert_manager", default: .localCertManager,
            help: "Name of the certificate manager to use. Octavia defaults to barbican_cert_manager, "
                + "which is not implemented here.")
        public static let certValidityTime: ConfigOption<Int> = .integer(
            "cert_validity_time", default: 2_592_000, min: 1,
            help: "The validity time for the amphora certificates, in seconds.")
        public static let signingDigest: ConfigOption<SigningDigest> = .choice(
            "signing_digest", default: .sha256, help: "Certificate signing digest.")
        public static let caCertificate: ConfigOption<String?> = .optionalString(
            "ca_certificate",
            help: "Absolute path to the CA certificate for amphora certificate signing. When unset, "
                + "a CA is generated and kept under storage_path.")
        public static let caPrivateKey: ConfigOption<String?> = .optionalString(
            "ca_private_key",
            help: "Absolute path to the private key of the CA certificate. When unset, one is generated "
                + "and kept under storage_path.")
        public static let storagePath: ConfigOption<String> = .string(
            "storage_path", default: "/var/lib/swift-octavia/certificates",
            help: "Directory where the local certificate manager keeps certificates and keys.")
    }

    public static let sectionName = "certificates"
    public static let sectionHelp = "Certificates for the controller-to-amphora mTLS."
    public static let options = [
        Option.certGenerator.descriptor, Option.certManager.descriptor, Option.certValidityTime.descriptor,
        Option.signingDigest.descriptor, Option.caCertificate.descriptor, Option.caPrivateKey.descriptor,
        Option.storagePath.descriptor,
    ]

    public init(reader: SectionReader) throws(ConfigError) {
        certGenerator = try reader(Option.certGenerator)
        certManager = try reader(Option.certManager)
        certValidityTime = try reader(Option.certValidityTime)
        signingDigest = try reader(Option.signingDigest)
        caCertificate = try reader(Option.caCertificate)
        caPrivateKey = try reader(Option.caPrivateKey)
        storagePath = try reader(Option.storagePath)
        if (caCertificate == nil) != (caPrivateKey == nil) {
            let missing = caCertificate == nil ? Option.caCertificate.name : Option.caPrivateKey.name
            throw reader.error(
                option: missing, reason: "ca_certificate and ca_private_key must be set together")
        }
    }
}
