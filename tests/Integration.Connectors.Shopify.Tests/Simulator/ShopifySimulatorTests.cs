using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Integration.Simulators.Shopify;
using Integration.Testing;
using Microsoft.Extensions.Time.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Integration.Connectors.Shopify.Tests.Simulator;

public sealed class ShopifySimulatorTests
{
    private static async Task<(HttpStatusCode Status, JsonObject Body, string? RetryAfter)> PostAsync(ShopifySimulator simulator, string operation, string query, JsonObject? variables = null)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, simulator.AdminUrl + "/admin/api/2026-04/graphql.json")
        {
            Content = new StringContent(new JsonObject { ["query"] = query, ["operationName"] = operation, ["variables"] = variables ?? [] }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Shopify-Access-Token", simulator.Options.AccessToken);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject(),
            response.Headers.TryGetValues("Retry-After", out var after) ? after.Single() : null);
    }

    private const string SetMetafield = "mutation MetafieldsSet($metafields: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $metafields) { userErrors { field message } } }";

    private static JsonObject Metafield(string value) => new()
    {
        ["metafields"] = new JsonArray(new JsonObject { ["ownerId"] = "gid://shopify/Order/1", ["namespace"] = "erp", ["key"] = "invoice", ["type"] = "single_line_text_field", ["value"] = value }),
    };

    [Theory]
    [InlineData(true, HttpStatusCode.TooManyRequests)]
    [InlineData(false, HttpStatusCode.OK)]
    public async Task A_request_costing_more_than_the_bucket_holds_is_throttled_until_points_come_back(bool with429, HttpStatusCode throttledStatus)
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-24T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using var simulator = new ShopifySimulator(new ShopifySimulatorOptions { Time = time, RestoreRate = 10, BucketSize = 20, ThrottleWith429 = with429 });

        var first = await PostAsync(simulator, "MetafieldsSet", SetMetafield, Metafield("A"));
        await PostAsync(simulator, "MetafieldsSet", SetMetafield, Metafield("B"));
        var third = await PostAsync(simulator, "MetafieldsSet", SetMetafield, Metafield("C"));

        Assert.Equal(10, first.Body["extensions"]!["cost"]!["throttleStatus"]!["currentlyAvailable"]!.GetValue<double>());
        Assert.Equal(throttledStatus, third.Status);
        Assert.Equal("THROTTLED", third.Body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        Assert.Equal(with429 ? "1.0" : null, third.RetryAfter);
        Assert.Equal(1, simulator.Throttled);
        Assert.Equal("B", simulator.State.Metafield(1, "erp", "invoice"));

        time.Advance(TimeSpan.FromSeconds(1));
        var fourth = await PostAsync(simulator, "MetafieldsSet", SetMetafield, Metafield("D"));
        Assert.Equal(HttpStatusCode.OK, fourth.Status);
        Assert.Equal("D", simulator.State.Metafield(1, "erp", "invoice"));
        Assert.Equal(30, simulator.PointsSpent);
    }

    [Fact]
    public async Task A_connection_is_charged_for_what_it_asked_and_refunded_what_it_did_not_return()
    {
        using var simulator = new ShopifySimulator();

        var shop = await PostAsync(simulator, "Shop", "query Shop { shop { id name currencyCode } locations(first: 250) { nodes { id name } } }");

        var cost = shop.Body["extensions"]!["cost"]!;
        Assert.Equal(253, cost["requestedQueryCost"]!.GetValue<double>());
        Assert.Equal(4, cost["actualQueryCost"]!.GetValue<double>());
        Assert.Equal(simulator.BucketSize - 4, cost["throttleStatus"]!["currentlyAvailable"]!.GetValue<double>());
        Assert.Equal(2000, simulator.BucketSize);
        Assert.Equal(100, simulator.RestoreRate);
    }

    [Fact]
    public async Task A_wrong_token_gets_401_and_a_failure_storm_answers_5xx_then_recovers()
    {
        using var simulator = new ShopifySimulator();
        using var http = new HttpClient();
        using var bad = new HttpRequestMessage(HttpMethod.Post, simulator.AdminUrl + "/admin/api/2026-04/graphql.json") { Content = new StringContent("{}") };
        bad.Headers.Add("X-Shopify-Access-Token", "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(bad)).StatusCode);

        simulator.FailNext(2, HttpStatusCode.BadGateway);
        Assert.Equal(HttpStatusCode.BadGateway, (await PostAsync(simulator, "Shop", "query Shop { shop { id } }")).Status);
        Assert.Equal(HttpStatusCode.BadGateway, (await PostAsync(simulator, "Shop", "query Shop { shop { id } }")).Status);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(simulator, "Shop", "query Shop { shop { id } }")).Status);
        Assert.Equal(2, simulator.ServerErrors);
    }

    [Fact]
    public async Task Inventory_is_set_once_per_idempotency_key_and_a_stale_change_from_is_refused()
    {
        using var simulator = new ShopifySimulator();
        var item = simulator.State.AddProduct("Book", "BK-1").Single();
        var location = simulator.State.Locations[0].Id;
        const string Set = "mutation SetInventory($input: InventorySetQuantitiesInput!, $idempotencyKey: String!) { inventorySetQuantities(input: $input) @idempotent(key: $idempotencyKey) { userErrors { field code message } } }";
        JsonObject Input(int quantity, int changeFrom, string key) => new()
        {
            ["idempotencyKey"] = key,
            ["input"] = new JsonObject
            {
                ["name"] = "available", ["reason"] = "correction",
                ["quantities"] = new JsonArray(new JsonObject
                {
                    ["inventoryItemId"] = "gid://shopify/InventoryItem/" + item.Id, ["locationId"] = "gid://shopify/Location/" + location,
                    ["quantity"] = quantity, ["changeFromQuantity"] = changeFrom,
                }),
            },
        };

        await PostAsync(simulator, "SetInventory", Set, Input(7, 0, "k1"));
        var replay = await PostAsync(simulator, "SetInventory", Set, Input(7, 0, "k1"));
        var stale = await PostAsync(simulator, "SetInventory", Set, Input(9, 0, "k2"));
        var unkeyed = await PostAsync(simulator, "SetInventory", Set.Replace(" @idempotent(key: $idempotencyKey)", "", StringComparison.Ordinal), Input(9, 7, "k3"));

        Assert.Equal(7, simulator.State.Available("BK-1", location));
        Assert.Empty(replay.Body["data"]!["inventorySetQuantities"]!["userErrors"]!.AsArray());
        Assert.Equal("CHANGE_FROM_QUANTITY_STALE", stale.Body["data"]!["inventorySetQuantities"]!["userErrors"]![0]!["code"]!.GetValue<string>());
        Assert.Equal("BAD_REQUEST", unkeyed.Body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public void Webhooks_are_signed_like_Shopify_signs_them()
    {
        using var simulator = new ShopifySimulator(new ShopifySimulatorOptions { AppSecret = "hush" });
        var body = Encoding.UTF8.GetString(RepoPaths.Fixture("shopify/orders-create.shopify-docs-2026-04.json"));

        // The fixture README's vector, computed with Python and openssl.
        Assert.Equal("UQKXYpYhM0t1xveXy1pquBoezRO0o9diJy041+DzZeE=", simulator.Webhooks.Sign(body));
    }

    [Fact]
    public async Task A_webhook_is_sent_with_Shopify_headers_and_retried_with_the_same_id_until_2xx()
    {
        using var simulator = new ShopifySimulator();
        using var target = WireMockServer.Start();
        target.Given(Request.Create().WithPath("/webhooks/shopify").UsingPost()).InScenario("r").WillSetStateTo("up")
            .RespondWith(Response.Create().WithStatusCode(500));
        target.Given(Request.Create().WithPath("/webhooks/shopify").UsingPost()).InScenario("r").WhenStateIs("up")
            .RespondWith(Response.Create().WithStatusCode(200));

        var delivery = await simulator.Webhooks.SendAsync("orders/create", """{"id":1}""", target.Url + "/webhooks/shopify");

        var requests = target.LogEntries.Select(e => e.RequestMessage).ToList();
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r =>
        {
            Assert.Equal("orders/create", r.Headers!["X-Shopify-Topic"].Single());
            Assert.Equal(delivery.WebhookId, r.Headers["X-Shopify-Webhook-Id"].Single());
            Assert.Equal(simulator.Webhooks.Sign("""{"id":1}"""), r.Headers["X-Shopify-Hmac-Sha256"].Single());
            Assert.Equal(simulator.Options.ShopDomain, r.Headers["X-Shopify-Shop-Domain"].Single());
            Assert.Equal("""{"id":1}""", r.Body);
        });
        Assert.Equal([HttpStatusCode.InternalServerError, HttpStatusCode.OK], simulator.Webhooks.Attempts.Select(a => a.Status!.Value));
        target.Stop();
    }
}
