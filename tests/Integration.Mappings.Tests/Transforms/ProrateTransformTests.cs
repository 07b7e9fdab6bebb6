using Integration.Mappings.Definitions;

namespace Integration.Mappings.Tests.Transforms;

/// <summary><c>prorate</c>: an amount for a whole scaled to a part of it, in decimal, then rounded by the transform after it.</summary>
public sealed class ProrateTransformTests
{
    private static string Mapping(string transform) => $$"""
        {
          "id": "shop-line__erp-line",
          "left": { "system": "shop", "entity": "line" },
          "right": { "system": "erp", "entity": "line" },
          "fields": [ { "name": "d", "left": "discount", "right": "d", "master": "shop", "transform": {{transform}} } ]
        }
        """;

    private const string ProrateAndRound = """[ { "type": "prorate", "part": "current_quantity", "whole": "quantity" }, { "type": "round", "decimals": 2 } ]""";

    [Theory]
    // 20.00 for 3 units is 6.6667 a unit: 13.33 for 2, 6.67 for 1 (away from zero at the half)
    [InlineData("""{ "discount": "20.00", "quantity": 3, "current_quantity": 2 }""", "13.33")]
    [InlineData("""{ "discount": "20.00", "quantity": 3, "current_quantity": 1 }""", "6.67")]
    [InlineData("""{ "discount": "0.05", "quantity": 2, "current_quantity": 1 }""", "0.03")]
    [InlineData("""{ "discount": "1.15", "quantity": 2, "current_quantity": 1 }""", "0.58")]
    // unedited, no current quantity, or a whole of 0: the amount as it is
    [InlineData("""{ "discount": "20.00", "quantity": 3, "current_quantity": 3 }""", "20.00")]
    [InlineData("""{ "discount": "20.00", "quantity": 3 }""", "20.00")]
    [InlineData("""{ "discount": "20.00", "quantity": 0, "current_quantity": 0 }""", "20.00")]
    // removed entirely: nothing left
    [InlineData("""{ "discount": "20.00", "quantity": 3, "current_quantity": 0 }""", "0.00")]
    public async Task An_amount_is_scaled_to_the_part_still_there_to_the_cent(string source, string expected)
    {
        var kit = new MappingTestKit();
        kit.Catalog.Add(MappingTestKit.Load(Mapping(ProrateAndRound)));

        var result = await kit.Mapper.ApplyAsync("shop-line__erp-line", MappingDirection.LeftToRight, MappingTestKit.Json(source), null);

        Assert.True(result.Succeeded, string.Join("; ", result.Failed.Select(f => f.Reason)));
        Assert.Equal(expected, Assert.Single(result.Written).Value?.ToJsonString());
    }

    [Theory]
    [InlineData("""{ "type": "prorate", "whole": "quantity" }""")]
    [InlineData("""{ "type": "prorate", "part": "current_quantity" }""")]
    public void A_prorate_without_part_or_whole_is_refused(string transform)
    {
        var ex = Record.Exception(() => MappingTestKit.Load(Mapping(transform)));

        Assert.NotNull(ex);
        Assert.Contains("prorate needs the 'part' and the 'whole'", ex.Message, StringComparison.Ordinal);
    }
}
