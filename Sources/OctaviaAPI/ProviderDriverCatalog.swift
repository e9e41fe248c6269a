import Foundation
import OctaviaCore

/// What the API knows about each provider driver without loading it: the flavor and availability
/// zone metadata keys it supports and how it validates profile data (Octavia's
/// `get_supported_*_metadata` / `validate_*` driver calls).
struct ProviderDriverCatalog: Sendable {
    /// One supported metadata key: its name, description and JSON type (as in the driver's schema).
    struct Capability: Sendable {
        enum Kind: Sendable { case string, boolean, array, anything }
        var name: String
        var description: String
        var kind: Kind
        var allowed: [String]? = nil
    }

    /// The capabilities of one driver; `strict` drivers refuse unknown keys (jsonschema
    /// `additionalProperties: false`), the noop driver accepts anything.
    struct Driver: Sendable {
        var flavor: [Capability]
        var availabilityZone: [Capability]
        var strict: Bool
    }

    let options: APIOptions

    static let amphora = Driver(
        flavor: [
            Capability(name: "loadbalancer_topology",
                       description: "The load balancer topology. One of: SINGLE - One amphora per load balancer. "
                           + "ACTIVE_STANDBY - Two amphora per load balancer.",
                       kind: .string, allowed: ["ACTIVE_STANDBY", "SINGLE"]),
            Capability(name: "compute_flavor", description: "The compute driver flavor ID.", kind: .string),
            Capability(name: "amp_image_tag", description: "The amphora image tag.", kind: .string),
            Capability(name: "sriov_vip",
                       description: "When true, the VIP port will be created using an SR-IOV VF port.", kind: .boolean),
            Capability(name: "allow_member_sriov",
                       description: "When true, users can request a member port be SR-IOV enabled at member creation time.",
                       kind: .boolean),
        ],
        availabilityZone: [
            Capability(name: "compute_zone", description: "The compute availability zone.", kind: .string),
            Capability(name: "volume_zone", description: "The volume availability zone.", kind: .string),
            Capability(name: "management_network", description: "The management network ID for the amphora.",
                       kind: .string),
            Capability(name: "valid_vip_networks",
                       description: "List of network IDs that are allowed for VIP use. This overrides/replaces the list "
                           + "of allowed networks configured in `octavia.conf`.",
                       kind: .array),
        ],
        strict: true)

    static let noop = Driver(
        flavor: [Capability(name: "amp_image_tag", description: "The glance image tag to use for this load balancer.",
                            kind: .anything)],
        availabilityZone: [
            Capability(name: "compute_zone", description: "The compute availability zone to use for this loadbalancer.",
                       kind: .anything),
            Capability(name: "volume_zone", description: "The volume availability zone to use for this loadbalancer.",
                       kind: .anything),
        ],
        strict: false)

    /// The amphora driver's own refusals (SOURCE_IP_PORT, L7 on non-HTTP listeners) apply only to
    /// load balancers it carries; the noop driver accepts every option. Empty = a row from before providers.
    static func isAmphora(_ provider: String) -> Bool {
        ["", "amphora", "octavia"].contains(provider)
    }

    /// Octavia's `driver_factory.get_driver`: 400 when not enabled, 501 when enabled but unknown here.
    func driver(_ name: String) throws -> Driver {
        guard options.enabledProviderDrivers[name] != nil else {
            throw OctaviaError(.badRequest, "Provider '\(name)' is not enabled.")
        }
        switch name {
        case "amphora", "octavia": return Self.amphora
        case "noop_driver": return Self.noop
        default: throw OctaviaError(.notImplemented, "Provider '\(name)' was not found.")
        }
    }

    /// Parses profile data (a JSON string) or 400 `<value> is not a valid option for <option>`.
    static func parse(_ text: String, option: String) throws -> JSONValue {
        guard let value = JSONValue.parse(Data(text.utf8)) else {
            throw OctaviaError(.badRequest, "\(text) is not a valid option for \(option)")
        }
        return value
    }

    /// The driver's schema check; failures are Octavia's 501 `ProviderUnsupportedOptionError`
    /// with the jsonschema message.
    func validate(_ data: JSONValue, provider: String, against capabilities: KeyPath<Driver, [Capability]>) throws {
        let driver = try driver(provider)
        guard driver.strict else { return }
        func refuse(_ message: String) -> OctaviaError {
            OctaviaError(.notImplemented, "Provider '\(provider)' does not support a requested option: \(message)")
        }
        guard case .object(let object) = data else { throw refuse("\(data.pythonRepresentation) is not of type 'object'") }
        let known = driver[keyPath: capabilities]
        let extras = object.keys.filter { key in !known.contains { $0.name == key } }.sorted()
        if !extras.isEmpty {
            let list = extras.map { "'\($0)'" }.joined(separator: ", ")
            throw refuse("Additional properties are not allowed (\(list) \(extras.count == 1 ? "was" : "were") unexpected)")
        }
        for capability in known {
            guard let value = object[capability.name] else { continue }
            let typeName: String
            let ok: Bool
            switch capability.kind {
            case .string: typeName = "string"; if case .string = value { ok = true } else { ok = false }
            case .boolean: typeName = "boolean"; if case .bool = value { ok = true } else { ok = false }
            case .array: typeName = "array"; if case .array = value { ok = true } else { ok = false }
            case .anything: typeName = ""; ok = true
            }
            if !ok { throw refuse("\(capability.name) \(value.pythonRepresentation) is not of type '\(typeName)'") }
            if let allowed = capability.allowed, case .string(let s) = value, !allowed.contains(s) {
                let list = allowed.map { "'\($0)'" }.joined(separator: ", ")
                throw refuse("\(capability.name) '\(s)' is not one of [\(list)]")
            }
        }
    }
}

extension JSONValue {
    /// Python's `repr` of the decoded value, as jsonschema messages show it.
    var pythonRepresentation: String {
        if case .string(let s) = self { return "'\(s)'" }
        return pythonDescription
    }
}
