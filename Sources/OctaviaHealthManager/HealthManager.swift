/// The health manager: receives amphora heartbeats over UDP, keeps amphora health and
/// operating statuses up to date, and fails over amphorae whose heartbeats stop.
public enum HealthManager {}
