using Integration.Simulators.WooCommerce;
using Integration.Workflows.Connectors;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.WooCommerce.Tests;

/// <summary>The WooCommerce connector's services from in-memory settings (keys below <c>Connectors:WooCommerce</c>).</summary>
internal static class WooCommerceRuntime
{
    public const string Store = "cairo";

    public static ServiceProvider Create(IDictionary<string, string?> settings, Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.ToDictionary(s => WooCommerceOptions.Section + ":" + s.Key, s => s.Value))
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        new WooCommerceConnectorModule().Register(new ConnectorContext(services, configuration));
        configure?.Invoke(services);
        return services.BuildServiceProvider();
    }

    /// <summary>One store on the simulator, with fast retries; <paramref name="extra"/> adds or overrides settings.</summary>
    public static ServiceProvider For(WooCommerceSimulator simulator, IDictionary<string, string?>? extra = null, Action<IServiceCollection>? configure = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Stores:0:Name"] = Store,
            ["Stores:0:BaseUrl"] = simulator.BaseUrl,
            ["Stores:0:ConsumerKey"] = simulator.Options.ConsumerKey,
            ["Stores:0:ConsumerSecret"] = simulator.Options.ConsumerSecret,
            ["Stores:0:WebhookSecret"] = "hush",
            ["Stores:0:RequestsPerSecond"] = "1000",
            ["Stores:0:MaxConcurrentRequests"] = "4",
            ["Resilience:BaseDelay"] = "00:00:00.010",
            ["Resilience:MaxRetryAttempts"] = "3",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return Create(settings, configure);
    }
}
