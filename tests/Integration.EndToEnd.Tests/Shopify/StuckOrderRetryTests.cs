using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace Integration.EndToEnd.Tests.Shopify;

/// <summary>
/// An order whose run is stuck on an incident before the ERP booked it, and which the store then changes: retrying the
/// incident reads the order again, so the retry books the order as it is now, never the version the run first read.
/// </summary>
public sealed class StuckOrderRetryTests(ShopifyStoreHost host) : IClassFixture<ShopifyStoreHost>
{
    private readonly ErpBooks books = new(host);

    [Fact]
    public async Task A_stuck_order_cancelled_in_the_store_is_not_invoiced_when_its_incident_is_retried()
    {
        var order = new ShopifyOrderPayload();
        var (run, incidentId) = await StuckOnHeldItemAsync(order);
        try
        {
            // The store cancels the order; the cancellation's run finds nothing booked.
            var cancelled = JsonNode.Parse(order.Json())!;
            cancelled["cancelled_at"] = "2026-11-24T12:00:00+02:00";
            cancelled["cancel_reason"] = "customer";
            cancelled["financial_status"] = "refunded";
            cancelled["updated_at"] = "2026-11-24T12:00:00+02:00";
            await host.OrderEventAsync("orders/cancelled", cancelled.ToJsonString());
            await SetStatusAsync("MUG-WHT", "Active");

            // A person retries the first run's incident after the item is sold again.
            var (status, body) = await host.PostAsync($"/api/incidents/{incidentId}/retry", new { });
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("Finished", body.GetProperty("status").GetString());

            Assert.Equal(0L, await books.CountAsync(order, "Sales Invoice"));
            Assert.Equal(0L, await host.CountAsync("SELECT count(*) FROM erp.sales_document WHERE source_id LIKE @id", new { id = Text(order.Id) + "%" }));
            var retried = (await host.OrderRunsAsync(order.Id)).Single(r => r.GetProperty("id").GetString() == run);
            Assert.Equal("Finished", retried.GetProperty("status").GetString());
            Assert.Equal("Retried", await books.SingleAsync<string>("SELECT status FROM flows.incident WHERE id = @incidentId", new { incidentId }));
        }
        finally
        {
            await SetStatusAsync("MUG-WHT", "Active");
        }
    }

    [Fact]
    public async Task A_stuck_order_edited_in_the_store_is_invoiced_as_edited_when_its_incident_is_retried()
    {
        var order = new ShopifyOrderPayload();
        var (_, incidentId) = await StuckOnHeldItemAsync(order);
        try
        {
            // The store's order is edited while the run is stuck (the mug taken off); no webhook reaches the host yet.
            var edited = JsonNode.Parse(order.Json())!;
            edited["line_items"]![1]!["current_quantity"] = 0;
            edited["current_total_price"] = "570.00"; // the T-shirts 450.00 + 63.00 VAT, shipping 50.00 + 7.00
            edited["updated_at"] = "2026-11-24T12:00:00+02:00";
            host.Shopify.State.AddOrder(edited.ToJsonString());
            await SetStatusAsync("MUG-WHT", "Active");

            var (status, body) = await host.PostAsync($"/api/incidents/{incidentId}/retry", new { });
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("Finished", body.GetProperty("status").GetString());

            var invoice = await books.DocumentAsync(order, "Sales Invoice");
            Assert.DoesNotContain(invoice.GetProperty("lines").EnumerateArray(), l => l.GetProperty("sku").GetString() == "MUG-WHT");
            Assert.Equal(570.00m, invoice.GetProperty("grandTotal").GetDecimal());
            Assert.Equal(2m, invoice.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("sku").GetString() == "TSHIRT-BLU-M").GetProperty("qty").GetDecimal());
        }
        finally
        {
            await SetStatusAsync("MUG-WHT", "Active");
        }
    }

    // A paid order whose invoice the ERP refuses (an item on hold): the run ends with an open incident on the invoice.
    private async Task<(string Run, long IncidentId)> StuckOnHeldItemAsync(ShopifyOrderPayload order)
    {
        await SetStatusAsync("MUG-WHT", "On hold");
        Assert.Equal("done", await host.OrderEventAsync("orders/create", order.Json()));
        var run = (await host.OrderRunsAsync(order.Id)).Single();
        Assert.Equal(0L, await books.CountAsync(order, "Sales Invoice"));
        var incidentId = await books.SingleAsync<long>(
            "SELECT id FROM flows.incident WHERE instance_id = @run::uuid AND activity_id = 'invoice' AND status = 'Open'", new { run = run.GetProperty("id").GetString() });
        return (run.GetProperty("id").GetString()!, incidentId);
    }

    private async Task SetStatusAsync(string sku, string status)
    {
        var (code, body) = await host.PostAsync($"/api/erp/items/{sku}/status", new { status });
        Assert.True(code == HttpStatusCode.OK, body.ToString());
    }

    private static string Text(long id) => id.ToString(CultureInfo.InvariantCulture);
}
