using System.Globalization;
using System.Text.Json.Nodes;
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
        var id = store.Simulator.State.AddOrder(LongOrder(lines: 250, shipping: 23, refunded: 45, shippingRefunded: 7));

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
        var id = store.Simulator.State.AddOrder(LongOrder(lines: 10, shipping: 3, refunded: 5, shippingRefunded: 2));

        var order = (await store.Services.GetRequiredService<ShopifyOrders>().GetAsync("sim", id.ToString(CultureInfo.InvariantCulture)))!;

        Assert.Equal(10, order["line_items"]!.AsArray().Count);
        Assert.Equal(5, order["refunds"]![0]!["refund_line_items"]!.AsArray().Count);
        Assert.Equal(0, store.Simulator.Ran("OrderLineItems") + store.Simulator.Ran("RefundLineItems") + store.Simulator.Ran("OrderShippingLines") + store.Simulator.Ran("RefundShippingLines"));
    }

    [Fact]
    public async Task Orders_read_for_reconciliation_are_read_whole_too()
    {
        using var store = new ShopifySimulatorStore();
        store.Simulator.State.AddOrder(LongOrder(lines: 130, shipping: 1, refunded: 0, shippingRefunded: 0));

        var (orders, _) = await store.Services.GetRequiredService<ShopifyOrders>().UpdatedSinceAsync("sim", DateTimeOffset.Parse("2026-11-01T00:00:00Z", CultureInfo.InvariantCulture));

        Assert.Equal(130, Assert.Single(orders)["line_items"]!.AsArray().Count);
    }

    private static JsonObject LongOrder(int lines, int shipping, int refunded, int shippingRefunded)
    {
        var order = new JsonObject
        {
            ["name"] = "#W1",
            ["currency"] = "EGP",
            ["taxes_included"] = false,
            ["financial_status"] = "paid",
            ["updated_at"] = "2026-11-24T09:00:00+02:00",
            ["line_items"] = new JsonArray([.. Enumerable.Range(1, lines).Select(n => (JsonNode?)new JsonObject
            {
                ["admin_graphql_api_id"] = $"gid://shopify/LineItem/{7_000_000_000_000L + n}",
                ["sku"] = $"SKU-{n}",
                ["title"] = $"Item {n}",
                ["quantity"] = 2,
                ["price"] = "10.00",
                ["discount_allocations"] = new JsonArray(),
                ["tax_lines"] = new JsonArray(new JsonObject { ["title"] = "VAT", ["rate"] = 0.14, ["price"] = (n / 100m).ToString("0.00", CultureInfo.InvariantCulture) }),
            })]),
            ["shipping_lines"] = new JsonArray([.. Enumerable.Range(1, shipping).Select(n => (JsonNode?)new JsonObject
            {
                ["id"] = (long)n,
                ["title"] = $"Drop {n}",
                ["price"] = "5.00",
                ["discount_allocations"] = new JsonArray(),
                ["tax_lines"] = new JsonArray(),
            })]),
        };
        if (refunded > 0)
        {
            order["refunds"] = new JsonArray(new JsonObject
            {
                ["id"] = 990001L,
                ["created_at"] = "2026-11-24T10:00:00+02:00",
                ["refund_line_items"] = new JsonArray([.. Enumerable.Range(1, refunded).Select(n => (JsonNode?)new JsonObject
                {
                    ["line_item_id"] = 7_000_000_000_000L + n,
                    ["quantity"] = 1,
                    ["restock_type"] = "return",
                })]),
                ["refund_shipping_lines"] = new JsonArray([.. Enumerable.Range(1, shippingRefunded).Select(n => (JsonNode?)new JsonObject { ["shipping_line_id"] = (long)n })]),
            });
        }

        return order;
    }
}
