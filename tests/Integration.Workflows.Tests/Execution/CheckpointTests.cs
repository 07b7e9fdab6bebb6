using Integration.Workflows.Activities;
using Integration.Workflows.Execution;
using Integration.Workflows.Loading;

namespace Integration.Workflows.Tests.Execution;

public sealed class CheckpointTests
{
    [Fact]
    public async Task A_run_is_checkpointed_after_each_root_activity_that_has_or_holds_an_external_effect_with_what_comes_next()
    {
        var registry = ActivityRegistry.WithBuiltIns().Add(new Posting());
        var definition = new FlowLoader(registry).Load(FlowTestRuntime.Flowchart("""
            { "id": "start", "type": "Elsa.Start", "version": 1 },
            { "id": "post", "type": "Test.Post", "version": 1 },
            { "id": "quiet", "type": "Elsa.WriteLine", "version": 1, "text": "no effect" },
            { "id": "batch", "type": "Elsa.Sequence", "version": 1, "activities": [ { "id": "inner", "type": "Test.Post", "version": 1 } ] },
            { "id": "end", "type": "Elsa.WriteLine", "version": 1, "text": "end" }
            """, ["start->post", "post->quiet", "quiet->batch", "batch->end"]), "checkpoints.json").Definition!;
        var checkpoints = new List<(string Next, int Journal)>();

        var state = await new FlowRunner(new FlowServices(registry, TimeProvider.System)).RunAsync(definition, checkpoint: (s, _) =>
        {
            checkpoints.Add((string.Join(",", s.Resume!.Pending), s.Journal.Count));
            return Task.CompletedTask;
        });

        Assert.Equal("Finished", state.Status.ToString());
        Assert.Equal([("quiet", 2), ("end", 5)], checkpoints);
        Assert.Null(state.Resume);
    }

    // The flow's commit strategy (options.commitStrategyName), then an activity's own (customProperties.commitStrategyName)
    // winning over it: each checkpoint as "<journal entries so far>><what runs next>". A checkpoint before an activity
    // lists that activity first (after a takeover it runs again); one after it lists what follows.
    [Theory]
    [InlineData("{}", "", "2>quiet|5>end")]
    [InlineData("""{ "commitStrategyName": "" }""", "", "2>quiet|5>end")]
    [InlineData("{}", "Never", "5>end")]
    [InlineData("{}", "Executing", "1>post|5>end")]
    [InlineData("{}", "Always", "1>post|2>quiet|5>end")]
    [InlineData("""{ "commitStrategyName": "WorkflowExecuted" }""", "", "")]
    [InlineData("""{ "commitStrategyName": "WorkflowExecuted" }""", "Executed", "2>quiet")]
    [InlineData("""{ "commitStrategyName": "ActivityExecuted" }""", "", "1>post|2>quiet|3>batch|5>end|6>")]
    [InlineData("""{ "commitStrategyName": "ActivityExecuted" }""", "Never", "1>post|3>batch|5>end|6>")]
    [InlineData("""{ "commitStrategyName": "ActivityExecuting" }""", "", "0>start|1>post|2>quiet|3>batch|5>end")]
    public async Task Commit_strategies_of_the_flow_and_of_an_activity_decide_where_a_run_is_checkpointed(string options, string postStrategy, string expected)
    {
        var registry = ActivityRegistry.WithBuiltIns().Add(new Posting());
        var custom = postStrategy == "" ? "" : $$""", "customProperties": { "commitStrategyName": "{{postStrategy}}" }""";
        var definition = new FlowLoader(registry).Load(FlowTestRuntime.Flowchart($$"""
            { "id": "start", "type": "Elsa.Start", "version": 1 },
            { "id": "post", "type": "Test.Post", "version": 1{{custom}} },
            { "id": "quiet", "type": "Elsa.WriteLine", "version": 1, "text": "no effect" },
            { "id": "batch", "type": "Elsa.Sequence", "version": 1, "activities": [ { "id": "inner", "type": "Test.Post", "version": 1 } ] },
            { "id": "end", "type": "Elsa.WriteLine", "version": 1, "text": "end" }
            """, ["start->post", "post->quiet", "quiet->batch", "batch->end"], options: options), "strategies.json").Definition!;
        var checkpoints = new List<string>();

        var state = await new FlowRunner(new FlowServices(registry, TimeProvider.System)).RunAsync(definition, checkpoint: (s, _) =>
        {
            checkpoints.Add($"{s.Journal.Count}>{string.Join(",", s.Resume!.Pending)}");
            return Task.CompletedTask;
        });

        Assert.Equal("Finished", state.Status.ToString());
        Assert.Equal(expected, string.Join("|", checkpoints));
    }

    [Theory]
    [InlineData("""{ "commitStrategyName": "Periodic" }""", "", "$.options.commitStrategyName", "commit strategy \"Periodic\" is not known (use WorkflowExecuted, ActivityExecuting, ActivityExecuted)")]
    [InlineData("{}", "Sometimes", "customProperties.commitStrategyName", "commit strategy \"Sometimes\" is not known (use Always, Executing, Executed, Never)")]
    public void An_unknown_commit_strategy_is_refused_at_load_with_its_path(string options, string postStrategy, string path, string message)
    {
        var registry = ActivityRegistry.WithBuiltIns().Add(new Posting());
        var custom = postStrategy == "" ? "" : $$""", "customProperties": { "commitStrategyName": "{{postStrategy}}" }""";
        var result = new FlowLoader(registry).Load(FlowTestRuntime.Flowchart($$"""
            { "id": "post", "type": "Test.Post", "version": 1{{custom}} }
            """, [], options: options), "strategies.json");

        Assert.Null(result.Definition);
        var problem = Assert.Single(result.Problems);
        Assert.EndsWith(path, problem.JsonPath, StringComparison.Ordinal);
        Assert.Equal(message, problem.Message);
    }

    [Theory]
    [InlineData("\"nowhere\"", "retryFrom 'nowhere' is not another activity of the same flowchart")]
    [InlineData("\"post\"", "retryFrom 'post' is not another activity of the same flowchart")]
    [InlineData("3", "retryFrom names an activity by its id (a string)")]
    public void A_retryFrom_that_names_no_other_activity_of_the_flowchart_is_refused_at_load_with_its_path(string retryFrom, string message)
    {
        var registry = ActivityRegistry.WithBuiltIns().Add(new Posting());
        var result = new FlowLoader(registry).Load(FlowTestRuntime.Flowchart($$"""
            { "id": "post", "type": "Test.Post", "version": 1, "customProperties": { "retryFrom": {{retryFrom}} } }
            """, [], options: "{}"), "retries.json");

        Assert.Null(result.Definition);
        var problem = Assert.Single(result.Problems);
        Assert.EndsWith("customProperties.retryFrom", problem.JsonPath, StringComparison.Ordinal);
        Assert.Equal(message, problem.Message);
    }

    private sealed class Posting : FlowActivity
    {
        public override ActivityDescriptor Descriptor { get; } = new("Test.Post", "Test", "Post", [], [], ["Done"], HasExternalEffect: true);

        public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context) => ValueTask.FromResult(ActivityResult.Done);
    }
}
