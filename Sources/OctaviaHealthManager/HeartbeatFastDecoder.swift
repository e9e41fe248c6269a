import Foundation
import OctaviaAmphoraWire

/// A byte-level parser for the plain heartbeat JSON amphorae send: decoding a heartbeat of a large
/// load balancer with `JSONDecoder` costs more than everything else the health manager does with
/// it. It accepts only the simple case (ASCII strings without escapes, integer counters, no
/// duplicate keys) and returns nil for anything else, which then goes through `JSONDecoder`; so
/// results and errors are exactly those of ``HeartbeatMessage``'s `Decodable` conformance.
struct HeartbeatFastDecoder {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    /// The message, or nil when the JSON is not in the plain form (or not valid).
    static func decode(_ json: [UInt8]) -> HeartbeatMessage? {
        json.withUnsafeBufferPointer { buffer in
            var parser = HeartbeatFastDecoder(bytes: buffer)
            guard let message = parser.message() else { return nil }
            parser.skipSpace()
            return parser.index == buffer.count ? message : nil
        }
    }

    /// The message with its `pools` section left undecoded when it equals the last one `known`
    /// holds for this amphora; nil when the JSON is not in the plain form (or not valid), as
    /// ``decode(_:)``.
    static func decode(_ json: [UInt8], known: KnownPoolSections) -> DecodedHeartbeat? {
        let parsed: (HeartbeatMessage, Range<Int>?, ArraySlice<UInt8>?)? = json.withUnsafeBufferPointer { buffer in
            var parser = HeartbeatFastDecoder(bytes: buffer)
            parser.known = known
            guard let message = parser.message() else { return nil }
            parser.skipSpace()
            return parser.index == buffer.count ? (message, parser.poolsRange, parser.poolsKnown) : nil
        }
        guard let (message, range, sameAsKnown) = parsed else { return nil }
        if let sameAsKnown { return DecodedHeartbeat(message: message, rawPools: sameAsKnown, poolsDecoded: false) }
        guard let range else { return DecodedHeartbeat(message) }
        let section = json[range]
        // `id` after `pools`: compared here instead.
        if let same = known.known(message.amphoraID, section) {
            return DecodedHeartbeat(message: message, rawPools: same, poolsDecoded: false)
        }
        guard let pools = pools(section) else { return nil }
        let kept = known.remember(message.amphoraID, section)
        var full = message
        full.pools = pools
        return DecodedHeartbeat(message: full, rawPools: kept, poolsDecoded: true)
    }

    /// A `pools` value on its own (the bytes ``decode(_:known:)`` left undecoded).
    static func pools(_ section: ArraySlice<UInt8>) -> [String: HeartbeatMessage.Pool]? {
        section.withUnsafeBufferPointer { buffer in
            var parser = HeartbeatFastDecoder(bytes: buffer)
            guard let pools = parser.dictionary({ $0.pool() }) else { return nil }
            parser.skipSpace()
            return parser.index == buffer.count ? pools : nil
        }
    }

    private init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// Set: the top-level `pools` value is only skipped over and its range kept in ``poolsRange``;
    /// when it starts with the amphora's known section, that is ``poolsKnown`` (a complete JSON
    /// value ends where its bytes end, so the value there is exactly the known one).
    private var known: KnownPoolSections?
    private var poolsRange: Range<Int>?
    private var poolsKnown: ArraySlice<UInt8>?

