import Hummingbird
import OctaviaAmphoraWire

/// `PUT /1.0/certificate` (Octavia's `certificate_update.upload_server_cert`): housekeeping's
/// certificate rotation sends the agent a new server certificate + key. It is checked, written over
/// `agent_server_cert` and served to new connections; a bad body is a 400 and changes nothing.
func addServerCertificateRoute<Context: RequestContext>(to router: Router<Context>, _ handlers: AgentHandlers) {
    router.put(RouterPath(AgentAPI.Path.serverCertificate)) { request, _ in
        try handlers.serverCertificate.replace(with: try await body(request, limit: handlers.maxBodySize))
        return try AgentReply.json(AgentMessage(message: "OK"), status: .accepted)
    }
}
