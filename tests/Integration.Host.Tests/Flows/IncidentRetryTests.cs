using System.Net;
using Integration.Testing;
using Integration.Testing.Webhooks;
using Integration.Workflows.Activities;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Host.Tests.Flows;

public sealed class IncidentRetryTests
{
    [Fact]
    public async Task A_faulted_run_is_retried_from_its_failed_activity_through_the_api_and_finishes()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("incidentretry");
        var flows = Directory.CreateTempSubdirectory("flows-retry-").FullName;
        await File.WriteAllTextAsync(Path.Combine(flows, "fragile.json"), """
            { "definitionId": "fragile", "version": 1, "variables": [],
              "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "received", "type": "Shopify.WebhookReceived", "version": 1, "topic": "orders/create", "customProperties": { "canStartWorkflow": true } },
                  { "id": "call", "type": "Test.FailsOnce", "version": 1 },
                  { "id": "done", "type": "Elsa.SetOutput", "version": 1, "outputName": "order",
                    "outputValue": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "getInput('payload').name" } } } ],
                "connections": [
                  { "source": { "activity": "received", "port": "Done" }, "target": { "activity": "call", "port": "In" } },
                  { "source": { "activity": "call", "port": "Done" }, "target": { "activity": "done", "port": "In" } } ] } }
            """);
        await using var factory = FlowHost.Create(database, flows, builder =>
        {
            FlowHost.ShopifyStore(builder);
            builder.ConfigureServices(services => services.AddSingleton<FlowActivity>(new FailsOnce()));
        }, schedules: true);
        using var client = factory.CreateClient();
        var body = RepoPaths.Fixture("shopify/orders-create.shopify-docs-2026-04.json");
        (await client.SendAsync(SignedDelivery.Shopify(body, HostFixture.ShopSecret, HostFixture.ShopDomain))).EnsureSuccessStatusCode();

        var incidentId = 0L;
        for (var i = 0; i < 100 && incidentId == 0; i++)
        {
            await Task.Delay(100);
            await using var connection = await database.OpenAsync();
            incidentId = await Dapper.SqlMapper.ExecuteScalarAsync<long?>(connection, "SELECT id FROM flows.incident WHERE status = 'Open'") ?? 0;
        }

        var retried = await client.PostAsync($"/api/incidents/{incidentId}/retry", null);
        var again = await client.PostAsync($"/api/incidents/{incidentId}/retry", null);

        Assert.NotEqual(0, incidentId);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Contains("Finished", await retried.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        await using var check = await database.OpenAsync();
        Assert.Equal("#9999", await Dapper.SqlMapper.ExecuteScalarAsync<string>(check, "SELECT output->>'order' FROM flows.instance WHERE definition_id = 'fragile' AND status = 'Finished'"));
    }

    [Fact]
    public async Task A_retry_that_fails_again_leaves_a_new_open_incident_and_the_next_retry_finishes_the_run()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("incidentretry2");
        var flows = Directory.CreateTempSubdirectory("flows-retry-").FullName;
        await File.WriteAllTextAsync(Path.Combine(flows, "fragile.json"), """
            { "definitionId": "fragile", "version": 1, "variables": [],
              "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "received", "type": "Shopify.WebhookReceived", "version": 1, "topic": "orders/create", "customProperties": { "canStartWorkflow": true } },
                  { "id": "call", "type": "Test.FailsOnce", "version": 1 } ],
                "connections": [ { "source": { "activity": "received", "port": "Done" }, "target": { "activity": "call", "port": "In" } } ] } }
            """);
        await using var factory = FlowHost.Create(database, flows, builder =>
        {
            FlowHost.ShopifyStore(builder);
            builder.ConfigureServices(services => services.AddSingleton<FlowActivity>(new FailsOnce(failures: 2)));
        }, schedules: true);
        using var client = factory.CreateClient();
        var body = RepoPaths.Fixture("shopify/orders-create.shopify-docs-2026-04.json");
        (await client.SendAsync(SignedDelivery.Shopify(body, HostFixture.ShopSecret, HostFixture.ShopDomain))).EnsureSuccessStatusCode();
        var first = 0L;
        for (var i = 0; i < 100 && first == 0; i++)
        {
            await Task.Delay(100);
            await using var connection = await database.OpenAsync();
            first = await Dapper.SqlMapper.ExecuteScalarAsync<long?>(connection, "SELECT id FROM flows.incident WHERE status = 'Open'") ?? 0;
        }

        var failedAgain = await client.PostAsync($"/api/incidents/{first}/retry", null);
        await using var check = await database.OpenAsync();
        var second = await Dapper.SqlMapper.ExecuteScalarAsync<long?>(check, "SELECT id FROM flows.incident WHERE status = 'Open'");
        var finished = await client.PostAsync($"/api/incidents/{second}/retry", null);

        Assert.Contains("Faulted", await failedAgain.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotNull(second);
        Assert.NotEqual(first, second);
        Assert.Contains("Finished", await finished.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(2, await Dapper.SqlMapper.ExecuteScalarAsync<int>(check, "SELECT incident_count FROM flows.instance WHERE definition_id = 'fragile'"));
        Assert.Equal(0L, await Dapper.SqlMapper.ExecuteScalarAsync<long>(check, "SELECT count(*) FROM flows.incident WHERE status = 'Open'"));
    }

    private sealed class FailsOnce(int failures = 1) : FlowActivity
    {
        private int _calls;

        public override ActivityDescriptor Descriptor { get; } = new("Test.FailsOnce", "Test", "Fails once", [], [], ["Done"]);

        public override ValueTask<ActivityResult> ExecuteAsync(ActivityContext context) =>
            Interlocked.Increment(ref _calls) <= failures ? throw new InvalidOperationException("ERP was busy") : ValueTask.FromResult(ActivityResult.Done);
    }
}
