using System.Globalization;
using Integration.Connectors.Shopify.Orders;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.Shopify.Tests.Orders;

/// <summary>
/// An order longer than one answer of the order read (10 lines, 3 shipping lines, 5 lines and 2 shipping lines per
/// refund) is read whole:
/// the rest of each connection comes page by page after the cursor the answer ended on.
/// </summary>
public sealed class ShopifyLongOrderTests
{
    [Fact]
    public async Task A_wholesale_order_of_250_lines_with_a_refund_of_45_is_read_whole()
    {
        using var store = new ShopifySimulatorStore();
        var id = store.Simulator.State.AddOrder(LongShopifyOrder.Build(lines: 250, shipping: 23, refunded: 45, shippingRefunded: 7));

        var order = (await store.Services.GetRequiredService<ShopifyOrders>().GetAsync("sim", id.ToString(CultureInfo.InvariantCulture)))!;

        var lines = order["line_items"]!.AsArray();
        Assert.Equal(250, lines.Count);
        Assert.Equal(Enumerable.Range(1, 250).Select(n => 7_000_000_000_000L + n), lines.Select(l => l!["id"]!.GetValue<long>()));
        Assert.Equal("SKU-250", lines[249]!["sku"]!.GetValue<string>());
        Assert.Equal("2.50", lines[249]!["tax_lines"]![0]!["price"]!.GetValue<string>());
        Assert.Equal(Enumerable.Range(1, 23).Select(n => (long)n), order["shipping_lines"]!.AsArray().Select(s => s!["id"]!.GetValue<long>()));
        var refunded = order["refunds"]![0]!["refund_line_items"]!.AsArray();
        Assert.Equal(Enumerable.Range(1, 45).Select(n => 7_000_000_000_000L + n), refunded.Select(r => r!["line_item_id"]!.GetValue<long>()));
        Assert.Equal(Enumerable.Range(1, 7).Select(n => (long)n), order["refunds"]![0]!["refund_shipping_lines"]!.AsArray().Select(r => r!["shipping_line_id"]!.GetValue<long>()));
        // 10 lines came with the order, then pages of 50, 50, 50, 50 and 40; the refund's 5, then 40, and 2 shipping
        // lines, then 5; the order's shipping 3, then 20.
        Assert.Equal(1, store.Simulator.Ran("Order"));
        Assert.Equal(5, store.Simulator.Ran("OrderLineItems"));
        Assert.Equal(1, store.Simulator.Ran("RefundLineItems"));
        Assert.Equal(1, store.Simulator.Ran("OrderShippingLines"));
        Assert.Equal(1, store.Simulator.Ran("RefundShippingLines"));
    }

    [Fact]
    public async Task An_order_that_fits_one_answer_costs_one_read()
    {
        using var store = new ShopifySimulatorStore();
        var id = store.Simulator.State.AddOrder(LongShopifyOrder.Build(lines: 10, shipping: 3, refunded: 5, shippingRefunded: 2));

        var order = (await store.Services.GetRequiredService<ShopifyOrders>().GetAsync("sim", id.ToString(CultureInfo.InvariantCulture)))!;

        Assert.Equal(10, order["line_items"]!.AsArray().Count);
        Assert.Equal(5, order["refunds"]![0]!["refund_line_items"]!.AsArray().Count);
        Assert.Equal(0, store.Simulator.Ran("OrderLineItems") + store.Simulator.Ran("RefundLineItems") + store.Simulator.Ran("OrderShippingLines") + store.Simulator.Ran("RefundShippingLines"));
    }

    [Fact]
    public async Task Orders_read_for_reconciliation_are_read_whole_too()
    {
        using var store = new ShopifySimulatorStore();
        store.Simulator.State.AddOrder(LongShopifyOrder.Build(lines: 130, shipping: 1, refunded: 0, shippingRefunded: 0));

        var (orders, _) = await store.Services.GetRequiredService<ShopifyOrders>().UpdatedSinceAsync("sim", DateTimeOffset.Parse("2026-11-01T00:00:00Z", CultureInfo.InvariantCulture));

        Assert.Equal(130, Assert.Single(orders)["line_items"]!.AsArray().Count);
    }
}
