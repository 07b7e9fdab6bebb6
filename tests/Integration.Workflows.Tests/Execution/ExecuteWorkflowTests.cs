using Integration.Workflows.Execution;
using Integration.Workflows.Model;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Workflows.Tests.Execution;

public sealed class ExecuteWorkflowTests
{
    [Fact]
    public async Task A_parent_captures_the_output_of_the_sub_flow_it_executes_in_a_variable()
    {
        var child = FlowTestRuntime.Load("""
            { "definitionId": "child", "version": 1,
              "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [ { "id": "out", "type": "Elsa.SetOutput", "version": 1, "outputName": "greeting",
                  "outputValue": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "'Hello ' + getInput('name')" } } } ],
                "connections": [] } }
            """);
        var parent = FlowTestRuntime.Load(FlowTestRuntime.Flowchart("""
            { "id": "run", "type": "Elsa.ExecuteWorkflow", "version": 1, "workflowDefinitionId": "child",
              "input": { "typeName": "Object", "expression": { "type": "Object", "value": "{ \"name\": \"Cairo\" }" } },
              "result": { "typeName": "Object", "memoryReference": { "id": "captured" } } },
            { "id": "say", "type": "Elsa.WriteLine", "version": 1,
              "text": { "typeName": "String", "expression": { "type": "JavaScript", "value": "getCaptured().output.greeting + ' (' + getCaptured().status + ')'" } } }
            """, ["run->say"], """[ { "id": "captured", "name": "Captured", "typeName": "Object" } ]"""));
        var services = new ServiceCollection().AddSingleton<IFlowDefinitions>(new Definitions(child)).BuildServiceProvider();
        var runner = new FlowRunner(new FlowServices(FlowTestRuntime.Registry, TimeProvider.System, services));

        var state = await runner.RunAsync(parent);

        Assert.Equal("Finished", state.Status.ToString());
        Assert.Equal(["Hello Cairo (Finished)"], state.Console);
    }

    [Fact]
    public async Task A_sub_flow_that_faults_is_an_incident_of_the_parent()
    {
        var child = FlowTestRuntime.Load("""
            { "definitionId": "child", "version": 1,
              "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [ { "id": "boom", "type": "Elsa.Fault", "version": 1, "message": "no stock" } ], "connections": [] } }
            """);
        var parent = FlowTestRuntime.Load(FlowTestRuntime.Flowchart("""{ "id": "run", "type": "Elsa.ExecuteWorkflow", "version": 1, "workflowDefinitionId": "child" }""", []));
        var services = new ServiceCollection().AddSingleton<IFlowDefinitions>(new Definitions(child)).BuildServiceProvider();

        var state = await new FlowRunner(new FlowServices(FlowTestRuntime.Registry, TimeProvider.System, services)).RunAsync(parent);

        Assert.Equal("Faulted", state.Status.ToString());
        Assert.Contains("Sub-flow child faulted: no stock", Assert.Single(state.Incidents).Message, StringComparison.Ordinal);
    }

    private sealed class Definitions(FlowDefinition child) : IFlowDefinitions
    {
        public (FlowDefinition Definition, int Version)? Find(string definitionId) => definitionId == child.DefinitionId ? (child, 1) : null;
    }
}
