import Foundation
import Hummingbird
import HummingbirdTesting
import Metrics
@testable import OctaviaMetrics
import Prometheus
import Testing

/// The registry, the flow counters and the `/metrics` endpoint. A private registry and factory
/// per test: swift-metrics' global bootstrap is left to the daemons.
@Suite struct MetricsTests {
    @Test func flowAndFailoverCountersReachTheScrape() async throws {
        let registry = PrometheusCollectorRegistry()
        let metrics = FlowMetrics(factory: PrometheusMetricsFactory(registry: registry))
        metrics.started(flow: "failover_amphora", isFailover: true)
        metrics.finished(flow: "failover_amphora", isFailover: true, duration: .milliseconds(1500), outcome: .succeeded)
        metrics.started(flow: "failover_load_balancer", isFailover: true)
        metrics.finished(flow: "failover_load_balancer", isFailover: true, duration: .seconds(3), outcome: .failed)
        metrics.started(flow: "create_load_balancer", isFailover: false)
        metrics.finished(flow: "create_load_balancer", isFailover: false, duration: .seconds(2), outcome: .succeeded)

        let router = MetricsEndpoint.router(registry: registry)
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                let text = String(buffer: response.body)
                #expect(text.contains(#"octavia_failovers_started_total{flow="failover_amphora"} 1"#))
                #expect(text.contains(#"octavia_failovers_succeeded_total{flow="failover_amphora"} 1"#))
                #expect(text.contains(#"octavia_failovers_failed_total{flow="failover_load_balancer"} 1"#))
                #expect(!text.contains(#"octavia_failovers_started_total{flow="create_load_balancer"}"#))
                #expect(text.contains(#"octavia_flows_finished_total{flow="create_load_balancer",outcome="succeeded"} 1"#)
                    || text.contains(#"octavia_flows_finished_total{outcome="succeeded",flow="create_load_balancer"} 1"#))
                #expect(text.contains("octavia_flow_duration_seconds_count"))
            }
        }
    }

    /// The API's request metrics come from Hummingbird's MetricsMiddleware with dotted names and
    /// labels; the registry turns them into valid Prometheus names (the e2e test scrapes the real ones).
    @Test func dottedRequestMetricNamesAreSanitised() async throws {
        let registry = PrometheusCollectorRegistry()
        let factory = PrometheusMetricsFactory(registry: registry)
        Counter(label: "hb.requests", dimensions: [("http.route", "/v2/lbaas/loadbalancers"), ("http.request.method", "GET"),
                                                   ("http.response.status_code", "200")], factory: factory).increment()
        let text = String(decoding: registry.emitToBuffer(), as: UTF8.self)
        #expect(text.contains("hb_requests"))
        #expect(text.contains(#"http_route="/v2/lbaas/loadbalancers""#))
    }
}
