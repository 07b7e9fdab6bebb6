namespace Integration.Mappings.Echoes;

/// <summary>
/// Remembers what the host wrote to each system (<see cref="EchoFingerprint"/>), so that system's webhook about our
/// own write is recognised and dropped, while a person's later change still flows. Entries expire.
/// </summary>
public interface IEchoGuard
{
    /// <summary>The unexpired fingerprints of one record.</summary>
    ValueTask<EchoSet> RecentAsync(string system, string entity, string recordId, CancellationToken cancellationToken = default);

    /// <summary>Records what was written (one entry per field: a newer write replaces the older).</summary>
    ValueTask RecordAsync(IReadOnlyList<EchoFingerprint> fingerprints, CancellationToken cancellationToken = default);

    /// <summary>Removes fingerprints whose echo has arrived.</summary>
    ValueTask ConsumeAsync(IReadOnlyList<EchoFingerprint> fingerprints, CancellationToken cancellationToken = default);
}
