import Foundation
import Testing

@testable import OctaviaConfig

/// etc/octavia.conf.sample is generated from the option declarations and must not drift from them.
@Suite struct SampleConfigTests {
    /// Repository root, found from this file: Tests/OctaviaConfigTests/SampleConfigTests.swift.
    static let samplePath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("etc/octavia.conf.sample").path

    @Test func sampleParsesToDefaults() throws {
        let settings = try OctaviaSettings.parse(OctaviaSettings.sampleConfig(), path: "octavia.conf.sample")
        #expect(settings == OctaviaSettings())
    }

    @Test func uncommentedSampleParsesToDefaults() throws {
        // Uncommenting every option line (not the example network) must still give the defaults, except
        // the host whose default is machine-specific and the options shown as <None>.
        let text = OctaviaSettings.sampleConfig().split(separator: "\n", omittingEmptySubsequences: false)
            .prefix { !$0.hasPrefix("# [local_network:") }
            .map { line -> String in
                guard line.hasPrefix("#"), !line.hasPrefix("# "), line.contains(" ="),
                      !line.contains("<None>"), !line.hasPrefix("#host ")
                else { return String(line) }
                return String(line.dropFirst())
            }
            .joined(separator: "\n")
        let settings = try OctaviaSettings.parse(text, path: "uncommented.conf")
        #expect(settings == OctaviaSettings())
    }

    @Test func everyOptionIsInTheSample() {
        let sample = OctaviaSettings.sampleConfig()
        for section in OctaviaSettings.sections {
            #expect(sample.contains("\n[\(section.sectionName)]\n"))
            for option in section.options {
                #expect(sample.contains("\n#\(option.name) ="), "[\(section.sectionName)] \(option.name)")
            }
        }
        for option in LocalNetworkSettings.options {
            #expect(sample.contains("\n#\(option.name) ="))
        }
    }

    @Test func checkedInSampleMatchesGenerated() throws {
        let generated = OctaviaSettings.sampleConfig()
        if ProcessInfo.processInfo.environment["OCTAVIA_UPDATE_SAMPLE"] == "1" {
            try generated.write(toFile: Self.samplePath, atomically: true, encoding: .utf8)
        }
        let checkedIn = try String(contentsOfFile: Self.samplePath, encoding: .utf8)
        #expect(checkedIn == generated, "etc/octavia.conf.sample is stale: run OCTAVIA_UPDATE_SAMPLE=1 swift test --filter OctaviaConfigTests")
    }
}
