import Foundation

/// The last `pools` section the fast decoder decoded for each amphora, as bytes: an identical
/// section needs no decoding to be known valid. Shared by the decode stage's parallel workers.
final class KnownPoolSections: @unchecked Sendable {
    /// More amphorae than any fleet one health manager serves; past it everything is forgotten
    /// (amphorae that were deleted would otherwise stay forever).
    static let capacity = 200_000

    private let lock = NSLock()
    private var sections: [String: ArraySlice<UInt8>] = [:]

    /// The stored section of `amphoraID` when it equals `section` byte for byte (the caller
    /// may keep it instead of `section`, so only one copy stays alive), else nil.
    func known(_ amphoraID: String, _ section: ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        guard let stored = lock.withLock({ sections[amphoraID] }), Self.equal(stored, section) else { return nil }
        return stored
    }

    /// The stored section of `amphoraID`.
    func section(of amphoraID: String) -> ArraySlice<UInt8>? {
        lock.withLock { sections[amphoraID] }
    }

    /// Remembers a section that decoded, as a copy of its own (a slice would keep the whole
    /// message alive); returns the copy, for the caller to keep instead of `section`.
    func remember(_ amphoraID: String, _ section: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        let copy = ArraySlice(Array(section))
        lock.withLock {
            if sections.count >= Self.capacity, sections[amphoraID] == nil { sections.removeAll() }
            sections[amphoraID] = copy
        }
        return copy
    }

    /// Byte equality with memcmp (a generic element loop is several times slower).
    static func equal(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        return a.withUnsafeBytes { pa in b.withUnsafeBytes { pb in
            pa.count == 0 || memcmp(pa.baseAddress!, pb.baseAddress!, pa.count) == 0
        } }
    }
}
