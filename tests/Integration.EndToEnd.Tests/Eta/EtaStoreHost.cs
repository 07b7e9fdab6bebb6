using System.Text.Json;
using Integration.EndToEnd.Tests.Shopify;
using Integration.Simulators.Eta;
using Integration.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.EndToEnd.Tests.Eta;

/// <summary>
/// The Shopify store host with the store's ETA seller configured and the ETA portal simulated: one POS device, whose
/// item code for CAP-BLK the portal does not know (a receipt selling a cap is Invalid until the seller's settings name
/// the registered code).
/// </summary>
public class EtaStoreHost : ShopifyStoreHost
{
    public const string Device = "SHOPIFY-POS-01";
    public const string Rin = "123456789";
    public const string UnregisteredCapCode = "EG-123456789-CAP-BLK";

    private readonly bool _ownsPortal;

    public EtaPortalSimulator Eta { get; }

    public EtaStoreHost()
        : this(EtaPortalSimulator.Start(), ownsPortal: true)
    {
    }

    /// <summary>A host on the same portal (a second host of the cluster).</summary>
    protected EtaStoreHost(EtaPortalSimulator eta, bool ownsPortal)
    {
        Eta = eta;
        _ownsPortal = ownsPortal;
        if (!ownsPortal)
        {
            return;
        }

        Eta.RegisterDevice(Device, "pos-client", "pos-secret", "pos-psk", "linux", "1");
        Eta.Rules = receipt => receipt.GetProperty("itemData").EnumerateArray()
            .Select((line, i) => (line, i))
            .Where(l => l.line.GetProperty("itemCode").GetString() == UnregisteredCapCode)
            .Select(l => new SimulatedEtaError($"itemData[{l.i}].itemCode", "CV201", $"ItemCode [{UnregisteredCapCode}] is not registered to the taxpayer"));
    }

    protected override IEnumerable<KeyValuePair<string, string?>> Settings(TestDatabase database) =>
    [
        .. base.Settings(database),
        new("Connectors:Eta:IdentityUrl", Eta.Url),
        new("Connectors:Eta:ApiUrl", Eta.Url),
        new("Connectors:Eta:PortalUrl", "https://preprod.invoicing.eta.gov.eg"),
        new("Connectors:Eta:Devices:0:Serial", Device),
        new("Connectors:Eta:Devices:0:ClientId", "pos-client"),
        new("Connectors:Eta:Devices:0:ClientSecret", "pos-secret"),
        new("Connectors:Eta:Devices:0:PresharedKey", "pos-psk"),
        new("Connectors:Eta:Sellers:0:Store", "shopify/" + Store),
        new("Connectors:Eta:Sellers:0:Device", Device),
        new("Connectors:Eta:Sellers:0:Rin", Rin),
        new("Connectors:Eta:Sellers:0:CompanyTradeName", "متجر القاهرة للأزياء"),
        new("Connectors:Eta:Sellers:0:BranchAddress:Governate", "Cairo"),
        new("Connectors:Eta:Sellers:0:BranchAddress:RegionCity", "Nasr City"),
        new("Connectors:Eta:Sellers:0:BranchAddress:Street", "12 Makram Ebeid"),
        new("Connectors:Eta:Sellers:0:BranchAddress:BuildingNumber", "12"),
        new("Connectors:Eta:Sellers:0:ActivityCode", "4791"),
        // Waits beyond this are not slept in-call: the receipts are deferred to a later round.
        new("Connectors:Eta:Resilience:MaxDelay", "00:00:00.200"),
        new("Connectors:Eta:Resilience:BaseDelay", "00:00:00.050"),
        new("Connectors:Eta:RetryDelay", "00:00:01"),
    ];

    /// <summary>Enough stock for the fifty-order burst besides the other tests.</summary>
    protected override async Task SeedAsync()
    {
        await base.SeedAsync();
        await Ok(PostAsync("/api/erp/stock-entries", new
        {
            company = "EG01",
            purpose = "Receipt",
            postingDate = "2026-11-01",
            lines = new object[]
            {
                new { sku = "TSHIRT-BLU-M", qty = 1000, rate = 100, warehouse = "MAIN-WH" },
                new { sku = "MUG-WHT", qty = 1000, rate = 40, warehouse = "MAIN-WH" },
            },
        }));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsPortal)
        {
            Eta.Dispose();
        }
    }

    /// <summary>Changes a setting of the running host, as an operator editing its configuration would.</summary>
    public void SetSetting(string key, string value)
    {
        var configuration = (IConfigurationRoot)Services.GetRequiredService<IConfiguration>();
        configuration[key] = value;
        configuration.Reload();
    }

    /// <summary>Submits and polls now (the eta-receipts flow's schedule, run at once); returns the run's outcome.</summary>
    public async Task<JsonElement> SubmitAndPollAsync() =>
        (await RunScheduleAsync("eta-receipts", "everyMinute")).GetProperty("output").GetProperty("outcome");

    /// <summary>The receipts of an ERP document (newest first).</summary>
    public async Task<List<JsonElement>> ReceiptsOfAsync(string documentNo) =>
        [.. (await GetJsonAsync($"/api/eta/receipts?documentNo={Uri.EscapeDataString(documentNo)}")).GetProperty("items").EnumerateArray()];

    public Task<JsonElement> ReceiptAsync(long id) => GetJsonAsync($"/api/eta/receipts/{id}");

    /// <summary>Runs submit-and-poll until no receipt of the documents is waiting on the portal.</summary>
    public async Task SettleAsync(params string[] documentNos)
    {
        for (var round = 0; round < 60; round++)
        {
            await SubmitAndPollAsync();
            var states = new List<string>();
            foreach (var documentNo in documentNos)
            {
                states.AddRange((await ReceiptsOfAsync(documentNo)).Select(r => r.GetProperty("state").GetString()!));
            }

            if (states.Count > 0 && states.All(s => s is "Valid" or "Invalid"))
            {
                return;
            }

            await Task.Delay(250);
        }

        Assert.Fail($"Receipts of {string.Join(", ", documentNos)} did not settle");
    }
}
