using Dapper;
using Npgsql;

namespace Integration.Host.Outbox;

/// <summary>
/// Hands ERP events back to the outbox dispatchers (status <c>pending</c>), at an operator's request: a <c>failed</c>
/// one after its trigger's filter was fixed, a <c>done</c> one for a flow published since. A flow that already ran the
/// event does not run it twice, and runs waiting for the event are not woken again (the first dispatch did).
/// </summary>
internal sealed class OutboxRequeue(NpgsqlDataSource dataSource)
{
    /// <summary>The statuses an event may be dispatched again from.</summary>
    public static readonly IReadOnlyList<string> Requeueable = ["failed", "done"];

    /// <summary>Dispatches one event again: its status before, or null when there is no such event; refused unless <see cref="Requeueable"/>.</summary>
    public async Task<(string PreviousStatus, bool Requeued)?> RequeueAsync(long id, string requestedBy, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var status = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT status FROM integration.outbox WHERE id = @id FOR UPDATE", new { id }, transaction, cancellationToken: cancellationToken));
        if (status is null)
        {
            return null;
        }

        if (!Requeueable.Contains(status))
        {
            return (status, false);
        }

        await RequeueWhereAsync(connection, transaction, "id = @id", new { id, requestedBy }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (status, true);
    }

    /// <summary>Dispatches again every event of one status the filters select (at most the query's limit, oldest first).</summary>
    public async Task<int> RequeueAsync(OutboxQuery query, string requestedBy, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var requeued = await RequeueWhereAsync(connection, transaction, """
            id IN (SELECT id FROM integration.outbox
                   WHERE status = @Status
                     AND (@Topic::text IS NULL OR topic = @Topic)
                     AND (@Company::text IS NULL OR company = @Company)
                     AND (@EntityKey::text IS NULL OR entity_key = @EntityKey)
                   ORDER BY id LIMIT @Limit FOR UPDATE SKIP LOCKED)
            """, new { query.Status, query.Topic, query.Company, query.EntityKey, query.Limit, requestedBy }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return requeued;
    }

    // The row's note keeps what it was until the dispatcher writes the new outcome; attempts stay, so the dispatcher
    // knows the event was published to waiting runs before.
    private static Task<int> RequeueWhereAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string where, object parameters, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition($"""
            UPDATE integration.outbox
            SET status = 'pending',
                error = left('dispatched again at the request of ' || @requestedBy || ' (was ' || status || coalesce(': ' || error, '') || ')', 4000)
            WHERE {where}
            """, parameters, transaction, cancellationToken: cancellationToken));
}
