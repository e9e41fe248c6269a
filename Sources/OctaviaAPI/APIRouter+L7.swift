/// L7 policies and rules: `/l7policies`, `/l7policies/{id}/rules`.
func registerL7Routes(_ routes: RouteTable, api: APIContext, bases: [String]) {
    let policies = L7PolicyController(api: api)
    let rules = L7RuleController(api: api)
    for base in bases {
        routes.add("\(base)/l7policies", [
            .get: { request, _ in try await policies.list(request) },
            .post: { request, _ in try await policies.create(request) },
        ])
        routes.add("\(base)/l7policies/:id", [
            .get: { request, context in try await policies.show(request, id: context.id) },
            .put: { request, context in try await policies.update(request, id: context.id) },
            .delete: { request, context in try await policies.delete(request, id: context.id) },
        ])
        routes.add("\(base)/l7policies/:id/rules", [
            .get: { request, context in try await rules.list(request, policyID: context.id) },
            .post: { request, context in try await rules.create(request, policyID: context.id) },
        ])
        routes.add("\(base)/l7policies/:id/rules/:rule_id", [
            .get: { request, context in try await rules.show(request, policyID: context.id, id: context.ruleID) },
            .put: { request, context in try await rules.update(request, policyID: context.id, id: context.ruleID) },
            .delete: { request, context in try await rules.delete(request, policyID: context.id, id: context.ruleID) },
        ])
    }
}

extension APIRequestContext {
    var ruleID: String { parameters.get("rule_id") ?? "" }
}
