import Testing
@Test func OctaviaAmphoraTestsBuilds() { #expect(Bool(true)) }
