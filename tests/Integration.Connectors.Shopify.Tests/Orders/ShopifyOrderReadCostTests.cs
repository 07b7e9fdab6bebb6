using System.Globalization;
using System.Text.Json.Nodes;
using Integration.Connectors.Shopify.Orders;
using Integration.Simulators.Shopify;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.Shopify.Tests.Orders;

/// <summary>
/// Shopify prices a query before running it (a connection 2 plus <c>first</c> times every object in one node) and
/// refuses one above 1,000 points. The order reads stay under it, whatever the order's size; the simulator prices
/// their text the way Shopify does, checked here against a figure Shopify's own connector publishes.
/// </summary>
public sealed class ShopifyOrderReadCostTests
{
    [Fact]
    public void The_simulator_prices_a_query_as_Shopify_does()
    {
        // Business Central's Shopify connector declares this query's cost as 103: the fulfillment order 1, its lines
        // connection 2, and 25 nodes of 4 (the node, its line item, product and variant).
        const string published = "{fulfillmentOrder(id: \"gid://shopify/FulfillmentOrder/1\") {lineItems(first: 25, after:\"abc\") {pageInfo {hasNextPage} edges {cursor node {id totalQuantity remainingQuantity lineItem {product {legacyResourceId} variant {legacyResourceId}}}}}}}";
        Assert.Equal(103, GraphQLQueryCost.Requested(published, []));
        // The same with nodes { } and the page size from a variable.
        const string nodes = "query Q($first: Int!) { fulfillmentOrder(id: \"x\") { lineItems(first: $first) { nodes { id lineItem { product { id } variant { id } } } pageInfo { endCursor } } } }";
        Assert.Equal(103, GraphQLQueryCost.Requested(nodes, new JsonObject { ["first"] = 25 }));
    }

    [Fact]
    public async Task Every_read_of_a_long_order_with_a_refund_stays_under_1000_points()
    {
        using var store = new ShopifySimulatorStore();
        var id = store.Simulator.State.AddOrder(LongShopifyOrder.Build(lines: 120, shipping: 8, refunded: 12, tenders: 6));

        var order = (await store.Services.GetRequiredService<ShopifyOrders>().GetAsync("sim", id.ToString(CultureInfo.InvariantCulture)))!;

        Assert.Equal(120, order["line_items"]!.AsArray().Count);
        Assert.Equal(8, order["shipping_lines"]!.AsArray().Count);
        Assert.Equal(12, order["refunds"]![0]!["refund_line_items"]!.AsArray().Count);
        Assert.Equal(6, order["refunds"]![0]!["transactions"]!.AsArray().Count);
        foreach (var operation in new[] { "Order", "OrderLineItems", "OrderShippingLines", "RefundLineItems", "RefundTransactions" })
        {
            var cost = store.Simulator.LastRequestedCost(operation);
            Assert.InRange(cost, 1, 1000);
        }

        // The order read itself asks for little, so a store's bucket (1,000 on the standard plan) holds three of them;
        // and it is waited for at no less before its first answer teaches the figure (a lower guess overdraws a busy bucket).
        Assert.InRange(store.Simulator.LastRequestedCost("Order"), 1, 333);
        Assert.InRange(store.Simulator.LastRequestedCost("Order"), 1, ShopifyOrders.OrderReadCost);
    }

    [Fact]
    public async Task A_page_of_the_reconciliation_stays_under_1000_points()
    {
        using var store = new ShopifySimulatorStore();
        for (var i = 0; i < 4; i++)
        {
            store.Simulator.State.AddOrder(LongShopifyOrder.Build(lines: 3, shipping: 1));
        }

        var (orders, _) = await store.Services.GetRequiredService<ShopifyOrders>().UpdatedSinceAsync("sim", DateTimeOffset.Parse("2026-11-01T00:00:00Z", CultureInfo.InvariantCulture));

        Assert.Equal(4, orders.Count);
        Assert.InRange(store.Simulator.LastRequestedCost("OrdersUpdatedSince"), 1, 1000);
    }
}
