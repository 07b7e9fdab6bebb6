using Dapper;
using Integration.Testing;

namespace Integration.Host.Tests.Flows;

public sealed class EventBookmarkTests
{
    [Fact]
    public async Task A_run_waiting_for_an_event_goes_on_when_a_correlated_event_is_published_and_others_keep_waiting()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("events");
        var flows = Directory.CreateTempSubdirectory("flows-events-").FullName;
        await File.WriteAllTextAsync(Path.Combine(flows, "waiter.json"), """
            { "definitionId": "waiter", "version": 1, "variables": [ { "id": "payment", "name": "Payment", "typeName": "Object" } ],
              "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "endpoint", "type": "Elsa.HttpEndpoint", "version": 1, "path": "orders/{id}/wait", "customProperties": { "canStartWorkflow": true } },
                  { "id": "correlate", "type": "Elsa.Correlate", "version": 1,
                    "correlationId": { "typeName": "String", "expression": { "type": "JavaScript", "value": "'order-' + getInput('routeData').id" } } },
                  { "id": "paid", "type": "Elsa.Event", "version": 1, "eventName": "payment.received", "result": { "typeName": "Object", "memoryReference": { "id": "payment" } } },
                  { "id": "out", "type": "Elsa.SetOutput", "version": 1, "outputName": "amount",
                    "outputValue": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "getPayment().amount" } } } ],
                "connections": [
                  { "source": { "activity": "endpoint", "port": "Done" }, "target": { "activity": "correlate", "port": "In" } },
                  { "source": { "activity": "correlate", "port": "Done" }, "target": { "activity": "paid", "port": "In" } },
                  { "source": { "activity": "paid", "port": "Done" }, "target": { "activity": "out", "port": "In" } } ] } }
            """);
        await File.WriteAllTextAsync(Path.Combine(flows, "payer.json"), """
            { "definitionId": "payer", "version": 1,
              "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "endpoint", "type": "Elsa.HttpEndpoint", "version": 1, "path": "orders/{id}/pay", "customProperties": { "canStartWorkflow": true } },
                  { "id": "publish", "type": "Elsa.PublishEvent", "version": 1, "eventName": "payment.received",
                    "correlationId": { "typeName": "String", "expression": { "type": "JavaScript", "value": "'order-' + getInput('routeData').id" } },
                    "payload": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "({ amount: 450 })" } } },
                  { "id": "answer", "type": "Elsa.WriteHttpResponse", "version": 1, "statusCode": "OK",
                    "content": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "'woke ' + getOutputFrom('publish')" } } } ],
                "connections": [
                  { "source": { "activity": "endpoint", "port": "Done" }, "target": { "activity": "publish", "port": "In" } },
                  { "source": { "activity": "publish", "port": "Done" }, "target": { "activity": "answer", "port": "In" } } ] } }
            """);
        await using var host = FlowHost.Create(database, flows);
        using var client = host.CreateClient();

        (await client.GetAsync("/workflows/orders/1001/wait")).EnsureSuccessStatusCode();
        (await client.GetAsync("/workflows/orders/1002/wait")).EnsureSuccessStatusCode();
        var answer = await client.GetStringAsync("/workflows/orders/1001/pay");

        Assert.Equal("woke 1", answer);
        await using var connection = await database.OpenAsync();
        string? amount = null;
        for (var i = 0; i < 100 && amount is null; i++)
        {
            await Task.Delay(100);
            amount = await connection.ExecuteScalarAsync<string?>(
                "SELECT output->>'amount' FROM flows.instance WHERE definition_id = 'waiter' AND correlation_id = 'order-1001' AND status = 'Finished'");
        }

        Assert.Equal("450", amount);
        Assert.Equal("Suspended", await connection.ExecuteScalarAsync<string>("SELECT status FROM flows.instance WHERE correlation_id = 'order-1002'"));
    }
}
