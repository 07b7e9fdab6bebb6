using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Integration.Workflows.Persistence;

/// <summary>
/// Retries incidents whose error may pass (<see cref="Execution.TransientFailures"/>) once their delay is up, so a
/// store's outage of a few minutes heals without an operator. Due-ness is by the database's clock (the incidents'
/// <c>created_at</c>), and every host may run this: a retry locks its incident, and one already retried is skipped.
/// </summary>
public sealed class IncidentAutoRetry(NpgsqlDataSource dataSource, FlowRuns runs, IOptions<IncidentAutoRetryOptions> options, ILogger<IncidentAutoRetry> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled || settings.MaxRetries <= 0)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(settings.Interval, TimeProvider.System, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            if (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            try
            {
                await RoundAsync(settings, stoppingToken);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                logger.LogWarning(ex, "Automatic incident retry failed; trying again later");
            }
        }
    }

    /// <summary>Retries the incidents due now; returns how many were retried.</summary>
    public async Task<int> RoundAsync(IncidentAutoRetryOptions settings, CancellationToken cancellationToken)
    {
        IReadOnlyList<(long Id, int Retries)> due;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            // The n-th retry of a run's activity: how many of its incidents were retried before this one.
            due = [.. await connection.QueryAsync<(long, int)>(new CommandDefinition("""
                SELECT id, retries FROM (
                    SELECT i.id, i.created_at, (SELECT count(*)::int FROM flows.incident p
                                                WHERE p.instance_id = i.instance_id AND p.activity_id = i.activity_id AND p.status = 'Retried' AND p.id < i.id) AS retries
                    FROM flows.incident i WHERE i.status = 'Open' AND i.transient) c
                WHERE retries < @max AND created_at + (@delays::interval[])[LEAST(retries, @last) + 1] <= now()
                ORDER BY created_at LIMIT @batch
                """, new { max = settings.MaxRetries, delays = settings.EffectiveDelays.ToArray(), last = settings.EffectiveDelays.Count - 1, batch = settings.BatchSize },
                cancellationToken: cancellationToken))];
        }

        var retries = due.ToDictionary(d => d.Id, d => d.Retries);
        var outcomes = await runs.RetryEachAsync(retries.Keys, cancellationToken);
        foreach (var outcome in outcomes)
        {
            if (outcome.Reason is null)
            {
                logger.LogInformation("Incident {IncidentId} retried automatically (retry {Retry} of at most {MaxRetries}): the run is {Status}",
                    outcome.Id, retries[outcome.Id] + 1, settings.MaxRetries, outcome.Status);
            }
            else
            {
                logger.LogInformation("Incident {IncidentId} not retried automatically: {Reason}", outcome.Id, outcome.Reason);
            }
        }

        return outcomes.Count(o => o.Reason is null);
    }
}
