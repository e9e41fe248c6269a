import Foundation
import Hummingbird
import OctaviaCore

/// `/v2/lbaas/healthmonitors`.
struct HealthMonitorController {
    let api: APIContext

    static let putFields: Set<String> = [
        "name", "delay", "timeout", "max_retries", "max_retries_down", "http_method", "url_path", "expected_codes",
        "http_version", "domain_name", "admin_state_up", "tags",
    ]
    static let postFields = putFields.union(["pool_id", "type", "project_id", "tenant_id"])
    static let httpOnlyFields = ["http_method", "url_path", "expected_codes"]

    func list(_ request: Request) async throws -> Response {
        let query = try ListRequest(request, for: HealthMonitor.self, maxLimit: api.options.paginationMaxLimit)
        let rows = try await query.run(HealthMonitor.self, on: api.store.reader)
        return try await api.listResponse(rows, list: query, request: request) { render($0) }
    }

    func show(_ request: Request, id: String) async throws -> Response {
        let monitor = try await api.live(HealthMonitor.self, id)
        return APIContext.single("healthmonitor", render(monitor), fields: APIContext.fields(request))
    }

    /// Fields shared by POST and PUT.
    struct Mutable {
        var name: Field<String>, delay: Field<Int>, timeout: Field<Int>, maxRetries: Field<Int>
        var maxRetriesDown: Field<Int>, httpMethod: Field<HTTPMethodName>, urlPath: Field<String>
        var expectedCodes: Field<String>, httpVersion: Field<Double>, domainName: Field<String>
        var adminStateUp: Field<Bool>, tags: Field<[String]>

        init(_ body: BodyReader) throws {
            name = try body.string("name")
            delay = try body.int("delay", min: 0)
            timeout = try body.int("timeout", min: 0)
            maxRetries = try body.int("max_retries", min: 1, max: 10)
            maxRetriesDown = try body.int("max_retries_down", min: 1, max: 10)
            httpMethod = try body.enumValue("http_method", HTTPMethodName.self)
            urlPath = try body.string("url_path").map { path in
                let hasSpace = path.unicodeScalars.contains { CharacterSet.whitespacesAndNewlines.contains($0) }
                guard path.hasPrefix("/"), !hasSpace else {
                    throw OctaviaError.invalidInput("url_path", path, "Value should be a valid URL path")
                }
                return path
            }
            expectedCodes = try body.string("expected_codes").map { codes in
                // ASCII digits only: `\d` would also take other scripts' digits, which HAProxy cannot use.
                let list = #"^[0-9]{3}(\s*,\s*[0-9]{3})*$"#, range = #"^[0-9]{3}-[0-9]{3}$"#
                guard codes.range(of: list, options: .regularExpression) != nil
                        || codes.range(of: range, options: .regularExpression) != nil
                else {
                    throw OctaviaError.invalidInput("expected_codes", codes,
                                                    "Value should match the pattern ^(\\d{3}(\\s*,\\s*\\d{3})*)$|^(\\d{3}-\\d{3})$")
                }
                return codes
            }
            httpVersion = try body.raw("http_version").map { v in
                let number: Double
                switch v {
                case .int(let i): number = Double(i)
                case .double(let d): number = d
                default: throw BodyReader.wrongType("http_version", v, expected: "float")
                }
                guard number == 1.0 || number == 1.1 else {
                    throw OctaviaError.invalidInput("http_version", v.pythonDescription, "Value should be one of: 1.0, 1.1")
                }
                return number
            }
            domainName = try body.string("domain_name").map { name in
                let pattern = #"^(?=.{1,255}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$"#
                guard name.range(of: pattern, options: .regularExpression) != nil else {
                    throw OctaviaError.invalidInput("domain_name", name, "Value should be a valid host name")
                }
                return name
            }
            adminStateUp = try body.bool("admin_state_up")
            tags = try body.stringList("tags")
        }
    }

