using System.Globalization;
using Integration.Connectors.Shopify.Orders;
using Integration.Simulators.Shopify;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.Shopify.Tests.Orders;

/// <summary>
/// A store whose locations stand for several ERP warehouses reads, with each order, where Shopify routed its lines
/// (the order's fulfillment orders, one per location): each line gets the <c>location_id</c> whose stock it takes.
/// A store whose locations all stand for one warehouse does not ask.
/// </summary>
public sealed class ShopifyLineLocationTests
{
    [Fact]
    public async Task Each_line_of_a_long_order_routed_to_six_locations_gets_its_location_and_a_line_split_over_two_becomes_two()
    {
        var locations = new List<SimulatedLocation>();
        using var store = new ShopifySimulatorStore(prepare: simulator =>
        {
            locations.Add(simulator.State.Locations[0]);
            var settings = new Dictionary<string, string?>();
            for (var i = 1; i <= 6; i++)
            {
                var location = simulator.State.AddLocation($"Shop {i}");
                locations.Add(location);
                settings[$"Stores:0:Locations:{i}:LocationId"] = location.Id.ToString(CultureInfo.InvariantCulture);
                settings[$"Stores:0:Locations:{i}:Warehouse"] = $"SHOP{i}-WH";
            }

            return settings;
        });
        // 60 lines of 2 units: lines 1 to 25 only Shop 1 stocks (one fulfillment order of 25 lines, more than the 10 the
        // read asks for), the others one of Shops 2 to 6 (6 fulfillment orders, more than the 5 it asks for); line 60, of
        // 3 units, has 2 at Shop 2 and 1 at Shop 3, so Shopify splits it: 2 from Shop 2, 1 from Shop 3 (whose fulfillment
        // order is listed first).
        var state = store.Simulator.State;
        state.AddProduct("Everything", [.. Enumerable.Range(1, 60).Select(n => $"SKU-{n}")]);
        int LocationOf(int n) => n <= 25 ? 1 : 2 + (n % 5);
        for (var n = 1; n < 60; n++)
        {
            state.Variant($"SKU-{n}")!.Available[locations[LocationOf(n)].Id] = 10;
        }

        state.Variant("SKU-60")!.Available[locations[2].Id] = 2;
        state.Variant("SKU-60")!.Available[locations[3].Id] = 1;
        var built = LongShopifyOrder.Build(lines: 60, shipping: 1);
        built["line_items"]![59]!["quantity"] = 3;
        built["line_items"]![59]!["tax_lines"]![0]!["price"] = "1.0"; // as Shopify writes amounts: no trailing zeros
        built["line_items"]![59]!["discount_allocations"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["amount"] = "5.0" });
        var id = state.AddOrder(built);

        var order = (await store.Services.GetRequiredService<ShopifyOrders>().GetAsync("sim", id.ToString(CultureInfo.InvariantCulture)))!;

        var lines = order["line_items"]!.AsArray();
        Assert.Equal(61, lines.Count);
        for (var n = 1; n < 60; n++)
        {
            Assert.True(locations[LocationOf(n)].Id == lines[n - 1]!["location_id"]?.GetValue<long>(), $"line {n}: {lines[n - 1]!["location_id"]}");
        }

