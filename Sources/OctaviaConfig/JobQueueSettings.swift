/// `[job_queue]` (ours): the database-backed queue between the API and the workers.
public struct JobQueueSettings: SettingsSection {
    /// `lease_seconds` (int s ≥ 1, default 30): a job held by a worker that stops renewing is taken over after this.
    public var leaseSeconds: Int
    /// `poll_interval` (float s > 0, default 1.0): how often idle workers look for jobs.
    public var pollInterval: Double

    public enum Option {
        public static let leaseSeconds: ConfigOption<Int> = .integer(
            "lease_seconds", default: 30, min: 1,
            help: "Seconds a worker holds a job without renewing its lease before another worker takes it over.")
        public static let pollInterval: ConfigOption<Double> = .float(
            "poll_interval", default: 1.0, min: 0.001, help: "Seconds between polls for new jobs by an idle worker.")
    }

    public static let sectionName = "job_queue"
    public static let sectionHelp = "Swift Octavia only: the job queue between the API and the controller workers."
    public static let options = [Option.leaseSeconds.descriptor, Option.pollInterval.descriptor]

    public init(reader: SectionReader) throws(ConfigError) {
        leaseSeconds = try reader(Option.leaseSeconds)
        pollInterval = try reader(Option.pollInterval)
    }
}
