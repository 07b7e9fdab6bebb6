using Integration.Workflows.Execution;

namespace Integration.Workflows.Tests.Execution;

public sealed class FlowRunnerTests
{
    [Fact]
    public async Task Implicit_loop_runs_until_the_decision_turns_false()
    {
        var state = await FlowTestRuntime.Runner().RunAsync(FlowTestRuntime.LoadSample("implicit-loop.json"));

        Assert.Equal(FlowRunStatus.Finished, state.Status);
        Assert.Equal(["Round 1", "Round 2", "Round 3", "Looped 3 times"], state.Console);
        Assert.Equal(3L, state.Variables["Counter"]);
    }

    [Theory]
    [InlineData(6200, "card", "review")]
    [InlineData(300, "cod", "confirm-by-phone")]
    [InlineData(300, "card", "auto")]
    public async Task Switch_fork_foreach_and_join_route_an_order(int total, string gateway, string route)
    {
        var input = new Dictionary<string, object?>
        {
            ["order"] = System.Text.Json.Nodes.JsonNode.Parse($$"""{ "id": 1001, "total": {{total}}, "gateway": "{{gateway}}", "lines": [{ "qty": 2 }, { "qty": 3 }] }"""),
        };

        var state = await FlowTestRuntime.Runner().RunAsync(FlowTestRuntime.LoadSample("order-routing.json"), input);

        Assert.Equal(FlowRunStatus.Finished, state.Status);
        var decision = Assert.IsType<System.Dynamic.ExpandoObject>(state.Output["decision"]) as IDictionary<string, object?>;
        Assert.Equal(route, decision["route"]);
        Assert.Equal(5.0, Convert.ToDouble(decision["units"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("order-1001", state.CorrelationId);
        Assert.Single(state.Journal, j => j.ActivityId == "output");
    }

    [Fact]
    public async Task Wait_all_join_waits_for_every_branch_and_wait_any_goes_on_at_the_first_cancelling_the_rest()
    {
        string Flow(string mode) => FlowTestRuntime.Flowchart($$"""
            { "id": "fork", "type": "Elsa.FlowFork", "version": 1, "branches": { "typeName": "String[]", "expression": { "type": "Object", "value": "[\"A\",\"B\"]" } } },
            { "id": "a", "type": "Elsa.WriteLine", "version": 1, "text": "a" },
            { "id": "b1", "type": "Elsa.WriteLine", "version": 1, "text": "b1" },
            { "id": "b2", "type": "Elsa.WriteLine", "version": 1, "text": "b2" },
            { "id": "join", "type": "Elsa.FlowJoin", "version": 1, "mode": "{{mode}}" },
            { "id": "after", "type": "Elsa.WriteLine", "version": 1, "text": "joined" }
            """, ["fork:A->a", "fork:B->b1", "b1->b2", "a->join", "b2->join", "join->after"]);

        var all = await FlowTestRuntime.Runner().RunAsync(FlowTestRuntime.Load(Flow("WaitAll")));
        var any = await FlowTestRuntime.Runner().RunAsync(FlowTestRuntime.Load(Flow("WaitAny")));

        Assert.Equal(["a", "b1", "b2", "joined"], all.Console);
        Assert.Equal(["a", "joined"], any.Console);
    }

    [Fact]
    public async Task Liquid_and_javascript_see_variables_inputs_and_outputs_of_earlier_activities()
    {
        var json = FlowTestRuntime.Flowchart("""
            { "id": "calc", "name": "Calc", "type": "Elsa.RunJavaScript", "version": 1,
              "script": { "typeName": "String", "expression": { "type": "JavaScript", "value": "variables.Total = getInput('qty') * 12.5; 'ok'" } } },
            { "id": "show", "type": "Elsa.WriteLine", "version": 1,
              "text": { "typeName": "String", "expression": { "type": "Liquid", "value": "{{ Variables.Total }} EGP for {{ Input.customer }}" } } },
            { "id": "last", "type": "Elsa.WriteLine", "version": 1,
              "text": { "typeName": "String", "expression": { "type": "JavaScript", "value": "getOutputFrom('Calc') + '/' + getTotal()" } } }
            """, ["calc->show", "show->last"], variables: """[{ "id": "t", "name": "Total", "typeName": "Decimal", "value": "0" }]""");

        var state = await FlowTestRuntime.Runner().RunAsync(FlowTestRuntime.Load(json), new Dictionary<string, object?> { ["qty"] = 4, ["customer"] = "Mona" });

        Assert.Equal(["50 EGP for Mona", "ok/50"], state.Console);
        Assert.Equal(50m, state.Variables["Total"]);
    }

    [Fact]
    public async Task A_failing_activity_becomes_an_incident_and_faults_the_flow()
    {
        var json = FlowTestRuntime.Flowchart("""
            { "id": "boom", "type": "Elsa.RunJavaScript", "version": 1, "script": { "typeName": "String", "expression": { "type": "JavaScript", "value": "null.x" } } },
            { "id": "never", "type": "Elsa.WriteLine", "version": 1, "text": "never" }
            """, ["boom->never"]);

        var state = await FlowTestRuntime.Runner().RunAsync(FlowTestRuntime.Load(json));

        Assert.Equal(FlowRunStatus.Faulted, state.Status);
        var incident = Assert.Single(state.Incidents);
        Assert.Equal("boom", incident.ActivityId);
        Assert.Contains("JavaScript", incident.Message, StringComparison.Ordinal);
        Assert.Empty(state.Console);
    }

    [Fact]
    public async Task A_runaway_liquid_template_faults_its_activity_instead_of_holding_the_host()
    {
        var json = FlowTestRuntime.Flowchart("""
            { "id": "loop", "type": "Elsa.WriteLine", "version": 1,
              "text": { "typeName": "String", "expression": { "type": "Liquid", "value": "{% for i in (1..100000) %}{% for j in (1..100000) %}x{% endfor %}{% endfor %}" } } }
            """, []);

        var started = DateTime.UtcNow;
        var state = await FlowTestRuntime.Runner().RunAsync(FlowTestRuntime.Load(json));

        Assert.Equal(FlowRunStatus.Faulted, state.Status);
        Assert.Equal("loop", Assert.Single(state.Incidents).ActivityId);
        // Ten billion steps unbounded; bounded it stops within seconds even on a loaded machine.
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(30), $"took {DateTime.UtcNow - started}");
    }

    [Fact]
    public async Task With_continue_with_incidents_other_branches_still_run()
    {
        var json = FlowTestRuntime.Flowchart("""
            { "id": "fork", "type": "Elsa.FlowFork", "version": 1, "branches": "A,B" },
            { "id": "fault", "type": "Elsa.Fault", "version": 1, "message": "payment gateway said no", "code": "gateway" },
            { "id": "ok", "type": "Elsa.WriteLine", "version": 1, "text": "still here" }
            """, ["fork:A->fault", "fork:B->ok"], options: """{ "incidentStrategyType": "Elsa.Workflows.IncidentStrategies.ContinueWithIncidentsStrategy, Elsa.Workflows.Core" }""");

        var state = await FlowTestRuntime.Runner().RunAsync(FlowTestRuntime.Load(json));

        Assert.Equal(FlowRunStatus.Finished, state.Status);
        Assert.Equal("payment gateway said no", Assert.Single(state.Incidents).Message);
        Assert.Equal(["still here"], state.Console);
    }

    [Fact]
    public async Task Delay_suspends_on_a_bookmark_and_resuming_continues_after_it()
    {
        var json = FlowTestRuntime.Flowchart("""
            { "id": "before", "type": "Elsa.WriteLine", "version": 1, "text": "before" },
            { "id": "wait", "type": "Elsa.Delay", "version": 1, "timeSpan": { "typeName": "TimeSpan", "expression": { "type": "Literal", "value": "00:15:00" } } },
            { "id": "after", "type": "Elsa.WriteLine", "version": 1, "text": "after" }
            """, ["before->wait", "wait->after"]);
        var definition = FlowTestRuntime.Load(json);
        var runner = FlowTestRuntime.Runner();

        var suspended = await runner.RunAsync(definition);
        var bookmark = Assert.Single(suspended.Bookmarks);
        var resumed = await runner.ResumeAsync(definition, suspended, bookmark);

        Assert.Equal(FlowTestRuntime.Now.AddMinutes(15), bookmark.ResumeAt);
        Assert.Equal(FlowRunStatus.Finished, resumed.Status);
        Assert.Equal(["before", "after"], resumed.Console);
    }

    [Fact]
    public async Task Finish_ends_the_flow_and_http_flows_answer()
    {
        var state = await FlowTestRuntime.Runner().RunAsync(FlowTestRuntime.LoadSample("http-hello-world.json"));

        Assert.Equal(200, state.HttpResponse!.StatusCode);
        Assert.Equal("Hello world!", state.HttpResponse.Content);
    }

    [Fact]
    public async Task A_runaway_script_is_stopped_by_its_limits()
    {
        var json = FlowTestRuntime.Flowchart("""
            { "id": "spin", "type": "Elsa.RunJavaScript", "version": 1, "script": { "typeName": "String", "expression": { "type": "JavaScript", "value": "while (true) {}" } } }
            """, []);
        var runner = new FlowRunner(new FlowServices(FlowTestRuntime.Registry, TimeProvider.System, javaScriptLimits: new JavaScriptLimits(TimeSpan.FromMilliseconds(200), MaxStatements: 100_000)));

        var state = await runner.RunAsync(FlowTestRuntime.Load(json));

        Assert.Equal(FlowRunStatus.Faulted, state.Status);
        Assert.Single(state.Incidents);
    }
}
