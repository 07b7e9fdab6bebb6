using System.Text.Json;
using Dapper;
using Integration.Workflows.Activities;
using Integration.Workflows.Execution;
using Npgsql;

namespace Integration.Workflows.Persistence;

/// <summary>
/// Events for waiting runs: the runs whose bookmark hash matches are marked due at once with the event's payload on
/// the bookmark, so the resumer (<see cref="Triggers.BookmarkResumer"/>) of any host goes on with them.
/// </summary>
internal sealed class FlowEvents(NpgsqlDataSource dataSource, TimeProvider time) : IFlowEvents
{
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    public async Task<int> PublishAsync(string eventName, string? correlationId, object? payload, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var woken = await PublishAsync(connection, transaction, eventName, correlationId, payload, time.GetUtcNow());
        await transaction.CommitAsync(cancellationToken);
        return woken;
    }

    /// <summary>The same inside the caller's transaction (the outbox dispatcher's, which marks the event done with it).</summary>
    public static async Task<int> PublishAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string eventName, string? correlationId, object? payload, DateTimeOffset now)
    {
        var hash = BookmarkHash.Of(BookmarkHash.EventBookmark(eventName));
        var waiting = (await connection.QueryAsync<(Guid Id, string Bookmarks)>("""
            SELECT id, bookmarks::text FROM flows.instance
            WHERE status = 'Suspended' AND bookmark_hashes @> ARRAY[@hash] AND (@correlationId::text IS NULL OR correlation_id = @correlationId)
            FOR UPDATE
            """, new { hash, correlationId }, transaction)).ToList();
        var payloadJson = JsonSerializer.Serialize(payload, Json);
        foreach (var (id, bookmarks) in waiting)
        {
            await WakeAsync(connection, transaction, id, bookmarks, eventName, payloadJson, now);
        }

        return waiting.Count;
    }

    /// <summary>Marks the run's bookmarks for the event due with its payload and drops the event's hash from the run, so
    /// a second event of the name does not find it again; returns the run's bookmarks as stored now.</summary>
    internal static async Task<string> WakeAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, string bookmarks, string eventName, string payloadJson, DateTimeOffset now)
    {
        var name = BookmarkHash.EventBookmark(eventName);
        var updated = JsonSerializer.Serialize(
            (JsonSerializer.Deserialize<List<Bookmark>>(bookmarks, Json) ?? [])
                .Select(b => b.Name == name && b.ResumeAt is null ? b with { ResumeAt = now, Payload = payloadJson } : b),
            Json);
        await connection.ExecuteAsync("""
            UPDATE flows.instance SET bookmarks = @bookmarks::jsonb, next_resume_at = @now, updated_at = now(),
                bookmark_hashes = array_remove(bookmark_hashes, @hash)
            WHERE id = @id
            """, new { id, bookmarks = updated, now = now.UtcDateTime, hash = BookmarkHash.Of(name) }, transaction);
        return updated;
    }

    internal static string PayloadJson(object? payload) => JsonSerializer.Serialize(payload, Json);
}
