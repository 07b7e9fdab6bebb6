using System.Collections.Concurrent;

namespace Integration.Mappings.Echoes;

/// <summary>The echo guard in memory, for tests, benchmarks and single-process tools.</summary>
public sealed class InMemoryEchoGuard(TimeProvider time, TimeSpan expiry) : IEchoGuard
{
    private readonly ConcurrentDictionary<(string, string, string, string), EchoFingerprint> _entries = new();

    public InMemoryEchoGuard()
        : this(TimeProvider.System, TimeSpan.FromMinutes(30))
    {
    }

    public ValueTask<EchoSet> RecentAsync(string system, string entity, string recordId, CancellationToken cancellationToken = default)
    {
        if (_entries.IsEmpty)
        {
            return ValueTask.FromResult(EchoSet.Empty);
        }

        var since = time.GetUtcNow() - expiry;
        var found = _entries.Values.Where(e => e.System == system && e.Entity == entity && e.RecordId == recordId && e.WrittenAt > since).ToList();
        return ValueTask.FromResult(found.Count == 0 ? EchoSet.Empty : new EchoSet(found));
    }

    public ValueTask RecordAsync(IReadOnlyList<EchoFingerprint> fingerprints, CancellationToken cancellationToken = default)
    {
        foreach (var f in fingerprints)
        {
            _entries[(f.System, f.Entity, f.RecordId, f.Field)] = f;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask ConsumeAsync(IReadOnlyList<EchoFingerprint> fingerprints, CancellationToken cancellationToken = default)
    {
        foreach (var f in fingerprints)
        {
            _entries.TryRemove(new KeyValuePair<(string, string, string, string), EchoFingerprint>((f.System, f.Entity, f.RecordId, f.Field), f));
        }

        return ValueTask.CompletedTask;
    }
}
