using System.Text.Json.Nodes;
using Integration.Workflows.Loading;
using Microsoft.Extensions.DependencyInjection;
using static Integration.Connectors.Shopify.Tests.ShopifyRuntime;

namespace Integration.Connectors.Shopify.Tests.Stores;

public sealed class ShopifyStoreListTests
{
    private static readonly Dictionary<string, string?> ThreeStores = new()
    {
        ["Stores:0:ShopDomain"] = "cairo-books.myshopify.com",
        ["Stores:0:AppSecret"] = "s1",
        ["Stores:0:Name"] = "cairo",
        ["Stores:0:PriceList"] = "Retail",
        ["Stores:0:Locations:0:LocationId"] = "655441491",
        ["Stores:0:Locations:0:Warehouse"] = "MAIN-WH",
        ["Stores:0:SyncProducts"] = "true",
        ["Stores:1:ShopDomain"] = "alex-books.myshopify.com",
        ["Stores:1:AppSecret"] = "s2",
        ["Stores:1:PriceList"] = "Outlet",
        ["Stores:2:ShopDomain"] = "giza-books.myshopify.com",
        ["Stores:2:AppSecret"] = "s3",
        ["Stores:2:Name"] = "giza",
        ["Stores:2:Locations:0:LocationId"] = "655441492",
        ["Stores:2:Locations:0:Warehouse"] = "GIZA-WH",
        ["Stores:2:Warehouse"] = "GIZA-WH",
        ["Stores:2:Company"] = "EG02",
    };

    [Theory]
    [InlineData("", """["cairo","alex-books.myshopify.com","giza"]""")]
    [InlineData("Locations", """["cairo","giza"]""")]
    [InlineData("PriceList", """["cairo","alex-books.myshopify.com"]""")]
    [InlineData("pricelist", """["cairo","alex-books.myshopify.com"]""")]
    [InlineData("SyncProducts", """["cairo"]""")]
    public async Task The_stores_a_flow_is_enabled_for_are_listed_in_configured_order(string with, string expected)
    {
        using var services = Create(ThreeStores);
        var state = await RunActivityAsync(services, $$"""{ "id": "s", "type": "Shopify.Stores", "version": 1, "with": {{Literal(with)}} }""");

        Assert.Equal(expected, Assert.IsType<JsonArray>(state.ActivityOutputs["s"]["stores"]).ToJsonString());
    }

    [Theory]
    [InlineData("EG02", """["giza"]""")] // an ERP event of EG02: its SKUs are not EG01's
    [InlineData("eg01", """["cairo","alex-books.myshopify.com"]""")]
    [InlineData("", """["cairo","alex-books.myshopify.com","giza"]""")] // a schedule: every company's
    public async Task Only_the_stores_of_an_events_company_are_listed(string company, string expected)
    {
        using var services = Create(ThreeStores);
        var state = await RunActivityAsync(services, $$"""{ "id": "s", "type": "Shopify.Stores", "version": 1, "company": {{Literal(company)}} }""");

        Assert.Equal(expected, Assert.IsType<JsonArray>(state.ActivityOutputs["s"]["stores"]).ToJsonString());
    }

    [Fact]
    public async Task A_host_without_stores_lists_none()
    {
        using var services = Create(new Dictionary<string, string?>());
        var state = await RunActivityAsync(services, """{ "id": "s", "type": "Shopify.Stores", "version": 1 }""");

        Assert.Empty(Assert.IsType<JsonArray>(state.ActivityOutputs["s"]["stores"]));
    }

    [Fact]
    public void An_unknown_option_refuses_the_flow_at_load()
    {
        using var services = Create(ThreeStores);
        var json = $$"""
            { "definitionId": "test", "version": 1, "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
              "activities": [{ "id": "s", "type": "Shopify.Stores", "version": 1, "with": {{Literal("Warehouse")}} }], "connections": [] } }
            """;

        var loaded = services.GetRequiredService<FlowLoader>().Load(json, "flows/stores.json");

        var problem = Assert.Single(loaded.Problems);
        Assert.Equal("$.root.activities[0].with", problem.JsonPath);
        Assert.Contains("'Warehouse' is not a store option", problem.Message, StringComparison.Ordinal);
    }
}
