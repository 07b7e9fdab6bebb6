using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Integration.Workflows.Persistence;

/// <summary>
/// Keeps <c>flows.instance</c> from growing without end: runs that ended (finished, cancelled, or faulted with no
/// open incident) more than <see cref="FlowRetentionOptions.Days"/> ago are deleted with their incidents, in batches,
/// every <see cref="FlowRetentionOptions.Interval"/>. Runs someone still has to look at are never deleted.
/// </summary>
public sealed class FlowRetention(NpgsqlDataSource dataSource, IOptions<FlowRetentionOptions> options, TimeProvider time, ILogger<FlowRetention> logger)
    : PeriodicPurge(time, logger)
{
    private const int Batch = 1000;

    protected override TimeSpan Interval => options.Value.Interval;

    protected override async Task PurgeRoundAsync(CancellationToken cancellationToken)
    {
        var purged = await PurgeAsync(cancellationToken);
        if (purged > 0)
        {
            Logger.LogInformation("Deleted {Count} runs older than {Days} days", purged, options.Value.Days);
        }
    }

    /// <summary>Deletes every run past retention; returns how many.</summary>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        var before = (Time.GetUtcNow() - TimeSpan.FromDays(options.Value.Days)).UtcDateTime;
        var total = 0;
        while (true)
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var deleted = await connection.ExecuteAsync("""
                WITH old AS (
                    SELECT id FROM flows.instance i
                    WHERE i.finished_at < @before AND i.status IN ('Finished', 'Cancelled', 'Faulted')
                      AND NOT EXISTS (SELECT 1 FROM flows.incident o WHERE o.instance_id = i.id AND o.status = 'Open')
                    LIMIT @Batch FOR UPDATE SKIP LOCKED),
                gone_incidents AS (DELETE FROM flows.incident WHERE instance_id IN (SELECT id FROM old))
                DELETE FROM flows.instance WHERE id IN (SELECT id FROM old)
                """, new { before, Batch });
            total += deleted;
            if (deleted < Batch)
            {
                return total;
            }
        }
    }
}

/// <summary><c>Flows:Retention</c>: how long ended runs are kept, and how often old ones are deleted.</summary>
public sealed class FlowRetentionOptions
{
    public int Days { get; set; } = 30;

    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);
}
