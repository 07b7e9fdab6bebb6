using Integration.Connectors.Eta.Portal;
using Integration.Workflows.Connectors;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Integration.Connectors.Eta.Tests.Portal;

/// <summary>The module registers one client, configured from <c>Connectors:Eta</c> and <c>Connectors:Eta:Resilience</c>.</summary>
public sealed class EtaPortalRegistrationTests : IDisposable
{
    private readonly EtaPortalServer _portal = new();

    [Fact]
    public async Task The_client_is_a_singleton_bound_to_the_connector_settings()
    {
        _portal.Tokens("t1");
        _portal.Server.Given(Request.Create().WithPath("/api/v1/receipts/nope/details").UsingGet()).RespondWith(Response.Create().WithStatusCode(404));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Connectors:Eta:IdentityUrl"] = _portal.Server.Url,
            ["Connectors:Eta:ApiUrl"] = _portal.Server.Url,
            ["Connectors:Eta:Devices:0:Serial"] = EtaPortalServer.Device,
            ["Connectors:Eta:Devices:0:ClientId"] = "client-1",
            ["Connectors:Eta:Devices:0:ClientSecret"] = "secret-1",
            ["Connectors:Eta:Resilience:MaxAttempts"] = "2",
            ["Connectors:Eta:Resilience:MaxDelay"] = "00:00:05",
        }).Build();
        var services = new ServiceCollection().AddLogging();
        new EtaConnectorModule().Register(new ConnectorContext(services, configuration));
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<EtaPortalClient>();

        Assert.Same(client, provider.GetRequiredService<EtaPortalClient>());
        Assert.Equal(2, provider.GetRequiredService<IOptions<EtaPortalResilienceOptions>>().Value.MaxAttempts);
        Assert.Null(await client.FindReceiptAsync(EtaPortalServer.Device, "nope", CancellationToken.None));
        Assert.Single(_portal.Requests(EtaPortalServer.TokenPath));
    }

    public void Dispose() => _portal.Dispose();
}
