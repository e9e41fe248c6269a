import Foundation
import Logging
import OctaviaCore
import OctaviaSystem
#if canImport(Glibc)
import Glibc
#endif

/// Deleting and inspecting local amphorae. Only processes proven to be ours are signalled: the agent's pid
/// if it lives in our namespace, then whatever `ip netns pids` still lists in that namespace.
extension LocalComputeDriver {
    public func delete(computeID: String) async throws {
        let directory = try directory(of: computeID)
        if let pid = try await agentPID(namespace: computeID, directory: directory) {
            ProcessTable.signal(pid, SIGTERM)
            if !(await ProcessTable.waitForExit(pid, timeout: .seconds(5))) {
                logger.warning("amphora agent ignored SIGTERM", metadata: ["pid": "\(pid)", "namespace": "\(computeID)"])
            }
        }
        let remaining = try await ip.pids(in: computeID).filter(ProcessTable.isRunning)
        for pid in remaining { ProcessTable.signal(pid, SIGKILL) }
        for pid in remaining { _ = await ProcessTable.waitForExit(pid, timeout: .seconds(2)) }
        try await ip.deleteNamespace(computeID)
        try directory.remove()
        logger.info("local amphora deleted", metadata: ["namespace": "\(computeID)"])
    }

    public func status(computeID: String) async throws -> ComputeStatus {
        let directory = try directory(of: computeID)
        guard ip.namespaceExists(computeID) else { return .missing }
        return try await agentPID(namespace: computeID, directory: directory) == nil ? .error : .active
    }

    public func instance(for amphora: Amphora.ID) async throws -> String? {
        let namespace = namespacePrefix + amphora.rawValue
        let directory = try directory(of: namespace)
        return ip.namespaceExists(namespace) || FileManager.default.fileExists(atPath: directory.path) ? namespace : nil
    }

    /// Every namespace with our prefix, for cleanup tools and tests.
    public func listNamespaces() async throws -> [String] {
        try await ip.listNamespaces().filter { $0.hasPrefix(namespacePrefix) && $0.count > namespacePrefix.count }
    }

    /// The agent's pid when it is running inside `namespace` (a recycled pid elsewhere is not ours).
    func agentPID(namespace: String, directory: AmphoraDirectory) async throws -> Int32? {
        guard let pid = ProcessTable.readPIDFile(directory.pidFile), ProcessTable.isRunning(pid),
              try await ip.identify(pid: pid) == namespace else { return nil }
        return pid
    }

    /// Refuses compute ids that are not ours, so a bad id never removes someone else's namespace or files.
    func directory(of computeID: String) throws -> AmphoraDirectory {
        let amphoraID = computeID.dropFirst(namespacePrefix.count)
        guard computeID.hasPrefix(namespacePrefix), Amphora.ID(String(amphoraID)) != nil else {
            throw LocalDriverError("'\(computeID)' is not a local amphora namespace (prefix \(namespacePrefix))")
        }
        return AmphoraDirectory(path: statePath + "/" + String(amphoraID))
    }
}
