using System.CommandLine;
using System.Text;
using Integration.Connectors.Eta.Canonical;
using Integration.Connectors.Eta.Issuing;
using Integration.Connectors.Eta;
using Integration.Host.Database;
using Integration.Host.Security;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Integration.Host.Cli;

/// <summary>
/// <c>eta uuid FILE</c> and <c>eta serialize FILE</c> (a receipt's UUID and canonical string, header.uuid ignored) and
/// <c>eta verify-chain --device X</c> (walks the device's chain in the database; exit 1 on a break).
/// </summary>
internal static class EtaCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "A receipt JSON file (v1.2)." };
        var uuid = new Command("uuid", "Print the UUID of a receipt file: SHA-256 of its canonical string, header.uuid ignored.") { file };
        uuid.SetAction((parse, ct) => FileAsync(parse.GetValue(file)!, parse.InvocationConfiguration.Output, json => EtaUuid.Compute(json)));

        var serialize = new Command("serialize", "Print the canonical string ETA hashes (header.uuid blanked).") { file };
        serialize.SetAction((parse, ct) => FileAsync(parse.GetValue(file)!, parse.InvocationConfiguration.Output, json => EtaCanonicalForm.Serialize(json, blankUuid: true)));

        var device = new Option<string>("--device") { Description = "The POS device serial.", Required = true };
        var verify = new Command("verify-chain", "Walk a POS device's receipt chain and report any break (exit 1 on one).") { device };
        verify.TreatUnmatchedTokensAsErrors = false;
        verify.SetAction((parse, ct) => VerifyAsync(parse.GetValue(device)!, [.. parse.UnmatchedTokens], parse.InvocationConfiguration.Output, ct));
        return new Command("eta", "ETA e-receipts: uuid, serialize, verify-chain.") { uuid, serialize, verify };
    }

    private static async Task<int> FileAsync(FileInfo file, TextWriter output, Func<string, string> print)
    {
        if (!file.Exists)
        {
            await output.WriteLineAsync($"eta: {file.FullName} does not exist.");
            return 1;
        }

        try
        {
            await output.WriteLineAsync(print(await File.ReadAllTextAsync(file.FullName, Encoding.UTF8)));
            return 0;
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or FormatException)
        {
            await output.WriteLineAsync($"eta: {file.FullName} is not a receipt: {ex.Message}");
            return 1;
        }
    }

    private static async Task<int> VerifyAsync(string device, string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var configuration = SecretFiles.Read(args);
        var connectionString = DatabaseConnection.Resolve(configuration);
        await new DatabaseMigrator(connectionString, MigrationCatalog.All).MigrateAsync(cancellationToken);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var options = new EtaOptions();
        configuration.GetSection(EtaOptions.Section).Bind(options);
        var book = new EtaReceiptBook(dataSource, new StaticOptionsMonitor<EtaOptions>(options));
        var report = await book.VerifyChainAsync(device, cancellationToken);
        await output.WriteLineAsync($"{report.Device}: {report.Receipts} receipts, head {(report.Head.Length == 0 ? "(none)" : report.Head)}");
        foreach (var problem in report.Breaks)
        {
            await output.WriteLineAsync($"  break at #{problem.ChainSeq} {problem.ReceiptNumber} {problem.Uuid}: {problem.Reason}");
        }

        await output.WriteLineAsync(report.Unbroken ? "chain unbroken" : $"chain BROKEN: {report.Breaks.Count} break(s)");
        return report.Unbroken ? 0 : 1;
    }

    private sealed class StaticOptionsMonitor<T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;

        public T Get(string? name) => value;

        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }
}
