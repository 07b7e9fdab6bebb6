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
        Assert.Matches("^Sub-flow child \\(run [0-9a-f]{32}\\) faulted: no stock$", Assert.Single(state.Incidents).Message);
    }

    [Fact]
    public async Task In_a_loop_with_incidents_continued_each_item_runs_its_own_sub_flow_and_a_failed_one_is_named_by_its_correlation()
    {
        var child = FlowTestRuntime.Load("""
            { "definitionId": "per-store", "version": 1,
              "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "broken", "type": "Elsa.FlowDecision", "version": 1, "condition": { "typeName": "Boolean", "expression": { "type": "JavaScript", "value": "getInput('store') === 'b'" } } },
                  { "id": "boom", "type": "Elsa.Fault", "version": 1, "message": "store refused" },
                  { "id": "done", "type": "Elsa.SetOutput", "version": 1, "outputName": "pushed", "outputValue": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "getInput('store')" } } }
                ],
                "connections": [
                  { "source": { "activity": "broken", "port": "True" }, "target": { "activity": "boom", "port": "In" } },
                  { "source": { "activity": "broken", "port": "False" }, "target": { "activity": "done", "port": "In" } }
                ] } }
            """);
        var parent = FlowTestRuntime.Load(FlowTestRuntime.Flowchart("""
            { "id": "each", "type": "Elsa.ForEach", "version": 1, "items": { "typeName": "Object", "expression": { "type": "Object", "value": "[\"a\", \"b\", \"c\"]" } },
              "currentValue": { "typeName": "Object", "memoryReference": { "id": "Store" } },
              "body": { "id": "body", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "run", "type": "Elsa.ExecuteWorkflow", "version": 1, "workflowDefinitionId": "per-store",
                    "correlationId": { "typeName": "String", "expression": { "type": "JavaScript", "value": "'store:' + getStore()" } },
                    "input": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "toJson({ store: getStore() })" } } },
                  { "id": "keep", "type": "Elsa.RunJavaScript", "version": 1,
                    "script": { "typeName": "String", "expression": { "type": "JavaScript", "value": "setDone(getDone() + getOutputFrom('run', 'result').output.pushed)" } } }
                ],
                "connections": [ { "source": { "activity": "run", "port": "Done" }, "target": { "activity": "keep", "port": "In" } } ] } }
            """, [], variables: """[{ "id": "Store", "name": "Store", "typeName": "String" }, { "id": "Done", "name": "Done", "typeName": "String", "value": "" }]""",
            options: """{ "incidentStrategyType": "Elsa.Workflows.IncidentStrategies.ContinueWithIncidentsStrategy, Elsa.Workflows.Core" }"""));
        var services = new ServiceCollection().AddSingleton<IFlowDefinitions>(new Definitions(child)).BuildServiceProvider();

        var state = await new FlowRunner(new FlowServices(FlowTestRuntime.Registry, TimeProvider.System, services)).RunAsync(parent);

        Assert.Equal("Finished", state.Status.ToString());
        Assert.Equal("ac", state.Variables["Done"]); // b failed, c still ran
        Assert.Matches("^Sub-flow per-store \\(store:b, run [0-9a-f]{32}\\) faulted: store refused$", Assert.Single(state.Incidents).Message);
    }

    private sealed class Definitions(FlowDefinition child) : IFlowDefinitions
    {
        public (FlowDefinition Definition, int Version)? Find(string definitionId) => definitionId == child.DefinitionId ? (child, 1) : null;
    }
}
