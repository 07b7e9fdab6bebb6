using System.Text.Json.Nodes;
using Integration.Mappings.Definitions;
using Integration.Mappings.Engine;

namespace Integration.Mappings.Tests.Shipped;

public sealed class WooCommerceOrderReceiptMappingTests
{
    private const string Id = "woocommerce-order__eta-receipt";

    private static MappingContext Context => new() { Store = "cairo-woo" };

    [Fact]
    public async Task The_docs_order_gives_its_number_payment_method_and_buyer_for_the_e_receipt()
    {
        var kit = MappingTestKit.Shipped();
        var order = MappingTestKit.Fixture("woocommerce/order-created.wc-rest-docs-v3.json");

        var result = await kit.Mapper.ApplyAsync(Id, MappingDirection.LeftToRight, order, null, Context);

        Assert.True(result.Succeeded, string.Join("; ", result.Failed.Select(f => $"{f.Field}: {f.Reason}")));
        var doc = result.Document.AsObject();
        Assert.Equal("#727", (string?)doc["orderName"]);
        Assert.Equal("O", (string?)doc["paymentMethod"]); // bank transfer (bacs) is none of ETA's named methods
        Assert.Equal("P", (string?)doc["buyer"]!["type"]);
        Assert.Equal("John Doe", (string?)doc["buyer"]!["name"]);
        Assert.Equal("(555) 555-5555", (string?)doc["buyer"]!["mobileNumber"]);
    }

    [Theory]
    [InlineData("cod", "C")]
    [InlineData("paymob", "V")]
    [InlineData("stripe", "V")]
    [InlineData("a_new_gateway", "O")]
    public async Task The_payment_method_becomes_an_eta_payment_method(string method, string eta)
    {
        var kit = MappingTestKit.Shipped();
        var order = new JsonObject { ["id"] = 1, ["number"] = "1001", ["payment_method"] = method };

        var result = await kit.Mapper.ApplyAsync(Id, MappingDirection.LeftToRight, order, null, Context);

        Assert.Equal(eta, (string?)result.Document["paymentMethod"]);
    }
}
