using Integration.Testing;

namespace Integration.Host.Tests.Security;

/// <summary>The host refuses to start on a missing or weak secret, naming the setting and never a value.</summary>
public sealed class StartupSecretsTests
{
    [Theory]
    [InlineData("Operators:ApiKeys:0", "short-key", "Operators:ApiKeys:0 is shorter than 16 characters")]
    [InlineData("Operators:Jwt:Authority", "https://issuer.test/", "Operators:Jwt:Audience is required")]
    [InlineData("Connectors:Shopify:Stores:0:ShopDomain", "nosecret.myshopify.com", "AppSecret")]
    [InlineData("Connectors:Eta:Devices:0:Serial", "POS-1", "ClientSecret")]
    public async Task A_missing_or_weak_secret_stops_the_start_with_the_setting_named(string setting, string value, string named)
    {
        // The host as `serve` builds it; validation runs at start, before anything listens.
        string[] args =
        [
            "--contentRoot=" + RepoPaths.Root, "--urls=http://127.0.0.1:0", "--DATABASE_URL=postgresql://postgres@127.0.0.1:9/nowhere",
            "--Database:MigrateOnStart=false", "--Flows:Schedules=false", $"--{setting}={value}",
            .. setting.Contains("Eta", StringComparison.Ordinal) ? new[] { "--Connectors:Eta:Devices:0:ClientId=client-1" } : [],
        ];
        await using var app = IntegrationHost.Build(args);

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());

        var message = StartRefusal.Message(refused);
        Assert.True(message.Contains(named, StringComparison.Ordinal), message);
        Assert.DoesNotContain("short-key", message, StringComparison.Ordinal);
    }
}
