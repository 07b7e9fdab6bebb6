using Dapper;
using Integration.Testing;

namespace Integration.Host.Tests.Flows;

/// <summary>A record that keeps failing the same way leaves one incident open, not one per delivery of it.</summary>
public sealed class RepeatedIncidentTests
{
    [Fact]
    public async Task The_same_failure_of_the_same_order_met_by_later_deliveries_leaves_only_the_newest_incident_open()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("repeated_incident");
        var flows = Directory.CreateTempSubdirectory("flows-repeated-incident-").FullName;
        // Order 1 fails at the same step with the same message on every delivery; order 2 with a message that changes.
        // (The deliveries carry their record, the inbox's subject, as the webhook sources give it.)
        await File.WriteAllTextAsync(Path.Combine(flows, "orders.json"), """
            { "definitionId": "orders", "version": 1,
              "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "received", "type": "Shopify.WebhookReceived", "version": 1, "topic": "orders/create", "customProperties": { "canStartWorkflow": true } },
                  { "id": "correlate", "type": "Elsa.Correlate", "version": 1, "correlationId": { "typeName": "String", "expression": { "type": "JavaScript", "value": "'order:' + getInput('payload').id" } } },
                  { "id": "kept", "type": "Elsa.Fault", "version": 1, "code": "cancelled-with-money-kept",
                    "message": { "typeName": "String", "expression": { "type": "JavaScript", "value": "'Order ' + getInput('payload').id + ' kept ' + getInput('payload').kept" } } } ],
                "connections": [
                  { "source": { "activity": "received", "port": "Done" }, "target": { "activity": "correlate", "port": "In" } },
                  { "source": { "activity": "correlate", "port": "Done" }, "target": { "activity": "kept", "port": "In" } } ] } }
            """);
        await using var host = FlowHost.Create(database, flows);
        using var client = host.CreateClient();
        await using (var connection = await database.OpenAsync())
        {
            await connection.ExecuteAsync("""
                INSERT INTO integration.inbox (source, store, topic, delivery_key, headers, body, subject)
                VALUES ('shopify', 's.myshopify.com', 'orders/create', 'd-1', '{}', convert_to('{ "id": 1, "kept": "50.00" }', 'UTF8'), 'order:1'),
                       ('shopify', 's.myshopify.com', 'orders/create', 'd-2', '{}', convert_to('{ "id": 2, "kept": "10.00" }', 'UTF8'), 'order:2');
                """);
            await WaitForDeliveriesAsync(connection);
            await connection.ExecuteAsync("""
                INSERT INTO integration.inbox (source, store, topic, delivery_key, headers, body, subject)
                VALUES ('shopify', 's.myshopify.com', 'orders/create', 'd-3', '{}', convert_to('{ "id": 1, "kept": "50.00" }', 'UTF8'), 'order:1'),
                       ('shopify', 's.myshopify.com', 'orders/create', 'd-4', '{}', convert_to('{ "id": 1, "kept": "50.00" }', 'UTF8'), 'order:1'),
                       ('shopify', 's.myshopify.com', 'orders/create', 'd-5', '{}', convert_to('{ "id": 2, "kept": "20.00" }', 'UTF8'), 'order:2');
                """);
            await WaitForDeliveriesAsync(connection);

            var incidents = (await connection.QueryAsync<(long Id, string Correlation, string Status, long? SupersededBy, string Message)>("""
                SELECT i.id, r.correlation_id, i.status, i.superseded_by, i.message FROM flows.incident i JOIN flows.instance r ON r.id = i.instance_id ORDER BY i.id
                """)).ToList();
            Assert.Equal(5, incidents.Count);
            var first = incidents.Where(i => i.Correlation == "order:1").ToList();
            var newest = first[^1];
            Assert.Equal("Open", newest.Status);
            // Each earlier one superseded by the next: the chain leads to the one open.
            Assert.Equal(3, first.Count);
            Assert.All(first.SkipLast(1).Zip(first.Skip(1)), p => Assert.Equal(("Superseded", (long?)p.Second.Id), (p.First.Status, p.First.SupersededBy)));
            // Another message (the money moved again) is another failure: both stay open.
            Assert.Equal(["Open", "Open"], incidents.Where(i => i.Correlation == "order:2").Select(i => i.Status));
        }

        // The operator's list shows one incident per failure.
        var open = await client.GetStringAsync("/api/incidents?status=Open&definitionId=orders");
        Assert.Equal(3, System.Text.Json.JsonDocument.Parse(open).RootElement.GetArrayLength());
    }

    private static async Task WaitForDeliveriesAsync(Npgsql.NpgsqlConnection connection)
    {
        for (var i = 0; i < 100 && await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM integration.inbox WHERE status = 'received'") > 0; i++)
        {
            await Task.Delay(100);
        }
    }
}
