using Dapper;
using Integration.Workflows.Triggers;
using Npgsql;

namespace Integration.Host.Inbox;

/// <summary>
/// Hands handled deliveries back to the dispatchers (status <c>received</c>), at an operator's request, after a flow or
/// its data was fixed or a new flow published. The dispatcher applies its usual rules again: a flow that already ran
/// the delivery does not run it twice, a trigger's filter is asked again, and a delivery whose record a finished run
/// read again is superseded again. Its note says who asked and what it was, until the dispatcher writes the new outcome.
/// </summary>
internal sealed class InboxRequeue(NpgsqlDataSource dataSource, InboxArrivals arrivals)
{
    /// <summary>The statuses a delivery may be dispatched again from; <c>poisoned</c> never was JSON, so nothing can run it.</summary>
    public static readonly IReadOnlyList<string> Requeueable = ["failed", "ignored", "superseded", "done"];

    /// <summary>Dispatches one delivery again; null when there is no such delivery.</summary>
    public async Task<InboxRequeueOutcome?> RequeueAsync(long id, string requestedBy, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var status = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT status FROM integration.inbox WHERE id = @id FOR UPDATE", new { id }, transaction, cancellationToken: cancellationToken));
        if (status is null)
        {
            return null;
        }

        if (!Requeueable.Contains(status))
        {
            return new InboxRequeueOutcome(0, status, Refusal(status));
        }

        var requeued = await RequeueWhereAsync(connection, transaction, "id = @id", new { id, requestedBy }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        arrivals.Arrived(requeued);
        return new InboxRequeueOutcome(requeued, status, null);
    }

    /// <summary>Dispatches again every delivery of one status that the query selects (at most <paramref name="limit"/>, oldest first).</summary>
    public async Task<int> RequeueAsync(InboxQuery query, int limit, string requestedBy, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var requeued = await RequeueWhereAsync(connection, transaction, """
            id IN (SELECT id FROM integration.inbox
                   WHERE status = @Status
                     AND (@Source::text IS NULL OR source = @Source)
                     AND (@Store::text IS NULL OR store = @Store)
                     AND (@Topic::text IS NULL OR topic = @Topic)
                     AND (@Subject::text IS NULL OR subject = @Subject)
                   ORDER BY id LIMIT @limit FOR UPDATE SKIP LOCKED)
            """, new { query.Status, query.Source, query.Store, query.Topic, query.Subject, limit, requestedBy }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        arrivals.Arrived(requeued);
        return requeued;
    }

    /// <summary>Why a delivery of this status is not dispatched again.</summary>
    public static string Refusal(string status) => status switch
    {
        "poisoned" => "the delivery's body is not JSON, so no flow can run it; check the store's side (its reconciliation fetches the record)",
        _ => $"the delivery is {status}: it is waiting for a dispatcher already",
    };

    // The row's note keeps what it was until the dispatcher writes the new outcome.
    private static Task<int> RequeueWhereAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string where, object parameters, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition($"""
            UPDATE integration.inbox
            SET status = 'received',
                error = left('dispatched again at the request of ' || @requestedBy || ' (was ' || status || coalesce(': ' || error, '') || ')', 4000)
            WHERE {where}
            """, parameters, transaction, cancellationToken: cancellationToken));
}
