using System.Text.Json;
using System.Text.Json.Nodes;
using Integration.Workflows.Activities;
using Integration.Workflows.Execution;
using Integration.Workflows.Loading;
using Integration.Workflows.Persistence;

namespace Integration.Workflows.Tests.Execution;

/// <summary>
/// Which inputs and outputs a finished run's journal keeps, declared as Elsa 3 declares log persistence: the flow's
/// and the activity's <c>customProperties</c>, per input and output, inheriting down to the host's default.
/// </summary>
public sealed class LogPersistenceTests
{
    private const string Exclude = "Elsa.Workflows.LogPersistence.Strategies.Exclude, Elsa.Workflows.Core";
    private const string Include = "Elsa.Workflows.LogPersistence.Strategies.Include, Elsa.Workflows.Core";
    private const string Configuration = "Elsa.Workflows.LogPersistence.Strategies.Configuration, Elsa.Workflows.Core";

    // Each case: the flow's customProperties, the activity's, and what the journal keeps as "inputs|outputs" (- for none).
    [Theory]
    [InlineData("{}", "{}", "doc,note|copy,size")]
    [InlineData($$"""{ "logPersistenceConfig": { "default": { "evaluationMode": "Strategy", "strategyType": "{{Exclude}}", "expression": null } } }""", "{}", "-|-")]
    [InlineData($$"""{ "logPersistenceConfig": { "default": { "evaluationMode": "Strategy", "strategyType": "{{Exclude}}" } } }""",
        $$"""{ "logPersistenceConfig": { "default": null, "internalState": null, "inputs": { "note": { "evaluationMode": "Strategy", "strategyType": "{{Include}}" } }, "outputs": {} } }""", "note|-")]
    [InlineData("{}", $$"""{ "logPersistenceConfig": { "inputs": { "doc": { "evaluationMode": "Strategy", "strategyType": "{{Exclude}}" } }, "outputs": { "copy": { "evaluationMode": "Strategy", "strategyType": "{{Exclude}}" } } } }""", "note|size")]
    [InlineData("{}", """{ "logPersistenceMode": { "default": "Exclude", "inputs": {}, "outputs": { "size": "Include" } } }""", "-|size")] // the older key
    [InlineData("{}", """{ "logPersistenceConfig": { "default": { "evaluationMode": "Strategy", "strategyType": "Exclude" } } }""", "-|-")] // as Studio upgrades older settings
    [InlineData("{}", $$"""{ "logPersistenceConfig": { "default": { "evaluationMode": "Strategy", "strategyType": "{{Configuration}}" } } }""", "doc,note|copy,size")] // the host's: Include
    [InlineData($$"""{ "logPersistenceConfig": { "default": { "evaluationMode": "Strategy", "strategyType": "{{Exclude}}" } } }""",
        """{ "logPersistenceConfig": { "default": { "evaluationMode": "Expression", "strategyType": null, "expression": { "type": "JavaScript", "value": "LogPersistenceMode.Include" } } } }""", "-|-")] // not evaluated: inherits
    [InlineData("{}", $$"""{ "logPersistenceMode": { "default": "Exclude" }, "logPersistenceConfig": { "default": { "evaluationMode": "Strategy", "strategyType": "{{Include}}" } } }""", "doc,note|copy,size")] // the newer key wins
    public async Task A_finished_runs_journal_keeps_the_inputs_and_outputs_its_flow_logs(string flowProperties, string activityProperties, string kept)
    {
        var state = await RunAsync(flowProperties, activityProperties);

        Assert.Equal(FlowRunStatus.Finished, state.Status);
        Assert.Equal(kept, Kept(state.Journal.Single(e => e.ActivityId == "echo")));
    }

