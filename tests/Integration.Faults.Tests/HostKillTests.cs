using System.Diagnostics;
using Dapper;
using Integration.Sandbox;
using Integration.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace Integration.Faults.Tests;

/// <summary>
/// Two host processes on one database share the order load; one is killed with SIGKILL in the middle of it. The
/// survivor takes over the dead host's deliveries and runs, and every order is posted once with a Valid receipt.
/// </summary>
public sealed class HostKillTests(ITestOutputHelper log) : IAsyncLifetime
{
    private const int Orders = 40;
    private const int KillAfter = 15;
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestPostgres.CreateDatabaseAsync("faultskill");

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_host_killed_mid_load_leaves_every_order_to_the_survivor_posted_exactly_once()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(9));
        var wall = Stopwatch.StartNew();
        await using var loop = await ProcessLoop.StartAsync(_database.Url, _database.ConnectionString, log, deadline.Token);
        var victim = loop.First;
        var survivor = await loop.StartHostAsync(deadline.Token);
        using var api = loop.Api(survivor);
        // The stores deliver to the survivor's address (WooCommerce to both hosts'); both hosts' dispatchers take the deliveries from the inbox.
        using var generator = new OrderGenerator(loop.Stores, survivor.Url, TimeProvider.System, seed: 7);
        var placed = new List<DemoOrder>();
        var loadStarted = Stopwatch.StartNew();
        var inFlightAtKill = new List<Guid>();
        while (placed.Count < Orders)
        {
            placed.AddRange(await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => generator.PlaceAsync(deadline.Token))));
            // Killed while it holds runs mid-flight (checkpointed, leased to it), or late in the load if it is never seen to.
            if (placed.Count >= KillAfter && !victim.HasExited && await RunsHeldByAsync(victim) is var held && (held.Count > 0 || placed.Count >= Orders - 6))
            {
                inFlightAtKill.AddRange(held);
                victim.Kill();
                log.WriteLine($"killed host {victim.Id} after {placed.Count} orders, {loadStarted.Elapsed.TotalSeconds:0.0} s into the load, holding {inFlightAtKill.Count} checkpointed runs");
            }
        }

        var loadTook = loadStarted.Elapsed;
        var orders = placed.Select(ProcessLoop.Order).ToList();
        var open = await loop.SettleAsync(api, orders, TimeSpan.FromMinutes(4));
        var report = await new LoopConsistency(api, _database.ConnectionString, DemoCatalogue.Company).CheckAsync(orders, []);
        log.WriteLine($"kill -9: {report}; {open} unsettled; deliveries dispatched to the end by the victim {loop.LinesInLog(victim, "\"Inbox {InboxId}")}, by the survivor {loop.LinesInLog(survivor, "\"Inbox {InboxId}")}; "
            + $"orders placed in {loadTook.TotalSeconds:0.0} s, all settled and checked {(loadStarted.Elapsed - loadTook).TotalSeconds:0.0} s later; wall {wall.Elapsed.TotalSeconds:0.0} s");
        Assert.True(report.Problems.Count == 0, report.Describe() + "\n" + loop.LogTails());
        Assert.All(placed, o => Assert.Equal(200, o.WebhookStatus));
        Assert.Equal(placed.Count, report.ValidReceipts);
        foreach (var run in inFlightAtKill)
        {
            Assert.Equal("Finished", await StatusOfAsync(run));
        }
    }

    /// <summary>The runs the host holds a lease on (checkpointed mid-flight) right now.</summary>
    private async Task<List<Guid>> RunsHeldByAsync(HostProcess host)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        return [.. await connection.QueryAsync<Guid>(
            "SELECT id FROM flows.instance WHERE status = 'Running' AND lease_owner LIKE '%/' || @pid || '/%'", new { pid = host.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) })];
    }

    private async Task<string> StatusOfAsync(Guid run)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        return await connection.ExecuteScalarAsync<string>("SELECT status FROM flows.instance WHERE id = @run", new { run }) ?? "missing";
    }
}
