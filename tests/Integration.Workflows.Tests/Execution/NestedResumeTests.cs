namespace Integration.Workflows.Tests.Execution;

public sealed class NestedResumeTests
{
    [Fact]
    public async Task A_delay_inside_a_sequence_and_an_if_resumes_the_rest_of_both_and_then_the_flowchart()
    {
        var definition = FlowTestRuntime.Load(FlowTestRuntime.Flowchart("""
            { "id": "steps", "type": "Elsa.Sequence", "version": 1, "activities": [
                { "id": "one", "type": "Elsa.WriteLine", "version": 1, "text": "one" },
                { "id": "maybe", "type": "Elsa.If", "version": 1, "condition": { "typeName": "Boolean", "expression": { "type": "JavaScript", "value": "true" } },
                  "then": { "id": "inner", "type": "Elsa.Sequence", "version": 1, "activities": [
                      { "id": "wait", "type": "Elsa.Delay", "version": 1, "timeSpan": "00:10:00" },
                      { "id": "two", "type": "Elsa.WriteLine", "version": 1, "text": "two" } ] } },
                { "id": "three", "type": "Elsa.WriteLine", "version": 1, "text": "three" } ] },
            { "id": "four", "type": "Elsa.WriteLine", "version": 1, "text": "four" }
            """, ["steps->four"]));
        var runner = FlowTestRuntime.Runner();

        var suspended = await runner.RunAsync(definition);
        Assert.Equal("Suspended", suspended.Status.ToString());
        Assert.Equal(["one"], suspended.Console);

        var resumed = await runner.ResumeAsync(definition, suspended, Assert.Single(suspended.Bookmarks));

        Assert.Equal("Finished", resumed.Status.ToString());
        Assert.Equal(["one", "two", "three", "four"], resumed.Console);
    }

    [Fact]
    public async Task A_second_delay_in_the_same_sequence_suspends_the_run_again()
    {
        var definition = FlowTestRuntime.Load(FlowTestRuntime.Flowchart("""
            { "id": "steps", "type": "Elsa.Sequence", "version": 1, "activities": [
                { "id": "first", "type": "Elsa.Delay", "version": 1, "timeSpan": "00:01:00" },
                { "id": "a", "type": "Elsa.WriteLine", "version": 1, "text": "a" },
                { "id": "second", "type": "Elsa.Delay", "version": 1, "timeSpan": "00:01:00" },
                { "id": "b", "type": "Elsa.WriteLine", "version": 1, "text": "b" } ] }
            """, []));
        var runner = FlowTestRuntime.Runner();
        var state = await runner.RunAsync(definition);

        state = await runner.ResumeAsync(definition, state, Assert.Single(state.Bookmarks));
        Assert.Equal("Suspended", state.Status.ToString());
        Assert.Equal("second", Assert.Single(state.Bookmarks).ActivityId);
        state = await runner.ResumeAsync(definition, state, Assert.Single(state.Bookmarks));

        Assert.Equal("Finished", state.Status.ToString());
        Assert.Equal(["a", "b"], state.Console);
    }

    [Fact]
    public async Task A_delay_inside_nested_loops_resumes_with_the_next_item_of_each_loop()
    {
        var definition = FlowTestRuntime.Load(FlowTestRuntime.Flowchart("""
            { "id": "outer", "type": "Elsa.ForEach", "version": 1, "items": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "['a', 'b']" } },
              "currentValue": { "typeName": "Object", "memoryReference": { "id": "o" } },
              "body": { "id": "inner", "type": "Elsa.ForEach", "version": 1, "items": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "[1, 2]" } },
                "currentValue": { "typeName": "Object", "memoryReference": { "id": "i" } },
                "body": { "id": "step", "type": "Elsa.Sequence", "version": 1, "activities": [
                  { "id": "say", "type": "Elsa.WriteLine", "version": 1, "text": { "typeName": "String", "expression": { "type": "JavaScript", "value": "getO() + getI()" } } },
                  { "id": "wait", "type": "Elsa.Delay", "version": 1, "timeSpan": "00:00:01" } ] } } },
            { "id": "done", "type": "Elsa.WriteLine", "version": 1, "text": "done" }
            """, ["outer->done"], """[ { "id": "o", "name": "O", "typeName": "String" }, { "id": "i", "name": "I", "typeName": "Object" } ]"""));
        var runner = FlowTestRuntime.Runner();

        var state = await runner.RunAsync(definition);
        var suspensions = 0;
        while (state.Status.ToString() == "Suspended" && suspensions < 10)
        {
            suspensions++;
            state = await runner.ResumeAsync(definition, state, Assert.Single(state.Bookmarks));
        }

        Assert.Equal("Finished", state.Status.ToString());
        Assert.Equal(4, suspensions);
        Assert.Equal(["a1", "a2", "b1", "b2", "done"], state.Console);
    }

    [Fact]
    public async Task A_bookmark_in_a_loop_keeps_the_loop_position_through_storage()
    {
        var definition = FlowTestRuntime.Load(FlowTestRuntime.Flowchart("""
            { "id": "loop", "type": "Elsa.ForEach", "version": 1, "items": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "[10, 20, 30]" } },
              "body": { "id": "wait", "type": "Elsa.Delay", "version": 1, "timeSpan": "00:01:00" } }
            """, []));
        var state = await FlowTestRuntime.Runner().RunAsync(definition);
        state = await FlowTestRuntime.Runner().ResumeAsync(definition, state, Assert.Single(state.Bookmarks));

        var stored = System.Text.Json.JsonSerializer.Serialize(Assert.Single(state.Bookmarks), System.Text.Json.JsonSerializerOptions.Web);
        var restored = System.Text.Json.JsonSerializer.Deserialize<Integration.Workflows.Activities.Bookmark>(stored, System.Text.Json.JsonSerializerOptions.Web)!;

        Assert.Equal(1, restored.Loops!["loop"]);
    }
}