        // Split 2 and 1: two lines of the same line id, in location id order (not the fulfillment orders', which lists
        // Shop 3 first), each with its units and its share of the discount (5.0) and the VAT (1.0), to the cent and
        // adding up (the cent left to the largest remainder).
        var listed = state.FulfillmentOrders(id).Select(f => f.LocationId).ToList();
        Assert.True(listed.IndexOf(locations[3].Id) < listed.IndexOf(locations[2].Id));
        var parts = new[] { lines[59]!, lines[60]! };
        Assert.Equal([locations[2].Id, locations[3].Id], parts.Select(p => p["location_id"]!.GetValue<long>()));
        Assert.All(parts, p => Assert.Equal(lines[59]!["admin_graphql_api_id"]!.GetValue<string>(), p["admin_graphql_api_id"]!.GetValue<string>()));
        Assert.Equal([2m, 1m], parts.Select(p => p["quantity"]!.GetValue<decimal>()));
        Assert.Equal([2m, 1m], parts.Select(p => p["sold_quantity"]!.GetValue<decimal>()));
        Assert.Equal(["3.33", "1.67"], parts.Select(p => p["discount_allocations"]![0]!["amount"]!.GetValue<string>()));
        Assert.Equal(["3.33", "1.67"], parts.Select(p => p["discount_allocations"]![0]!["amount_set"]!["shop_money"]!["amount"]!.GetValue<string>()));
        Assert.Equal(["0.67", "0.33"], parts.Select(p => p["tax_lines"]![0]!["price"]!.GetValue<string>()));
        Assert.Equal(["0.67", "0.33"], parts.Select(p => p["tax_lines"]![0]!["price_set"]!["presentment_money"]!["amount"]!.GetValue<string>()));
        Assert.All(parts, p => Assert.Equal("10.00", p["price"]!.GetValue<string>()));
        Assert.Equal(6, state.FulfillmentOrders(id).Count);
        Assert.Equal(1, store.Simulator.Ran("OrderWithLocations"));
        Assert.Equal(1, store.Simulator.Ran("OrderFulfillmentOrders"));
        Assert.Equal(1, store.Simulator.Ran("FulfillmentOrderLineItems"));
        foreach (var operation in new[] { "OrderWithLocations", "OrderFulfillmentOrders", "FulfillmentOrderLineItems" })
        {
            Assert.InRange(store.Simulator.LastRequestedCost(operation), 1, 1000);
        }

        Assert.Equal(ShopifyOrders.OrderReadWithLocationsCost, store.Simulator.LastRequestedCost("OrderWithLocations"));
    }

    [Fact]
    public async Task A_cancelled_fulfillment_order_does_not_place_its_lines()
    {
        using var store = new ShopifySimulatorStore(prepare: simulator => new Dictionary<string, string?>
        {
            ["Stores:0:Locations:1:LocationId"] = simulator.State.AddLocation("Branch").Id.ToString(CultureInfo.InvariantCulture),
            ["Stores:0:Locations:1:Warehouse"] = "BRANCH-WH",
        });
        var state = store.Simulator.State;
        var branch = state.Locations[1];
        state.AddProduct("Mug", "SKU-1");
        state.Variant("SKU-1")!.Available[branch.Id] = 5;
        var id = state.AddOrder(LongShopifyOrder.Build(lines: 1, shipping: 0));
        var routed = Assert.Single(state.FulfillmentOrders(id));
        Assert.Equal(branch.Id, routed.LocationId);

        state.CancelFulfillmentOrder(routed.Id);
        var order = (await store.Services.GetRequiredService<ShopifyOrders>().GetAsync("sim", id.ToString(CultureInfo.InvariantCulture)))!;

        Assert.Null(order["line_items"]![0]!["location_id"]);
    }

    [Fact]
    public async Task A_store_whose_locations_stand_for_one_warehouse_reads_orders_without_their_locations()
    {
        using var store = new ShopifySimulatorStore(prepare: simulator => new Dictionary<string, string?>
        {
            ["Stores:0:Locations:1:LocationId"] = simulator.State.AddLocation("Pop-up").Id.ToString(CultureInfo.InvariantCulture),
            ["Stores:0:Locations:1:Warehouse"] = "main-wh ",
        });
        var id = store.Simulator.State.AddOrder(LongShopifyOrder.Build(lines: 2, shipping: 0));

        var order = (await store.Services.GetRequiredService<ShopifyOrders>().GetAsync("sim", id.ToString(CultureInfo.InvariantCulture)))!;

        Assert.Equal(2, order["line_items"]!.AsArray().Count);
        Assert.Null(order["line_items"]![0]!["location_id"]);
        Assert.Equal(1, store.Simulator.Ran("Order"));
        Assert.Equal(0, store.Simulator.Ran("OrderWithLocations"));
    }
}
