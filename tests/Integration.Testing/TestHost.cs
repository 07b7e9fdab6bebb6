using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;
using Xunit;

namespace Integration.Testing;

/// <summary>
/// The real host (the same Program the CLI runs) over a database of its own, reached through HTTP. Derive to add
/// settings; share it between the tests of a class with <c>IClassFixture</c>.
/// </summary>
public class TestHost : IAsyncLifetime
{
    private TestDatabase? _database;
    private WebApplicationFactory<Program>? _factory;

    public TestDatabase Database => _database ?? throw new InvalidOperationException("Fixture not initialised");

    public HttpClient Client { get; private set; } = null!;

    /// <summary>The host's services (to reach a registered service or the configuration from a test).</summary>
    public IServiceProvider Services => _factory?.Services ?? throw new InvalidOperationException("Fixture not initialised");

    /// <summary>Web (camelCase) JSON, as the API speaks it.</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings(TestDatabase database) =>
        [new("DATABASE_URL", database.Url)];

    /// <summary>A database of its own; a second host of a test overrides this to share the first one's.</summary>
    protected virtual Task<TestDatabase> CreateDatabaseAsync() => TestPostgres.CreateDatabaseAsync(GetType().Name);

    /// <summary>Whether disposing the host drops its database.</summary>
    protected virtual bool OwnsDatabase => true;

    /// <summary>For fixtures that replace a service (e.g. the clock) besides settings.</summary>
    protected virtual void ConfigureWebHost(IWebHostBuilder builder)
    {
    }

    public virtual async Task InitializeAsync()
    {
        _database = await CreateDatabaseAsync();
        var settings = Settings(_database).ToList();
        _factory = new TestHostFactory().WithWebHostBuilder(builder =>
        {
            builder.UseContentRoot(RepoPaths.Root);
            builder.UseEnvironment("Testing");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            ConfigureWebHost(builder);
        });
        Client = _factory.CreateClient();
    }

    /// <summary>A client with no credentials, no cookie jar and no redirects followed (for tests of access itself).</summary>
    public HttpClient CreateAnonymousClient()
    {
        var client = (_factory ?? throw new InvalidOperationException("Fixture not initialised"))
            .CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Authorization = null;
        return client;
    }

    public virtual async Task DisposeAsync()
    {
        Client.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (_database is not null && OwnsDatabase)
        {
            await _database.DisposeAsync();
        }
    }

    public Task<long> CountAsync(string sql, object? parameters = null) => ScalarAsync<long>(sql, parameters);

    public async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = await Database.OpenAsync();
        return (await Dapper.SqlMapper.ExecuteScalarAsync<T>(connection, sql, parameters))!;
    }

    public async Task<NpgsqlConnection> OpenAsync() => await Database.OpenAsync();

    /// <summary>POSTs JSON and returns the status with the parsed body (a ProblemDetails on errors).</summary>
    public async Task<(System.Net.HttpStatusCode Status, JsonElement Body)> PostAsync(string path, object body)
    {
        using var response = await Client.PostAsJsonAsync(path, body, Json);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>PUTs JSON and returns the status with the parsed body (a ProblemDetails on errors).</summary>
    public async Task<(System.Net.HttpStatusCode Status, JsonElement Body)> PutAsync(string path, object body)
    {
        using var response = await Client.PutAsJsonAsync(path, body, Json);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>PATCHes JSON and returns the status with the parsed body (a ProblemDetails on errors).</summary>
    public async Task<(System.Net.HttpStatusCode Status, JsonElement Body)> PatchAsync(string path, object body)
    {
        using var response = await Client.PatchAsJsonAsync(path, body, Json);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>
    /// Pauses a flow's schedule (<c>flow/activity</c>) so only the test fires it (<see cref="RunScheduleAsync"/>): the
    /// clock, real or moved by a test, cannot take its turn in the middle of a test.
    /// </summary>
    public async Task PauseScheduleAsync(string schedule)
    {
        var (status, body) = await PostScheduleAsync($"/api/schedules/{schedule}/pause");
        Assert.True(status == System.Net.HttpStatusCode.NoContent, $"{schedule}: {(int)status} {body}");
    }

    /// <summary>
    /// Fires a flow's schedule now (paused or not) and waits for the run it started to end; returns that run, which must
    /// have finished. Not any run of the flow: the flows' own timers fire too.
    /// </summary>
    public async Task<JsonElement> RunScheduleAsync(string flow, string activity)
    {
        var before = (await RunListAsync(flow)).Select(r => r.GetProperty("id").GetGuid()).ToHashSet();
        var (status, body) = await PostScheduleAsync($"/api/schedules/{flow}/{activity}/run");
        Assert.True(status == System.Net.HttpStatusCode.Accepted, $"{(int)status}: {body}");
        for (var i = 0; i < 3000; i++)
        {
            var mine = (await RunListAsync(flow)).FirstOrDefault(r => !before.Contains(r.GetProperty("id").GetGuid())
                && r.GetProperty("trigger").GetString()!.StartsWith($"schedule:{activity}@", StringComparison.Ordinal)
                && r.GetProperty("status").GetString() is "Finished" or "Faulted");
            if (mine.ValueKind == JsonValueKind.Object)
            {
                var detail = await GetJsonAsync($"/api/runs/{mine.GetProperty("id").GetGuid()}");
                Assert.True(detail.GetProperty("status").GetString() == "Finished", detail.ToString());
                return detail;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{flow} did not finish");
    }

    /// <summary>The runs of a flow (summaries), newest first.</summary>
    public async Task<List<JsonElement>> RunListAsync(string flow) =>
        [.. (await GetJsonAsync($"/api/runs?definitionId={flow}&limit=500")).EnumerateArray()];

    // The host registers the flows' schedules with Quartz just after it starts: a test that comes first may be early.
    private async Task<(System.Net.HttpStatusCode Status, JsonElement Body)> PostScheduleAsync(string path)
    {
        var (status, body) = await PostAsync(path, new { });
        for (var i = 0; i < 100 && status == System.Net.HttpStatusCode.NotFound; i++)
        {
            await Task.Delay(100);
            (status, body) = await PostAsync(path, new { });
        }

        return (status, body);
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
