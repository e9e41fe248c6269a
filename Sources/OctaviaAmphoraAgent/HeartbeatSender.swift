import Foundation
import Logging
import OctaviaAmphoraWire
import OctaviaSystem
import ServiceLifecycle

/// The amphora's heartbeat (Octavia's health daemon): every interval, reads every running HAProxy's
/// `show stat`, builds one version-3 message, signs it and sends one datagram to the next destination
/// of `controller_ip_port_list` (round-robin). Failures are logged at debug and retried next interval.
public struct HeartbeatSender: Service {
    let settings: HeartbeatSenderSettings
    let basePath: String
    let builder: HeartbeatMessageBuilder
    let logger: Logger

    public init(settings: HeartbeatSenderSettings, amphoraID: String, basePath: String, logger: Logger) {
        self.settings = settings
        self.basePath = basePath
        self.builder = HeartbeatMessageBuilder(amphoraID: amphoraID, basePath: basePath)
        self.logger = logger
    }

    public func run() async throws {
        var sequence: Int64 = 0
        var next = 0
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let started = ContinuousClock.now
            let destination = settings.destinations[next % settings.destinations.count]
            next += 1
            do {
                let datagram = try await makeDatagram(sequence: sequence)
                let code = DatagramSocket.send(datagram, to: destination, unixSource: basePath + "/heartbeat-sender.sock")
                if code != 0 {
                    logger.debug("heartbeat not sent", metadata: ["to": "\(destination)", "errno": "\(code)"])
                }
            } catch {
                logger.debug("heartbeat not built", metadata: ["error": "\(error)"])
            }
            sequence += 1
            // Shutdown must not wait out a whole interval.
            try? await cancelWhenGracefulShutdown {
                try await Task.sleep(until: started + settings.interval, clock: .continuous)
            }
        }
    }

    /// One signed datagram describing every load balancer whose HAProxy answers now.
    public func makeDatagram(sequence: Int64) async throws -> [UInt8] {
        var rows: [HAProxyStatRow] = []
        for socket in statsSockets() {
            // A stats socket left by a stopped HAProxy refuses the connection: that LB is skipped.
            guard let csv = try? await UnixSocketClient(path: socket, timeout: .seconds(2)).send("show stat") else { continue }
            rows += HAProxyStatRow.parse(csv)
        }
        let message = builder.build(rows: rows, sequence: sequence)
        return try HeartbeatEnvelope.wrap(message, key: settings.key)
    }

    /// `<base_path>/<lb_id>.sock` of every load balancer configured here.
    func statsSockets() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: basePath)) ?? []
        return names.sorted().compactMap { name in
            guard name.hasSuffix(".sock"), let id = LoadBalancerID(String(name.dropLast(5))) else { return nil }
            return HAProxyPaths(basePath: basePath, id: id).statsSocket
        }
    }
}
