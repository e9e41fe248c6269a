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
actor JobSignal {
    private var generation = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func notify() {
        generation += 1
        let toWake = waiters
        waiters.removeAll()
        for waiter in toWake { waiter.resume() }
    }

    func wait(timeout: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.park() }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
            await self.wakeAll()
        }
    }

    private func park() async {
        await withCheckedContinuation { waiters.append($0) }
    }

    /// Called when a wait timed out: releases parked continuations so no task leaks.
    private func wakeAll() {
        let toWake = waiters
        waiters.removeAll()
        for waiter in toWake { waiter.resume() }
    }
}
