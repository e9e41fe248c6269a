import Metrics
import Prometheus

/// Prometheus metrics shared by every daemon: one registry per process, behind swift-metrics, so
/// libraries that only know swift-metrics (Hummingbird's `MetricsMiddleware`, the health manager)
/// record into it.
public enum OctaviaMetrics {
    /// Makes a registry and installs it as the process's swift-metrics backend. Call once, at
    /// start-up, before any metric is created (swift-metrics allows one bootstrap per process).
    public static func bootstrap() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }
}
