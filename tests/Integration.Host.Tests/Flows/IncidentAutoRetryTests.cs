using System.Text.Json;
using Integration.Testing;
using Integration.Testing.Webhooks;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Host.Tests.Flows;

/// <summary>
/// An incident whose error may pass (a network failure here) is retried by the host on its own after its delay, at
/// most <c>MaxRetries</c> times; one that will not pass (a bug, a refusal) waits for a person.
/// </summary>
public sealed class IncidentAutoRetryTests
{
    [Fact]
    public async Task Transient_incidents_are_retried_after_their_delay_until_the_run_passes_or_the_retries_are_spent_and_others_are_left_open()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("autoretry");
        var flows = Directory.CreateTempSubdirectory("flows-autoretry-").FullName;
        foreach (var (id, activity) in new[] { ("flaky", "Test.Flaky"), ("stubborn", "Test.Stubborn"), ("broken", "Test.Broken") })
        {
            await File.WriteAllTextAsync(Path.Combine(flows, id + ".json"), $$"""
                { "definitionId": "{{id}}", "version": 1,
                  "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
                    "activities": [
                      { "id": "received", "type": "Shopify.WebhookReceived", "version": 1, "topic": "orders/create", "customProperties": { "canStartWorkflow": true } },
                      { "id": "call", "type": "{{activity}}", "version": 1 },
                      { "id": "done", "type": "Elsa.SetOutput", "version": 1, "outputName": "outcome", "outputValue": { "typeName": "String", "expression": { "type": "Literal", "value": "passed" } } } ],
                    "connections": [
                      { "source": { "activity": "received", "port": "Done" }, "target": { "activity": "call", "port": "In" } },
                      { "source": { "activity": "call", "port": "Done" }, "target": { "activity": "done", "port": "In" } } ] } }
                """);
        }

        var flaky = new FailingActivity("Test.Flaky", times: 2, () => new HttpRequestException("Connection refused (store.example:443)"));
        var stubborn = new FailingActivity("Test.Stubborn", times: int.MaxValue, () => new HttpRequestException("Connection refused (store.example:443)"));
        var broken = new FailingActivity("Test.Broken", times: int.MaxValue, () => new InvalidOperationException("The order has no lines"));
        await using var host = FlowHost.Create(database, flows, builder =>
        {
            FlowHost.ShopifyStore(builder);
            builder.UseSetting("Flows:Incidents:AutoRetry:Delays:0", "00:00:01");
            builder.UseSetting("Flows:Incidents:AutoRetry:Delays:1", "00:00:02");
            builder.UseSetting("Flows:Incidents:AutoRetry:MaxRetries", "2");
            builder.UseSetting("Flows:Incidents:AutoRetry:Interval", "00:00:00.250");
            builder.ConfigureServices(services =>
            {
                services.AddSingleton<FlowActivity>(flaky);
                services.AddSingleton<FlowActivity>(stubborn);
                services.AddSingleton<FlowActivity>(broken);
            });
        });
        using var client = host.CreateClient();
        var body = RepoPaths.Fixture("shopify/orders-create.shopify-docs-2026-04.json");
        (await client.SendAsync(SignedDelivery.Shopify(body, HostFixture.ShopSecret, HostFixture.ShopDomain))).EnsureSuccessStatusCode();

        // Flaky: fails, retried after 1 s, fails, retried after 2 s, passes. Stubborn: two retries, then left open.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && (await IncidentsAsync(database, "stubborn")).Count < 3)
        {
            await Task.Delay(200);
        }

        await Task.Delay(TimeSpan.FromSeconds(3)); // a third retry of stubborn would be due by now
        Assert.Equal(["Retried", "Retried"], (await IncidentsAsync(database, "flaky")).Select(i => i.Status));
        Assert.Equal("Finished", await RunStatusAsync(database, "flaky"));
        Assert.Equal(3, flaky.Calls);
        var stubbornIncidents = await IncidentsAsync(database, "stubborn");
        Assert.Equal(["Retried", "Retried", "Open"], stubbornIncidents.Select(i => i.Status));
        Assert.All(stubbornIncidents, i => Assert.True(i.Transient));
        Assert.Equal(3, stubborn.Calls);
        var brokenIncident = Assert.Single(await IncidentsAsync(database, "broken"));
        Assert.Equal(("Open", false), (brokenIncident.Status, brokenIncident.Transient));
        Assert.Equal(1, broken.Calls);

        // The operator's list says which incidents the host retries on its own.
        var open = await client.GetStringAsync("/api/incidents?status=Open");
        Assert.Contains("\"transient\":true", open, StringComparison.Ordinal);
        Assert.Contains("\"transient\":false", open, StringComparison.Ordinal);

        // Narrowed to one flow: the stubborn flow's two retried incidents, newest first, and none of the others.
        using var retried = JsonDocument.Parse(await client.GetStringAsync("/api/incidents?status=Retried&definitionId=stubborn"));
        Assert.Equal(["stubborn", "stubborn"], retried.RootElement.EnumerateArray().Select(i => i.GetProperty("definitionId").GetString()));
        var ids = retried.RootElement.EnumerateArray().Select(i => i.GetProperty("id").GetInt64()).ToList();
        Assert.True(ids[0] > ids[1], string.Join(",", ids));
        using var none = JsonDocument.Parse(await client.GetStringAsync("/api/incidents?status=Open&definitionId=flaky"));
        Assert.Empty(none.RootElement.EnumerateArray());
    }

    private static async Task<List<(string Status, bool Transient)>> IncidentsAsync(TestDatabase database, string flow)
    {
        await using var connection = await database.OpenAsync();
        return [.. await Dapper.SqlMapper.QueryAsync<(string, bool)>(connection,
            "SELECT i.status, i.transient FROM flows.incident i JOIN flows.instance f ON f.id = i.instance_id WHERE f.definition_id = @flow ORDER BY i.id", new { flow })];
    }

    private static async Task<string?> RunStatusAsync(TestDatabase database, string flow)
    {
        await using var connection = await database.OpenAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<string?>(connection, "SELECT status FROM flows.instance WHERE definition_id = @flow", new { flow });
    }

    /// <summary>Throws the given error the first <c>times</c> it runs, then passes.</summary>
    private sealed class FailingActivity(string type, int times, Func<Exception> error) : FlowActivity
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public override ActivityDescriptor Descriptor { get; } = new(type, "Test", type, [], [], ["Done"]);

        public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context) =>
            Interlocked.Increment(ref _calls) <= times ? throw error() : ValueTask.FromResult(ActivityResult.Done);
    }
}
