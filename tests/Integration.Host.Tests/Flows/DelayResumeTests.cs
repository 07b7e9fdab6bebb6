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
        }

        await using var second = Host(resume: true);
        using var _ = second.CreateClient();
        await WaitForAsync(database, "Finished");

        await using var connection = await database.OpenAsync();
        var (output, steps) = await Dapper.SqlMapper.QuerySingleAsync<(string, int)>(connection,
            "SELECT output->>'summary', jsonb_array_length(journal) FROM flows.instance WHERE definition_id = 'delayed-order'");
        Assert.Equal("#9999 has 5 lines", output);
        Assert.Equal(4, steps);
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
