using Dapper;
using Integration.Testing;

namespace Integration.Host.Tests.Flows;

/// <summary>Work no flow can do is set aside with the reason, and the host goes on with the rest.</summary>
public sealed class PoisonWorkTests
{
    [Fact]
    public async Task A_run_that_cannot_be_resumed_is_faulted_with_an_incident_and_a_delivery_that_cannot_be_dispatched_is_marked_failed()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("poison");
        var flows = Directory.CreateTempSubdirectory("flows-poison-").FullName;
        await File.WriteAllTextAsync(Path.Combine(flows, "orders.json"), """
            { "definitionId": "orders", "version": 1,
              "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [ { "id": "received", "type": "Shopify.WebhookReceived", "version": 1, "topic": "orders/create", "customProperties": { "canStartWorkflow": true } } ],
                "connections": [] } }
            """);
        await using var host = FlowHost.Create(database, flows);
        using var client = host.CreateClient();
        await using (var connection = await database.OpenAsync())
        {
            await connection.ExecuteAsync("""
                INSERT INTO flows.definition (definition_id, version, json, content_hash) VALUES ('gone', 1, '{"definitionId": "gone"}', 'x');
                INSERT INTO flows.instance (id, definition_id, version, status, next_resume_at, bookmarks)
                VALUES ('00000000-0000-0000-0000-0000000000bb', 'gone', 1, 'Suspended', now() - interval '1 second', '[]');
                INSERT INTO integration.inbox (source, store, topic, delivery_key, headers, body)
                VALUES ('shopify', 'poison.myshopify.com', 'orders/create', 'd-1', '{}', convert_to('{ "id": 1, broken', 'UTF8')),
                       ('shopify', 'poison.myshopify.com', 'orders/create', 'd-2', '{}', convert_to('{ "id": 2 }', 'UTF8'));
                """);
        }

        await using var check = await database.OpenAsync();
        string? runStatus = null;
        for (var i = 0; i < 100 && (runStatus != "Faulted" || await check.ExecuteScalarAsync<long>("SELECT count(*) FROM integration.inbox WHERE status = 'received'") > 0); i++)
        {
            await Task.Delay(100);
            runStatus = await check.ExecuteScalarAsync<string>("SELECT status FROM flows.instance WHERE id = '00000000-0000-0000-0000-0000000000bb'");
        }

        Assert.Equal("Faulted", runStatus);
        Assert.Contains("no longer loads", await check.ExecuteScalarAsync<string>("SELECT message FROM flows.incident WHERE activity_id = '(resume)'"), StringComparison.Ordinal);
        var deliveries = (await check.QueryAsync<(string Key, string Status, string? Error)>("SELECT delivery_key, status, error FROM integration.inbox ORDER BY id")).ToList();
        Assert.Equal("failed", deliveries[0].Status);
        Assert.False(string.IsNullOrEmpty(deliveries[0].Error));
        Assert.Equal("done", deliveries[1].Status);
        Assert.True((await client.GetAsync("/health/live")).IsSuccessStatusCode);
    }
}
