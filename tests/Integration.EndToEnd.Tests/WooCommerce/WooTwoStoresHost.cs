using Integration.Connectors.WooCommerce.Connect;
using Integration.Simulators.WooCommerce;
using Integration.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.EndToEnd.Tests.WooCommerce;

/// <summary>
/// The host serving two WooCommerce stores from one ERP: cairo-woo (<see cref="WooCommerceStoreHost.Woo"/>) and
/// alex-woo (<see cref="Outlet"/>), each a simulator of its own, both connected (webhooks created and pinged).
/// </summary>
public class WooTwoStoresHost : WooCommerceStoreHost
{
    public const string OutletStore = "alex-woo";
    public const string OutletSecret = "wc_e2e_outlet_secret";

    public WooCommerceSimulator Outlet { get; } = new(new WooCommerceSimulatorOptions { Currency = "EGP", SiteUrl = "https://alex-woo.example" });

    public WooCommerceConnectResult OutletConnected { get; private set; } = null!;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings(TestDatabase database) =>
    [
        .. base.Settings(database),
        new("Connectors:WooCommerce:Stores:1:Name", OutletStore),
        new("Connectors:WooCommerce:Stores:1:BaseUrl", Outlet.BaseUrl),
        new("Connectors:WooCommerce:Stores:1:ConsumerKey", Outlet.Options.ConsumerKey),
        new("Connectors:WooCommerce:Stores:1:ConsumerSecret", Outlet.Options.ConsumerSecret),
        new("Connectors:WooCommerce:Stores:1:WebhookSecret", OutletSecret),
        new("Connectors:WooCommerce:Stores:1:GuestCustomer", GuestCustomer),
        new("Connectors:WooCommerce:Stores:1:RequestsPerSecond", "200"),
    ];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Outlet.Webhooks.Target = Client;
        OutletConnected = await Services.GetRequiredService<WooCommerceConnection>().ConnectAsync(OutletStore, null, CancellationToken.None);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Outlet.Dispose();
    }
}
