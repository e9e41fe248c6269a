import OctaviaCore

/// What a load balancer create takes from its flavor and availability zone: the provider and
/// the topology (Octavia's `_validate_flavor`, `_validate_availability_zone`, `_get_provider`,
/// `_apply_flavor_to_lb_dict`).
struct LoadBalancerPlacement: Sendable {
    var provider: String
    var topology: Topology

    /// Drivers this deployment can run a load balancer on (the others are listed but refused).
    static let runnableProviders: Set<String> = ["amphora", "octavia", "noop_driver"]

    /// - Parameters:
    ///   - flavorID: `flavor_id` from the request; must exist (400 `Invalid flavor_id.`) and be enabled.
    ///   - zone: `availability_zone`; must exist (400 `Invalid availability zone.`) and be enabled.
    ///   - provider: `provider` from the request; must match the flavor's profile when both are given.
    static func resolve(flavorID: Flavor.ID?, zone: String?, provider requested: String?, api: APIContext,
                        on reader: any StoreReading) async throws -> LoadBalancerPlacement {
        var flavorData: JSONValue?
        var flavorProvider: String?
        if let flavorID {
            guard let flavor = try await reader.fetch(Flavor.self, id: flavorID),
                  let profile = try await reader.fetch(FlavorProfile.self, id: flavor.flavorProfileID)
            else { throw OctaviaError.validation("Invalid flavor_id.") }
            guard flavor.enabled else {
                throw OctaviaError(.badRequest, "The selected flavor is not allowed in this deployment: \(flavorID)")
            }
            flavorProvider = profile.providerName
            flavorData = try ProviderDriverCatalog.parse(profile.flavorData, option: "flavor_data")
        }
        var zoneData: JSONValue?
        if let zone {
            guard let found = try await reader.fetch(AvailabilityZone.self, id: zone),
                  let profile = try await reader.fetch(AvailabilityZoneProfile.self, id: found.availabilityZoneProfileID)
            else { throw OctaviaError.validation("Invalid availability zone.") }
            guard found.enabled else {
                throw OctaviaError(.badRequest, "The selected availability_zone is not allowed in this deployment: \(zone)")
            }
            zoneData = try ProviderDriverCatalog.parse(profile.availabilityZoneData, option: "availability_zone_data")
        }
        let provider: String
        switch (requested, flavorProvider) {
        case (let requested?, let fromFlavor?) where requested != fromFlavor:
            throw OctaviaError(.badRequest, "Flavor '\(flavorID?.rawValue ?? "")' is not compatible with provider '\(requested)'")
        case (_, let fromFlavor?): provider = fromFlavor
        case (let requested?, nil): provider = requested
        case (nil, nil): provider = api.options.defaultProviderDriver
        }
        let catalog = api.providers
        _ = try catalog.driver(provider)
        guard runnableProviders.contains(provider) else {
            throw OctaviaError(.notImplemented, "Provider '\(provider)' does not support a requested action: "
                + "load balancers on this provider are not supported by this deployment.")
        }
        // The driver must still accept the profiles (they may predate a driver change).
        if let flavorData { try catalog.validate(flavorData, provider: provider, against: \.flavor) }
        if let zoneData { try catalog.validate(zoneData, provider: provider, against: \.availabilityZone) }
        var topology = api.options.topology
        if case .object(let settings) = flavorData, case .string(let text) = settings["loadbalancer_topology"],
           let fromFlavor = Topology(rawValue: text) {
            topology = fromFlavor
        }
        return LoadBalancerPlacement(provider: provider, topology: topology)
    }
}
