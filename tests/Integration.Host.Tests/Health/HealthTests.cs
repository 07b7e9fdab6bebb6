using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Integration.Testing;
using Microsoft.AspNetCore.Hosting;

namespace Integration.Host.Tests.Health;

public sealed class HealthTests(HostFixture host) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task Live_and_ready_answer_200_when_the_database_answers()
    {
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task Ready_answers_503_while_live_stays_200_when_the_database_is_gone()
    {
        // A port nothing listens on; migrations are off so the host starts without a database.
        await using var factory = new TestHostFactory().WithWebHostBuilder(builder =>
        {
            builder.UseContentRoot(RepoPaths.Root);
            builder.UseSetting("DATABASE_URL", "postgresql://postgres@127.0.0.1:9/nowhere");
            builder.UseSetting("Database:MigrateOnStart", "false");
        });
        using var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task The_health_report_shows_an_inbox_falling_behind_as_degraded_with_its_figures_while_ready_stays_200()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("healthlag");
        await using var factory = Flows.FlowHost.Create(database, Directory.CreateTempSubdirectory("flows-none-").FullName, builder =>
        {
            builder.UseSetting("Flows:DispatchInbox", "false");
            builder.UseSetting("Health:InboxLag", "00:05:00");
        });
        using var client = factory.CreateClient();
        var healthy = await client.GetFromJsonAsync<JsonElement>("/health");
        await using (var connection = await database.OpenAsync())
        {
            await Dapper.SqlMapper.ExecuteAsync(connection, """
                INSERT INTO integration.inbox (source, store, topic, delivery_key, received_at, headers, body, status) VALUES
                    ('shopify', 's', 'orders/create', 'a', now() - interval '12 minutes', '{}', '\x7b7d', 'received'),
                    ('shopify', 's', 'orders/create', 'b', now() - interval '1 minute', '{}', '\x7b7d', 'received'),
                    ('shopify', 's', 'orders/create', 'c', now() - interval '1 day', '{}', '\x7b7d', 'poisoned');
                """);
        }

        using var response = await client.GetAsync("/health");
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("Healthy", healthy.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Degraded", report.GetProperty("status").GetString());
        var inbox = report.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "inbox");
        Assert.Equal("Degraded", inbox.GetProperty("status").GetString());
        Assert.StartsWith("2 deliveries waiting, the oldest for 00:12:", inbox.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, inbox.GetProperty("data").GetProperty("poisoned").GetInt32());
        Assert.Equal("Healthy", report.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "postgres").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task OpenApi_document_describes_the_webhook_and_inbox_endpoints()
    {
        var document = await host.Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths");

        Assert.True(paths.TryGetProperty("/webhooks/{source}/{store}", out _));
        Assert.True(paths.TryGetProperty("/api/inbox", out _));
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/scalar/v1")).StatusCode);
    }
}
