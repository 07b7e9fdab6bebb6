using System.Net;
using System.Text;
using System.Text.Json;
using Integration.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Integration.Host.Tests.Security;

/// <summary>Bodies too large or not JSON, through Kestrel (whose limit TestServer does not apply): refused, nothing stored.</summary>
public sealed class RequestLimitsTests : IAsyncLifetime
{
    private const int MaxBodyBytes = 4096;
    private const string EndpointFlow = "slow-endpoint.json";
    private TestDatabase _database = null!;
    private WebApplicationFactory<Program> _factory = null!;
    private readonly string _flows = Directory.CreateTempSubdirectory("limits-flows-").FullName;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(Path.Combine(_flows, EndpointFlow), """
            { "definitionId": "slow-endpoint", "version": 1,
              "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "endpoint", "type": "Elsa.HttpEndpoint", "version": 1, "path": "slow", "supportedMethods": { "typeName": "String[]", "expression": { "type": "Object", "value": "[\"POST\"]" } },
                    "customProperties": { "canStartWorkflow": true } } ],
                "connections": [] } }
            """);
        _database = await TestPostgres.CreateDatabaseAsync("limits");
        _factory = new TestHostFactory().WithWebHostBuilder(builder =>
        {
            builder.UseContentRoot(RepoPaths.Root);
            builder.UseSetting("DATABASE_URL", _database.Url);
            builder.UseSetting("Flows:Schedules", "false");
            builder.UseSetting("Flows:Directory", _flows);
            builder.UseSetting("Flows:DispatchInbox", "false");
            builder.UseSetting("Limits:MaxRequestBodyBytes", MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.UseSetting("Webhooks:MaxBodyBytes", "65536");
            builder.UseSetting("Webhooks:BodyReadTimeout", "00:00:02");
            builder.UseSetting("Flows:Endpoints:BodyReadTimeout", "00:00:02");
            builder.UseSetting("Connectors:WooCommerce:Stores:0:Name", "giza");
            builder.UseSetting("Connectors:WooCommerce:Stores:0:WebhookSecret", "limits-secret");
            builder.UseUrls("http://127.0.0.1:0");
        });
        _factory.UseKestrel();
        _factory.StartServer();
    }

    /// <summary>A client over the socket, sending the admin key.</summary>
    private HttpClient Client()
    {
        var client = new HttpClient { BaseAddress = _factory.ClientOptions.BaseAddress };
        client.DefaultRequestHeaders.Authorization = TestHostFactory.AdminAuthorization;
        return client;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
        Directory.Delete(_flows, recursive: true);
    }

    [Fact]
    public async Task An_oversized_body_is_refused_with_413_and_nothing_is_stored()
    {
        // A valid company, only too long: without the limit it would be stored.
        var company = $$"""{"id":"TBC","name":"Too Big {{new string('x', MaxBodyBytes)}}","currency":"EGP"}""";

        using var client = Client();
        using var response = await client.PostAsync("/api/erp/companies", new StringContent(company, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM erp.company WHERE id = 'TBC'"));
    }

    [Fact]
    public async Task A_webhook_keeps_its_own_larger_limit()
    {
        // 10 KiB: over the host's limit, under the webhooks' one; refused for its signature, not its size.
        using var client = Client();
        using var response = await client.PostAsync("/webhooks/woocommerce/giza",
            new StringContent($$"""{"id":1,"pad":"{{new string('x', 10 * 1024)}}"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("/webhooks/woocommerce/giza")]
    [InlineData("/workflows/slow")]
    public async Task A_body_trickled_in_is_refused_with_408_once_its_time_is_up_and_nothing_is_stored_or_run(string path)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var answer = await TrickledRequest.SendAsync(_factory.ClientOptions.BaseAddress, path);

        Assert.StartsWith("HTTP/1.1 408 ", answer, StringComparison.Ordinal);
        // Answered at the deadline, not when the client gave up sending (a minute).
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(30), $"answered after {started.Elapsed}");
        Assert.Equal(0, await CountAsync("SELECT (SELECT count(*) FROM integration.inbox) + (SELECT count(*) FROM flows.instance)"));
    }

    [Theory]
    [InlineData("/api/erp/companies", 400)]
    [InlineData("/elsa/api/workflow-definitions", 400)]
    [InlineData("/api/flows", 422)] // publishing answers with the loader's problems, as for any definition that does not validate
    public async Task Malformed_json_is_a_client_error_problem_never_a_500_and_nothing_is_stored(string path, int status)
    {
        var before = await CountAsync("SELECT (SELECT count(*) FROM erp.company) + (SELECT count(*) FROM flows.definition)");
        using var client = Client();
        using var response = await client.PostAsync(path, new StringContent("""{"name": "Half""", Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.True((int)response.StatusCode == status, $"{path} answered {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(status, JsonDocument.Parse(body).RootElement.GetProperty("status").GetInt32());
        Assert.Equal(before, await CountAsync("SELECT (SELECT count(*) FROM erp.company) + (SELECT count(*) FROM flows.definition)"));
        Assert.Equal([EndpointFlow], Directory.GetFiles(_flows).Select(Path.GetFileName));
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = await _database.OpenAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, sql);
    }
}
