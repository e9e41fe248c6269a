import Foundation
import Logging
import OctaviaCore
import OctaviaNoopDrivers
import OctaviaPersistence
@testable import OctaviaWorker
import Testing

/// TLS references are resolved before a config push: files named as Octavia names them are
/// uploaded (skipped when the amphora's MD5 matches), and a reference that no longer resolves
/// fails the change like any other config failure.
struct TLSWorkerTests {
    let project = ProjectID("p")
    let subnet = Subnet(id: "11111111-1111-1111-1111-111111111111", name: "s", networkID: "22222222-2222-2222-2222-222222222222",
                        cidr: "10.9.0.0/24", gatewayIP: "10.9.0.1")

    /// Knows three references: two certificates and one secret.
    struct FixedManager: CertificateManager {
        static let defaultRef = "0d6f3c44-0000-4000-8000-000000000001"
        static let sniRef = "https://barbican.example/v1/containers/0d6f3c44-0000-4000-8000-000000000002"
        static let caRef = "0d6f3c44-0000-4000-8000-000000000003"
        static let caPEM = "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n"

        func certificate(_ reference: String, project: ProjectID) async throws -> TLSCertificateBundle {
            guard [Self.defaultRef, Self.sniRef].contains(reference) else { throw CertificateManagerError.notFound(reference: reference) }
            return TLSCertificateBundle(reference: reference, certificatePEM: "CERT \(reference)", privateKeyPEM: "KEY",
                                        intermediatesPEM: ["INT"])
        }

        func secret(_ reference: String, project: ProjectID) async throws -> String {
            guard reference == Self.caRef else { throw CertificateManagerError.notFound(reference: reference) }
            return Self.caPEM
        }
    }

    func activeLoadBalancer(_ rig: WorkerRig) async throws -> LoadBalancer {
        let lb = LoadBalancer(projectID: project, vipAddress: "10.9.0.50", vipNetworkID: subnet.networkID, vipSubnetID: subnet.id)
        try await rig.store.write { tx in
            try await tx.insert(lb)
            try await tx.enqueue(.createLoadBalancer(lb.id))
        }
        try await rig.runOneJob()
        return lb
    }

    func createListener(_ rig: WorkerRig, _ lb: LoadBalancer, _ listener: Listener, pool: Pool? = nil) async throws {
        try await rig.store.write { tx in
            _ = try await tx.testAndSetStatus(lb.id, expected: [.active], new: .pendingUpdate)
            if let pool { try await tx.insert(pool) }
            try await tx.insert(listener)
            try await tx.enqueue(.changeObject(lb.id, .listener(listener.id), .create))
        }
        try await rig.runOneJob()
    }

    @Test func terminatedListenerUploadsNamedFilesOnceAndRendersThem() async throws {
        try await WorkerRig.with(subnets: [subnet], certificateManager: FixedManager()) { rig in
            // setup
            let lb = try await activeLoadBalancer(rig)
            var pool = Pool(projectID: project, loadBalancerID: lb.id, provisioningStatus: .active, protocol: .http,
                            lbAlgorithm: .roundRobin)
            pool.tlsEnabled = true
            pool.caTLSContainerRef = FixedManager.caRef
            var listener = Listener(projectID: project, loadBalancerID: lb.id, protocol: .terminatedHTTPS, protocolPort: 443,
                                    defaultPoolID: pool.id)
            listener.defaultTLSContainerRef = FixedManager.defaultRef
            listener.sniContainerRefs = JSONColumn([FixedManager.sniRef])
            listener.clientCATLSContainerRef = FixedManager.caRef
            listener.clientAuthentication = .mandatory

            // MUT
            try await createListener(rig, lb, listener, pool: pool)

            // validate: names, contents, crt-list order, rendered paths
            #expect(try await rig.store.reader.fetch(Listener.self, id: listener.id)?.provisioningStatus == .active)
            let files = await rig.amphora.certificateFiles[lb.id] ?? [:]
            let sniName = FileDigest.sha1Hex(FixedManager.sniRef) + ".pem"
            let caName = FileDigest.sha1Hex(FixedManager.caPEM) + ".pem"
            #expect(Set(files.keys) == ["\(FixedManager.defaultRef).pem", sniName, caName, "\(listener.id).pem"])
            #expect(files["\(FixedManager.defaultRef).pem"] == "CERT \(FixedManager.defaultRef)\nINT\nKEY\n")
            let directory = "/var/lib/octavia/certs/\(lb.id)"
            #expect(files["\(listener.id).pem"] == "\(directory)/\(FixedManager.defaultRef).pem\n\(directory)/\(sniName)\n")
            let config = try #require(await rig.amphora.configs[lb.id])
            #expect(config.contains("bind 10.9.0.50:443 ssl crt-list \(directory)/\(listener.id).pem ca-file \(directory)/\(caName) verify required"))

            // MUT: another push with unchanged files uploads nothing
            let uploadsBefore = await rig.amphora.calls.filter { $0.hasPrefix("uploadCertificateFile") }.count
            try await rig.store.write { tx in
                _ = try await tx.testAndSetStatus(lb.id, expected: [.active], new: .pendingUpdate)
                try await tx.enqueue(.updateLoadBalancer(lb.id))
            }
            try await rig.runOneJob()
            let uploadsAfter = await rig.amphora.calls.filter { $0.hasPrefix("uploadCertificateFile") }.count
            #expect(uploadsBefore == 4)
            #expect(uploadsAfter == uploadsBefore)
        }
    }

