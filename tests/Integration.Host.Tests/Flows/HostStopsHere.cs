using Integration.Testing;
using Integration.Workflows.Activities;

namespace Integration.Host.Tests.Flows;

/// <summary>
/// A test activity for runs taken over between hosts: on a host told to hold, the run stays here (its lease renewed)
/// until the host goes away; on any other host it passes at once.
/// </summary>
internal sealed class HostStopsHere(bool holds) : FlowActivity
{
    public const string TypeName = "Test.HostStopsHere";

    public override ActivityDescriptor Descriptor { get; } = new(TypeName, "Test", "Host stops here", [], [], ["Done"]);

    public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
    {
        if (holds)
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        }

        return ActivityResult.Done;
    }

    /// <summary>Waits until <paramref name="countSql"/> counts at least one row, polling every 100 ms.</summary>
    public static async Task WaitUntilAsync(TestDatabase database, string countSql, int polls)
    {
        for (var i = 0; i < polls; i++)
        {
            if (await ScalarAsync<long>(database, countSql) >= 1)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Never true: {countSql}");
    }

    public static async Task<T> ScalarAsync<T>(TestDatabase database, string sql)
    {
        await using var connection = await database.OpenAsync();
        return (await Dapper.SqlMapper.ExecuteScalarAsync<T>(connection, sql))!;
    }
}
