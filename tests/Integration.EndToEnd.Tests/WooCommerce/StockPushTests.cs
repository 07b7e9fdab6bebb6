using System.Diagnostics;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Integration.EndToEnd.Tests.WooCommerce;

/// <summary>ERP stock to a WooCommerce store through <c>woocommerce-stock-push</c>: batches of at most 100, each item checked.</summary>
public sealed class StockPushTests(WooCommerceCatalogHost host, ITestOutputHelper output) : IClassFixture<WooCommerceCatalogHost>
{
    [Fact]
    public async Task Stock_of_10000_skus_reaches_the_store_in_batches_of_100_then_only_what_changed()
    {
        var batchesBefore = host.Woo.Requests.Count(r => r.Path.EndsWith("/batch", StringComparison.Ordinal));
        var watch = Stopwatch.StartNew();
        // The nightly full upload (the every-minute push may have run while the catalogue was being loaded).
        var first = await host.RunScheduleAsync("woocommerce-stock-push", "nightly");
        watch.Stop();

        var stock = host.Stock();
        for (var i = 0; i < WooCommerceCatalogHost.Skus; i++)
        {
            var sku = WooCommerceCatalogHost.Sku(i);
            Assert.Equal(sku == WooCommerceCatalogHost.LockedSku ? null : WooCommerceCatalogHost.Received(i), stock[sku]);
        }

        var batches = host.Woo.Requests.Skip(batchesBefore).Where(r => r.Path.EndsWith("/batch", StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(batches, b => b.Status == 413);
        Assert.All(batches, b => Assert.InRange(JsonNode.Parse(b.Body!)!["update"]!.AsArray().Count, 1, 100));
        // 50 of simple products and 50 of variations (one per variable product) at the least; the every-minute run may add its own.
        Assert.True(batches.Count >= 100, $"{batches.Count} batch requests for 10,000 SKUs");
        var pushed = first.GetProperty("output").GetProperty("pushed").GetProperty("stores").GetProperty(WooCommerceStoreHost.Store);
        // Every catalogue SKU but the locked one, set now or already set by the every-minute push (the upload is compared); the
        // refused item is reported, and so are the order fixture's three items the store does not sell.
        Assert.Equal(WooCommerceCatalogHost.Skus - 1, pushed.GetProperty("pushed").GetInt32() + pushed.GetProperty("unchanged").GetInt32());
        Assert.Equal(4, pushed.GetProperty("skipped").GetInt32());
        // The run's own requests: 5,000 simple products in 50 batches of products/batch and 5,000 variations in one batch per
        // variable product, plus at most two more per page of 500 ERP balances (a page may end inside a batch of either kind);
        // fewer when the every-minute push set some first, but never more than 100 items a request.
        var requests = first.GetProperty("output").GetProperty("pushed").GetProperty("requests").GetInt32();
        Assert.InRange(requests, (pushed.GetProperty("pushed").GetInt32() + 99) / 100, 100 + (2 * 21));
        output.WriteLine($"10,000 SKUs: {pushed} in {requests} batch requests ({batches.Count} with the every-minute runs), {watch.Elapsed.TotalSeconds:0.0} s; most requests in flight at once: {host.Woo.MaxInFlight}");

        // A sale changes three balances: the next run pushes those, not the catalogue.
        await host.PostAsync("/api/erp/stock-entries", new
        {
            company = "EG01",
            purpose = "Issue",
            postingDate = "2026-11-02",
            lines = new[] { 7, 70, 7000 }.Select(i => new { sku = WooCommerceCatalogHost.Sku(i), qty = 1, warehouse = "MAIN-WH" }).ToArray(),
        });
        var second = await host.RunScheduleAsync("woocommerce-stock-push", "everyMinute");

        // Only what changed (the every-minute schedule may have pushed some of it a moment before).
        Assert.InRange(second.GetProperty("output").GetProperty("pushed").GetProperty("stores").GetProperty(WooCommerceStoreHost.Store).GetProperty("pushed").GetInt32(), 0, 10);
        stock = host.Stock();
        foreach (var i in new[] { 7, 70, 7000 })
        {
            Assert.Equal(WooCommerceCatalogHost.Received(i) - 1, stock[WooCommerceCatalogHost.Sku(i)]);
        }

        Assert.Equal("instock", (string?)host.Woo.State.Products.Single(p => (string?)p["sku"] == WooCommerceCatalogHost.Sku(7))["stock_status"]);

        // Someone edits stock in WooCommerce admin: a product's quantity, and a variation's stock management turned off.
        // The next nightly upload reads what the store shows, sets only those two back and reports them as drift.
        var mug = host.Woo.State.Products.Single(p => (string?)p["sku"] == WooCommerceCatalogHost.Sku(11));
        mug["stock_quantity"] = 999;
        host.Woo.State.PutProduct(mug);
        var variation = host.Woo.State.Products.Where(p => (string?)p["type"] == "variable").SelectMany(p => host.Woo.State.Variations((long)p["id"]!))
            .Single(v => (string?)v["sku"] == WooCommerceCatalogHost.Sku(6001));
        variation["manage_stock"] = false;
        host.Woo.State.PutVariation((long)variation["parent_id"]!, variation);
        var writesBefore = host.Woo.Requests.Count(r => r.Path.EndsWith("/batch", StringComparison.Ordinal));
        var readsBefore = host.Woo.Requests.Count(r => r.Method == "GET" && r.Query?.Contains("include", StringComparison.Ordinal) == true);
        watch.Restart();

        var third = (await host.RunScheduleAsync("woocommerce-stock-push", "nightly")).GetProperty("output").GetProperty("pushed").GetProperty("stores").GetProperty(WooCommerceStoreHost.Store);
        watch.Stop();
        output.WriteLine($"compared nightly upload of 10,000 SKUs with 2 edited in the store: {third.GetProperty("pushed")} set, {third.GetProperty("unchanged")} unchanged, "
            + $"{host.Woo.Requests.Count(r => r.Method == "GET" && r.Query?.Contains("include", StringComparison.Ordinal) == true) - readsBefore} reads, {watch.Elapsed.TotalSeconds:0.0} s");

        Assert.Equal((2, WooCommerceCatalogHost.Skus - 3, 3), (third.GetProperty("pushed").GetInt32(), third.GetProperty("unchanged").GetInt32(), third.GetProperty("drifted").GetInt32()));
        var drift = third.GetProperty("drift").EnumerateArray().ToDictionary(d => d.GetProperty("sku").GetString()!, d => d.GetProperty("store").ValueKind == System.Text.Json.JsonValueKind.Null ? (decimal?)null : d.GetProperty("store").GetDecimal());
        Assert.Equal(new Dictionary<string, decimal?> { [WooCommerceCatalogHost.Sku(11)] = 999, [WooCommerceCatalogHost.Sku(6001)] = null, [WooCommerceCatalogHost.LockedSku] = null }, drift);
        stock = host.Stock();
        Assert.Equal(((decimal?)WooCommerceCatalogHost.Received(11), (decimal?)WooCommerceCatalogHost.Received(6001)), (stock[WooCommerceCatalogHost.Sku(11)], stock[WooCommerceCatalogHost.Sku(6001)]));
        // Written: a products/batch with the product and the locked one, a variations/batch with the variation (and what the every-minute push may send).
        Assert.InRange(host.Woo.Requests.Count(r => r.Path.EndsWith("/batch", StringComparison.Ordinal)) - writesBefore, 2, 4);
    }
}
