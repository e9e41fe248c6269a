import Hummingbird
import OctaviaCore

/// Read-only Neutron look-ups (`/v2.0/networks`, `/v2.0/subnets`) served from the network driver,
/// so the `openstack` CLI in noauth mode can resolve names and ids without a real Neutron.
struct NeutronController {
    let api: APIContext

    /// `?id=` and `?name=` (each possibly repeated: OR within a key, AND across keys); other
    /// parameters (`fields`, ...) are ignored as Neutron does for display-only parameters.
    static func matches(_ request: Request, id: String, name: String) -> Bool {
        let query = request.uri.queryParameters
        let ids = query.getAll("id")
        let names = query.getAll("name")
        if !ids.isEmpty && !ids.contains(where: { $0.lowercased() == id.lowercased() }) { return false }
        if !names.isEmpty && !names.contains(name) { return false }
        return true
    }

    func networks(_ request: Request) async throws -> Response {
        let all = try await api.network.networks().filter { Self.matches(request, id: $0.id, name: $0.name) }
        return JSONResponse.make(status: .ok, body: ["networks": .array(all.map(render))])
    }

    func network(_ request: Request, id: String) async throws -> Response {
        guard let network = try await api.network.network(id: id) else {
            throw APIError(OctaviaError(.notFound, "Network \(id) could not be found."), style: .neutron(type: "NetworkNotFound"))
        }
        return JSONResponse.make(status: .ok, body: ["network": render(network)])
    }

    func subnets(_ request: Request) async throws -> Response {
        var all = try await api.network.subnets().filter { Self.matches(request, id: $0.id, name: $0.name) }
        let networkIDs = request.uri.queryParameters.getAll("network_id")
        if !networkIDs.isEmpty { all = all.filter { networkIDs.contains($0.networkID) } }
        return JSONResponse.make(status: .ok, body: ["subnets": .array(all.map(render))])
    }

    func subnet(_ request: Request, id: String) async throws -> Response {
        guard let subnet = try await api.network.subnet(id: id) else {
            throw APIError(OctaviaError(.notFound, "Subnet \(id) could not be found."), style: .neutron(type: "SubnetNotFound"))
        }
        return JSONResponse.make(status: .ok, body: ["subnet": render(subnet)])
    }

    func render(_ n: Network) -> JSONValue {
        [
            "id": .string(n.id), "name": .string(n.name), "subnets": .strings(n.subnetIDs),
            "project_id": .string(n.projectID ?? ""), "tenant_id": .string(n.projectID ?? ""),
            "status": "ACTIVE", "admin_state_up": true, "shared": false,
        ]
    }

    func render(_ s: Subnet) -> JSONValue {
        [
            "id": .string(s.id), "name": .string(s.name), "network_id": .string(s.networkID), "cidr": .string(s.cidr),
            "gateway_ip": .optional(s.gatewayIP), "ip_version": .int(s.ipVersion),
            "project_id": .string(s.projectID ?? ""), "tenant_id": .string(s.projectID ?? ""),
        ]
    }
}
