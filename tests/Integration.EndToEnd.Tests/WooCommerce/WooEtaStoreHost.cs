using Integration.Simulators.Eta;
using Integration.Testing;

namespace Integration.EndToEnd.Tests.WooCommerce;

/// <summary>The WooCommerce store host with the store's ETA seller configured (<c>woocommerce/cairo-woo</c>) and the ETA portal simulated.</summary>
public sealed class WooEtaStoreHost : WooCommerceStoreHost
{
    public const string Device = "WOO-POS-01";

    public EtaPortalSimulator Eta { get; } = EtaPortalSimulator.Start();

    public WooEtaStoreHost() => Eta.RegisterDevice(Device, "woo-pos-client", "woo-pos-secret", "woo-pos-psk", "linux", "1");

    protected override IEnumerable<KeyValuePair<string, string?>> Settings(TestDatabase database) =>
    [
        .. base.Settings(database),
        new("Connectors:Eta:IdentityUrl", Eta.Url),
        new("Connectors:Eta:ApiUrl", Eta.Url),
        new("Connectors:Eta:PortalUrl", "https://preprod.invoicing.eta.gov.eg"),
        new("Connectors:Eta:Devices:0:Serial", Device),
        new("Connectors:Eta:Devices:0:ClientId", "woo-pos-client"),
        new("Connectors:Eta:Devices:0:ClientSecret", "woo-pos-secret"),
        new("Connectors:Eta:Devices:0:PresharedKey", "woo-pos-psk"),
        new("Connectors:Eta:Sellers:0:Store", "woocommerce/" + Store),
        new("Connectors:Eta:Sellers:0:Device", Device),
        new("Connectors:Eta:Sellers:0:Rin", "123456789"),
        new("Connectors:Eta:Sellers:0:CompanyTradeName", "Cairo Woo"),
        new("Connectors:Eta:Sellers:0:BranchAddress:Governate", "Cairo"),
        new("Connectors:Eta:Sellers:0:BranchAddress:RegionCity", "Nasr City"),
        new("Connectors:Eta:Sellers:0:BranchAddress:Street", "12 Makram Ebeid"),
        new("Connectors:Eta:Sellers:0:BranchAddress:BuildingNumber", "12"),
        new("Connectors:Eta:Sellers:0:ActivityCode", "4791"),
    ];

    /// <summary>The receipts of an ERP document (newest first).</summary>
    public async Task<List<System.Text.Json.JsonElement>> ReceiptsOfAsync(string documentNo) =>
        [.. (await GetJsonAsync($"/api/eta/receipts?documentNo={Uri.EscapeDataString(documentNo)}")).GetProperty("items").EnumerateArray()];

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Eta.Dispose();
    }
}
