using Integration.Mappings.Loading;

namespace Integration.Mappings.Tests.Loading;

public sealed class MappingLoaderTests
{
    private static string With(string fields, string extra = "") => $$"""
        {
          "id": "shop-customer__erp-customer",
          "left": { "system": "shop", "entity": "customer", "id": "id" },
          "right": { "system": "erp", "entity": "customer", "id": "id" }{{extra}},
          "fields": [ {{fields}} ]
        }
        """;

    [Theory]
    [InlineData("""{ "name": "email", "left": "email", "right": "email", "master": "crm" }""", "", "$.fields[0].master", "master 'crm' is neither 'shop' nor 'erp' nor 'both'")]
    [InlineData("""{ "name": "note", "left": "note", "right": "note", "master": "both" }""", "", "$.fields[0].master", "master 'both' needs a conflict rule")]
    [InlineData("""{ "name": "note", "left": "note", "right": "note", "master": "both" }""", ", \"conflict\": { \"rule\": \"masterWins\" }", "$.conflict.priority", "masterWins needs 'priority' listing both systems")]
    [InlineData("""{ "name": "note", "left": "note", "right": "note", "master": "both" }""", ", \"conflict\": { \"rule\": \"lastWriterWins\" }", "$.conflict.rule", "declare 'modifiedAt' on both sides")]
    [InlineData("""{ "name": "x", "left": "a", "right": "b", "master": "shop", "transform": { "type": "titleCase" } }""", "", "$.fields[0].transform.type", "NotInEnumeration: use one of valueMap, default, concat")]
    [InlineData("""{ "name": "x", "left": "a", "right": "b", "master": "shop", "transform": [ { "type": "number" }, { "type": "round" } ] }""", "", "$.fields[0].transform[1]", "round needs exactly one of 'decimals', 'currency' or 'currencyPath'")]
    [InlineData("""{ "name": "x", "left": "a", "right": "b", "master": "shop", "transform": { "type": "valueMap" } }""", "", "$.fields[0].transform.map", "valueMap needs a non-empty 'map'")]
    [InlineData("""{ "name": "x", "left": "a", "right": "b", "master": "shop", "transform": { "type": "valueMap", "map": { "1": "A" }, "mapPath": "@locations" } }""", "", "$.fields[0].transform.map", "valueMap takes a 'map' or a 'mapPath', not both")]
    [InlineData("""{ "name": "x", "left": "a", "right": "b", "master": "shop", "transform": { "type": "round", "decimals": 2, "mode": "bankers" } }""", "", "$.fields[0].transform.mode", "unknown rounding mode 'bankers'")]
    [InlineData("""{ "name": "x", "left": "a", "right": "b", "master": "shop", "transform": { "type": "dateTime", "timeZone": "Cairo/Egypt" } }""", "", "$.fields[0].transform.timeZone", "unknown time zone 'Cairo/Egypt'")]
    [InlineData("""{ "name": "x", "left": "a", "right": "b", "master": "shop", "transform": { "type": "unit", "from": "kg", "to": "cm" } }""", "", "$.fields[0].transform", "cannot convert mass (kg) to length (cm)")]
    [InlineData("""{ "name": "x", "left": "a", "right": "b", "master": "shop", "transform": { "type": "keyMap" } }""", "", "$.fields[0].transform.entity", "keyMap needs the 'entity'")]
    [InlineData("""{ "name": "x", "left": "a", "right": "b", "master": "shop", "transform": { "type": "javascript", "expression": "value +* 2" } }""", "", "$.fields[0].transform.expression", "JavaScript does not parse")]
    [InlineData("""{ "name": "x", "left": "a", "master": "shop" }""", "", "$.fields[0].right", "has no 'right' path to write")]
    [InlineData("""{ "name": "x", "left": "a", "right": "b", "master": "shop", "onMissing": "default" }""", "", "$.fields[0].default", "onMissing 'default' needs a 'default' value")]
    [InlineData("""{ "name": "x", "left": "a", "right": "b", "master": "shop", "required": true, "onMissing": "skip" }""", "", "$.fields[0].onMissing", "a required field cannot skip")]
    [InlineData("""{ "name": "x", "left": "a", "right": "b", "master": "shop" }, { "name": "x", "left": "c", "right": "d", "master": "shop" }""", "", "$.fields[1].name", "field 'x' is declared twice")]
    [InlineData("""{ "name": "x", "left": "a..b", "right": "b", "master": "shop" }""", "", "$.fields[0].left", "PatternMismatch")]
    [InlineData("""{ "name": "x", "left": "a", "right": "b", "master": "shop", "colour": "red" }""", "", "$.fields[0].colour", "NoAdditionalPropertiesAllowed 'colour'")]
    [InlineData("""{ "name": "x", "left": "a", "right": "b" }""", "", "$.fields[0].master", "PropertyRequired 'master'")]
    public void An_invalid_mapping_is_refused_with_the_json_path_and_reason(string fields, string extra, string path, string reason)
    {
        var result = MappingLoader.Load(With(fields, extra), "/maps/shop-customer__erp-customer.json");

        Assert.False(result.IsValid);
        Assert.DoesNotContain(result.Problems, p => p.Message.StartsWith("ArrayExpected", StringComparison.Ordinal));
        Assert.Null(result.Definition);
        Assert.Contains(result.Problems, p => p.File == "/maps/shop-customer__erp-customer.json" && p.JsonPath == path && p.Message.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void An_array_without_a_key_is_refused()
    {
        var json = With("""{ "name": "x", "left": "a", "right": "b", "master": "shop" }""",
            """, "arrays": [ { "name": "lines", "left": "line_items", "right": "lines", "master": "shop", "fields": [] } ]""");

        var result = MappingLoader.Load(json, "shop-customer__erp-customer.json");

        Assert.Contains(result.Problems, p => p.JsonPath == "$.arrays[0].key" && p.Message.Contains("PropertyRequired 'key'", StringComparison.Ordinal));
    }

    [Fact]
    public void Broken_json_is_refused_with_its_line()
    {
        var result = MappingLoader.Load("{ \"id\": ", "broken.json");

        var problem = Assert.Single(result.Problems);
        Assert.Equal("$", problem.JsonPath);
        Assert.StartsWith("not valid JSON (line 1", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_id_that_differs_from_the_file_name_is_refused()
    {
        var result = MappingLoader.Load(With("""{ "name": "x", "left": "a", "right": "b", "master": "shop" }"""), "shop-client__erp-customer.json");

        Assert.Contains(result.Problems, p => p.JsonPath == "$.id" && p.Message.Contains("differs from the file name", StringComparison.Ordinal));
    }

    [Fact]
    public void A_valid_mapping_is_compiled_once_with_its_direction_and_transforms()
    {
        var result = MappingLoader.Load(With("""{ "name": "status", "left": "status", "right": "state", "master": "erp", "transform": { "type": "valueMap", "map": { "Active": "active" } } }"""),
            "shop-customer__erp-customer.json");

        Assert.True(result.IsValid, string.Join("; ", result.Problems));
        var field = Assert.Single(result.Definition!.Fields);
        Assert.Equal(Integration.Mappings.Definitions.FieldMaster.Right, field.Master);
        Assert.Equal("valueMap", Assert.Single(field.ToLeft).Name); // the ERP masters it: its transform runs towards the store
        Assert.Equal("valueMap", Assert.Single(field.ToRight).Name); // and inverted for the way back
    }
}
