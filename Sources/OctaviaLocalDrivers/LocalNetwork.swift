import OctaviaCore

/// One network of the local dataplane: a bridge in the switch namespace with exactly one IPv4 subnet.
public struct LocalNetwork: Sendable, Equatable {
    public var name: String
    public var networkID: String
    public var subnetID: String
    public var subnetName: String
    /// e.g. `10.0.0.0/24`.
    public var cidr: String
    public var gateway: String?
    public var allocationPoolStart: String
    public var allocationPoolEnd: String

    public init(name: String, networkID: String, subnetID: String, subnetName: String, cidr: String,
                gateway: String?, allocationPoolStart: String, allocationPoolEnd: String) {
        self.name = name; self.networkID = networkID; self.subnetID = subnetID; self.subnetName = subnetName
        self.cidr = cidr; self.gateway = gateway
        self.allocationPoolStart = allocationPoolStart; self.allocationPoolEnd = allocationPoolEnd
    }
}

/// A ``LocalNetwork`` with its addresses parsed and checked.
struct ParsedNetwork: Sendable {
    var config: LocalNetwork
    var subnet: IPv4CIDR
    var gateway: IPv4Address?
    var poolStart: IPv4Address
    var poolEnd: IPv4Address

    init(_ config: LocalNetwork) throws {
        guard let subnet = IPv4CIDR(config.cidr) else {
            throw LocalDriverError("local network \(config.name): invalid IPv4 CIDR '\(config.cidr)'")
        }
        guard let start = IPv4Address(config.allocationPoolStart), let end = IPv4Address(config.allocationPoolEnd),
              subnet.contains(start), subnet.contains(end), start <= end else {
            throw LocalDriverError("local network \(config.name): allocation pool \(config.allocationPoolStart)-"
                + "\(config.allocationPoolEnd) is not a range inside \(config.cidr)")
        }
        var gateway: IPv4Address?
        if let text = config.gateway {
            guard let address = IPv4Address(text), subnet.contains(address) else {
                throw LocalDriverError("local network \(config.name): gateway '\(text)' is not inside \(config.cidr)")
            }
            gateway = address
        }
        self.config = config; self.subnet = subnet; self.gateway = gateway; poolStart = start; poolEnd = end
    }
}
