import ArgumentParser
import Foundation
import OctaviaCore
import OctaviaLocalCerts
import OctaviaSystem

/// `octavia certificate ...`: the operator fills the local certificate manager that listener and pool
/// `*_container_ref`s resolve against (Octavia users would upload to Barbican instead).
struct CertificateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certificate", abstract: "Manage TLS certificates of the local certificate manager.",
        subcommands: [Add.self, List.self, Show.self, Delete.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Store a certificate and its key; prints the reference to use as a *_container_ref.")
        @OptionGroup var store: StoreOptions
        @Option(help: "PEM certificate (the leaf first; further certificates count as intermediates).")
        var certificate: String?
        @Option(name: .customLong("private-key"), help: "PEM private key of the certificate.")
        var privateKey: String?
        @Option(help: "PEM intermediate certificates, leaf-most first.")
        var intermediates: String?
        @Option(help: "PKCS#12 bundle with certificate, key and chain (instead of the PEM files).")
        var pkcs12: String?
        @Option(help: "Passphrase of an encrypted key or of the PKCS#12 bundle.")
        var passphrase: String?
        @Option(help: "Output format: value (the reference) or json.")
        var format: OutputFormat = .value

        func validate() throws {
            if pkcs12 != nil, certificate != nil || privateKey != nil || intermediates != nil {
                throw ValidationError("--pkcs12 replaces --certificate, --private-key and --intermediates")
            }
            if pkcs12 == nil, certificate == nil || privateKey == nil {
                throw ValidationError("give --certificate and --private-key, or --pkcs12")
            }
        }

        func run() async throws {
            let material: PEMConversion.Material
            if let pkcs12 {
                material = try await PEMConversion.fromPKCS12(pkcs12, passphrase: passphrase)
            } else {
                material = PEMConversion.Material(
                    certificate: try readFile(certificate ?? ""),
                    privateKey: try await PEMConversion.decryptedKey(readFile(privateKey ?? ""), passphrase: passphrase),
                    intermediates: try intermediates.map(readFile) ?? "")
            }
            let manager = try store.manager()
            let reference = try reportingFailure {
                try manager.addCertificate(
                    certificatePEM: material.certificate, privateKeyPEM: material.privateKey,
                    intermediatesPEM: material.intermediates)
            }
            try printEntry(manager.entry(reference), format: format, value: reference)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List stored certificates and secrets.")
        @OptionGroup var store: StoreOptions
        @Option(help: "Output format: value (one line each) or json.")
        var format: OutputFormat = .value

        func run() async throws {
            let entries = try store.manager().entries()
            switch format {
            case .json: print(try jsonText(entries))
            case .value:
                for entry in entries {
                    let expiry = entry.notValidAfter.map { ISO8601DateFormatter().string(from: $0) } ?? "-"
                    print("\(entry.reference)  \(entry.kind.rawValue)  \(entry.subject ?? "-")  \(expiry)")
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one stored certificate or secret.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The reference.") var reference: String
        @Option(help: "Output format: value or json.")
        var format: OutputFormat = .value

        func run() async throws {
            let manager = try store.manager()
            let entry = try reportingFailure { try manager.entry(reference) }
            switch format {
            case .json: print(try jsonText(entry))
            case .value:
                print("reference: \(entry.reference)\nkind: \(entry.kind.rawValue)\nsubject: \(entry.subject ?? "-")")
                print("dns_names: \(entry.dnsNames.joined(separator: ", "))")
                print("not_valid_after: \(entry.notValidAfter.map { ISO8601DateFormatter().string(from: $0) } ?? "-")")
                print("intermediates: \(entry.intermediates)\nrevocation_lists: \(entry.revocationLists)")
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a stored certificate or secret.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The reference.") var reference: String

        func run() async throws {
            let manager = try store.manager()
            try reportingFailure { try manager.delete(reference) }
        }
    }
}

/// `octavia secret add`: CA bundles and CRLs (`client_ca_tls_container_ref`, `*crl_container_ref`, pool CA).
struct SecretCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secret", abstract: "Manage CA bundles and CRLs of the local certificate manager.",
        subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Store a PEM CA bundle or CRL; prints its reference.")
        @OptionGroup var store: StoreOptions
        @Option(help: "PEM file with CA certificates and/or a CRL.") var file: String
        @Option(help: "Output format: value (the reference) or json.")
        var format: OutputFormat = .value

        func run() async throws {
            let manager = try store.manager()
            let pem = try readFile(file)
            let reference = try reportingFailure { try manager.addSecret(pem) }
            try printEntry(manager.entry(reference), format: format, value: reference)
        }
    }
}

/// Where the local certificate manager keeps its files.
struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("config-file"), help: "The octavia.conf whose [certificates] storage_path is used.")
    var configFile: String = "/etc/octavia/octavia.conf"
    @Option(name: .customLong("storage-path"), help: "Use this directory instead of [certificates] storage_path.")
    var storagePath: String?

    func manager() throws -> LocalCertificateManager {
        if let storagePath { return LocalCertificateManager(directory: storagePath) }
        var common = CommonOptions()
        common.configFile = configFile
        let settings = try common.load()
        return LocalCertificateManager(directory: settings.certificates.storagePath)
    }
}

enum OutputFormat: String, ExpressibleByArgument, Sendable { case value, json }

private func readFile(_ path: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
        throw ValidationError("cannot read \(path)")
    }
    return text
}

/// A certificate-manager refusal becomes one clear line on stderr and exit status 1.
private func reportingFailure<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as CertificateManagerError {
        switch error {
        case .notFound(let reference): FileHandle.standardError.write(Data("error: no certificate or secret \(reference)\n".utf8))
        case .unreadable(_, let reason): FileHandle.standardError.write(Data("error: \(reason)\n".utf8))
        }
        throw ExitCode(1)
    }
}

private func jsonText<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    encoder.dateEncodingStrategy = .iso8601
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}

private func printEntry(_ entry: LocalCertificateEntry, format: OutputFormat, value: String) throws {
    switch format {
    case .value: print(value)
    case .json: print(try jsonText(entry))
    }
}
