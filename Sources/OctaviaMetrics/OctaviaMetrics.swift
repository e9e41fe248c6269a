/// Prometheus metrics shared by every daemon.
public enum OctaviaMetrics {}
