using System.Text.Json.Nodes;
using Integration.Connectors.WooCommerce.Client;
using Integration.Connectors.WooCommerce.Products;
using Integration.Simulators.WooCommerce;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.WooCommerce.Tests.Products;

public sealed class WooCommerceProductsTests : IDisposable
{
    private readonly WooCommerceSimulator _store = new();

    [Theory]
    [InlineData("On hold", "draft", "private")]
    [InlineData("Active", "publish", "publish")]
    [InlineData("Discontinued", "private", "private")]
    public async Task The_erp_item_status_sets_the_product_or_disables_the_variation(string erpStatus, string productStatus, string variationStatus)
    {
        var mug = _store.State.PutProduct(new JsonObject { ["name"] = "Mug", ["sku"] = "MUG", ["status"] = "pending" });
        var shirt = _store.State.PutProduct(new JsonObject { ["name"] = "Shirt", ["type"] = "variable" });
        var medium = _store.State.PutVariation(shirt, new JsonObject { ["sku"] = "SHIRT-M", ["status"] = "pending" });
        using var services = WooCommerceRuntime.For(_store);
        var products = services.GetRequiredService<WooCommerceProducts>();

        var product = await products.SetStatusAsync(WooCommerceRuntime.Store, "MUG", ProductStatus.Parse(erpStatus));
        var variation = await products.SetStatusAsync(WooCommerceRuntime.Store, "SHIRT-M", ProductStatus.Parse(erpStatus));
        var missing = await products.SetStatusAsync(WooCommerceRuntime.Store, "GHOST", ProductStatus.Parse(erpStatus));

        Assert.Equal(mug, product!.ProductId);
        Assert.Equal(productStatus, (string?)_store.State.Product(mug)!["status"]);
        Assert.Equal(shirt, variation!.ProductId);
        Assert.Equal(variationStatus, (string?)_store.State.Variations(shirt).Single(v => (long)v["id"]! == medium)["status"]);
        Assert.Null(missing);
    }

    [Fact]
    public async Task A_refused_change_fails_with_the_stores_reason()
    {
        _store.State.PutProduct(new JsonObject { ["name"] = "Locked", ["sku"] = "LOCKED" });
        _store.State.RefuseSku("LOCKED", "woocommerce_rest_product_not_editable", "Locked by a plugin.");
        using var services = WooCommerceRuntime.For(_store);

        var error = await Assert.ThrowsAsync<WooCommerceException>(() => services.GetRequiredService<WooCommerceProducts>().SetStatusAsync(WooCommerceRuntime.Store, "LOCKED", "draft"));

        Assert.Equal("woocommerce_rest_product_not_editable", error.Code);
        Assert.Contains("Locked by a plugin.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_status_neither_store_nor_erp_knows_is_refused_by_name() =>
        Assert.Contains("'Sold out' is not a product status", Assert.Throws<FormatException>(() => ProductStatus.Parse("Sold out")).Message, StringComparison.Ordinal);

    public void Dispose() => _store.Dispose();
}
