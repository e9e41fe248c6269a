import SQLKit

/// List indexes and the load balancer's extra VIP settings.
///
/// Indexes: collection GETs filter on project and provisioning status and sort by name or by the
/// default (created_at, id); without these every page scanned and sorted the whole table. Each
/// ends in (created_at, id), the tie-breakers every list appends, so a LIMIT stops early.
/// Tables: Octavia's `additional_vip` (one extra address per subnet) and `vip_security_group`; no
/// foreign key, so housekeeping can purge a DELETED load balancer row without knowing them.
enum Migration007 {
    static func apply(_ db: any SQLDatabase) async throws {
        // Leading columns of each index; `name-` is `name DESC`: the default tie-breakers are always
        // ascending, so only an index with the same mixed directions serves `sort=name:desc` without
        // a sort (SQLite then prefers a status index and sorts every matching row).
        let lists: [(table: String, leading: [[String]])] = [
            ("load_balancer", [[], ["project_id"], ["provisioning_status"], ["name"], ["name-"],
                               ["provisioning_status", "name"], ["provisioning_status", "name-"]]),
            ("listener", [[], ["project_id"]]),
            ("pool", [[], ["project_id"]]),
            ("member", [[], ["project_id"]]),
            ("health_monitor", [[], ["project_id"]]),
        ]
        for (table, indexes) in lists {
            for leading in indexes {
                let words = leading.map { $0.hasSuffix("-") ? $0.dropLast() + "_desc" : $0 }
                var create = db.create(index: (["ix", table] + words + ["created"]).joined(separator: "_")).on(table)
                for column in leading {
                    create = column.hasSuffix("-")
                        ? create.column(SQLRaw("\(column.dropLast()) DESC")) : create.column(column)
                }
                try await create.column("created_at").column("id").run()
            }
        }
        try await db.create(table: "additional_vip")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("load_balancer_id", type: .text, .notNull)
            .column("subnet_id", type: .text, .notNull)
            .column("network_id", type: .text)
            .column("port_id", type: .text)
            .column("ip_address", type: .text)
            .run()
        try await db.create(index: "uq_additional_vip_lb_subnet").unique().on("additional_vip")
            .column("load_balancer_id").column("subnet_id").run()
        try await db.create(table: "vip_security_group")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("load_balancer_id", type: .text, .notNull)
            .column("sg_id", type: .text, .notNull)
            .run()
        try await db.create(index: "uq_vip_security_group_lb_sg").unique().on("vip_security_group")
            .column("load_balancer_id").column("sg_id").run()
    }
}
