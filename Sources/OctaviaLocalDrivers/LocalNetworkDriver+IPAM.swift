import Foundation
import Logging
import OctaviaCore

/// Address management on top of `NetworkPort` rows.
extension LocalNetworkDriver {
    /// How many times an allocation retries after losing a race for an address.
    static let allocationAttempts = 16

    func ports(_ filters: [(column: String, value: StoredValue)]) async throws -> [NetworkPort] {
        try await store.reader.list(NetworkPort.self, ListQuery(filters: filters))
    }

    /// Reserves an address on `network`: `fixed` if given, else the first free one of the allocation pool.
    ///
    /// A concurrent allocation of the same address makes the insert fail on the store's unique index; we
    /// then re-read the subnet's ports and retry with the next address.
    func allocatePort(on network: ParsedNetwork, name: String, deviceID: String, macAddress: String,
                      fixed: IPv4Address? = nil) async throws -> NetworkPort {
        let subnetID = network.config.subnetID
        var lost = Set<IPv4Address>()
        for _ in 0..<Self.allocationAttempts {
            let used = try await usedAddresses(subnetID: subnetID).union(lost)
            let address: IPv4Address
            if let fixed {
                guard fixed != network.gateway, !used.contains(fixed) else { throw Self.inUse(fixed, subnetID) }
                address = fixed
            } else {
                guard let free = AddressPool.firstFree(in: network.subnet, from: network.poolStart, to: network.poolEnd,
                                                       gateway: network.gateway, used: used) else {
                    throw OctaviaError(.conflict, "No more IP addresses available on subnet \(subnetID).")
                }
                address = free
            }
            let port = NetworkPort(id: UUID().uuidString.lowercased(), name: name, networkID: network.config.networkID,
                            subnetID: subnetID, ipAddress: address.description, macAddress: macAddress,
                            deviceID: deviceID)
            do {
                try await store.write { try await $0.insert(port) }
                logger.debug("port allocated", metadata: ["port": "\(port.id)", "ip": "\(address)", "device": "\(deviceID)"])
                return port
            } catch {
                // Only a lost race is retried; anything else is a real store failure.
                guard try await usedAddresses(subnetID: subnetID).contains(address) else { throw error }
                if fixed != nil { throw Self.inUse(address, subnetID) }
                logger.debug("address taken concurrently, retrying", metadata: ["ip": "\(address)"])
                lost.insert(address)
            }
        }
        throw LocalDriverError("could not allocate an address on subnet \(subnetID) after \(Self.allocationAttempts) attempts")
    }

    func usedAddresses(subnetID: String) async throws -> Set<IPv4Address> {
        Set(try await ports([("subnet_id", .string(subnetID))]).compactMap { IPv4Address($0.ipAddress) })
    }

    func deletePorts(deviceID: String) async throws {
        let owned = try await ports([("device_id", .string(deviceID))])
        guard !owned.isEmpty else { return }
        try await store.write { writer in
            for port in owned { try await writer.delete(NetworkPort.self, id: port.id) }
        }
        logger.debug("ports released", metadata: ["device": "\(deviceID)", "count": "\(owned.count)"])
    }

    static func inUse(_ address: IPv4Address, _ subnetID: String) -> OctaviaError {
        OctaviaError(.conflict, "IP address \(address) already allocated in subnet \(subnetID)")
    }
}
