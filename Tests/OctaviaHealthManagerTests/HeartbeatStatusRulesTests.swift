import OctaviaAmphoraWire
import OctaviaCore
import Testing
@testable import OctaviaHealthManager

@Suite("Heartbeat status rules")
struct HeartbeatStatusRulesTests {
    let lbID = LoadBalancer.ID.generate()
    let listenerID = Listener.ID.generate()
    let poolID = Pool.ID.generate()
    let m1 = Member.ID.generate()
    let m2 = Member.ID.generate()

    func view(lb: OperatingStatus = .online, provisioning: ProvisioningStatus = .active, adminUp: Bool = true,
              listener: OperatingStatus = .online, pool: OperatingStatus = .online,
              members: [OperatingStatus] = [.online, .online]) -> LoadBalancerHealthView {
        LoadBalancerHealthView(
            id: lbID, adminStateUp: adminUp, provisioningStatus: provisioning, operatingStatus: lb,
            listeners: [.init(id: listenerID, adminStateUp: true, protocol: .http, operatingStatus: listener)],
            pools: [.init(id: poolID, operatingStatus: pool,
                          members: [.init(id: m1, operatingStatus: members[0]), .init(id: m2, operatingStatus: members[1])])])
    }

    func message(listener: HeartbeatListenerStatus? = .open, pool: HeartbeatPoolStatus? = .up,
                 members: [String: HeartbeatMemberStatus]? = nil) -> HeartbeatMessage {
        var listeners: [String: HeartbeatMessage.Listener] = [:]
        if let listener { listeners[listenerID.rawValue] = .init(status: listener, stats: .init()) }
        var pools: [String: HeartbeatMessage.Pool] = [:]
        if let pool {
            pools["\(poolID):\(listenerID)"] = .init(status: pool, members: members ?? [m1.rawValue: .up, m2.rawValue: .up])
        }
        return HeartbeatMessage(amphoraID: "a", sequence: 1, listeners: listeners, pools: pools)
    }

    @Test func healthyHeartbeatChangesNothing() {
        #expect(HeartbeatStatusRules.changes(for: message(), loadBalancer: view()).isEmpty)
    }

    @Test func downMemberDegradesPoolAndLoadBalancer() {
        let changes = HeartbeatStatusRules.changes(for: message(members: [m1.rawValue: .up, m2.rawValue: .down]), loadBalancer: view())
        #expect(Set(changes) == [.member(m2, .error), .pool(poolID, .degraded), .loadBalancer(lbID, .degraded)])
    }

    @Test func transitionalStatusesUseTheirPrefix() {
        let changes = HeartbeatStatusRules.changes(for: message(members: [m1.rawValue: "UP 1/3", m2.rawValue: "DOWN 1/2"]),
                                                   loadBalancer: view(members: [.error, .online]))
        #expect(Set(changes) == [.member(m1, .online), .member(m2, .error), .pool(poolID, .degraded), .loadBalancer(lbID, .degraded)])
    }

    @Test func downPoolIsErrorAndSoIsTheLoadBalancer() {
        let changes = HeartbeatStatusRules.changes(for: message(pool: .down, members: [m1.rawValue: .down, m2.rawValue: .down]),
                                                   loadBalancer: view())
        #expect(Set(changes) == [.member(m1, .error), .member(m2, .error), .pool(poolID, .error), .loadBalancer(lbID, .error)])
    }

    @Test func drainMaintenanceNoCheckAndRestarting() {
        let drain = HeartbeatStatusRules.changes(for: message(members: [m1.rawValue: .drain, m2.rawValue: .maintenance]), loadBalancer: view())
        #expect(Set(drain) == [.member(m1, .draining), .member(m2, .offline)])
        let noCheck = HeartbeatStatusRules.changes(for: message(members: [m1.rawValue: .noCheck, m2.rawValue: "RESTARTING"]), loadBalancer: view())
        #expect(noCheck == [.member(m1, .noMonitor)])
    }

    @Test func missingMembersGoOfflineUnlessNoMonitor() {
        let changes = HeartbeatStatusRules.changes(for: message(members: [:]), loadBalancer: view(members: [.online, .noMonitor]))
        #expect(changes == [.member(m1, .offline)])
    }

    @Test func fullListenerDegradesAndMissingListenerIsError() {
        let full = HeartbeatStatusRules.changes(for: message(listener: .full), loadBalancer: view())
        #expect(Set(full) == [.listener(listenerID, .degraded), .loadBalancer(lbID, .degraded)])
        let missing = HeartbeatStatusRules.changes(for: message(listener: nil), loadBalancer: view())
        #expect(missing == [.listener(listenerID, .error)])
        // While the LB is being changed a missing listener is OFFLINE, not ERROR.
        let pending = HeartbeatStatusRules.changes(for: message(listener: nil), loadBalancer: view(provisioning: .pendingUpdate))
        #expect(pending == [.listener(listenerID, .offline)])
        let unknown = HeartbeatStatusRules.changes(for: message(listener: "STOP"), loadBalancer: view())
        #expect(unknown.isEmpty)
    }

    @Test func poolMissingFromHeartbeatIsOffline() {
        #expect(HeartbeatStatusRules.changes(for: message(pool: nil), loadBalancer: view()) == [.pool(poolID, .offline)])
    }

    @Test func adminDownLoadBalancerIsOffline() {
        let changes = HeartbeatStatusRules.changes(for: message(), loadBalancer: view(adminUp: false))
        #expect(changes == [.loadBalancer(lbID, .offline)])
    }

    @Test func legacyNestedPoolsAreRead() {
        var legacy = message(pool: nil)
        legacy.version = nil
        legacy.listeners[listenerID.rawValue]?.legacyPools = [poolID.rawValue: .init(status: .up, members: [m1.rawValue: .up, m2.rawValue: .down])]
        let changes = HeartbeatStatusRules.changes(for: legacy, loadBalancer: view())
        #expect(Set(changes) == [.member(m2, .error), .pool(poolID, .degraded), .loadBalancer(lbID, .degraded)])
    }

    @Test func livenessNeedsEveryEnabledListenerAndATimelyMessage() {
        #expect(HeartbeatStatusRules.refreshesLiveness(message(), loadBalancer: view(), processingDelay: 0.1, heartbeatInterval: 10))
        #expect(!HeartbeatStatusRules.refreshesLiveness(message(listener: nil), loadBalancer: view(), processingDelay: 0.1, heartbeatInterval: 10))
        #expect(!HeartbeatStatusRules.refreshesLiveness(message(), loadBalancer: view(), processingDelay: 11, heartbeatInterval: 10))
        // The count is not checked while the LB is PENDING_* (its config is changing).
        #expect(HeartbeatStatusRules.refreshesLiveness(message(listener: nil), loadBalancer: view(provisioning: .pendingUpdate),
                                                       processingDelay: 0.1, heartbeatInterval: 10))
    }
}
