using Integration.Testing;

namespace Integration.Host.Tests.Flows;

public sealed class DispatchWorkflowTests
{
    [Fact]
    public async Task A_dispatched_flow_is_stored_once_and_run_by_the_host_on_its_own()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("dispatch");
        var flows = Directory.CreateTempSubdirectory("flows-dispatch-").FullName;
        await File.WriteAllTextAsync(Path.Combine(flows, "parent.json"), """
            { "definitionId": "parent", "version": 1,
              "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "endpoint", "type": "Elsa.HttpEndpoint", "version": 1, "path": "reupload", "supportedMethods": { "typeName": "String[]", "expression": { "type": "Object", "value": "[\"POST\"]" } },
                    "customProperties": { "canStartWorkflow": true } },
                  { "id": "dispatch", "type": "Elsa.DispatchWorkflow", "version": 1, "workflowDefinitionId": "child", "correlationId": "stock-reupload",
                    "input": { "typeName": "Object", "expression": { "type": "Object", "value": "{ \"warehouse\": \"MAIN-WH\" }" } } },
                  { "id": "respond", "type": "Elsa.WriteHttpResponse", "version": 1, "statusCode": "Accepted", "content": "queued" } ],
                "connections": [
                  { "source": { "activity": "endpoint", "port": "Done" }, "target": { "activity": "dispatch", "port": "In" } },
                  { "source": { "activity": "dispatch", "port": "Done" }, "target": { "activity": "respond", "port": "In" } } ] } }
            """);
        await File.WriteAllTextAsync(Path.Combine(flows, "child.json"), """
            { "definitionId": "child", "version": 1,
              "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [ { "id": "out", "type": "Elsa.SetOutput", "version": 1, "outputName": "done",
                  "outputValue": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "'re-uploaded ' + getInput('warehouse')" } } } ],
                "connections": [] } }
            """);
        await using var host = FlowHost.Create(database, flows);
        using var client = host.CreateClient();

        using var response = await client.PostAsync("/workflows/reupload", null);

        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        string? output = null;
        for (var i = 0; i < 100 && output is null; i++)
        {
            await Task.Delay(100);
            await using var connection = await database.OpenAsync();
            output = await Dapper.SqlMapper.ExecuteScalarAsync<string?>(connection,
                "SELECT output->>'done' FROM flows.instance WHERE definition_id = 'child' AND status = 'Finished' AND correlation_id = 'stock-reupload' AND trigger LIKE 'dispatch:%'");
        }

        Assert.Equal("re-uploaded MAIN-WH", output);
        await using var check = await database.OpenAsync();
        Assert.Equal(1L, await Dapper.SqlMapper.ExecuteScalarAsync<long>(check, "SELECT count(*) FROM flows.instance WHERE definition_id = 'child'"));
    }

    [Fact]
    public async Task An_executed_sub_flow_answers_its_parent_and_is_stored_as_a_run_of_its_own()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("execute");
        var flows = Directory.CreateTempSubdirectory("flows-execute-").FullName;
        await File.WriteAllTextAsync(Path.Combine(flows, "parent.json"), """
            { "definitionId": "quote", "version": 1, "variables": [ { "id": "r", "name": "R", "typeName": "Object" } ],
              "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [
                  { "id": "endpoint", "type": "Elsa.HttpEndpoint", "version": 1, "path": "quote", "customProperties": { "canStartWorkflow": true } },
                  { "id": "vat", "type": "Elsa.ExecuteWorkflow", "version": 1, "workflowDefinitionId": "vat",
                    "input": { "typeName": "Object", "expression": { "type": "Object", "value": "{ \"net\": 1000 }" } },
                    "result": { "typeName": "Object", "memoryReference": { "id": "r" } } },
                  { "id": "respond", "type": "Elsa.WriteHttpResponse", "version": 1, "statusCode": "OK",
                    "content": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "'VAT ' + getR().output.vat" } } } ],
                "connections": [
                  { "source": { "activity": "endpoint", "port": "Done" }, "target": { "activity": "vat", "port": "In" } },
                  { "source": { "activity": "vat", "port": "Done" }, "target": { "activity": "respond", "port": "In" } } ] } }
            """);
        await File.WriteAllTextAsync(Path.Combine(flows, "vat.json"), """
            { "definitionId": "vat", "version": 1,
              "root": { "id": "root", "type": "Elsa.Flowchart", "version": 1,
                "activities": [ { "id": "out", "type": "Elsa.SetOutput", "version": 1, "outputName": "vat",
                  "outputValue": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "getInput('net') * 0.14" } } } ],
                "connections": [] } }
            """);
        await using var host = FlowHost.Create(database, flows);
        using var client = host.CreateClient();

        using var response = await client.GetAsync("/workflows/quote");
        var parentId = Guid.Parse(response.Headers.GetValues("X-Workflow-Instance-Id").Single());

        Assert.Equal("VAT 140", await response.Content.ReadAsStringAsync());
        await using var connection = await database.OpenAsync();
        var (status, vat) = await Dapper.SqlMapper.QuerySingleAsync<(string, string)>(connection,
            "SELECT status, output->>'vat' FROM flows.instance WHERE definition_id = 'vat' AND trigger = @trigger",
            new { trigger = $"execute:{parentId:N}/vat" });
        Assert.Equal("Finished", status);
        Assert.Equal("140", vat);
    }
}
