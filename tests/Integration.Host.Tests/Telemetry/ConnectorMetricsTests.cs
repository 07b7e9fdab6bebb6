using System.Net;
using System.Text.Json.Nodes;
using Integration.Connectors.Shopify.Client;
using Integration.Connectors.WooCommerce.Orders;
using Integration.Simulators.Shopify;
using Integration.Simulators.WooCommerce;
using Integration.Testing;
using Integration.Testing.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Host.Tests.Telemetry;

/// <summary>
/// Calls to the (simulated) stores through the host's connectors show on <c>/metrics</c>: by connector, store,
/// operation and status, and every wait a rate limit imposed (Shopify's bucket, WooCommerce's pace, 429s).
/// </summary>
public sealed class ConnectorMetricsTests(ConnectorMetricsTests.StoresHost host) : IClassFixture<ConnectorMetricsTests.StoresHost>
{
    private const string Set = "mutation MetafieldsSet($metafields: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $metafields) { userErrors { field message } } }";

    [Fact]
    public async Task Shopify_calls_bucket_waits_and_throttled_retries_are_counted_by_store_and_operation()
    {
        var client = host.Services.GetRequiredService<ShopifyAdminClients>().For(StoresHost.ShopifyStore);
        var before = await PrometheusScrape.TakeAsync(host.Client);
        // While the bucket is full: a 429 is retried after its Retry-After, a 404 is not retried.
        host.Shopify.FailNext(1, HttpStatusCode.TooManyRequests, TimeSpan.FromMilliseconds(50));
        await SetAsync(client);
        host.Shopify.FailNext(1, HttpStatusCode.NotFound);
        await Assert.ThrowsAsync<ShopifyException>(() => SetAsync(client));

        // 25 writes of 10 points into a bucket of 100 refilled at 100/s: the client must wait for points.
        for (var i = 0; i < 25; i++)
        {
            await SetAsync(client);
        }


        var after = await PrometheusScrape.TakeAsync(host.Client);
        string[] store = ["connector=\"shopify\"", $"store=\"{StoresHost.ShopifyStore}\""];
        Assert.Equal(26, Delta("integration_connector_calls_total", [.. store, "operation=\"MetafieldsSet\"", "status=\"ok\""]));
        Assert.Equal(1, Delta("integration_connector_calls_total", [.. store, "operation=\"MetafieldsSet\"", "status=\"404\""]));
        Assert.True(Delta("integration_connector_rate_limit_waits_total", [.. store, "reason=\"bucket\""]) >= 1, "the bucket cannot hold 250 points: some call waited");
        Assert.True(Delta("integration_connector_rate_limit_wait_time_seconds_total", [.. store, "reason=\"bucket\""]) > 0);
        Assert.Equal(1, Delta("integration_connector_rate_limit_waits_total", [.. store, "reason=\"throttled\""]));
        Assert.Equal(27, Delta("integration_connector_call_duration_seconds_count", [.. store]));

        double Delta(string metric, string[] labels) => after.Sum(metric, labels) - before.Sum(metric, labels);
    }

    private static Task<JsonObject> SetAsync(ShopifyAdminClient client) =>
        client.MutateAsync("MetafieldsSet", "metafieldsSet", Set, new JsonObject
        {
            ["metafields"] = new JsonArray(new JsonObject { ["ownerId"] = "gid://shopify/Order/5", ["namespace"] = "erp", ["key"] = "n", ["type"] = "number_integer", ["value"] = "1" }),
        }, estimatedCost: 10);

    [Fact]
    public async Task WooCommerce_calls_pace_waits_and_throttled_retries_are_counted_by_store_and_operation()
    {
        var orders = host.Services.GetRequiredService<WooCommerceOrders>();
        var before = await PrometheusScrape.TakeAsync(host.Client);

        // Two requests a second, one at a time: four calls at once must wait their turn.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => orders.GetAsync(StoresHost.WooStore, 9000 + i)));
        host.Woo.FailNext(1, HttpStatusCode.TooManyRequests, TimeSpan.FromMilliseconds(50));
        await orders.GetAsync(StoresHost.WooStore, 9100);

        var after = await PrometheusScrape.TakeAsync(host.Client);
        string[] store = ["connector=\"woocommerce\"", $"store=\"{StoresHost.WooStore}\""];
        // No such orders: WooCommerce answers 404, which is a call like any other.
        Assert.Equal(5, Delta("integration_connector_calls_total", [.. store, "status=\"404\""]));
        Assert.True(Delta("integration_connector_rate_limit_waits_total", [.. store, "reason=\"pace\""]) >= 2, "four calls at 2/s with one in flight: some waited");
        Assert.True(Delta("integration_connector_rate_limit_wait_time_seconds_total", [.. store, "reason=\"pace\""]) > 0.2);
        Assert.Equal(1, Delta("integration_connector_rate_limit_waits_total", [.. store, "reason=\"throttled\""]));

        double Delta(string metric, string[] labels) => after.Sum(metric, labels) - before.Sum(metric, labels);
    }

    /// <summary>The host with one Shopify store (a small bucket) and one WooCommerce store (a slow pace), both simulated.</summary>
    public sealed class StoresHost : TestHost
    {
        public const string ShopifyStore = "metrics-shop";
        public const string WooStore = "metrics-woo";

        public ShopifySimulator Shopify { get; } = new(new ShopifySimulatorOptions { RestoreRate = 100, BucketSize = 100, ShopDomain = "metrics-shop.myshopify.com" });

        public WooCommerceSimulator Woo { get; } = new();

        protected override IEnumerable<KeyValuePair<string, string?>> Settings(TestDatabase database) =>
        [
            .. base.Settings(database),
            new("Flows:DispatchInbox", "false"),
            new("Connectors:Shopify:Stores:0:ShopDomain", Shopify.Options.ShopDomain),
            new("Connectors:Shopify:Stores:0:Name", ShopifyStore),
            new("Connectors:Shopify:Stores:0:AppSecret", "hush"),
            new("Connectors:Shopify:Stores:0:AdminUrl", Shopify.AdminUrl),
            new("Connectors:Shopify:Stores:0:AccessToken", Shopify.Options.AccessToken),
            new("Connectors:Shopify:Resilience:BaseDelay", "00:00:00.020"),
            new("Connectors:WooCommerce:Stores:0:Name", WooStore),
            new("Connectors:WooCommerce:Stores:0:BaseUrl", Woo.BaseUrl),
            new("Connectors:WooCommerce:Stores:0:ConsumerKey", Woo.Options.ConsumerKey),
            new("Connectors:WooCommerce:Stores:0:ConsumerSecret", Woo.Options.ConsumerSecret),
            new("Connectors:WooCommerce:Stores:0:WebhookSecret", "hush"),
            new("Connectors:WooCommerce:Stores:0:RequestsPerSecond", "2"),
            new("Connectors:WooCommerce:Stores:0:MaxConcurrentRequests", "1"),
            new("Connectors:WooCommerce:Resilience:BaseDelay", "00:00:00.020"),
        ];

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            Shopify.Dispose();
            Woo.Dispose();
        }
    }
}
