import AsyncHTTPClient
import OctaviaCore

/// One HTTP client per amphora reached over IP.
///
/// AsyncHTTPClient checks the server certificate against the URL host, and `dnsOverride` is a
/// per-client setting: a client whose override maps the amphora id to its IP lets us put the
/// amphora id in the URL and have TLS verify it, as Octavia does.
actor AddressClients {
    private var clients: [Amphora.ID: (ip: String, client: HTTPClient)] = [:]
    private var closed = false
    private let makeClient: @Sendable (_ dnsOverride: [String: String]) -> HTTPClient

    init(makeClient: @escaping @Sendable (_ dnsOverride: [String: String]) -> HTTPClient) {
        self.makeClient = makeClient
    }

    func client(for amphora: Amphora.ID, ip: String) async throws -> HTTPClient {
        if let entry = clients[amphora], entry.ip == ip { return entry.client }
        guard !closed else { throw HTTPClientError.alreadyShutdown }
        let stale = clients[amphora]?.client
        let client = makeClient([amphora.rawValue: ip])
        clients[amphora] = (ip, client)
        try await stale?.shutdown()
        return client
    }

    func shutdown() async throws {
        closed = true
        let all = clients.values.map(\.client)
        clients = [:]
        for client in all { try await client.shutdown() }
    }
}
