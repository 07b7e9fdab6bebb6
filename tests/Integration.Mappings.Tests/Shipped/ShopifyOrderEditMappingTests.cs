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
    public async Task A_line_refunded_before_invoicing_is_invoiced_for_its_sold_quantity_with_its_whole_discount_and_tax()
    {
        var kit = MappingTestKit.Shipped();
        var order = MappingTestKit.Fixture("shopify/orders-create.shopify-docs-2026-04.json");
        var refunded = order["line_items"]![0]!;
        var edited = order["line_items"]![1]!;
        // Line 0: 3 ordered, all 3 refunded (current_quantity 0, sold 3). Line 1: 3 ordered, 1 removed by an edit, 1 refunded.
        foreach (var line in new[] { refunded, edited })
        {
            line["quantity"] = 3;
            line["price"] = "250.00";
            line["price_set"] = null;
            line["discount_allocations"] = JsonNode.Parse("""[ { "amount": "30.00", "discount_application_index": 0 } ]""");
            line["tax_lines"] = JsonNode.Parse("""[ { "title": "VAT", "rate": 0.14, "price": "100.80" } ]""");
        }

        refunded["current_quantity"] = 0;
        refunded["sold_quantity"] = 3;
        edited["current_quantity"] = 1;
        edited["sold_quantity"] = 2;

        var lines = (await kit.Mapper.ApplyAsync(Id, MappingDirection.LeftToRight, order, null, Context)).Document["lines"]!.AsArray();

        var whole = lines.Single(l => (string?)l!["sourceLineId"] == (string?)refunded["admin_graphql_api_id"])!;
        Assert.Equal((3m, 30.00m, 100.80m), ((decimal)whole["qty"]!, (decimal)whole["discountAmount"]!, (decimal)whole["taxAmount"]!));
        var part = lines.Single(l => (string?)l!["sourceLineId"] == (string?)edited["admin_graphql_api_id"])!;
        Assert.Equal((2m, 20.00m, 67.20m), ((decimal)part["qty"]!, (decimal)part["discountAmount"]!, (decimal)part["taxAmount"]!));
    }

    [Fact]
    public async Task A_line_edited_down_keeps_its_per_unit_discount_and_tax_for_the_quantity_still_sold()
    {
        var kit = MappingTestKit.Shipped();
        var order = MappingTestKit.Fixture("shopify/orders-create.shopify-docs-2026-04.json");
        var line = order["line_items"]![1]!;
        // As Shopify keeps them after an edit: quantity, discount allocations and tax lines of the 3 ordered.
        line["quantity"] = 3;
        line["current_quantity"] = 2;
        line["price"] = "250.00";
        line["price_set"] = null;
        line["discount_allocations"] = System.Text.Json.Nodes.JsonNode.Parse("""[ { "amount": "20.00", "discount_application_index": 0 } ]""");
        line["tax_lines"] = System.Text.Json.Nodes.JsonNode.Parse("""[ { "title": "VAT", "rate": 0.14, "price": "102.20" } ]""");

        var result = await kit.Mapper.ApplyAsync(Id, MappingDirection.LeftToRight, order, null, Context);

        var mapped = result.Document["lines"]!.AsArray().Single(l => (string?)l!["sourceLineId"] == (string?)line["admin_graphql_api_id"])!;
        Assert.Equal(2m, (decimal)mapped["qty"]!);
        Assert.Equal(13.33m, (decimal)mapped["discountAmount"]!);
        Assert.Equal(68.13m, (decimal)mapped["taxAmount"]!);
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
