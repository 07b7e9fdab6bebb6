using System.Text.Json.Nodes;
using Integration.Simulators.Shopify;

namespace Integration.Connectors.Shopify.Tests.Client;

public sealed class ShopifyPacingTests
{
    [Fact]
    public async Task A_stream_costing_more_than_the_bucket_is_paced_and_never_throttled()
    {
        using var store = new ShopifySimulatorStore(new ShopifySimulatorOptions { RestoreRate = 100, BucketSize = 100 });
        const string Set = "mutation MetafieldsSet($metafields: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $metafields) { userErrors { field message } } }";

        for (var i = 0; i < 25; i++)
        {
            await store.Client.MutateAsync("MetafieldsSet", "metafieldsSet", Set, new JsonObject
            {
                ["metafields"] = new JsonArray(new JsonObject { ["ownerId"] = "gid://shopify/Order/5", ["namespace"] = "erp", ["key"] = "n", ["type"] = "number_integer", ["value"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
            }, estimatedCost: 10);
        }

        Assert.Equal(0, store.Simulator.Throttled);
        Assert.Equal(25, store.Simulator.Ran("MetafieldsSet"));
        Assert.Equal("24", store.Simulator.State.Metafield(5, "erp", "n"));
        Assert.True(store.Client.Throttle.Waited > TimeSpan.Zero, "the bucket (100) cannot hold 250 points: the client must have waited");
    }

    [Fact]
    public async Task Throttled_answers_and_a_failure_storm_are_ridden_out_by_retries()
    {
        using var store = new ShopifySimulatorStore(new ShopifySimulatorOptions { ThrottleWith429 = false });
        store.Simulator.FailNext(3, System.Net.HttpStatusCode.ServiceUnavailable);

        var data = await store.Client.ExecuteAsync("Shop", "query Shop { shop { name } locations(first: 10) { nodes { id } } }");

        Assert.Equal(store.Simulator.Options.ShopName, data["shop"]!["name"]!.GetValue<string>());
        Assert.Equal(4, store.Simulator.Requests);
        Assert.Equal(3, store.Simulator.ServerErrors);
    }
}
