import Foundation
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// Receives heartbeat datagrams on UDP `bind_ip:bind_port` and, for local amphorae, on a Unix
/// datagram socket; both carry the same bytes. Each read burst is handed to the
/// ``HeartbeatProcessor`` as one batch.
public struct HeartbeatListener: Service {
    let processor: HeartbeatProcessor
    let configuration: HealthManagerConfiguration
    let logger: Logger
    let group: any EventLoopGroup
    /// Reports the bound UDP port (useful with port 0 in tests).
    let onBound: (@Sendable (Int) -> Void)?

    public init(processor: HeartbeatProcessor, configuration: HealthManagerConfiguration, logger: Logger,
                group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, onBound: (@Sendable (Int) -> Void)? = nil) {
        self.processor = processor; self.configuration = configuration; self.logger = logger
        self.group = group; self.onBound = onBound
    }

    public func run() async throws {
        var channels: [any Channel] = []
        do {
            let udp = try await bootstrap(vectorReads: true).bind(host: configuration.bindIP, port: configuration.bindPort).get()
            channels.append(udp)
            let port = udp.localAddress?.port ?? configuration.bindPort
            onBound?(port)
            logger.info("heartbeat listener bound", metadata: ["address": "\(configuration.bindIP):\(port)"])
            if let path = configuration.unixSocketPath {
                try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                        withIntermediateDirectories: true)
                let unix = try await bootstrap(vectorReads: false).bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true).get()
                channels.append(unix)
                logger.info("heartbeat listener bound", metadata: ["socket": "\(path)"])
            }
        } catch {
            for channel in channels { try? await channel.close() }
            throw HealthManagerError("cannot bind the heartbeat listener: \(error)")
        }
        try? await gracefulShutdown()
        for channel in channels { try? await channel.close() }
        if let path = configuration.unixSocketPath { try? FileManager.default.removeItem(atPath: path) }
    }

    static let vectorReadCount = 16

    /// - Parameter vectorReads: recvmmsg batches (UDP); the Unix socket keeps plain reads.
    private func bootstrap(vectorReads: Bool) -> DatagramBootstrap {
        let processor = processor, configuration = configuration, logger = logger
        let count = vectorReads ? Self.vectorReadCount : 1
        return DatagramBootstrap(group: group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.socketOption(.so_rcvbuf), value: 8 * 1024 * 1024)
            // recvmmsg: up to 16 datagrams per system call. Each gets an equal slice of the receive
            // buffer: one byte over Octavia's 64 KiB read limit, so an oversized datagram is seen
            // (and refused) as such.
            .channelOption(.datagramVectorReadMessageCount, value: count)
            .channelOption(.maxMessagesPerRead, value: 8)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: count * (64 * 1024 + 1)))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(HeartbeatBatchingHandler(
                        processor: processor, flushInterval: configuration.flushInterval, maxBatch: configuration.maxBatch,
                        logger: logger))
                }
            }
    }
}

/// Gathers datagrams on the channel's event loop (no locks) and hands them over at the end of each
/// read burst, when the batch is full, or at the latest after the flush interval.
final class HeartbeatBatchingHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    let processor: HeartbeatProcessor
    let logger: Logger
    let flushInterval: TimeAmount
    let maxBatch: Int
    private var pending: [HeartbeatProcessor.Datagram] = []
    private var scheduled: Scheduled<Void>?

    init(processor: HeartbeatProcessor, flushInterval: Duration, maxBatch: Int, logger: Logger) {
        self.processor = processor
        self.logger = logger
        self.flushInterval = .nanoseconds(Int64(flushInterval.seconds * 1e9))
        self.maxBatch = maxBatch
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data).data
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        pending.append(.init(bytes: bytes, receivedAt: Date()))
        if pending.count >= maxBatch {
            flush()
        } else if scheduled == nil {
            let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
            scheduled = context.eventLoop.scheduleTask(in: flushInterval) { loopBound.value.flush() }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flush()
        context.fireChannelReadComplete()
    }

    /// A read error (for example an unnamed Unix sender NIO cannot describe) must not close the channel.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("heartbeat socket read error", metadata: ["error": "\(error)"])
    }

    func channelInactive(context: ChannelHandlerContext) {
        flush()
        context.fireChannelInactive()
    }

    private func flush() {
        scheduled?.cancel()
        scheduled = nil
        guard !pending.isEmpty else { return }
        processor.submit(pending)
        pending = []
    }
}

extension HeartbeatListener: CustomStringConvertible {
    public var description: String { "HeartbeatListener(\(configuration))" }
}
