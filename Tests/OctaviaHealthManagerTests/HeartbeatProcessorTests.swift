import Foundation
import Logging
import NIOCore
import NIOPosix
import OctaviaAmphoraWire
import OctaviaCore
import OctaviaPersistence
import Testing
@testable import OctaviaHealthManager

@Suite("Heartbeat processing")
struct HeartbeatProcessorTests {
    @Test func memberDownThenUpDrivesStatusesAndLiveness() async throws {
        try await HealthFixture.run { f in
            let processor = f.processor()
            await processor.process([try f.datagram(f.message(members: [.up, .down]))])
            var view = try await f.view()
            #expect(view.pools[0].operatingStatus == .degraded)
            #expect(view.operatingStatus == .degraded)
            #expect(view.pools[0].members.first { $0.id == f.members[1].id }?.operatingStatus == .error)
            let health = try #require(try await f.store.amphoraHealth(f.amphora.id))
            #expect(!health.busy)

            await processor.process([try f.datagram(f.message())])
            view = try await f.view()
            #expect(view.pools[0].operatingStatus == .online)
            #expect(view.operatingStatus == .online)
            #expect(view.pools[0].members.allSatisfy { $0.operatingStatus == .online })
        }
    }

    @Test func statisticsAddDeltasAndReplaceActiveConnections() async throws {
        try await HealthFixture.run { f in
            let processor = f.processor()
            await processor.process([try f.datagram(f.message(stats: .init(tx: 100, rx: 10, conns: 3, totconns: 5, ereq: 1)))])
            await processor.process([
                try f.datagram(f.message(stats: .init(tx: 50, rx: 5, conns: 7, totconns: 2, ereq: 0), sequence: 1)),
                try f.datagram(f.message(stats: .init(tx: 1, rx: 1, conns: 2, totconns: 1, ereq: 1), sequence: 2)),
            ])
            let rowID = ListenerStatistics.rowID(listener: f.listener.id, amphora: f.amphora.id.rawValue)
            let row = try #require(try await f.store.reader.fetch(ListenerStatistics.self, id: rowID))
            #expect(row.bytesOut == 151)
            #expect(row.bytesIn == 16)
            #expect(row.totalConnections == 8)
            #expect(row.requestErrors == 2)
            #expect(row.activeConnections == 2)

            // A version-2 message carries absolute counters: they replace.
            var absolute = f.message(stats: .init(tx: 9, rx: 8, conns: 1, totconns: 7, ereq: 0))
            absolute.version = 2
            await processor.process([try f.datagram(absolute)])
            let replaced = try #require(try await f.store.reader.fetch(ListenerStatistics.self, id: rowID))
            #expect(replaced.bytesOut == 9 && replaced.bytesIn == 8 && replaced.totalConnections == 7)
        }
    }

    @Test func badDatagramsAreCountedAndChangeNothing() async throws {
        try await HealthFixture.run { f in
            let reports = ReportSink()
            let processor = HeartbeatProcessor(store: f.store, configuration: HealthFixture.configuration(),
                                               logger: Logger(label: "test"), observer: { reports.add($0) })
            let down = f.message(members: [.down, .down], poolStatus: .down)
            let valid = try HeartbeatEnvelope.wrap(down, key: HealthFixture.key)
            let unknown = HeartbeatMessage(amphoraID: Amphora.ID.generate().rawValue, sequence: 0)
            await processor.process([
                try f.datagram(down, key: "forged-key"),
                .init(bytes: Array(valid.dropLast(10))),
                .init(bytes: Array(valid.dropFirst(3))),
                .init(bytes: [UInt8](repeating: 0x41, count: 64 * 1024 + 1)),
                .init(bytes: Array("not a heartbeat at all, just some garbage bytes that are long enough".utf8)),
                .init(bytes: []),
                try f.datagram(unknown),
            ])
            let report = try #require(reports.all.last)
            #expect(report.accepted == 0)
            #expect(report.rejected[.invalidHMAC] == 4)
            #expect(report.rejected[.oversized] == 1)
            #expect(report.rejected[.empty] == 1)
            #expect(report.rejected[.unknownAmphora] == 1)
            let view = try await f.view()
            #expect(view.operatingStatus == .online)
            #expect(view.pools[0].operatingStatus == .online)
            #expect(try await f.store.amphoraHealth(f.amphora.id) == nil)
        }
    }

    @Test func missingListenerDoesNotRefreshLiveness() async throws {
        try await HealthFixture.run { f in
            var message = f.message()
            message.listeners = [:]
            await f.processor().process([try f.datagram(message)])
            #expect(try await f.store.amphoraHealth(f.amphora.id) == nil)
            #expect(try await f.view().listeners[0].operatingStatus == .error)
        }
    }

    @Test func listenerReceivesRealUDPDatagrams() async throws {
        try await HealthFixture.run { f in
            let configuration = HealthFixture.configuration()
            let processor = f.processor(configuration: configuration)
            let port = BoundPort()
            let listener = HeartbeatListener(processor: processor, configuration: configuration, logger: Logger(label: "test"),
                                             onBound: { port.set($0) })
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await processor.run() }
                group.addTask { try await listener.run() }
                let bound = try await port.wait()
                let client = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .bind(host: "127.0.0.1", port: 0).get()
                let target = try SocketAddress(ipAddress: "127.0.0.1", port: bound)
                let bytes = try HeartbeatEnvelope.wrap(f.message(members: [.up, .down]), key: HealthFixture.key)
                try await client.writeAndFlush(AddressedEnvelope(remoteAddress: target, data: ByteBuffer(bytes: bytes))).get()
                var degraded = false
                for _ in 0..<100 where !degraded {
                    try await Task.sleep(for: .milliseconds(50))
                    degraded = try await f.view().pools[0].operatingStatus == .degraded
                }
                #expect(degraded)
                try await client.close()
                group.cancelAll()
                processor.finish()
            }
        }
    }
}

/// Collects batch reports from the processor's observer.
final class ReportSink: @unchecked Sendable {
    private let lock = NSLock()
    private var reports: [HeartbeatProcessor.BatchReport] = []
    func add(_ report: HeartbeatProcessor.BatchReport) { lock.withLock { reports.append(report) } }
    var all: [HeartbeatProcessor.BatchReport] { lock.withLock { reports } }
}
