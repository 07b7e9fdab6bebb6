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

    [Theory]
    [InlineData("11511", false, "Finished", "shipped")]
    [InlineData("", false, "Faulted", null)]
    [InlineData("", true, "Finished", "no postcode")]
    public async Task An_activity_ending_failed_with_nothing_connected_to_that_outcome_raises_an_incident_instead_of_finishing_quietly(
        string postcode, bool failedConnected, string status, string? console)
    {
        var services = new ServiceCollection();
        new ConnectorContext(services, new ConfigurationBuilder().Build()).AddActivity<CheckPostcode>();
        await using var provider = services.AddFlowRuntime().BuildServiceProvider();
        var json = FlowTestRuntime.Flowchart("""
            { "id": "check", "type": "Demo.CheckPostcode", "version": 1,
              "postcode": { "typeName": "String", "expression": { "type": "JavaScript", "value": "getInput('postcode')" } } },
            { "id": "ship", "type": "Elsa.WriteLine", "version": 1, "text": "shipped" },
            { "id": "ask", "type": "Elsa.WriteLine", "version": 1, "text": "no postcode" }
            """, failedConnected ? ["check->ship", "check:Failed->ask"] : ["check->ship"]);

        var loaded = provider.GetRequiredService<FlowLoader>().Load(json, "check.json");
        var state = await provider.GetRequiredService<FlowRunner>().RunAsync(loaded.Definition!, new Dictionary<string, object?> { ["postcode"] = postcode });

        Assert.Equal(status, state.Status.ToString());
        Assert.Equal(console is null ? [] : [console], state.Console);
        if (status == "Faulted")
        {
            var incident = Assert.Single(state.Incidents);
            Assert.Equal("check", incident.ActivityId);
            Assert.StartsWith("Demo.CheckPostcode 'check' ended Failed and the flow connects nothing to that outcome", incident.Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.Empty(state.Incidents);
        }
    }
}
