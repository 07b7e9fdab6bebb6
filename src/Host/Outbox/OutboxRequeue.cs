using Dapper;
using Integration.Host.Messages;
using Npgsql;

namespace Integration.Host.Outbox;

/// <summary>
/// An operator's hand on ERP events. Dispatched again (status <c>pending</c>): a <c>failed</c> one after its trigger's
/// filter was fixed, a <c>done</c> one for a flow published since; a flow that already ran the event does not run it
/// twice, and runs waiting for the event are not woken again (the first dispatch did). Or dismissed (<c>done</c>): a
/// failed event no flow should take.
/// </summary>
internal sealed class OutboxRequeue(NpgsqlDataSource dataSource)
{
    /// <summary>The statuses an event may be dispatched again from.</summary>
    public static readonly IReadOnlyList<string> Requeueable = ["failed", "done"];

    private const string Again = "dispatched again";
    private readonly MessageStatusChange _rows = new(dataSource, "integration.outbox");

    /// <summary>Dispatches one event again: its status before and whether it went back; null when there is no such event.</summary>
    public Task<(string PreviousStatus, bool Changed)?> RequeueAsync(long id, string requestedBy, CancellationToken cancellationToken) =>
        _rows.OneAsync(id, Requeueable, "pending", Again, requestedBy, cancellationToken);

    /// <summary>Dispatches again every event of one status the filters select (at most the query's limit, oldest first).</summary>
    public Task<int> RequeueAsync(OutboxQuery query, string requestedBy, CancellationToken cancellationToken) =>
        _rows.ManyAsync("""
            SELECT id FROM integration.outbox
            WHERE status = @Status
              AND (@Topic::text IS NULL OR topic = @Topic)
              AND (@Company::text IS NULL OR company = @Company)
              AND (@EntityKey::text IS NULL OR entity_key = @EntityKey)
            ORDER BY id LIMIT @Limit FOR UPDATE SKIP LOCKED
            """, new DynamicParameters(new { query.Status, query.Topic, query.Company, query.EntityKey, query.Limit }), "pending", Again, requestedBy, cancellationToken);

    /// <summary>Dismisses a failed event (<c>done</c>, its note saying so): its status before and whether it changed; null when there is no such event.</summary>
    public Task<(string PreviousStatus, bool Changed)?> DismissAsync(long id, string requestedBy, CancellationToken cancellationToken) =>
        _rows.OneAsync(id, ["failed"], "done", "dismissed", requestedBy, cancellationToken);
}
