using System.Net;
using System.Text;
using Integration.Testing;

namespace Integration.Host.Tests.Flows;

/// <summary>A flow's own HTTP endpoint: for operators when it says authorize, its body capped, its callers rate-limited.</summary>
public sealed class HttpEndpointLimitsTests
{
    [Fact]
    public async Task An_endpoint_that_says_authorize_answers_operators_only()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("httpauthorize");
        await using var factory = FlowHost.Create(database, Folder(Endpoint("report", "GET", """, "authorize": true""")));
        using var anonymous = factory.CreateClient();
        anonymous.DefaultRequestHeaders.Authorization = null;
        using var operators = factory.CreateClient();
        using var wrongKey = factory.CreateClient();
        wrongKey.DefaultRequestHeaders.Authorization = new("ApiKey", "not-a-key");

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/workflows/report")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrongKey.GetAsync("/workflows/report")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await operators.GetAsync("/workflows/report")).StatusCode);
        // Refused calls start no run.
        Assert.Equal(1, await CountRunsAsync(database, "report"));
    }

    [Fact]
    public async Task A_body_over_the_endpoints_limit_is_413_and_starts_no_run_and_bad_json_is_400()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("httpsizelimit");
        await using var factory = FlowHost.Create(database, Folder(Endpoint("small", "POST", """, "requestSizeLimit": 100""")));
        using var client = factory.CreateClient();

        var tooLarge = await client.PostAsync("/workflows/small", new StringContent("{\"note\":\"" + new string('x', 120) + "\"}", Encoding.UTF8, "application/json"));
        var chunked = new StringContent("{\"note\":\"" + new string('y', 120) + "\"}", Encoding.UTF8, "application/json");
        chunked.Headers.ContentLength = null;
        using var chunkedRequest = new HttpRequestMessage(HttpMethod.Post, "/workflows/small") { Content = chunked };
        chunkedRequest.Headers.TransferEncodingChunked = true;
        var tooLargeChunked = await client.SendAsync(chunkedRequest);
        var broken = await client.PostAsync("/workflows/small", new StringContent("{\"note\":", Encoding.UTF8, "application/json"));
        var fits = await client.PostAsync("/workflows/small", new StringContent("{\"note\":\"ok\"}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Contains("at most 100 bytes", await tooLarge.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLargeChunked.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fits.StatusCode);
        Assert.Equal(1, await CountRunsAsync(database, "small"));
    }

    [Fact]
    public async Task Calls_over_the_limit_per_minute_are_429_with_retry_after()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("httpratelimit");
        await using var factory = FlowHost.Create(database, Folder(Endpoint("ping", "GET", "")),
            builder => builder.UseSetting("Flows:Endpoints:PermitsPerMinute", "5"));
        using var client = factory.CreateClient();

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 7; i++)
        {
            last = await client.GetAsync("/workflows/ping");
            statuses.Add(last.StatusCode);
        }

        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal([HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses.Skip(5));
        Assert.True(last!.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After");
        Assert.Equal(5, await CountRunsAsync(database, "ping"));
        // The operator API is not limited by the flows' endpoints.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/flows")).StatusCode);
    }

    private static string Endpoint(string path, string method, string extra) => $$"""
        { "definitionId": "{{path}}", "version": 1,
          "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
            "activities": [
              { "id": "endpoint", "type": "Elsa.HttpEndpoint", "version": 1,
                "path": { "typeName": "String", "expression": { "type": "Literal", "value": "{{path}}" } },
                "supportedMethods": { "typeName": "String[]", "expression": { "type": "Object", "value": "[\"{{method}}\"]" } },
                "customProperties": { "canStartWorkflow": true }{{extra}} },
              { "id": "answer", "type": "Elsa.WriteHttpResponse", "version": 1, "statusCode": { "typeName": "HttpStatusCode", "expression": { "type": "Literal", "value": "OK" } },
                "content": { "typeName": "Object", "expression": { "type": "Literal", "value": "done" } } } ],
            "connections": [ { "source": { "activity": "endpoint", "port": "Done" }, "target": { "activity": "answer", "port": "In" } } ] } }
        """;

    private static string Folder(string flow)
    {
        var folder = Directory.CreateTempSubdirectory("flows-endpoint-").FullName;
        File.WriteAllText(Path.Combine(folder, "flow.json"), flow);
        return folder;
    }

    private static async Task<long> CountRunsAsync(TestDatabase database, string definitionId)
    {
        await using var connection = await database.OpenAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "SELECT count(*) FROM flows.instance WHERE definition_id = @definitionId", new { definitionId });
    }
}
