import Foundation
import Logging
import OctaviaCore
import ServiceLifecycle

/// Purges DELETED load balancers and amphorae once they are older than their expiry ages
/// (Octavia's `DatabaseCleanup` in `octavia-housekeeping`).
public struct DatabaseCleanup: Service {
    public struct Settings: Sendable {
        public var interval: Duration
        public var loadBalancerExpiryAge: Duration
        public var amphoraExpiryAge: Duration
        public init(interval: Duration = .seconds(30), loadBalancerExpiryAge: Duration = .seconds(604_800),
                    amphoraExpiryAge: Duration = .seconds(604_800)) {
            self.interval = interval; self.loadBalancerExpiryAge = loadBalancerExpiryAge
            self.amphoraExpiryAge = amphoraExpiryAge
        }
    }

    let store: any Store
    let settings: Settings
    let logger: Logger

    public init(store: any Store, settings: Settings, logger: Logger) {
        self.store = store
        self.settings = settings
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let purged = try await purge(now: Date())
                if purged.loadBalancers + purged.amphorae > 0 {
                    logger.info("purged deleted rows", metadata: ["loadBalancers": "\(purged.loadBalancers)", "amphorae": "\(purged.amphorae)"])
                }
            } catch {
                logger.error("cleanup failed", metadata: ["error": "\(error)"])
            }
            // Sleeps until the next round; graceful shutdown cancels the sleep.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: settings.interval) }
        }
    }

    /// Deletes the expired rows; returns how many of each went.
    public func purge(now: Date) async throws -> (loadBalancers: Int, amphorae: Int) {
        let lbCutoff = now.addingTimeInterval(-Double(settings.loadBalancerExpiryAge.components.seconds))
        let ampCutoff = now.addingTimeInterval(-Double(settings.amphoraExpiryAge.components.seconds))
        return try await store.write { tx in
            let deletedLBs = try await tx.list(LoadBalancer.self, ListQuery(filters: [("provisioning_status", .string("DELETED"))]))
            var lbs = 0, amps = 0
            for amphora in try await tx.list(Amphora.self, ListQuery(filters: [("status", .string("DELETED"))]))
            where (amphora.updatedAt ?? amphora.createdAt) < ampCutoff {
                try await tx.delete(Amphora.self, id: amphora.id.rawValue)
                amps += 1
            }
            for lb in deletedLBs where (lb.updatedAt ?? lb.createdAt) < lbCutoff {
                // Amphora rows still pointing at the LB are history; they go with it.
                for amphora in try await tx.list(Amphora.self, ListQuery(filters: [("load_balancer_id", .string(lb.id.rawValue))])) {
                    try await tx.delete(Amphora.self, id: amphora.id.rawValue)
                    amps += 1
                }
                // So are its extra VIP addresses and security groups (tables without a foreign key).
                let byLB = ListQuery(filters: [("load_balancer_id", .string(lb.id.rawValue))])
                for vip in try await tx.list(AdditionalVIP.self, byLB) { try await tx.delete(AdditionalVIP.self, id: vip.id.rawValue) }
                for group in try await tx.list(VIPSecurityGroup.self, byLB) {
                    try await tx.delete(VIPSecurityGroup.self, id: group.id.rawValue)
                }
                try await tx.delete(LoadBalancer.self, id: lb.id.rawValue)
                lbs += 1
            }
            return (lbs, amps)
        }
    }
}
