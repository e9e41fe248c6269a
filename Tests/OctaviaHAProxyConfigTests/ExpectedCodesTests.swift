import OctaviaHAProxyConfig
import Testing

@Suite struct ExpectedCodesTests {
    @Test(arguments: [
        ("200", [200]),
        ("200-204", [200, 201, 202, 203, 204]),
        ("200, 202", [200, 202]),
        ("200,202", [200, 202]),
        ("202, 200-201, 200", [200, 201, 202]),
        (" 301 - 302 ", [301, 302]),
        ("204-200", []),
        ("abc", []),
        ("", []),
    ])
    func expand(_ text: String, _ codes: [Int]) {
        #expect(ExpectedCodes.expand(text) == codes)
    }

    @Test func haproxyPatternJoinsWithPipe() {
        #expect(ExpectedCodes.haproxyPattern("200-204") == "200|201|202|203|204")
        #expect(ExpectedCodes.haproxyPattern("200, 202") == "200|202")
        #expect(ExpectedCodes.haproxyPattern("418") == "418")
    }

    @Test func haproxyPatternFallsBackTo200() {
        #expect(ExpectedCodes.haproxyPattern(nil) == "200")
        #expect(ExpectedCodes.haproxyPattern("nonsense") == "200")
    }
}
