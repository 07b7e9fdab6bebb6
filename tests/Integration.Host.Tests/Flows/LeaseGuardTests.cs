using Integration.Testing;
using Integration.Workflows.Activities;
using Integration.Workflows.Triggers;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Integration.Host.Tests.Flows;

/// <summary>A run's lease decides who may store it: nobody brings back a run cancelled or taken over meanwhile.</summary>
public sealed class LeaseGuardTests
{
    [Fact]
    public async Task A_run_cancelled_in_flight_stays_cancelled_and_goes_no_further_when_its_host_stores_it()
    {
        using var erp = WireMockServer.Start();
        erp.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        await using var database = await TestPostgres.CreateDatabaseAsync("leasecancel");
        var flows = Directory.CreateTempSubdirectory("flows-leasecancel-").FullName;
        await File.WriteAllTextAsync(Path.Combine(flows, "steps.json"), $$"""
            { "definitionId": "steps", "version": 1,
              "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "endpoint", "type": "Elsa.HttpEndpoint", "version": 1, "path": "steps", "supportedMethods": { "typeName": "String[]", "expression": { "type": "Object", "value": "[\"POST\"]" } },
                    "customProperties": { "canStartWorkflow": true } },
                  { "id": "first", "type": "Elsa.FlowSendHttpRequest", "version": 1, "method": "POST", "url": "{{erp.Url}}/first" },
                  { "id": "gate", "type": "{{Gate.TypeName}}", "version": 1 },
                  { "id": "second", "type": "Elsa.FlowSendHttpRequest", "version": 1, "method": "POST", "url": "{{erp.Url}}/second" },
                  { "id": "third", "type": "Elsa.FlowSendHttpRequest", "version": 1, "method": "POST", "url": "{{erp.Url}}/third" } ],
                "connections": [
                  { "source": { "activity": "endpoint", "port": "Done" }, "target": { "activity": "first", "port": "In" } },
                  { "source": { "activity": "first", "port": "200" }, "target": { "activity": "gate", "port": "In" } },
                  { "source": { "activity": "gate", "port": "Done" }, "target": { "activity": "second", "port": "In" } },
                  { "source": { "activity": "second", "port": "200" }, "target": { "activity": "third", "port": "In" } } ] } }
            """);
        var gate = new Gate();
        await using var host = FlowHost.Create(database, flows, builder => builder.ConfigureServices(services => services.AddSingleton<FlowActivity>(gate)));
        using var client = host.CreateClient();

        var running = client.PostAsync("/workflows/steps", null);
        await HostStopsHere.WaitUntilAsync(database, "SELECT count(*) FROM flows.instance WHERE status = 'Running' AND lease_owner IS NOT NULL", polls: 200);
        var id = await HostStopsHere.ScalarAsync<Guid>(database, "SELECT id FROM flows.instance");
        (await client.PostAsync($"/api/runs/{id}/cancel", null)).EnsureSuccessStatusCode();
        gate.Open();
        try
        {
            await running;
        }
        catch (HttpRequestException)
        {
            // How the endpoint answers a run stopped under it is not the point.
        }

        Assert.Equal("Cancelled", await HostStopsHere.ScalarAsync<string>(database, $"SELECT status FROM flows.instance WHERE id = '{id}'"));
        // The effect under way when the cancel came is done; none after it (its checkpoint is refused).
        Assert.DoesNotContain(erp.LogEntries, e => e.RequestMessage.Path == "/third");
    }

    [Fact]
    public async Task The_resumer_claims_one_due_run_at_a_time_leaving_the_others_to_any_host()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("leaseclaim");
        var flows = Directory.CreateTempSubdirectory("flows-leaseclaim-").FullName;
        await File.WriteAllTextAsync(Path.Combine(flows, "wait.json"), """
            { "definitionId": "wait", "version": 1,
              "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "endpoint", "type": "Elsa.HttpEndpoint", "version": 1, "path": "wait", "supportedMethods": { "typeName": "String[]", "expression": { "type": "Object", "value": "[\"POST\"]" } },
                    "customProperties": { "canStartWorkflow": true } },
                  { "id": "wait", "type": "Elsa.Delay", "version": 1, "timeSpan": "00:00:01" },
                  { "id": "done", "type": "Elsa.SetOutput", "version": 1, "outputName": "done", "outputValue": "yes" } ],
                "connections": [
                  { "source": { "activity": "endpoint", "port": "Done" }, "target": { "activity": "wait", "port": "In" } },
                  { "source": { "activity": "wait", "port": "Done" }, "target": { "activity": "done", "port": "In" } } ] } }
            """);
        await using var host = FlowHost.Create(database, flows, builder => builder.UseSetting("Flows:ResumeBookmarks", "false"));
        using var client = host.CreateClient();
        (await client.PostAsync("/workflows/wait", null)).EnsureSuccessStatusCode();
        (await client.PostAsync("/workflows/wait", null)).EnsureSuccessStatusCode();
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        var resumed = await host.Services.GetRequiredService<BookmarkResumer>().ResumeDueAsync(CancellationToken.None);

        Assert.Equal(1, resumed);
        Assert.Equal(1L, await HostStopsHere.ScalarAsync<long>(database, "SELECT count(*) FROM flows.instance WHERE status = 'Finished'"));
        // The other was not claimed: no lease taken that nobody renews.
        Assert.Equal(1L, await HostStopsHere.ScalarAsync<long>(database, "SELECT count(*) FROM flows.instance WHERE status = 'Suspended' AND lease_owner IS NULL"));
    }

    /// <summary>A test activity that holds the run until the test opens it.</summary>
    private sealed class Gate : FlowActivity
    {
        public const string TypeName = "Test.Gate";

        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override ActivityDescriptor Descriptor { get; } = new(TypeName, "Test", "Gate", [], [], ["Done"]);

        public void Open() => _open.TrySetResult();

        public override async ValueTask<ActivityResult> ExecuteAsync(ActivityContext context)
        {
            await _open.Task.WaitAsync(TimeSpan.FromMinutes(1), context.CancellationToken);
            return ActivityResult.Done;
        }
    }
}
