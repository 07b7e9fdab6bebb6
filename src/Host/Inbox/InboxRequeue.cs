using Integration.Host.Messages;
using Integration.Workflows.Triggers;
using Npgsql;

namespace Integration.Host.Inbox;

/// <summary>
/// Hands handled deliveries back to the dispatchers (status <c>received</c>), at an operator's request, after a flow or
/// its data was fixed or a new flow published. The dispatcher applies its usual rules again: a flow that already ran
/// the delivery does not run it twice, a trigger's filter is asked again, and a delivery whose record a finished run
/// read again is superseded again.
/// </summary>
internal sealed class InboxRequeue(NpgsqlDataSource dataSource, InboxArrivals arrivals)
{
    // Not poisoned: its body never was JSON, so nothing can run it.
    private readonly MessageRequeue _rows = new(dataSource, "integration.inbox", "received", ["failed", "ignored", "superseded", "done"]);

    /// <summary>The statuses a delivery may be dispatched again from.</summary>
    public IReadOnlyList<string> Requeueable => _rows.Requeueable;

    /// <summary>Dispatches one delivery again: its status before and whether it went back; null when there is no such delivery.</summary>
    public async Task<(string PreviousStatus, bool Requeued)?> RequeueAsync(long id, string requestedBy, CancellationToken cancellationToken)
    {
        var outcome = await _rows.OneAsync(id, requestedBy, cancellationToken);
        if (outcome is { Requeued: true })
        {
            arrivals.Arrived(1);
        }

        return outcome;
    }

    /// <summary>Dispatches again every delivery of one status that the query selects (at most <paramref name="limit"/>, oldest first).</summary>
    public async Task<int> RequeueAsync(InboxQuery query, int limit, string requestedBy, CancellationToken cancellationToken)
    {
        var requeued = await _rows.ManyAsync("""
            SELECT id FROM integration.inbox
            WHERE status = @Status
              AND (@Source::text IS NULL OR source = @Source)
              AND (@Store::text IS NULL OR store = @Store)
              AND (@Topic::text IS NULL OR topic = @Topic)
              AND (@Subject::text IS NULL OR subject = @Subject)
            ORDER BY id LIMIT @limit FOR UPDATE SKIP LOCKED
            """, new { query.Status, query.Source, query.Store, query.Topic, query.Subject, limit, requestedBy }, cancellationToken);
        arrivals.Arrived(requeued);
        return requeued;
    }

    /// <summary>Why a delivery of this status is not dispatched again.</summary>
    public static string Refusal(string status) => status switch
    {
        "poisoned" => "the delivery's body is not JSON, so no flow can run it; check the store's side (its reconciliation fetches the record)",
        _ => $"the delivery is {status}: it is waiting for a dispatcher already",
    };
}
