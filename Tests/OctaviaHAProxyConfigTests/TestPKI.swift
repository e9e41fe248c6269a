import Foundation

/// A throw-away CA with a server certificate and an empty CRL, made with the `openssl` CLI, so
/// `haproxy -c` can load the TLS files a golden config names.
struct TestPKI {
    let directory: URL
    var caCertificate: URL { directory.appendingPathComponent("ca.pem") }
    /// Server certificate followed by its key (what HAProxy's `crt` wants).
    var serverBundle: URL { directory.appendingPathComponent("server-bundle.pem") }
    var crl: URL { directory.appendingPathComponent("crl.pem") }

    static let opensslPath = "/usr/bin/openssl"

    init(in directory: URL) throws {
        self.directory = directory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let ecKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try openssl(["req", "-x509"] + ecKey + ["-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=Golden Test CA", "-days", "3650"])
        try openssl(["req"] + ecKey + ["-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=www.example.com"])
        try openssl(["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                     "-out", "server.pem", "-days", "365"])
        let bundle = try String(contentsOf: directory.appendingPathComponent("server.pem"), encoding: .utf8)
            + String(contentsOf: directory.appendingPathComponent("server.key"), encoding: .utf8)
        try bundle.write(to: serverBundle, atomically: true, encoding: .utf8)
        try "".write(to: directory.appendingPathComponent("index.txt"), atomically: true, encoding: .utf8)
        try "01\n".write(to: directory.appendingPathComponent("crlnumber"), atomically: true, encoding: .utf8)
        try """
        [ca]
        default_ca = test_ca
        [test_ca]
        database = index.txt
        crlnumber = crlnumber
        default_md = sha256
        default_crl_days = 30

        """.write(to: directory.appendingPathComponent("ca.cnf"), atomically: true, encoding: .utf8)
        try openssl(["ca", "-config", "ca.cnf", "-gencrl", "-keyfile", "ca.key", "-cert", "ca.pem", "-out", "crl.pem"])
    }

    private func openssl(_ arguments: [String]) throws {
        let result = try HAProxyBinary.run(arguments, executable: Self.opensslPath, directory: directory)
        guard result.status == 0 else {
            throw PKIError(command: arguments.joined(separator: " "), output: result.output)
        }
    }

    struct PKIError: Error, CustomStringConvertible {
        var command: String
        var output: String
        var description: String { "openssl \(command) failed:\n\(output)" }
    }
}
