using Integration.Connectors.Shopify.Client;
using Integration.Simulators.Shopify;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.Shopify.Tests;

/// <summary>
/// A simulated shop and the connector's services configured with it as store <c>sim</c>, its first location standing
/// for ERP warehouse <c>MAIN-WH</c>. <c>prepare</c> may shape the shop (add locations) before the settings are made.
/// </summary>
internal sealed class ShopifySimulatorStore : IDisposable
{
    public ShopifySimulatorStore(
        ShopifySimulatorOptions? options = null, IDictionary<string, string?>? settings = null, Func<ShopifySimulator, IDictionary<string, string?>>? prepare = null,
        Action<IServiceCollection>? configure = null)
    {
        Simulator = new ShopifySimulator(options);
        var all = new Dictionary<string, string?>
        {
            ["Stores:0:ShopDomain"] = Simulator.Options.ShopDomain,
            ["Stores:0:Name"] = "sim",
            ["Stores:0:AppSecret"] = Simulator.Options.AppSecret,
            ["Stores:0:AccessToken"] = Simulator.Options.AccessToken,
            ["Stores:0:AdminUrl"] = Simulator.AdminUrl,
            ["Resilience:BaseDelay"] = "00:00:00.050",
            ["Stores:0:Locations:0:LocationId"] = Simulator.State.Locations[0].Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Stores:0:Locations:0:Warehouse"] = "MAIN-WH",
        };
        foreach (var (key, value) in (settings ?? new Dictionary<string, string?>()).Concat(prepare?.Invoke(Simulator) ?? new Dictionary<string, string?>()))
        {
            all[key] = value;
        }

        Services = ShopifyRuntime.Create(all, configure);
    }

    public ShopifySimulator Simulator { get; }

    public ServiceProvider Services { get; }

    public ShopifyAdminClient Client => Services.GetRequiredService<ShopifyAdminClients>().For("sim");

    public void Dispose()
    {
        Services.Dispose();
        Simulator.Dispose();
    }
}
