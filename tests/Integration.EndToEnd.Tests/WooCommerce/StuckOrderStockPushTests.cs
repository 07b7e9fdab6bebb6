using System.Net;

namespace Integration.EndToEnd.Tests.WooCommerce;

/// <summary>
/// <c>woocommerce-stock-push</c> while an order of one store is stuck at an incident: the store took the order (and
/// lowered its stock), the ERP has not booked it, so its units are held off what every store of the company is shown
/// until it is booked.
/// </summary>
public sealed class StuckOrderStockPushTests(WooTwoStoresStockHost host) : IClassFixture<WooTwoStoresStockHost>
{
    [Fact]
    public async Task A_stuck_orders_units_are_held_off_the_stores_stock_until_the_ERP_books_it()
    {
        await host.RunScheduleAsync("woocommerce-stock-push", "nightly");
        // A processing order the ERP refuses to invoice (its mug is on hold): the run stops at an incident, nothing booked.
        await SetStatusAsync("MUG-WHT", "On hold");
        try
        {
            var order = new WooOrderPayload();
            await host.OrderEventAsync("order.created", order);
            var run = (await host.OrderRunsAsync(order.Id)).Single().GetProperty("id").GetString();
            var incident = await host.ScalarAsync<long>(
                "SELECT id FROM flows.incident WHERE instance_id = @run::uuid AND activity_id = 'invoice' AND status = 'Open'", new { run });

            // T-shirts arrive in the ERP meanwhile: both stores of the company are shown the balance less the order's two (the
            // other store would otherwise sell units the first has sold).
            var (code, body) = await host.PostAsync("/api/erp/stock-entries", new
            {
                company = "EG01", purpose = "Receipt", postingDate = "2026-11-24", lines = new[] { new { sku = "TSHIRT-BLU-M", qty = 10, rate = 100, warehouse = "MAIN-WH" } },
            });
            Assert.True(code == HttpStatusCode.Created, body.ToString());
            var before = await host.ScalarAsync<decimal>("SELECT actual_qty - reserved_qty FROM erp.bin WHERE sku = 'TSHIRT-BLU-M' AND warehouse = 'MAIN-WH'", new { });
            await host.RunScheduleAsync("woocommerce-stock-push", "everyMinute");
            Assert.Equal(before - 2, WooTwoStoresStockHost.Stock(host.Woo, "TSHIRT-BLU-M"));
            Assert.Equal(before - 2, WooTwoStoresStockHost.Stock(host.Outlet, "TSHIRT-BLU-M"));

            // Booked on retry: the ERP's balance counts the two now; both stores are shown it, nothing held.
            await SetStatusAsync("MUG-WHT", "Active");
            var (retried, answer) = await host.PostAsync($"/api/incidents/{incident}/retry", new { });
            Assert.True(retried == HttpStatusCode.OK, answer.ToString());
            await host.RunScheduleAsync("woocommerce-stock-push", "everyMinute");
            Assert.Equal(before - 2, WooTwoStoresStockHost.Stock(host.Woo, "TSHIRT-BLU-M"));
            Assert.Equal(before - 2, WooTwoStoresStockHost.Stock(host.Outlet, "TSHIRT-BLU-M"));
        }
        finally
        {
            await SetStatusAsync("MUG-WHT", "Active");
        }
    }

    private async Task SetStatusAsync(string sku, string status)
    {
        var (code, body) = await host.PostAsync($"/api/erp/items/{sku}/status?company=EG01", new { status });
        Assert.True(code == HttpStatusCode.OK, body.ToString());
    }
}
