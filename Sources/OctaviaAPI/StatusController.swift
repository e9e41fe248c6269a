import Foundation
import Hummingbird
import OctaviaCore

/// `GET /loadbalancers/{id}/status` (alias `/statuses`): the status tree as Octavia's code emits it
/// (api-v2.md §5): listeners → pools → `health_monitor` (omitted when none) and members.
struct StatusController {
    let api: APIContext

    func show(_ request: Request, id: String) async throws -> Response {
        let lb = try await api.live(LoadBalancer.self, id)
        guard let graph = try await api.store.reader.graph(lb.id) else {
            throw OctaviaError.notFound(LoadBalancer.resourceName, id)
        }
        let live = { (status: ProvisioningStatus) in status != .deleted }
        let pools = Dictionary(graph.pools.filter { live($0.provisioningStatus) }.map { ($0.id, $0) }) { first, _ in first }
        var listeners: [JSONValue] = []
        for listener in graph.listeners where live(listener.provisioningStatus) {
            // A listener's pools: its default pool (L7 redirect pools join once L7 policies exist).
            let own = [listener.defaultPoolID].compactMap { $0.flatMap { pools[$0] } }
            listeners.append([
                "id": .string(listener.id.rawValue),
                "name": .text(listener.name),
                "operating_status": .string(listener.operatingStatus.rawValue),
                "provisioning_status": .string(listener.provisioningStatus.rawValue),
                "pools": .array(own.map { render($0, graph) }),
            ])
        }
        let tree: JSONValue = [
            "id": .string(lb.id.rawValue),
            "name": .text(lb.name),
            "operating_status": .string(lb.operatingStatus.rawValue),
            "provisioning_status": .string(lb.provisioningStatus.rawValue),
            "listeners": .array(listeners),
        ]
        return JSONResponse.make(status: .ok, body: ["statuses": ["loadbalancer": tree]])
    }

    func render(_ pool: Pool, _ graph: LoadBalancerGraph) -> JSONValue {
        let members = graph.members.filter { $0.poolID == pool.id && $0.provisioningStatus != .deleted }
        var object: [String: JSONValue] = [
            "id": .string(pool.id.rawValue),
            "name": .text(pool.name),
            "provisioning_status": .string(pool.provisioningStatus.rawValue),
            "operating_status": .string(pool.operatingStatus.rawValue),
            "members": .array(members.map { m in [
                "id": .string(m.id.rawValue),
                "name": .text(m.name),
                "operating_status": .string(m.operatingStatus.rawValue),
                "provisioning_status": .string(m.provisioningStatus.rawValue),
                "address": .string(m.address),
                "protocol_port": .int(m.protocolPort),
            ] }),
        ]
        if let hm = graph.healthMonitors.first(where: { $0.poolID == pool.id && $0.provisioningStatus != .deleted }) {
            object["health_monitor"] = [
                "id": .string(hm.id.rawValue),
                "name": .text(hm.name),
                "type": .string(hm.type.rawValue),
                "provisioning_status": .string(hm.provisioningStatus.rawValue),
                "operating_status": .string(hm.operatingStatus.rawValue),
            ]
        }
        return .object(object)
    }
}
