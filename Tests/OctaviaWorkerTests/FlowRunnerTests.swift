import Logging
@testable import OctaviaWorker
import Testing

/// Records what ran, in order; steps are plain closures so the engine is tested alone.
final class Journal: @unchecked Sendable {
    private var entries: [String] = []
    private let lock = NSLock()
    func add(_ s: String) { lock.withLock { entries.append(s) } }
    var all: [String] { lock.withLock { entries } }
}

import Foundation

struct FlowRunnerTests {
    struct Boom: Error {}

    func step(_ name: String, _ journal: Journal, fail: Bool = false) -> FlowStep<Int> {
        FlowStep(name, execute: { ctx in
            journal.add("do \(name)")
            if fail { throw Boom() }
            ctx += 1
        }, revert: { _ in journal.add("undo \(name)") })
    }

    @Test func runsStepsInOrderAndThreadsTheContext() async throws {
        let journal = Journal()
        let flow = Flow("ok", steps: [step("a", journal), step("b", journal), step("c", journal)])
        let result = try await FlowRunner.run(flow, context: 0, logger: Logger(label: "t"))
        #expect(result == 3)
        #expect(journal.all == ["do a", "do b", "do c"])
    }

    @Test func revertsCompletedStepsAndTheFailedOneInReverseOrder() async throws {
        // setup
        let journal = Journal()
        let flow = Flow("fails", steps: [step("a", journal), step("b", journal), step("c", journal, fail: true), step("d", journal)])
        // MUT
        await #expect(throws: FlowError.self) {
            try await FlowRunner.run(flow, context: 0, logger: Logger(label: "t"))
        }
        // validate
        #expect(journal.all == ["do a", "do b", "do c", "undo c", "undo b", "undo a"])
    }

    @Test func reportsProgressAfterEachStep() async throws {
        let journal = Journal()
        let flow = Flow("ok", steps: [step("a", journal), step("b", journal)])
        try await FlowRunner.run(flow, context: 0, logger: Logger(label: "t")) { n in journal.add("progress \(n)") }
        #expect(journal.all == ["do a", "progress 1", "do b", "progress 2"])
    }
}
