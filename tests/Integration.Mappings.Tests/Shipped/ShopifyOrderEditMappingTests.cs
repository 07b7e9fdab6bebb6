using System.Text.Json.Nodes;
using Integration.Mappings.Definitions;
using Integration.Mappings.Engine;

namespace Integration.Mappings.Tests.Shipped;

/// <summary>Order edits in the order mapping: current_quantity is the quantity sold, a line edited down to 0 is not sold.</summary>
public sealed class ShopifyOrderEditMappingTests
{
    private const string Id = "shopify-order__erp-sales-order";

    private static MappingContext Context => new()
    {
        Store = "jsmith.myshopify.com",
        Values = new Dictionary<string, JsonNode?> { ["company"] = "EG01", ["warehouse"] = "Cairo", ["shippingIncomeAccount"] = "4150", ["guestCustomer"] = "WALK-IN" },
    };

    [Fact]
    public async Task A_line_edited_down_to_zero_is_left_out_and_then_removed_and_a_reduced_line_takes_its_current_quantity()
    {
        var kit = MappingTestKit.Shipped();
        var order = MappingTestKit.Fixture("shopify/orders-create.shopify-docs-2026-04.json");
        var lineCount = order["line_items"]!.AsArray().Count;
        var first = await kit.Mapper.ApplyAsync(Id, MappingDirection.LeftToRight, order, null, Context);

        order["line_items"]![0]!["current_quantity"] = 0;
        order["line_items"]![1]!["quantity"] = 3;
        order["line_items"]![1]!["current_quantity"] = 2;
        var edited = await kit.Mapper.ApplyAsync(Id, MappingDirection.LeftToRight, order, first.Document, Context);

        var lines = edited.Document["lines"]!.AsArray().Select(l => l!.AsObject()).ToList();
        Assert.Equal(first.Document["lines"]!.AsArray().Count - 1, lines.Count);
        Assert.DoesNotContain(lines, l => (string?)l["sourceLineId"] == (string?)order["line_items"]![0]!["admin_graphql_api_id"]);
        Assert.Equal(2m, (decimal)lines.Single(l => (string?)l["sourceLineId"] == (string?)order["line_items"]![1]!["admin_graphql_api_id"])["qty"]!);
        Assert.True(lineCount > 1);
    }

    [Fact]
    public async Task Without_current_quantity_the_ordered_quantity_is_sold()
    {
        var kit = MappingTestKit.Shipped();
        var order = MappingTestKit.Fixture("shopify/orders-create.shopify-docs-2026-04.json");
        order["line_items"]![1]!.AsObject().Remove("current_quantity");
        order["line_items"]![1]!["quantity"] = 4;

        var result = await kit.Mapper.ApplyAsync(Id, MappingDirection.LeftToRight, order, null, Context);

        Assert.Equal(4m, (decimal)result.Document["lines"]!.AsArray().Single(l => (string?)l!["sourceLineId"] == (string?)order["line_items"]![1]!["admin_graphql_api_id"])!["qty"]!);
    }
}
