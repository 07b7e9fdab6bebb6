using System.Text.Json.Nodes;
using Integration.Workflows.Execution;
using static Integration.Connectors.Shopify.Tests.ShopifyRuntime;

namespace Integration.Connectors.Shopify.Tests.Products;

public sealed class ShopifySetPricesTests
{
    private static string SetPrices(JsonArray prices, bool compare = false) =>
        new JsonObject { ["id"] = "p", ["type"] = "Shopify.SetPrices", ["version"] = 1, ["store"] = "sim", ["prices"] = prices, ["compare"] = compare }.ToJsonString();

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
    public async Task A_compared_push_reads_the_variants_prices_and_sets_only_those_the_store_shows_otherwise()
    {
        using var store = new ShopifySimulatorStore();
        store.Simulator.State.AddProduct("Shirt", "SH-S", "SH-M", "SH-L");
        store.Simulator.State.AddProduct("Mug", "MUG-1");
        static JsonArray Erp() =>
        [
            new JsonObject { ["sku"] = "SH-S", ["price"] = "99.50", ["compareAtPrice"] = "120.00" },
            new JsonObject { ["sku"] = "SH-M", ["price"] = 99.5, ["compareAtPrice"] = null },
            new JsonObject { ["sku"] = "SH-L", ["price"] = 150, ["compareAtPrice"] = null },
            new JsonObject { ["sku"] = "MUG-1", ["price"] = 45, ["compareAtPrice"] = null },
        ];
        await RunActivityAsync(store.Services, SetPrices(Erp()));
        // In Shopify admin, a person lowers the medium shirt and puts the mug "on sale" with a was-price.
        store.Simulator.State.EditPrice("SH-M", "89.00", null);
        store.Simulator.State.EditPrice("MUG-1", "45.00", "60.00");
        var mutations = store.Simulator.Ran("ProductVariantsBulkUpdate");

        var state = await RunActivityAsync(store.Services, SetPrices(Erp(), compare: true));

        var outputs = state.ActivityOutputs["p"];
        Assert.Equal((2, 2), (Convert.ToInt32(outputs["updated"]), Convert.ToInt32(outputs["unchanged"])));
        Assert.Equal(
            """[{"sku":"SH-M","store":{"price":89.00,"compareAtPrice":null},"erp":{"price":99.5,"compareAtPrice":null}},{"sku":"MUG-1","store":{"price":45.00,"compareAtPrice":60.00},"erp":{"price":45,"compareAtPrice":null}}]""",
            Assert.IsType<JsonArray>(outputs["drift"]).ToJsonString());
        Assert.Equal((mutations + 2, 1), (store.Simulator.Ran("ProductVariantsBulkUpdate"), store.Simulator.Ran("VariantPrices"))); // one per product with a variant to set
        var shop = store.Simulator.State;
        Assert.Equal(("99.50", "45.00", (string?)null), (shop.Variant("SH-M")!.Price, shop.Variant("MUG-1")!.Price, shop.Variant("MUG-1")!.CompareAtPrice));

        // Compared again: the store shows the ERP's prices, nothing is written.
        var again = await RunActivityAsync(store.Services, SetPrices(Erp(), compare: true));
        Assert.Equal((0, 4), (Convert.ToInt32(again.ActivityOutputs["p"]["updated"]), Convert.ToInt32(again.ActivityOutputs["p"]["unchanged"])));
        Assert.Equal(mutations + 2, store.Simulator.Ran("ProductVariantsBulkUpdate"));
    }

    [Fact]
    public async Task A_product_the_store_refuses_faults_the_run_naming_its_sku_and_the_other_products_are_still_priced()
    {
        using var store = new ShopifySimulatorStore();
        store.Simulator.State.AddProduct("Shirt", "SH-S");
        store.Simulator.State.AddProduct("Mug", "MUG-1");

        var state = await RunActivityAsync(store.Services, SetPrices([
            new JsonObject { ["sku"] = "SH-S", ["price"] = "9.999" },
            new JsonObject { ["sku"] = "MUG-1", ["price"] = 45 },
        ]));

        Assert.Equal(FlowRunStatus.Faulted, state.Status);
        var message = Assert.Single(state.Incidents).Message;
        Assert.Contains("refused 1 of the prices (1 set)", message, StringComparison.Ordinal);
        Assert.Contains("SH-S.price INVALID_INPUT", message, StringComparison.Ordinal);
        Assert.Equal("0.00", store.Simulator.State.Variant("SH-S")!.Price);
        Assert.Equal("45.00", store.Simulator.State.Variant("MUG-1")!.Price);
    }

    [Fact]
    public async Task A_product_deleted_and_made_again_by_hand_gets_its_price_on_the_new_variant_and_one_deleted_for_good_is_skipped()
    {
        using var store = new ShopifySimulatorStore();
        var mug = store.Simulator.State.AddProduct("Mug", "MUG-1")[0];
        var cup = store.Simulator.State.AddProduct("Cup", "CUP-1")[0];
        store.Simulator.State.AddProduct("Plate", "PLATE-1");
        await RunActivityAsync(store.Services, SetPrices([new JsonObject { ["sku"] = "MUG-1", ["price"] = 40 }])); // the SKU index is read

        // In Shopify admin a person deletes the mug and makes it again (new ids, same SKU), and deletes the cup.
        store.Simulator.State.DeleteProduct(mug.ProductId);
        var again = store.Simulator.State.AddProduct("Mug", "MUG-1")[0];
        store.Simulator.State.DeleteProduct(cup.ProductId);

        var state = await RunActivityAsync(store.Services, SetPrices([
            new JsonObject { ["sku"] = "MUG-1", ["price"] = 45 },
            new JsonObject { ["sku"] = "CUP-1", ["price"] = 30 },
            new JsonObject { ["sku"] = "PLATE-1", ["price"] = 60 },
        ]));

        Assert.Equal(FlowRunStatus.Finished, state.Status);
        Assert.Equal(2, state.ActivityOutputs["p"]["updated"]);
        Assert.NotEqual(mug.VariantId, again.VariantId);
        Assert.Equal("45.00", store.Simulator.State.Variant("MUG-1")!.Price);
        Assert.Equal("60.00", store.Simulator.State.Variant("PLATE-1")!.Price);
        Assert.Equal("CUP-1: sku not in store", Assert.Single(Assert.IsType<JsonArray>(state.ActivityOutputs["p"]["skipped"])) is { } s ? $"{s["sku"]}: {s["reason"]}" : null);
    }
}
