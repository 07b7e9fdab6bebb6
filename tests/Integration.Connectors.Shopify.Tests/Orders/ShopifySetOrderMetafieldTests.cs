using System.Text.Json.Nodes;
using Integration.Workflows.Execution;
using static Integration.Connectors.Shopify.Tests.ShopifyRuntime;

namespace Integration.Connectors.Shopify.Tests.Orders;

public sealed class ShopifySetOrderMetafieldTests
{
    [Fact]
    public async Task A_metafield_type_can_be_given()
    {
        using var store = new ShopifySimulatorStore();
        var orderId = store.Simulator.State.AddOrder("""{ "name": "#1002", "currency": "EGP", "line_items": [] }""");

        await RunActivityAsync(store.Services, new JsonObject
        {
            ["id"] = "m", ["type"] = "Shopify.SetOrderMetafield", ["version"] = 1, ["orderId"] = "gid://shopify/Order/" + orderId,
            ["namespace"] = "eta", ["key"] = "receipt_uuid", ["value"] = "{\"uuid\":\"a1\"}", ["metafieldType"] = "json",
        }.ToJsonString());

        Assert.Equal("json", store.Simulator.LastVariables("MetafieldsSet")!["metafields"]![0]!["type"]!.GetValue<string>());
        Assert.Equal("{\"uuid\":\"a1\"}", store.Simulator.State.Metafield(orderId, "eta", "receipt_uuid"));
    }

    [Fact]
    public async Task A_metafield_is_set_on_the_order_with_the_default_type()
    {
        using var store = new ShopifySimulatorStore();
        var orderId = store.Simulator.State.AddOrder("""{ "name": "#1001", "currency": "EGP", "line_items": [] }""");

        var state = await RunActivityAsync(store.Services, new JsonObject
        {
            ["id"] = "m", ["type"] = "Shopify.SetOrderMetafield", ["version"] = 1, ["store"] = "sim", ["orderId"] = orderId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["namespace"] = "erp", ["key"] = "invoice", ["value"] = "SINV-2026-00017",
        }.ToJsonString());

        Assert.Equal(FlowRunStatus.Finished, state.Status);
        Assert.Equal("SINV-2026-00017", store.Simulator.State.Metafield(orderId, "erp", "invoice"));
        var sent = store.Simulator.LastVariables("MetafieldsSet")!["metafields"]![0]!;
        Assert.Equal("gid://shopify/Order/" + orderId, sent["ownerId"]!.GetValue<string>());
        Assert.Equal("single_line_text_field", sent["type"]!.GetValue<string>());
        Assert.Equal("SINV-2026-00017", Assert.IsType<JsonObject>(state.ActivityOutputs["m"]["metafield"])["value"]!.GetValue<string>());
    }
}
