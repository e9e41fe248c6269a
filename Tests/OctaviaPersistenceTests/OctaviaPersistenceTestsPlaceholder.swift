import Testing
@Test func OctaviaPersistenceTestsBuilds() { #expect(Bool(true)) }
