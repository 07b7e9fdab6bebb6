using Integration.Testing;
using Integration.Testing.Webhooks;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Integration.Host.Tests.Flows;

public sealed class DelayResumeTests
{
    [Fact]
    public async Task A_delayed_run_started_on_one_host_is_finished_by_another_after_the_first_is_gone()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("delayresume");
        var flows = Directory.CreateTempSubdirectory("flows-delay-").FullName;
        await File.WriteAllTextAsync(Path.Combine(flows, "delayed.json"), """
            {
              "definitionId": "delayed-order", "version": 1,
              "variables": [ { "id": "seen", "name": "Seen", "typeName": "String" } ],
              "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "received", "type": "Shopify.WebhookReceived", "version": 1, "topic": "orders/create", "customProperties": { "canStartWorkflow": true } },
                  { "id": "before", "type": "Elsa.SetVariable", "version": 1, "variable": { "name": "Seen" },
                    "value": { "typeName": "String", "expression": { "type": "JavaScript", "value": "getInput('payload').name" } } },
                  { "id": "wait", "type": "Elsa.Delay", "version": 1, "timeSpan": "00:00:01" },
                  { "id": "after", "type": "Elsa.SetOutput", "version": 1, "outputName": "summary",
                    "outputValue": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "getSeen() + ' has ' + getInput('payload').line_items.length + ' lines'" } } }
                ],
                "connections": [
                  { "source": { "activity": "received", "port": "Done" }, "target": { "activity": "before", "port": "In" } },
                  { "source": { "activity": "before", "port": "Done" }, "target": { "activity": "wait", "port": "In" } },
                  { "source": { "activity": "wait", "port": "Done" }, "target": { "activity": "after", "port": "In" } }
                ] } }
            """);

        await RunAcrossTwoHostsAsync(database, flows, _ => Task.CompletedTask);

        await using var connection = await database.OpenAsync();
        var (output, steps) = await Dapper.SqlMapper.QuerySingleAsync<(string, int)>(connection,
            "SELECT output->>'summary', json_array_length(journal) FROM flows.instance WHERE definition_id = 'delayed-order'");
        Assert.Equal("#9999 has 5 lines", output);
        Assert.Equal(4, steps);
    }

    [Fact]
    public async Task A_variable_kept_in_memory_is_not_saved_with_the_run_and_starts_again_from_its_initial_value_on_resume()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("memoryvariable");
        var flows = Directory.CreateTempSubdirectory("flows-memory-").FullName;
        await File.WriteAllTextAsync(Path.Combine(flows, "delayed.json"), """
            {
              "definitionId": "delayed-order", "version": 1,
              "variables": [
                { "id": "seen", "name": "Seen", "typeName": "String", "storageDriverTypeName": "Elsa.Workflows.WorkflowInstanceStorageDriver, Elsa.Workflows.Core" },
                { "id": "listing", "name": "Listing", "typeName": "String", "value": "none", "storageDriverTypeName": "Elsa.Workflows.MemoryStorageDriver, Elsa.Workflows.Core" }
              ],
              "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "received", "type": "Shopify.WebhookReceived", "version": 1, "topic": "orders/create", "customProperties": { "canStartWorkflow": true } },
                  { "id": "before", "type": "Elsa.SetVariable", "version": 1, "variable": { "name": "Seen" },
                    "value": { "typeName": "String", "expression": { "type": "JavaScript", "value": "getInput('payload').name" } } },
                  { "id": "list", "type": "Elsa.SetVariable", "version": 1, "variable": { "name": "Listing" },
                    "value": { "typeName": "String", "expression": { "type": "JavaScript", "value": "JSON.stringify(getInput('payload').line_items)" } } },
                  { "id": "wait", "type": "Elsa.Delay", "version": 1, "timeSpan": "00:00:01" },
                  { "id": "after", "type": "Elsa.SetOutput", "version": 1, "outputName": "summary",
                    "outputValue": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "getSeen() + ', listing ' + getListing()" } } }
                ],
                "connections": [
                  { "source": { "activity": "received", "port": "Done" }, "target": { "activity": "before", "port": "In" } },
                  { "source": { "activity": "before", "port": "Done" }, "target": { "activity": "list", "port": "In" } },
                  { "source": { "activity": "list", "port": "Done" }, "target": { "activity": "wait", "port": "In" } },
                  { "source": { "activity": "wait", "port": "Done" }, "target": { "activity": "after", "port": "In" } }
                ] } }
            """);

        string? savedWhileSuspended = null;
        await RunAcrossTwoHostsAsync(database, flows, async connection => savedWhileSuspended = await Dapper.SqlMapper.ExecuteScalarAsync<string>(connection,
            "SELECT variables::text FROM flows.instance WHERE definition_id = 'delayed-order'"));

        var saved = System.Text.Json.Nodes.JsonNode.Parse(savedWhileSuspended!)!.AsObject();
        Assert.Equal("#9999", saved["Seen"]?.GetValue<string>());
        Assert.False(saved.ContainsKey("Listing"));
        await using var connection = await database.OpenAsync();
        Assert.Equal("#9999, listing none", await Dapper.SqlMapper.ExecuteScalarAsync<string>(connection,
            "SELECT output->>'summary' FROM flows.instance WHERE definition_id = 'delayed-order'"));
    }

    // The order's webhook starts the run on a host that does not resume delays; it suspends there, and a second host,
    // started once the first is gone, resumes and finishes it. <paramref name="whileSuspended"/> looks at the saved run between.
    private static async Task RunAcrossTwoHostsAsync(TestDatabase database, string flows, Func<Npgsql.NpgsqlConnection, Task> whileSuspended)
    {
        WebApplicationFactory<Program> Host(bool resume) => FlowHost.Create(database, flows, builder =>
        {
            FlowHost.ShopifyStore(builder);
            builder.UseSetting("Flows:ResumeBookmarks", resume ? "true" : "false");
        }, schedules: true);

        await using (var first = Host(resume: false))
        {
            using var client = first.CreateClient();
            var body = RepoPaths.Fixture("shopify/orders-create.shopify-docs-2026-04.json");
            (await client.SendAsync(SignedDelivery.Shopify(body, HostFixture.ShopSecret, HostFixture.ShopDomain))).EnsureSuccessStatusCode();
            await WaitForAsync(database, "Suspended");
            await using var connection = await database.OpenAsync();
            await whileSuspended(connection);
        }

        await using var second = Host(resume: true);
        using var _ = second.CreateClient();
        await WaitForAsync(database, "Finished");
    }

    private static async Task WaitForAsync(TestDatabase database, string status)
    {
        for (var i = 0; i < 150; i++)
        {
            await using var connection = await database.OpenAsync();
            if (await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "SELECT count(*) FROM flows.instance WHERE status = @status", new { status }) == 1)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"No run became {status}");
    }
}