    func create(_ request: Request) async throws -> Response {
        let body = try await api.body(request, root: "healthmonitor", argument: "health_monitor_", allowed: Self.postFields)
        let poolID = try body.required("pool_id", body.uuid("pool_id", Pool.ID.self))
        let draft = try Draft(body)
        let project = try api.projectID(body: body, request: request)
        let pool = try await api.live(Pool.self, poolID.rawValue)
        let monitor = try draft.monitor(project: project, pool: pool)
        try await api.store.write { tx in
            try await api.quotas.check(.healthMonitor, HealthMonitor.self, project: monitor.projectID, in: tx)
            try await api.lockPoolChain(pool, tx)
            let existing = try await tx.list(HealthMonitor.self, ListQuery(filters: [("pool_id", .string(pool.id.rawValue))]))
            if existing.contains(where: { $0.provisioningStatus != .deleted }) {
                throw OctaviaError(.conflict, "This pool already has a health monitor")
            }
            try await tx.insert(monitor)
            try await tx.enqueue(.changeObject(pool.loadBalancerID, .healthMonitor(monitor.id), .create))
        }
        return APIContext.single("healthmonitor", render(monitor), status: .created)
    }

    /// A POSTed monitor's own fields; shared with the fully-populated LB create, whose embedded
    /// monitors get exactly these checks (Octavia once skipped them there).
    struct Draft {
        var type: HealthMonitorType, fields: Mutable, delay: Int, timeout: Int, maxRetries: Int

        init(_ body: BodyReader) throws {
            type = try body.required("type", body.enumValue("type", HealthMonitorType.self))
            fields = try Mutable(body)
            delay = try body.required("delay", fields.delay)
            timeout = try body.required("timeout", fields.timeout)
            maxRetries = try body.required("max_retries", fields.maxRetries)
            if !isHTTP {
                for key in HealthMonitorController.httpOnlyFields where body.raw(key).value != nil {
                    throw OctaviaError(.badRequest, "\(key) is not a valid option for health monitors of type \(type.rawValue)")
                }
            }
            try HealthMonitorController.checkDomain(fields.domainName.value, version: fields.httpVersion.value)
        }

        var isHTTP: Bool { type == .http || type == .https }

        /// The PENDING_CREATE row, after the type-vs-pool-protocol check.
        func monitor(project: ProjectID, pool: Pool) throws -> HealthMonitor {
            try HealthMonitorController.checkType(type, pool: pool.protocol)
            return HealthMonitor(
                projectID: project, poolID: pool.id, name: fields.name.value,
                adminStateUp: fields.adminStateUp.value ?? !fields.adminStateUp.isPresent,
                provisioningStatus: .pendingCreate, operatingStatus: .offline, type: type, delay: delay, timeout: timeout,
                maxRetries: maxRetries, maxRetriesDown: fields.maxRetriesDown.value ?? 3,
                httpMethod: isHTTP ? (fields.httpMethod.value ?? .get) : nil,
                urlPath: isHTTP ? (fields.urlPath.value ?? "/") : nil,
                expectedCodes: isHTTP ? (fields.expectedCodes.value ?? "200") : nil,
                httpVersion: fields.httpVersion.value, domainName: fields.domainName.value, tags: fields.tags.value ?? [])
        }
    }

    func update(_ request: Request, id: String) async throws -> Response {
        let existing = try await api.live(HealthMonitor.self, id)
        let body = try await api.body(request, root: "healthmonitor", argument: "health_monitor_", allowed: Self.putFields)
        let fields = try Mutable(body)
        // Octavia's `_validate_update_hm` order: HTTP-only fields, then the three that cannot be null.
        let isHTTP = existing.type == .http || existing.type == .https
        if !isHTTP {
            for key in Self.httpOnlyFields where body.raw(key).isPresent {
                throw OctaviaError(.badRequest, "\(key) is not a valid option for health monitors of type \(existing.type.rawValue)")
            }
        }
        for (key, field) in [("delay", fields.delay), ("max_retries", fields.maxRetries), ("timeout", fields.timeout)] {
            if case .null = field { throw OctaviaError(.badRequest, "None is not a valid option for \(key)") }
        }
        let pool = try await api.live(Pool.self, existing.poolID.rawValue)
        let updated = try await api.store.write { tx -> HealthMonitor in
            try await api.lockPoolChain(pool, tx)
            guard var hm = try await tx.fetch(HealthMonitor.self, id: existing.id.rawValue) else {
                throw OctaviaError.notFound(HealthMonitor.resourceName, id)
            }
            if fields.name.isPresent { hm.name = fields.name.value }
            if let v = fields.delay.value { hm.delay = v }
            if let v = fields.timeout.value { hm.timeout = v }
            if let v = fields.maxRetries.value { hm.maxRetries = v }
            if fields.maxRetriesDown.isPresent { hm.maxRetriesDown = fields.maxRetriesDown.value ?? 3 }
            if isHTTP {
                if fields.httpMethod.isPresent { hm.httpMethod = fields.httpMethod.value ?? .get }
                if fields.urlPath.isPresent { hm.urlPath = fields.urlPath.value ?? "/" }
                if fields.expectedCodes.isPresent { hm.expectedCodes = fields.expectedCodes.value ?? "200" }
            }
            if fields.httpVersion.isPresent { hm.httpVersion = fields.httpVersion.value }
            if fields.domainName.isPresent { hm.domainName = fields.domainName.value }
            if fields.adminStateUp.isPresent { hm.adminStateUp = fields.adminStateUp.value ?? false }
            if fields.tags.isPresent { hm.tags = JSONColumn(fields.tags.value ?? []) }
            try Self.checkDomain(hm.domainName, version: hm.httpVersion)
            hm.provisioningStatus = .pendingUpdate
            hm.updatedAt = Date()
            try await tx.update(hm)
            try await tx.enqueue(.changeObject(pool.loadBalancerID, .healthMonitor(hm.id), .update))
            return hm
        }
        return APIContext.single("healthmonitor", render(updated))
    }

