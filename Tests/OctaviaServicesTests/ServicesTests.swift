import Testing
@testable import OctaviaMetrics
@testable import OctaviaDriverAgent
