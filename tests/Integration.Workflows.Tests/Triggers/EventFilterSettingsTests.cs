using System.Text.Json.Nodes;
using Integration.Workflows.Triggers;
using Microsoft.Extensions.Configuration;

namespace Integration.Workflows.Tests.Triggers;

public sealed class EventFilterSettingsTests
{
    private const string SyncCondition =
        "(() => { const change = (payload || {}).change; const stores = getSettings('Connectors:WooCommerce:Stores') || []; return stores.length > 0 && (change === 'status' || (['created', 'updated', 'images'].indexOf(change) >= 0 && stores.some(s => String(s.SyncProducts).toLowerCase() === 'true'))); })()";

    [Theory]
    [InlineData("created", null, false)] // no store: nothing to start
    [InlineData("created", "false", false)] // stores that do not sync products only follow the status
    [InlineData("status", "false", true)]
    [InlineData("created", "true", true)]
    [InlineData("deleted", "true", false)]
    public void A_javascript_filter_reads_the_event_and_the_connectors_settings(string change, string? syncProducts, bool starts)
    {
        var settings = new Dictionary<string, string?>();
        if (syncProducts is not null)
        {
            settings["Connectors:WooCommerce:Stores:0:Name"] = "cairo";
            settings["Connectors:WooCommerce:Stores:0:SyncProducts"] = syncProducts;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var input = new Dictionary<string, object?> { ["payload"] = new JsonObject { ["sku"] = "MUG", ["change"] = change }, ["topic"] = "erp.item.changed" };

        Assert.Equal(starts, Filter(SyncCondition).Matches(input, configuration));
    }

    [Theory]
    [InlineData("getSettings('Connectors:WooCommerce:Stores')[0].ConsumerSecret === undefined")]
    [InlineData("getSettings('Connectors:WooCommerce:Stores')[0].ConsumerKey === undefined")]
    [InlineData("getSettings('Connectors:WooCommerce:Stores:0:ConsumerSecret') === null")]
    [InlineData("getSettings('Connectors:Shopify:Stores:0:PreviousAppSecrets:0') === null")]
    [InlineData("getSettings('Connectors:Shopify:Stores:0:PreviousAppSecrets') === null")]
    [InlineData("getSettings('Connectors:Shopify:Stores')[0].PreviousAppSecrets === undefined")]
    [InlineData("getSettings('DATABASE_URL') === null")]
    [InlineData("getSettings('Connectors:WooCommerce:Stores')[0].Name === 'cairo'")]
    public void A_javascript_filter_sees_the_connectors_settings_but_no_secret(string condition)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Connectors:WooCommerce:Stores:0:Name"] = "cairo",
            ["Connectors:WooCommerce:Stores:0:ConsumerKey"] = "ck_live",
            ["Connectors:WooCommerce:Stores:0:ConsumerSecret"] = "cs_live",
            ["Connectors:Shopify:Stores:0:PreviousAppSecrets:0"] = "shpss_old",
            ["DATABASE_URL"] = "postgresql://app:password@db/integration",
        }).Build();

        Assert.True(Filter(condition).Matches(new Dictionary<string, object?>(), configuration));
    }

    private static TriggerFilter Filter(string script) =>
        TriggerFilter.Parse(new JsonObject { ["typeName"] = "Boolean", ["expression"] = new JsonObject { ["type"] = "JavaScript", ["value"] = script } });
}
