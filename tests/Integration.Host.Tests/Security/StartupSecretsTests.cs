using Integration.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Options;

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
        await using var factory = new TestHostFactory().WithWebHostBuilder(builder =>
        {
            builder.UseContentRoot(RepoPaths.Root);
            builder.UseSetting("DATABASE_URL", "postgresql://postgres@127.0.0.1:9/nowhere");
            builder.UseSetting("Database:MigrateOnStart", "false");
            builder.UseSetting("Flows:Schedules", "false");
            builder.UseSetting(setting, value);
            builder.UseSetting("Connectors:Eta:Devices:0:ClientId", setting.Contains("Eta", StringComparison.Ordinal) ? "client-1" : null);
        });

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => Task.Run(() => factory.CreateClient()));

        var message = Flatten(refused);
        Assert.Contains(named, message, StringComparison.Ordinal);
        Assert.DoesNotContain("short-key", message, StringComparison.Ordinal);
    }

    private static string Flatten(Exception exception) => exception switch
    {
        OptionsValidationException options => string.Join("; ", options.Failures),
        AggregateException aggregate => string.Join("; ", aggregate.InnerExceptions.Select(Flatten)),
        { InnerException: { } inner } => exception.Message + "; " + Flatten(inner),
        _ => exception.Message,
    };
}
