using System.Text.Json.Nodes;
using Integration.Connectors.Shopify.Client;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Integration.Connectors.Shopify.Tests.Client;

/// <summary>The client against scripted answers in Shopify's shapes (the simulator covers the steady state).</summary>
public sealed class ShopifyAdminClientTests : IDisposable
{
    private const string Path = "/admin/api/2026-04/graphql.json";
    private const string Cost = """ "extensions": { "cost": { "requestedQueryCost": 2, "actualQueryCost": 2, "throttleStatus": { "maximumAvailable": 2000, "currentlyAvailable": 1998, "restoreRate": 100 } } } """;
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly ServiceProvider _services;

    public ShopifyAdminClientTests()
    {
        _services = ShopifyRuntime.Create(new Dictionary<string, string?>
        {
            ["Stores:0:ShopDomain"] = "cairo-books.myshopify.com",
            ["Stores:0:AppSecret"] = "s",
            ["Stores:0:AccessToken"] = "shpat_test",
            ["Stores:0:AdminUrl"] = _server.Url,
            ["Resilience:BaseDelay"] = "00:00:00.010",
            ["Resilience:MaxRetryAttempts"] = "3",
            ["Resilience:OutagePause"] = "00:00:00.500",
        });
    }

    private ShopifyAdminClient Client => _services.GetRequiredService<ShopifyAdminClients>().For("cairo-books.myshopify.com");

    [Fact]
    public async Task A_query_is_posted_named_with_the_access_token_and_its_data_returned()
    {
        _server.Given(Request.Create().WithPath(Path).UsingPost().WithHeader("X-Shopify-Access-Token", "shpat_test"))
            .RespondWith(Response.Create().WithBody($$"""{ "data": { "shop": { "name": "Cairo Books" } }, {{Cost}} }"""));

        var data = await Client.ExecuteAsync("Shop", "query Shop { shop { name } }");

        Assert.Equal("Cairo Books", data["shop"]!["name"]!.GetValue<string>());
        var sent = JsonNode.Parse(Assert.Single(_server.LogEntries).RequestMessage.Body!)!;
        Assert.Equal("Shop", sent["operationName"]!.GetValue<string>());
        Assert.Equal(2, Client.Throttle.EstimateOf("Shop"));
    }