    [Theory]
    [InlineData(LogPersistenceMode.Exclude, "{}", "-|-")]
    [InlineData(LogPersistenceMode.Exclude, $$"""{ "logPersistenceConfig": { "default": { "evaluationMode": "Strategy", "strategyType": "{{Include}}" } } }""", "doc,note|copy,size")]
    [InlineData(LogPersistenceMode.Inherit, "{}", "doc,note|copy,size")]
    public async Task The_hosts_default_applies_where_neither_the_flow_nor_the_activity_says(LogPersistenceMode hostDefault, string activityProperties, string kept)
    {
        var state = await RunAsync("{}", activityProperties, hostDefault);

        Assert.Equal(kept, Kept(state.Journal.Single(e => e.ActivityId == "echo")));
    }

    [Fact]
    public async Task An_excluded_output_is_kept_while_the_run_is_in_flight_so_a_resumed_run_can_read_it()
    {
        var atCheckpoint = new List<string>();
        var state = await RunAsync("{}", $$"""{ "logPersistenceConfig": { "default": { "evaluationMode": "Strategy", "strategyType": "{{Exclude}}" } } }""",
            checkpoint: (s, _) =>
            {
                atCheckpoint.Add(JsonSerializer.Serialize(s.Journal, JsonSerializerOptions.Web));
                return Task.CompletedTask;
            });

        var saved = JsonNode.Parse(Assert.Single(atCheckpoint))!.AsArray().Single(e => e!["activityId"]!.GetValue<string>() == "echo")!;
        Assert.Null(saved["inputs"]);
        Assert.Equal("order 7", saved["outputs"]!["copy"]!["name"]!.GetValue<string>());
        Assert.Equal("-|-", Kept(state.Journal.Single(e => e.ActivityId == "echo")));
        Assert.Equal("order 7", state.Output["copied"]?.ToString());
    }

    [Fact]
    public async Task A_run_resumed_from_its_saved_state_reads_an_excluded_output_and_drops_it_when_it_finishes()
    {
        var definition = new FlowLoader(Registry).Load(FlowTestRuntime.Flowchart($$"""
            { "id": "echo", "type": "Test.Echo", "version": 1,
              "customProperties": { "logPersistenceConfig": { "default": { "evaluationMode": "Strategy", "strategyType": "{{Exclude}}" } } },
              "doc": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "({ name: 'order 7' })" } } },
            { "id": "wait", "type": "Elsa.Delay", "version": 1, "timeSpan": { "typeName": "TimeSpan", "expression": { "type": "Literal", "value": "00:15:00" } } },
            { "id": "out", "type": "Elsa.SetOutput", "version": 1, "outputName": "copied",
              "outputValue": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "getOutputFrom('echo', 'copy').name" } } }
            """, ["echo->wait", "wait->out"]), "resumed.json").Definition!;
        var runner = new FlowRunner(new FlowServices(Registry, TimeProvider.System));
        var suspended = await runner.RunAsync(definition);
        Assert.Equal(FlowRunStatus.Suspended, suspended.Status);

        // Saved and read back as the host does (another host, or after a restart).
        string Json(object value) => JsonSerializer.Serialize(value, JsonSerializerOptions.Web);
        var saved = new StoredRun(Guid.Parse(suspended.InstanceId), "test-flow", 1, null, null, "{}", "{}",
            Json(suspended.Variables), Json(suspended.Bookmarks), Json(suspended.Journal), "[]", 0, "{}");
        await using var unused = Npgsql.NpgsqlDataSource.Create("Host=127.0.0.1;Port=1"); // large values only: none here
        var restored = await FlowInstanceStore.RestoreAsync(unused, saved, CancellationToken.None);
        Assert.Equal("-|copy,size", Kept(restored.Journal.Single(e => e.ActivityId == "echo")));

        var finished = await runner.ResumeAsync(definition, restored, Assert.Single(restored.Bookmarks));

        Assert.Equal(FlowRunStatus.Finished, finished.Status);
        Assert.Equal("order 7", finished.Output["copied"]?.ToString());
        Assert.Equal("-|-", Kept(finished.Journal.Single(e => e.ActivityId == "echo")));
    }

