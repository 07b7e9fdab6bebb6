using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Integration.Simulators.Eta;
using Integration.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Integration.Host.Tests.Health;

/// <summary>The <c>eta-token</c> check of <c>/health</c>: can the host get a token for each POS device, without hammering the portal.</summary>
public sealed class EtaTokenHealthTests : IAsyncLifetime
{
    private const string Device = "HEALTH-POS-01";
    private readonly EtaPortalSimulator _portal = EtaPortalSimulator.Start();
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _portal.RegisterDevice(Device, "pos-client", "pos-secret", "pos-psk");
        _database = await TestPostgres.CreateDatabaseAsync("eta-token-health");
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        _portal.Dispose();
    }

    [Fact]
    public async Task Each_device_with_a_token_is_healthy_and_the_portal_is_asked_once_per_interval()
    {
        await using var host = Host("pos-secret", interval: "00:10:00");
        using var client = host.CreateClient();

        var first = await EtaCheckAsync(client);
        var second = await EtaCheckAsync(client);

        Assert.Equal("Healthy", first.GetProperty("status").GetString());
        Assert.Equal("token", first.GetProperty("data").GetProperty(Device).GetString());
        Assert.Equal("Healthy", second.GetProperty("status").GetString());
        Assert.Equal(1, _portal.TokensIssued);
    }

    [Fact]
    public async Task A_portal_that_is_down_makes_the_check_degraded_not_unhealthy_and_it_asks_again_only_after_the_interval()
    {
        await using var host = Host("pos-secret", interval: "00:00:01");
        using var client = host.CreateClient();
        _portal.Down = true;

        using var response = await client.GetAsync("/health");
        var down = Check(await response.Content.ReadFromJsonAsync<JsonElement>());
        _portal.Down = false;
        var kept = await EtaCheckAsync(client);
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        var back = await EtaCheckAsync(client);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Degraded", down.GetProperty("status").GetString());
        Assert.Contains("portal is down", down.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("Degraded", kept.GetProperty("status").GetString());
        Assert.Equal("Healthy", back.GetProperty("status").GetString());
        Assert.Equal(1, _portal.TokensIssued);
    }

    [Fact]
    public async Task Credentials_the_portal_refuses_make_the_check_unhealthy_while_the_host_stays_ready()
    {
        await using var host = Host("not-the-secret", interval: "00:10:00");
        using var client = host.CreateClient();

        using var response = await client.GetAsync("/health");
        var check = Check(await response.Content.ReadFromJsonAsync<JsonElement>());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("Unhealthy", check.GetProperty("status").GetString());
        Assert.Contains(Device, check.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-secret", check.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(0, _portal.TokensIssued);
    }

    private WebApplicationFactory<Program> Host(string clientSecret, string interval) =>
        new TestHostFactory().WithWebHostBuilder(builder =>
        {
            builder.UseContentRoot(RepoPaths.Root);
            builder.UseSetting("DATABASE_URL", _database.Url);
            builder.UseSetting("Flows:Schedules", "false");
            builder.UseSetting("Flows:DispatchInbox", "false");
            builder.UseSetting("Connectors:Eta:IdentityUrl", _portal.Url);
            builder.UseSetting("Connectors:Eta:ApiUrl", _portal.Url);
            builder.UseSetting("Connectors:Eta:Devices:0:Serial", Device);
            builder.UseSetting("Connectors:Eta:Devices:0:ClientId", "pos-client");
            builder.UseSetting("Connectors:Eta:Devices:0:ClientSecret", clientSecret);
            builder.UseSetting("Connectors:Eta:Devices:0:PresharedKey", "pos-psk");
            builder.UseSetting("Connectors:Eta:HealthCheckInterval", interval);
            builder.UseSetting("Connectors:Eta:Resilience:MaxAttempts", "2");
            builder.UseSetting("Connectors:Eta:Resilience:BaseDelay", "00:00:00.010");
        });

    private static async Task<JsonElement> EtaCheckAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/health");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"/health answered {(int)response.StatusCode}: {body}");
        return Check(JsonDocument.Parse(body).RootElement);
    }

    private static JsonElement Check(JsonElement report) =>
        report.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "eta-token");
}
