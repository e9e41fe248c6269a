/// L7 policies and rules: `/l7policies`, `/l7policies/{id}/rules`.
func registerL7Routes(_ routes: RouteTable, api: APIContext, bases: [String]) {
}
