import Foundation
import Hummingbird
import OctaviaCore
import Testing

@testable import OctaviaAPI

@Suite struct ChildResourceAPITests {
    @Test func listenerCRUD() async throws {
        try await APITestHarness().run { api in
            let lb = try await api.createLB()
            let created = try await api.request(.post, "/v2.0/lbaas/listeners", json: ["listener": [
                "loadbalancer_id": .string(lb), "protocol": "HTTP", "protocol_port": 80, "admin_state_up": true,
                "insert_headers": ["X-Forwarded-For": "true"], "allowed_cidrs": ["10.1.2.3/16"],
            ]])
            #expect(created.status == .created)
            let l = try #require(created["listener"])
            let id = try #require(l["id"]?.stringValue)
            #expect(l["provisioning_status"] == "PENDING_CREATE")
            #expect(l["loadbalancers"] == [["id": .string(lb)]])
            #expect(l["connection_limit"] == -1)
            #expect(l["timeout_client_data"] == 50000)
            #expect(l["timeout_member_connect"] == 5000)
            #expect(l["timeout_tcp_inspect"] == 0)
            #expect(l["default_tls_container_ref"] == .null)
            #expect(l["sni_container_refs"] == [])
            #expect(l["l7policies"] == [])
            #expect(l["allowed_cidrs"] == ["10.1.0.0/16"])
            #expect(l["insert_headers"] == ["X-Forwarded-For": "true"])
            let lbNow = try await api.request(.get, "/v2.0/lbaas/loadbalancers/\(lb)")
            #expect(lbNow["loadbalancer"]?["provisioning_status"] == "PENDING_UPDATE")
            #expect(lbNow["loadbalancer"]?["listeners"] == [["id": .string(id)]])

            // A second write while the LB is PENDING_UPDATE is refused.
            let locked = try await api.request(.put, "/v2.0/lbaas/listeners/\(id)", #"{"listener": {"name": "x"}}"#)
            #expect(locked.status == .conflict)
            #expect(locked.faultstring == "Load Balancer \(lb) is immutable and cannot be updated.")

            try await api.activate(LoadBalancer.self, lb)
            try await api.activate(Listener.self, id)
            let dup = try await api.request(.post, "/v2.0/lbaas/listeners", json: ["listener": [
                "loadbalancer_id": .string(lb), "protocol": "TCP", "protocol_port": 80,
            ]])
            #expect(dup.status == .conflict)
            // Octavia names the listener already on the port (HTTP), not the new one.
            #expect(dup.faultstring == "Another Listener on this Load Balancer is already using protocol HTTP and protocol_port 80")
            // The failed transaction left the LB ACTIVE.
            #expect(try await api.request(.get, "/v2.0/lbaas/loadbalancers/\(lb)")["loadbalancer"]?["provisioning_status"] == "ACTIVE")

            let updated = try await api.request(.put, "/v2.0/lbaas/listeners/\(id)",
                                                #"{"listener": {"name": "web", "connection_limit": 100, "timeout_client_data": null}}"#)
            #expect(updated.status == .ok)
            #expect(updated["listener"]?["name"] == "web")
            #expect(updated["listener"]?["connection_limit"] == 100)
            #expect(updated["listener"]?["provisioning_status"] == "PENDING_UPDATE")

            try await api.activate(LoadBalancer.self, lb)
            #expect(try await api.request(.delete, "/v2.0/lbaas/listeners/\(id)").status == .noContent)
            #expect(try await api.request(.get, "/v2.0/lbaas/listeners/\(id)")["listener"]?["provisioning_status"] == "PENDING_DELETE")
        }
    }

    @Test func listenerCreateWhileLBPendingWritesNothing() async throws {
        try await APITestHarness().run { api in
            let lb = try await api.createLB(active: false)
            let jobs = try await api.jobs()
            let r = try await api.request(.post, "/v2.0/lbaas/listeners", json: ["listener": [
                "loadbalancer_id": .string(lb), "protocol": "HTTP", "protocol_port": 80,
            ]])
            #expect(r.status == .conflict)
            #expect(r.faultstring == "Load Balancer \(lb) is immutable and cannot be updated.")
            #expect(try await api.count(Listener.self) == 0)
            #expect(try await api.jobs() == jobs)
            #expect(try await api.request(.get, "/v2.0/lbaas/loadbalancers/\(lb)")["loadbalancer"]?["provisioning_status"] == "PENDING_CREATE")
        }
    }

    @Test func poolOnListenerBecomesDefaultPool() async throws {
        try await APITestHarness().run { api in
            let lb = try await api.createLB()
            let listener = try await api.createListener(lb: lb)
            let created = try await api.request(.post, "/v2.0/lbaas/pools", json: ["pool": [
                "listener_id": .string(listener), "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN",
                "session_persistence": ["type": "APP_COOKIE", "cookie_name": "sid"],
            ]])
            #expect(created.status == .created)
            let p = try #require(created["pool"])
            let id = try #require(p["id"]?.stringValue)
            #expect(p["loadbalancers"] == [["id": .string(lb)]])
            #expect(p["listeners"] == [["id": .string(listener)]])
            #expect(p["members"] == [])
            #expect(p["healthmonitor_id"] == .null)
            #expect(p["tls_enabled"] == false)
            #expect(p["session_persistence"]?["cookie_name"] == "sid")
            let l = try await api.request(.get, "/v2.0/lbaas/listeners/\(listener)")
            #expect(l["listener"]?["default_pool_id"]?.stringValue == id)
            #expect(l["listener"]?["provisioning_status"] == "PENDING_UPDATE")

            try await api.activate(LoadBalancer.self, lb)
            try await api.activate(Listener.self, listener)
            let second = try await api.request(.post, "/v2.0/lbaas/pools", json: ["pool": [
                "listener_id": .string(listener), "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN",
            ]])
            #expect(second.status == .conflict)
            #expect(second.faultstring == "This listener already has a default pool")
            let incompatible = try await api.request(.post, "/v2.0/lbaas/pools", json: ["pool": [
                "listener_id": .string(listener), "protocol": "HTTPS", "lb_algorithm": "ROUND_ROBIN",
            ]])
            #expect(incompatible.faultstring == "The pool protocol 'HTTPS' is invalid while the listener protocol is 'HTTP'.")
            let sourceIPPort = try await api.request(.post, "/v2.0/lbaas/pools", json: ["pool": [
                "loadbalancer_id": .string(lb), "protocol": "HTTP", "lb_algorithm": "SOURCE_IP_PORT",
            ]])
            #expect(sourceIPPort.status == .notImplemented)
            let neither = try await api.request(.post, "/v2.0/lbaas/pools", json: ["pool": [
                "protocol": "HTTP", "lb_algorithm": "ROUND_ROBIN",
            ]])
            #expect(neither.faultstring == "Validation failure: Must provide at least one of: loadbalancer_id, listener_id")
            #expect(try await api.count(Pool.self) == 1)

            try await api.activate(Pool.self, id)
            let updated = try await api.request(.put, "/v2.0/lbaas/pools/\(id)",
                                                #"{"pool": {"lb_algorithm": "LEAST_CONNECTIONS", "session_persistence": null}}"#)
            #expect(updated.status == .ok)
            #expect(updated["pool"]?["lb_algorithm"] == "LEAST_CONNECTIONS")
            #expect(updated["pool"]?["session_persistence"] == .null)
            #expect(try await api.request(.get, "/v2.0/lbaas/listeners/\(listener)")["listener"]?["provisioning_status"] == "PENDING_UPDATE")
            try await api.activate(LoadBalancer.self, lb)
            #expect(try await api.request(.delete, "/v2.0/lbaas/pools/\(id)").status == .noContent)
        }
    }

    @Test func memberCRUD() async throws {
        try await APITestHarness().run { api in
            let lb = try await api.createLB()
            let pool = try await api.createPool(lb: lb)
            let base = "/v2.0/lbaas/pools/\(pool)/members"
            let created = try await api.request(.post, base,
                #"{"member": {"address": "10.0.0.11", "subnet_id": "\#(APITestHarness.subnetID)", "protocol_port": 80}}"#)
            #expect(created.status == .created)
            let m = try #require(created["member"])
            let id = try #require(m["id"]?.stringValue)
            #expect(m["operating_status"] == "NO_MONITOR")
            #expect(m["weight"] == 1)
            #expect(m["backup"] == false)
            #expect(m["name"] == "")
            #expect(try await api.request(.get, "/v2.0/lbaas/pools/\(pool)")["pool"]?["provisioning_status"] == "PENDING_UPDATE")

            // Pool not ACTIVE (LB made ACTIVE again): 409 on the pool.
            try await api.activate(LoadBalancer.self, lb)
            let poolBusy = try await api.request(.post, base, #"{"member": {"address": "10.0.0.12", "protocol_port": 80}}"#)
            #expect(poolBusy.status == .conflict)
            #expect(poolBusy.faultstring == "Pool \(pool) is immutable and cannot be updated.")

            try await api.activate(Pool.self, pool)
            let dup = try await api.request(.post, base, #"{"member": {"address": "10.0.0.11", "protocol_port": 80}}"#)
            #expect(dup.status == .conflict)
            #expect(dup.faultstring == "Another member on this pool is already using ip 10.0.0.11 on protocol_port 80")
            let reserved = try await api.request(.post, base, #"{"member": {"address": "169.254.169.254", "protocol_port": 80}}"#)
            #expect(reserved.faultstring == "169.254.169.254 is not a valid option for member address")
            let badSubnet = try await api.request(.post, base,
                #"{"member": {"address": "10.0.0.13", "protocol_port": 80, "subnet_id": "\#(UUID().uuidString)"}}"#)
            #expect(badSubnet.status == .badRequest)
            #expect(try await api.count(Member.self) == 1)

            #expect(try await api.request(.get, "\(base)/\(id)")["member"]?["address"] == "10.0.0.11")
            #expect(try await api.request(.get, "\(base)?id=\(id)")["members"]?.arrayValue?.count == 1)
            let otherPool = try await api.createPool(lb: lb)
            #expect(try await api.request(.get, "/v2.0/lbaas/pools/\(otherPool)/members/\(id)").status == .notFound)

            let updated = try await api.request(.put, "\(base)/\(id)", #"{"member": {"weight": 0, "backup": true}}"#)
            #expect(updated.status == .ok)
            #expect(updated["member"]?["weight"] == 0)
            #expect(updated["member"]?["backup"] == true)
            try await api.activate(LoadBalancer.self, lb)
            try await api.activate(Pool.self, pool)
            #expect(try await api.request(.delete, "\(base)/\(id)").status == .noContent)
            #expect(try await api.request(.get, "/v2.0/lbaas/pools/\(UUID().uuidString)/members").status == .notFound)
        }
    }

    @Test func healthMonitorCRUD() async throws {
        try await APITestHarness().run { api in
            let lb = try await api.createLB()
            let pool = try await api.createPool(lb: lb)
            let created = try await api.request(.post, "/v2.0/lbaas/healthmonitors",
                #"{"healthmonitor": {"pool_id": "\#(pool)", "delay": 1, "timeout": 1, "max_retries": 1, "url_path": "/", "type": "HTTP", "admin_state_up": true}}"#)
            #expect(created.status == .created)
            let hm = try #require(created["healthmonitor"])
            let id = try #require(hm["id"]?.stringValue)
            #expect(hm["http_method"] == "GET")
            #expect(hm["expected_codes"] == "200")
            #expect(hm["max_retries_down"] == 3)
            #expect(hm["pools"] == [["id": .string(pool)]])
            try await api.activate(LoadBalancer.self, lb)
            try await api.activate(Pool.self, pool)
            #expect(try await api.request(.get, "/v2.0/lbaas/pools/\(pool)")["pool"]?["healthmonitor_id"]?.stringValue == id)

            let second = try await api.request(.post, "/v2.0/lbaas/healthmonitors",
                #"{"healthmonitor": {"pool_id": "\#(pool)", "delay": 1, "timeout": 1, "max_retries": 1, "type": "TCP"}}"#)
            #expect(second.status == .conflict)
            #expect(second.faultstring == "This pool already has a health monitor")
            let tcpWithPath = try await api.request(.post, "/v2.0/lbaas/healthmonitors",
                #"{"healthmonitor": {"pool_id": "\#(pool)", "delay": 1, "timeout": 1, "max_retries": 1, "type": "TCP", "url_path": "/x"}}"#)
            #expect(tcpWithPath.faultstring == "url_path is not a valid option for health monitors of type TCP")
            let udp = try await api.request(.post, "/v2.0/lbaas/healthmonitors",
                #"{"healthmonitor": {"pool_id": "\#(pool)", "delay": 1, "timeout": 1, "max_retries": 1, "type": "UDP-CONNECT"}}"#)
            #expect(udp.status == .badRequest)

            // New members of a monitored pool start OFFLINE.
            let member = try await api.request(.post, "/v2.0/lbaas/pools/\(pool)/members",
                                               #"{"member": {"address": "10.0.0.20", "protocol_port": 8080}}"#)
            #expect(member["member"]?["operating_status"] == "OFFLINE")
            try await api.activate(LoadBalancer.self, lb)
            try await api.activate(Pool.self, pool)

            let nullDelay = try await api.request(.put, "/v2.0/lbaas/healthmonitors/\(id)", #"{"healthmonitor": {"delay": null}}"#)
            #expect(nullDelay.status == .badRequest)
            let updated = try await api.request(.put, "/v2.0/lbaas/healthmonitors/\(id)",
                                                #"{"healthmonitor": {"delay": 5, "expected_codes": "200-299", "http_method": null}}"#)
            #expect(updated.status == .ok)
            #expect(updated["healthmonitor"]?["delay"] == 5)
            #expect(updated["healthmonitor"]?["expected_codes"] == "200-299")
            #expect(updated["healthmonitor"]?["http_method"] == "GET")
            try await api.activate(LoadBalancer.self, lb)
            try await api.activate(Pool.self, pool)
            #expect(try await api.request(.delete, "/v2.0/lbaas/healthmonitors/\(id)").status == .noContent)
        }
    }
}
