using Integration.Host.Messages;
using Npgsql;

namespace Integration.Host.Outbox;

/// <summary>
/// Hands ERP events back to the outbox dispatchers (status <c>pending</c>), at an operator's request: a <c>failed</c>
/// one after its trigger's filter was fixed, a <c>done</c> one for a flow published since. A flow that already ran the
/// event does not run it twice, and runs waiting for the event are not woken again (the first dispatch did).
/// </summary>
internal sealed class OutboxRequeue(NpgsqlDataSource dataSource)
{
    private readonly MessageRequeue _rows = new(dataSource, "integration.outbox", "pending", ["failed", "done"]);

    /// <summary>The statuses an event may be dispatched again from.</summary>
    public IReadOnlyList<string> Requeueable => _rows.Requeueable;

    /// <summary>Dispatches one event again: its status before and whether it went back; null when there is no such event.</summary>
    public Task<(string PreviousStatus, bool Requeued)?> RequeueAsync(long id, string requestedBy, CancellationToken cancellationToken) =>
        _rows.OneAsync(id, requestedBy, cancellationToken);

    /// <summary>Dispatches again every event of one status the filters select (at most the query's limit, oldest first).</summary>
    public Task<int> RequeueAsync(OutboxQuery query, string requestedBy, CancellationToken cancellationToken) =>
        _rows.ManyAsync("""
            SELECT id FROM integration.outbox
            WHERE status = @Status
              AND (@Topic::text IS NULL OR topic = @Topic)
              AND (@Company::text IS NULL OR company = @Company)
              AND (@EntityKey::text IS NULL OR entity_key = @EntityKey)
            ORDER BY id LIMIT @Limit FOR UPDATE SKIP LOCKED
            """, new { query.Status, query.Topic, query.Company, query.EntityKey, query.Limit, requestedBy }, cancellationToken);
}
