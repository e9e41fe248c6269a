import Foundation

/// Validated tokens with their credentials, each until the earlier of its Keystone expiry and
/// `maxAge`; at most `capacity` entries (expired ones go first, then those expiring soonest).
struct TokenCache {
    struct Entry {
        var credentials: Credentials
        var validUntil: Date
    }

    let capacity: Int
    let maxAge: TimeInterval
    private(set) var entries: [String: Entry] = [:]

    init(capacity: Int, maxAge: TimeInterval) {
        self.capacity = max(1, capacity)
        self.maxAge = maxAge
    }

    mutating func lookup(_ token: String, now: Date) -> Credentials? {
        guard let entry = entries[token] else { return nil }
        guard entry.validUntil > now else {
            entries[token] = nil
            return nil
        }
        return entry.credentials
    }

    mutating func insert(_ token: String, _ credentials: Credentials, expires: Date, now: Date) {
        let validUntil = min(expires, now.addingTimeInterval(maxAge))
        guard validUntil > now else { return }
        if entries[token] == nil, entries.count >= capacity { evict(now: now) }
        entries[token] = Entry(credentials: credentials, validUntil: validUntil)
    }

    private mutating func evict(now: Date) {
        entries = entries.filter { $0.value.validUntil > now }
        while entries.count >= capacity, let soonest = entries.min(by: { $0.value.validUntil < $1.value.validUntil }) {
            entries[soonest.key] = nil
        }
    }
}
