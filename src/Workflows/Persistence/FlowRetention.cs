using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Integration.Workflows.Persistence;

/// <summary>
/// Keeps <c>flows.instance</c> from growing without end: runs that ended (finished, cancelled, or faulted with no
/// open incident) more than <see cref="FlowRetentionOptions.Days"/> ago are deleted with their incidents, in batches,
/// every <see cref="FlowRetentionOptions.Interval"/>. Runs someone still has to look at are never deleted.
/// </summary>
public sealed class FlowRetention(NpgsqlDataSource dataSource, IOptions<FlowRetentionOptions> options, TimeProvider time, ILogger<FlowRetention> logger) : BackgroundService
{
    private const int Batch = 1000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The first round waits an interval too, so a host starting does not add this work to its start.
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(options.Value.Interval, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            if (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            try
            {
                var purged = await PurgeAsync(stoppingToken);
                if (purged > 0)
                {
                    logger.LogInformation("Deleted {Count} runs older than {Days} days", purged, options.Value.Days);
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                logger.LogWarning(ex, "Deleting old runs failed; trying again later");
            }
        }
    }

    /// <summary>Deletes every run past retention; returns how many.</summary>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        var before = (time.GetUtcNow() - TimeSpan.FromDays(options.Value.Days)).UtcDateTime;
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
