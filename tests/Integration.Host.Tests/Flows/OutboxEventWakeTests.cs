using Dapper;
using Integration.Testing;

namespace Integration.Host.Tests.Flows;

/// <summary>
/// ERP events claimed in one batch wake the runs waiting for them: the dispatcher reads the batch's waiting runs once,
/// so one run woken by two of its events keeps both, and a run the batch itself starts, which then waits, is still
/// woken by a later event of the batch.
/// </summary>
public sealed class OutboxEventWakeTests
{
    [Fact]
    public async Task Events_of_one_batch_wake_a_run_waiting_for_two_of_them_and_a_run_started_earlier_in_the_batch()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("outbox-wake");
        var flows = Directory.CreateTempSubdirectory("flows-outbox-wake-").FullName;
        // Waits for two events at once (two branches), each putting its payload in an output.
        await File.WriteAllTextAsync(Path.Combine(flows, "waiter.json"), """
            { "definitionId": "waiter", "version": 1,
              "variables": [ { "id": "first", "name": "First", "typeName": "Object" }, { "id": "second", "name": "Second", "typeName": "Object" } ],
              "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "endpoint", "type": "Elsa.HttpEndpoint", "version": 1, "path": "records/{id}/wait", "customProperties": { "canStartWorkflow": true } },
                  { "id": "correlate", "type": "Elsa.Correlate", "version": 1,
                    "correlationId": { "typeName": "String", "expression": { "type": "JavaScript", "value": "'rec-' + getInput('routeData').id" } } },
                  { "id": "onFirst", "type": "Elsa.Event", "version": 1, "eventName": "test.first", "result": { "typeName": "Object", "memoryReference": { "id": "first" } } },
                  { "id": "onSecond", "type": "Elsa.Event", "version": 1, "eventName": "test.second", "result": { "typeName": "Object", "memoryReference": { "id": "second" } } },
                  { "id": "outFirst", "type": "Elsa.SetOutput", "version": 1, "outputName": "first",
                    "outputValue": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "getFirst().n" } } },
                  { "id": "outSecond", "type": "Elsa.SetOutput", "version": 1, "outputName": "second",
                    "outputValue": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "getSecond().n" } } } ],
                "connections": [
                  { "source": { "activity": "endpoint", "port": "Done" }, "target": { "activity": "correlate", "port": "In" } },
                  { "source": { "activity": "correlate", "port": "Done" }, "target": { "activity": "onFirst", "port": "In" } },
                  { "source": { "activity": "correlate", "port": "Done" }, "target": { "activity": "onSecond", "port": "In" } },
                  { "source": { "activity": "onFirst", "port": "Done" }, "target": { "activity": "outFirst", "port": "In" } },
                  { "source": { "activity": "onSecond", "port": "Done" }, "target": { "activity": "outSecond", "port": "In" } } ] } }
            """);
        // Started by an event, then waits for another of the same record.
        await File.WriteAllTextAsync(Path.Combine(flows, "starter.json"), """
            { "definitionId": "starter", "version": 1, "variables": [ { "id": "second", "name": "Second", "typeName": "Object" } ],
              "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "start", "type": "Elsa.Event", "version": 1, "eventName": "test.start", "customProperties": { "canStartWorkflow": true } },
                  { "id": "correlate", "type": "Elsa.Correlate", "version": 1,
                    "correlationId": { "typeName": "String", "expression": { "type": "JavaScript", "value": "getInput('entityKey')" } } },
                  { "id": "onSecond", "type": "Elsa.Event", "version": 1, "eventName": "test.second", "result": { "typeName": "Object", "memoryReference": { "id": "second" } } },
                  { "id": "out", "type": "Elsa.SetOutput", "version": 1, "outputName": "second",
                    "outputValue": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "getSecond().n" } } } ],
                "connections": [
                  { "source": { "activity": "start", "port": "Done" }, "target": { "activity": "correlate", "port": "In" } },
                  { "source": { "activity": "correlate", "port": "Done" }, "target": { "activity": "onSecond", "port": "In" } },
                  { "source": { "activity": "onSecond", "port": "Done" }, "target": { "activity": "out", "port": "In" } } ] } }
            """);
        await using var host = FlowHost.Create(database, flows);
        using var client = host.CreateClient();
        (await client.GetAsync("/workflows/records/A/wait")).EnsureSuccessStatusCode();
        (await client.GetAsync("/workflows/records/Z/wait")).EnsureSuccessStatusCode();
        await using var connection = await database.OpenAsync();
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM flows.instance WHERE definition_id = 'waiter' AND status = 'Suspended'"));

