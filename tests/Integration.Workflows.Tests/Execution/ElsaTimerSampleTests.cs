using System.Text.Json.Nodes;
using Integration.Testing;
using Integration.Workflows.Scheduling;

namespace Integration.Workflows.Tests.Execution;

/// <summary>Elsa's own timer-workflow.json (from its integration tests and the Studio smoke test), verbatim.</summary>
public sealed class ElsaTimerSampleTests
{
    private static readonly string File = Path.Combine(RepoPaths.Root, "tests", "Integration.Workflows.Tests", "Samples", "timer-workflow.json");

    [Fact]
    public async Task The_timer_sample_loads_round_trips_schedules_every_minute_and_says_hello_when_it_fires()
    {
        var text = await System.IO.File.ReadAllTextAsync(File);
        var loaded = FlowTestRuntime.Loader.Load(text, "timer-workflow.json");
        Assert.True(loaded.IsValid, string.Join(Environment.NewLine, loaded.Problems));
        var definition = loaded.Definition!;
        Assert.False(definition.IsPublished); // Elsa's sample is saved unpublished: a host loading it would not run it
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(text), JsonNode.Parse(definition.ToJsonString())));

        var timer = definition.Root.Children.Single(c => c.CanStartWorkflow);
        var schedule = FlowSchedule.Of(timer)!;
        Assert.Equal("Timer:00:01:00", schedule.Fingerprint);
        Assert.Equal(FlowTestRuntime.Now.AddMinutes(1), schedule.NextAfter(FlowTestRuntime.Now));

        var state = await FlowTestRuntime.Runner().RunAsync(definition,
            new Dictionary<string, object?> { ["scheduledActivityId"] = timer.Id, ["scheduledFireTime"] = FlowTestRuntime.Now.UtcDateTime }, timer.Id);

        Assert.Equal("Finished", state.Status.ToString());
        Assert.Equal(["Hello from timer"], state.Console);
    }
}
