import OctaviaCore
@testable import OctaviaHAProxyConfig
import Testing

/// Rules that golden files show only implicitly.
@Suite struct RendererRulesTests {
    private func lines(_ graph: LoadBalancerGraph, _ settings: HAProxyRenderSettings = .init()) -> [String] {
        HAProxyConfigRenderer.render(graph, settings: settings).split(separator: "\n").map {
            $0.trimmingPrefix("    ").description
        }
    }

    private func twoListeners(limits: (Int, Int)) -> LoadBalancerGraph {
        var b = GraphBuilder(loadBalancer: 20)
        b.listener(1, .tcp, port: 80) { $0.connectionLimit = limits.0 }
        b.listener(2, .tcp, port: 81) { $0.connectionLimit = limits.1 }
        return b.graph
    }

    @Test func globalMaxconnIsTheSumOfListenerLimits() {
        #expect(lines(twoListeners(limits: (100, 250))).contains("maxconn 350"))
        // -1 and 0 both mean the default limit.
        #expect(lines(twoListeners(limits: (-1, 0))).contains("maxconn 100000"))
    }

    @Test func globalMaxconnIsCappedByTheOperatorMaximum() {
        let settings = HAProxyRenderSettings(maximumGlobalConnections: 8000)
        let rendered = lines(twoListeners(limits: (-1, -1)), settings)
        #expect(rendered.contains("maxconn 8000"))
        // Frontend limits are not capped; the global limit bounds them anyway.
        #expect(rendered.filter { $0 == "maxconn 50000" }.count == 2)
    }

    @Test func globalMaxconnOutOfRangeBecomesOctaviaMaximum() {
        #expect(lines(twoListeners(limits: (600_000, 600_000))).contains("maxconn 1000000"))
        #expect(lines(GraphBuilder(loadBalancer: 21).graph).contains("maxconn 1000000"))
    }

    @Test func pathsFollowBasePath() {
        let settings = HAProxyRenderSettings(basePath: "/run/amp")
        let id = GraphBuilder(loadBalancer: 22).loadBalancerID
        let rendered = lines(GraphBuilder(loadBalancer: 22).graph, settings)
        #expect(rendered.contains("stats socket /run/amp/\(id).sock mode 0600 level admin expose-fd listeners"))
        #expect(rendered.contains("server-state-file /run/amp/\(id)/servers-state"))
        #expect(settings.serverStateFilePath(for: id) == "/run/amp/\(id)/servers-state")
    }

    @Test func noOctaviaDaemonOrLogLines() {
        let text = HAProxyConfigRenderer.render(GoldenCase.httpRoundRobin.graph, settings: .init())
        for forbidden in ["daemon", "user ", "group ", "log ", "log-format"] {
            #expect(!text.split(separator: "\n").contains { $0.trimmingPrefix("    ").hasPrefix(forbidden) })
        }
    }

    @Test func missingVIPRendersNoProxies() {
        var b = GraphBuilder(loadBalancer: 23, vip: nil)
        b.listener(1, .tcp, port: 80)
        #expect(!lines(b.graph).contains { $0.hasPrefix("frontend") })
    }

    @Test func stickTableSizeComesFromSettings() {
        let settings = HAProxyRenderSettings(stickTableSize: "100k")
        #expect(lines(GoldenCase.sourceIPPersistence.graph, settings).contains("stick-table type ipv6 size 100k"))
    }

    @Test(arguments: [(1.0, "1.0"), (1.1, "1.1")])
    func httpVersionText(_ version: Double, _ text: String) {
        #expect(HAProxyConfigRenderer.httpVersionText(version) == text)
    }
}
