using Integration.EndToEnd.Tests.Shopify;

namespace Integration.EndToEnd.Tests.WooCommerce;

/// <summary>
/// ERP deliveries of WooCommerce orders through <c>woocommerce-fulfilment</c>: a customer note with the tracking number,
/// a paid order completed, once per tracking number; the order.updated our own change causes books nothing again.
/// </summary>
public sealed class DeliveryTests(WooCommerceStoreHost host) : IClassFixture<WooCommerceStoreHost>
{
    private readonly ErpBooks books = new(host, "woocommerce", WooCommerceStoreHost.Store);

    [Fact]
    public async Task A_delivery_completes_a_paid_order_with_one_tracking_note_and_the_echo_books_nothing_twice()
    {
        var order = new WooOrderPayload { PaymentMethod = "cod" };
        await host.OrderEventAsync("order.created", order);
        var invoice = await books.DocumentAsync("Sales Invoice", order.Id);
        var stockBefore = await books.ActualAsync("TSHIRT-BLU-M");

        // The same delivery posted twice, then entered again as a second ERP delivery with the same tracking number.
        foreach (var source in new[] { "DN-A", "DN-A", "DN-B" })
        {
            await DeliverAsync(invoice.GetProperty("id").GetInt64(), "Bosta", "BST-" + order.Id, source + order.Id);
        }

        await ShopifyStoreHost.EventuallyAsync(() => (string?)host.Woo.State.Order(order.Id)!["status"] == "completed", "the order is completed");
        await ShopifyStoreHost.EventuallyAsync(async () => (await FulfilmentRunsAsync(order.Id)).Count == 2, "both deliveries are told to the store");
        var note = Assert.Single(host.Woo.State.OrderNotes(order.Id));
        Assert.True((bool)note["customer_note"]!);
        Assert.Equal($"Your order has shipped with Bosta. Tracking number: BST-{order.Id}", (string?)note["note"]);
        var outcomes = (await FulfilmentRunsAsync(order.Id)).Select(r => r.GetProperty("output").GetProperty("outcome").GetString()).ToList();
        Assert.Contains("note added; status completed (completed now)", outcomes);
        Assert.Contains("note there already; status completed", outcomes);

        // WooCommerce tells us about our own change (twice): the order flow finds everything booked and posts nothing; a
        // copy that comes after the first one's run is superseded (the flow reads the order again, so it changes nothing).
        WooCommerceStoreHost.AssertRunAtLeastOnce(await host.WaitAsync(await host.Woo.Webhooks.TriggerAsync("order.updated", order.Id, copies: 2)));
        Assert.Equal(1, await books.CountAsync("Sales Invoice", order.Id));
        Assert.Equal(1, await books.CountAsync("Payment", order.Id));
        Assert.Equal(0, await host.CountAsync("SELECT count(*) FROM erp.sales_document WHERE doc_type = 'Sales Return' AND source_system = 'woocommerce' AND source_id LIKE @prefix",
            new { prefix = order.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) + "%" }));
        Assert.Equal(stockBefore, await books.ActualAsync("TSHIRT-BLU-M"));
        Assert.Equal(invoice.GetProperty("grandTotal").GetDecimal(), (await books.DocumentAsync("Sales Invoice", order.Id)).GetProperty("grandTotal").GetDecimal());
        Assert.Single(host.Woo.State.OrderNotes(order.Id));
    }

    [Fact]
    public async Task A_delivery_of_an_unpaid_order_adds_the_note_and_leaves_the_status_alone()
    {
        var order = new WooOrderPayload { Status = "on-hold", PaymentMethod = "bacs" };
        await host.OrderEventAsync("order.created", order);
        var salesOrder = await books.DocumentAsync("Sales Order", order.Id);

        await DeliverAsync(salesOrder.GetProperty("id").GetInt64(), "Aramex", "AX-" + order.Id, "DN-C" + order.Id);

        await ShopifyStoreHost.EventuallyAsync(async () => (await FulfilmentRunsAsync(order.Id)).Count == 1, "the delivery is told to the store");
        Assert.Equal("note added; status on-hold", Assert.Single(await FulfilmentRunsAsync(order.Id)).GetProperty("output").GetProperty("outcome").GetString());
        Assert.Equal("on-hold", (string?)host.Woo.State.Order(order.Id)!["status"]);
        Assert.Contains("AX-" + order.Id, (string?)Assert.Single(host.Woo.State.OrderNotes(order.Id))["note"], StringComparison.Ordinal);
        Assert.Equal(0, await books.CountAsync("Sales Invoice", order.Id));
    }

    private async Task DeliverAsync(long documentId, string carrier, string trackingNo, string sourceId)
    {
        var (status, body) = await host.PostAsync("/api/erp/deliveries", new
        {
            company = "EG01",
            documentId,
            postingDate = "2026-11-25",
            carrier,
            trackingNo,
            source = new { system = "erp", store = "deliveries", id = sourceId },
        });
        Assert.True((int)status is >= 200 and < 300, body.ToString());
    }

    private async Task<List<System.Text.Json.JsonElement>> FulfilmentRunsAsync(long orderId) =>
        [.. (await host.OrderRunsAsync(orderId)).Where(r => r.GetProperty("definitionId").GetString() == "woocommerce-fulfilment"
            && r.GetProperty("status").GetString() == "Finished")];
}
