using Dapper;
using Integration.Workflows.Activities;
using Npgsql;

namespace Integration.Workflows.Persistence;

/// <summary>
/// The runs a claimed batch of ERP events concerns, read in one round trip instead of two look-ups per event: those
/// waiting for any of its events (locked, as <see cref="FlowEvents"/> locks them) and those its events already started
/// (a batch retried after a host died mid-run finds the run its lease checkpointed). Each event then wakes its waiting
/// runs from what was read. A run this batch starts and leaves waiting is not among them, so once one does, the
/// events after it look up their waiting runs again (<see cref="Stale"/>).
/// </summary>
internal sealed class EventBatchRuns
{
    private readonly List<Waiting> _waiting;
    private readonly HashSet<(string Trigger, string DefinitionId)> _started;

    private EventBatchRuns(List<Waiting> waiting, HashSet<(string, string)> started)
    {
        _waiting = waiting;
        _started = started;
    }

    /// <summary>Set when a run started in this batch waits for something: what was read no longer holds every waiting run.</summary>
    public bool Stale { get; set; }

    /// <summary>Reads, for the batch's events (each: its name, its correlation, the changed record's key, the trigger its
    /// runs are started by, and whether it wakes runs: only the first time it is dispatched), the runs waiting for them
    /// and the runs they started.</summary>
    public static async Task<EventBatchRuns> ReadAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction,
        IReadOnlyCollection<(string EventName, string CorrelationId, string Trigger, bool Wakes)> events)
    {
        if (events.Count == 0)
        {
            return new EventBatchRuns([], []);
        }

        // Only the runs waiting for one of the events of their own record are locked: a run waiting for another
        // record's event of the batch stays free for the resumer (and for a flow that publishes to it).
        var waking = events.Where(e => e.Wakes)
            .Select(e => (Hash: BookmarkHash.Of(BookmarkHash.EventBookmark(e.EventName)), e.CorrelationId))
            .Distinct()
            .ToList();
        await using var results = await connection.QueryMultipleAsync("""
            SELECT id, bookmarks::text, correlation_id, bookmark_hashes FROM flows.instance i
            WHERE status = 'Suspended' AND bookmark_hashes && @hashes AND correlation_id = ANY(@correlations)
              AND EXISTS (SELECT 1 FROM unnest(@hashes, @correlations) AS e(hash, correlation_id)
                          WHERE i.correlation_id = e.correlation_id AND i.bookmark_hashes @> ARRAY[e.hash])
            ORDER BY id
            FOR UPDATE;
            SELECT trigger, definition_id FROM flows.instance WHERE trigger = ANY(@triggers);
            """, new
        {
            hashes = waking.Select(e => e.Hash).ToArray(),
            correlations = waking.Select(e => e.CorrelationId).ToArray(),
            triggers = events.Select(e => e.Trigger).ToArray(),
        }, transaction);
        var waiting = (await results.ReadAsync<(Guid Id, string Bookmarks, string CorrelationId, string[] Hashes)>())
            .Select(w => new Waiting(w.Id, w.CorrelationId, w.Bookmarks, [.. w.Hashes]))
            .ToList();
        var started = (await results.ReadAsync<(string Trigger, string DefinitionId)>()).ToHashSet();
        return new EventBatchRuns(waiting, started);
    }

    /// <summary>Whether the event whose runs start with <paramref name="trigger"/> already started the flow.</summary>
    public bool Started(string trigger, string definitionId) => _started.Contains((trigger, definitionId));

    /// <summary>Records a run the event started in this batch: a flow with two triggers for one event runs once for it.</summary>
    public void AddStarted(string trigger, string definitionId) => _started.Add((trigger, definitionId));

    /// <summary>Wakes the runs waiting for the event, as <see cref="FlowEvents.PublishAsync(NpgsqlConnection, NpgsqlTransaction, string, string?, object?, DateTimeOffset)"/>
    /// does; returns how many.</summary>
    public async Task<int> PublishAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string eventName, string correlationId, object? payload, DateTimeOffset now)
    {
        if (Stale)
        {
            return await FlowEvents.PublishAsync(connection, transaction, eventName, correlationId, payload, now);
        }

        var hash = BookmarkHash.Of(BookmarkHash.EventBookmark(eventName));
        var woken = 0;
        string? payloadJson = null;
        foreach (var run in _waiting.Where(w => w.CorrelationId == correlationId && w.Hashes.Contains(hash)))
        {
            payloadJson ??= FlowEvents.PayloadJson(payload);
            run.Bookmarks = await FlowEvents.WakeAsync(connection, transaction, run.Id, run.Bookmarks, eventName, payloadJson, now);
            run.Hashes.Remove(hash);
            woken++;
        }

        return woken;
    }

    private sealed class Waiting(Guid id, string correlationId, string bookmarks, HashSet<string> hashes)
    {
        public Guid Id { get; } = id;

        public string CorrelationId { get; } = correlationId;

        public string Bookmarks { get; set; } = bookmarks;

        public HashSet<string> Hashes { get; } = hashes;
    }
}
