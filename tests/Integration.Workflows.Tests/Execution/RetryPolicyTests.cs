using Integration.Workflows.Activities;
using Integration.Workflows.Execution;

namespace Integration.Workflows.Tests.Execution;

public sealed class RetryPolicyTests
{
    [Theory]
    [InlineData(3, 2, "Finished", 0)]
    [InlineData(1, 2, "Faulted", 2)]
    public async Task An_activity_with_a_resilience_strategy_is_retried_before_it_becomes_an_incident(int maxRetries, int failures, string status, int incidentAttempts)
    {
        var flaky = new Flaky(failures);
        var registry = ActivityRegistry.WithBuiltIns().Add(flaky);
        var loader = new Integration.Workflows.Loading.FlowLoader(registry);
        var json = FlowTestRuntime.Flowchart($$"""
            { "id": "call", "type": "Test.Flaky", "version": 1,
              "customProperties": { "resilienceStrategy": { "maxRetryAttempts": {{maxRetries}}, "delay": "00:00:00.010", "backoffType": "Constant", "useJitter": false } } },
            { "id": "after", "type": "Elsa.WriteLine", "version": 1, "text": "after" }
            """, ["call->after"]);
        var definition = loader.Load(json, "retry.json").Definition!;

        var state = await new FlowRunner(new FlowServices(registry, TimeProvider.System)).RunAsync(definition);

        Assert.Equal(status, state.Status.ToString());
        Assert.Equal(Math.Min(failures, maxRetries + 1) + (status == "Finished" ? 1 : 0), flaky.Calls);
        if (incidentAttempts > 0)
        {
            Assert.Equal(incidentAttempts, Assert.Single(state.Incidents).Attempt);
        }
        else
        {
            Assert.Equal(["after"], state.Console);
        }
    }

    [Fact]
    public async Task An_error_that_cannot_pass_is_not_retried_and_becomes_an_incident_at_once()
    {
        var flaky = new Flaky(5, () => new FormatException("order id 'x' is not a number"));

        var state = await RunWithThreeRetriesAsync(flaky);

        Assert.Equal(FlowRunStatus.Faulted, state.Status);
        Assert.Equal(1, flaky.Calls);
        var incident = Assert.Single(state.Incidents);
        Assert.Equal(1, incident.Attempt);
        Assert.False(incident.Transient);
    }

    [Theory]
    [InlineData("client retries spent")]
    [InlineData("breaker open")]
    public async Task An_error_a_client_already_waited_for_is_not_retried_in_the_run_but_stays_transient(string cause)
    {
        Exception Error() => cause == "breaker open"
            ? new InvalidOperationException("Shopify cairo Shop: calls are paused", new Polly.CircuitBreaker.BrokenCircuitException())
            : new StoreDown();
        var flaky = new Flaky(5, Error);

        var state = await RunWithThreeRetriesAsync(flaky);

        Assert.Equal(1, flaky.Calls);
        var incident = Assert.Single(state.Incidents);
        Assert.Equal(1, incident.Attempt);
        Assert.True(incident.Transient); // the host's incident retries take it up later
    }

    // A flow of one Test.Flaky activity that declares 3 retries, 10 ms apart.
    private static async Task<FlowRunState> RunWithThreeRetriesAsync(Flaky flaky)
    {
        var registry = ActivityRegistry.WithBuiltIns().Add(flaky);
        var json = FlowTestRuntime.Flowchart("""
            { "id": "call", "type": "Test.Flaky", "version": 1,
              "customProperties": { "resilienceStrategy": { "maxRetryAttempts": 3, "delay": "00:00:00.010", "backoffType": "Constant", "useJitter": false } } }
            """, []);
        var definition = new Integration.Workflows.Loading.FlowLoader(registry).Load(json, "retry.json").Definition!;
        return await new FlowRunner(new FlowServices(registry, TimeProvider.System)).RunAsync(definition);
    }

    private sealed class StoreDown() : Exception("HTTP 503 after 6 retries"), ITransientFailure
    {
        public bool IsTransient => true;

        public bool ClientRetriesSpent => true;
    }

    private sealed class Flaky(int failures, Func<Exception>? error = null) : FlowActivity
    {
        public int Calls { get; private set; }

        public override ActivityDescriptor Descriptor { get; } = new("Test.Flaky", "Test", "Flaky", [], [], ["Done"]);

        public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context) =>
            ++Calls <= failures ? throw error?.Invoke() ?? new HttpRequestException("gateway timeout") : ValueTask.FromResult(ActivityResult.Done);
    }
}
