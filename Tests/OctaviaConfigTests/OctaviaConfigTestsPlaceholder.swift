import Testing
@Test func OctaviaConfigTestsBuilds() { #expect(Bool(true)) }
