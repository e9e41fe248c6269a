import Testing
@Test func OctaviaWorkerTestsBuilds() { #expect(Bool(true)) }
