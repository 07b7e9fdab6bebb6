using Integration.Mappings.Definitions;
using Integration.Mappings.Engine;
using Integration.Mappings.KeyMaps;

namespace Integration.Mappings.Tests.Transforms;

/// <summary>Each built-in transform, table-driven: a one-field mapping from "a" (store) to "b" (ERP) applied to a value.</summary>
public sealed class TransformTests
{
    private static readonly System.Text.Json.JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Mapping(string transform, string extra = "") => $$"""
        {
          "id": "shop-thing__erp-thing",
          "left": { "system": "shop", "entity": "thing" },
          "right": { "system": "erp", "entity": "thing" },
          "fields": [ { "name": "b", "left": "a", "right": "b", "master": "shop", "transform": {{transform}} {{extra}} } ]
        }
        """;

    private static async Task<MappingResult> ApplyAsync(string transform, string source, MappingContext? context = null, MappingTestKit? kit = null)
    {
        kit ??= new MappingTestKit();
        kit.Catalog.Add(MappingTestKit.Load(Mapping(transform)));
        return await kit.Mapper.ApplyAsync("shop-thing__erp-thing", MappingDirection.LeftToRight, MappingTestKit.Json(source), null, context);
    }

    [Theory]
    // valueMap: mapped, unmapped with fallback, unmapped passing through
    [InlineData("""{ "type": "valueMap", "map": { "paid": "Paid", "pending": "Unpaid" } }""", """{ "a": "paid" }""", "\"Paid\"")]
    [InlineData("""{ "type": "valueMap", "map": { "paid": "Paid" }, "fallback": "Other" }""", """{ "a": "weird" }""", "\"Other\"")]
    [InlineData("""{ "type": "valueMap", "map": { "paid": "Paid" }, "passThrough": true }""", """{ "a": "weird" }""", "\"weird\"")]
    [InlineData("""{ "type": "valueMap", "map": { "true": "variable", "false": "simple" } }""", """{ "a": true }""", "\"variable\"")]
    // default: missing, null, empty with whenEmpty, present
    [InlineData("""{ "type": "default", "value": "EGP" }""", """{ }""", "\"EGP\"")]
    [InlineData("""{ "type": "default", "value": "EGP" }""", """{ "a": null }""", "\"EGP\"")]
    [InlineData("""{ "type": "default", "value": "EGP", "whenEmpty": true }""", """{ "a": "" }""", "\"EGP\"")]
    [InlineData("""{ "type": "default", "value": "EGP" }""", """{ "a": "USD" }""", "\"USD\"")]
    [InlineData("""{ "type": "default", "path": "c" }""", """{ "c": "from c" }""", "\"from c\"")]
    // concat and split
    [InlineData("""{ "type": "concat", "with": ["c", "d"], "separator": " " }""", """{ "a": "Bob", "c": null, "d": " Biller " }""", "\"Bob Biller\"")]
    [InlineData("""{ "type": "concat", "prefix": "Order ", "with": ["c"], "separator": ", " }""", """{ "a": "#9", "c": "paid" }""", "\"Order #9, paid\"")]
    [InlineData("""{ "type": "split", "separator": "/", "index": -1 }""", """{ "a": "gid://shopify/Order/820982911946154508" }""", "\"820982911946154508\"")]
    [InlineData("""{ "type": "split", "separator": " ", "index": 1, "rest": true }""", """{ "a": "Bob van Biller" }""", "\"van Biller\"")]
    [InlineData("""{ "type": "split", "separator": "/", "index": 1 }""", """{ "a": " a / /b / c " }""", "\"b\"")]
    [InlineData("""{ "type": "split", "separator": "/", "index": 1, "rest": true }""", """{ "a": " a / /b / c " }""", "\"b/c\"")]
    [InlineData("""{ "type": "concat", "with": ["c"], "separator": "-" }""", """{ "a": "  ", "c": " x " }""", "\"x\"")]
    // number and string: exact decimals, exact large ids
    [InlineData("""{ "type": "number" }""", """{ "a": "89.99" }""", "89.99")]
    [InlineData("""{ "type": "number" }""", """{ "a": "\u0038\u0039.50" }""", "89.50")]
    [InlineData("""{ "type": "number" }""", """{ "a": " 1,234.50 " }""", "1234.50")]
    [InlineData("""{ "type": "string" }""", """{ "a": 820982911946154508 }""", "\"820982911946154508\"")]
    // round: places, currency, modes
    [InlineData("""{ "type": "round", "decimals": 2 }""", """{ "a": "2.345" }""", "2.35")]
    [InlineData("""{ "type": "round", "decimals": 2, "mode": "toEven" }""", """{ "a": 2.345 }""", "2.34")]
    [InlineData("""{ "type": "round", "decimals": 0, "mode": "down" }""", """{ "a": 3.99 }""", "3")]
    [InlineData("""{ "type": "round", "decimals": 0, "mode": "up" }""", """{ "a": 3.01 }""", "4")]
    [InlineData("""{ "type": "round", "decimals": 1, "mode": "toZero" }""", """{ "a": -3.99 }""", "-3.9")]
    [InlineData("""{ "type": "round", "currency": "EGP" }""", """{ "a": 450 }""", "450.00")]
    [InlineData("""{ "type": "round", "currency": "KWD" }""", """{ "a": 1.23456 }""", "1.235")]
    [InlineData("""{ "type": "round", "currency": "JPY" }""", """{ "a": 1500.5 }""", "1501")]
    [InlineData("""{ "type": "round", "currencyPath": "c" }""", """{ "a": 9.999, "c": "USD" }""", "10.00")]
    // dateTime: offsets, assumed zones, Cairo summer time, formats
    [InlineData("""{ "type": "dateTime", "timeZone": "Africa/Cairo", "format": "date" }""", """{ "a": "2021-12-31T19:00:00-05:00" }""", "\"2022-01-01\"")]
    [InlineData("""{ "type": "dateTime", "timeZone": "Africa/Cairo" }""", """{ "a": "2025-07-01T12:00:00Z" }""", "\"2025-07-01T15:00:00+03:00\"")]
    [InlineData("""{ "type": "dateTime", "assumeTimeZone": "Africa/Cairo", "format": "utc" }""", """{ "a": "2025-01-15T10:00:00" }""", "\"2025-01-15T08:00:00Z\"")]
    [InlineData("""{ "type": "dateTime", "format": "dd/MM/yyyy" }""", """{ "a": "2017-03-22T19:28:02" }""", "\"22/03/2017\"")]
    // unit conversion
    [InlineData("""{ "type": "unit", "from": "g", "to": "kg" }""", """{ "a": 1250 }""", "1.25")]
    [InlineData("""{ "type": "unit", "from": "lb", "to": "kg", "decimals": 3 }""", """{ "a": "2" }""", "0.907")]
    [InlineData("""{ "type": "unit", "from": "ratio", "to": "percent" }""", """{ "a": "0.14" }""", "14")]
    [InlineData("""{ "type": "unit", "from": "in", "to": "cm", "decimals": 2 }""", """{ "a": 10 }""", "25.4")]
    // sum over an array
    [InlineData("""{ "type": "sum", "path": "amount" }""", """{ "a": [ { "amount": "1.10" }, { "amount": 2.2 }, { "amount": null } ] }""", "3.30")]
    [InlineData("""[ { "type": "sum" }, { "type": "round", "decimals": 1 } ]""", """{ "a": [ 1, 2.25 ] }""", "3.3")]
    [InlineData("""{ "type": "sum", "path": "lines.allocations.amount" }""", """{ "a": { "lines": [ { "allocations": [ { "amount": "1.5" } ] }, { "allocations": [ { "amount": "2" }, { "amount": "0.25" } ] } ] } }""", "3.75")]
    // subtract: what is left after the parts at a path
    [InlineData("""{ "type": "subtract", "path": "lines.allocations.amount" }""", """{ "a": "20.00", "lines": [ { "allocations": [ { "amount": "5.00" } ] }, { "allocations": [] } ] }""", "15.00")]
    // javascript, with the item in scope
    [InlineData("""{ "type": "javascript", "expression": "value.toUpperCase() + '-' + item.c" }""", """{ "a": "tee", "c": 7 }""", "\"TEE-7\"")]
    [InlineData("""{ "type": "javascript", "expression": "({ total: value.reduce((s, x) => s + x, 0) })" }""", """{ "a": [1, 2, 3] }""", """{"total":6}""")]
    public async Task A_transform_converts_the_value(string transform, string source, string expected)
    {
        var result = await ApplyAsync(transform, source);

        Assert.True(result.Succeeded, string.Join("; ", result.Failed.Select(f => f.Reason)));
        var written = Assert.Single(result.Written);
        Assert.Equal(expected, written.Value?.ToJsonString(Relaxed));
    }

