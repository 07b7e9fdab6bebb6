using Integration.Mappings.Definitions;
using Integration.Mappings.Engine;

namespace Integration.Mappings.Tests.Transforms;

/// <summary>
/// <c>when</c> (a declarative condition on another value of the item) and <c>sum</c>/<c>subtract</c> with <c>orPath</c>
/// (shop money, else the plain amounts of older payloads), table-driven like the other transforms.
/// </summary>
public sealed class ConditionAndShopMoneyTransformTests
{
    private static string Mapping(string left, string transform) => $$"""
        {
          "id": "shop-thing__erp-thing",
          "left": { "system": "shop", "entity": "thing" },
          "right": { "system": "erp", "entity": "thing" },
          "fields": [ { "name": "b", "left": "{{left}}", "right": "b", "master": "shop", "transform": {{transform}} } ]
        }
        """;

    [Theory]
    // when: keeps the value if the tested value equals, else gives 'else' (missing without one)
    [InlineData("a", """{ "type": "when", "path": "gift_card", "equals": true }""", """{ "a": "2130", "gift_card": true }""", "\"2130\"")]
    [InlineData("a", """{ "type": "when", "path": "gift_card", "equals": true }""", """{ "a": "2130", "gift_card": false }""", null)]
    [InlineData("a", """{ "type": "when", "path": "gift_card", "equals": true }""", """{ "a": "2130" }""", null)]
    [InlineData("a", """{ "type": "when", "path": "gift_card", "equals": true, "else": "4100" }""", """{ "a": "2130", "gift_card": false }""", "\"4100\"")]
    // not: keeps the value unless the tested value equals (a missing flag keeps it)
    [InlineData("a", """{ "type": "when", "path": "gift_card", "equals": true, "not": true, "else": 0 }""", """{ "a": 14, "gift_card": true }""", "0")]
    [InlineData("a", """{ "type": "when", "path": "gift_card", "equals": true, "not": true, "else": 0 }""", """{ "a": 14, "gift_card": false }""", "14")]
    [InlineData("a", """{ "type": "when", "path": "gift_card", "equals": true, "not": true, "else": 0 }""", """{ "a": 14 }""", "14")]
    // equals compares numbers by value and text exactly; the context can be tested too
    [InlineData("a", """{ "type": "when", "path": "n", "equals": 1 }""", """{ "a": "x", "n": "1.00" }""", "\"x\"")]
    [InlineData("a", """{ "type": "when", "path": "c", "equals": "USD", "else": "same" }""", """{ "a": "x", "c": "usd" }""", "\"same\"")]
    // blank: the tested value is missing, null or empty text (a Shopify custom line's SKU)
    [InlineData("a", """{ "type": "when", "path": "sku", "blank": true }""", """{ "a": "4100", "sku": null }""", "\"4100\"")]
    [InlineData("a", """{ "type": "when", "path": "sku", "blank": true }""", """{ "a": "4100", "sku": "" }""", "\"4100\"")]
    [InlineData("a", """{ "type": "when", "path": "sku", "blank": true }""", """{ "a": "4100" }""", "\"4100\"")]
    [InlineData("a", """{ "type": "when", "path": "sku", "blank": true }""", """{ "a": "4100", "sku": "MUG-WHT" }""", null)]
    [InlineData("a", """{ "type": "when", "path": "sku", "blank": true, "not": true }""", """{ "a": "", "sku": "" }""", null)]
    [InlineData("a", """{ "type": "when", "path": "n", "blank": true }""", """{ "a": "x", "n": 0 }""", null)]
    // sum with orPath: shop money when the sets are there, else the plain amounts
    [InlineData("a", """{ "type": "sum", "path": "amount_set.shop_money.amount", "orPath": "amount" }""",
        """{ "a": [ { "amount": "1.00", "amount_set": { "shop_money": { "amount": "49.50" } } }, { "amount": "2.00", "amount_set": { "shop_money": { "amount": "99.00" } } } ] }""", "148.50")]
    [InlineData("a", """{ "type": "sum", "path": "amount_set.shop_money.amount", "orPath": "amount" }""", """{ "a": [ { "amount": "1.25" }, { "amount": "2.00" } ] }""", "3.25")]
    [InlineData("a", """{ "type": "sum", "path": "amount_set.shop_money.amount", "orPath": "amount" }""", """{ "a": [] }""", "0")]
    // subtract with orPath over nested arrays
    [InlineData("a", """{ "type": "subtract", "path": "lines.allocations.amount_set.shop_money.amount", "orPath": "lines.allocations.amount" }""",
        """{ "a": "100.00", "lines": [ { "allocations": [ { "amount": "1", "amount_set": { "shop_money": { "amount": "60.00" } } } ] } ] }""", "40.00")]
    [InlineData("a", """{ "type": "subtract", "path": "lines.allocations.amount_set.shop_money.amount", "orPath": "lines.allocations.amount" }""",
        """{ "a": "20.00", "lines": [ { "allocations": [ { "amount": "5.00" } ] } ] }""", "15.00")]
    public async Task A_condition_or_a_shop_money_sum_gives_the_expected_value(string left, string transform, string source, string? expected)
    {
        var kit = new MappingTestKit();
        kit.Catalog.Add(MappingTestKit.Load(Mapping(left, transform)));

        var result = await kit.Mapper.ApplyAsync("shop-thing__erp-thing", MappingDirection.LeftToRight, MappingTestKit.Json(source), null);

        Assert.True(result.Succeeded, string.Join("; ", result.Failed.Select(f => f.Reason)));
        if (expected is null)
        {
            Assert.Empty(result.Written);
        }
        else
        {
            Assert.Equal(expected, Assert.Single(result.Written).Value?.ToJsonString());
        }
    }

    [Fact]
    public async Task A_context_value_is_chosen_by_a_flag_of_the_item()
    {
        var kit = new MappingTestKit();
        kit.Catalog.Add(MappingTestKit.Load(Mapping("@giftCardAccount", """{ "type": "when", "path": "gift_card", "equals": true }""")));
        var context = new MappingContext { Values = new Dictionary<string, System.Text.Json.Nodes.JsonNode?> { ["giftCardAccount"] = "2130" } };

        var card = await kit.Mapper.ApplyAsync("shop-thing__erp-thing", MappingDirection.LeftToRight, MappingTestKit.Json("""{ "gift_card": true }"""), null, context);
        var shirt = await kit.Mapper.ApplyAsync("shop-thing__erp-thing", MappingDirection.LeftToRight, MappingTestKit.Json("""{ "gift_card": false }"""), null, context);

        Assert.Equal("2130", (string?)card.Changes["b"]);
        Assert.False(shirt.Changes.ContainsKey("b"));
    }

    [Theory]
    [InlineData("""{ "type": "when", "equals": true }""", "when needs the 'path'")]
    [InlineData("""{ "type": "when", "path": "gift_card" }""", "when needs the 'path'")]
    [InlineData("""{ "type": "when", "path": "sku", "equals": "", "blank": true }""", "either what it 'equals' or 'blank'")]
    public void A_when_without_its_arguments_is_refused(string transform, string problem)
    {
        var ex = Record.Exception(() => MappingTestKit.Load(Mapping("a", transform)));

        Assert.NotNull(ex);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }
}
