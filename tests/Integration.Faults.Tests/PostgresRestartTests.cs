using System.Diagnostics;
using Integration.Sandbox;
using Xunit.Abstractions;

namespace Integration.Faults.Tests;

/// <summary>
/// PostgreSQL crashes and restarts (an immediate restart, then WAL recovery) in the middle of the order load: the
/// stores' webhooks that found the host without its database are retried as the stores retry them, runs cut off are
/// done again from the inbox or their checkpoint, and every order is posted once with a Valid receipt.
/// </summary>
public sealed class PostgresRestartTests(ITestOutputHelper log)
{
    private const int Orders = 40;
    private const int RestartAfter = 12;

    [Fact]
    public async Task PostgreSQL_restarted_mid_load_loses_and_doubles_no_order()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(9));
        var wall = Stopwatch.StartNew();
        await using var postgres = await OwnPostgres.StartAsync();
        var connectionString = postgres.ConnectionString("faults");
        await using var loop = await ProcessLoop.StartAsync(postgres.DatabaseUrl("faults"), connectionString, log, deadline.Token);
        using var api = loop.Api(loop.First);
        // The stores retry a delivery the host could not take, as Shopify and a WooCommerce queue do, a second apart.
        loop.Stores.Shopify.Webhooks.MaxAttempts = 20;
        loop.Stores.Shopify.Webhooks.RetryDelay = TimeSpan.FromSeconds(1);
        loop.Stores.Woo.Webhooks.Retries = 20;
        loop.Stores.Woo.Webhooks.RetryDelay = TimeSpan.FromSeconds(1);
        loop.Stores.Woo.Options.MaxDeliveryFailures = 100;
        using var generator = new OrderGenerator(loop.Stores, loop.First.Url, TimeProvider.System, seed: 5);

        var placed = new List<DemoOrder>();
        var loadStarted = Stopwatch.StartNew();
        Task<TimeSpan>? restart = null;
        while (placed.Count < Orders)
        {
            placed.AddRange(await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => generator.PlaceAsync(deadline.Token))));
            if (placed.Count >= RestartAfter && restart is null)
            {
                // Not awaited: orders keep coming while the server is down and recovering.
                restart = postgres.RestartAsync("immediate");
                log.WriteLine($"PostgreSQL restart (immediate) after {placed.Count} orders, {loadStarted.Elapsed.TotalSeconds:0.0} s into the load");
            }
        }

        var downFor = await restart!;
        var loadTook = loadStarted.Elapsed;
        var orders = placed.Select(ProcessLoop.Order).ToList();
        var open = await loop.SettleAsync(api, orders, TimeSpan.FromMinutes(4));
        var report = await new LoopConsistency(api, connectionString, DemoCatalogue.Company).CheckAsync(orders, []);
        var failedAttempts = loop.Stores.Shopify.Webhooks.Attempts.Count(a => a.Status != System.Net.HttpStatusCode.OK)
            + loop.Stores.Woo.Webhooks.Attempts.Count(a => a.Status != System.Net.HttpStatusCode.OK && a.Topic != "action.ping");
        log.WriteLine($"PostgreSQL restart: {report}; {open} unsettled; restart took {downFor.TotalSeconds:0.0} s; {failedAttempts} webhook attempts refused and retried; "
            + $"orders placed in {loadTook.TotalSeconds:0.0} s, all settled and checked {(loadStarted.Elapsed - loadTook).TotalSeconds:0.0} s later; wall {wall.Elapsed.TotalSeconds:0.0} s");
        Assert.True(report.Problems.Count == 0, report.Describe() + "\n" + loop.LogTails());
        Assert.All(placed, o => Assert.Equal(200, o.WebhookStatus));
        Assert.Equal(Orders, report.ValidReceipts);
        Assert.False(loop.First.HasExited, "the host died with its database\n" + loop.LogTails());
    }
}
