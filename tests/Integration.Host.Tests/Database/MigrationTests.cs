using System.CommandLine;
using Integration.Host.Cli;
using Integration.Testing;

namespace Integration.Host.Tests.Database;

public sealed class MigrationTests
{
    [Fact]
    public async Task Migrate_verb_creates_a_missing_database_and_runs_twice_without_harm()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("migrate");
        var missing = new UriBuilder(database.Url) { Path = "/" + database.Name + "_new" }.Uri.ToString();
        await using var created = new TestDatabase(database.Name + "_new", missing, database.ConnectionString.Replace(database.Name, database.Name + "_new", StringComparison.Ordinal), database.ConnectionString);

        Assert.Equal(0, await RunCli("migrate", $"--DATABASE_URL={missing}"));
        Assert.Equal(0, await RunCli("migrate", $"--DATABASE_URL={missing}"));

        await using var connection = await created.OpenAsync();
        Assert.Equal(1L, await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "SELECT count(*) FROM integration.schema_versions WHERE scriptname = '0001_inbox.sql'"));
        Assert.True(await Dapper.SqlMapper.ExecuteScalarAsync<bool>(connection, "SELECT to_regclass('integration.inbox') IS NOT NULL"));
    }

    [Fact]
    public async Task Hosts_migrating_at_the_same_time_apply_each_script_once()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync("migrateconcurrent");

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => RunCli("migrate", $"--DATABASE_URL={database.Url}")));

        Assert.All(results, code => Assert.Equal(0, code));
        await using var connection = await database.OpenAsync();
        Assert.Equal(1L, await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "SELECT count(*) FROM integration.schema_versions WHERE scriptname = '0001_inbox.sql'"));
    }

    [Fact]
    public async Task Migrate_without_a_database_fails_with_a_clear_message()
    {
        var output = new StringWriter();
        var code = await HostCommandLine.Create().Parse(["migrate", "--ConnectionStrings:Integration="]).InvokeAsync(
            new InvocationConfiguration { EnableDefaultExceptionHandler = true, Error = output });

        Assert.NotEqual(0, code);
        Assert.Contains("DATABASE_URL", output.ToString(), StringComparison.Ordinal);
    }

    private static Task<int> RunCli(params string[] args) =>
        HostCommandLine.Create().Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
