using Integration.Workflows.Execution;

namespace Integration.Workflows.Tests.Execution;

public sealed class LoopAndSwitchTests
{
    private const string Counter = """[ { "id": "n", "name": "N", "typeName": "Int32", "value": "0" } ]""";

    [Fact]
    public async Task While_repeats_its_body_until_the_condition_fails()
    {
        var definition = FlowTestRuntime.Load(FlowTestRuntime.Flowchart("""
            { "id": "loop", "type": "Elsa.While", "version": 1,
              "condition": { "typeName": "Boolean", "expression": { "type": "JavaScript", "value": "getN() < 3" } },
              "body": { "id": "step", "type": "Elsa.RunJavaScript", "version": 1,
                        "script": { "typeName": "String", "expression": { "type": "Literal", "value": "setN(getN() + 1); setVariable('Trace', (getVariable('Trace') ?? '') + getN())" } } } }
            """, [], """[ { "id": "n", "name": "N", "typeName": "Int32", "value": "0" }, { "id": "t", "name": "Trace", "typeName": "String" } ]"""));

        var state = await FlowTestRuntime.Runner().RunAsync(definition);

        Assert.Equal("Finished", state.Status.ToString());
        Assert.Equal("123", state.Variables["Trace"]);
    }

    [Fact]
    public async Task Break_inside_a_sequence_leaves_the_innermost_loop_only()
    {
        var definition = FlowTestRuntime.Load(FlowTestRuntime.Flowchart("""
            { "id": "loop", "type": "Elsa.ForEach", "version": 1,
              "items": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "[1, 2, 3, 4]" } },
              "body": { "id": "body", "type": "Elsa.Sequence", "version": 1, "activities": [
                  { "id": "count", "type": "Elsa.SetVariable", "version": 1, "variable": { "name": "N" },
                    "value": { "typeName": "Int32", "expression": { "type": "JavaScript", "value": "getN() + 1" } } },
                  { "id": "stop", "type": "Elsa.If", "version": 1,
                    "condition": { "typeName": "Boolean", "expression": { "type": "JavaScript", "value": "getN() == 2" } },
                    "then": { "id": "brk", "type": "Elsa.Break", "version": 1 } },
                  { "id": "say", "type": "Elsa.WriteLine", "version": 1, "text": { "typeName": "String", "expression": { "type": "JavaScript", "value": "'item ' + getN()" } } } ] } },
            { "id": "after", "type": "Elsa.WriteLine", "version": 1, "text": "after the loop" }
            """, ["loop->after"], Counter));

        var state = await FlowTestRuntime.Runner().RunAsync(definition);

        Assert.Equal(["item 1", "after the loop"], state.Console);
        Assert.Equal(2m, Convert.ToDecimal(state.Variables["N"], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task With_continue_with_incidents_a_failed_activity_stops_its_sequence_and_the_loop_goes_on_with_the_next_item()
    {
        // As a per-store reconciliation: list, feed, keep the watermark. The feed failing for one store must not keep its
        // watermark (what was not fed would be lost), and must not keep the next store from being reconciled.
        var definition = FlowTestRuntime.Load(FlowTestRuntime.Flowchart("""
            { "id": "loop", "type": "Elsa.ForEach", "version": 1,
              "items": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "['cairo', 'alex']" } },
              "currentValue": { "typeName": "Object", "memoryReference": { "id": "s" } },
              "body": { "id": "body", "type": "Elsa.Sequence", "version": 1, "activities": [
                  { "id": "feed", "type": "Elsa.RunJavaScript", "version": 1,
                    "script": { "typeName": "String", "expression": { "type": "Literal", "value": "if (getStore() === 'cairo') { throw new Error('the inbox refused cairo'); }" } } },
                  { "id": "keep", "type": "Elsa.WriteLine", "version": 1, "text": { "typeName": "String", "expression": { "type": "JavaScript", "value": "'watermark of ' + getStore()" } } } ] } },
            { "id": "after", "type": "Elsa.WriteLine", "version": 1, "text": "after the loop" }
            """, ["loop->after"], """[ { "id": "s", "name": "Store", "typeName": "Object" } ]""",
            """{ "incidentStrategyType": "Elsa.Workflows.IncidentStrategies.ContinueWithIncidentsStrategy, Elsa.Workflows.Core" }"""));

        var state = await FlowTestRuntime.Runner().RunAsync(definition);

        Assert.Equal(FlowRunStatus.Finished, state.Status);
        Assert.Equal("feed", Assert.Single(state.Incidents).ActivityId);
        Assert.Equal(["watermark of alex", "after the loop"], state.Console);
    }

    [Theory]
    [InlineData("MatchFirst", 5, "small")]
    [InlineData("MatchAny", 5, "small,odd")]
    [InlineData("MatchFirst", 40, "none")]
    public async Task Switch_runs_the_activity_of_the_matching_case_or_the_default(string mode, int value, string expected)
    {
        var definition = FlowTestRuntime.Load(FlowTestRuntime.Flowchart($$"""
            { "id": "sw", "type": "Elsa.Switch", "version": 1, "mode": "{{mode}}",
              "cases": [
                { "label": "small", "condition": { "type": "JavaScript", "value": "{{value}} < 10" },
                  "activity": { "id": "a", "type": "Elsa.WriteLine", "version": 1, "text": "small" } },
                { "label": "odd", "condition": { "type": "JavaScript", "value": "{{value}} % 2 == 1" },
                  "activity": { "id": "b", "type": "Elsa.WriteLine", "version": 1, "text": "odd" } } ],
              "default": { "id": "c", "type": "Elsa.WriteLine", "version": 1, "text": "none" } }
            """, []));

        var state = await FlowTestRuntime.Runner().RunAsync(definition);

        Assert.Equal(expected, string.Join(",", state.Console));
    }
}
