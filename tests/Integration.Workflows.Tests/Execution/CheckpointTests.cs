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

    private sealed class Posting : FlowActivity
    {
        public override ActivityDescriptor Descriptor { get; } = new("Test.Post", "Test", "Post", [], [], ["Done"], HasExternalEffect: true);

        public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context) => ValueTask.FromResult(ActivityResult.Done);
    }
}
