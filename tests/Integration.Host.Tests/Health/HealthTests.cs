using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Integration.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

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
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
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
    public async Task OpenApi_document_describes_the_webhook_and_inbox_endpoints()
    {
        var document = await host.Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths");

        Assert.True(paths.TryGetProperty("/webhooks/{source}/{store}", out _));
        Assert.True(paths.TryGetProperty("/api/inbox", out _));
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/scalar/v1")).StatusCode);
    }
}
