using System.Text.Json;
using Integration.Testing;

namespace Integration.Host.Tests.Flows;

public sealed class RunJournalTests
{
    [Fact]
    public async Task The_journal_keeps_each_activitys_inputs_and_outputs_with_large_values_stored_apart_and_incidents_keep_their_input()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("journal");
        var flows = Directory.CreateTempSubdirectory("flows-journal-").FullName;
        await File.WriteAllTextAsync(Path.Combine(flows, "journal.json"), """
            { "definitionId": "journal", "version": 1, "variables": [ { "id": "big", "name": "Big", "typeName": "String" } ],
              "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "endpoint", "type": "Elsa.HttpEndpoint", "version": 1, "path": "journal", "customProperties": { "canStartWorkflow": true } },
                  { "id": "fill", "type": "Elsa.SetVariable", "version": 1, "variable": { "name": "Big" },
                    "value": { "typeName": "String", "expression": { "type": "JavaScript", "value": "'x'.repeat(5000)" } } },
                  { "id": "say", "type": "Elsa.WriteLine", "version": 1, "text": "small enough" },
                  { "id": "fail", "type": "Elsa.Fault", "version": 1, "message": { "typeName": "String", "expression": { "type": "JavaScript", "value": "'order ' + 1001 + ' has no SKU'" } } } ],
                "connections": [
                  { "source": { "activity": "endpoint", "port": "Done" }, "target": { "activity": "fill", "port": "In" } },
                  { "source": { "activity": "fill", "port": "Done" }, "target": { "activity": "say", "port": "In" } },
                  { "source": { "activity": "say", "port": "Done" }, "target": { "activity": "fail", "port": "In" } } ] } }
            """);
        await using var host = FlowHost.Create(database, flows);
        using var client = host.CreateClient();

        using var response = await client.GetAsync("/workflows/journal");
        var runId = response.Headers.GetValues("X-Workflow-Instance-Id").Single();
        var run = JsonDocument.Parse(await client.GetStringAsync($"/api/runs/{runId}")).RootElement;
        var journal = run.GetProperty("journal").EnumerateArray().ToDictionary(e => e.GetProperty("activityId").GetString()!);

        Assert.Equal("small enough", journal["say"].GetProperty("inputs").GetProperty("text").GetString());
        var reference = journal["fill"].GetProperty("inputs").GetProperty("value");
        Assert.Equal(5002, reference.GetProperty("bytes").GetInt32());
        var stored = await client.GetStringAsync($"/api/runs/{runId}/payloads/{Uri.EscapeDataString(reference.GetProperty("$payload").GetString()!)}");
        Assert.Equal(new string('x', 5000), JsonDocument.Parse(stored).RootElement.GetString());
        var incident = run.GetProperty("incidents")[0];
        Assert.Equal("fail", incident.GetProperty("activityId").GetString());
        Assert.Equal("order 1001 has no SKU", incident.GetProperty("input").GetProperty("message").GetString());
    }
}
