using System.Text.Json.Nodes;
using Integration.Workflows.Execution;
using static Integration.Connectors.Shopify.Tests.ShopifyRuntime;

namespace Integration.Connectors.Shopify.Tests.Products;

public sealed class ShopifySetPricesTests
{
    private static string SetPrices(JsonArray prices) =>
        new JsonObject { ["id"] = "p", ["type"] = "Shopify.SetPrices", ["version"] = 1, ["store"] = "sim", ["prices"] = prices }.ToJsonString();

    [Fact]
    public async Task Prices_are_set_one_request_per_product_and_a_null_compare_at_clears_the_was_price()
    {
        using var store = new ShopifySimulatorStore();
        store.Simulator.State.AddProduct("Shirt", "SH-S", "SH-M", "SH-L");
        store.Simulator.State.AddProduct("Mug", "MUG-1");
        await RunActivityAsync(store.Services, SetPrices([new JsonObject { ["sku"] = "SH-L", ["price"] = 150, ["compareAtPrice"] = 200 }]));

        var state = await RunActivityAsync(store.Services, SetPrices([
            new JsonObject { ["sku"] = "SH-S", ["price"] = "99.50", ["compareAtPrice"] = "120.00" },
            new JsonObject { ["sku"] = "SH-M", ["price"] = 99.5 },
            new JsonObject { ["sku"] = "SH-L", ["price"] = 150, ["compareAtPrice"] = null },
            new JsonObject { ["sku"] = "MUG-1", ["price"] = 45, ["compareAtPrice"] = null },
            new JsonObject { ["sku"] = "NOPE", ["price"] = 1 },
        ]));

        Assert.Equal(FlowRunStatus.Finished, state.Status);
        Assert.Equal(4, state.ActivityOutputs["p"]["updated"]);
        Assert.Equal("NOPE: sku not in store", Assert.Single(Assert.IsType<JsonArray>(state.ActivityOutputs["p"]["skipped"])) is { } s ? $"{s["sku"]}: {s["reason"]}" : null);
        var shop = store.Simulator.State;
        Assert.Equal(("99.50", "120.00"), (shop.Variant("SH-S")!.Price, shop.Variant("SH-S")!.CompareAtPrice));
        Assert.Equal(("99.50", (string?)null), (shop.Variant("SH-M")!.Price, shop.Variant("SH-M")!.CompareAtPrice));
        Assert.Equal(("150.00", (string?)null), (shop.Variant("SH-L")!.Price, shop.Variant("SH-L")!.CompareAtPrice));
        Assert.Equal("45.00", shop.Variant("MUG-1")!.Price);
        Assert.Equal(3, store.Simulator.Ran("ProductVariantsBulkUpdate")); // 1 before, then 1 per product
        Assert.False(store.Simulator.LastVariables("ProductVariantsBulkUpdate")!["variants"]![0]!.AsObject().ContainsKey("inventoryQuantities"));
    }

    [Fact]
    public async Task A_price_the_store_refuses_faults_the_run_with_the_user_error()
    {
        using var store = new ShopifySimulatorStore();
        store.Simulator.State.AddProduct("Shirt", "SH-S");

        var state = await RunActivityAsync(store.Services, SetPrices([new JsonObject { ["sku"] = "SH-S", ["price"] = "9.999" }]));

        Assert.Equal(FlowRunStatus.Faulted, state.Status);
        Assert.Contains("variants.0.price INVALID_INPUT", Assert.Single(state.Incidents).Message, StringComparison.Ordinal);
        Assert.Equal("0.00", store.Simulator.State.Variant("SH-S")!.Price);
    }
}
