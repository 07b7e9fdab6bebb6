namespace Integration.Workflows.Tests.Execution;

public sealed class ScheduleActivityTests
{
    [Theory]
    [InlineData("""{ "id": "wait", "type": "Elsa.Cron", "version": 1, "cronExpression": "0 30 14 * * ?" }""", "2026-11-24T14:30:00+00:00")]
    [InlineData("""{ "id": "wait", "type": "Elsa.Cron", "version": 1, "cronExpression": "15 2 * * *" }""", "2026-11-25T02:15:00+00:00")]
    [InlineData("""{ "id": "wait", "type": "Elsa.Timer", "version": 1, "interval": "00:05:00" }""", "2026-11-24T10:05:00+00:00")]
    [InlineData("""{ "id": "wait", "type": "Elsa.StartAt", "version": 1, "dateTime": "2026-12-01T08:00:00Z" }""", "2026-12-01T08:00:00+00:00")]
    public async Task A_schedule_reached_mid_flow_suspends_the_run_until_its_next_occurrence(string schedule, string expected)
    {
        var definition = FlowTestRuntime.Load(FlowTestRuntime.Flowchart($$"""
            { "id": "start", "type": "Elsa.Start", "version": 1 },
            {{schedule}},
            { "id": "after", "type": "Elsa.WriteLine", "version": 1, "text": "after" }
            """, ["start->wait", "wait->after"]));

        var state = await FlowTestRuntime.Runner().RunAsync(definition);

        Assert.Equal("Suspended", state.Status.ToString());
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), Assert.Single(state.Bookmarks).ResumeAt);
        Assert.Empty(state.Console);
    }

    [Fact]
    public async Task A_schedule_that_started_the_run_passes_on_with_its_fire_time()
    {
        var definition = FlowTestRuntime.Load(FlowTestRuntime.Flowchart("""
            { "id": "every", "type": "Elsa.Cron", "version": 1, "cronExpression": "0 0 * * * ?", "customProperties": { "canStartWorkflow": true } },
            { "id": "after", "type": "Elsa.WriteLine", "version": 1, "text": { "typeName": "String", "expression": { "type": "JavaScript", "value": "'fired ' + getOutputFrom('every')" } } }
            """, ["every->after"]));
        var fired = new DateTime(2026, 11, 24, 10, 0, 0, DateTimeKind.Utc);

        var state = await FlowTestRuntime.Runner().RunAsync(definition, new Dictionary<string, object?> { ["scheduledActivityId"] = "every", ["scheduledFireTime"] = fired }, "every");

        Assert.Equal("Finished", state.Status.ToString());
        Assert.StartsWith("fired ", Assert.Single(state.Console));
        Assert.Equal(fired, state.ActivityOutputs["every"]["result"]);
    }
}
