import Foundation

/// What the compute driver needs to boot an amphora (Octavia's config-drive files).
public struct AmphoraBuildRequest: Sendable {
    public var amphoraID: Amphora.ID
    public var loadBalancerID: LoadBalancer.ID?
    /// PEM of the agent's server certificate followed by its private key (`server.pem`).
    public var serverCertificatePEM: String
    /// PEM of the CA that signs controller client certificates (`client_ca.pem`).
    public var clientCAPEM: String

    public init(amphoraID: Amphora.ID, loadBalancerID: LoadBalancer.ID?, serverCertificatePEM: String,
                clientCAPEM: String) {
        self.amphoraID = amphoraID; self.loadBalancerID = loadBalancerID
        self.serverCertificatePEM = serverCertificatePEM; self.clientCAPEM = clientCAPEM
    }
}

public struct ComputeInstance: Sendable, Equatable {
    /// The driver's handle (local: namespace name; Nova: server id).
    public var computeID: String
    /// Where the agent listens: an IP for real amphorae, `unix:<path>` for local ones.
    public var agentEndpoint: String

    public init(computeID: String, agentEndpoint: String) {
        self.computeID = computeID; self.agentEndpoint = agentEndpoint
    }
}

public enum ComputeStatus: String, Sendable {
    case building, active, missing, error
}

/// The compute service: local network-namespace amphorae by default, Nova in a cloud.
public protocol ComputeDriver: Sendable {
    func build(_ request: AmphoraBuildRequest) async throws -> ComputeInstance
    /// Removes the instance and everything it runs. Idempotent: a missing instance is not an error.
    func delete(computeID: String) async throws
    func status(computeID: String) async throws -> ComputeStatus
    /// The instance built for an amphora, found without its compute id: a build interrupted by a
    /// crash never recorded one, and its instance must still be found and removed.
    func instance(for amphora: Amphora.ID) async throws -> String?
}
