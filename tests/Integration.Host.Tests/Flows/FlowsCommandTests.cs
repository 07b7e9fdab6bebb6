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