    private mutating func message() -> HeartbeatMessage? {
        var id: String?
        var sequence: Int64?, version: Int?, receivedTime: Double?
        var listeners: [String: HeartbeatMessage.Listener]?, pools: [String: HeartbeatMessage.Pool]?
        var seen = KnownKeys()
        let ok = object { key, parser in
            switch key {
            case "id":
                guard seen.first(0) else { return false }
                id = parser.string(); return id != nil
            case "seq":
                guard seen.first(1) else { return false }
                if parser.null() { return true }
                sequence = parser.integer(); return sequence != nil
            case "ver":
                guard seen.first(2) else { return false }
                if parser.null() { return true }
                version = parser.integer().map(Int.init); return version != nil
            case "listeners":
                guard seen.first(3) else { return false }
                if parser.null() { return true }
                listeners = parser.dictionary { $0.listener() }; return listeners != nil
            case "pools":
                guard seen.first(4) else { return false }
                if parser.null() { return true }
                if let known = parser.known {
                    parser.skipSpace()
                    let start = parser.index
                    if let id, let section = known.section(of: id), parser.startsWith(section) {
                        parser.index += section.count
                        parser.poolsKnown = section
                        return true
                    }
                    guard parser.skipValue() else { return false }
                    parser.poolsRange = start..<parser.index
                    return true
                }
                pools = parser.dictionary { $0.pool() }; return pools != nil
            case "recv_time":
                return false // only the receiver adds it; leave the rare case to JSONDecoder
            default:
                return parser.skipValue()
            }
        }
        guard ok, let id else { return nil }
        return HeartbeatMessage(amphoraID: id, sequence: sequence, version: version, listeners: listeners ?? [:],
                                pools: pools ?? [:], receivedTime: receivedTime)
    }

    private mutating func listener() -> HeartbeatMessage.Listener? {
        var status: String?, stats: HeartbeatMessage.Stats?
        var legacy: [String: HeartbeatMessage.Pool]?
        var seen = KnownKeys()
        let ok = object { key, parser in
            switch key {
            case "status":
                guard seen.first(0) else { return false }
                status = parser.string(); return status != nil
            case "stats":
                guard seen.first(1) else { return false }
                stats = parser.stats(); return stats != nil
            case "pools":
                guard seen.first(2) else { return false }
                if parser.null() { return true }
                legacy = parser.dictionary { $0.pool() }; return legacy != nil
            default: return parser.skipValue()
            }
        }
        guard ok, let status, let stats else { return nil }
        return .init(status: HeartbeatListenerStatus(rawValue: status), stats: stats, legacyPools: legacy)
    }

    private mutating func stats() -> HeartbeatMessage.Stats? {
        // Five optionals instead of a dictionary: this runs for every listener of every heartbeat.
        var tx: Int64?, rx: Int64?, conns: Int64?, totconns: Int64?, ereq: Int64?
        let ok = object { key, parser in
            func read(_ slot: inout Int64?) -> Bool {
                guard slot == nil, let value = parser.integer() else { return false }
                slot = value
                return true
            }
            switch key {
            case "tx": return read(&tx)
            case "rx": return read(&rx)
            case "conns": return read(&conns)
            case "totconns": return read(&totconns)
            case "ereq": return read(&ereq)
            default: return parser.skipValue()
            }
        }
        guard ok, let tx, let rx, let conns, let totconns, let ereq else { return nil }
        return .init(tx: tx, rx: rx, conns: conns, totconns: totconns, ereq: ereq)
    }

    private mutating func pool() -> HeartbeatMessage.Pool? {
        var status: String?, members: [String: HeartbeatMemberStatus]?
        var seen = KnownKeys()
        let ok = object { key, parser in
            switch key {
            case "status":
                guard seen.first(0) else { return false }
                status = parser.string(); return status != nil
            case "members":
                guard seen.first(1) else { return false }
                members = parser.dictionary { $0.string().map(HeartbeatMemberStatus.init(rawValue:)) }
                return members != nil
            default: return parser.skipValue()
            }
        }
        guard ok, let status, let members else { return nil }
        return .init(status: HeartbeatPoolStatus(rawValue: status), members: members)
    }

    /// Which of an object's known keys were seen, without allocating: a duplicate gives up
    /// (unknown keys are ignored, as `JSONDecoder` ignores them).
    struct KnownKeys {
        private var bits: UInt8 = 0
        /// True the first time known key number `index` is seen.
        mutating func first(_ index: Int) -> Bool {
            let bit: UInt8 = 1 << index
            defer { bits |= bit }
            return bits & bit == 0
        }
    }

    // MARK: JSON primitives

    /// `{ "key": value, ... }`, calling `field` for each key with the parser positioned at the value.
    private mutating func object(_ field: (String, inout HeartbeatFastDecoder) -> Bool) -> Bool {
        skipSpace()
        guard take(UInt8(ascii: "{")) else { return false }
        skipSpace()
        if take(UInt8(ascii: "}")) { return true }
        while true {
            skipSpace()
            guard let key = string() else { return false }
            skipSpace()
            guard take(UInt8(ascii: ":")) else { return false }
            skipSpace()
            guard field(key, &self) else { return false }
            skipSpace()
            if take(UInt8(ascii: ",")) { continue }
            return take(UInt8(ascii: "}"))
        }
    }

