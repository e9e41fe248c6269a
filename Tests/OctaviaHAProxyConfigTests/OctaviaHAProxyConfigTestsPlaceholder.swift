import Testing
@Test func OctaviaHAProxyConfigTestsBuilds() { #expect(Bool(true)) }
