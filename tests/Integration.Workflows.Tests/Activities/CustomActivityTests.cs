using Integration.Workflows.Activities;
using Integration.Workflows.Connectors;
using Integration.Workflows.Execution;
using Integration.Workflows.Loading;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Workflows.Tests.Activities;

public sealed class CustomActivityTests
{
    [Fact]
    public async Task A_connector_activity_is_validated_and_run_like_a_built_in_one()
    {
        var services = new ServiceCollection();
        new ConnectorContext(services, new ConfigurationBuilder().Build()).AddActivity<GreetCustomer>();
        await using var provider = services.AddFlowRuntime().BuildServiceProvider();
        var json = FlowTestRuntime.Flowchart("""
            { "id": "greet", "type": "Demo.GreetCustomer", "version": 1,
              "customerName": { "typeName": "String", "expression": { "type": "JavaScript", "value": "getInput('name')" } },
              "vip": { "typeName": "Boolean", "expression": { "type": "Literal", "value": "true" } },
              "greeting": { "typeName": "String", "memoryReference": { "id": "greetingVar" } } },
            { "id": "vipDesk", "type": "Elsa.WriteLine", "version": 1, "text": { "typeName": "String", "expression": { "type": "Variable", "value": "Greeting" } } }
            """, ["greet:VIP->vipDesk"], variables: """[{ "id": "greetingVar", "name": "Greeting", "typeName": "String" }]""");

        var loaded = provider.GetRequiredService<FlowLoader>().Load(json, "greet.json");
        var state = await provider.GetRequiredService<FlowRunner>().RunAsync(loaded.Definition!, new Dictionary<string, object?> { ["name"] = "Mona" });
        var missing = provider.GetRequiredService<FlowLoader>().Load(json.Replace("\"customerName\"", "\"other\"", StringComparison.Ordinal), "greet.json");

        Assert.True(loaded.IsValid, string.Join("; ", loaded.Problems));
        Assert.Equal(FlowRunStatus.Finished, state.Status);
        Assert.Equal(["Welcome back, Mona!"], state.Console);
        Assert.Contains(missing.Problems, p => p.Message.Contains("required input 'customerName'", StringComparison.Ordinal));
        Assert.Contains(provider.GetRequiredService<ActivityRegistry>().Descriptors, d => d.TypeName == "Demo.GreetCustomer" && d.Ports.Contains("VIP"));
    }
}
