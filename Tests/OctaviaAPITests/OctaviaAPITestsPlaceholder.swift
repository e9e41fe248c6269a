import Testing
@Test func OctaviaAPITestsBuilds() { #expect(Bool(true)) }
