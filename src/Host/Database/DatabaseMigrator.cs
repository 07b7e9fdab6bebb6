using DbUp;
using DbUp.Engine;
using Integration.Workflows.Scheduling;
using Npgsql;
using Serilog;

namespace Integration.Host.Database;

/// <summary>
/// Creates the database if it is missing and applies every part's pending scripts with DbUp, one schema and one
/// journal per part. Hosts starting together serialize on an advisory lock, so a script never runs twice.
/// It logs to the host's logger when a host runs it, to the static one when a CLI verb does.
/// </summary>
internal sealed class DatabaseMigrator(string connectionString, IReadOnlyList<MigrationSet> parts, Serilog.ILogger? log = null)
{
    private readonly Serilog.ILogger _log = log ?? Log.Logger;

    // Any constant works; it only has to be the same for every host of this product.
    private const long MigrationLockKey = 0x1A7E_6A71_0000_0001;

    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        EnsureDatabase.For.PostgresqlDatabase(connectionString, new DbUpSerilogLog(_log));

        await using var lockConnection = new NpgsqlConnection(connectionString);
        await lockConnection.OpenAsync(cancellationToken);
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", lockConnection))
        {
            take.Parameters.AddWithValue("key", MigrationLockKey);
            await take.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            var applied = 0;
            foreach (var part in parts)
            {
                applied += await MigratePartAsync(part, cancellationToken);
            }

            return applied;
        }
        finally
        {
            // Pooled connections are not reset (DatabaseConnection): a failed unlock keeps this one out of the pool.
            await SessionLocks.ReleaseAsync(lockConnection, "SELECT pg_advisory_unlock(@key)", new { key = MigrationLockKey });
        }
    }

    private async Task<int> MigratePartAsync(MigrationSet part, CancellationToken cancellationToken)
    {
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var create = new NpgsqlCommand($"CREATE SCHEMA IF NOT EXISTS \"{part.Schema}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var upgrader = DeployChanges.To
            .PostgresqlDatabase(connectionString, part.Schema)
            .WithScripts(part.Scripts().Select(s => new SqlScript(s.Name, s.Sql)))
            .JournalToPostgresqlTable(part.Schema, "schema_versions")
            .WithTransactionPerScript()
            .LogTo(new DbUpSerilogLog(_log))
            .Build();

        var result = upgrader.PerformUpgrade();
        if (!result.Successful)
        {
            throw new InvalidOperationException(
                $"Migration of schema '{part.Schema}' failed in script {result.ErrorScript?.Name}: {result.Error.Message}",
                result.Error);
        }

        foreach (var script in result.Scripts)
        {
            _log.Information("Applied migration {Schema}/{Script}", part.Schema, script.Name);
        }

        return result.Scripts.Count();
    }
}
