using System.Text.Json.Nodes;
using Integration.Workflows.Execution;
using Integration.Workflows.Loading;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.EndToEnd.Tests;

/// <summary>
/// Runs a store's SetPrices activity alone, as a price flow would, with the time its price was read (<c>asOf</c>):
/// lets a test replay two overlapping price runs in the order it wants. Returns the activity's <c>updated</c> and
/// <c>skipped</c>.
/// </summary>
internal static class PricePushProbe
{
    public static async Task<JsonObject> PushAsync(IServiceProvider services, string activityType, string sku, string price, DateTimeOffset readAt)
    {
        var json = $$"""
            { "definitionId": "price-order-test", "version": 1, "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
              "activities": [{ "id": "push", "type": "{{activityType}}", "version": 1,
                "prices": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "[{ sku: '{{sku}}', price: '{{price}}' }]" } },
                "asOf": { "typeName": "String", "expression": { "type": "Literal", "value": "{{readAt:O}}" } } }],
              "connections": [] } }
            """;
        var loaded = services.GetRequiredService<FlowLoader>().Load(json, "price-order-test.json");
        Assert.True(loaded.IsValid, string.Join(Environment.NewLine, loaded.Problems));
        var state = await services.GetRequiredService<FlowRunner>().RunAsync(loaded.Definition!);
        Assert.Equal(FlowRunStatus.Finished, state.Status);
        return new JsonObject { ["updated"] = JsonValue.Create(state.ActivityOutputs["push"]["updated"]), ["skipped"] = ((JsonNode?)state.ActivityOutputs["push"]["skipped"])?.DeepClone() };
    }
}
