import Foundation
import OctaviaCore
import Testing

@Suite struct IdentifierTests {
    @Test func parsesAnyCaseIntoLowerCase() throws {
        let upper = try #require(LoadBalancer.ID("0F0E0D0C-0B0A-4908-8706-050403020100"))
        let lower = try #require(LoadBalancer.ID("0f0e0d0c-0b0a-4908-8706-050403020100"))
        #expect(upper == lower)
        #expect(upper.rawValue == "0f0e0d0c-0b0a-4908-8706-050403020100")
        #expect(upper.description == upper.rawValue)
    }

    @Test(arguments: ["", "not-a-uuid", "0f0e0d0c0b0a49088706050403020100", "0f0e0d0c-0b0a-4908-8706-05040302010",
                      "0f0e0d0c-0b0a-4908-8706-0504030201000", " 0f0e0d0c-0b0a-4908-8706-050403020100",
                      "{0f0e0d0c-0b0a-4908-8706-050403020100}", "0g0e0d0c-0b0a-4908-8706-050403020100", "é"])
    func rejectsNonUUIDs(_ text: String) {
        #expect(Pool.ID(text) == nil)
    }

    @Test func generatedIDsAreDistinctAndCanonical() {
        let a = Member.ID.generate(), b = Member.ID.generate()
        #expect(a != b)
        #expect(Member.ID(a.rawValue) == a)
        #expect(a.rawValue == a.rawValue.lowercased())
    }

    @Test func codableRoundTripAsAPlainString() throws {
        let id = try #require(Listener.ID("AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE"))
        let data = try JSONEncoder().encode([id])
        #expect(String(decoding: data, as: UTF8.self) == #"["aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"]"#)
        #expect(try JSONDecoder().decode([Listener.ID].self, from: data) == [id])
        #expect(try JSONDecoder().decode([Listener.ID].self, from: Data(#"["AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE"]"#.utf8)) == [id])
    }

    @Test func decodingANonUUIDFails() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([Listener.ID].self, from: Data(#"["nope"]"#.utf8))
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([Listener.ID].self, from: Data("[5]".utf8))
        }
    }
}
