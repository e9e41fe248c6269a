import OctaviaCore

/// Pure address selection for IPAM.
enum AddressPool {
    /// The lowest address in `start...end` that is a host of `subnet`, not the gateway and not in `used`.
    static func firstFree(in subnet: IPv4CIDR, from start: IPv4Address, to end: IPv4Address,
                          gateway: IPv4Address?, used: Set<IPv4Address>) -> IPv4Address? {
        guard start <= end else { return nil }
        var candidate = start.value
        while true {
            let address = IPv4Address(candidate)
            if subnet.isHost(address), address != gateway, !used.contains(address) { return address }
            if candidate == end.value { return nil }
            candidate += 1
        }
    }
}
