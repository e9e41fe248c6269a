import Logging

/// At most one warning per reason per `period`, carrying how many were suppressed since: a flood of
/// forged datagrams must not flood the log too.
struct RateLimitedWarnings: Sendable {
    let period: Duration
    private var last: [String: ContinuousClock.Instant] = [:]
    private var suppressed: [String: Int] = [:]

    init(period: Duration = .seconds(10)) { self.period = period }

    mutating func warn(_ logger: Logger, reason: String, _ message: @autoclosure () -> Logger.Message,
                       metadata: Logger.Metadata = [:]) {
        let now = ContinuousClock.now
        if let previous = last[reason], now - previous < period {
            suppressed[reason, default: 0] += 1
            return
        }
        var metadata = metadata
        metadata["reason"] = "\(reason)"
        if let count = suppressed.removeValue(forKey: reason), count > 0 { metadata["suppressed"] = "\(count)" }
        last[reason] = now
        logger.warning(message(), metadata: metadata)
    }
}
