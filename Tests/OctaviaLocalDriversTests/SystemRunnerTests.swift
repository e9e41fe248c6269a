import Foundation
import OctaviaSystem
import Testing

/// `SystemRunner` against /bin/sh: output, status, input, timeouts and pipes held open by a grandchild.
@Suite struct SystemRunnerTests {
    let runner = SystemRunner()

    @Test func collectsOutputErrorAndStatus() async throws {
        let result = try await runner.run(["sh", "-c", "echo out; echo err >&2; exit 3"])
        #expect(result.status == 3)
        #expect(result.output == "out\n")
        #expect(result.error == "err\n")
        await #expect(throws: CommandError.self) { try await runner.check(["sh", "-c", "exit 3"]) }
    }

    @Test func feedsInput() async throws {
        let text = String(repeating: "line of input\n", count: 20_000)  // more than a pipe buffer
        #expect(try await runner.check(["cat"], input: text).output == text)
        // A command that never reads its input is not a problem either.
        #expect(try await runner.check(["true"], input: text).succeeded)
    }

    @Test func readsLargeOutputWithoutBlocking() async throws {
        let result = try await runner.check(["sh", "-c", "head -c 1000000 /dev/zero; head -c 300000 /dev/zero >&2"])
        #expect(result.output.utf8.count == 1_000_000)
        #expect(result.error.utf8.count == 300_000)
    }

    @Test func killsACommandThatRunsPastItsTimeout() async throws {
        let started = ContinuousClock.now
        let error = await #expect(throws: CommandError.self) {
            try await runner.run(["sh", "-c", "echo before; exec sleep 30"], timeout: .milliseconds(300))
        }
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(error?.timedOut == .milliseconds(300))
        #expect(error?.result.output == "before\n")
        #expect(error?.description.contains("timed out") == true)
    }

    @Test func aGrandchildHoldingThePipeDoesNotBlock() async throws {
        // The shell exits at once; its background `sleep` keeps stdout open.
        let started = ContinuousClock.now
        let result = try await runner.check(["sh", "-c", "sleep 30 & echo $!"], timeout: .seconds(20))
        #expect(ContinuousClock.now - started < .seconds(5))
        let grandchild = try #require(Int32(result.output.trimmingCharacters(in: .whitespacesAndNewlines)))
        ProcessTable.signal(grandchild, SIGKILL)
        #expect(await ProcessTable.waitForExit(grandchild, timeout: .seconds(5)))
    }

    @Test func missingOrEmptyCommandsThrow() async {
        await #expect(throws: CommandError.self) { try await runner.run([]) }
        await #expect(throws: CommandError.self) { try await runner.run(["octavia-no-such-command-\(UUID().uuidString)"]) }
    }
}