    [Theory]
    [InlineData("""{ "type": "valueMap", "map": { "paid": "Paid" } }""", """{ "a": "weird" }""", "valueMap has no entry for 'weird'")]
    [InlineData("""{ "type": "number" }""", """{ "a": "ten" }""", "'ten' is not a number")]
    [InlineData("""{ "type": "round", "currencyPath": "c" }""", """{ "a": 1, "c": "XXX" }""", "unknown currency 'XXX'")]
    [InlineData("""{ "type": "dateTime" }""", """{ "a": "yesterday" }""", "'yesterday' is not a date or time")]
    [InlineData("""{ "type": "javascript", "expression": "while (true) {}" }""", """{ "a": 1 }""", "javascript:")]
    [InlineData("""{ "type": "javascript", "expression": "throw new Error('no')" }""", """{ "a": 1 }""", "javascript: no")]
    [InlineData("""{ "type": "keyMap", "entity": "customer" }""", """{ "a": "gid://shopify/Customer/1" }""", "no customer 'gid://shopify/Customer/1' of shop in the key map")]
    public async Task A_value_a_transform_cannot_convert_fails_the_field_with_the_reason(string transform, string source, string reason)
    {
        var result = await ApplyAsync(transform, source);

        var failure = Assert.Single(result.Failed);
        Assert.Equal("b", failure.Field);
        Assert.Contains(reason, failure.Reason, StringComparison.Ordinal);
        Assert.Empty(result.Written);
    }

