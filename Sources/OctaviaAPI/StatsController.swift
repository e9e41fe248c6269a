import Foundation
import Hummingbird
import OctaviaCore

/// Load balancer, listener and amphora statistics, summed from the stored per-(listener, amphora)
/// counters the health manager keeps (heartbeat.md "Stats update"). Nothing is estimated: before
/// any heartbeat the sums are zero and an amphora has no rows (404, as Octavia).
struct StatsController {
    let api: APIContext

    struct Totals {
        var bytesIn = 0, bytesOut = 0, activeConnections = 0, totalConnections = 0, requestErrors = 0

        var json: JSONValue {
            [
                "bytes_in": .int(bytesIn), "bytes_out": .int(bytesOut), "active_connections": .int(activeConnections),
                "total_connections": .int(totalConnections), "request_errors": .int(requestErrors),
            ]
        }
    }

    func loadBalancer(_ request: Request, id: String) async throws -> Response {
        let lb = try await api.live(LoadBalancer.self, id)
        let reader = api.store.reader
        let listeners = try await reader.list(Listener.self, ListQuery(filters: [("load_balancer_id", .string(lb.id.rawValue))]))
        var totals = Totals()
        for listener in listeners where listener.provisioningStatus != .deleted {
            try await add(listener.id, to: &totals, reader)
        }
        return JSONResponse.make(status: .ok, body: ["stats": totals.json])
    }

    func listener(_ request: Request, id: String) async throws -> Response {
        let listener = try await api.live(Listener.self, id)
        var totals = Totals()
        try await add(listener.id, to: &totals, api.store.reader)
        return JSONResponse.make(status: .ok, body: ["stats": totals.json])
    }

    /// Octavia's `get_listener_stats`: active connections only from rows of ALLOCATED amphorae (or
    /// provider rows, whose amphora id is the listener id), so a replaced amphora's last report
    /// does not linger.
    func add(_ listener: Listener.ID, to totals: inout Totals, _ reader: any StoreReading) async throws {
        let rows = try await reader.list(ListenerStatistics.self, ListQuery(filters: [("listener_id", .string(listener.rawValue))]))
        for row in rows {
            totals.bytesIn += row.bytesIn
            totals.bytesOut += row.bytesOut
            totals.totalConnections += row.totalConnections
            totals.requestErrors += row.requestErrors
            if row.amphoraID == listener.rawValue {
                totals.activeConnections += row.activeConnections
            } else if let amphora = try await reader.fetch(Amphora.self, id: row.amphoraID), amphora.status == .allocated {
                totals.activeConnections += row.activeConnections
            }
        }
    }

    /// `GET /octavia/amphorae/{id}/stats`: one entry per listener the amphora reported.
    func amphora(_ request: Request, id: String) async throws -> Response {
        let notFound = OctaviaError.notFound("Amphora stats for", id)
        guard let ampID = Amphora.ID(id), let amphora = try await api.store.reader.fetch(Amphora.self, id: ampID) else {
            throw notFound
        }
        let rows = try await api.store.reader.list(ListenerStatistics.self, ListQuery(
            filters: [("amphora_id", .string(amphora.id.rawValue))], sort: [("listener_id", .asc)]))
        guard !rows.isEmpty else { throw notFound }
        let entries: [JSONValue] = rows.map { row in [
            "id": .string(amphora.id.rawValue),
            "listener_id": .string(row.listenerID.rawValue),
            "loadbalancer_id": .optional(amphora.loadBalancerID?.rawValue),
            "active_connections": .int(row.activeConnections),
            "bytes_in": .int(row.bytesIn),
            "bytes_out": .int(row.bytesOut),
            "request_errors": .int(row.requestErrors),
            "total_connections": .int(row.totalConnections),
        ] }
        return JSONResponse.make(status: .ok, body: ["amphora_stats": .array(entries)])
    }
}
