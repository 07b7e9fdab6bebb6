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

    [Fact]
    public async Task A_delivery_whose_run_postgresql_refuses_to_store_is_marked_failed_with_the_reason_and_the_rest_of_its_batch_is_dispatched()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("poison_store");
        var flows = Directory.CreateTempSubdirectory("flows-poison-store-").FullName;
        // The run has an effect first (stored at a checkpoint after it, on a connection of its own), then is correlated
        // on a value of the payload: a NUL in it is text PostgreSQL cannot hold, on every retry.
        await File.WriteAllTextAsync(Path.Combine(flows, "orders.json"), """
            { "definitionId": "orders", "version": 1,
              "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "received", "type": "Shopify.WebhookReceived", "version": 1, "topic": "orders/create", "customProperties": { "canStartWorkflow": true } },
                  { "id": "effect", "type": "Elsa.PublishEvent", "version": 1, "eventName": "order.seen" },
                  { "id": "correlate", "type": "Elsa.Correlate", "version": 1, "correlationId": { "typeName": "String", "expression": { "type": "JavaScript", "value": "'order:' + getInput('payload').name" } } } ],
                "connections": [
                  { "source": { "activity": "received", "port": "Done" }, "target": { "activity": "effect", "port": "In" } },
                  { "source": { "activity": "effect", "port": "Done" }, "target": { "activity": "correlate", "port": "In" } } ] } }
            """);
        await using var host = FlowHost.Create(database, flows);
        using var client = host.CreateClient();
        await using var check = await database.OpenAsync();
        await DeliverTwoOrdersAsync(check);

        var deliveries = (await check.QueryAsync<(string Key, string Status, string? Error)>("SELECT delivery_key, status, error FROM integration.inbox ORDER BY id")).ToList();
        Assert.Equal(("d-1", "failed"), (deliveries[0].Key, deliveries[0].Status));
        Assert.StartsWith("its run could not be stored: 22", deliveries[0].Error, StringComparison.Ordinal);
        Assert.EndsWith("faulted with an incident: retry that once fixed", deliveries[0].Error, StringComparison.Ordinal);
        Assert.Equal(("d-2", "done"), (deliveries[1].Key, deliveries[1].Status));
        Assert.Equal(["order:#1002"], await check.QueryAsync<string>("SELECT correlation_id FROM flows.instance WHERE definition_id = 'orders' AND status = 'Finished'"));
        // The run stored at its checkpoint is faulted, not left running for another host to resume into the same refusal.
        Assert.Equal(("Faulted", "(store)", "Open"), await check.QuerySingleAsync<(string, string, string)>("""
            SELECT r.status, i.activity_id, i.status FROM flows.instance r JOIN flows.incident i ON i.instance_id = r.id
            WHERE r.trigger = (SELECT 'inbox:' || id FROM integration.inbox WHERE delivery_key = 'd-1')
            """));
    }

    [Fact]
    public async Task A_failure_whose_message_quotes_a_nul_from_the_payload_is_kept_with_the_replacement_character()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("poison_message");
        var flows = Directory.CreateTempSubdirectory("flows-poison-message-").FullName;
        // The trigger's filter fails quoting the order's name: the failure is the delivery's error text.
        await File.WriteAllTextAsync(Path.Combine(flows, "orders.json"), """
            { "definitionId": "orders", "version": 1,
              "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [ { "id": "received", "type": "Shopify.WebhookReceived", "version": 1, "topic": "orders/create",
                  "filter": { "typeName": "Boolean", "expression": { "type": "JavaScript", "value": "(() => { throw new Error('no rule for ' + getInput('payload').name); })()" } },
                  "customProperties": { "canStartWorkflow": true } } ],
                "connections": [] } }
            """);
        await using var host = FlowHost.Create(database, flows);
        using var client = host.CreateClient();
        await using var check = await database.OpenAsync();
        await DeliverTwoOrdersAsync(check);

        var deliveries = (await check.QueryAsync<(string Status, string? Error)>("SELECT status, error FROM integration.inbox ORDER BY id")).ToList();
        Assert.Equal(["failed", "failed"], deliveries.Select(d => d.Status));
        Assert.Contains("no rule for #10\uFFFD1", deliveries[0].Error, StringComparison.Ordinal);
        Assert.Contains("no rule for #1002", deliveries[1].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_erp_event_whose_run_postgresql_refuses_to_store_is_marked_failed_with_the_reason_and_the_events_after_it_are_dispatched()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("poison_event");
        var flows = Directory.CreateTempSubdirectory("flows-poison-event-").FullName;
        // An event marked poison gets a correlation id with a NUL in it, which PostgreSQL refuses on every retry.
        await File.WriteAllTextAsync(Path.Combine(flows, "items.json"), """
            { "definitionId": "items", "version": 1,
              "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "event", "type": "Elsa.Event", "version": 1, "eventName": "test.changed", "customProperties": { "canStartWorkflow": true } },
                  { "id": "correlate", "type": "Elsa.Correlate", "version": 1, "correlationId": { "typeName": "String", "expression": { "type": "JavaScript",
                    "value": "'item:' + getInput('entityKey') + (getInput('payload').poison ? String.fromCharCode(0) : '')" } } } ],
                "connections": [ { "source": { "activity": "event", "port": "Done" }, "target": { "activity": "correlate", "port": "In" } } ] } }
            """);
        await using var host = FlowHost.Create(database, flows);
        using var client = host.CreateClient();
        await using (var connection = await database.OpenAsync())
        {
            // One statement: the dispatcher claims both in one batch (one record, so one partition, in order).
            await connection.ExecuteAsync("""
                INSERT INTO integration.outbox (topic, company, entity_key, payload)
                VALUES ('test.changed', 'EG01', 'SKU-1', '{"poison": true}'), ('test.changed', 'EG01', 'SKU-1', '{"poison": false}');
                """);
        }

        await using var check = await database.OpenAsync();
        await UntilNoneAsync(check, "SELECT count(*) FROM integration.outbox WHERE status = 'pending'");

        var events = (await check.QueryAsync<(string Status, string? Error)>("SELECT status, error FROM integration.outbox ORDER BY id")).ToList();
        Assert.Equal("failed", events[0].Status);
        Assert.StartsWith("its run could not be stored: 22", events[0].Error, StringComparison.Ordinal);
        Assert.Equal("done", events[1].Status);
        Assert.Equal(["item:SKU-1"], await check.QueryAsync<string>("SELECT correlation_id FROM flows.instance WHERE definition_id = 'items'"));
    }

    // Order 1 named with a NUL (escaped in its JSON; a text PostgreSQL cannot hold), order 2 plain, stored in one
    // statement so the dispatcher claims them in one batch; returns once both are handled.
    private static async Task DeliverTwoOrdersAsync(Npgsql.NpgsqlConnection connection)
    {
        await connection.ExecuteAsync("""
            INSERT INTO integration.inbox (source, store, topic, delivery_key, headers, body)
            VALUES ('shopify', 'poison.myshopify.com', 'orders/create', 'd-1', '{}', convert_to('{ "id": 1, "name": "#10\u00001" }', 'UTF8')),
                   ('shopify', 'poison.myshopify.com', 'orders/create', 'd-2', '{}', convert_to('{ "id": 2, "name": "#1002" }', 'UTF8'));
            """);
        await UntilNoneAsync(connection, "SELECT count(*) FROM integration.inbox WHERE status = 'received'");
    }

    // Up to 10 s.
    private static async Task UntilNoneAsync(Npgsql.NpgsqlConnection connection, string countSql)
    {
        for (var i = 0; i < 100 && await connection.ExecuteScalarAsync<long>(countSql) > 0; i++)
        {
            await Task.Delay(100);
        }
    }
}
