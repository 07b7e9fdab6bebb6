using System.Diagnostics;
using System.Text.Json;
using Integration.Sandbox;
using Integration.Testing;
using Xunit.Abstractions;

namespace Integration.Faults.Tests;

/// <summary>
/// The WooCommerce store's API is down (every call answers 503) while orders arrive at both stores, with the host's
/// shipped settings: the Shopify orders are posted with Valid receipts while the store is still down (its runs fail
/// fast with transient incidents instead of holding the deliveries queued behind them for their back-offs), and once it
/// is back the retried incidents post the WooCommerce orders, each once.
/// </summary>
public sealed class StoreOutageTests(ITestOutputHelper log) : IAsyncLifetime
{
    private const int Orders = 24;
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestPostgres.CreateDatabaseAsync("faultsoutage");

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Shopify_orders_post_while_the_woocommerce_store_is_down_and_its_orders_post_once_it_is_back()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(9));
        var wall = Stopwatch.StartNew();
        await using var loop = await ProcessLoop.StartAsync(_database.Url, _database.ConnectionString, log, deadline.Token);
        using var api = loop.Api(loop.First);
        using var generator = new OrderGenerator(loop.Stores, loop.First.Url, TimeProvider.System, seed: 11);

        loop.Stores.Woo.Down = true;
        var down = Stopwatch.StartNew();
        var placed = new List<DemoOrder>();
        while (placed.Count < Orders)
        {
            placed.AddRange(await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => generator.PlaceAsync(deadline.Token))));
        }

        var shopify = placed.Where(o => o.System == "shopify").Select(ProcessLoop.Order).ToList();
        var woo = placed.Where(o => o.System == "woocommerce").Select(ProcessLoop.Order).ToList();
        Assert.NotEmpty(woo);

        // Before the store is back: every Shopify order is invoiced and its receipt decided (the time it took is the figure;
        // the limit is generous for a loaded machine).
        var shopifyOpen = await loop.SettleAsync(api, shopify, TimeSpan.FromMinutes(4));
        var shopifySettledIn = down.Elapsed;
        Assert.True(shopifyOpen == 0, $"{shopifyOpen} of {shopify.Count} Shopify orders unsettled {shopifySettledIn.TotalSeconds:0} s into the WooCommerce outage\n{loop.LogTails()}");
        // Each WooCommerce order's run ends in a transient incident (after its client's back-off, or at once once the store
        // is paused), nothing booked for it, while the store is still down.
        var incidents = await OpenIncidentsAsync(api, "woocommerce-order-to-cash");
        for (var wait = Stopwatch.StartNew(); incidents.Count < woo.Count && wait.Elapsed < TimeSpan.FromMinutes(3); incidents = await OpenIncidentsAsync(api, "woocommerce-order-to-cash"))
        {
            await Task.Delay(1000);
        }

        Assert.Equal(woo.Count, incidents.Count);
        Assert.All(incidents, i => Assert.True(i.GetProperty("transient").GetBoolean(), i.ToString()));
        var paused = incidents.Count(i => i.GetProperty("message").GetString()!.Contains("calls are paused", StringComparison.Ordinal));

        // The store is back; an operator (or the host, minutes later) retries what the outage left, until it has passed the pause.
        loop.Stores.Woo.Down = false;
        var outage = down.Elapsed;
        var retried = 0;
        long open;
        do
        {
            retried += await FaultLoop.RetryOpenIncidentsAsync(api);
            open = await loop.SettleAsync(api, [.. shopify, .. woo], TimeSpan.FromSeconds(10));
        }
        while (open > 0 && !deadline.IsCancellationRequested);

        var report = await new LoopConsistency(api, _database.ConnectionString, DemoCatalogue.Company).CheckAsync([.. shopify, .. woo], []);
        log.WriteLine($"WooCommerce down {outage.TotalSeconds:0} s: {shopify.Count} Shopify orders settled {shopifySettledIn.TotalSeconds:0} s in; "
            + $"{incidents.Count} WooCommerce order incidents ({paused} found the store paused); {retried} incidents retried after; {report}; wall {wall.Elapsed.TotalSeconds:0} s");
        Assert.True(report.Problems.Count == 0, report.Describe() + "\n" + loop.LogTails());
        Assert.Equal(placed.Count, report.ValidReceipts);
    }

    private static async Task<List<JsonElement>> OpenIncidentsAsync(HttpClient api, string flow)
    {
        using var open = JsonDocument.Parse(await api.GetStringAsync($"/api/incidents?status=Open&limit=500&definitionId={flow}"));
        return [.. open.RootElement.EnumerateArray().Select(i => i.Clone())];
    }
}