    [Fact]
    public async Task JavaScript_cannot_reach_dotnet_types()
    {
        var result = await ApplyAsync("""{ "type": "javascript", "expression": "typeof System === 'undefined' && typeof importNamespace === 'undefined' ? 'sealed' : 'open'" }""", """{ "a": 1 }""");

        Assert.Equal("\"sealed\"", Assert.Single(result.Written).Value?.ToJsonString());
    }

    [Theory]
    [InlineData("""{ "a": 2002 }""", "\"SHOP-WH\"")]
    [InlineData("""{ "a": "1001" }""", "\"MAIN-WH\"")]
    [InlineData("""{ "a": 3003 }""", null)] // a location the table does not name: the fallback, null, so the field is skipped
    public async Task ValueMap_reads_its_table_from_a_context_value(string source, string? written)
    {
        var context = new MappingContext { Values = new Dictionary<string, System.Text.Json.Nodes.JsonNode?> { ["locations"] = MappingTestKit.Json("""{ "1001": "MAIN-WH", "2002": "SHOP-WH" }""") } };

        var result = await ApplyAsync("""{ "type": "valueMap", "mapPath": "@locations", "fallback": null }""", source, context);

        Assert.Empty(result.Failed);
        Assert.Equal(written, result.Written.SingleOrDefault()?.Value?.ToJsonString());
    }

    [Fact]
    public async Task ValueMap_without_a_fallback_fails_a_value_its_context_table_does_not_name()
    {
        var context = new MappingContext { Values = new Dictionary<string, System.Text.Json.Nodes.JsonNode?> { ["locations"] = MappingTestKit.Json("""{ "1001": "MAIN-WH" }""") } };

        var result = await ApplyAsync("""{ "type": "valueMap", "mapPath": "@locations" }""", """{ "a": 3003 }""", context);

        Assert.Contains("@locations has no entry for '3003'", Assert.Single(result.Failed).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyMap_maps_store_ids_to_erp_ids_for_the_context_store_and_back()
    {
        var kit = new MappingTestKit();
        await kit.KeyMap.LinkAsync(new KeyLink("shop", "customer", "store-a", "S-1", "CUST-1"));
        await kit.KeyMap.LinkAsync(new KeyLink("shop", "customer", "store-b", "S-1", "CUST-9"));

        var a = await ApplyAsync("""{ "type": "keyMap", "entity": "customer" }""", """{ "a": "S-1" }""", new MappingContext { Store = "store-a" }, kit);
        var b = await kit.Mapper.ApplyAsync("shop-thing__erp-thing", MappingDirection.LeftToRight, MappingTestKit.Json("""{ "a": "S-1" }"""), null, new MappingContext { Store = "store-b" });

        Assert.Equal("CUST-1", (string?)a.Changes["b"]);
        Assert.Equal("CUST-9", (string?)b.Changes["b"]);
        Assert.Equal("S-1", await kit.KeyMap.FindExternalIdAsync("shop", "customer", "store-b", "CUST-9"));
    }

    [Theory]
    [InlineData("skip", """{ }""", null, "missing")]
    [InlineData("null", """{ }""", "null", null)]
    [InlineData("default", """{ }""", "\"n/a\"", null)]
    [InlineData("fail", """{ }""", null, "failed")]
    public async Task A_missing_value_does_what_the_field_says(string onMissing, string source, string? written, string? outcome)
    {
        var kit = new MappingTestKit();
        kit.Catalog.Add(MappingTestKit.Load($$"""
            { "id": "shop-thing__erp-thing", "left": { "system": "shop", "entity": "thing" }, "right": { "system": "erp", "entity": "thing" },
              "fields": [ { "name": "b", "left": "a", "right": "b", "master": "shop", "onMissing": "{{onMissing}}", "default": "n/a" } ] }
            """));

        var result = await kit.Mapper.ApplyAsync("shop-thing__erp-thing", MappingDirection.LeftToRight, MappingTestKit.Json(source), null);

        if (written is not null || onMissing == "null")
        {
            Assert.Equal(written, Assert.Single(result.Written).Value?.ToJsonString() ?? "null");
            Assert.True(result.Changes.ContainsKey("b"));
        }
        else if (outcome == "missing")
        {
            Assert.Equal(SkipReason.Missing, Assert.Single(result.Skipped).Reason);
            Assert.False(result.Changes.ContainsKey("b"));
        }
        else
        {
            Assert.Contains("required value missing at a", Assert.Single(result.Failed).Reason, StringComparison.Ordinal);
        }
    }
}
