using Integration.Workflows.Connectors;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Integration.Connectors.Eta.Tests;

public sealed class EtaOptionsTests
{
    [Fact]
    public void A_seller_on_a_device_that_is_not_configured_is_refused_at_start_naming_both()
    {
        var problem = Assert.Throws<OptionsValidationException>(() => Options(Seller("POS-2", "123456789", new() { ["Devices:0:ClientSecret"] = "secret" })));

        Assert.Contains("Device 'POS-2' is not one of Connectors:Eta:Devices (POS-1)", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_device_without_its_secret_and_a_seller_with_a_bad_rin_are_refused()
    {
        var problem = Assert.Throws<OptionsValidationException>(() => Options(Seller("POS-1", "12345", [])));

        Assert.Contains("ClientSecret", problem.Message, StringComparison.Ordinal);
        Assert.Contains("Rin", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_eta_settings_at_all_is_a_host_without_eta_and_starts()
    {
        var options = Options([]);

        Assert.Empty(options.Sellers);
        Assert.Equal("https://api.preprod.invoicing.eta.gov.eg", options.ApiBaseUrl);
    }

    /// <summary>Device POS-1 (no secret unless given) and one seller of shopify/main on <paramref name="device"/>.</summary>
    private static Dictionary<string, string?> Seller(string device, string rin, Dictionary<string, string?> more) =>
        new(more)
        {
            ["Devices:0:Serial"] = "POS-1",
            ["Devices:0:ClientId"] = "id",
            ["Sellers:0:Store"] = "shopify/main",
            ["Sellers:0:Device"] = device,
            ["Sellers:0:Rin"] = rin,
            ["Sellers:0:CompanyTradeName"] = "Shop",
            ["Sellers:0:ActivityCode"] = "4791",
            ["Sellers:0:BranchAddress:Governate"] = "Cairo",
            ["Sellers:0:BranchAddress:RegionCity"] = "Nasr City",
            ["Sellers:0:BranchAddress:Street"] = "1 St",
            ["Sellers:0:BranchAddress:BuildingNumber"] = "1",
        };

    private static EtaOptions Options(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.ToDictionary(s => EtaOptions.Section + ":" + s.Key, s => s.Value)).Build();
        var services = new ServiceCollection().AddLogging();
        new EtaConnectorModule().Register(new ConnectorContext(services, configuration));
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<EtaOptions>>().Value;
    }
}
