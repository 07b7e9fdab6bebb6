using Integration.Host.Cli;

namespace Integration.Mappings.Tests.Loading;

/// <summary><c>mappings validate [PATH]</c> through the host binary's command line.</summary>
public sealed class MappingsValidateCommandTests
{
    [Fact]
    public async Task The_shipped_mappings_validate_with_exit_code_zero()
    {
        var (code, output) = await RunAsync("mappings", "validate", MappingTestKit.MappingsDirectory);

        Assert.Equal(0, code);
        Assert.Contains("shopify-order__erp-sales-order.json: ok (shopify order <-> erp salesOrder", output, StringComparison.Ordinal);
        Assert.Contains("12 files, 0 invalid, 0 problems", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_file_prints_file_path_and_reason_with_exit_code_one()
    {
        var directory = Directory.CreateTempSubdirectory("mappings-").FullName;
        try
        {
            var file = Path.Combine(directory, "shop-customer__erp-customer.json");
            await File.WriteAllTextAsync(file, """
                { "id": "shop-customer__erp-customer", "left": { "system": "shop", "entity": "customer" }, "right": { "system": "erp", "entity": "customer" },
                  "fields": [ { "name": "note", "left": "note", "right": "note", "master": "both" } ] }
                """);

            var (code, output) = await RunAsync("mappings", "validate", directory);

            Assert.Equal(1, code);
            Assert.Contains($"{file}: $.fields[0].master: master 'both' needs a conflict rule", output, StringComparison.Ordinal);
            Assert.Contains("1 files, 1 invalid, 1 problems", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<(int Code, string Output)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var code = await HostCommandLine.Create().Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output });
        return (code, output.ToString());
    }
}
