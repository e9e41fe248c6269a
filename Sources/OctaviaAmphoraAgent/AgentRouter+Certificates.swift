import Foundation
import Hummingbird
import OctaviaAmphoraWire

/// `PUT/GET/DELETE /1.0/loadbalancer/{lb_id}/certificates/{filename}`: the controller uploads the
/// certificates, CA bundles, CRLs and crt-lists a config refers to before it pushes the config,
/// and skips files whose MD5 already matches.
func addCertificateRoutes<Context: RequestContext>(to router: Router<Context>, _ handlers: AgentHandlers) {
    let path = "/1.0/loadbalancer/:object_id/certificates/:filename"

    router.put(RouterPath(path)) { request, context in
        let id = try LoadBalancerID.parse(context.parameters.get("object_id"))
        let filename = context.parameters.get("filename") ?? ""
        _ = try handlers.certificates.path(id, filename)
        let bytes = try await body(request, limit: handlers.maxBodySize)
        let etag = try handlers.certificates.store(bytes, id, filename)
        return try AgentReply.json(AgentMessage(message: "OK"), headers: [.eTag: etag])
    }

    router.get(RouterPath(path)) { _, context in
        let id = try LoadBalancerID.parse(context.parameters.get("object_id"))
        let filename = context.parameters.get("filename") ?? ""
        guard let md5 = try handlers.certificates.md5(id, filename) else {
            throw AgentError(.notFound, "Certificate Not Found", details: "No certificate with filename: \(filename)")
        }
        return try AgentReply.json(CertificateMD5(md5sum: md5))
    }

    router.delete(RouterPath(path)) { _, context in
        let id = try LoadBalancerID.parse(context.parameters.get("object_id"))
        try handlers.certificates.remove(id, context.parameters.get("filename") ?? "")
        return try AgentReply.json(AgentMessage(message: "OK"))
    }
}
