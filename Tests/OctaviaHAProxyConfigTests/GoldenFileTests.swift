import OctaviaCore
import OctaviaHAProxyConfig
import Testing

/// Rendered configs must match `Golden/<case>.cfg` byte for byte.
/// Regenerate with `OCTAVIA_UPDATE_GOLDEN=1 swift test --skip-build --filter GoldenFileTests`, review the diff.
@Suite struct GoldenFileTests {
    @Test(arguments: GoldenCase.all)
    func renderingMatchesGoldenFile(_ golden: GoldenCase) throws {
        // MUT
        let settings = HAProxyRenderSettings()
        let rendered = HAProxyConfigRenderer.render(golden.graph, settings: settings, tls: golden.tlsPaths(settings))

        // validate
        if GoldenFiles.isUpdating {
            try GoldenFiles.write(rendered, name: golden.name)
            return
        }
        let expected = try #require(
            try GoldenFiles.read(golden.name),
            "Golden/\(golden.name).cfg is missing; run with OCTAVIA_UPDATE_GOLDEN=1 to create it")
        #expect(rendered == expected, "rendering differs from Golden/\(golden.name).cfg:\n\(rendered)")
    }

    @Test func renderingIsDeterministic() {
        for golden in GoldenCase.all {
            var shuffled = golden.graph
            shuffled.listeners.reverse()
            shuffled.pools.reverse()
            shuffled.members.reverse()
            shuffled.healthMonitors.reverse()
            let settings = HAProxyRenderSettings(), tls = golden.tlsPaths(settings)
            #expect(
                HAProxyConfigRenderer.render(shuffled, settings: settings, tls: tls)
                    == HAProxyConfigRenderer.render(golden.graph, settings: settings, tls: tls),
                "input order changed the output of \(golden.name)")
        }
    }

    @Test(.disabled(if: GoldenFiles.isUpdating, "golden files are being rewritten"))
    func everyGoldenFileHasACase() throws {
        let names = try GoldenFiles.bundledNames()
        #expect(names == Set(GoldenCase.all.map(\.name)))
    }
}
