import Foundation
import OctaviaCore

/// The health manager's cached ``AmphoraHealthView``s. Reading a load balancer's tree (a hundred
/// member rows) for every heartbeat costs far more than processing the heartbeat, and in a steady
/// fleet nothing in it changes except the statuses the health manager writes itself. So views are
/// kept while the database provably saw no other write, and patched with the manager's own changes:
///
/// - The validity ``Token`` is the writer connection's `total_changes()` (rows changed by any
///   in-process writer: API, worker, sweeper) and `PRAGMA data_version` (commits by other
///   processes). The health store's own transaction reads it before and after its statements, so
///   its writes move the token forward without invalidating anything.
/// - Any other difference empties the cache; the next heartbeats read their trees again.
/// - A fill (views read outside the lock) is only stored when no patch or reset happened since its
///   lookup, so a read that raced with a status write never overwrites the patched statuses.
final class HealthViewCache: @unchecked Sendable {
    /// What the database looked like when the cache was last known to be in sync with it.
    struct Token: Equatable, Sendable {
        var totalChanges: Int
        var dataVersion: Int
    }

    /// The outcome of a lookup: views found, ids to read, and the generation a fill must match.
    struct Lookup {
        var hits: [Amphora.ID: AmphoraHealthView]
        var misses: [Amphora.ID]
        var generation: Int
    }

    private struct Entry {
        var status: AmphoraStatus
        var loadBalancerID: LoadBalancer.ID?
    }

    /// Lookups served from the cache, read from the database, and cache resets, since start.
    struct Counts: Sendable { var hits = 0, misses = 0, resets = 0 }

    private let lock = NSLock()
    private var counts = Counts()
    private var token: Token?
    private var generation = 0
    private var amphorae: [Amphora.ID: Entry] = [:]
    private var loadBalancers: [LoadBalancer.ID: LoadBalancerHealthView] = [:]
    /// Listener, pool and member ids to their load balancer, to patch status changes.
    private var owners: [String: LoadBalancer.ID] = [:]

    /// Cached views of `ids` when the cache matches `current`; otherwise the cache is emptied first.
    func lookup(_ ids: [Amphora.ID], current: Token) -> Lookup {
        lock.withLock {
            if token != current { resetLocked(to: current) }
            var hits: [Amphora.ID: AmphoraHealthView] = [:]
            var misses: [Amphora.ID] = []
            for id in ids {
                guard let entry = amphorae[id] else { misses.append(id); continue }
                let lb = entry.loadBalancerID.flatMap { loadBalancers[$0] }
                if entry.loadBalancerID != nil, lb == nil { misses.append(id); continue }
                hits[id] = AmphoraHealthView(amphoraID: id, amphoraStatus: entry.status, loadBalancer: lb)
            }
            counts.hits += hits.count
            counts.misses += misses.count
            return Lookup(hits: hits, misses: misses, generation: generation)
        }
    }

    /// Stores views read for a lookup of `generation`, unless the cache changed since.
    func fill(_ views: [Amphora.ID: AmphoraHealthView], generation: Int) {
        lock.withLock {
            guard generation == self.generation else { return }
            for (id, view) in views {
                amphorae[id] = Entry(status: view.amphoraStatus, loadBalancerID: view.loadBalancer?.id)
                guard let lb = view.loadBalancer else { continue }
                loadBalancers[lb.id] = lb
                owners[lb.id.rawValue] = lb.id
                for listener in lb.listeners { owners[listener.id.rawValue] = lb.id }
                for pool in lb.pools {
                    owners[pool.id.rawValue] = lb.id
                    for member in pool.members { owners[member.id.rawValue] = lb.id }
                }
            }
        }
    }

    /// After the health store's own commit: when nothing else wrote between the lookup's token and
    /// `before`, the changes are patched in and `after` becomes the token; otherwise everything goes.
    func committed(_ changes: [OperatingStatusChange], before: Token, after: Token) {
        lock.withLock {
            generation += 1
            guard token == before else { resetLocked(to: nil); return }
            token = after
            for change in changes { patchLocked(change) }
        }
    }

    /// Forgets everything (a write whose effect is not tracked here).
    func invalidate() {
        lock.withLock { resetLocked(to: nil) }
    }

    var statistics: Counts { lock.withLock { counts } }

    private func resetLocked(to token: Token?) {
        if !amphorae.isEmpty { counts.resets += 1 }
        self.token = token
        generation += 1
        amphorae = [:]
        loadBalancers = [:]
        owners = [:]
    }

    private func patchLocked(_ change: OperatingStatusChange) {
        switch change {
        case .loadBalancer(let id, let status):
            loadBalancers[id]?.operatingStatus = status
        case .listener(let id, let status):
            guard let lb = owners[id.rawValue], var view = loadBalancers[lb] else { return }
            for i in view.listeners.indices where view.listeners[i].id == id { view.listeners[i].operatingStatus = status }
            loadBalancers[lb] = view
        case .pool(let id, let status):
            guard let lb = owners[id.rawValue], var view = loadBalancers[lb] else { return }
            for i in view.pools.indices where view.pools[i].id == id { view.pools[i].operatingStatus = status }
            loadBalancers[lb] = view
        case .member(let id, let status):
            guard let lb = owners[id.rawValue], var view = loadBalancers[lb] else { return }
            for i in view.pools.indices {
                for j in view.pools[i].members.indices where view.pools[i].members[j].id == id {
                    view.pools[i].members[j].operatingStatus = status
                }
            }
            loadBalancers[lb] = view
        }
    }
}
