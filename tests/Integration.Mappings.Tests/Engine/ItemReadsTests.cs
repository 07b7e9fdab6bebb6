using Integration.Mappings.Definitions;

namespace Integration.Mappings.Tests.Engine;

/// <summary>
/// A path read by several fields and transforms of one item is read once per item (the run remembers it): each item,
/// and the document itself, still gets its own value, and the same path text in two mappings stays two readers of the
/// same path.
/// </summary>
public sealed class ItemReadsTests
{
    private const string Mapping = """
        {
          "id": "shop-order__erp-order",
          "left": { "system": "shop", "entity": "order", "id": "id" },
          "right": { "system": "erp", "entity": "order", "id": "id" },
          "fields": [
            { "name": "kind", "left": "kind", "right": "kind", "master": "shop" },
            { "name": "gift", "left": "@none", "right": "gift", "master": "shop", "onMissing": "default", "default": "no",
              "transform": { "type": "when", "path": "gift_card", "equals": true, "else": "order-level" } }
          ],
          "arrays": [
            { "name": "lines", "left": "lines", "right": "lines", "master": "shop", "key": { "left": "id", "right": "sourceLineId" },
              "fields": [
                { "name": "sku", "left": "sku", "right": "sku", "master": "shop", "onMissing": "null",
                  "transform": { "type": "when", "path": "gift_card", "equals": true, "not": true } },
                { "name": "tax", "left": "tax", "right": "tax", "master": "shop",
                  "transform": [ { "type": "when", "path": "gift_card", "equals": true, "not": true, "else": 0 },
                                 { "type": "prorate", "part": "sold", "whole": "qty" } ] },
                { "name": "qty", "left": "sold", "right": "qty", "master": "shop", "transform": { "type": "default", "path": "qty" } },
                { "name": "discount", "left": "discount", "right": "discount", "master": "shop",
                  "transform": { "type": "prorate", "part": "sold", "orPart": "current", "whole": "qty" } }
              ] }
          ]
        }
        """;

    [Fact]
    public async Task Each_item_reads_its_own_values_however_often_its_fields_read_them()
    {
        var kit = new MappingTestKit(Mapping);
        var order = MappingTestKit.Json("""
            { "id": "O-1", "kind": "sale", "gift_card": false, "lines": [
              { "id": "L1", "sku": "MUG", "gift_card": false, "tax": "14.00", "discount": "4.00", "sold": 1, "qty": 2 },
              { "id": "L2", "sku": "GIFT", "gift_card": true, "tax": "9.00", "discount": "3.00", "sold": 3, "qty": 3 },
              { "id": "L3", "sku": "TEE", "gift_card": false, "tax": "28.00", "discount": "8.00", "current": 2, "qty": 4 },
              { "id": "L4", "sku": "CAP", "tax": "7.00", "discount": "1.00", "sold": 2, "qty": 1 } ] }
            """);

        var result = await kit.Mapper.ApplyAsync("shop-order__erp-order", MappingDirection.LeftToRight, order, null);

        Assert.True(result.Succeeded, result.ToJson().ToJsonString());
        var lines = result.Document["lines"]!.AsArray();
        Assert.Equal(["MUG", null, "TEE", "CAP"], lines.Select(l => (string?)l!["sku"]));
        Assert.Equal([7.00m, 0m, 28.00m, 14.00m], lines.Select(l => Amount(l!["tax"])));
        Assert.Equal([1m, 3m, 4m, 2m], lines.Select(l => Amount(l!["qty"])));
        // The same quantities prorated again (their decimals remembered per item); L3 has no sold, so its current.
        Assert.Equal([2.00m, 3.00m, 4.00m, 2.00m], lines.Select(l => Amount(l!["discount"])));
        Assert.Equal("order-level", (string?)result.Document["gift"]);
    }

    // A value the transforms left as read is the source's JSON (text "28.00"); a computed one is a number.
    private static decimal Amount(System.Text.Json.Nodes.JsonNode? node) =>
        decimal.Parse(node!.ToString(), System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void One_path_text_is_one_path()
    {
        Assert.Same(FieldPath.Parse("line_items.gift_card"), FieldPath.Parse("line_items.gift_card"));
        Assert.NotSame(FieldPath.Parse("gift_card"), FieldPath.Parse("line_items.gift_card"));
    }
}
