using System.Text.Json.Nodes;
using Integration.Mappings.Definitions;
using Integration.Mappings.Engine;

namespace Integration.Mappings.Tests.Shipped;

public sealed class ShopifyOrderReceiptMappingTests
{
    private const string Id = "shopify-order__eta-receipt";

    private static MappingContext Context => new() { Store = "jsmith.myshopify.com" };

    [Fact]
    public async Task The_docs_order_gives_its_name_payment_method_and_buyer_for_the_e_receipt()
    {
        var kit = MappingTestKit.Shipped();
        var order = MappingTestKit.Fixture("shopify/orders-create.shopify-docs-2026-04.json");

        var result = await kit.Mapper.ApplyAsync(Id, MappingDirection.LeftToRight, order, null, Context);

        Assert.True(result.Succeeded, string.Join("; ", result.Failed.Select(f => $"{f.Field}: {f.Reason}")));
        var doc = result.Document.AsObject();
        Assert.Equal("#9999", (string?)doc["orderName"]);
        Assert.Equal("V", (string?)doc["paymentMethod"]); // the docs example was paid through "visa"
        Assert.Equal("555-555-SHIP", (string?)doc["buyer"]!["mobileNumber"]);
        Assert.Equal("P", (string?)doc["buyer"]!["type"]);
        Assert.Equal("Steve Shipper", (string?)doc["buyer"]!["name"]);
    }

    [Theory]
    [InlineData("shopify_payments", "V")]
    [InlineData("Cash on Delivery (COD)", "C")]
    [InlineData("gift_card", "GC")]
    [InlineData("some_new_gateway", "O")]
    public async Task The_payment_gateway_becomes_an_eta_payment_method(string gateway, string method)
    {
        var kit = MappingTestKit.Shipped();
        var order = new JsonObject { ["admin_graphql_api_id"] = "gid://shopify/Order/1", ["name"] = "#1001", ["payment_gateway_names"] = new JsonArray(gateway) };

        var result = await kit.Mapper.ApplyAsync(Id, MappingDirection.LeftToRight, order, null, Context);

        Assert.Equal(method, (string?)result.Document["paymentMethod"]);
    }

    [Fact]
    public async Task An_order_without_a_gateway_is_paid_by_others()
    {
        var kit = MappingTestKit.Shipped();
        var order = new JsonObject { ["admin_graphql_api_id"] = "gid://shopify/Order/2", ["name"] = "#1002" };

        var result = await kit.Mapper.ApplyAsync(Id, MappingDirection.LeftToRight, order, null, Context);

        Assert.Equal("O", (string?)result.Document["paymentMethod"]);
    }
}