    [Fact]
    public async Task A_failed_activity_keeps_its_inputs_for_the_incident_whatever_the_flow_logs()
    {
        var state = await RunAsync($$"""{ "logPersistenceConfig": { "default": { "evaluationMode": "Strategy", "strategyType": "{{Exclude}}" } } }""", "{}", fail: true);

        var failed = state.Journal.Single(e => e.ActivityId == "echo");
        Assert.Equal("doc,note|-", Kept(failed));
        Assert.Equal(["doc", "note"], Assert.Single(state.Incidents).Input!.Keys.Order());
    }

    [Theory]
    [InlineData("""{ "logPersistenceConfig": { "inputs": { "doc": { "evaluationMode": "Strategy", "strategyType": "Elsa.Workflows.LogPersistence.Strategies.Sometimes, Elsa.Workflows.Core" } } } }""",
        "customProperties.logPersistenceConfig.inputs.doc")]
    [InlineData("""{ "logPersistenceMode": { "default": "Never" } }""", "customProperties.logPersistenceMode.default")]
    public void An_unknown_log_persistence_strategy_is_refused_at_load_with_its_path(string activityProperties, string path)
    {
        var result = Load("{}", activityProperties);

        Assert.Null(result.Definition);
        var problem = Assert.Single(result.Problems);
        Assert.EndsWith(path, problem.JsonPath, StringComparison.Ordinal);
        Assert.StartsWith("log persistence ", problem.Message, StringComparison.Ordinal);
        Assert.EndsWith("is not known (use a strategy type: Configuration, Exclude, Include, Inherit)", problem.Message, StringComparison.Ordinal);
    }

    private static async Task<FlowRunState> RunAsync(
        string flowProperties, string activityProperties, LogPersistenceMode hostDefault = LogPersistenceMode.Include, FlowCheckpoint? checkpoint = null, bool fail = false)
    {
        var result = Load(flowProperties, activityProperties, fail);
        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Problems));
        var runner = new FlowRunner(new FlowServices(Registry, TimeProvider.System) { DefaultLogPersistence = hostDefault });
        return await runner.RunAsync(result.Definition!, checkpoint: checkpoint);
    }

    private static FlowLoadResult Load(string flowProperties, string activityProperties, bool fail = false)
    {
        var json = JsonNode.Parse(FlowTestRuntime.Flowchart($$"""
            { "id": "echo", "type": "Test.Echo", "version": 1, "customProperties": {{activityProperties}},
              "doc": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "({ name: 'order 7', lines: [1, 2, 3] })" } },
              "note": { "typeName": "String", "expression": { "type": "Literal", "value": "{{(fail ? "fail" : "ok")}}" } } },
            { "id": "out", "type": "Elsa.SetOutput", "version": 1, "outputName": "copied",
              "outputValue": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "getOutputFrom('echo', 'copy').name" } } }
            """, ["echo->out"]))!.AsObject();
        json["customProperties"] = JsonNode.Parse(flowProperties);
        return new FlowLoader(Registry).Load(json.ToJsonString(), "log-persistence.json");
    }

    private static string Kept(JournalEntry entry) =>
        $"{Names(entry.Inputs)}|{Names(entry.Outputs)}";

    private static string Names(Dictionary<string, object?>? values) => values is { Count: > 0 } ? string.Join(",", values.Keys.Order()) : "-";

    private static readonly ActivityRegistry Registry = ActivityRegistry.WithBuiltIns().Add(new Echo());

    /// <summary>Copies its document to an output; fails when its note says so. An external effect, so the run checkpoints after it.</summary>
    private sealed class Echo : FlowActivity
    {
        public override ActivityDescriptor Descriptor { get; } = new(
            "Test.Echo", "Test", "Echo",
            [new InputDescriptor("doc", "Object"), new InputDescriptor("note", "String")],
            [new OutputDescriptor("copy", "Object"), new OutputDescriptor("size", "Int32")],
            ["Done"], HasExternalEffect: true);

        public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
        {
            var doc = context.Input<JsonNode>("doc");
            if (context.Input<string>("note") == "fail")
            {
                throw new InvalidOperationException("the ERP refused it");
            }

            context.SetOutput("copy", doc);
            context.SetOutput("size", doc!.ToJsonString().Length);
            return ValueTask.FromResult(ActivityResult.Done);
        }
    }
}
