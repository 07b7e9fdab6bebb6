using Integration.Host.Tests.Security;
using Integration.Testing;

namespace Integration.Host.Tests.Runtime;

/// <summary>Retention settings that would delete runs before their deliveries, or purge without pause, stop the start.</summary>
public sealed class RetentionSettingsTests
{
    [Theory]
    [InlineData("--Flows:Retention:Days=7", "Flows:Retention:Days (7) is less than Messages:Retention:InboxDays (30)")]
    [InlineData("--Flows:Retention:Days=0", "Flows:Retention:Days is 0")]
    [InlineData("--Messages:Retention:OutboxDays=60", "Flows:Retention:Days (30) is less than Messages:Retention:OutboxDays (60)")]
    [InlineData("--Messages:Retention:Interval=00:00:00", "Messages:Retention:Interval is 00:00:00")]
    [InlineData("--Flows:Retention:Interval=00:00:05", "Flows:Retention:Interval is 00:00:05")]
    public async Task The_host_refuses_to_start_naming_the_setting(string setting, string reason)
    {
        Assert.Contains(reason, await StartRefusalAsync(setting), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runs_kept_as_long_as_deliveries_and_events_start()
    {
        Assert.Equal("", await StartRefusalAsync("--Flows:Retention:Days=10", "--Messages:Retention:InboxDays=10", "--Messages:Retention:OutboxDays=10"));
    }

    private static Task<string> StartRefusalAsync(params string[] settings) => StartRefusal.OfAsync(
    [
        "--contentRoot=" + RepoPaths.Root, "--urls=http://127.0.0.1:0", "--DATABASE_URL=postgresql://postgres@127.0.0.1:9/nowhere",
        "--Database:MigrateOnStart=false", "--Flows:Schedules=false", "--Flows:DispatchInbox=false", "--Flows:DispatchOutbox=false", "--Flows:ResumeBookmarks=false",
        .. settings,
    ]);
}