    func delete(_ request: Request, id: String) async throws -> Response {
        let existing = try await api.live(HealthMonitor.self, id)
        let pool = try await api.live(Pool.self, existing.poolID.rawValue)
        try await api.store.write { tx in
            try await api.lockPoolChain(pool, tx)
            try await tx.setStatus(HealthMonitor.self, id: existing.id.rawValue, provisioning: .pendingDelete, operating: nil)
            try await tx.enqueue(.changeObject(pool.loadBalancerID, .healthMonitor(existing.id), .delete))
        }
        return Response(status: .noContent)
    }

    /// Health-monitor type vs pool protocol (validation.md §5).
    static func checkType(_ type: HealthMonitorType, pool: PoolProtocol) throws {
        switch pool {
        case .udp, .sctp:
            let allowed: [HealthMonitorType] = [.udpConnect, .sctp, .tcp, .http]
            guard allowed.contains(type) else {
                throw OctaviaError.validation(
                    "The associated pool protocol is \(pool.rawValue), so only a \(allowed.map(\.rawValue).joined(separator: "/")) health monitor is supported.")
            }
        default:
            guard type != .udpConnect && type != .sctp else {
                throw OctaviaError.validation("The \(type.rawValue) type is only supported for pools of type UDP/SCTP.")
            }
        }
    }

    static func checkDomain(_ domain: String?, version: Double?) throws {
        guard domain != nil else { return }
        guard let version else {
            throw OctaviaError.validation("'http_version' must be specified when 'domain_name' is provided.")
        }
        if version < 1.1 {
            throw OctaviaError(.badRequest,
                "http_version \(version) is not a valid option for health monitors HTTP 1.1 domain name health check")
        }
    }

    func render(_ h: HealthMonitor) -> JSONValue {
        [
            "id": .string(h.id.rawValue),
            "name": .text(h.name),
            "admin_state_up": .bool(h.adminStateUp),
            "project_id": .string(h.projectID.rawValue),
            "tenant_id": .string(h.projectID.rawValue),
            "provisioning_status": .string(h.provisioningStatus.rawValue),
            "operating_status": .string(h.operatingStatus.rawValue),
            "created_at": Timestamp.json(h.createdAt),
            "updated_at": Timestamp.json(h.updatedAt),
            "type": .string(h.type.rawValue),
            "delay": .int(h.delay),
            "timeout": .int(h.timeout),
            "max_retries": .int(h.maxRetries),
            "max_retries_down": .int(h.maxRetriesDown),
            "http_method": .optional(h.httpMethod?.rawValue),
            "url_path": .optional(h.urlPath),
            "expected_codes": .optional(h.expectedCodes),
            "http_version": h.httpVersion.map(JSONValue.double) ?? .null,
            "domain_name": .optional(h.domainName),
            "pools": .idList([h.poolID.rawValue]),
            "tags": .strings(h.tags.value),
        ]
    }
}
