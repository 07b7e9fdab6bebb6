using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;

namespace Integration.EndToEnd.Tests.Shopify;

/// <summary>
/// The ERP's truth reaching the store through the shipped flows, against the Shopify simulator and real PostgreSQL:
/// stock of a 10,000-SKU catalogue, prices and promotions on their dates, items on hold, deliveries, customers.
/// </summary>
public sealed class ErpToShopifyTests(ShopifyCatalogHost host, ITestOutputHelper output) : IClassFixture<ShopifyCatalogHost>
{
    [Fact]
    public async Task Stock_of_10000_skus_reaches_the_store_exactly_paced_by_its_rate_limit_then_only_what_changed()
    {
        var spentBefore = host.Shopify.PointsSpent;
        var watch = Stopwatch.StartNew();
        var first = await RunScheduleAsync("shopify-stock-push", "everyMinute");
        watch.Stop();

        for (var i = 0; i < ShopifyCatalogHost.Skus; i++)
        {
            Assert.Equal(ShopifyCatalogHost.Received(i), host.Shopify.State.Available(ShopifyCatalogHost.Sku(i)));
        }

        Assert.Equal(0, host.Shopify.Throttled);
        var points = host.Shopify.PointsSpent - spentBefore;
        var allowed = Math.Max(0, (points - host.Shopify.BucketSize) / host.Shopify.RestoreRate);
        output.WriteLine($"10,000 SKUs: {first.GetProperty("output").GetProperty("pushed")} in {watch.Elapsed.TotalSeconds:0.0} s; {points:0} points; " +
            $"the plan ({host.Shopify.RestoreRate:0} points/s, bucket {host.Shopify.BucketSize:0}) allows it in {allowed:0.0} s; 429 answers: {host.Shopify.Throttled}");

        // A sale changes three balances: the next run pushes those, not the catalogue.
        await host.PostAsync("/api/erp/stock-entries", new
        {
            company = "EG01", purpose = "Issue", postingDate = "2026-11-02",
            lines = new[] { 7, 70, 700 }.Select(i => new { sku = ShopifyCatalogHost.Sku(i), qty = 1, warehouse = "MAIN-WH" }).ToArray(),
        });
        var second = await RunScheduleAsync("shopify-stock-push", "everyMinute");

        Assert.Equal(3, second.GetProperty("output").GetProperty("pushed").GetProperty("pushed").GetInt32());
        foreach (var i in new[] { 7, 70, 700 })
        {
            Assert.Equal(ShopifyCatalogHost.Received(i) - 1, host.Shopify.State.Available(ShopifyCatalogHost.Sku(i)));
        }
    }

    /// <summary>Fires a flow's schedule now and waits for that run to end; returns the run (newest first in /api/runs).</summary>
    private async Task<JsonElement> RunScheduleAsync(string flow, string activity)
    {
        var before = await EndedAsync(flow);
        var (status, body) = await host.PostAsync($"/api/schedules/{flow}/{activity}/run", new { });
        Assert.True(status == System.Net.HttpStatusCode.Accepted, $"{(int)status}: {body}");
        for (var i = 0; i < 3000; i++)
        {
            var ended = await EndedAsync(flow);
            if (ended.Count > before.Count)
            {
                var detail = await host.GetJsonAsync($"/api/runs/{ended[0].GetProperty("id").GetGuid()}");
                Assert.True(detail.GetProperty("status").GetString() == "Finished", detail.ToString());
                return detail;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{flow} did not finish");
    }

    private async Task<List<JsonElement>> EndedAsync(string flow) =>
        [.. (await host.GetJsonAsync($"/api/runs?definitionId={flow}&limit=500")).EnumerateArray().Where(r => r.GetProperty("status").GetString() is "Finished" or "Faulted")];
}
