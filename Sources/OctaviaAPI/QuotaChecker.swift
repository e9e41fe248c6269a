import OctaviaCore

/// Octavia's `check_quota_met`, called inside a create transaction.
///
/// Counts the project's non-DELETED objects in SQL instead of keeping `in_use_*` counters:
/// the store has a single writer, so a count taken inside the write transaction cannot race
/// with another create (two parallel creates against a quota of 1 → exactly one succeeds).
///
/// Octavia skips the check under `auth_strategy = noauth` (everyone is admin); here that is
/// ``APIOptions/enforceQuotas`` (false by default).
struct QuotaChecker: Sendable {
    let enforce: Bool
    let defaults: QuotaLimits

    init(options: APIOptions) {
        enforce = options.enforceQuotas
        defaults = options.quotaDefaults
    }

    /// Throws 403 `Quota has been met for resources: <Name>` when adding `count` objects of
    /// `type` (a table with `project_id` and `provisioning_status` columns) would exceed the
    /// project's limit for `resource`.
    ///
    /// - Parameters:
    ///   - resource: which limit applies.
    ///   - type: the stored type counted.
    ///   - project: the project the new objects belong to.
    ///   - count: how many objects the request adds (fully-populated and batch creates add several).
    ///   - tx: the create's transaction.
    func check<T: StoredObject>(_ resource: QuotaResource, _ type: T.Type, project: ProjectID, adding count: Int = 1,
                                in tx: any StoreWriting) async throws {
        guard enforce, count > 0 else { return }
        // As Octavia's `ensure_project_exists`: the first check creates the project's row.
        let row: Quota
        if let existing = try await tx.fetch(Quota.self, id: project.rawValue) {
            row = existing
        } else {
            row = Quota(projectID: project)
            try await tx.insert(row)
        }
        let limit = row.limits[resource] ?? defaults[resource] ?? -1
        guard limit != -1 else { return }
        let byProject: [(column: String, value: StoredValue)] = [("project_id", .string(project.rawValue))]
        let all = try await tx.count(T.self, ListQuery(filters: byProject))
        let deleted = try await tx.count(
            T.self, ListQuery(filters: byProject + [("provisioning_status", .string(ProvisioningStatus.deleted.rawValue))]))
        if all - deleted + count > limit {
            throw OctaviaError(.forbidden, "Quota has been met for resources: \(resource.displayName)")
        }
    }
}

extension APIContext {
    /// The quota check for create transactions.
    var quotas: QuotaChecker { QuotaChecker(options: options) }
}
