#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Process resource limits that children (HAProxy) inherit.
public enum ResourceLimits {
    /// Raises the soft RLIMIT_NOFILE to the hard limit so HAProxy can honour a large `maxconn`
    /// (it needs about 2 descriptors per connection). Returns the new soft limit.
    @discardableResult
    public static func raiseOpenFilesToHardLimit() -> UInt64 {
        var limit = rlimit()
        #if canImport(Glibc)
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        #else
        let resource = RLIMIT_NOFILE
        #endif
        guard getrlimit(resource, &limit) == 0 else { return 0 }
        if limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            _ = setrlimit(resource, &limit)
        }
        return UInt64(limit.rlim_cur)
    }
}
