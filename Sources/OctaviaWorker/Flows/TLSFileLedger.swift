import OctaviaCore

/// The TLS file names each amphora holds for each load balancer, as this worker pushed them: the
/// agent cannot list its certificate directory, so a push removes what it uploaded before and no
/// listener or pool uses any more. Kept in memory: after a worker restart the first push only
/// records, and files from before the restart stay until the load balancer leaves the amphora.
public actor TLSFileLedger {
    struct Key: Hashable, Sendable {
        var amphora: Amphora.ID
        var loadBalancer: LoadBalancer.ID
    }

    private var names: [Key: Set<String>] = [:]

    public init() {}

    func files(on amphora: Amphora.ID, for loadBalancer: LoadBalancer.ID) -> Set<String> {
        names[Key(amphora: amphora, loadBalancer: loadBalancer)] ?? []
    }

    func record(_ files: Set<String>, on amphora: Amphora.ID, for loadBalancer: LoadBalancer.ID) {
        names[Key(amphora: amphora, loadBalancer: loadBalancer)] = files
    }

    /// The load balancer's whole directory left the amphora.
    func forget(_ amphora: Amphora.ID, for loadBalancer: LoadBalancer.ID) {
        names[Key(amphora: amphora, loadBalancer: loadBalancer)] = nil
    }
}
