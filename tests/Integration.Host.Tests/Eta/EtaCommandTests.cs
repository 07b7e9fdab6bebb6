using System.CommandLine;
using System.Text;
using Dapper;
using Integration.Host.Cli;
using Integration.Testing;

namespace Integration.Host.Tests.Eta;

public sealed class EtaCommandTests
{
    [Theory]
    [InlineData("receipt-chain-1-sale", "96a64a678a4ad57f6aff2f1dbbc5b86ec7cdd6a280ae0f4e861a5e51cd197747")]
    [InlineData("receipt-chain-2-sale", "303157e48405bed1a4794c0616f654a9e5d1b6652629121c056ca7383e881547")]
    public async Task Uuid_prints_the_published_uuid_of_each_fixture_receipt(string name, string expected)
    {
        var (code, output) = await RunCli("eta", "uuid", Path.Combine(RepoPaths.SharedFixtures, "eta", name + ".json"));

        Assert.Equal(0, code);
        Assert.Equal(expected, output.Trim());
    }

    [Fact]
    public async Task Serialize_prints_the_canonical_string_byte_for_byte()
    {
        var (code, output) = await RunCli("eta", "serialize", Path.Combine(RepoPaths.SharedFixtures, "eta", "receipt-chain-2-sale.json"));

        Assert.Equal(0, code);
        Assert.Equal(Encoding.UTF8.GetString(RepoPaths.Fixture("eta/receipt-chain-2-sale.serialized.txt")), output.TrimEnd('\n', '\r'));
    }

    [Fact]
    public async Task Uuid_of_a_file_that_is_not_a_receipt_says_so_and_fails()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("eta-cli-").FullName, "broken.json");
        await File.WriteAllTextAsync(file, "[1, 2");

        var (code, output) = await RunCli("eta", "uuid", file);

        Assert.Equal(1, code);
        Assert.Contains("is not a receipt", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_chain_reports_an_unbroken_chain_and_then_the_receipt_that_breaks_it()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("eta-verify");
        var (empty, _) = await RunCli("eta", "verify-chain", "--device", "POS-1", "--DATABASE_URL=" + database.Url);
        Assert.Equal(0, empty);
        var first = await File.ReadAllTextAsync(Path.Combine(RepoPaths.SharedFixtures, "eta", "receipt-chain-1-sale.json"));
        var second = await File.ReadAllTextAsync(Path.Combine(RepoPaths.SharedFixtures, "eta", "receipt-chain-2-sale.json"));
        await using (var connection = await database.OpenAsync())
        {
            await connection.ExecuteAsync("INSERT INTO eta.device (serial, last_uuid, receipt_count) VALUES ('POS-1', @uuid, 2)", new { uuid = "303157e48405bed1a4794c0616f654a9e5d1b6652629121c056ca7383e881547" });
            await Insert(connection, 1, "96a64a678a4ad57f6aff2f1dbbc5b86ec7cdd6a280ae0f4e861a5e51cd197747", "", first);
            await Insert(connection, 2, "303157e48405bed1a4794c0616f654a9e5d1b6652629121c056ca7383e881547", "96a64a678a4ad57f6aff2f1dbbc5b86ec7cdd6a280ae0f4e861a5e51cd197747", second);
        }

        var (unbroken, report) = await RunCli("eta", "verify-chain", "--device", "POS-1", "--DATABASE_URL=" + database.Url);
        await using (var connection = await database.OpenAsync())
        {
            await connection.ExecuteAsync("UPDATE eta.receipt SET previous_uuid = '' WHERE chain_seq = 2");
        }

        var (broken, breaks) = await RunCli("eta", "verify-chain", "--device", "POS-1", "--DATABASE_URL=" + database.Url);

        Assert.Equal(0, unbroken);
        Assert.Contains("POS-1: 2 receipts", report, StringComparison.Ordinal);
        Assert.Contains("chain unbroken", report, StringComparison.Ordinal);
        Assert.Equal(1, broken);
        Assert.Contains("break at #2 SHOP-1002", breaks, StringComparison.Ordinal);
        Assert.Contains("chain BROKEN", breaks, StringComparison.Ordinal);
    }

    private static Task<int> Insert(Npgsql.NpgsqlConnection connection, int seq, string uuid, string previous, string body) =>
        connection.ExecuteAsync("""
            INSERT INTO eta.receipt (device, chain_seq, company, document_id, document_no, document_type, receipt_type, receipt_number, uuid, previous_uuid,
                store, date_time_issued, total_amount, currency, body, source)
            VALUES ('POS-1', @seq, 'EG01', @seq, 'SHOP-100' || @seq, 'Sales Invoice', 's', 'SHOP-100' || @seq, @uuid, @previous, 'shopify/main', now(), 1, 'EGP', @body, '{}')
            """, new { seq, uuid, previous, body });

    private static async Task<(int Code, string Output)> RunCli(params string[] args)
    {
        var output = new StringWriter();
        var code = await HostCommandLine.Create().Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = output });
        return (code, output.ToString());
    }
}
