using Dapper;
using Integration.Host.Messages;
using Integration.Workflows.Triggers;
using Npgsql;

namespace Integration.Host.Inbox;

/// <summary>
/// An operator's hand on handled deliveries. Dispatched again (status <c>received</c>) after a flow or its data was
/// fixed or a new flow published: the dispatcher applies its usual rules again (a flow that already ran the delivery
/// does not run it twice, a trigger's filter is asked again, a delivery whose record a finished run read again is
/// superseded again). Or dismissed (<c>ignored</c>): a failed or poisoned delivery nobody will run.
/// </summary>
internal sealed class InboxRequeue(NpgsqlDataSource dataSource, InboxArrivals arrivals)
{
    /// <summary>The statuses a delivery may be dispatched again from (not poisoned: its body never was JSON).</summary>
    public static readonly IReadOnlyList<string> Requeueable = ["failed", "ignored", "superseded", "done"];

    /// <summary>The statuses a delivery may be dismissed from.</summary>
    public static readonly IReadOnlyList<string> Dismissable = ["failed", "poisoned"];

    private const string Again = "dispatched again";
    private readonly MessageStatusChange _rows = new(dataSource, "integration.inbox");

    /// <summary>Dispatches one delivery again: its status before and whether it went back; null when there is no such delivery.</summary>
    public async Task<(string PreviousStatus, bool Changed)?> RequeueAsync(long id, string requestedBy, CancellationToken cancellationToken)
    {
        var outcome = await _rows.OneAsync(id, Requeueable, "received", Again, requestedBy, cancellationToken);
        if (outcome is { Changed: true })
        {
            arrivals.Arrived(1);
        }

        return outcome;
    }

    /// <summary>Dispatches again every delivery of one status that the query selects (at most the query's limit, oldest first).</summary>
    public async Task<int> RequeueAsync(InboxQuery query, string requestedBy, CancellationToken cancellationToken)
    {
        var requeued = await _rows.ManyAsync("""
            SELECT id FROM integration.inbox
            WHERE status = @Status
              AND (@Source::text IS NULL OR source = @Source)
              AND (@Store::text IS NULL OR store = @Store)
              AND (@Topic::text IS NULL OR topic = @Topic)
              AND (@Subject::text IS NULL OR subject = @Subject)
            ORDER BY id LIMIT @Limit FOR UPDATE SKIP LOCKED
            """, new DynamicParameters(new { query.Status, query.Source, query.Store, query.Topic, query.Subject, query.Limit }), "received", Again, requestedBy, cancellationToken);
        arrivals.Arrived(requeued);
        return requeued;
    }

    /// <summary>Dismisses a failed or poisoned delivery (<c>ignored</c>): its status before and whether it changed; null when there is no such delivery.</summary>
    public Task<(string PreviousStatus, bool Changed)?> DismissAsync(long id, string requestedBy, CancellationToken cancellationToken) =>
        _rows.OneAsync(id, Dismissable, "ignored", "dismissed", requestedBy, cancellationToken);

    /// <summary>Why a delivery of this status is not dispatched again.</summary>
    public static string Refusal(string status) => status switch
    {
        "poisoned" => "the delivery's body is not JSON, so no flow can run it; check the store's side (its reconciliation fetches the record), then dismiss it",
        _ => $"the delivery is {status}: it is waiting for a dispatcher already",
    };
}
