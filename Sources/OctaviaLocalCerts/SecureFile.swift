#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// File helpers for key material: keys are created with their final mode (never readable by
/// others, not even for an instant) and replaced atomically by rename.
enum SecureFile {
    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    static func read(_ path: String) throws -> String {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw LocalCertificateError.unreadableFile(path, "\(error)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw LocalCertificateError.invalidPEM(path, "not UTF-8 text")
        }
        return text
    }

    /// Creates `path` (mode 0700) and its parents if missing.
    static func makeDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw LocalCertificateError.unwritableFile(path, "cannot create directory: \(error)")
        }
    }

    /// Writes `contents` to a temporary sibling opened with `mode`, fsyncs it and renames it over `path`.
    static func write(_ contents: String, to path: String, mode: mode_t) throws {
        let temporary = "\(path).tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw LocalCertificateError.unwritableFile(path, errnoText()) }
        var failure: String?
        // The umask may have cleared bits of `mode`; fchmod sets exactly `mode`.
        if fchmod(fd, mode) != 0 { failure = errnoText() }
        if failure == nil { failure = writeAll(Array(contents.utf8), to: fd) }
        if failure == nil && fsync(fd) != 0 { failure = errnoText() }
        close(fd)
        if failure == nil && rename(temporary, path) != 0 { failure = errnoText() }
        if let failure {
            unlink(temporary)
            throw LocalCertificateError.unwritableFile(path, failure)
        }
    }

    /// Returns nil on success, else the errno text.
    private static func writeAll(_ bytes: [UInt8], to fd: Int32) -> String? {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { posixWrite(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return errnoText()
            }
            offset += n
        }
        return nil
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}

/// `write(2)`, named apart from `SecureFile.write`.
private func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(fd, buffer, count)
}
