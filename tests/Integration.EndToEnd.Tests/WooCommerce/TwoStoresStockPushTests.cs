using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Integration.EndToEnd.Tests.WooCommerce;

/// <summary>Two WooCommerce stores selling the three seeded items, stock pushed only when a test fires the schedule.</summary>
public sealed class WooTwoStoresStockHost : WooTwoStoresHost
{
    protected override bool Schedules => true;

    protected override async Task SeedAsync()
    {
        await base.SeedAsync();
        await PauseScheduleAsync("woocommerce-stock-push/everyMinute");
        foreach (var sku in TwoStoreHost.Skus)
        {
            Woo.State.PutProduct(new JsonObject { ["name"] = sku, ["sku"] = sku, ["type"] = "simple", ["manage_stock"] = false });
            Outlet.State.PutProduct(new JsonObject { ["name"] = sku, ["sku"] = sku, ["type"] = "simple", ["manage_stock"] = false });
        }
    }

    public static decimal? Stock(Integration.Simulators.WooCommerce.WooCommerceSimulator store, string sku) =>
        (decimal?)store.State.Products.Single(p => (string?)p["sku"] == sku)["stock_quantity"];
}

/// <summary><c>woocommerce-stock-push</c> with two stores: each store's push follows that store's own watermark.</summary>
public sealed class TwoStoresStockPushTests(WooTwoStoresStockHost host) : IClassFixture<WooTwoStoresStockHost>
{
    [Fact]
    public async Task A_product_made_again_in_the_store_behind_the_hosts_back_gets_its_stock_at_the_next_push()
    {
        const string sku = "CAP-BLK";
        await host.RunScheduleAsync("woocommerce-stock-push", "nightly");
        // Deleted in WooCommerce and made again: a new id, while the host's SKU index still holds the old one.
        var old = host.Woo.State.Products.Single(p => (string?)p["sku"] == sku);
        Assert.True(host.Woo.State.DeleteProduct((long)old["id"]!));
        host.Woo.State.PutProduct(new JsonObject { ["name"] = sku, ["sku"] = sku, ["type"] = "simple", ["manage_stock"] = false });
        var (received, body) = await host.PostAsync("/api/erp/stock-entries", new
        {
            company = "EG01", purpose = "Receipt", postingDate = "2026-11-02", lines = new[] { new { sku, qty = 4, rate = 30, warehouse = "MAIN-WH" } },
        });
        Assert.True(received == HttpStatusCode.Created, body.ToString());

        await host.RunScheduleAsync("woocommerce-stock-push", "everyMinute");

        var balance = await host.ScalarAsync<decimal>("SELECT actual_qty - reserved_qty FROM erp.bin WHERE sku = @sku AND warehouse = 'MAIN-WH'", new { sku });
        Assert.Equal(balance, WooTwoStoresStockHost.Stock(host.Woo, sku));
        Assert.Equal(balance, WooTwoStoresStockHost.Stock(host.Outlet, sku));
    }

    [Fact]
    public async Task A_retried_push_of_a_store_that_failed_sends_the_changes_since_its_own_last_push_not_the_other_stores()
    {
        await host.RunScheduleAsync("woocommerce-stock-push", "nightly");
        await host.RunScheduleAsync("woocommerce-stock-push", "everyMinute");
        Assert.Equal(100m, WooTwoStoresStockHost.Stock(host.Woo, "MUG-WHT"));
        Assert.Equal(100m, WooTwoStoresStockHost.Stock(host.Outlet, "MUG-WHT"));

        // A mug leaves the warehouse while the first store refuses writes for two runs: each of its pushes is an incident,
        // the second store's goes through (and its watermark moves on past the mug).
        var (issued, body) = await host.PostAsync("/api/erp/stock-entries", new
        {
            company = "EG01", purpose = "Issue", postingDate = "2026-11-02", lines = new[] { new { sku = "MUG-WHT", qty = 1, warehouse = "MAIN-WH" } },
        });
        Assert.True(issued == HttpStatusCode.Created, body.ToString());
        JsonElement run;
        host.Woo.FailRoute("POST", "products/batch", HttpStatusCode.Forbidden);
        try
        {
            await host.RunScheduleAsync("woocommerce-stock-push", "everyMinute");
            run = await host.RunScheduleAsync("woocommerce-stock-push", "everyMinute");
        }
        finally
        {
            host.Woo.FailRoute("POST", "products/batch", null);
        }

        Assert.Equal(99m, WooTwoStoresStockHost.Stock(host.Outlet, "MUG-WHT"));
        Assert.Equal(100m, WooTwoStoresStockHost.Stock(host.Woo, "MUG-WHT"));
        var incident = Assert.Single(run.GetProperty("incidents").EnumerateArray());

        var (retried, answer) = await host.PostAsync($"/api/incidents/{incident.GetProperty("id").GetInt64()}/retry", new { });

        Assert.True(retried == HttpStatusCode.OK, answer.ToString());
        Assert.Equal(99m, WooTwoStoresStockHost.Stock(host.Woo, "MUG-WHT"));
        Assert.Equal(99m, WooTwoStoresStockHost.Stock(host.Outlet, "MUG-WHT"));
    }
}
