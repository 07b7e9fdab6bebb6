using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Integration.Workflows.Persistence;

/// <summary>
/// Deletes what is past its retention every <see cref="Interval"/>; a round that fails on the database is logged and
/// tried again at the next one. The first round waits an interval too, so a host starting does not add this work to its start.
/// </summary>
public abstract class PeriodicPurge(TimeProvider time, ILogger logger) : BackgroundService
{
    protected TimeProvider Time { get; } = time;

    protected ILogger Logger { get; } = logger;

    protected abstract TimeSpan Interval { get; }

    /// <summary>One round: deletes what is due and logs what it deleted.</summary>
    protected abstract Task PurgeRoundAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(Interval, Time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            if (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            try
            {
                await PurgeRoundAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                Logger.LogWarning(ex, "{Purge} failed; trying again later", GetType().Name);
            }
        }
    }
}
