import Testing
@testable import OctaviaAuth