    [Fact]
    public async Task A_429_with_Retry_After_is_retried_after_the_given_time()
    {
        _server.Given(Request.Create().WithPath(Path).UsingPost()).InScenario("429").WillSetStateTo("ok")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "0.2").WithBody("""{ "errors": "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service." }"""));
        _server.Given(Request.Create().WithPath(Path).UsingPost()).InScenario("429").WhenStateIs("ok")
            .RespondWith(Response.Create().WithBody($$"""{ "data": { "shop": { "name": "Cairo Books" } }, {{Cost}} }"""));

        var data = await Client.ExecuteAsync("Shop", "query Shop { shop { name } }");

        Assert.Equal("Cairo Books", data["shop"]!["name"]!.GetValue<string>());
        var entries = _server.LogEntries.OrderBy(e => e.RequestMessage.DateTime).ToList();
        Assert.Equal(2, entries.Count);
        Assert.True(entries[1].RequestMessage.DateTime - entries[0].RequestMessage.DateTime >= TimeSpan.FromMilliseconds(190), "Retry-After was not honoured");
    }

    [Fact]
    public async Task A_200_answer_saying_THROTTLED_is_retried()
    {
        _server.Given(Request.Create().WithPath(Path).UsingPost()).InScenario("t").WillSetStateTo("ok")
            .RespondWith(Response.Create().WithBody("""
                { "errors": [ { "message": "Throttled", "extensions": { "code": "THROTTLED", "documentation": "https://shopify.dev/api/usage/rate-limits" } } ],
                  "extensions": { "cost": { "requestedQueryCost": 20, "actualQueryCost": null, "throttleStatus": { "maximumAvailable": 2000, "currentlyAvailable": 15, "restoreRate": 100 } } } }
                """));
        _server.Given(Request.Create().WithPath(Path).UsingPost()).InScenario("t").WhenStateIs("ok")
            .RespondWith(Response.Create().WithBody($$"""{ "data": { "shop": { "name": "Cairo Books" } }, {{Cost}} }"""));

        var data = await Client.ExecuteAsync("Shop", "query Shop { shop { name } }");

        Assert.Equal("Cairo Books", data["shop"]!["name"]!.GetValue<string>());
        Assert.Equal(2, _server.LogEntries.Count);
    }

    [Fact]
    public async Task Server_errors_are_retried_and_then_reported_with_the_status()
    {
        _server.Given(Request.Create().WithPath(Path).UsingPost()).RespondWith(Response.Create().WithStatusCode(503).WithBody("<html>Service Unavailable</html>"));

        var error = await Assert.ThrowsAsync<ShopifyException>(() => Client.ExecuteAsync("Shop", "query Shop { shop { name } }"));

        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, error.Status);
        Assert.Contains("HTTP 503", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, _server.LogEntries.Count); // the first try and 3 retries
        Assert.True(error.ClientRetriesSpent && error.IsTransient); // an activity does not retry it again; its incident is retried later
    }

    [Fact]
    public async Task A_shop_whose_every_call_fails_after_its_retries_is_paused_then_tried_once_again()
    {
        _server.Given(Request.Create().WithPath(Path).UsingPost()).RespondWith(Response.Create().WithStatusCode(502).WithBody("<html>Bad Gateway</html>"));
        for (var call = 0; call < 2; call++)
        {
            await Assert.ThrowsAsync<ShopifyException>(() => Client.ExecuteAsync("Shop", "query Shop { shop { name } }"));
        }

        Assert.Equal(8, _server.LogEntries.Count);

        // Two calls in a row spent their retries: the shop is down, and the next call fails at once without a request.
        var paused = await Assert.ThrowsAsync<ShopifyException>(() => Client.ExecuteAsync("Shop", "query Shop { shop { name } }"));
        Assert.Contains("the shop is down (every call in the last minutes failed after its retries); calls are paused", paused.Message, StringComparison.Ordinal);
        Assert.True(paused.IsTransient && paused.ClientRetriesSpent);
        Assert.Equal(8, _server.LogEntries.Count);

        // Back up: after the pause one trial call goes through and closes the breaker.
        _server.Reset();
        _server.Given(Request.Create().WithPath(Path).UsingPost()).RespondWith(Response.Create().WithBody($$"""{ "data": { "shop": { "name": "Cairo Books" } }, {{Cost}} }"""));
        await Task.Delay(TimeSpan.FromMilliseconds(600));
        Assert.Equal("Cairo Books", (await Client.ExecuteAsync("Shop", "query Shop { shop { name } }"))["shop"]!["name"]!.GetValue<string>());
        Assert.Equal("Cairo Books", (await Client.ExecuteAsync("Shop", "query Shop { shop { name } }"))["shop"]!["name"]!.GetValue<string>());
        Assert.Equal(2, _server.LogEntries.Count);
    }

    [Fact]
    public async Task A_refused_token_is_not_retried_and_says_so()
    {
        _server.Given(Request.Create().WithPath(Path).UsingPost()).RespondWith(Response.Create().WithStatusCode(401).WithBody("""{ "errors": "[API] Invalid API key or access token (unrecognized login or wrong password)" }"""));

        var error = await Assert.ThrowsAsync<ShopifyException>(() => Client.ExecuteAsync("Shop", "query Shop { shop { name } }"));

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, error.Status);
        Assert.Contains("access token was refused (401): [API] Invalid API key", error.Message, StringComparison.Ordinal);
        Assert.Single(_server.LogEntries);
        Assert.False(error.IsTransient || error.ClientRetriesSpent);
    }

    [Fact]
    public async Task Top_level_GraphQL_errors_become_a_typed_exception()
    {
        _server.Given(Request.Create().WithPath(Path).UsingPost()).RespondWith(Response.Create().WithBody("""
            { "errors": [ { "message": "Field 'nme' doesn't exist on type 'Shop'", "locations": [ { "line": 1, "column": 20 } ], "path": ["query Shop", "shop", "nme"], "extensions": { "code": "undefinedField", "typeName": "Shop", "fieldName": "nme" } } ] }
            """));

        var error = await Assert.ThrowsAsync<ShopifyGraphQLException>(() => Client.ExecuteAsync("Shop", "query Shop { shop { nme } }"));

        Assert.True(error.Has("undefinedField"));
        Assert.Equal("query Shop.shop.nme", Assert.Single(error.Errors).Path);
    }

    [Fact]
    public async Task User_errors_of_a_mutation_become_a_typed_exception_with_field_and_code()
    {
        _server.Given(Request.Create().WithPath(Path).UsingPost()).RespondWith(Response.Create().WithBody($$"""
            { "data": { "inventorySetQuantities": { "inventoryAdjustmentGroup": null, "userErrors": [
                { "field": ["input", "quantities", "0", "changeFromQuantity"], "code": "CHANGE_FROM_QUANTITY_STALE", "message": "The changeFromQuantity is stale." } ] } }, {{Cost}} }
            """));

        var error = await Assert.ThrowsAsync<ShopifyUserErrorException>(() =>
            Client.MutateAsync("SetStock", "inventorySetQuantities", "mutation SetStock($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input) { userErrors { field code message } } }", []));

        var userError = Assert.Single(error.Errors);
        Assert.Equal("CHANGE_FROM_QUANTITY_STALE", userError.Code);
        Assert.Equal(["input", "quantities", "0", "changeFromQuantity"], userError.Field);
    }

    [Fact]
    public async Task Pages_are_followed_by_cursor_until_there_is_no_next_page()
    {
        string Page(int from, bool next, string? cursor) => $$"""
            { "data": { "orders": { "nodes": [ { "id": "gid://shopify/Order/{{from}}" }, { "id": "gid://shopify/Order/{{from + 1}}" } ],
              "pageInfo": { "hasNextPage": {{(next ? "true" : "false")}}, "endCursor": {{(cursor is null ? "null" : $"\"{cursor}\"")}} } } }, {{Cost}} }
            """;
        _server.Given(Request.Create().WithPath(Path).UsingPost().WithBody(b => b?.Contains("\"after\":null", StringComparison.Ordinal) == true))
            .RespondWith(Response.Create().WithBody(Page(1, true, "c1")));
        _server.Given(Request.Create().WithPath(Path).UsingPost().WithBody(b => b?.Contains("\"after\":\"c1\"", StringComparison.Ordinal) == true))
            .RespondWith(Response.Create().WithBody(Page(3, true, "c2")));
        _server.Given(Request.Create().WithPath(Path).UsingPost().WithBody(b => b?.Contains("\"after\":\"c2\"", StringComparison.Ordinal) == true))
            .RespondWith(Response.Create().WithBody(Page(5, false, null)));

        var ids = new List<string>();
        await foreach (var order in Client.PagesAsync("Orders", "query Orders($first: Int!, $after: String) { orders(first: $first, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }", "orders", pageSize: 2))
        {
            ids.Add(order["id"]!.GetValue<string>());
        }

        Assert.Equal(Enumerable.Range(1, 6).Select(i => $"gid://shopify/Order/{i}"), ids);
        Assert.Equal(3, _server.LogEntries.Count);
    }

    public void Dispose()
    {
        _services.Dispose();
        _server.Stop();
        _server.Dispose();
    }
}
