using System.Collections.Concurrent;

namespace Integration.Mappings.KeyMaps;

/// <summary>The key map in memory, for tests, benchmarks and single-process tools.</summary>
public sealed class InMemoryKeyMap : IKeyMap
{
    private readonly ConcurrentDictionary<(string, string, string, string), string> _toErp = new();
    private readonly ConcurrentDictionary<(string, string, string, string), string> _toExternal = new();
    private readonly ConcurrentDictionary<(string, string, string), ConcurrentDictionary<string, byte>> _matches = new();
    private readonly ConcurrentDictionary<(string System, string Store, string Entity, string ErpId), DateTimeOffset> _linkedAt = new();
    private DateTimeOffset _last;

    public ValueTask<string?> FindErpIdAsync(string system, string entity, string store, string externalId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_toErp.TryGetValue((system, entity, store, externalId), out var id) ? id : null);

    public ValueTask<string?> FindExternalIdAsync(string system, string entity, string store, string erpId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_toExternal.TryGetValue((system, entity, store, erpId), out var id) ? id : null);

    public ValueTask LinkAsync(KeyLink link, CancellationToken cancellationToken = default)
    {
        var known = _toErp.TryGetValue((link.System, link.Entity, link.Store, link.ExternalId), out var was) && was == link.ErpId;
        _toErp[(link.System, link.Entity, link.Store, link.ExternalId)] = link.ErpId;
        _toExternal[(link.System, link.Entity, link.Store, link.ErpId)] = link.ExternalId;
        if (!known)
        {
            // As in PostgreSQL: a link already there keeps its time.
            _linkedAt[(link.System, link.Store, link.Entity, link.ErpId)] = Next();
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<DateTimeOffset?> LatestLinkAsync(
        string system, string store, IReadOnlyCollection<string> entities, IReadOnlyCollection<string>? erpIds = null, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_linkedAt.Where(l => l.Key.System == system && l.Key.Store == store && entities.Contains(l.Key.Entity) && (erpIds is null || erpIds.Contains(l.Key.ErpId)))
            .Select(l => (DateTimeOffset?)l.Value).Max());

    // Strictly after the last link's time, though the clock has not moved.
    private DateTimeOffset Next()
    {
        lock (_linkedAt)
        {
            var now = DateTimeOffset.UtcNow;
            return _last = now > _last ? now : _last.AddTicks(1);
        }
    }

    public ValueTask AddMatchValueAsync(string entity, string erpId, string matchName, string value, CancellationToken cancellationToken = default)
    {
        _matches.GetOrAdd((entity, matchName, value), _ => new())[erpId] = 0;
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<string>> FindByMatchValueAsync(string entity, string matchName, string value, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<string>>(_matches.TryGetValue((entity, matchName, value), out var ids) ? [.. ids.Keys.Order(StringComparer.Ordinal)] : []);
}
