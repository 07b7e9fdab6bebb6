using System.Text.Json.Nodes;
using Integration.Connectors.Shopify.Client;
using Integration.Connectors.Shopify.Products;
using Integration.Workflows.Execution;
using Microsoft.Extensions.DependencyInjection;
using static Integration.Connectors.Shopify.Tests.ShopifyRuntime;

namespace Integration.Connectors.Shopify.Tests.Products;

public sealed class ShopifySetProductStatusTests
{
    private static string SetStatus(string sku, string status) =>
        new JsonObject { ["id"] = "p", ["type"] = "Shopify.SetProductStatus", ["version"] = 1, ["store"] = "sim", ["sku"] = sku, ["status"] = status }.ToJsonString();

    [Theory]
    [InlineData("On hold", "DRAFT")]
    [InlineData("Discontinued", "ARCHIVED")]
    [InlineData("Disabled", "ARCHIVED")]
    [InlineData("draft", "DRAFT")]
    public async Task The_product_of_any_of_its_skus_gets_the_status(string given, string expected)
    {
        using var store = new ShopifySimulatorStore();
        var variants = store.Simulator.State.AddProduct("Shirt", "SH-S", "SH-M");
        store.Simulator.State.AddProduct("Other", "OT-1");

        var state = await RunActivityAsync(store.Services, SetStatus("SH-M", given));

        Assert.Equal(FlowRunStatus.Finished, state.Status);
        Assert.Equal(expected, store.Simulator.State.ProductStatus(variants[0].ProductId));
        Assert.Equal("ACTIVE", store.Simulator.State.ProductStatus(store.Simulator.State.Variant("OT-1")!.ProductId));
        Assert.Equal("gid://shopify/Product/" + variants[0].ProductId, state.ActivityOutputs["p"]["productId"]);
        Assert.Equal(expected, state.ActivityOutputs["p"]["status"]);
        Assert.Equal(1, store.Simulator.Ran("ProductUpdate"));
    }

    [Fact]
    public async Task Back_to_Active_after_a_hold()
    {
        using var store = new ShopifySimulatorStore();
        var product = store.Simulator.State.AddProduct("Shirt", "SH-S")[0].ProductId;

        await RunActivityAsync(store.Services, SetStatus("SH-S", "On hold"));
        await RunActivityAsync(store.Services, SetStatus("SH-S", "Active"));

        Assert.Equal("ACTIVE", store.Simulator.State.ProductStatus(product));
    }

    [Fact]
    public async Task A_sku_the_store_does_not_have_follows_NotFound_and_changes_nothing()
    {
        using var store = new ShopifySimulatorStore();
        store.Simulator.State.AddProduct("Shirt", "SH-S");

        var state = await RunActivityAsync(store.Services, SetStatus("NOPE", "Discontinued"));

        Assert.Equal(FlowRunStatus.Finished, state.Status);
        Assert.Null(state.ActivityOutputs["p"]["productId"]);
        Assert.Equal(0, store.Simulator.Ran("ProductUpdate"));
    }

    [Fact]
    public async Task A_product_deleted_behind_the_index_is_a_user_error_naming_the_product()
    {
        using var store = new ShopifySimulatorStore();
        var product = store.Simulator.State.AddProduct("Shirt", "SH-S")[0].ProductId;
        var products = store.Services.GetRequiredService<ShopifyProducts>();
        await products.SetStatusAsync("sim", "SH-S", "DRAFT");
        store.Simulator.State.DeleteProduct(product);

        var error = await Assert.ThrowsAsync<ShopifyUserErrorException>(() => products.SetStatusAsync("sim", "SH-S", "ARCHIVED"));
        var after = await products.SetStatusAsync("sim", "SH-S", "ARCHIVED"); // the index was dropped and read again

        Assert.Contains("Product does not exist", error.Message, StringComparison.Ordinal);
        Assert.Empty(after);
    }

    [Fact]
    public void An_unknown_status_is_refused_with_the_choices() =>
        Assert.Contains("ACTIVE, DRAFT or ARCHIVED", Assert.Throws<FormatException>(() => ProductStatusName.Parse("Sold out")).Message, StringComparison.Ordinal);
}
