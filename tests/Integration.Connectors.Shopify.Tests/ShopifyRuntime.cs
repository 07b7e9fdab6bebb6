using Integration.Workflows;
using Integration.Workflows.Connectors;
using Integration.Workflows.Execution;
using Integration.Workflows.Loading;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Connectors.Shopify.Tests;

/// <summary>The flow runtime with the Shopify connector registered from in-memory settings (keys below <c>Connectors:Shopify</c>).</summary>
internal static class ShopifyRuntime
{
    public static ServiceProvider Create(IDictionary<string, string?> settings, Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.ToDictionary(s => ShopifyOptions.Section + ":" + s.Key, s => s.Value))
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        new ShopifyConnectorModule().Register(new ConnectorContext(services, configuration));
        configure?.Invoke(services);
        return services.AddFlowRuntime().BuildServiceProvider();
    }

    /// <summary>Runs a flow with one activity (its JSON) and returns the run's state.</summary>
    public static async Task<FlowRunState> RunActivityAsync(IServiceProvider services, string activityJson)
    {
        var json = $$"""
            { "definitionId": "test", "version": 1, "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
              "activities": [{{activityJson}}], "connections": [] } }
            """;
        var loaded = services.GetRequiredService<FlowLoader>().Load(json, "test.json");
        Assert.True(loaded.IsValid, string.Join(Environment.NewLine, loaded.Problems));
        return await services.GetRequiredService<FlowRunner>().RunAsync(loaded.Definition!);
    }

    /// <summary>A literal input of a flow activity.</summary>
    public static string Literal(string value) => $$"""{ "typeName": "String", "expression": { "type": "Literal", "value": "{{value}}" } }""";
}
