using Dapper;
using Microsoft.Extensions.Options;
using Integration.Workflows.Persistence;
using Npgsql;

namespace Integration.Host.Retention;

/// <summary>
/// Keeps the inbox and the outbox from growing without end: deliveries handled (<c>done</c>, <c>ignored</c>) more than
/// <see cref="MessageRetentionOptions.InboxDays"/> ago and ERP events dispatched (<c>done</c>) more than
/// <see cref="MessageRetentionOptions.OutboxDays"/> ago are deleted in batches every interval. Work still to do
/// (<c>received</c>, <c>pending</c>) and the evidence of what went wrong (<c>poisoned</c>,
/// <c>failed</c>) are never deleted: an operator replays or dismisses those. Nor is the delivery of a run that has not
/// ended or still has an open incident: its retry or resumption reads the delivery again (runs keep a reference to it,
/// not a copy), so a retry weeks later still finds the order it was started for.
/// </summary>
public sealed class MessageRetention(NpgsqlDataSource dataSource, IOptions<MessageRetentionOptions> options, TimeProvider time, ILogger<MessageRetention> logger)
    : PeriodicPurge(time, logger)
{
    private const int Batch = 1000;

    protected override TimeSpan Interval => options.Value.Interval;

    protected override async Task PurgeRoundAsync(CancellationToken cancellationToken)
    {
        var (inbox, outbox) = await PurgeAsync(cancellationToken);
        if (inbox + outbox > 0)
        {
            Logger.LogInformation("Deleted {Inbox} handled deliveries older than {InboxDays} days and {Outbox} dispatched ERP events older than {OutboxDays} days",
                inbox, options.Value.InboxDays, outbox, options.Value.OutboxDays);
        }
    }

    /// <summary>Deletes every handled delivery and dispatched event past retention; returns how many of each.</summary>
    public async Task<(int Inbox, int Outbox)> PurgeAsync(CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        var inbox = await PurgeAsync("""
            DELETE FROM integration.inbox WHERE id IN (
                SELECT id FROM integration.inbox m WHERE status IN ('done', 'ignored', 'superseded') AND received_at < @before
                    AND NOT EXISTS (
                        SELECT 1 FROM flows.instance i
                        WHERE i.trigger = 'inbox:' || m.id
                          AND (i.status NOT IN ('Finished', 'Cancelled')
                               OR EXISTS (SELECT 1 FROM flows.incident x WHERE x.instance_id = i.id AND x.status = 'Open')))
                ORDER BY id LIMIT @Batch FOR UPDATE SKIP LOCKED)
            """, (now - TimeSpan.FromDays(options.Value.InboxDays)).UtcDateTime, cancellationToken);
        var outbox = await PurgeAsync("""
            DELETE FROM integration.outbox WHERE id IN (
                SELECT id FROM integration.outbox WHERE status = 'done' AND created_at < @before
                ORDER BY id LIMIT @Batch FOR UPDATE SKIP LOCKED)
            """, (now - TimeSpan.FromDays(options.Value.OutboxDays)).UtcDateTime, cancellationToken);
        return (inbox, outbox);
    }

    // Small batches, each its own statement: the intake and the dispatchers keep working on the same tables meanwhile.
    private async Task<int> PurgeAsync(string sql, DateTime before, CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var deleted = await connection.ExecuteAsync(new CommandDefinition(sql, new { before, Batch }, cancellationToken: cancellationToken));
            total += deleted;
            if (deleted < Batch)
            {
                return total;
            }
        }
    }
}
