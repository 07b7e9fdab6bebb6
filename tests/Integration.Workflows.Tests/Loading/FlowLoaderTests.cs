using System.Text.Json.Nodes;
using Integration.Testing;

namespace Integration.Workflows.Tests.Loading;

public sealed class FlowLoaderTests
{
    [Theory]
    [InlineData("hello-world.json")]
    [InlineData("implicit-loop.json")]
    [InlineData("http-hello-world.json")]
    [InlineData("order-routing.json")]
    public void Shipped_flows_load_and_round_trip_with_nothing_lost(string file)
    {
        var original = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "flows", file)));

        var definition = FlowTestRuntime.LoadSample(file);
        var saved = JsonNode.Parse(definition.ToJsonString());

        Assert.True(JsonNode.DeepEquals(original, saved));
    }

    [Fact]
    public void Designer_layout_and_unknown_properties_survive_a_load_and_save()
    {
        var json = FlowTestRuntime.Flowchart("""
            { "id": "a", "type": "Elsa.WriteLine", "version": 1, "text": "hi", "someFutureProperty": { "x": [1, 2] },
              "metadata": { "designer": { "position": { "x": 133.0999755859375, "y": -80 } } } }
            """, []);

        var saved = JsonNode.Parse(FlowTestRuntime.Load(json).ToJsonString())!;

        var activity = saved["root"]!["activities"]![0]!;
        Assert.Equal(133.0999755859375, activity["metadata"]!["designer"]!["position"]!["x"]!.GetValue<double>());
        Assert.Equal(2, activity["someFutureProperty"]!["x"]![1]!.GetValue<int>());
    }

    [Theory]
    [InlineData("""{ "id": "a", "type": "Elsa.NoSuchThing", "version": 1 }""", "$.root.activities[0].type", "unknown activity type 'Elsa.NoSuchThing'")]
    [InlineData("""{ "id": "a", "type": "Elsa.WriteLine", "version": 7 }""", "$.root.activities[0].version", "version 7 is not known")]
    [InlineData("""{ "id": "a", "type": "Elsa.FlowDecision", "version": 1 }""", "$.root.activities[0].condition", "required input 'condition'")]
    [InlineData("""{ "id": "a", "type": "Elsa.WriteLine", "version": 1, "text": { "typeName": "String", "expression": { "type": "JavaScript", "value": "1 +* 2" } } }""", "$.root.activities[0].text.expression.value", "JavaScript expression does not parse")]
    [InlineData("""{ "id": "a", "type": "Elsa.WriteLine", "version": 1, "text": { "typeName": "String", "expression": { "type": "Liquid", "value": "{{ oops" } } }""", "$.root.activities[0].text.expression.value", "Liquid expression does not parse")]
    [InlineData("""{ "id": "a", "type": "Elsa.Cron", "version": 1, "cronExpression": "61 * * * * ?" }""", "$.root.activities[0].cronExpression", "Elsa.Cron schedule '61 * * * * ?' is not valid")]
    [InlineData("""{ "id": "a", "type": "Elsa.Timer", "version": 1, "interval": "soon" }""", "$.root.activities[0].interval", "Elsa.Timer schedule 'soon' is not valid")]
    [InlineData("""{ "id": "a", "type": "Elsa.WriteLine", "version": 1, "text": { "typeName": "String", "expression": { "type": "Python", "value": "1" } } }""", "$.root.activities[0].text.expression.type", "expression type 'Python' is not supported")]
    [InlineData("""{ "id": "a", "type": "Elsa.SetVariable", "version": 1, "variable": { "name": "Missing" }, "value": "1" }""", "$.root.activities[0].variable", "variable 'Missing' is not declared")]
    [InlineData("""{ "id": "a", "type": "Elsa.WriteLine", "version": 1, "text": { "typeName": "String", "expression": { "type": "Variable", "value": "Nope" } } }""", "$.root.activities[0].text.expression.value", "variable 'Nope' is not declared")]
    public void Invalid_activities_are_reported_with_their_json_path(string activity, string path, string reason)
    {
        var result = FlowTestRuntime.Loader.Load(FlowTestRuntime.Flowchart(activity, []), "flows/broken.json");

        Assert.False(result.IsValid);
        var problem = Assert.Single(result.Problems);
        Assert.Equal("flows/broken.json", problem.File);
        Assert.Equal(path, problem.JsonPath);
        Assert.Contains(reason, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Expected_status_codes_given_as_plain_numbers_load()
    {
        // [200] rather than [{ "statusCode": 200, "activity": ... }]: once a crash that stopped the host at start.
        var json = FlowTestRuntime.Flowchart("""
            { "id": "call", "type": "Elsa.FlowSendHttpRequest", "version": 1, "method": "POST", "url": "http://localhost/x", "expectedStatusCodes": [200, 204] }
            """, []);

        var result = FlowTestRuntime.Loader.Load(json, "flows/codes.json");

        Assert.True(result.IsValid, string.Join("; ", result.Problems));
        Assert.Empty(result.Definition!.Root.Children.Single().Embedded);
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("\"isPublished\": true,", true)]
    [InlineData("\"isPublished\": false,", false)]
    public void A_file_marked_isPublished_false_loads_as_retracted(string flag, bool published)
    {
        var json = FlowTestRuntime.Flowchart("""{ "id": "a", "type": "Elsa.WriteLine", "version": 1, "text": "a" }""", []).Replace("\"definitionId\": \"test-flow\",", "\"definitionId\": \"test-flow\", " + flag, StringComparison.Ordinal);

        var result = FlowTestRuntime.Loader.Load(json, "flows/retracted.json");

        Assert.True(result.IsValid, string.Join("; ", result.Problems));
        Assert.Equal(published, result.Definition!.IsPublished);
    }

    [Fact]
    public void An_isPublished_flag_that_is_not_a_boolean_is_refused()
    {
        var json = FlowTestRuntime.Flowchart("""{ "id": "a", "type": "Elsa.WriteLine", "version": 1, "text": "a" }""", []).Replace("\"definitionId\": \"test-flow\",", "\"definitionId\": \"test-flow\", \"isPublished\": \"no\",", StringComparison.Ordinal);

        var problems = FlowTestRuntime.Loader.Load(json, "flows/retracted.json").Problems;

        Assert.Contains(problems, p => p.JsonPath == "$.isPublished");
    }

    [Fact]
    public void Connections_to_missing_activities_and_ports_are_reported()
    {
        var json = FlowTestRuntime.Flowchart("""
            { "id": "a", "type": "Elsa.FlowDecision", "version": 1, "condition": "true" },
            { "id": "b", "type": "Elsa.WriteLine", "version": 1, "text": "b" }
            """, ["a:Maybe->b", "a:True->ghost", "ghost:Done->b"]);

        var problems = FlowTestRuntime.Loader.Load(json, "f.json").Problems;

        Assert.Contains(problems, p => p.JsonPath == "$.root.connections[0].source.port" && p.Message.Contains("no port 'Maybe'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.JsonPath == "$.root.connections[1].target" && p.Message.Contains("'ghost'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.JsonPath == "$.root.connections[2].source");
    }

    [Fact]
    public void Schema_violations_and_broken_json_are_reported_not_thrown()
    {
        var noRoot = FlowTestRuntime.Loader.Load("""{ "definitionId": "x" }""", "a.json");
        var notJson = FlowTestRuntime.Loader.Load("""{ "definitionId": "x", """, "b.json");
        var noType = FlowTestRuntime.Loader.Load("""{ "definitionId": "x", "root": { "id": "r" } }""", "c.json");

        Assert.Contains(noRoot.Problems, p => p.Message.Contains("PropertyRequired", StringComparison.Ordinal));
        Assert.Equal("$", Assert.Single(notJson.Problems).JsonPath);
        Assert.Contains("not valid JSON", notJson.Problems[0].Message, StringComparison.Ordinal);
        Assert.Contains(noType.Problems, p => p.JsonPath.StartsWith("$.root", StringComparison.Ordinal));
    }

    [Fact]
    public void Legacy_connection_form_is_read()
    {
        var definition = FlowTestRuntime.LoadSample("implicit-loop.json");

        var connection = definition.Root.Connections.First(c => c.SourceActivity == "decision" && c.SourcePort == "True");

        Assert.Equal("increment", connection.TargetActivity);
    }
}
