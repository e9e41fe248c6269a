import Testing
@testable import OctaviaHealthManager
