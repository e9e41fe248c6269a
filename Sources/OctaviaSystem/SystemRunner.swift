import Foundation

/// The result of a finished command.
public struct CommandResult: Sendable {
    public var status: Int32
    public var output: String
    public var error: String
    public var succeeded: Bool { status == 0 }
}

public struct CommandError: Error, Sendable, CustomStringConvertible {
    public var command: [String]
    public var result: CommandResult
    public var description: String {
        "command '\(command.joined(separator: " "))' exited \(result.status): \(result.error.isEmpty ? result.output : result.error)"
    }
}

/// Runs operating-system commands (`ip`, `haproxy`...). One place so every caller gets the same
/// error reporting, and so tests can see exactly what ran.
public struct SystemRunner: Sendable {
    public init() {}

    /// Runs `arguments[0]` (looked up in PATH when not absolute) and waits for it.
    @discardableResult
    public func run(_ arguments: [String], input: String? = nil) async throws -> CommandResult {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                do {
                    continuation.resume(returning: try Self.runSync(arguments, input: input))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// Like ``run(_:input:)`` but throws ``CommandError`` on a non-zero exit.
    @discardableResult
    public func check(_ arguments: [String], input: String? = nil) async throws -> CommandResult {
        let result = try await run(arguments, input: input)
        guard result.succeeded else { throw CommandError(command: arguments, result: result) }
        return result
    }

    static func runSync(_ arguments: [String], input: String?) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try resolve(arguments[0]))
        process.arguments = Array(arguments.dropFirst())
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let inPipe = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : inPipe
        try process.run()
        if let input {
            inPipe.fileHandleForWriting.write(Data(input.utf8))
            try? inPipe.fileHandleForWriting.close()
        }
        // Read both pipes before waiting so a chatty command cannot block on a full pipe.
        let errData = DataBox()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData.data = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return CommandResult(status: process.terminationStatus,
                             output: String(decoding: outData, as: UTF8.self),
                             error: String(decoding: errData.data, as: UTF8.self))
    }

    /// Finds an executable in PATH (plus the sbin directories, which root's PATH may lack).
    public static func resolve(_ name: String) throws -> String {
        if name.contains("/") { return name }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let dirs = path.split(separator: ":").map(String.init) + ["/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/bin", "/bin"]
        for dir in dirs where FileManager.default.isExecutableFile(atPath: dir + "/" + name) {
            return dir + "/" + name
        }
        throw CommandError(command: [name], result: CommandResult(status: 127, output: "", error: "\(name): not found in PATH"))
    }
}

/// Written by one reader thread, read after `DispatchGroup.wait()`: the group orders the accesses.
private final class DataBox: @unchecked Sendable {
    var data = Data()
}
