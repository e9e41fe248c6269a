import OctaviaCore

/// A compute service that only records calls (Octavia's `compute_noop_driver`).
public actor NoopComputeDriver: ComputeDriver {
    public private(set) var calls: [String] = []
    public private(set) var instances: Set<String> = []
    /// When set, `build` throws this (to exercise flow reverts).
    public var failBuild: OctaviaError?

    public init() {}

    /// When set, `build` takes this long (to catch a flow mid-way).
    public var buildDelay: Duration?

    public func setFailBuild(_ error: OctaviaError?) { failBuild = error }
    public func setBuildDelay(_ delay: Duration?) { buildDelay = delay }

    public func build(_ request: AmphoraBuildRequest) async throws -> ComputeInstance {
        calls.append("build \(request.amphoraID)")
        if let buildDelay { try await Task.sleep(for: buildDelay) }
        if let failBuild { throw failBuild }
        let id = "noop-\(request.amphoraID)"
        instances.insert(id)
        return ComputeInstance(computeID: id, agentEndpoint: "noop")
    }

    public func delete(computeID: String) async throws {
        calls.append("delete \(computeID)")
        instances.remove(computeID)
    }

    public func instance(for amphora: Amphora.ID) async throws -> String? {
        instances.contains("noop-\(amphora)") ? "noop-\(amphora)" : nil
    }

    public func status(computeID: String) async throws -> ComputeStatus {
        instances.contains(computeID) ? .active : .missing
    }
}
