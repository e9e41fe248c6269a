import Foundation

/// Where the store lives, parsed from a SQLAlchemy-style URL.
///
/// - `sqlite://` is an in-memory database (`path` nil).
/// - `sqlite:////abs/path/octavia.db` (four slashes) is an absolute path; `sqlite:///rel.db` a relative one.
/// - `postgresql://user:pass@host:port/db`, also `postgresql+psycopg2://`; the port defaults to 5432.
public enum DatabaseConnection: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String?)
    case postgres(host: String, port: Int, user: String?, password: String?, database: String)

    /// Parses `url`; the failure says what is wrong without echoing a password.
    public static func parse(_ url: String) -> Result<DatabaseConnection, ConversionFailure> {
        guard let schemeEnd = url.range(of: "://") else {
            return .failure(ConversionFailure("'\(url)' is not a database URL (expected sqlite:// or postgresql://)"))
        }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        let rest = String(url[schemeEnd.upperBound...])
        switch scheme {
        case "sqlite":
            if rest.isEmpty { return .success(.sqlite(path: nil)) }
            guard rest.hasPrefix("/"), rest.count > 1 else {
                return .failure(ConversionFailure(
                    "'\(url)' is not a SQLite URL (use sqlite:////absolute/path.db or sqlite:// for memory)"))
            }
            return .success(.sqlite(path: String(rest.dropFirst())))
        case "postgresql", "postgresql+psycopg2", "postgres":
            return parsePostgres(rest, url: url)
        default:
            return .failure(ConversionFailure(
                "unsupported database scheme '\(scheme)' (use sqlite:// or postgresql://)"))
        }
    }

    private static func parsePostgres(_ rest: String, url: String) -> Result<DatabaseConnection, ConversionFailure> {
        let redacted = DatabaseConnection.redact(url)
        guard !rest.contains("?") else {
            return .failure(ConversionFailure("'\(redacted)': query parameters are not supported"))
        }
        guard let slash = rest.firstIndex(of: "/") else {
            return .failure(ConversionFailure("'\(redacted)' names no database (postgresql://user:pass@host:port/db)"))
        }
        let authority = rest[..<slash]
        let database = String(rest[rest.index(after: slash)...])
        guard !database.isEmpty, !database.contains("/") else {
            return .failure(ConversionFailure("'\(redacted)' names no database (postgresql://user:pass@host:port/db)"))
        }
        var user: String?
        var password: String?
        var hostPort = Substring(authority)
        if let at = authority.lastIndex(of: "@") {
            let credentials = authority[..<at]
            hostPort = authority[authority.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                user = String(credentials[..<colon]).removingPercentEncoding
                password = String(credentials[credentials.index(after: colon)...]).removingPercentEncoding
            } else {
                user = String(credentials).removingPercentEncoding
            }
            if user?.isEmpty ?? true { user = nil }
        }
        var host = String(hostPort)
        var port = 5432
        if hostPort.hasPrefix("[") {
            // IPv6 literal: [::1]:5432
            guard let close = hostPort.firstIndex(of: "]") else {
                return .failure(ConversionFailure("'\(redacted)' has a malformed IPv6 host"))
            }
            host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
            let after = hostPort[hostPort.index(after: close)...]
            if after.hasPrefix(":") {
                guard let value = Int(after.dropFirst()), (1...65535).contains(value) else {
                    return .failure(ConversionFailure("'\(redacted)' has an invalid port (1-65535)"))
                }
                port = value
            } else if !after.isEmpty {
                return .failure(ConversionFailure("'\(redacted)' has a malformed host"))
            }
        } else if let colon = hostPort.lastIndex(of: ":") {
            host = String(hostPort[..<colon])
            guard let value = Int(hostPort[hostPort.index(after: colon)...]), (1...65535).contains(value) else {
                return .failure(ConversionFailure("'\(redacted)' has an invalid port (1-65535)"))
            }
            port = value
        }
        guard !host.isEmpty else {
            return .failure(ConversionFailure("'\(redacted)' names no host"))
        }
        return .success(.postgres(host: host, port: port, user: user, password: password, database: database))
    }

    /// The URL with any password replaced by `***`, safe for logs.
    public var description: String {
        switch self {
        case .sqlite(nil): return "sqlite://"
        case .sqlite(let path?): return "sqlite:///\(path)"
        case .postgres(let host, let port, let user, let password, let database):
            let hostText = host.contains(":") ? "[\(host)]" : host
            var credentials = ""
            if let user { credentials = user + (password == nil ? "" : ":***") + "@" }
            return "postgresql://\(credentials)\(hostText):\(port)/\(database)"
        }
    }

    /// Hides the password of a URL that did not parse.
    static func redact(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://"),
              let at = url[schemeEnd.upperBound...].lastIndex(of: "@"),
              let colon = url[schemeEnd.upperBound..<at].firstIndex(of: ":")
        else { return url }
        return String(url[..<url.index(after: colon)]) + "***" + String(url[at...])
    }
}
