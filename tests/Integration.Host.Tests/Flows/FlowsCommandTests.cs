using System.CommandLine;
using System.Text.Json;
using Integration.Host.Cli;
using Integration.Testing;

namespace Integration.Host.Tests.Flows;

public sealed class FlowsCommandTests
{
    [Fact]
    public async Task Validate_passes_the_shipped_flows()
    {
        var (code, output) = await RunCli("flows", "validate", Path.Combine(RepoPaths.Root, "flows"));

        Assert.Equal(0, code);
        Assert.Contains("0 invalid, 0 problems", output, StringComparison.Ordinal);
        Assert.Contains("order-routing.json: ok", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_executes_sub_flows_found_beside_the_flow_file()
    {
        var folder = Directory.CreateTempSubdirectory("flows-cli-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "child.json"), """
            { "definitionId": "vat", "version": 1, "root": { "id": "r", "type": "Elsa.Flowchart", "activities": [
              { "id": "out", "type": "Elsa.SetOutput", "version": 1, "outputName": "vat",
                "outputValue": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "getInput('net') * 0.14" } } } ], "connections": [] } }
            """);
        await File.WriteAllTextAsync(Path.Combine(folder, "parent.json"), """
            { "definitionId": "invoice", "version": 1, "variables": [ { "id": "r", "name": "R", "typeName": "Object" } ],
              "root": { "id": "root", "type": "Elsa.Flowchart", "activities": [
              { "id": "calc", "type": "Elsa.ExecuteWorkflow", "version": 1, "workflowDefinitionId": "vat",
                "input": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "({ net: getInput('net') })" } },
                "result": { "typeName": "Object", "memoryReference": { "id": "r" } } },
              { "id": "say", "type": "Elsa.WriteLine", "version": 1, "text": { "typeName": "String", "expression": { "type": "JavaScript", "value": "'VAT ' + getR().output.vat" } } } ],
              "connections": [ { "source": { "activity": "calc", "port": "Done" }, "target": { "activity": "say", "port": "In" } } ] } }
            """);

        var (code, output) = await RunCli("flows", "run", Path.Combine(folder, "parent.json"), "--input", """{ "net": 200 }""");

        Assert.Equal(0, code);
        Assert.Contains("VAT 28", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_reports_file_path_and_reason_and_fails()
    {
        var file = Path.Combine(Path.GetTempPath(), $"broken-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """
            { "definitionId": "broken", "root": { "id": "r", "type": "Elsa.Flowchart", "activities": [
              { "id": "a", "type": "Shopify.DoesNotExist" } ], "connections": [] } }
            """);
        try
        {
            var (code, output) = await RunCli("flows", "validate", file);

            Assert.Equal(1, code);
            Assert.Contains($"{file}: $.root.activities[0].type: unknown activity type 'Shopify.DoesNotExist'", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Validate_refuses_a_webhook_filter_naming_a_field_webhooks_do_not_have()
    {
        var file = Path.Combine(Path.GetTempPath(), $"filtered-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """
            { "definitionId": "filtered", "root": { "id": "r", "type": "Elsa.Flowchart", "activities": [
              { "id": "paid", "type": "Shopify.WebhookReceived", "topic": "orders/paid", "filter": { "$company": "EG01" } } ], "connections": [] } }
            """);
        try
        {
            var (code, output) = await RunCli("flows", "validate", file);

            Assert.Equal(1, code);
            Assert.Contains($"{file}: $.root.activities[0].filter.$company: filter: '$company' is not a field path (segments joined by '.', or one of $topic, $store)", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Run_calls_out_only_to_the_allowed_hosts_as_the_host_does()
    {
        var folder = Directory.CreateTempSubdirectory("flows-cli-http-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "call.json"), """
            { "definitionId": "call-out", "version": 1, "root": { "id": "r", "type": "Elsa.Flowchart", "activities": [
              { "id": "call", "type": "Elsa.FlowSendHttpRequest", "version": 1, "method": "GET", "url": "http://127.0.0.1:9/export" } ], "connections": [] } }
            """);

        var (_, output) = await RunCli("flows", "run", Path.Combine(folder, "call.json"));

        // No Flows__Http__AllowedHosts in the environment: refused by the gate, not tried and failed to connect.
        Assert.Contains("may not call 127.0.0.1", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_prints_status_output_and_journal()
    {
        var (code, output) = await RunCli("flows", "run", Path.Combine(RepoPaths.Root, "flows", "hello-world.json"), "--input", """{"name":"Alexandria"}""");

        Assert.Equal(0, code);
        using var result = JsonDocument.Parse(output);
        Assert.Equal("Finished", result.RootElement.GetProperty("status").GetString());
        Assert.Equal("Hello, Alexandria!", result.RootElement.GetProperty("output").GetProperty("greeting").GetString());
        Assert.Equal(2, result.RootElement.GetProperty("journal").GetArrayLength());
    }

    private static async Task<(int Code, string Output)> RunCli(params string[] args)
    {
        var output = new StringWriter();
        var code = await HostCommandLine.Create().Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = output });
        return (code, output.ToString());
    }
}
