using System.Collections.Concurrent;
using Integration.Workflows.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Integration.Workflows.Tests.Scheduling;

public sealed class ScheduleMisfireTests
{
    private static readonly ConcurrentQueue<(string Job, DateTimeOffset At)> Fired = new();

    [Theory]
    [InlineData("Cron", "0/4 * * * * ?")]
    [InlineData("Timer", "00:00:04")]
    public async Task A_schedule_that_missed_its_times_while_paused_fires_once_when_resumed(string kind, string value)
    {
        var name = kind + Guid.NewGuid().ToString("N")[..6];
        var services = new ServiceCollection().AddLogging();
        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(o => o.InstanceName = name);
            q.UseInMemoryStore(o => o.MisfireThreshold = TimeSpan.FromMilliseconds(500));
        });
        await using var provider = services.BuildServiceProvider();
        var scheduler = await provider.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await scheduler.Start();
        var key = new JobKey(name, "flows");
        var trigger = new TriggerKey(key.Name, key.Group);
        var job = JobBuilder.Create<Recorder>().WithIdentity(key).DisallowConcurrentExecution().Build();
        await scheduler.ScheduleJob(job, FlowSchedule.Create(kind, value).Trigger(key, allowOverlap: false), new ScheduleJobOptions { Replace = true }, CancellationToken.None);
        await scheduler.PauseTrigger(trigger);
        await Task.Delay(TimeSpan.FromSeconds(9)); // two times or more missed
        // Resumed just after a 4-second mark, so the window below holds no regular time of the cron: only the missed one fires.
        while (DateTimeOffset.UtcNow.Second % 4 != 1)
        {
            await Task.Delay(50);
        }

        var resumedAt = DateTimeOffset.UtcNow;
        await scheduler.ResumeTrigger(trigger);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await scheduler.Shutdown();

        Assert.Equal(1, Fired.Count(f => f.Job == name && f.At >= resumedAt));
    }

    private sealed class Recorder : IJob
    {
        public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
        {
            Fired.Enqueue((context.JobDetail.Key.Name, DateTimeOffset.UtcNow));
            return ValueTask.CompletedTask;
        }
    }
}
