import Foundation

/// A queue between the processor's stages whose consumer takes everything waiting at once (up to
/// a maximum): under light load each heartbeat is handled as soon as it arrives, under heavy load
/// batches grow by themselves to whatever arrived during the previous one, so there is no fixed
/// flush window to wait for. Elements beyond `capacity` are dropped and counted.
final class HeartbeatQueue<Element: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private let capacity: Int
    private var items: [Element] = []
    private var finished = false
    private var consumer: CheckedContinuation<Void, Never>?
    private var producer: CheckedContinuation<Void, Never>?

    init(capacity: Int) { self.capacity = capacity }

    var count: Int { lock.withLock { items.count } }

    /// Appends `elements`; returns how many did not fit.
    @discardableResult
    func push(_ elements: [Element]) -> Int {
        let (dropped, waiting) = lock.withLock { () -> (Int, CheckedContinuation<Void, Never>?) in
            guard !finished else { return (elements.count, nil) }
            let room = max(0, capacity - items.count)
            items.append(contentsOf: elements.prefix(room))
            defer { consumer = nil }
            return (elements.count - min(room, elements.count), consumer)
        }
        waiting?.resume()
        return dropped
    }

    /// Everything waiting, at most `limit` elements; waits while empty. Nil once finished and
    /// drained, or when the task is cancelled.
    func next(limit: Int) async -> [Element]? {
        while true {
            if Task.isCancelled { return nil }
            let (batch, done, waiting) = lock.withLock { () -> ([Element], Bool, CheckedContinuation<Void, Never>?) in
                let batch = Array(items.prefix(limit))
                items.removeFirst(batch.count)
                defer { if !batch.isEmpty { producer = nil } }
                return (batch, finished && items.isEmpty, batch.isEmpty ? nil : producer)
            }
            waiting?.resume()
            if !batch.isEmpty { return batch }
            if done { return nil }
            await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in
                    let ready = lock.withLock { () -> Bool in
                        if !items.isEmpty || finished || Task.isCancelled { return true }
                        consumer = continuation
                        return false
                    }
                    if ready { continuation.resume() }
                }
            } onCancel: {
                lock.withLock { () -> CheckedContinuation<Void, Never>? in defer { consumer = nil }; return consumer }?.resume()
            }
        }
    }

    /// Waits until fewer than `limit` elements are queued (back-pressure from a slower consumer).
    func waitForRoom(below limit: Int) async {
        while !Task.isCancelled {
            let full = lock.withLock { items.count >= limit && !finished }
            if !full { return }
            await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in
                    let ready = lock.withLock { () -> Bool in
                        if items.count < limit || finished || Task.isCancelled { return true }
                        producer = continuation
                        return false
                    }
                    if ready { continuation.resume() }
                }
            } onCancel: {
                lock.withLock { () -> CheckedContinuation<Void, Never>? in defer { producer = nil }; return producer }?.resume()
            }
        }
    }

    /// No more elements: the consumer gets what is left, then nil.
    func finish() {
        let waiting = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
            finished = true
            defer { consumer = nil; producer = nil }
            return [consumer, producer].compactMap { $0 }
        }
        for continuation in waiting { continuation.resume() }
    }
}
