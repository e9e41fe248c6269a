import Foundation

/// A fair async mutex. SQLite has one writer; this queues writers in the process instead of
/// letting them fail with SQLITE_BUSY.
actor AsyncLock {
    private var locked = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func lock() async {
        if !locked {
            locked = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func unlock() {
        if waiters.isEmpty {
            locked = false
        } else {
            waiters.removeFirst().resume()
        }
    }

    nonisolated func withLock<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        await lock()
        do {
            let value = try await body()
            await unlock()
            return value
        } catch {
            await unlock()
            throw error
        }
    }
}

/// Wakes waiting workers when this process enqueued a job (other processes are found by polling).
///
/// Each wait is a race between a parked continuation and a timer. Whichever wins, the other side
/// is settled exactly once: a waiter abandoned before it parked returns at once when it does.
actor JobSignal {
    private var parked: [UUID: CheckedContinuation<Void, Never>] = [:]
    private var abandoned: Set<UUID> = []

    func notify() {
        let waiters = parked
        parked.removeAll()
        for waiter in waiters.values { waiter.resume() }
    }

    func wait(timeout: Duration) async {
        let id = UUID()
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { await self.park(id); return true }
            group.addTask { try? await Task.sleep(for: timeout); return false }
            let notified = await group.next() ?? true
            group.cancelAll()
            if !notified { await self.abandon(id) }
            await group.waitForAll()
            await self.forget(id)
        }
    }

    private func park(_ id: UUID) async {
        if abandoned.remove(id) != nil { return }
        await withCheckedContinuation { parked[id] = $0 }
    }

    private func abandon(_ id: UUID) {
        if let waiter = parked.removeValue(forKey: id) { waiter.resume() } else { abandoned.insert(id) }
    }

    /// A notify that raced the timer may leave the id marked abandoned after the waiter returned.
    private func forget(_ id: UUID) { abandoned.remove(id) }
}
