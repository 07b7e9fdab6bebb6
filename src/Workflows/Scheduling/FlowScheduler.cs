using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Integration.Workflows.Scheduling;

/// <summary>
/// Starts this host's Quartz scheduler once the flows are published, and keeps trying while the database is away (a
/// host without its database still starts and reports not ready, rather than failing to boot).
/// </summary>
public sealed class FlowScheduler(ISchedulerFactory schedulers, FlowSchedules schedules, ILogger<FlowScheduler> logger, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await schedules.SyncAsync(stoppingToken);
                await (await schedulers.GetScheduler(stoppingToken)).Start(stoppingToken);
                return;
            }
            catch (Exception ex) when (ex is SchedulerException or Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
            {
                logger.LogWarning(ex, "The flow scheduler could not start; retrying");
                await Task.Delay(TimeSpan.FromSeconds(5), time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            var scheduler = await schedulers.GetScheduler(cancellationToken);
            if (scheduler.Status is SchedulerStatus.Running or SchedulerStatus.Standby)
            {
                // Firings in progress get a while to finish; a run cut off after a checkpoint is taken over by another host.
                await scheduler.Shutdown(waitForJobsToComplete: true, cancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
            }
        }
        catch (SchedulerException)
        {
            // Quartz's own container integration got there first: already shut down.
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or ObjectDisposedException or TimeoutException)
        {
            logger.LogWarning(ex, "The flow scheduler did not shut down cleanly");
        }
    }
}
