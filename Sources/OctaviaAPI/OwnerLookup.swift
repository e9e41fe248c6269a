import OctaviaCore

/// Finds the project that owns an object (Octavia's policy target): children carry their load
/// balancer's project, so the object's own `project_id` is the owner.
enum OwnerLookup: Sendable, Equatable {
    case loadBalancer, listener, pool, healthMonitor, l7Policy

    /// The owner of the live object `id`; nil when there is none (the handler then answers 404).
    func project(of id: String, on reader: any StoreReading) async throws -> String? {
        switch self {
        case .loadBalancer: try await Self.owner(LoadBalancer.self, id, reader)?.projectID.rawValue
        case .listener: try await Self.owner(Listener.self, id, reader)?.projectID.rawValue
        case .pool: try await Self.owner(Pool.self, id, reader)?.projectID.rawValue
        case .healthMonitor: try await Self.owner(HealthMonitor.self, id, reader)?.projectID.rawValue
        case .l7Policy: try await Self.owner(L7Policy.self, id, reader)?.projectID.rawValue
        }
    }

    private static func owner<T: APIResource>(_ type: T.Type, _ id: String, _ reader: any StoreReading) async throws -> T? {
        guard let uuid = Identifier<T>(id), let object = try await reader.fetch(T.self, id: uuid.rawValue),
              object.apiStatus != .deleted
        else { return nil }
        return object
    }
}
