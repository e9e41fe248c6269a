import Foundation
import OctaviaCore

/// Builds load balancer graphs with fixed ids and dates, so rendered configs are reproducible.
///
/// Ids encode the kind and a number: load balancers `aaaaaaaa-…`, listeners `11111111-…`, pools
/// `22222222-…`, members `33333333-…`, monitors `44444444-…`, L7 policies `55555555-…`, L7 rules `66666666-…`. `createdAt` grows with the number.
struct GraphBuilder {
    static let project = ProjectID("project-0001")
    private(set) var graph: LoadBalancerGraph

    static func id<Owner>(_ prefix: String, _ number: Int) -> Identifier<Owner> {
        let tail = String(number)
        let padded = String(repeating: "0", count: 12 - tail.count) + tail
        return Identifier("\(prefix)-0000-4000-8000-\(padded)")!
    }

    static func date(_ number: Int) -> Date { Date(timeIntervalSince1970: 1_790_000_000 + Double(number) * 60) }

    init(loadBalancer number: Int, vip: String? = "10.0.0.10", configure: (inout LoadBalancer) -> Void = { _ in }) {
        var lb = LoadBalancer(
            id: Self.id("aaaaaaaa", number), projectID: Self.project, name: "lb-\(number)",
            provisioningStatus: .active, operatingStatus: .online, vipAddress: vip, createdAt: Self.date(number))
        configure(&lb)
        graph = LoadBalancerGraph(loadBalancer: lb)
    }

    var loadBalancerID: LoadBalancer.ID { graph.loadBalancer.id }

    mutating func listener(
        _ number: Int, _ proto: ListenerProtocol, port: Int, pool: Int? = nil,
        configure: (inout Listener) -> Void = { _ in }
    ) {
        var listener = Listener(
            id: Self.id("11111111", number), projectID: Self.project, loadBalancerID: loadBalancerID,
            provisioningStatus: .active, operatingStatus: .online, protocol: proto, protocolPort: port,
            defaultPoolID: pool.map { Self.id("22222222", $0) }, createdAt: Self.date(number))
        configure(&listener)
        graph.listeners.append(listener)
    }

    mutating func pool(
        _ number: Int, _ proto: PoolProtocol, _ algorithm: LoadBalancingAlgorithm = .roundRobin,
        persistence: SessionPersistence? = nil, configure: (inout Pool) -> Void = { _ in }
    ) {
        var pool = Pool(
            id: Self.id("22222222", number), projectID: Self.project, loadBalancerID: loadBalancerID,
            provisioningStatus: .active, operatingStatus: .online, protocol: proto, lbAlgorithm: algorithm,
            sessionPersistence: persistence, createdAt: Self.date(number))
        configure(&pool)
        graph.pools.append(pool)
    }

    mutating func member(
        _ number: Int, pool: Int, address: String, port: Int, configure: (inout Member) -> Void = { _ in }
    ) {
        var member = Member(
            id: Self.id("33333333", number), projectID: Self.project, poolID: Self.id("22222222", pool),
            provisioningStatus: .active, operatingStatus: .online, address: address, protocolPort: port,
            createdAt: Self.date(number))
        configure(&member)
        graph.members.append(member)
    }

    mutating func monitor(
        _ number: Int, pool: Int, _ type: HealthMonitorType, delay: Int = 5, timeout: Int = 3, rise: Int = 2,
        fall: Int = 3, configure: (inout HealthMonitor) -> Void = { _ in }
    ) {
        var monitor = HealthMonitor(
            id: Self.id("44444444", number), projectID: Self.project, poolID: Self.id("22222222", pool),
            provisioningStatus: .active, operatingStatus: .online, type: type, delay: delay, timeout: timeout,
            maxRetries: rise, maxRetriesDown: fall, createdAt: Self.date(number))
        configure(&monitor)
        graph.healthMonitors.append(monitor)
    }

    mutating func l7Policy(
        _ number: Int, listener: Int, position: Int, _ action: L7PolicyAction, configure: (inout L7Policy) -> Void = { _ in }
    ) {
        var policy = L7Policy(
            id: Self.id("55555555", number), projectID: Self.project, listenerID: Self.id("11111111", listener),
            provisioningStatus: .active, operatingStatus: .online, action: action, position: position,
            createdAt: Self.date(number))
        configure(&policy)
        graph.l7Policies.append(policy)
    }

    mutating func l7Rule(
        _ number: Int, policy: Int, _ type: L7RuleType, _ compareType: L7RuleCompareType, key: String? = nil,
        value: String, invert: Bool = false, configure: (inout L7Rule) -> Void = { _ in }
    ) {
        var rule = L7Rule(
            id: Self.id("66666666", number), projectID: Self.project, l7PolicyID: Self.id("55555555", policy), type: type,
            compareType: compareType, key: key, value: value, invert: invert, provisioningStatus: .active,
            operatingStatus: .online, createdAt: Self.date(number))
        configure(&rule)
        graph.l7Rules.append(rule)
    }
}
