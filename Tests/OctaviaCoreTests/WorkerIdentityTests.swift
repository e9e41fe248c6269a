import OctaviaCore
import Testing

@Suite struct WorkerIdentityTests {
    @Test(arguments: [WorkerIdentity(host: "node-1", pid: 4242, startedAt: 1_700_000_000_123),
                      WorkerIdentity(host: "h", pid: 0, startedAt: 0),
                      WorkerIdentity(host: "host.example.org", pid: .max, startedAt: .max)])
    func stringRoundTrip(_ identity: WorkerIdentity) {
        #expect(WorkerIdentity(string: identity.description) == identity)
    }

    @Test func textForm() {
        #expect(WorkerIdentity(host: "node-1", pid: 7, startedAt: 99).description == "node-1/7/99")
    }

    @Test func malformedTextNeverTraps() {
        #expect(WorkerIdentity(string: "") == WorkerIdentity(host: "", pid: 0, startedAt: 0))
        #expect(WorkerIdentity(string: "node") == WorkerIdentity(host: "node", pid: 0, startedAt: 0))
        #expect(WorkerIdentity(string: "node/x/y") == WorkerIdentity(host: "node", pid: 0, startedAt: 0))
        #expect(WorkerIdentity(string: "node/99999999999/1") == WorkerIdentity(host: "node", pid: 0, startedAt: 1))
    }
}
