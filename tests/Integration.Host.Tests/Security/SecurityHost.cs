using System.Collections.Concurrent;
using System.Security.Claims;
using Integration.Testing;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Serilog.Core;
using Serilog.Events;

namespace Integration.Host.Tests.Security;

/// <summary>
/// The real host with store secrets, a configured admin key and JWT bearer from an issuer whose signing key the test
/// holds (no network), its whole log captured as rendered text.
/// </summary>
public sealed class SecurityHost : TestHost
{
    public const string Issuer = "https://issuer.test/";
    public const string Audience = "integration-host";
    public const string ShopDomain = "secure.myshopify.com";
    public const string ShopSecret = "shopify-app-secret-5f0c1e";
    public const string WooSecret = "woo-webhook-secret-8a2d4b";
    public const string WooConsumerSecret = "cs_woo-consumer-secret-93e1";
    public const string ConfiguredKey = "configured-admin-key-77c2a9e4";

    public static readonly SymmetricSecurityKey SigningKey = new("integration-host-test-jwt-signing-key-0123456789"u8.ToArray());

    /// <summary>Every log event of the host, rendered with its properties and exception.</summary>
    public ConcurrentQueue<string> Log { get; } = new();

    public static IReadOnlyList<string> Secrets => [ShopSecret, WooSecret, WooConsumerSecret, ConfiguredKey, TestHostFactory.AdminKey];

    protected override IEnumerable<KeyValuePair<string, string?>> Settings(TestDatabase database) =>
    [
        .. base.Settings(database),
        // Everything down to verbose, the framework's lines included.
        new("Serilog:MinimumLevel:Default", "Verbose"),
        new("Serilog:MinimumLevel:Override:Microsoft.AspNetCore", "Verbose"),
        new("Flows:DispatchInbox", "false"),
        new("Flows:Schedules", "false"),
        new("Operators:ApiKeys:1", ConfiguredKey),
        new("Operators:Jwt:Authority", Issuer),
        new("Operators:Jwt:Audience", Audience),
        new("Operators:Jwt:ScopeClaim", "roles"),
        new("Operators:Jwt:ScopePrefix", "integration."),
        new("Connectors:Shopify:Stores:0:ShopDomain", ShopDomain),
        new("Connectors:Shopify:Stores:0:AppSecret", ShopSecret),
        new("Connectors:WooCommerce:Stores:0:Name", "giza"),
        new("Connectors:WooCommerce:Stores:0:BaseUrl", "https://giza.example.com"),
        new("Connectors:WooCommerce:Stores:0:ConsumerKey", "ck_giza"),
        new("Connectors:WooCommerce:Stores:0:ConsumerSecret", WooConsumerSecret),
        new("Connectors:WooCommerce:Stores:0:WebhookSecret", WooSecret),
    ];

    protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.ConfigureTestServices(services =>
    {
        // The host's own logging pipeline (masking included) writes to the capture too.
        services.AddSingleton<ILogEventSink>(new QueueSink(Log));
        // The issuer's metadata as if fetched: its signing key, no network.
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
        {
            var configuration = new OpenIdConnectConfiguration { Issuer = Issuer };
            configuration.SigningKeys.Add(SigningKey);
            options.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(configuration);
        });
    });

    public static string Token(string? roles, SecurityKey? key = null, string audience = Audience, DateTime? expires = null, params Claim[] extra)
    {
        var claims = new List<Claim>(extra) { new("sub", "ops-user-1") };
        if (roles is not null)
        {
            claims.Add(new Claim("roles", roles));
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims),
            NotBefore = (expires ?? DateTime.UtcNow.AddMinutes(10)).AddHours(-1),
            Expires = expires ?? DateTime.UtcNow.AddMinutes(10),
            SigningCredentials = new SigningCredentials(key ?? SigningKey, SecurityAlgorithms.HmacSha256),
        });
    }

    private sealed class QueueSink(ConcurrentQueue<string> log) : ILogEventSink
    {
        public void Emit(LogEvent logEvent) => log.Enqueue(
            $"{logEvent.RenderMessage(System.Globalization.CultureInfo.InvariantCulture)} | {string.Join(", ", logEvent.Properties.Select(p => $"{p.Key}={p.Value}"))} | {logEvent.Exception}");
    }
}
