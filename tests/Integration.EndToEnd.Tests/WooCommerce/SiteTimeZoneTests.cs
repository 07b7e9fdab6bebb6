using System.Globalization;
using Integration.EndToEnd.Tests.Shopify;
using static Integration.Simulators.WooCommerce.WooCommerceStoreState;

namespace Integration.EndToEnd.Tests.WooCommerce;

/// <summary>
/// A store whose site is not on Cairo time: its refunds and cancellations are booked on their day in Cairo, as its
/// invoices are (by <c>date_paid_gmt</c>), not on the day the site's local texts say. The order is paid on 24 November
/// and reaches the ERP on the 30th; the store's clock then moves to the evening of the 30th in New York.
/// </summary>
public sealed class SiteTimeZoneTests(WooNewYorkStoreHost host) : IClassFixture<WooNewYorkStoreHost>, IDisposable
{
    private readonly ErpBooks books = new(host, "woocommerce", WooCommerceStoreHost.Store);

    [Fact]
    public async Task A_refund_made_on_the_30th_in_new_york_after_midnight_in_cairo_is_booked_on_the_1st()
    {
        var order = await InvoicedOrderAsync();
        // 17:30 on 30 November in New York is 22:30 GMT, still the 30th, and 00:30 in Cairo on 1 December.
        host.StoreTime = new DateTimeOffset(2026, 11, 30, 22, 30, 0, TimeSpan.Zero);
        var refund = host.Woo.State.Refund(order.Id, [new RefundItem(order.Id * 10 + 2, 1, 120m, 16.80m)], reason: "Broken");
        Assert.Equal("2026-11-30T17:30:00", (string?)refund["date_created"]);

        await host.WaitAsync(await host.Woo.Webhooks.TriggerAsync("order.updated", order.Id));

        Assert.Equal(new DateTime(2026, 12, 1), await PostingDateAsync(order.Id.ToString(CultureInfo.InvariantCulture) + "/refund/%"));
        Assert.Equal("2026-11-24", (await books.DocumentAsync("Sales Invoice", order.Id)).GetProperty("postingDate").GetString());
    }

    [Fact]
    public async Task An_invoiced_order_cancelled_on_the_30th_in_new_york_after_midnight_in_cairo_is_credited_on_the_1st()
    {
        var order = await InvoicedOrderAsync();
        // 18:00 on 30 November in New York: 23:00 GMT, still the 30th, and 01:00 in Cairo on 1 December.
        host.StoreTime = new DateTimeOffset(2026, 11, 30, 23, 0, 0, TimeSpan.Zero);
        host.Woo.State.SetOrderStatus(order.Id, "cancelled");
        Assert.Equal("2026-11-30T18:00:00", (string?)host.Woo.State.Order(order.Id)!["date_modified"]);

        await host.WaitAsync(await host.Woo.Webhooks.TriggerAsync("order.updated", order.Id));

        Assert.Equal(new DateTime(2026, 12, 1), await PostingDateAsync(order.Id.ToString(CultureInfo.InvariantCulture) + "/cancel"));
    }

    public void Dispose() => host.StoreTime = null;

    private async Task<WooOrderPayload> InvoicedOrderAsync()
    {
        host.StoreTime = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
        var order = new WooOrderPayload();
        await host.OrderEventAsync("order.created", order);
        Assert.Equal("2026-11-24", (await books.DocumentAsync("Sales Invoice", order.Id)).GetProperty("postingDate").GetString());
        return order;
    }

    private Task<DateTime> PostingDateAsync(string sourceId) => books.SingleAsync<DateTime>(
        "SELECT posting_date FROM erp.sales_document WHERE doc_type = 'Sales Return' AND source_system = 'woocommerce' AND source_store = @Store AND source_id LIKE @sourceId",
        new { WooCommerceStoreHost.Store, sourceId });
}
