import Testing
@Test func OctaviaCoreTestsBuilds() { #expect(Bool(true)) }
