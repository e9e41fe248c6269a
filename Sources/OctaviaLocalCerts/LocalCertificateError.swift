/// Why the local CA could not load, create or issue a certificate.
///
/// Compared by code only (like Hummingbird's `PersistError`), so callers can match
/// `error == .invalidPEM` while the description still carries the file and the reason.
public struct LocalCertificateError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: Sendable, Equatable {
        case unreadableFile, invalidPEM, incompleteAuthority, unwritableFile, signingFailed
    }

    private let code: Code
    /// The file concerned, empty when none.
    public let path: String
    /// What went wrong, for operators.
    public let reason: String

    private init(_ code: Code, path: String = "", reason: String = "") {
        self.code = code; self.path = path; self.reason = reason
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }

    public var description: String {
        let what: String
        switch code {
        case .unreadableFile: what = "cannot read certificate file"
        case .invalidPEM: what = "invalid PEM in certificate file"
        case .incompleteAuthority: what = "incomplete certificate authority"
        case .unwritableFile: what = "cannot write certificate file"
        case .signingFailed: what = "cannot sign certificate"
        }
        return path.isEmpty ? "\(what): \(reason)" : "\(what) \(path): \(reason)"
    }

    public static let unreadableFile = Self(.unreadableFile)
    public static let invalidPEM = Self(.invalidPEM)
    public static let incompleteAuthority = Self(.incompleteAuthority)
    public static let unwritableFile = Self(.unwritableFile)
    public static let signingFailed = Self(.signingFailed)

    static func unreadableFile(_ path: String, _ reason: String) -> Self { Self(.unreadableFile, path: path, reason: reason) }
    static func invalidPEM(_ path: String, _ reason: String) -> Self { Self(.invalidPEM, path: path, reason: reason) }
    static func incompleteAuthority(_ path: String, _ reason: String) -> Self {
        Self(.incompleteAuthority, path: path, reason: reason)
    }
    static func unwritableFile(_ path: String, _ reason: String) -> Self { Self(.unwritableFile, path: path, reason: reason) }
    static func signingFailed(_ reason: String) -> Self { Self(.signingFailed, reason: reason) }
}
