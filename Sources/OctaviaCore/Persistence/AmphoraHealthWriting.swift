/// The worker's side of `amphora_health`, inside its flows' transactions (Octavia's
/// `MarkAmphoraHealthBusy` and `DisableAmphoraHealthMonitoring`): the health manager creates and
/// refreshes the rows, flows only stop the monitoring of amphorae they replace or remove.
public protocol AmphoraHealthWriting: StoreWriting {
    /// Marks the amphorae's existing health rows busy, so the stale-amphora sweep leaves them to the
    /// failover that is already replacing them. Amphorae without a row are left alone.
    func markAmphoraHealthBusy(_ ids: [Amphora.ID]) async throws
    /// Removes the amphorae's health rows: they are gone, nothing is left to monitor.
    func deleteAmphoraHealth(_ ids: [Amphora.ID]) async throws
}