        // One statement, one ordering key: one partition, so one loop claims them all in one batch, in this order.
        await connection.ExecuteAsync("""
            INSERT INTO integration.outbox (topic, company, entity_key, payload, ordering_key)
            SELECT e.topic, 'EG01', e.entity_key, jsonb_build_object('n', e.n), 'one'
            FROM (VALUES (1, 'test.first', 'rec-A'), (2, 'test.second', 'rec-A'), (3, 'test.second', 'rec-Z'), (4, 'test.start', 'rec-B'),
                         (5, 'test.second', 'rec-B'), (6, 'test.second', 'rec-C')) AS e(n, topic, entity_key)
            ORDER BY e.n
            """);

        for (var i = 0; i < 100 && (await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM flows.instance WHERE definition_id IN ('waiter', 'starter') AND status = 'Finished'") < 2
            || await connection.ExecuteScalarAsync<string?>("SELECT output->>'second' FROM flows.instance WHERE definition_id = 'waiter' AND correlation_id = 'rec-Z'") is null); i++)
        {
            await Task.Delay(100);
        }

        Assert.Equal(6, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM integration.outbox WHERE status = 'done'"));
        // All five were claimed by one batch (one processed_at: the batch transaction's start).
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT count(DISTINCT processed_at) FROM integration.outbox"));
        var waiter = await connection.QuerySingleAsync<(string Status, string? First, string? Second)>(
            "SELECT status, output->>'first', output->>'second' FROM flows.instance WHERE definition_id = 'waiter' AND correlation_id = 'rec-A'");
        Assert.Equal(("Finished", "1", "2"), waiter);
        var starter = await connection.QuerySingleAsync<(string Status, string? Second)>(
            "SELECT status, output->>'second' FROM flows.instance WHERE definition_id = 'starter'");
        Assert.Equal(("Finished", "5"), starter);
        // The run of another record was woken by its own event only (rec-A's test.second, before it, left it waiting),
        // and still waits for the other.
        var other = await connection.QuerySingleAsync<(string Status, string? First, string? Second)>(
            "SELECT status, output->>'first', output->>'second' FROM flows.instance WHERE definition_id = 'waiter' AND correlation_id = 'rec-Z'");
        Assert.Equal(("Suspended", null, "3"), other);
    }

    [Fact]
    public async Task A_flow_with_two_triggers_for_one_event_runs_once_for_it()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("outbox-twice");
        var flows = Directory.CreateTempSubdirectory("flows-outbox-twice-").FullName;
        await File.WriteAllTextAsync(Path.Combine(flows, "twice.json"), """
            { "definitionId": "twice", "version": 1,
              "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "one", "type": "Elsa.Event", "version": 1, "eventName": "test.twice", "customProperties": { "canStartWorkflow": true } },
                  { "id": "two", "type": "Elsa.Event", "version": 1, "eventName": "test.twice", "customProperties": { "canStartWorkflow": true } } ],
                "connections": [] } }
            """);
        await using var host = FlowHost.Create(database, flows);
        using var client = host.CreateClient();
        await using var connection = await database.OpenAsync();
        var id = await connection.ExecuteScalarAsync<long>(
            "INSERT INTO integration.outbox (topic, company, entity_key, payload) VALUES ('test.twice', 'EG01', 'rec-T', '{}') RETURNING id");

        for (var i = 0; i < 100 && await connection.ExecuteScalarAsync<string>("SELECT status FROM integration.outbox WHERE id = @id", new { id }) == "pending"; i++)
        {
            await Task.Delay(100);
        }

        Assert.Equal("done", await connection.ExecuteScalarAsync<string>("SELECT status FROM integration.outbox WHERE id = @id", new { id }));
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM flows.instance WHERE definition_id = 'twice' AND trigger = @trigger", new { trigger = $"outbox:{id}" }));
    }
}