    /// Files the listener no longer names leave the amphora after the push that drops them.
    @Test func filesNoLongerUsedAreDeletedAfterThePush() async throws {
        try await WorkerRig.with(subnets: [subnet], certificateManager: FixedManager()) { rig in
            // setup: a listener with default + SNI certificates and a client CA
            let lb = try await activeLoadBalancer(rig)
            var listener = Listener(projectID: project, loadBalancerID: lb.id, protocol: .terminatedHTTPS, protocolPort: 443)
            listener.defaultTLSContainerRef = FixedManager.defaultRef
            listener.sniContainerRefs = JSONColumn([FixedManager.sniRef])
            listener.clientCATLSContainerRef = FixedManager.caRef
            listener.clientAuthentication = .optional
            try await createListener(rig, lb, listener)
            let sniName = FileDigest.sha1Hex(FixedManager.sniRef) + ".pem"
            let caName = FileDigest.sha1Hex(FixedManager.caPEM) + ".pem"
            let defaultName = "\(FixedManager.defaultRef).pem", crtList = "\(listener.id).pem"
            #expect(Set((await rig.amphora.certificateFiles[lb.id] ?? [:]).keys) == [defaultName, sniName, caName, crtList])

            // MUT: the SNI certificate and the client CA are dropped
            var changed = try #require(try await rig.store.reader.fetch(Listener.self, id: listener.id))
            changed.sniContainerRefs = JSONColumn([])
            changed.clientCATLSContainerRef = nil
            changed.clientAuthentication = .none
            changed.provisioningStatus = .pendingUpdate
            let update = changed
            try await rig.store.write { tx in
                _ = try await tx.testAndSetStatus(lb.id, expected: [.active], new: .pendingUpdate)
                try await tx.update(update)
                try await tx.enqueue(.changeObject(lb.id, .listener(update.id), .update))
            }
            try await rig.runOneJob()

            // validate: only the files the new config names remain, deleted after the config went out
            #expect(Set((await rig.amphora.certificateFiles[lb.id] ?? [:]).keys) == [defaultName, crtList])
            let calls = await rig.amphora.calls
            let lastApply = try #require(calls.lastIndex { $0.hasPrefix("applyHAProxyConfig") })
            let deletes = calls.indices.filter { calls[$0].hasPrefix("deleteCertificateFile") }
            #expect(deletes.count == 2)
            #expect(deletes.allSatisfy { $0 > lastApply })
            let config = try #require(await rig.amphora.configs[lb.id])
            #expect(!config.contains(sniName) && !config.contains(caName))

            // MUT: a push that changes nothing deletes nothing more
            try await rig.store.write { tx in
                _ = try await tx.testAndSetStatus(lb.id, expected: [.active], new: .pendingUpdate)
                try await tx.enqueue(.updateLoadBalancer(lb.id))
            }
            try await rig.runOneJob()
            #expect(await rig.amphora.calls.filter { $0.hasPrefix("deleteCertificateFile") }.count == 2)
        }
    }

    @Test func missingReferenceFailsTheChange() async throws {
        try await WorkerRig.with(subnets: [subnet], certificateManager: FixedManager()) { rig in
            let lb = try await activeLoadBalancer(rig)
            var listener = Listener(projectID: project, loadBalancerID: lb.id, protocol: .terminatedHTTPS, protocolPort: 443)
            listener.defaultTLSContainerRef = "0d6f3c44-0000-4000-8000-00000000dead"

            try await createListener(rig, lb, listener)

            #expect(try await rig.store.reader.fetch(Listener.self, id: listener.id)?.provisioningStatus == .error)
            #expect(try await rig.store.reader.fetch(LoadBalancer.self, id: lb.id)?.provisioningStatus == .active)
            #expect(await rig.amphora.calls.filter { $0.hasPrefix("uploadCertificateFile") }.isEmpty)
        }
    }
}