    /// An object whose values all decode with `value`; a duplicate key gives up.
    private mutating func dictionary<Value>(_ value: (inout HeartbeatFastDecoder) -> Value?) -> [String: Value]? {
        var result = [String: Value](minimumCapacity: 8)
        let ok = object { key, parser in
            guard result[key] == nil, let decoded = value(&parser) else { return false }
            result[key] = decoded
            return true
        }
        return ok ? result : nil
    }

    /// A string of printable ASCII without escapes; anything else gives up.
    private mutating func string() -> String? {
        skipSpace()
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let value = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return value
            }
            guard byte >= 0x20, byte < 0x7f, byte != UInt8(ascii: "\\") else { return nil }
            index += 1
        }
        return nil
    }

    /// An integer: optional minus sign and digits, no fraction or exponent, within Int64.
    private mutating func integer() -> Int64? {
        skipSpace()
        var negative = false
        if take(UInt8(ascii: "-")) { negative = true }
        let start = index
        var value: Int64 = 0
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            let digit = Int64(bytes[index] - UInt8(ascii: "0"))
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.addingReportingOverflow(digit)
            guard !o1, !o2 else { return nil }
            value = sum
            index += 1
        }
        let count = index - start
        guard count > 0, !(count > 1 && bytes[start] == UInt8(ascii: "0")) else { return nil }
        if index < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[index]) { return nil }
        return negative ? -value : value
    }

    /// Consumes `null` if it is next.
    private mutating func null() -> Bool {
        skipSpace()
        guard bytes.count - index >= 4, bytes[index] == UInt8(ascii: "n"), bytes[index + 1] == UInt8(ascii: "u"),
              bytes[index + 2] == UInt8(ascii: "l"), bytes[index + 3] == UInt8(ascii: "l") else { return false }
        index += 4
        return true
    }

    /// Skips a value of an unknown key: plain strings, integers, true/false/null, nested objects and
    /// arrays of those, at most 32 levels deep. Anything else gives up.
    private mutating func skipValue(depth: Int = 0) -> Bool {
        skipSpace()
        guard index < bytes.count, depth < 32 else { return false }
        switch bytes[index] {
        case UInt8(ascii: "\""): return skipString()
        case UInt8(ascii: "{"):
            // As object(_:) with skipValue for every field, without building the keys.
            index += 1
            skipSpace()
            if take(UInt8(ascii: "}")) { return true }
            while true {
                guard skipString() else { return false }
                skipSpace()
                guard take(UInt8(ascii: ":")), skipValue(depth: depth + 1) else { return false }
                skipSpace()
                if take(UInt8(ascii: ",")) { continue }
                return take(UInt8(ascii: "}"))
            }
        case UInt8(ascii: "["):
            index += 1
            skipSpace()
            if take(UInt8(ascii: "]")) { return true }
            while true {
                guard skipValue(depth: depth + 1) else { return false }
                skipSpace()
                if take(UInt8(ascii: ",")) { continue }
                return take(UInt8(ascii: "]"))
            }
        case UInt8(ascii: "n"): return null()
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        default: return integer() != nil
        }
    }

    /// Whether the bytes from the current position start with `prefix`.
    private func startsWith(_ prefix: ArraySlice<UInt8>) -> Bool {
        guard bytes.count - index >= prefix.count else { return false }
        return prefix.withUnsafeBytes { p in
            p.count == 0 || memcmp(bytes.baseAddress! + index, p.baseAddress!, p.count) == 0
        }
    }

    /// ``string()`` without building the String (keys and values that are only skipped).
    private mutating func skipString() -> Bool {
        skipSpace()
        guard take(UInt8(ascii: "\"")) else { return false }
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: "\"") { return true }
            guard byte >= 0x20, byte < 0x7f, byte != UInt8(ascii: "\\") else { return false }
        }
        return false
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard bytes.count - index >= count else { return false }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { return false }
        index += count
        return true
    }

    private mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0a, 0x0d: index += 1
            default: return
            }
        }
    }
}
